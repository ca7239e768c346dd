"""German and English stop words for :mod:`workshop_analysis.suggest` (private).

Three groups, all lower case and written with umlauts (the suggester also checks the
transliterated spelling, so ``fuer`` is dropped like ``für``):

* German function words (articles, pronouns, prepositions, conjunctions, auxiliaries,
  modal verbs and common adverbs);
* English function words;
* *feedback words*: the vocabulary of needs, wishes, praise and criticism ("wünschen",
  "gelobt", "problematisch", "Teilnehmende") — they say what kind a statement is (see
  :mod:`workshop_analysis.kinds`), not what it is about, so they make poor codes.

The suggester compares both the surface form and the lemma (simplemma's base form, lower
case) with these lists, so one entry per lemma is enough for new words ("wünschen" also
drops "gewünscht"); umlauts are never folded ("fordern" here would not drop "fördern").
"""

from __future__ import annotations

_GERMAN = """
ab aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
anderes anderm andern anders auch auf aus außer bei beide beiden beim bereits besonders
bin bis bisher bist bitte bzw da dabei dadurch dafür dagegen daher dahin damals damit
danach dann daran darauf daraus darin darüber darum darunter das dass davon davor dazu
dein deine deinem deinen deiner dem den denen denn dennoch der deren derer des deshalb
dessen dich die dies diese diesem diesen dieser dieses dir doch dort du durch eben ebenfalls
ebenso eher eigene eigenen eigener eigenes eigentlich ein eine einem einen einer eines
einige einigen einiger einiges einmal er es etc etwa etwas euch euer eure für gab ganz
ganze ganzen gar gegen gegenüber gewesen gibt ging gleich gleichzeitig hab habe haben hat
hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer
in indem ins insbesondere ist ja je jede jedem jeden jeder jedes jedoch jetzt kann kannst
kaum kein keine keinem keinen keiner keines können könnte könnten konnte konnten machen
macht man manche manchen mancher manches mehr mein meine meinem meinen meiner meist
meisten mich mir mit möchte möchten muss müssen musste müsste müssten nach nachdem nicht
nichts noch nun nur ob oder ohne oft schon sehr sei seien sein seine seinem seinen seiner
seines seit selbst sich sie sind so sobald sodass solche solchem solchen solcher sollen
sollte sollten sollen somit sondern sowie sowohl statt teils über überhaupt um und uns
unser unsere unserem unseren unserer unter usw viel viele vielen vieler vom von vor
vorher wann war waren wäre wären warum was weil weiter weitere weiteren weiterer weiteres
welche welchem welchen welcher welches wenn wenig wenige wer werde werden wie wieder will
wir wird wirklich wo wobei wohl wollen worden wurde wurden würde würden z.b zb zu zum zur
zwar zwischen ca ggf inkl bzw. d.h dh u.a ua usw. vgl sowie bereits jeweils dabei derzeit
zudem hierzu hierbei hierfür darüber insgesamt teilweise bislang zunächst künftig zukünftig
heute morgen gestern neu neue neuen neuer neues gut gute guten guter gutes groß große
großen großer hoch hohe hohen höher stärker häufig gerade genau eher zusätzlich weniger
erste ersten erster erstes erstem zweite zweiten dritte dritten letzte letzten letzter letztes
nächste nächsten nächster nächstes jahr jahre jahren jahres mal seite
"""

_ENGLISH = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
get got make made many much also really still even well like new good great
throughout within without beyond across along although though whereas however hence
therefore meanwhile otherwise instead rather almost already always never often
"""

_FEEDBACK = """
wunsch wünsche wünschen wünscht wünschten gewünscht wünschenswert wunsches
bedarf bedarfe brauchen braucht benötigen benötigt fehlt fehlen mangelt notwendig nötig
erforderlich wichtig wichtige wichtigen lob loben lobten lobt gelobt problem probleme
problematisch schwierig schwierige schwierigkeiten kritik kritisch kritisiert leider
hilfreich zufrieden positiv positive negativ beispiel beispielsweise teilnehmende
teilnehmenden teilnehmer teilnehmerinnen workshop workshops thema themen frage fragen
möglichkeit möglichkeiten bereich bereiche aspekt aspekte punkt punkte
should need needs wish wishes problem problems issue issues helpful participants
toll super schön prima klasse gelungen spannend interessant gefallen finden fand
lob loben mangel mangeln fehlen kritisieren anregung vorschlag vorschläge hinweis
rückmeldung feedback teilnehmerin teilnehmend veranstalter workshop-teilnehmende
sollen müssen können dürfen wollen mögen sagen geben gehen kommen lassen sehen stehen
bleiben bringen halten nehmen liegen finden stellen zeigen wissen denken glauben
besser schlecht viel wenig ganz sehr stark klar einfach richtig wirklich eigentlich
sinnvoll gern gerne insgesamt allgemein jeweils art weise dinge ding sache sachen
want wants wanted wish like liked love loved enjoy enjoyed appreciate appreciated
important great good better best nice excellent useful awesome amazing fantastic
bad worse concern concerns suggestion suggestions feedback comment comments
workshop workshops participant attendee attendees thing things lot lots way ways bit
kind sort think thought feel felt find found say said get go take use used seem
would could might must may shall overall really quite able sure definitely maybe
perhaps pretty lot little less least next last first second one two three
thank thanks try keep work idea day beginning interesting glad happy hard easy
idee anfang ende fordern forderung forderungen
angebot angebote veranstaltung veranstaltungen tagung konferenz event events
conference meeting
schwäche schwächen stärke stärken verbesserung verbesserungen verbesserungsvorschlag
verbesserungsvorschläge kritikpunkt lob
"""

#: All stop words, lower case, with umlauts.
STOP_WORDS: frozenset[str] = frozenset((_GERMAN + _ENGLISH + _FEEDBACK).split())
