"""Cue lexicon for :mod:`workshop_analysis.kinds` (private).

Each cue is ``(kind, weight, pattern, fixed)``:

* ``pattern`` is a regular expression written with real umlauts; :func:`umlaut_pattern`
  makes ``ä``/``ö``/``ü``/``ß`` also match ``ae``/``oe``/``ue``/``ss``. Matching is
  case-insensitive and whole-word (``\\b`` is added around each pattern).
* ``weight`` is the evidence the cue gives for ``kind`` (1 = weak, 2 = clear, 3 = explicit).
* ``fixed`` cues already contain their own negation or mood ("kein Problem",
  "hätte nicht besser sein können", "wäre schön"), so the negation and subjunctive rules
  leave them alone.

The lists were written from linguistic knowledge of how workshop protocols phrase needs,
wishes, praise and concerns, before looking at the development set.
"""

from __future__ import annotations

import re

Cue = tuple[str, float, str, bool]

_ADJ_NICE = (
    r"(?:sehr |echt |wirklich |total |besonders |extrem )?"
    r"(?:schön|gut|hilfreich|sinnvoll|toll|prima|super|klasse|wünschenswert|nützlich|"
    r"wichtig|praktisch|ideal|optimal|angebracht|angemessen|besser|hilfreicher|nett|"
    r"großartig|fein|erstrebenswert|zielführend|traum|gewinn|erleichterung|fortschritt|hilfe)"
)

CUES: list[Cue] = [
    # --------------------------------------------- neutral contexts (weight 0, consume words)
    # "hilft bei schwierigen Entscheidungen", "über Schwierigkeiten sprechen": the concern
    # word names the topic, not an evaluation.
    (
        "concern",
        0.0,
        r"(?:bei|in|mit|für|über|zu|von|auf) "
        r"(?:schwierig\w*|komplex\w*|problem\w*|herausfordernd\w*|"
        r"konflikt\w*|krise\w*|krisen\w*)",
        True,
    ),
    (
        "praise",
        3.0,
        r"(?:viele|einige|wertvolle|neue|gute|tolle|zahlreiche) (?:anregungen|impulse|ideen)|"
        r"nehme\w* \w+(?: \w+)? mit|mitgenommen|mitnehmen",
        True,
    ),
    ("concern", 2.0, r"gut gemeint", True),
    # idioms whose words would vote the other way ("lässt zu wünschen übrig")
    (
        "concern",
        3.0,
        r"(?:lässt|lassen|ließ|ließen) (?:\w+ ){0,3}zu wünschen übrig|"
        r"(?:geht|gehen|ging|gingen) (?:\w+ ){0,4}an (?:der|den) \w+ vorbei|"
        r"(?:nicht|kaum|nie) (?:mehr |so )?rund|"
        r"(?:reicht|reichen|reichte|reichten) (?:\w+ ){0,3}(?:nicht|kaum|nie)|"
        r"(?:nichts|nix) neue\w*|(?:bringt|bringen|brachte|brachten|gebracht) (?:\w+ ){0,2}nichts|"
        r"nichts gebracht|mal so,? mal so|mal gut,? mal schlecht|mal mehr,? mal weniger|"
        r"durchwachsen\w*|(?:bleibt|bleiben|blieb|blieben) (?:\w+ ){0,2}offen|"
        r"(?:ist|sind|war|waren) (?:noch|weiterhin|nach wie vor|immer noch|bislang|bisher|"
        r"völlig|komplett|leider) offen|"
        r"offene fragen|offen geblieben|ungeklärt\w*|ungelöst\w*|unbeantwortet\w*",
        True,
    ),
    (
        "praise",
        2.5,
        r"(?:läuft|laufen|lief|liefen) (?:(?!nicht\b|kaum\b|nie\b)\w+ ){0,3}rund|"
        r"(?:trägt|tragen|trug|trugen) (?:\w+ ){0,2}früchte|"
        r"(?:kam|kommt|kamen|kommen) (?:\w+ ){0,3}(?:sehr |gut |super |prima )+an|"
        r"(?:auf |auf einem )?(?:sehr |hohem |sehr hohem )?hohe[mn]? (?:niveau|qualität)|"
        r"voller erfolg|viel gelernt|(?:learned|learnt) (?:\w+ ){0,2}(?:a lot|so much)|"
        r"(?:nimmt|nehmen|nahm|nahmen) sich (?:\w+ ){0,2}zeit|exceed\w* (?:\w+ ){0,2}expectations|"
        r"(?:übertraf|übertrafen|übertrifft|übertroffen) (?:\w+ ){0,3}erwartungen|"
        r"erwartungen (?:\w+ ){0,3}(?:übertroffen|erfüllt)|"
        r"(?:eröffnet|eröffnen|eröffnete|eröffneten) (?:\w+ ){0,3}(?:perspektive\w*|"
        r"möglichkeit\w*|chance\w*|horizont\w*)|(?:perspektive\w*|möglichkeit\w*|chance\w*) "
        r"(?:eröffnet|eröffnen|eröffnete|eröffneten)",
        True,
    ),
    # affirmations that only look negative ("Keine Frage, …")
    ("praise", 0.0, r"keine frage|ohne frage|kein zweifel|ohne zweifel", True),
    # attributive superlatives rank, they require nothing ("die wichtigsten Formulare")
    # "Ohne zusätzliche Mittel ist das Projekt nicht fortzuführen": a precondition
    (
        "need",
        2.5,
        r"ohne (?:\w+ ){1,3}(?:ist|sind|geht|gehen|lässt|lassen|kann|können|wird|werden) "
        r"(?:\w+ ){0,5}(?:nicht|kaum|nie)",
        True,
    ),
    ("praise", 3.0, r"weiter so|macht weiter so|keep (?:it |this )?up", True),
    ("need", 0.0, r"wichtigste\w*|wesentlichste\w*|entscheidendste\w*", True),
    (
        "concern",
        3.0,
        r"ausbaufähig\w*|verbesserungsfähig\w*|verbesserungswürdig\w*|optimierungsbedürftig\w*|"
        r"luft nach oben|noch nicht optimal|nerv(?:t|en|ig\w*)|genervt|"
        r"(?:wissen|weiß|wussten|wusste) (?:\w+ ){0,3}nicht",
        True,
    ),
    ("concern", 2.5, r"hoffentlich (?:\w+ ){0,3}(?:nicht|kein\w*|nie)", True),
    ("concern", 2.0, r"lange(?:n)? (?:\w*zeit\w*|\w*wege|warte\w*)", True),
    (
        "praise",
        2.0,
        r"kurze(?:n)? (?:\w*wege|\w*wartezeit\w*|bearbeitungszeit\w*|reaktionszeit\w*)|"
        r"spart (?:uns |viel |eine menge )*zeit|zeitersparnis|saves? (?:us |a lot of |much )*time",
        True,
    ),
    # "when we need it", "wenn wir sie brauchen": a condition, not a need
    (
        "need",
        0.0,
        r"(?:when|if|whenever) (?:we|you|they|i|one) (?:really )?need\w*|"
        r"(?:wenn|falls|sobald) (?:wir|man|sie|es|ihr) (?:\w+ )?(?:brauch\w*|benötig\w*)",
        True,
    ),
    ("concern", 3.0, r"leider|unfortunately|schade", True),
    # change for the better / for the worse ("Wartezeiten sind spürbar kürzer geworden")
    (
        "praise",
        3.0,
        r"(?:deutlich|spürbar|merklich|erheblich|sichtbar|stark) verbessert|"
        r"(?:hat|haben|hatte|hatten) sich (?:\w+ ){0,6}(?:verbessert|verkürzt|eingespielt|"
        r"stabilisiert|entspannt)|(?:kürzer|besser|schneller|einfacher|leichter|"
        r"übersichtlicher|stabiler|ruhiger) geworden|(?:deutlich|spürbar|merklich|erheblich|"
        r"sichtbar) (?:kürzer|besser|schneller|einfacher|häufiger|öfter|stärker genutzt)",
        True,
    ),
    (
        "concern",
        3.0,
        r"(?:länger|schlechter|schwieriger|komplizierter|unübersichtlicher|langsamer) geworden|"
        r"verschlechter\w*",
        True,
    ),
    # ------------------------------------------------------------------ wish
    (
        "wish",
        3.0,
        r"(?:wäre|wären|würde|würden|fände|fänden|fänd)(?: es)?(?: \w+)?(?: \w+)? " + _ADJ_NICE,
        True,
    ),
    ("wish", 3.0, _ADJ_NICE + r" wäre(?:n)?", True),
    ("wish", 3.0, r"würde(?:n)? (?:uns |mich |es )?(?:sehr |riesig )?freuen", True),
    (
        "wish",
        3.0,
        r"würde(?:n)? (?:uns |mir |allen )?(?:sehr |viel |enorm )?(?:helfen|entlasten)",
        True,
    ),
    ("wish", 3.0, r"\w*wünsch\w*", True),
    ("wish", 3.0, r"\w*wunsch\w*", True),
    (
        "wish",
        2.5,
        r"(?:schlagen|schlägt|schlug|schlugen)(?: \w+){0,3} vor|vorgeschlagen|\w*vorschlag\w*",
        True,
    ),
    ("wish", 2.5, r"(?:regen|regt|regten)(?: \w+)? an|angeregt|anregung\w*", True),
    ("wish", 2.5, r"(?:gerne|gern) (?:noch )?(?:mehr|öfter|häufiger|regelmäßig\w*)", True),
    ("wish", 2.5, r"empfehl\w*|empfohlen|empfiehlt", True),
    ("wish", 2.5, r"forder\w*|gefordert|forderung\w*|plädier\w*|appellier\w*", True),
    ("wish", 2.0, r"sollte|sollten|sollen|soll|sollt", False),
    ("wish", 2.0, r"möchte|möchten|hätten gern|hätten gerne|hätte gern|hätte gerne", True),
    ("wish", 2.0, r"bitte", True),
    ("wish", 3.0, r"wie wäre es mit|wie wärs mit", True),
    (
        "wish",
        2.5,
        r"überlegenswert|prüfenswert|erwägenswert|bedenkenswert|denkbar(?: wäre\w*)?|"
        r"ließe(?:n)? sich|es gilt|gilt es|"
        r"(?:sprach|sprachen|spricht|sprechen) sich (?:\w+ ){0,3}für",
        True,
    ),
    (
        "wish",
        2.0,
        r"gibt es (?:eine |keine )?möglichkeit|ist es möglich|wäre es möglich|"
        r"kann man|könnte man|können wir|könnten wir|warum nicht",
        True,
    ),
    ("wish", 1.5, r"könnte|könnten|würde|würden|wäre|wären", True),
    ("wish", 1.5, r"wir hoffen|hoffen wir|hoffentlich|hoffe", True),
    ("wish", 1.5, r"idee\w*", True),
    ("wish", 1.2, r"wollen|will", False),
    (
        "wish",
        1.2,
        r"verbesser\w*|besser\w*|schneller\w*|kürzere\w*|frühere\w*|einfachere\w*",
        False,
    ),
    ("wish", 1.2, r"ausbau\w*|ausgebaut|erweiter\w*|vereinfach\w*|stärker", False),
    ("wish", 1.0, r"lösung\w*|ansatz", False),
    # English
    ("wish", 3.0, r"(?:would|we'd|i'd) (?:like|love|appreciate|prefer)|wish\w*", True),
    (
        "wish",
        3.0,
        r"(?:would|could) be (?:\w+ )?(?:nice|great|good|helpful|useful|better|ideal)",
        True,
    ),
    ("wish", 2.5, r"suggest\w*|recommend\w*|propos\w*", True),
    (
        "wish",
        2.0,
        r"should|please|hope|why not|consider\w*|let's|let us|(?:can|could) (?:we|you|there|i)",
        True,
    ),
    ("wish", 1.5, r"could|would|maybe|perhaps|might|next time|in (?:the )?future", True),
    ("wish", 1.2, r"improve\w*", False),
    # ------------------------------------------------------------------ need
    ("need", 3.0, r"\w*bedarf(?:e|en)?|bedarf es|bedürf\w*", True),
    ("need", 2.5, r"brauch\w*|bräuchte\w*|benötig\w*|gebraucht|vonnöten", False),
    (
        "need",
        2.5,
        r"erforderlich\w*|notwendig\w*|nötig\w*|unerlässlich|unabdingbar|unverzichtbar|"
        r"überfällig|unumgänglich",
        False,
    ),
    ("need", 2.0, r"es fehlt|fehl(?:t|en|te|ten)|mangelt|mangel an|vermiss\w*", False),
    ("need", 2.0, r"voraussetzung\w*|angewiesen|dringend\w*|zwingend", False),
    ("need", 1.5, r"muss|müssen|musste|müssten|müsste", False),
    ("need", 1.5, r"wichtig\w*|wesentlich\w*|entscheidend\w*", False),
    ("need", 2.0, r"erwarte\w*|erwartung\w*|expect\w*", False),
    # English
    ("need", 2.5, r"need\w*|requir\w*|necessary|essential|lack\w*|missing", False),
    ("need", 1.5, r"must|have to|important", False),
    # ------------------------------------------------------------------ praise
    (
        "praise",
        3.0,
        r"gute(?:n)? noten|lob|lobt\w*|lobe\w*|gelobt\w*|lobend\w*|hervorgehoben",
        False,
    ),
    (
        "praise",
        3.0,
        r"(?:nicht|kaum|kein\w*) besser\w*|besser (?:geht|ging) es (?:nicht|kaum)",
        True,
    ),
    (
        "praise",
        3.0,
        r"ohne \w+(?: \w+){0,8} (?:gewesen|geschafft|hinbekommen|geklappt|gewusst|gekonnt)",
        True,
    ),
    ("praise", 3.0, r"weiterempf\w*|weiterzuempfehlen", True),
    (
        "praise",
        3.0,
        r"(?:kein|keine|keinerlei) (?:probleme?|schwierigkeiten|beschwerden|kritik)",
        True,
    ),
    (
        "praise",
        2.5,
        r"zufrieden\w*|begeister\w*|bewährt\w*|gelungen\w*|erfolgreich\w*|hervorragend\w*|"
        r"ausgezeichnet\w*|exzellent\w*|bereicher\w*|wertvoll\w*|vorbildlich\w*|"
        r"dank\w*|bedank\w*",
        False,
    ),
    (
        "praise",
        2.0,
        r"hilfreich\w*|positiv\w*|toll\w*|super|klasse|prima|spitze|gefäll\w*|gefiel\w*|"
        r"zugewandt\w*|respektvoll\w*|empathisch\w*|kundenorientiert\w*|kundenfreundlich\w*|"
        r"serviceorientiert\w*|geduldig\w*|tadellos\w*|eingespielt\w*|spaß|inspirier\w*|anregend\w*|spannend\w*|informativ\w*|"
        r"kurzweilig\w*|effizient\w*|effektiv\w*|unkompliziert\w*|unbürokratisch\w*|zügig\w*|"
        r"hilfsbereit\w*|herzlich\w*|bestens|perfekt\w*|beeindruck\w*|gelohnt|lohnt|lohnend\w*|"
        r"gelingt|gelingen|gelang|freut uns|freuen uns über|(?:gute|tolle|super|prima) idee|"
        r"gefallen|geschätzt|top|schätz\w*|begrüß\w*|überzeug\w*|gewinnbringend\w*|"
        r"funktioniert gut|läuft gut|klappt(?: gut)?|reibungslos\w*|kompetent\w*|engagiert\w*|"
        r"freundlich\w*|verständlich\w*|übersichtlich\w*|gerne|gern|profitier\w*|"
        r"angenehm\w*|motiviert\w*|hochmotiviert\w*|hochkompetent\w*|hochwertig\w*|"
        r"gewinn|wertschätz\w*|professionell\w*|gut organisiert|"
        r"gut strukturiert|gut vorbereitet|lehrreich\w*|aufschlussreich\w*|fortschritt\w*|"
        r"gewürdigt|würdigte\w*|würdigen|anerkennend\w*|\w*mehrwert|highlight\w*|"
        r"vorzeige\w*|leuchtturm\w*|großartig\w*|praxistauglich\w*|alltagstauglich\w*|"
        r"praxisgerecht\w*|bedarfsgerecht\w*|passgenau\w*|maßgeschneidert\w*|"
        r"richtige\w* (?:richtung|weg|schritt|ansatz)|stolz|vertrauensvoll\w*|ernst genommen",
        False,
    ),
    (
        "praise",
        1.5,
        r"gut|gute|guter|gutes|guten|gutem|sehr gut\w*|hilft|helfen|geholfen|erfolg\w*",
        False,
    ),
    (
        "praise",
        1.0,
        r"ausreichend\w*|genug|schnell|schnelle[nmrs]?|praxisnah\w*|flexibel\w*|interessant\w*"
        r"|offen|konstruktiv\w*|intuitiv\w*|"
        r"einfach\w*|verlässlich\w*|zuverlässig\w*|erreichbar|nützlich\w*|sinnvoll\w*|"
        r"funktionier\w*|anerkennung|nachvollziehbar|strukturiert|transparent|"
        r"beschleunigt|beschleunigen|erleichtert|erleichtern|entlastet",
        False,
    ),
    # English
    (
        "praise",
        2.5,
        r"great|excellent|praised|appreciat\w*|satisfied|thank\w*|impressive|outstanding|"
        r"fantastic|wonderful|amazing|brilliant|superb|perfect\w*|inspir\w*|insightful|"
        r"success\w*|proven",
        False,
    ),
    (
        "praise",
        2.0,
        r"good|helpful|useful|well organi[sz]ed|work(?:s|ed|ing)? (?:really |very |so )?well|"
        r"happy with|liked|loved|love the|love how|well[- ](?:\w+ed|done|run|made)|"
        r"enjoy\w*|valuable|(?:much|far|a lot|so much) (?:easier|better|faster|clearer|simpler)|"
        r"easy to|user[- ]friendly|intuitive|effective\w*|efficient\w*|supportive|supported|"
        r"informative|engaging|relevant|practical|professional\w*|friendly|smooth\w*|"
        r"benefit\w*|work(?:s|ed|ing)? (?:\w+ ){0,2}well",
        False,
    ),
    ("praise", 1.0, r"enough|sufficient|clear|clearly", False),
    # ------------------------------------------------------------------ concern
    (
        "concern",
        3.0,
        r"\w*problem\w*|kritisier\w*|bemängel\w*|beklag\w*|beschwer\w*|"
        r"\w*kritik|kritisch\w*",
        False,
    ),
    (
        "concern",
        3.0,
        r"(?:zu|viel zu|deutlich zu|zu) (?:lang|lange|langsam|kurz|spät|früh|viel|viele|wenig|"
        r"wenige|hoch|hohe|hohen|gering|geringe|kompliziert|komplex|aufwendig|aufwändig|"
        r"teuer|klein|groß|selten|oft|voll|bürokratisch|theoretisch|allgemein|abstrakt)\w*",
        False,
    ),
    (
        "concern",
        2.5,
        r"schwierig\w*|schwer|schwere\w*|schwerer|erschwer\w*|\w*hürde\w*|herausforder\w*|"
        r"sorge|sorgen(?! für| dafür)|besorg\w*|bedenk\w*|"
        r"befürcht\w*|gefahr\w*|gefährd\w*|\w*risik\w*|riskant\w*|überlast\w*|überfordert\w*|"
        r"überforderung|belastung\w*|belastet|belastend|frustrier\w*|ärger\w*|schade|"
        r"unzufrieden\w*|enttäusch\w*|\w*mangel|mangelhaft\w*|unzureichend\w*|"
        r"ungenügend\w*|schlecht\w*|fehlerhaft\w*|unklar\w*|unübersichtlich\w*|"
        r"unverständlich\w*|umständlich\w*|chaotisch\w*|hakt|hapert|stockt|\w*engpass\w*|"
        r"\w*wartezeit\w*|verzöger\w*|\w*stau|hängen gelassen|allein gelassen|alleingelassen|"
        r"nachteil\w*|defizit\w*|lücke\w*|widersprüchlich\w*|intransparent\w*|unsicher\w*|"
        r"unnötig\w*|übersteigt|übersteigen|höher als|größer als|veraltet\w*|unvollständig\w*|"
        r"unzumutbar\w*|unpraktisch\w*|unflexibel\w*|unattraktiv\w*|unbefriedigend\w*|"
        r"ungeeignet\w*|ungerecht\w*|unzuverlässig\w*|unbrauchbar\w*|unerreichbar\w*|"
        r"unkoordiniert\w*|knapp\w*|fluktuation\w*|kämpf\w*|abgehängt|ausgebucht|"
        r"\w*mängel\w*|untauglich\w*|unstrukturiert\w*|unterbesetz\w*|\w*überstunden|personalnot|\w*belastung\w*|\w*hemmnis\w*|\w*schwachstelle\w*|\w*engpäss\w*|"
        r"hinderlich\w*|hemmend\w*|fehlende[nrsm]?|mangelnde[nrsm]?|zeitdruck|arbeitsdruck|"
        r"termindruck|leistungsdruck|krankenstand\w*|doppelstruktur\w*|doppelarbeit\w*|"
        r"reibungsverlust\w*|fragwürdig\w*|warn\w*|abgestürzt|absturz\w*|"
        r"(?:stürzt|stürzen|stürzte|stürzten) (?:\w+ ){0,3}ab",
        False,
    ),
    ("concern", 1.5, r"kaum|wenig|wenige|weniger als|niemand|nirgends|selten", True),
    ("concern", 1.0, r"keine|keinen|keiner|keinem", True),
    (
        "concern",
        1.5,
        r"bürokrat\w*|\w*aufwand|aufwändig|aufwendig|dauert|dauern|"
        r"\w*unterbrechung\w*|\w*störung\w*|"
        r"nicht bekannt|unbekannt|nicht klar|nicht alle|immer noch|nach wie vor|nie|keine zeit|"
        r"warum|wieso|weshalb|ausfall\w*|fallen aus|fällt aus|verloren",
        True,
    ),
    # English
    ("concern", 3.0, r"problem\w*|issue\w*|unfortunately|too \w+", False),
    (
        "concern",
        2.5,
        r"difficult\w*|concern\w*|worr\w*|confus\w*|unclear|poor\w*|bad|frustrat\w*|"
        r"overload\w*|overwhelm\w*|complain\w*|delay\w*|barriers?|risk\w*|"
        r"obstacle\w*|bottleneck\w*|shortage\w*|struggl\w*|burden\w*|turnover|"
        r"inadequate\w*|insufficient\w*|excessive\w*|rushed|slow\w*|overburden\w*|"
        r"overworked|understaff\w*|losing|lose|lost|fail\w*|broken|crashes|crashed|crashing",
        False,
    ),
    ("concern", 1.5, r"why|hardly|still", True),
]

#: Section headings that make a statement lean towards a kind (searched in the heading).
SECTION_CUES: list[tuple[str, str]] = [
    (
        "need",
        r"\w*bedarf\w*|\w*bedürfnis\w*|anforderung\w*|was (?:wir|es) braucht|was fehlt|"
        r"voraussetzung\w*|needs?|requirements?",
    ),
    (
        "wish",
        r"\w*wünsche?|\w*wunsch\w*|anregung\w*|\w*vorschl\w*|ideen|empfehlung\w*|"
        r"verbesserung\w*|ausblick|perspektive\w*|nächste schritte|wishes|suggestions?|ideas",
    ),
    (
        "praise",
        r"lob|gute(?:n)? noten|positiv\w*|^stärken\b|was (?:lief|läuft|war) gut|gelungen\w*|"
        r"erfolg\w*|good practice|best practice|praise|strengths|what went well",
    ),
    (
        "concern",
        r"kritik\w*|\w*problem\w*|herausforderung\w*|schwierigkeit\w*|risik\w*|sorgen|"
        r"hürde\w*|hemmnis\w*|negativ\w*|stolperstein\w*|"
        r"was (?:lief|läuft|war) (?:schlecht|nicht gut)|"
        r"schwachstelle\w*|schwächen|concerns?|issues|challenges|problems",
    ),
]

#: Words that negate the cue after them (within three words, same clause).
NEGATORS = (
    r"nicht|wenig|kein|keine|keinen|keiner|keinem|keines|nie|niemals|nirgends|kaum|"
    r"not|no|never|\w+n't|\w+n’t|cannot|hardly|nichts|nix|nothing|ohne|without"
)
#: Contrast markers: the clause after the last one decides.
CONTRAST = (
    r"aber|jedoch|allerdings|sondern|trotzdem|dennoch|nur leider|but|however|although|"
    r"(?<=, )doch|(?<=, )nur|wobei|dagegen|hingegen|wohingegen"
)
#: Subjunctive (Konjunktiv II) and English conditional markers.
SUBJUNCTIVE = r"wäre|wären|würde|würden|könnte|könnten|hätte|hätten|fände|fänden|would|could"
#: Marks a counterfactual past ("wäre … gewesen", "hätte … können"): praise/concern, not wish.
COUNTERFACTUAL = r"gewesen|geworden|gekonnt|können|have been|have"
#: Infinitives that, closing a verbless fragment, state a goal ("Videoberatung einführen").
GOAL_VERBS = (
    r"einführen|ausbauen|anbieten|schaffen|verbessern|stärken|ermöglichen|vereinfachen|"
    r"erweitern|prüfen|einrichten|entwickeln|abbauen|reduzieren|verkürzen|beschleunigen|"
    r"fördern|sichern|klären|festlegen|etablieren|bereitstellen|nutzen|überarbeiten|anpassen|"
    r"vernetzen|bündeln|aufbauen|gewinnen|erhöhen|senken|vereinheitlichen|digitalisieren|"
    r"einbinden|beteiligen|informieren|regeln|überprüfen|zusammenführen|verstetigen|fortsetzen"
)


#: Verbs of remedy: a concern word they govern names a target, not a complaint
#: ("Um die Belastung zu senken, …", "Die Wartezeiten müssen sinken").
REMEDY_VERBS = (
    r"senken|gesenkt|sinken|reduzieren|reduziert|abbauen|abgebaut|verringern|verringert|"
    r"verkürzen|verkürzt|vermeiden|vermieden|verhindern|verhindert|minimieren|beseitigen|"
    r"beseitigt|beheben|behoben|lösen|gelöst|bekämpfen|entgegenwirken|entgegenzuwirken|"
    r"abzubauen|reduce|reduced|avoid|prevent|solve|solved|tackle|address|fix|fixed"
)

#: Heads of nouns naming something good to have more of ("Kundenzufriedenheit").
GOOD_QUANTITIES = (
    r"zufriedenheit|motivation|qualität|quote|akzeptanz|beteiligung|teilnahme|resonanz|"
    r"vermittlung|vermittlungen|integration|integrationen|engagement|vertrauen|"
    r"transparenz|erreichbarkeit|wertschätzung|kompetenz|kompetenzen|satisfaction|motivation|"
    r"quality|participation|engagement|uptake|attendance"
)
#: Heads of nouns naming something bad to have more of ("Krankenstand", "Wartezeiten").
BAD_QUANTITIES = (
    r"krankenstand|fehlzeiten|fluktuation|belastung|wartezeit|wartezeiten|bearbeitungszeit|"
    r"bearbeitungszeiten|aufwand|rückstand|rückstände|rückstau|widerspruch|widersprüche|"
    r"beschwerde|beschwerden|abbruch|abbrüche|abbrecher|fallzahl|fallzahlen|überstunden|"
    r"fehler|kosten|arbeitslosigkeit|turnover|backlog|complaints|waiting times?|workload"
)
#: Words saying a quantity is high or has grown …
UP_WORDS = (
    r"hoch|höher|sehr hoch|gestiegen|steigt|steigen|stieg|stiegen|gesteigert|erhöht|"
    r"zugenommen|nimmt zu|nehmen zu|gewachsen|wächst|wachsen|verdoppelt|rose|risen|increased|"
    r"grown|high|higher"
)
#: … or low or has shrunk.
DOWN_WORDS = (
    r"niedrig|gering|geringer|gesunken|sinkt|sinken|sank|sanken|zurückgegangen|"
    r"geht zurück|gehen zurück|reduziert|verringert|abgenommen|nimmt ab|nehmen ab|halbiert|"
    r"abgebaut|fell|fallen|dropped|decreased|reduced|low|lower"
)


def umlaut_pattern(pattern: str) -> str:
    """Let ``ä ö ü ß`` in ``pattern`` also match the transliterations ``ae oe ue ss``."""
    for char, alt in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        pattern = pattern.replace(char, f"(?:{char}|{alt})")
    return pattern


class LazyPattern:
    """A regular expression compiled on first use (importing the package compiles nothing).

    ``pattern`` and ``flags`` are known at once; the first call of a matching method
    compiles the pattern and binds the compiled pattern's methods to the instance, so
    later calls cost what calls on a compiled pattern cost.
    """

    _METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "split")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> object:
        # only called for attributes not set yet: compile, then bind the methods
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        self.compiled = compiled
        for method in self._METHODS:
            setattr(self, method, getattr(compiled, method))
        self.groupindex = compiled.groupindex
        return getattr(self, name) if name in self.__dict__ else getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"


def compile_words(pattern: str) -> LazyPattern:
    """An alternation as whole words, case-insensitive, umlaut-tolerant (compiled lazily)."""
    return LazyPattern(rf"(?<!\w)(?:{umlaut_pattern(pattern)})(?!\w)", re.IGNORECASE)
