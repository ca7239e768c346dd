"""Suggest a starter codebook: key terms of a workshop, grouped into candidate codes.

:func:`suggest_codes` reads what a workshop's statements are *about* and proposes codes
with keywords; :func:`write_starter_codebook` writes them as a ``codebook.yaml`` that
``workshop-analysis codebook check FILE --corpus RECORDS`` accepts; :func:`coverage` says
which share of the statements the starter codebook codes. The steps:

1. **Language** (:func:`detect_language`): German or English, decided once per records
   file by counting function words that only one of the two languages has ("und",
   "nicht", "ist" against "the", "and", "is").
2. **Lemmas**: each word is reduced to its base form with simplemma (bundled
   dictionaries, nothing downloaded): "Fortbildungen" → "Fortbildung", "Kindern" →
   "Kind", "lessons" → "lesson". Terms are compared in lower case **with umlauts kept**:
   "fordern" and "fördern" stay two terms.
3. **Stop words** (:mod:`workshop_analysis._stopwords`): function words and the
   vocabulary of feedback itself ("wünschen", "wichtig", "sollte", "Workshop",
   "Veranstaltung", "participants") say what kind a statement is, not what it is about,
   and are dropped. So are given names and German places that the dictionaries do not
   know as words ("Vanessa"), and the words of the workshop's own id (column
   ``workshop``: "swc" in ``swc-debriefing-2015-03``, the town in
   ``luedenscheid-zk2006``) and of its title, which every statement is about.
4. **Keyness**: every term is compared with its frequency in general language (bundled
   lemma frequencies derived from wordfreq, see ``_freq/README.md``) by Dunning's
   log-likelihood G²: a term scores high when the workshop uses it much more often than
   language in general does. "Qualifizierung", used three times in 300 words, beats
   "Zeit", used five times, because "Zeit" is common everywhere. A term missing from the
   general list counts as rarer than once per million words.
5. **Compounds and phrases**: German compounds are split where both parts are common
   words (a small Koehn–Knight splitter over the same frequency list: "Grundqualifizierung"
   = "Grund" + "Qualifizierung", "Qualifizierungsbedarf" = "Qualifizierung" + "s" +
   "Bedarf"); a part that several compounds share becomes a candidate of its own, so
   compounds that each occur once still add up. Two content words standing next to each
   other ("pull request", "elektronische Akte"; in German only when the second is a
   noun, i.e. capitalised) are candidates too. In German, a term the text never
   capitalises inside a sentence counts half (an adjective: "digital", "bekannt") or not
   at all (a verb, lemma in -en/-ern/-eln: "schaffen", "einrichten"): codes are about
   things.
6. **Codes**: candidates are taken in order of keyness; one whose term is already part of
   a chosen code (the compound's part, the phrase's word) joins that code instead of
   making a new one (a word that mostly stands inside a chosen phrase joins the phrase:
   "development" joins "development team"), and one that codes no statement beyond the
   codes already chosen is skipped. Each code gets keywords in the tagger's syntax (see
   :mod:`workshop_analysis.tagging`): word starts ("fortbildung"), ``*part`` for a part
   that also stands inside compounds ("*qualifizierung"), phrases as written.

The result is a draft: an analyst renames, merges, nests and deletes before tagging with
it. Measured on real public workshop write-ups, see ``tests/fixtures/suggest_real``.
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import simplemma
import yaml

from ._person_names import FIRST_NAMES, PLACES
from ._stopwords import STOP_WORDS
from .codebook import Code, Codebook
from .records import slugify

__all__ = [
    "Coverage",
    "coverage",
    "detect_language",
    "suggest_codes",
    "write_starter_codebook",
]

#: Languages the suggester knows (bundled frequency lists and simplemma dictionaries).
LANGUAGES: tuple[str, ...] = ("de", "en")

_TOKEN = re.compile(r"[^\W\d_](?:[^\W_]|-(?=[^\W\d_]))*")
_MIN_LETTERS = 3
#: A lemma this frequent in general language (Zipf, log10 per billion words) is a function
#: word in all but name ("sein", "the"): never a code.
_GENERIC_ZIPF = 6.3
#: Frequency assumed for a lemma missing from the bundled list (which stops at Zipf 3.0).
_FLOOR_ZIPF = 2.5
#: Least G² for a candidate (10.83 is p < 0.001 for one degree of freedom).
MIN_KEYNESS = 10.83
#: German compounds are split only from this length, into parts of at least _MIN_PART.
_MIN_COMPOUND = 8
_MIN_PART = 4
#: A shared compound part becomes a code of its own from this length ("*qualifizierung");
#: shorter parts ("Zeit", "Kind") match too much inside other words.
_MIN_GROUP_PART = 5
#: A part keyword with '*' (inside compounds) needs this many letters ("*bildung").
_MIN_STAR = 6
_LINKS = ("es", "s", "en", "n", "er", "e")
_SPLIT_MARGIN = 0.5
#: Weight of a German term that the text never writes with a capital inside a sentence
#: (verbs, adjectives: "einrichten", "bekannt"): codes are mostly about things.
_NON_NOUN_WEIGHT = 0.5
#: Endings of German verb lemmas ("schaffen", "fördern", "handeln"): a term with such a
#: lemma that the text never capitalises inside a sentence is a verb and founds no code.
_DE_VERB_ENDINGS = ("en", "ern", "eln")
#: "Politiker*innen", "Teilnehmer:innen", "Lehrer_innen": counted as "Politiker" (the
#: keyword ``politiker`` then matches the written "Politiker*innen" as a word start).
_GENDER_MARK = re.compile(r"(?<=[^\W\d_])[*:_/]innen\b")
_SENTENCE_END = frozenset(".!?:;•-–—\"„“”'»«(*")
_FREQ_DIR = Path(__file__).resolve().parent / "_freq"

# Function words only one of the two languages has (no "in", "was", "will", "also").
_DE_CUE_WORDS = """und der die das ist nicht ich wir sie mit für auf dem den ein eine zu sich
auch es sind wurde werden von bei dass aus oder wie noch nur mehr sehr einen"""
_EN_CUE_WORDS = """the and is are of to we with for that this it was not have be on they you
our were more very from can would should there their"""
_DE_CUES = frozenset(_DE_CUE_WORDS.split())
_EN_CUES = frozenset(_EN_CUE_WORDS.split())
#: Given names and German places: high keyness (rare in general language) but not topics.
_NAMES = FIRST_NAMES | PLACES


# ----------------------------------------------------------------------------- language


def detect_language(texts: Iterable[str]) -> str:
    """German (``"de"``) or English (``"en"``), whichever has more function words in ``texts``.

    Parameters
    ----------
    texts : iterable of str
        The statements of one records file.

    Returns
    -------
    str
        ``"de"`` or ``"en"``; ``"de"`` on a tie (also for no text at all).

    Examples
    --------
    >>> detect_language(["Wir brauchen mehr Zeit für die Fortbildung."])
    'de'
    >>> detect_language(["The instructors need more time for the lessons."])
    'en'
    """
    de = en = 0
    for text in texts:
        for word in _TOKEN.findall(str(text).lower()):
            de += word in _DE_CUES
            en += word in _EN_CUES
    return "en" if en > de else "de"


# ----------------------------------------------------------------------------- words


@cache
def _general_zipf(lang: str) -> dict[str, float]:
    """Lemma → Zipf frequency in general language (bundled list, see ``_freq/README.md``)."""
    with gzip.open(_FREQ_DIR / f"{lang}.tsv.gz", "rt", encoding="utf-8") as fh:
        return {lemma: float(z) for lemma, z in (line.split("\t") for line in fh)}


def _zipf(term: str, lang: str) -> float:
    return _general_zipf(lang).get(term, _FLOOR_ZIPF)


@lru_cache(maxsize=65536)
def _lemma(word: str, lang: str) -> str:
    """Lower-case lemma of ``word`` (umlauts kept); a hyphenated word keeps its first parts.

    German feminine forms in ``-in``/``-innen`` count as the base noun when that is a known
    word ("Mitarbeiterinnen" → ``mitarbeiter``), so gendered pairs make one term.
    """
    *front, last = word.split("-")
    base = simplemma.lemmatize(last, lang=lang).lower()
    if "ß" in base and "ß" not in last:
        base = base.replace("ß", "ss")  # "Prozess" → "prozess", not the old "prozeß"
    if lang == "de" and base.endswith("in") and base[:-2] in _general_zipf(lang):
        base = base[:-2]  # "Mitarbeiterin" counts as "Mitarbeiter", "Teilnehmerin" as stop
    return "-".join([*front, base]).lower()


def _is_own_name(lemma: str, own_name: frozenset[str]) -> bool:
    """Whether ``lemma`` is a word of the workshop's id ("swc", "luedenscheid"): the
    event's own name or place codes every statement or none worth telling apart."""
    return slugify(lemma) in own_name


def _is_stop(low: str, lemma: str) -> bool:
    """Too short, or a stop word, also in the old spelling ("daß" is "dass")."""
    if len(low) < _MIN_LETTERS:
        return True
    return any(
        w in STOP_WORDS for w in (low, lemma, low.replace("ß", "ss"), lemma.replace("ß", "ss"))
    )


def _is_adverb(lemma: str, lang: str) -> bool:
    """An English adverb in -ly made from a known adjective ("relatively", "easily",
    "simply"); the stem needs four letters ("apply", "reply", "early" are not adverbs)."""
    if lang != "en" or not lemma.endswith("ly") or len(lemma) < 6:
        return False
    base = lemma[:-2]
    known = _general_zipf(lang)
    return any(b in known for b in (base, base + "e", base[:-1] + "y", base + "le"))


@lru_cache(maxsize=65536)
def _split(lemma: str, lang: str) -> tuple[str, str] | None:
    """``(modifier, head)`` of a German compound lemma, or ``None``.

    A hyphen splits at the last hyphen. Otherwise every split point is tried where both
    parts (the modifier without a linking element such as ``s``) are at least
    :data:`_MIN_PART` letters and in the general frequency list; the split with the
    highest mean Zipf of its parts wins (Koehn & Knight 2003), but only when that mean
    exceeds the word's own Zipf by :data:`_SPLIT_MARGIN`: a common word stays whole unless
    its parts are clearly commoner ("alternativ" is not "alter" + "nativ").
    """
    if "-" in lemma:
        front, _, head = lemma.rpartition("-")
        return (front, head) if front and head else None
    if lang != "de" or len(lemma) < _MIN_COMPOUND:
        return None
    known = _general_zipf(lang)
    best: tuple[float, str, str] | None = None
    for i in range(_MIN_PART, len(lemma) - _MIN_PART + 1):
        left, head = lemma[:i], lemma[i:]
        if head not in known:
            continue
        for link in ("", *_LINKS):
            if link and not left.endswith(link):
                continue
            modifier = left[: len(left) - len(link)]
            if len(modifier) < _MIN_PART or modifier not in known:
                continue
            score = (known[modifier] + known[head]) / 2
            if best is None or score > best[0]:
                best = (score, modifier, head)
    if best is None or best[0] < known.get(lemma, 0.0) + _SPLIT_MARGIN:
        return None
    return best[1], best[2]


# ----------------------------------------------------------------------------- counting


@dataclass
class _Term:
    """Occurrences of one term (a lemma or a two-word phrase) in the records."""

    count: int = 0
    docs: set[int] = field(default_factory=set)
    forms: Counter[str] = field(default_factory=Counter)
    capitalised: int = 0  # occurrences with a capital inside a sentence


@dataclass
class _Candidate:
    key: str
    kind: str  # "lemma", "part" or "phrase"
    members: set[str]
    anchors: set[str]
    docs: set[int]
    count: int
    keyness: float


def _g2(count: int, total: int, zipf: float) -> float:
    """Dunning's log-likelihood of ``count`` in ``total`` words against a general Zipf.

    The general corpus is taken as 10⁹ words (Zipf's unit), so its own term is
    ``10**zipf`` occurrences; a term rarer in the workshop than in general scores 0.
    """
    general_total = 1e9
    general = 10.0**zipf
    expected_a = total * (count + general) / (total + general_total)
    expected_b = general_total * (count + general) / (total + general_total)
    if count <= expected_a:
        return 0.0
    return 2.0 * (count * math.log(count / expected_a) + general * math.log(general / expected_b))


def _count(
    texts: list[str], lang: str, own_name: frozenset[str] = frozenset()
) -> tuple[dict[str, _Term], dict[str, _Term], int]:
    """Lemma and phrase occurrences of ``texts``; also the number of word tokens.

    Stop words, very common words, given names and places, and words of the workshop's
    own id (``own_name``, compared as slugs) are skipped.
    """
    lemmas: dict[str, _Term] = defaultdict(_Term)
    phrases: dict[str, _Term] = defaultdict(_Term)
    total = 0
    # words written in lower case somewhere: a given name never is ("Ben", "Daniel"),
    # even where the dictionaries also know it as a word
    lower_case = {
        m.group(0) for text in texts for m in _TOKEN.finditer(text) if m.group(0).islower()
    }
    for doc, text in enumerate(texts):
        previous: tuple[str, str, int] | None = None  # (lemma, surface, end offset)
        for m in _TOKEN.finditer(text):
            total += 1
            word = m.group(0)
            low = word.lower()
            lemma = _lemma(word, lang)
            if (
                _is_stop(low, lemma)
                or _is_adverb(lemma, lang)
                or _zipf(lemma, lang) >= _GENERIC_ZIPF
                or (
                    word in _NAMES
                    and (
                        low not in lower_case
                        or lemma not in _general_zipf(lang)
                        or not simplemma.is_known(word, lang=lang)
                    )
                )
                or _is_own_name(lemma, own_name)
            ):
                previous = None
                continue
            term = lemmas[lemma]
            before = text[: m.start()].rstrip()
            if word[:1].isupper() and before and before[-1] not in _SENTENCE_END:
                term.capitalised += 1
            term.count += 1
            term.docs.add(doc)
            term.forms[word] += 1
            if (
                previous is not None
                and text[previous[2] : m.start()].strip() == ""
                and (lang != "de" or word[:1].isupper())
            ):
                phrase = phrases[f"{previous[0]} {lemma}"]
                phrase.count += 1
                phrase.docs.add(doc)
                phrase.forms[f"{previous[1]} {word}"] += 1
            previous = (lemma, word, m.end())
    return lemmas, phrases, total


def _candidates(
    lemmas: dict[str, _Term], phrases: dict[str, _Term], total: int, lang: str
) -> list[_Candidate]:
    """Lemmas, shared compound parts and phrases with their keyness, best first."""
    parts: dict[str, set[str]] = defaultdict(set)  # part → lemmas containing it
    for lemma in lemmas:
        split = _split(lemma, lang)
        if split is None:
            continue
        for part in split:
            if len(part) >= _MIN_GROUP_PART and not _is_stop(part, part):
                parts[part].add(lemma)
    out: list[_Candidate] = []
    for lemma, term in lemmas.items():
        if lemma in parts:
            continue  # the part's candidate includes the lemma itself
        weight = 1.0
        if lang == "de" and not term.capitalised:
            verb = lemma.endswith(_DE_VERB_ENDINGS) and "-" not in lemma
            weight = 0.0 if verb else _NON_NOUN_WEIGHT
        out.append(
            _Candidate(
                lemma,
                "lemma",
                {lemma},
                {lemma},
                set(term.docs),
                term.count,
                _g2(term.count, total, _zipf(lemma, lang)) * weight,
            )
        )
    for part, members in parts.items():
        if part in lemmas:
            members = members | {part}
        docs = set().union(*(lemmas[m].docs for m in members))
        count = sum(lemmas[m].count for m in members)
        noun = lang != "de" or any(lemmas[m].capitalised for m in members)
        keyness = _g2(count, total, _zipf(part, lang)) * (1.0 if noun else _NON_NOUN_WEIGHT)
        out.append(_Candidate(part, "part", members, {part}, docs, count, keyness))
    for phrase, term in phrases.items():
        first, second = phrase.split(" ")
        # a fixed pair of words: taken as 1/30 as frequent as its rarer word
        zipf = min(_zipf(first, lang), _zipf(second, lang)) - 1.5
        out.append(
            _Candidate(
                phrase,
                "phrase",
                {phrase},
                {second},
                set(term.docs),
                term.count,
                _g2(term.count, total, zipf),
            )
        )
    out.sort(key=lambda c: (-c.keyness, -len(c.docs), c.key))
    return out


@dataclass
class _Code:
    first: _Candidate
    members: set[str]
    anchors: set[str]
    docs: set[int]
    keyness: float


def _related(cand: _Candidate, code: _Code) -> bool:
    """Whether ``cand`` belongs to ``code``: its term (a phrase: its last word) is already
    a member or anchor of the code, or one of the two founding terms starts with the other
    and the shorter has at least :data:`_MIN_STAR` letters ("install" and "installation")."""
    if cand.anchors & (code.members | code.anchors):
        return True
    if cand.kind == "lemma" and code.first.kind == "phrase":
        # a word that mostly stands in the code's phrase ("development" in "development
        # team"), not an adjective used everywhere ("small" beside "small group")
        inside = len(cand.docs & code.first.docs)
        return cand.key in code.first.key.split(" ") and 2 * inside >= len(cand.docs)
    if cand.kind == "phrase" or code.first.kind == "phrase":
        return False
    short, long_ = sorted((cand.key, code.first.key), key=len)
    return len(short) >= _MIN_STAR and long_.startswith(short)


def _choose(
    candidates: list[_Candidate],
    lemmas: dict[str, _Term],
    top: int,
    min_count: int,
    min_keyness: float,
) -> list[_Code]:
    """Greedy grouping of candidates into at most ``top`` codes (see the module docstring).

    A candidate that is related to a chosen code (:func:`_related`) joins that code.
    Otherwise it makes a new code from its members that no chosen code has claimed yet, if
    these still occur in ``min_count`` statements.
    """
    codes: list[_Code] = []
    claimed: set[str] = set()
    for cand in candidates:
        if len(cand.docs) < min_count or cand.keyness < min_keyness:
            continue
        home = next((c for c in codes if _related(cand, c)), None)
        if home is not None:
            if cand.kind != "phrase":
                home.anchors |= cand.anchors
            new = cand.members - claimed
            home.members |= new
            claimed |= new
            home.docs |= cand.docs
            continue
        if len(codes) >= top:
            continue
        members = cand.members - claimed
        docs = set().union(*(lemmas[m].docs if m in lemmas else cand.docs for m in members))
        if len(docs) < min_count:
            continue
        codes.append(_Code(cand, members, set(cand.anchors), docs, cand.keyness))
        claimed |= members
    return codes


# ----------------------------------------------------------------------------- keywords


def _form_keywords(lemma: str, forms: Iterable[str]) -> set[str]:
    """Word-start keywords covering the surface ``forms`` of ``lemma``.

    A form that starts with the lemma, or with all of it but its last letter, gives that
    start ("Fortbildungen" → ``fortbildung``; "fördert", lemma "fördern" → ``förder``);
    other forms stay whole ("Kräfte" beside "Kraft", "gefördert"). Keywords of three
    letters must end the word (``app!``): a three-letter start matches too much ("app" in
    "apply").
    """
    out: set[str] = set()
    for form in forms:
        low = form.lower()
        stem = _common_prefix(low, lemma)
        word = stem if len(stem) >= max(_MIN_PART, len(lemma) - 1) else low
        out.add(f"{word}!" if len(word) <= _MIN_LETTERS else word)
    return out


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def _prune(keywords: set[str]) -> list[str]:
    """Drop keywords that a shorter keyword already covers; sorted.

    A word keyword covers the words it starts (``fortbildung`` covers
    ``fortbildungsangebot``), a ``*part`` keyword the words containing the part, and both
    cover a phrase one of whose words they cover.
    """
    singles = [k for k in keywords if " " not in k and not k.endswith("!")]

    def covers(k: str, word: str) -> bool:
        return word.startswith(k) or (k.startswith("*") and k[1:] in word)

    keywords = {
        kw
        for kw in keywords
        if " " not in kw or not any(covers(k, w) for k in singles for w in kw.split(" "))
    }
    kept: list[str] = []
    for kw in sorted(keywords, key=lambda k: (len(k.lstrip("*")), k)):
        bare = kw.lstrip("*")
        if kw.endswith("!") or " " in kw:
            if kw not in kept:
                kept.append(kw)
            continue
        covered = any(
            not k.endswith("!")
            and " " not in k
            and (bare.startswith(k) or (k.startswith("*") and k[1:] in bare))
            for k in kept
        )
        if not covered:
            kept.append(kw)
    return sorted(kept)


def _keywords(code: _Code, lemmas: dict[str, _Term], phrases: dict[str, _Term]) -> list[str]:
    keywords: set[str] = set()
    part = code.first.key if code.first.kind == "part" else None
    star = part is not None and len(part) >= _MIN_STAR
    if star:  # only when the text writes it so ("lernen" may occur only as "gelernt")
        star = any(part in f.lower() for m in code.members if m in lemmas for f in lemmas[m].forms)
    if star:
        keywords.add(f"*{part}")
    for member in code.members:
        if member in phrases and " " in member:
            keywords.update(f.lower() for f in phrases[member].forms)
        elif member in lemmas:
            forms = lemmas[member].forms
            if star and part is not None and all(part in f.lower() for f in forms):
                continue  # "*part" matches every form the text uses ("gelernt" is not one)
            keywords |= _form_keywords(member, lemmas[member].forms)
    return _prune(keywords)


def _label(code: _Code, lemmas: dict[str, _Term], phrases: dict[str, _Term], lang: str) -> str:
    """The code's label: its founding term as the text writes it ("SGB", "Jobcenter",
    "rechtliche Verankerung"), else its base form, capitalised in German when the text
    capitalises it ("Kindern" → "Kind")."""
    key = code.first.key
    source = phrases.get(key) if code.first.kind == "phrase" else lemmas.get(key)
    if code.first.kind == "phrase" and source is not None:
        return source.forms.most_common(1)[0][0]
    if source is not None:
        same = [
            f for f, _ in source.forms.most_common() if f.lower() in (key, key.replace("-", ""))
        ]
        if same:
            return same[0]
    capital = any(f[:1].isupper() for m in code.members if m in lemmas for f in lemmas[m].forms)
    return key.capitalize() if capital and lang == "de" else key


# ----------------------------------------------------------------------------- public


def suggest_codes(
    records: pd.DataFrame,
    *,
    top: int = 20,
    min_count: int = 2,
    min_keyness: float = MIN_KEYNESS,
    lang: str | None = None,
    title: str | None = None,
) -> pd.DataFrame:
    """Candidate codes for a starter codebook, best first.

    Parameters
    ----------
    records : DataFrame
        A record table (columns ``record_id`` and ``text``). Not modified.
    top : int, default 20
        Most codes to return.
    min_count : int, default 2
        Least number of statements a code's terms must occur in.
    min_keyness : float, default :data:`MIN_KEYNESS`
        Least keyness (G²) of the term that founds a code; 0 lists every term.
    lang : {"de", "en"}, optional
        Language of the statements; detected with :func:`detect_language` when omitted.
    title : str, optional
        The workshop's title (``workshop.yaml``): its words ("Barcamp Klagenfurt") name
        the event, not a topic of its statements, and are no codes, like the words of the
        ``workshop`` column's ids.

    Returns
    -------
    DataFrame
        One row per candidate code, most key first: ``code`` (id), ``label``,
        ``statements`` (how many statements its keywords code), ``keyness`` (G² of the
        term that founded the code, rounded to one decimal), ``keywords`` (list, tagger
        syntax), ``terms`` (list of the words in the text it stands for, most frequent
        first) and ``example_ids`` (up to three record ids, input order). ``attrs["lang"]``
        holds the language used.

    Raises
    ------
    ValueError
        ``lang`` is not one of :data:`LANGUAGES`.
    """
    texts = [
        _GENDER_MARK.sub("", unicodedata.normalize("NFC", t))
        for t in records["text"].astype("string").fillna("")
    ]
    ids = records["record_id"].astype(str).tolist()
    if lang is None:
        lang = detect_language(texts)
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    names = [str(v) for v in records["workshop"].dropna().unique()] if "workshop" in records else []
    own_name = frozenset(
        slug
        for value in [*names, title or ""]
        for word in slugify(value.replace("-", " ")).split("-")
        if len(word) >= _MIN_LETTERS and not word.isdigit()
        for slug in {word, slugify(_lemma(word, lang))}
    ) | frozenset(
        slugify(_lemma(word, lang))
        for word in _TOKEN.findall(title or "")
        if len(word) >= _MIN_LETTERS
    )
    lemmas, phrases, total = _count(texts, lang, own_name)
    candidates = _candidates(lemmas, phrases, total, lang)
    chosen = _choose(candidates, lemmas, top, min_count, min_keyness)
    rows: list[dict[str, Any]] = []
    used: set[str] = set()
    for code in chosen:
        label = _label(code, lemmas, phrases, lang)
        base = slugify(label).replace("-", "_") or "code"
        cid, i = base, 2
        while cid in used:
            cid, i = f"{base}_{i}", i + 1
        used.add(cid)
        forms: Counter[str] = Counter()
        for member in code.members:
            source = phrases.get(member) if " " in member else lemmas.get(member)
            if source is not None:
                forms.update(source.forms)
        docs = sorted(code.docs)
        rows.append(
            {
                "code": cid,
                "label": label,
                "statements": len(docs),
                "keyness": round(code.keyness, 1),
                "keywords": _keywords(code, lemmas, phrases),
                "terms": [f for f, _ in sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))],
                "example_ids": [ids[d] for d in docs[:3]],
            }
        )
    _count_by_tagger(rows, records)
    columns = ["code", "label", "statements", "keyness", "keywords", "terms", "example_ids"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.astype({"statements": int, "keyness": float})
    frame.attrs["lang"] = lang
    return frame


def _count_by_tagger(rows: list[dict[str, Any]], records: pd.DataFrame) -> None:
    """Set each row's ``statements`` and ``example_ids`` to what the tagger codes with its
    keywords (so the figures are those the analyst will see after ``tag``)."""
    from .tagging import tag

    if not rows:
        return
    book = Codebook(
        tuple(Code(id=r["code"], label=r["label"], keywords=tuple(r["keywords"])) for r in rows)
    )
    tagged = tag(records[["record_id", "text"]], book).records
    ids = tagged["record_id"].astype(str).tolist()
    by_code: dict[str, list[str]] = defaultdict(list)
    for rid, codes in zip(ids, tagged["codes"], strict=True):
        for code in codes:
            by_code[code].append(rid)
    for row in rows:
        coded = by_code[row["code"]]
        row["statements"] = len(coded)
        row["example_ids"] = coded[:3]


def _codebook(suggestions: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    codes: list[dict[str, Any]] = []
    for row in suggestions.itertuples(index=False):
        examples = ", ".join(row.example_ids)
        terms = ", ".join(row.terms[:8]) + (", …" if len(row.terms) > 8 else "")
        if lang == "de":
            description = (
                f"Vorschlag (Keyness G² {row.keyness:g}): {row.statements} Aussagen, "
                f"z. B. {examples}; Wörter: {terms}. Prüfen, umbenennen, zusammenfassen "
                "oder löschen."
            )
        else:
            description = (
                f"Suggested (keyness G² {row.keyness:g}): {row.statements} statements, "
                f"e.g. {examples}; words: {terms}. Check, rename, merge or delete."
            )
        codes.append(
            {
                "id": row.code,
                "label": row.label,
                "description": description,
                "parent": None,
                "keywords": list(row.keywords),
                "exclude": [],
                "horizon": None,
                "owner": None,
            }
        )
    return codes


def write_starter_codebook(
    suggestions: pd.DataFrame,
    path: str | Path,
    *,
    name: str = "Starter codebook",
    lang: str | None = None,
) -> Path:
    """Write suggested codes as a starter ``codebook.yaml`` for the analyst to edit.

    Parameters
    ----------
    suggestions : DataFrame
        The output of :func:`suggest_codes`.
    path : str or Path
        The YAML file to write (parent folders are created).
    name : str, optional
        The codebook's ``name``.
    lang : {"de", "en"}, optional
        Language of the descriptions and the codebook's ``language``; default
        ``suggestions.attrs["lang"]``, else ``"de"``.

    Returns
    -------
    Path
        The written file, in the format :func:`~workshop_analysis.codebook.load_codebook`
        reads: one top-level code per row with ``id``, ``label``, ``description`` (keyness,
        statements, example ids, the words it stands for), ``keywords``, and empty
        ``parent``, ``exclude``, ``horizon`` and ``owner`` to fill in. Deterministic: no
        timestamps.
    """
    lang = lang or suggestions.attrs.get("lang") or "de"
    path = Path(path)
    header = (
        "# Starter codebook written by `workshop-analysis suggest-codes`.\n"
        "# Edit before use: rename labels, merge or nest codes (parent), add keywords\n"
        "# ('*' prefix: inside compounds), set horizon (short/long) and owner.\n"
    )
    body = yaml.safe_dump(
        {"name": name, "language": lang, "codes": _codebook(suggestions, lang)},
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=None,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")
    return path


class Coverage(NamedTuple):
    """How many statements a codebook codes: ``coded`` of ``total``."""

    coded: int
    total: int

    @property
    def share(self) -> float:
        """``coded / total`` (0.0 for no statements)."""
        return self.coded / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.coded} of {self.total} statements ({self.share:.0%})"


def coverage(records: pd.DataFrame, codebook: Codebook | pd.DataFrame) -> Coverage:
    """Share of statements that ``codebook`` codes by keyword.

    Parameters
    ----------
    records : DataFrame
        A record table (``record_id``, ``text``). Not modified.
    codebook : Codebook or DataFrame
        A loaded codebook, or the output of :func:`suggest_codes`.

    Returns
    -------
    Coverage
        Statements with at least one code, and all statements.
    """
    from .tagging import tag

    if isinstance(codebook, pd.DataFrame):
        codebook = Codebook(
            tuple(
                Code(id=row.code, label=row.label, keywords=tuple(row.keywords))
                for row in codebook.itertuples(index=False)
            )
        )
    plain = records[["record_id", "text"]]
    tagged = tag(plain, codebook).records
    coded = int(tagged["codes"].map(len).gt(0).sum())
    return Coverage(coded, len(tagged))
