"""Draft concrete titles for action items from the statements that support them.

Rule (German and English):

1. **Most representative statement.** Each supporting statement is reduced to its content
   lemmas (``simplemma``; stop words removed). A lemma weighs the number of *other*
   supporting statements that contain it, plus 2 if it occurs in the code's label. The
   statement with the highest weight per word (``sum / (1 + 0.05 * words)``) is the most
   representative; ties go to the earlier statement. Statements of the item's own kind
   group come first (needs, wishes, concerns for an action; praise for a "keep" item).
2. **Key phrase.** The statement is cut into clauses (``.;:!?``, ``=>``, dashes; text in
   parentheses is dropped; "u.a.", "z.B." do not end a clause) and the clause with the
   highest lemma weight is kept. Reporting frames are stripped ("Hier wünschen sie sich
   u.a. …", "Eine Lösung könnten …", "We should …", "They suggested …", "need to …"), and
   so is a trailing auxiliary ("… sein"). A German modal sentence becomes an infinitive, as
   action lists are written ("Die Sträucher sollen geschnitten werden" → "Sträucher
   schneiden"), unless its subject is a pronoun or acts on a second noun. A clause of at
   most 9 words with two content words or more is the title (without a leading article or
   quantifier). A longer German clause gives its key **noun phrase**: adjectives + noun(s),
   coordinated nouns ("Personal- und Bedarfsplanung") and up to two attached prepositional
   or genitive phrases ("von Theorie und Praxis"), the phrase of two content words or more
   with the highest lemma weight (none: the label); a phrase after "trotz", "statt" … is
   not what the statement is about and is skipped. A longer English clause is cut before
   its first subordinate clause (", so", "because", "which", …) and after 12 words. For
   praise ("keep" items) the title is what is praised: the key noun phrase (German) or the
   words before the first verb (English).
3. **Fallback.** A phrase with fewer than two content words gives way to the code label,
   and so does a phrase that shares a content word with the label while the label has
   more of them (the label then says the same point more completely).
4. **Facets.** The other statements the title may be drawn from add up to three points in
   brackets, one per statement: the word the item's keywords matched there (whole word),
   else a noun of the matched part that sets the item apart (at least half of its
   occurrences in the workshop are in this item; English nouns must be shared by two of
   the item's statements, as English has no capitals to mark them). A facet never
   repeats a word of the title, another facet or an owner's name, and vague words
   ("Maßnahme", "Lösung", "issue") and verbs are skipped ("ÖPNV verbessern (Anbindungen,
   Taktung)"). The rationale names the statements they come from.

No model is downloaded: ``simplemma`` ships its dictionaries inside the package.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from functools import lru_cache


def _wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (for long word lists)."""
    return frozenset(text.split())


#: German articles (dropped at the start of a title; also stop words).
_DET = frozenset(
    ["der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen"]
)

_STOP: dict[str, frozenset[str]] = {
    "de": _DET
    | frozenset(
        [
            "und",
            "oder",
            "sowie",
            "mit",
            "für",
            "von",
            "zu",
            "zur",
            "zum",
            "im",
            "in",
            "am",
            "an",
            "auf",
            "je",
            "bei",
            "über",
            "unter",
            "aus",
            "als",
            "auch",
            "nicht",
            "sich",
            "vor",
            "nach",
            "ist",
            "sind",
            "war",
            "waren",
            "wird",
            "werden",
            "wurde",
            "wurden",
            "sein",
            "hat",
            "haben",
            "hatte",
            "es",
            "sie",
            "er",
            "wir",
            "ich",
            "ihr",
            "man",
            "dass",
            "daß",
            "so",
            "da",
            "hier",
            "dabei",
            "dazu",
            "daher",
            "u.a",
            "ua",
            "a",
            "etwa",
            "z.b",
            "zb",
            "bzw",
            "etc",
            "noch",
            "nur",
            "schon",
            "sehr",
            "viel",
            "viele",
            "alle",
            "allen",
            "aller",
            "mehr",
            "weniger",
            "wie",
            "was",
            "wer",
            "wo",
            "ob",
            "wenn",
            "weil",
            "aber",
            "doch",
            "bis",
            "um",
            "können",
            "kann",
            "könnte",
            "könnten",
            "sollte",
            "sollten",
            "soll",
            "sollen",
            "muss",
            "müssen",
            "wünschen",
            "wünscht",
            "sich",
            "gibt",
            "gab",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "a",
            "an",
            "and",
            "or",
            "of",
            "for",
            "to",
            "in",
            "on",
            "at",
            "with",
            "by",
            "from",
            "as",
            "be",
            "is",
            "are",
            "was",
            "were",
            "been",
            "being",
            "it",
            "its",
            "this",
            "that",
            "these",
            "those",
            "there",
            "their",
            "they",
            "we",
            "our",
            "us",
            "you",
            "your",
            "he",
            "she",
            "his",
            "her",
            "i",
            "me",
            "my",
            "so",
            "if",
            "but",
            "not",
            "no",
            "some",
            "any",
            "all",
            "very",
            "much",
            "more",
            "most",
            "less",
            "also",
            "just",
            "than",
            "then",
            "into",
            "about",
            "over",
            "after",
            "before",
            "which",
            "who",
            "whom",
            "what",
            "when",
            "where",
            "why",
            "how",
            "would",
            "could",
            "should",
            "can",
            "will",
            "shall",
            "may",
            "might",
            "must",
            "do",
            "does",
            "did",
            "have",
            "has",
            "had",
        ]
    ),
}

_FRAMES: dict[str, tuple[str, ...]] = {
    "de": (
        r"(?<!\w)(?:wünschen|wünscht|wuenschen)\s+(?:sie\s+|die\s+\w+\s+)?sich\s+"
        r"(?:u\.\s?a\.\s+|unter anderem\s+|vor allem\s+)?",
        r"^(?:hier|auch|dabei|so|daher|zudem|außerdem|ausserdem)\s+",
        r"^(?:eine\s+)?lösung\s+(?:könnte|könnten|wäre|wären)\s+",
        r"^dass\s+",
        r"^es\s+(?:wurde|fehlte|fehlt)\s+",
    ),
    "en": (
        r"^(?:one of the key take-home lessons is that|it was very clear that|"
        r"in retrospect,?|finally,?|also,?|as per usual,?|maybe|perhaps)\s+",
        r"^(?:we|they|users|participants|the new instructors|new instructors|instructors)\s+"
        r"(?:should(?: always)?|suggested|wanted|need|needs|thought|emphasized(?: the need to)?"
        r"|would benefit from)\s+",
        r"^(?:explore the possibility of|some means by which to)\s+",
        r"^(?:\w+\s+){0,6}?how (?:important|critical|essential) it is\s+(?:for\s+|to\s+)?",
        r"^(?:it is|is)\s+(?:important|critical|essential)\s+(?:for\s+\w+\s+)?to\s+",
        r"^(?:need|needs|have|has)\s+to\s+",
    ),
}
_SUBCLAUSE = re.compile(
    r",\s*(?:so|because|which|when|while|though|although|but|except|however|um|weil|da|"
    r"damit|wenn|die|der|das)\b|\s+(?:because|so that|which|when|while|though)\s+",
    re.I,
)
_CLAUSE = re.compile(
    r"\s*(?:(?<!\b\w)(?<!\bca)(?<!\bbzw)(?<!\betc)(?<!\bvgl)(?<!\bNr)[.;:!?…]+(?:\s|$)"
    r"|=>|->|\s[–—]\s)\s*"
)
_PAREN = re.compile(r"\s*\([^)]*\)")
_TOKEN = re.compile(r"[^\W\d_][\w.]*(?:-[\w]+)*-?|\d+(?:[.,]\d+)?|[^\w\s]")
_TRAILING_AUX = {
    "de": r"\s+sein$",
    "en": r"\s+(?:would be (?:greately |greatly )?appreciated)$",
}
_VERB_EN = re.compile(
    r"\s+(?:is|are|was|were|worked|went|has|have|had|provided|proved|helped|made|feels|felt|"
    r"seems|seemed|ran|runs)\b|,",
    re.I,
)
_QUANT = {
    "jede",
    "jeder",
    "jedes",
    "jedem",
    "jeden",
    "alle",
    "allen",
    "viele",
    "vielen",
    "einige",
    "keine",
    "kein",
    "diese",
    "dieser",
    "dieses",
    "ihre",
    "ihrer",
    "seine",
    "unsere",
}
#: Negations: never stripped from a title ("keine hohen Einfriedungen zulassen" must not
#: become "Hohen Einfriedungen zulassen").
_NEG = frozenset({"kein", "keine", "keinen", "keiner", "keinem", "keines", "nicht", "no", "not"})
#: Prepositions whose noun phrase is not what a statement is about ("trotz des
#: Zwischenfalls", "statt Buden", "despite the rain").
_CONCESSIVE = frozenset({"trotz", "statt", "anstatt", "anstelle", "außer", "despite", "instead"})
_ADJ_END = re.compile(r"(?:e|en|er|es|em|ere|eren|erer)$")
_ADV_END = re.compile(r"(?:ig|lich|isch)$")
_LINK = {"und", "oder", "sowie", "/", ","}
_PREP = {
    "zu",
    "durch",
    "für",
    "von",
    "zwischen",
    "zur",
    "zum",
    "im",
    "in",
    "der",
    "des",
    "mit",
    "bei",
    "am",
    "an",
    "auf",
    "über",
    "vom",
}


@lru_cache(maxsize=20000)
def _lemma(word: str, lang: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang=lang)


def content_lemmas(text: str, lang: str) -> list[str]:
    """Lower-case lemmas of the content words of ``text`` (stop words removed)."""
    return list(_content_lemmas(text, lang))


@lru_cache(maxsize=50000)
def _content_lemmas(text: str, lang: str) -> tuple[str, ...]:
    words = re.findall(r"[^\W\d_]+", text)
    stop = _STOP[lang]
    out = []
    for w in words:
        if w.casefold() in stop or len(w) < 2:
            continue
        lemma = _lemma(w, lang).casefold()
        if lemma not in stop:
            out.append(lemma)
    return tuple(out)


def _weights(texts: Sequence[str], label: str, lang: str) -> tuple[list[set[str]], Counter]:
    sets = [set(content_lemmas(t, lang)) for t in texts]
    df: Counter = Counter()
    for s in sets:
        df.update(s)
    for lemma in set(content_lemmas(label, lang)):
        df[lemma] += 2
    return sets, df


def representative(
    texts: Sequence[str], label: str, lang: str, candidates: Sequence[int] | None = None
) -> int:
    """Index of the most representative statement of ``texts`` (see module docs).

    Only the statements at ``candidates`` (default: all) may be chosen; all of ``texts``
    weigh the lemmas.
    """
    sets, df = _weights(texts, label, lang)
    allowed = set(range(len(texts)) if candidates is None else candidates)
    best, best_score = min(allowed, default=0), -1.0
    for i, (text, lemmas) in enumerate(zip(texts, sets, strict=True)):
        if i not in allowed:
            continue
        n_words = len(text.split())
        score = sum(df[lemma] - 1 for lemma in lemmas) / (1 + 0.05 * n_words)
        if score > best_score:
            best, best_score = i, score
    return best


def _strip_frames(clause: str, lang: str) -> str:
    for frame in _FRAMES[lang]:
        clause = re.sub(frame, "", clause, count=1, flags=re.I)
    return clause.strip(" ,;:-–")


_MODAL_DE = r"(?:soll|sollen|sollte|sollten|muss|müssen|müsste|müssten)"
_PASSIVE_DE = re.compile(
    rf"^(?P<subj>.+?)\s+{_MODAL_DE}\s+(?P<rest>(?:\S+\s+)*?)(?P<verb>[a-zäöüß]+)\s+"
    r"(?P<aux>werden|bleiben)$"
)
_ACTIVE_DE = re.compile(
    rf"^(?P<subj>.+?)\s+{_MODAL_DE}\s+(?P<rest>(?:\S+\s+)*?)(?P<verb>[a-zäöüß]+(?:en|ern|eln))$"
)
_PRONOUN_DE = _wordset("ich du er sie es wir ihr man das dies diese dieser jeder alle")


def _infinitive_de(clause: str) -> str:
    """A German modal sentence as an action title in the infinitive, as analysts write
    them: "Die Sträucher sollen geschnitten werden" → "Die Sträucher schneiden", "Der
    Basketballkorb soll niedriger hängen" → "Der Basketballkorb niedriger hängen",
    "Charakter des Ortes soll erhalten bleiben" → "Charakter des Ortes erhalten". Only
    when the subject is a noun phrase (not a pronoun) and, in the active, the rest names
    no second noun (then the subject is the actor: "Die Stadt soll Radwege bauen" stays).
    """
    text = clause.strip().rstrip(".!")
    passive = _PASSIVE_DE.match(text)
    active = None if passive else _ACTIVE_DE.match(text)
    found = passive or active
    if not found:
        return clause
    subj, rest, verb = found.group("subj"), found.group("rest").strip(), found.group("verb")
    subj_toks = subj.split()
    if subj_toks[0].casefold() in _PRONOUN_DE or not subj_toks[-1][:1].isupper():
        return clause
    if passive:
        lemma = _lemma(verb, "de")
        if passive.group("aux") == "werden":
            if lemma == verb or not lemma.endswith(("en", "ern", "eln")):
                return clause  # not a participle ("nutzbarer werden")
            verb = lemma
    elif any(t[:1].isupper() for t in rest.split()):
        return clause
    return " ".join(p for p in (subj, rest, verb) if p)


def _is_noun(tok: str, i: int, lang: str) -> bool:
    if not tok[:1].isalpha():
        return False
    if tok.isupper() and len(tok) > 1:
        return True  # acronym: SGB, BA, II
    if not tok[0].isupper():
        return False
    if i > 0:
        return True
    return _lemma(tok, lang)[:1].isupper() or _lemma(tok.lower(), lang)[:1].isupper()


def _noun_phrases(clause: str, lang: str) -> list[list[str]]:
    toks = _TOKEN.findall(clause)
    low = [t.casefold() for t in toks]
    nouns = [_is_noun(t, i, lang) for i, t in enumerate(toks)]
    stop = _STOP[lang]

    def adj(k: int) -> bool:
        t = low[k]
        return (
            (toks[k][:1].islower() or k == 0)
            and t not in _QUANT
            and (
                t in ("mehr", "weniger") or (t not in stop and (bool(_ADJ_END.search(t)) or k == 0))
            )
            and not t.endswith(("ieren", "eln", "ern"))
        )

    def adv(k: int) -> bool:
        return toks[k][:1].islower() and bool(_ADV_END.search(low[k])) and low[k] not in stop

    def noun_run(k: int) -> int:
        """End (exclusive) of adjectives + nouns starting at k, or k if none."""
        j = k
        while j < len(toks) and (low[j] in _DET or adj(j) or adv(j)):
            j += 1
        if j < len(toks) and nouns[j]:
            while j < len(toks) and nouns[j]:
                j += 1
            return j
        j = k  # a noun read as an adjective at the start ("Professionalität wurde …")
        while j < len(toks) and nouns[j]:
            j += 1
        return j

    phrases = []
    for k in range(len(toks)):
        if not nouns[k] or (k > 0 and nouns[k - 1]):
            continue
        start = k
        while start > 0 and (adj(start - 1) or (adv(start - 1) and start < k + 1)):
            start -= 1
        end = noun_run(k)
        # coordination: "Personal- und Bedarfsplanung", "Theorie und Praxis"
        while end < len(toks) and low[end] in _LINK:
            nxt = noun_run(end + 1)
            if nxt == end + 1:
                break
            end = nxt
        # up to two attached prepositional or genitive phrases
        for _ in range(2):
            if end >= len(toks) or low[end] not in _PREP:
                break
            nxt = noun_run(end + 1)
            if nxt == end + 1:
                break
            end = nxt
            while end < len(toks) and low[end] in _LINK:
                more = noun_run(end + 1)
                if more == end + 1:
                    break
                end = more
        while start < end and low[start] in _DET:
            start += 1
        if start > 0 and low[start - 1] in _NEG:
            start -= 1  # "keine hohen Einfriedungen"
        if start > 0 and low[start - 1] in _CONCESSIVE:
            continue  # "trotz des Zwischenfalls": not what the statement is about
        if start > 1 and low[start - 1] in _DET and low[start - 2] in _CONCESSIVE:
            continue
        phrases.append(toks[start:end])
    return phrases


def _join(tokens: Sequence[str]) -> str:
    text = ""
    for tok in tokens:
        if not text or tok in ",.;:!?)" or text.endswith(("(", "/")) or tok == "/":
            text += tok
        else:
            text += " " + tok
    return text


def _cap(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–…\"'„“”‚‘’»«")
    return text[:1].upper() + text[1:] if text else text


def key_phrase(
    text: str,
    label: str,
    lang: str,
    weights: Counter | None = None,
    *,
    thing: bool = False,
    anchors: Sequence[str] = (),
) -> str:
    """The key phrase of one statement (see module docs, step 2).

    ``anchors`` are the words the item's keywords matched in this statement: the clause
    (or, in a long comma list, the list segment) holding one of them is the candidate.

    ``thing=True`` (praise: what is to be kept) returns the noun phrase the statement
    praises rather than the whole clause.
    """
    if weights is None:
        _, weights = _weights([text], label, lang)
    body = _PAREN.sub("", text)
    clauses = [c for c in _CLAUSE.split(body) if c and c.strip()]
    if not clauses:
        return ""

    def weight(s: str) -> float:
        return sum(weights[lemma] for lemma in set(content_lemmas(s, lang)))

    clauses = _anchored(clauses, anchors or (), lang)
    clause = max(clauses, key=weight)
    clause = _strip_frames(clause.strip(), lang)
    if lang == "de":
        clause = _infinitive_de(clause)
    clause = re.sub(_TRAILING_AUX[lang], "", clause, flags=re.I).strip()
    if thing:
        if lang == "de":
            phrases = [p for p in _noun_phrases(clause, lang) if content_lemmas(" ".join(p), lang)]
            if phrases:
                best = max(phrases, key=lambda p: (weight(" ".join(p)), -len(p)))
                return _cap(_join(best[:14]))
            return label
        words = _VERB_EN.split(clause, maxsplit=1)[0].split()[:8]
        while words and words[0].casefold() in {"the", "a", "an"}:
            words.pop(0)
        while len(words) > 1 and words[-1].casefold().strip(",;:…") in _STOP[lang] - _NEG:
            words.pop()  # "… development that"
        return _cap(" ".join(words)) if words else label
    if len(clause.split()) <= 9:
        words = clause.rstrip(" .…").split()
        while words and words[0].casefold() in (_DET | _QUANT | {"the", "a", "an"}) - _NEG:
            words.pop(0)
        while len(words) > 1 and words[-1].casefold().strip(",;:…") in _STOP[lang] - _NEG:
            words.pop()  # a title does not end in a function word ("… indicate if it…")
        if len(content_lemmas(" ".join(words), lang)) >= 2:
            return _cap(" ".join(words))
    if lang == "de":
        phrases = [p for p in _noun_phrases(clause, lang) if p]
        phrases = [p for p in phrases if len(content_lemmas(" ".join(p), lang)) >= 2]
        if phrases:
            best = max(phrases, key=lambda p: (weight(" ".join(p)), -len(p)))
            return _cap(_join(best[:14]))
        return label  # a long German clause without a key noun phrase: keep the label
    words = clause.split()
    if len(words) > 12:
        words = _SUBCLAUSE.split(clause, maxsplit=1)[0].split()[:12]
    while words and words[-1].casefold().strip(",;:") in _STOP[lang]:
        words.pop()
    while words and words[0].casefold() in _DET | {"the", "a", "an"}:
        words.pop(0)
    return _cap(" ".join(words))


def _has(segment: str, anchors: Sequence[str]) -> bool:
    low = segment.casefold()
    return any(a.casefold() in low for a in anchors)


def _anchored(clauses: list[str], anchors: Sequence[str], lang: str) -> list[str]:
    """The clauses that hold an anchor (all clauses when none does); a long clause that is
    a comma list ("Gastronomie wiederbeleben, die Feuerwehr … erneuern, Dorfvereine
    stärken") gives way to its segment holding the anchor, if that has two content words."""
    if not anchors:
        return clauses
    held = [c for c in clauses if _has(c, anchors)]
    if not held:
        return clauses
    out = []
    for clause in held:
        parts = [p for p in re.split(r",\s*|\s+/\s+", clause) if p.strip()]
        if len(clause.split()) > 5 and len(parts) >= 3:
            own = [p for p in parts if _has(p, anchors) and len(content_lemmas(p, lang)) >= 2]
            if own:
                out.extend(own)
                continue
        out.append(clause)
    return out


def guess_language(texts: Sequence[str]) -> str:
    """``"en"`` if the texts have more English than German function words, else ``"de"``."""
    words = re.findall(r"[^\W\d_]+", " ".join(texts).casefold())
    en = sum(w in _EN_HINTS for w in words)
    de = sum(w in _DE_HINTS for w in words)
    return "en" if en > de else "de"


_EN_HINTS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "are",
        "was",
        "were",
        "with",
        "for",
        "that",
        "this",
        "be",
        "should",
    ]
)
_DE_HINTS = frozenset(
    [
        "der",
        "die",
        "das",
        "und",
        "ist",
        "sind",
        "war",
        "mit",
        "für",
        "zu",
        "den",
        "dem",
        "sich",
        "nicht",
        "ein",
        "eine",
    ]
)


def draft_title(
    texts: Sequence[str],
    label: str,
    lang: str,
    *,
    thing: bool = False,
    candidates: Sequence[int] | None = None,
    anchors: Sequence[Sequence[str]] | None = None,
    taken: Collection[str] = (),
) -> str:
    """A concrete title for an action item from its supporting statements.

    Parameters
    ----------
    texts : sequence of str
        The supporting statements, the item's own kind group first (see module docs).
    label : str
        The label of the item's code (fallback, and weighs the lemmas it shares).
    lang : {"de", "en"}
        Language of the statements.
    thing : bool, optional
        Praise ("keep" items): the noun phrase of what is praised, not the clause.
    candidates : sequence of int, optional
        Indices of the statements the title may be drawn from (default: all).
    anchors : sequence of sequence of str, optional
        Per statement, the words the item's keywords matched: the key phrase is taken
        from the clause that holds one (a statement naming several topics gives the
        phrase about this item's topic).
    taken : collection of str, optional
        Titles other items already have: the next most representative statement is
        tried before a title is repeated.

    Returns
    -------
    str
        The key phrase of the most representative statement, or ``label``.
    """
    return draft_title_source(
        texts, label, lang, thing=thing, candidates=candidates, anchors=anchors, taken=taken
    )[0]


def draft_title_source(
    texts: Sequence[str],
    label: str,
    lang: str,
    *,
    thing: bool = False,
    candidates: Sequence[int] | None = None,
    anchors: Sequence[Sequence[str]] | None = None,
    taken: Collection[str] = (),
) -> tuple[str, int | None]:
    """:func:`draft_title` and the index of the statement the title comes from (``None``
    when the title is the label)."""
    texts = [str(t) for t in texts]
    if not any(t.strip() for t in texts):
        return label, None
    _, weights = _weights(texts, label, lang)
    allowed = list(range(len(texts)) if candidates is None else candidates)
    taken_folded = {t.casefold() for t in taken}
    phrase, best = label, None
    while allowed:
        best = representative(texts, label, lang, allowed)
        phrase = key_phrase(
            texts[best],
            label,
            lang,
            weights,
            thing=thing,
            anchors=anchors[best] if anchors is not None else (),
        )
        if phrase.casefold() not in taken_folded:
            break
        allowed.remove(best)
    else:
        if best is not None:
            return label, None  # every statement's phrase is another item's title
    if thing:
        return phrase, best
    mine, theirs = set(content_lemmas(phrase, lang)), set(content_lemmas(label, lang))
    if len(mine) < 2:
        return label, None
    if mine & theirs and len(theirs) > len(mine):
        return label, None  # the label says the same point more completely
    return phrase, best


#: English words that are not topics (verbs, adverbs, comparatives, vague nouns).
_NOT_FACET_EN = _wordset(
    """
    make made get got give take use used need needs needed want wanted like liked keep kept
    provide improve improved improving better good great nice more less much many lot lots
    some any other same own next last first time times thing things way ways people
    should could would must might will can may also very really still even just well
    maybe perhaps probably always never often again already enough rather quite
    everyone everybody someone something anything nothing all each every both few
    do does did done doing have has had having be been being is are was were
    send sent find found know known think thought see seen feel felt go went gone
    start started stop try tried help helped work worked working say said ask asked
    later earlier longer shorter larger smaller bigger lighter clearer easier harder
    otherwise means key specific general whole less least most
    info issue issues problem problems idea ideas option options part number kind sort
    """
)
#: German nouns too vague to name a point of an item.
_NOT_FACET_DE = _wordset(
    """
    maßnahme massnahme möglichkeit thema bereich sache punkt frage idee vorschlag wunsch
    bedarf problem reihe art weise teil seite ende anfang beispiel ort gemeinde stadt
    lösung ansatz aspekt verbesserung änderung umsetzung situation zusammenhang rahmen
    hinblick grund fall
    """
)
#: German adjectives that rank or count rather than describe ("den ersten Lehrgang").
_ORDINAL = re.compile(r"(?:erst|zweit|dritt|letzt|nächst|weiter|ander|gleich|selb)e[nmrs]?$")
#: English endings of verbs, adjectives and adverbs (not a facet on their own).
_NOT_NOUN_EN = re.compile(r"(?:ly|ed|ize|ise|ate|ive|ful|ous|able|ible)$")


def _facet_candidates(text: str, lang: str, anchors: Sequence[str]) -> list[tuple[str, str]]:
    """(surface, lemma) of the topic words in the part of ``text`` the anchors hold."""
    body = _PAREN.sub("", text)
    clauses = [c for c in _CLAUSE.split(body) if c and c.strip()]
    clauses = _anchored(clauses, anchors, lang) if anchors else clauses
    stop = _STOP[lang]
    out: list[tuple[str, str]] = []
    for clause in clauses:
        for part in re.split(r"[,/]", clause):
            toks = _TOKEN.findall(part)
            words = [t for t in toks if t[:1].isalpha()]
            for i, tok in enumerate(toks):
                low = tok.casefold().rstrip("-.")
                if not tok[:1].isalpha() or len(low) < 3 or low in stop:
                    continue
                lemma = _lemma(tok.rstrip("-."), lang).casefold()
                if lang == "de":
                    if not _is_noun(tok, i, lang) or lemma in _NOT_FACET_DE:
                        continue
                    if i == 0 and i + 1 < len(toks) and _is_noun(toks[i + 1], i + 1, lang):
                        continue  # "Kostenlose Kitaplätze": the first word is an adjective
                else:
                    if low in _NOT_FACET_EN or lemma in _NOT_FACET_EN or _NOT_NOUN_EN.search(low):
                        continue
                    if i == 0 and len(words) > 3:
                        continue  # first word of a longer clause: often a verb ("Promote …")
                surface = tok.rstrip("-.")
                surface = _nominative(surface, lemma, lang)
                prev = toks[i - 1] if i > 0 else ""
                if lang == "en":
                    if (
                        prev[:1].isalpha()
                        and len(prev) > 2
                        and prev.casefold() not in stop | _NOT_FACET_EN | _NEG
                        and not re.search(r"(?:ly|ing)$", prev.casefold())
                        and (i > 1 or len(words) <= 3)
                    ):
                        surface = f"{prev} {surface}"  # "technical infrastructure"
                elif (
                    prev[:1].islower()
                    and _ADJ_END.search(prev)
                    and prev.casefold() not in stop | _QUANT
                    and not _ORDINAL.match(prev.casefold())
                ):
                    surface = f"{prev} {surface}"  # "bezahlbarer Wohnraum"
                out.append((surface, lemma))
    return out


def _nominative(surface: str, lemma: str, lang: str) -> str:
    """A German noun without its genitive ending ("Verkehrslärms" → "Verkehrslärm"), so
    that a facet in brackets does not read as a torn-out word form."""
    if lang == "de" and lemma != surface.casefold():
        for end in ("es", "s"):
            if surface.casefold() == lemma + end:
                return surface[: -len(end)]
    return surface


def _anchor_candidates(text: str, lang: str, anchors: Sequence[str]) -> list[tuple[str, str]]:
    """(surface, lemma) of the whole words holding the keyword matches ``anchors``."""
    out = []
    for anchor in anchors:
        found = re.search(r"[\w-]*" + re.escape(anchor) + r"[\w-]*", text, flags=re.I)
        if not found:
            continue
        surface = found.group(0).strip("-")
        last = surface.split()[-1] if surface.split() else surface
        if len(last) >= 3 and last.casefold() not in _STOP[lang]:
            lemma = _lemma(last, lang).casefold()
            if surface == last:
                surface = _nominative(surface, lemma, lang)
            out.append((surface, lemma))
    return out


def _overlaps(lemma: str, surface: str, others: Collection[str]) -> bool:
    """Whether a facet repeats one of ``others`` (equal, or one is part of the other's
    compound: "ÖPNV" / "ÖPNV-Verbesserung", "Verein" / "Vereinsleben")."""
    low = {lemma, surface.casefold()}
    return any(
        o in low or (len(o) >= 4 and any(o in w for w in low)) or any(w in o for w in low)
        for o in others
    )


def facets(
    texts: Sequence[str],
    head: str,
    lang: str,
    *,
    frequency: Counter,
    candidates: Sequence[int] | None = None,
    skip: int | None = None,
    anchors: Sequence[Sequence[str]] | None = None,
    exclude: Collection[str] = (),
    limit: int = 3,
    max_chars: int = 110,
) -> list[tuple[str, int]]:
    """Further points of an item: one topic word (or adjective + word) per other statement.

    The head title names the point of the most representative statement; the facets name
    what the other supporting statements add ("ÖPNV verbessern (Anbindung, Taktung)").
    Only the part of a statement that the item's keywords matched counts (``anchors``;
    when some statements have anchors, the others add no facet). A word qualifies when
    it is a noun (German: capitalised, not a vague word such as "Maßnahme"; English: not
    a verb, adverb, comparative or vague word, by list and ending), does not repeat the
    head title, another facet or a word of ``exclude`` (the owners' names), and has at
    least half of its occurrences in the workshop (``frequency``: lemma → statements
    holding it) in this item's statements, so that it names what sets this item apart.
    Per statement the word shared by most of the item's statements wins, then the rarer
    one in the workshop, then the earlier one.

    Returns
    -------
    list of (str, int)
        The facet and the index (into ``texts``) of the statement it comes from, at most
        ``limit`` of them and no more than the title's length (``max_chars``) allows.
    """
    allowed = [i for i in (range(len(texts)) if candidates is None else candidates) if i != skip]
    if anchors is not None and any(anchors[i] for i in allowed):
        allowed = [i for i in allowed if anchors[i]]
    taken = set(content_lemmas(head, lang)) | {
        lemma for name in exclude for lemma in content_lemmas(name, lang)
    }
    per = {
        i: _facet_candidates(str(texts[i]), lang, anchors[i] if anchors is not None else ())
        for i in allowed
    }
    keyed = {
        i: _anchor_candidates(str(texts[i]), lang, anchors[i] if anchors is not None else ())
        for i in allowed
    }
    inside: Counter = Counter()
    for i in allowed:
        inside.update({lemma for _s, lemma in per[i]})
    out: list[tuple[str, int]] = []
    length = len(head)
    for i in allowed:
        best = None
        # the words the item's keywords matched come first, then the statement's nouns
        for rank, pool in enumerate((keyed[i], per[i])):
            for pos, (surface, lemma) in enumerate(pool):
                if _overlaps(lemma, surface.split()[-1], taken):
                    continue
                total = max(frequency.get(lemma, 0), inside[lemma])
                if rank and (inside[lemma] * 2 < total or (lang == "en" and inside[lemma] < 2)):
                    continue  # a noun must set the item apart (English: and be shared)
                key = (rank, -inside[lemma], total, pos)
                if best is None or key < best[0]:
                    best = (key, surface, lemma)
        if best is None:
            continue
        _key, surface, lemma = best
        if length + len(surface) + 3 > max_chars:
            break
        out.append((surface, i))
        taken.add(lemma)
        length += len(surface) + 2
        if len(out) >= limit:
            break
    return out


def statement_frequency(texts: Sequence[str], lang: str) -> Counter:
    """Lemma → number of ``texts`` holding it (the workshop-wide weight for :func:`facets`)."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(set(content_lemmas(str(text), lang)))
    return counts
