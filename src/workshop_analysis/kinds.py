"""Infer the kind of a statement (need, wish, praise, concern) where the input gives none.

Two layers, both explainable (column ``kind_cue``):

* **cue rules** -- German and English cue words with negation, contrast, subjunctive,
  sentence form and section lean (below; the lists live in
  :mod:`workshop_analysis._kind_cues`, written from linguistic knowledge);
* **a small model** (:mod:`workshop_analysis._kind_model`, weights shipped as
  ``_kind_model.json.gz``, about 70 KB, numpy only): a logistic regression over word and
  character n-grams, the heading's words, the cue scores and what the cues say about
  the other statements under the same heading of the same workshop. It was trained only
  on third-party write-ups (``tests/fixtures/kinds_corpus``) and is measured there
  leaving one source out (``benchmarks/eval_kinds.py``; figures in ``docs/kinds.md``).

A cue-rule decision with confidence >= :data:`RULES_DECIDE_FROM` (about one explicit
cue and no conflicting one) stands and ``kind_cue`` lists its cues; otherwise the
model decides and ``kind_cue`` reads ``"model: …"`` with the features that pushed most
towards its kind. ``kind_confidence`` is the model's calibrated probability of the
chosen kind (temperature fitted on leave-one-source-out predictions) and
``kind_review`` is True below the shipped review threshold. There is no silent
default: a statement without any cue gets the model's guess, usually with low
confidence and a review flag.

Rules, in the order they are applied to each statement
-------------------------------------------------------
1. **Given kinds win.** A record whose ``kind`` is set keeps it: ``kind_source='given'``,
   ``kind_confidence=1.0``, ``kind_cue='given'``.
2. **Cues.** German and English words and phrases vote for a kind with a weight
   (1 weak … 3 explicit):

   * *need* — "brauchen", "benötigen", "Bedarf an", "erforderlich", "notwendig", "es fehlt",
     "mangelt", "muss", "wichtig"; "need", "require", "lack";
   * *wish* — "wünschen sich", "Wunsch nach", "sollte", "möchten", "bitte", "Vorschlag",
     "anregen", "empfehlen", "wäre schön", "würden uns freuen", "könnte man", bare
     Konjunktiv II ("wäre", "könnte", "würde"); "should", "would like", "suggest";
   * *praise* — "lobten", "gelobt", "gute Noten", "hilfreich", "zufrieden", "bewährt",
     "gelungen", "gut", "Dank", "weiterempfehlen"; "great", "helpful", "appreciated";
   * *concern* — "problematisch", "Problem", "schwierig", "zu lange", "zu wenig",
     "kritisch", "leider", "Sorge", "Hürde", "Wartezeiten", "unklar", "warum",
     "hinderlich", "mangelnde"/"fehlende" (attributive: "Fehlende Transparenz"; "es fehlt"
     stays a need), compound heads "…belastung", "…mängel", "…hemmnis", "Engpässe",
     "…aufwand"; "problem", "issue", "too long", "unfortunately", "obstacle", "shortage".

   Idioms are single cues with their own kind: "läuft rund", "trägt Früchte", "Weiter so",
   "Erwartungen übertroffen", "Schritt in die richtige Richtung" (praise); "lässt zu
   wünschen übrig", "geht an der Praxis vorbei", "reicht nicht", "nichts Neues", "bleibt
   offen", "mal so, mal so" (concern);
   "gebraucht werden", "ohne X ist … nicht" (need); "sprachen sich für … aus", "es gilt",
   "denkbar", "gerne mehr" (wish). Attributive superlatives ("die wichtigsten
   Formulare") require nothing.

   Cues match whole words, case-insensitively, inside compounds where the cue is the
   head ("Schulungs*bedarf*", "Haupt*problem*"), and umlauts match their transliterations
   (``ä``/``ae``, ``ö``/``oe``, ``ü``/``ue``, ``ß``/``ss``): "wuenschen" counts as "wünschen".
   Phrases that contain their own negation or mood ("kein Problem", "hätte nicht besser
   sein können", "ohne … hätten wir das nie geschafft", "wäre hilfreich") are single cues.
3. **Negation.** A negator ("nicht", "kein…", "nie", "kaum", "wenig", "nichts", "nix",
   "ohne", "not", "no", "never", "without", "don't"/"isn't"/…)
   up to three words before a cue — or, for praise words, up to two words after it in
   the same clause ("hilft uns nicht") — flips praise to concern ("nicht hilfreich",
   "kein ausreichendes Angebot": weight at least 2), concern to praise ("nicht
   schwierig": weight × 0.6) and halves need/wish cues. "nicht nur" is no negation.
   **Concession.** A praise or concern cue inside a "trotz"/"ungeachtet"/"despite" phrase
   (up to its noun: "leisten trotz hoher Belastung hervorragende Arbeit") names the
   backdrop and is ignored. **Remedy.** A concern cue followed within four words of its
   clause by a verb of remedy ("senken", "abbauen", "verkürzen", "lösen", "reduce") names
   a target, not a complaint ("Um die Belastung zu senken, braucht es …" is a need),
   unless a negator stands between ("… wurde nicht gelöst").
4. **Subjunctive.** A praise word in a clause with a Konjunktiv II / conditional marker
   ("wäre", "würde", "könnte", "hätte", "would", "could") describes something wished for
   and counts as a wish ("eine feste Ansprechperson wäre für uns wirklich hilfreich") —
   unless the clause is a counterfactual past ("wäre … gewesen", "hätte … können").
   Likewise in a fragment starting with "Mehr"/"Weniger"/"Bessere" ("Mehr
   Wertschätzung für …") praise words name what is wished for.
5. **Contrast.** After "aber", "jedoch", "allerdings", "sondern", "trotzdem", ", doch",
   "but", "however" the last part decides: cues after the last contrast marker weigh
   × 1.5, cues before it × 0.5 ("gut organisiert, aber viel zu lang" → concern). Praise
   followed by a contrast without any cue after it leans to concern (+1.5, ``rule:
   praise, then contrast``: "gut, jedoch weit entfernt").
6. **Sentence form.** A question leans to concern (+1, ``rule: question``); a fragment
   starting with "Mehr"/"Weniger"/"Bessere" leans to wish (+1.5, ``rule: Mehr …``); a
   sentence ending in "!" leans to wish (+1, ``rule: imperative``); a statement without a
   finite verb that ends in a goal infinitive ("Videoberatung einführen", "Angebote
   ausbauen") is a wish (+1.5, ``rule: goal infinitive``). Pros/cons notation of photo
   protocols: a leading "+", "Top:", "Pro:", "Positiv:" means praise (+2), "Flop:",
   "Contra:", "Negativ:" concern (+2) and a leading "- " concern (+1: it may just be a
   bullet). Check marks and thumbs ("Kooperation ✓", "👎") count +2 for praise/concern.
   The "Mehr …" fragment rule also covers comparatives ("Höhere Wertschätzung …",
   "Klarere Zuständigkeiten"). "sollen" in a w- or ob-clause ("Wie sollen Kunden das verstehen?", "…
   wissen nicht, welche Unterlagen sie einreichen sollen") proposes nothing and is
   ignored; a w-question with another wish cue leans to concern (+1.5, ``rule:
   w-question``). Changes for the better ("sind
   spürbar kürzer geworden", "hat sich verbessert") are praise, for the worse
   ("schwieriger geworden", "verschlechtert") concern.
   **Level and change.** A noun naming something good to have much of ("Motivation",
   "Zufriedenheit", "Quote") or bad to have much of ("Krankenstand", "Wartezeiten",
   "Fluktuation") followed in its clause by a word of level or change ("ist hoch",
   "gestiegen", "zurückgegangen", "gesunken") is praise when the news is good and concern
   when bad (+4, ``rule: level of …``): "Der Krankenstand ist gesunken" is praise. Before
   the noun ("Hohe Motivation im Team", "Geringe Akzeptanz") it weighs +2, and not at all
   after a preposition ("für Teams mit hoher Fallzahl" describes, it does not assess).
   Skipped when negated, compared ("höher als") or in a sentence with a modal, wish or
   condition ("Die Wartezeiten müssen sinken") or a question.
7. **Section lean.** A heading such as "Bedarfe", "Wünsche"/"Anregungen", "Lob"/"Was lief
   gut", "Kritik"/"Probleme"/"Herausforderungen" adds ``section_weight`` (default 1.0) to
   its kind; one clear text cue (weight ≥ 1.5) of another kind still wins.
8. **No cue at all.** Only with ``use_model=False`` (the rules as they were before the
   model): a short verbless fragment leans to wish (0.5, ``rule: fragment``), any other
   statement to concern (0.5, ``rule: plain statement``), confidence 0.33 and flagged
   for review. With the model (default) it decides such statements.
9. **Decision.** The kind with the highest total wins (ties: concern, need, wish, praise);
   the rules' own confidence is ``best / (sum of all totals + 1)`` -- one clear cue gives
   about 0.7-0.75, a section lean alone 0.5, conflicting cues less. From
   :data:`RULES_DECIDE_FROM` on the rules' kind stands (with the model's calibrated
   probability of it as ``kind_confidence``); below, the model decides. An empty text
   gets no kind: ``kind_source='none'``, ``kind_review`` True.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._kind_cues import (
    BAD_QUANTITIES,
    CONTRAST,
    COUNTERFACTUAL,
    CUES,
    DOWN_WORDS,
    GOAL_VERBS,
    GOOD_QUANTITIES,
    NEGATORS,
    REMEDY_VERBS,
    SECTION_CUES,
    SUBJUNCTIVE,
    UP_WORDS,
    LazyPattern,
    compile_words,
    umlaut_pattern,
)
from ._kind_model import CLASSES as MODEL_CLASSES
from ._kind_model import KindModel, context_features, dense_features, shipped_model
from .records import KINDS

__all__ = ["evaluate_kinds", "infer_kinds"]


def _split_alternatives(pattern: str) -> list[str]:
    """Split a regular expression at its top-level ``|``."""
    parts: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _first_letters(alt: str) -> set[str] | None:
    """Letters an alternative can start with; ``None`` when it can start with any letter."""
    if alt[:1].isalpha():
        return {alt[0].lower()}
    if alt.startswith("(?:"):
        depth, i = 0, 0
        while i < len(alt):
            if alt[i] == "\\":
                i += 2
                continue
            if alt[i] == "(":
                depth += 1
            elif alt[i] == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        letters: set[str] = set()
        for inner in _split_alternatives(alt[3:i]):
            first = _first_letters(inner)
            if first is None:
                return None
            letters |= first
        if alt[i + 1 : i + 2] == "?":  # optional group: the rest may come first
            rest = _first_letters(alt[i + 2 :])
            return None if rest is None else letters | rest
        if alt[i + 1 : i + 2] in ("*", "{"):
            return None
        return letters
    return None


_FOLD_FIRST = {"ä": "a", "ö": "o", "ü": "u", "ß": "s"}


def _cue_matchers(
    flags: int = re.IGNORECASE,
) -> tuple[dict[str, tuple[re.Pattern[str], re.Pattern[str]]], re.Pattern[str], re.Pattern[str]]:
    """Compiled alternations per initial letter, and a finder for compound heads.

    Python's ``re`` tries alternatives one after the other, so matching 400 cue words at
    every word start is slow. Alternatives that start with known letters are filed under
    those letters. Compound-head cues (``\\w*problem\\w*``) can start anywhere; they
    are only tried on words that contain their head ("problem"). Order is kept, so the
    earliest listed cue still wins at a position. ``flags=0`` compiles the same patterns
    case-sensitively, for text already lower-cased by :func:`_lowered`.
    """
    items: list[tuple[set[str] | None, str]] = []
    heads: list[str] = []
    for index, (_, _, pattern, _) in enumerate(CUES):
        for number, alt in enumerate(_split_alternatives(pattern)):
            letters = _first_letters(alt)
            if letters is not None:
                letters = {_FOLD_FIRST.get(c, c) for c in letters}
            else:
                head = re.match(r"\\w\*([^\\()\[|?*+]+)", alt)
                if head is None:
                    raise ValueError(f"cue alternative {alt!r} has no initial letter or head")
                heads.append(head.group(1))
            items.append((letters, rf"(?P<c{index}_{number}>(?:{umlaut_pattern(alt)})(?!\w))"))
    all_letters = sorted(set().union(*(x for x, _ in items if x is not None)))
    matchers = {}
    for letter in all_letters:
        plain = [a for first, a in items if first is not None and letter in first]
        with_heads = [a for first, a in items if first is None or letter in first]
        matchers[letter] = (
            re.compile("|".join(plain), flags),
            re.compile("|".join(with_heads), flags),
        )
    rest = re.compile("|".join(a for first, a in items if first is None), flags)
    head_re = re.compile("|".join(umlaut_pattern(h) for h in heads), flags)
    return matchers, rest, head_re


@lru_cache(maxsize=1)
def _case_insensitive_matchers() -> tuple[
    dict[str, tuple[re.Pattern[str], re.Pattern[str]]], re.Pattern[str], re.Pattern[str]
]:
    """:func:`_cue_matchers` with ``re.IGNORECASE``, built on first use."""
    return _cue_matchers()


_WORD_SPAN = LazyPattern(r"\w+")


class _Scanner(NamedTuple):
    """Cue finder for lower-cased text (see :func:`_cue_scanner`)."""

    scan: LazyPattern
    matchers: dict[str, tuple[re.Pattern[str], re.Pattern[str]]]
    other: LazyPattern
    groups: dict[str, int]


@lru_cache(maxsize=1)
def _cue_scanner() -> _Scanner:
    """One pattern that finds where :func:`_find_cues` finds a cue, for ``finditer``.

    Built on first use (compiling it takes a few tenths of a second), case-sensitive, for
    text from :func:`_lowered`. At every word start it dispatches on the (folded) first
    letter to that letter's alternation -- the one with compound-head cues when the word
    contains a head -- so the scan over the words runs inside ``re`` instead of a Python
    loop. Branches tried after the right one failed hold only alternatives that failed
    already, so the first match and its end are the same. It has no groups (capturing
    slows ``re`` down): the letter's matcher, re-run at each start, names the cue. No cue
    can match the empty string, so ``finditer`` steps over words exactly like the loop.
    """
    matchers, other, heads = _cue_matchers(0)

    def branch(pattern: re.Pattern[str], letter: str | None) -> str:
        plain = re.sub(r"\(\?P<c\d+_\d+>", "(?:", pattern.pattern)
        if letter is None:
            return f"(?:{plain})"
        chars = letter + "".join(c for c, f in _FOLD_FIRST.items() if f == letter)
        return f"(?=[{re.escape(chars)}])(?:{plain})"

    with_heads = "|".join(branch(pair[1], k) for k, pair in matchers.items())
    without = "|".join(branch(pair[0], k) for k, pair in matchers.items())
    scan = re.compile(
        rf"(?<!\w)(?=\w)(?:(?=\w*?(?:{heads.pattern}))(?:{with_heads}|{branch(other, None)})|"
        rf"{without})"
    )
    groups = {name: int(name[1:].split("_")[0]) for name in other.groupindex}
    for pair in matchers.values():
        groups.update((name, int(name[1:].split("_")[0])) for name in pair[1].groupindex)
    return _Scanner(scan, matchers, other, groups)


#: Characters outside this set may case-fold differently in ``re`` and ``str.lower``
#: ("İ", "ſ", the Kelvin sign, …): a text with one of them is matched case-insensitively.
_NOT_FOLDABLE = LazyPattern(r"[^\x00-\x7fäöüÄÖÜß„“”‚‘’«»–—…•·✓✔☑✗✘❌👍👎€§°]")


def _lowered(text: str) -> str | None:
    """``text`` lower-cased when case-sensitive patterns on it match exactly what the
    case-insensitive ones match on ``text`` (same length, same offsets), else ``None``.

    Python's ``re`` is several times faster without ``re.IGNORECASE``; all cue patterns
    are written in lower case.
    """
    if _NOT_FOLDABLE.search(text) is not None:
        return None
    return text.lower()


def _find_cues(text: str, *, lowered: bool = False) -> list[tuple[int, int, int, str]]:
    """Non-overlapping cue matches ``(start, end, cue index, matched text)``, left to right.

    With ``lowered`` the text comes from :func:`_lowered` and the case-sensitive
    matchers are used.
    """
    found: list[tuple[int, int, int, str]] = []
    if lowered:
        scanner = _cue_scanner()
        for m in scanner.scan.finditer(text):
            start = m.start()
            first = text[start]
            pair = scanner.matchers.get(_FOLD_FIRST.get(first, first))
            cue = (scanner.other if pair is None else pair[1]).match(text, start)
            if cue is not None:  # always: the scanner matched here
                found.append((start, cue.end(), scanner.groups[cue.lastgroup or ""], cue.group(0)))
        return found
    cue_matchers, cue_other, heads = _case_insensitive_matchers()
    head_ends = [m.end() for m in heads.finditer(text)]
    pos = 0
    h = 0
    for w in _WORD_SPAN.finditer(text):
        start, word_end = w.span()
        while h < len(head_ends) and head_ends[h] <= start:
            h += 1
        if start < pos:
            continue
        has_head = h < len(head_ends) and head_ends[h] <= word_end
        first = text[start].lower()
        pair = cue_matchers.get(_FOLD_FIRST.get(first, first))
        if pair is None:
            if not has_head:
                continue
            matcher = cue_other
        else:
            matcher = pair[1] if has_head else pair[0]
        m = matcher.match(text, start)
        if m is None or m.end() == start:
            continue
        group = m.lastgroup or ""
        found.append((start, m.end(), int(group[1:].split("_")[0]), m.group(0)))
        pos = m.end()
    return found


_SECTION_RES = [(kind, compile_words(pat)) for kind, pat in SECTION_CUES]
_NEGATOR_RE = LazyPattern(rf"^(?:{umlaut_pattern(NEGATORS)})$", re.IGNORECASE)
_CONTRAST_RE = compile_words(CONTRAST)
_SUBJUNCTIVE_RE = compile_words(SUBJUNCTIVE)
_COUNTERFACTUAL_RE = compile_words(COUNTERFACTUAL)
_SENTENCE_END = LazyPattern(r"[.;!?]")
_CLAUSE_BREAK = LazyPattern(r"[.;:!?,–—]|(?<!\w)(?:und|oder|and|or)(?!\w)", re.IGNORECASE)
_WORD = LazyPattern(r"\w+(?:['’]t)?")
_MEHR_START = LazyPattern(
    umlaut_pattern(
        r"^\W*(?:mehr|weniger|bessere\w*|schnellere\w*|frühere\w*|einheitliche\w*|"
        r"höhere\w*|stärkere\w*|klarere\w*|engere\w*|intensivere\w*|verbindlichere\w*|"
        r"kürzere\w*|regelmäßigere\w*|gezieltere\w*|zusätzliche\w*)\b"
    ),
    re.IGNORECASE,
)
#: Tie-break order when two kinds have the same score.
_PRIORITY = ("concern", "need", "wish", "praise")

_GOAL_END = LazyPattern(rf"(?<!\bzu )(?<!\w)(?:{umlaut_pattern(GOAL_VERBS)})\W*$", re.IGNORECASE)
_SENTENCE_WORDS = 16
_INDIRECT_MODAL = LazyPattern(r"^(?:soll|sollen|sollte|sollten|sollt)$")
_INDIRECT_START = LazyPattern(
    r"^(?:was|wie|wo|wann|warum|wieso|weshalb|wozu|ob|welche[mnrs]?|wer|wem|wen)$",
    re.IGNORECASE,
)
_MARKER_PRAISE = LazyPattern(r"\s*(?:\+|(?:top|pro|plus|positiv|stärken?|lob)\s*:)", re.IGNORECASE)
_MARKER_CONCERN = LazyPattern(
    r"\s*(?:-(?=\s)|–(?=\s)|(?:flop|contra|kontra|minus|negativ|schwächen?|kritik)\s*:)",
    re.IGNORECASE,
)
_TICK_PRAISE = LazyPattern(r"[✓✔☑👍]|\(\+\)")
_TICK_CONCERN = LazyPattern(r"[✗✘❌👎]|\(-\)")
#: Every match of the two patterns above contains one of these characters, "(+)" or "(-)".
_TICK_ANY = LazyPattern(r"[✓✔☑👍✗✘❌👎]")
_W_QUESTION = LazyPattern(
    r"\W*(?:wie|wer|was|wo|wann|warum|wieso|weshalb|wozu|woher|how|who|what|why)\s+"
    r"(?!wäre|waere|wärs|about|nicht\b|not\b)",
    re.IGNORECASE,
)
#: Finite verbs that show a statement is a full sentence, not a bare goal ("… einführen").
_FINITE = compile_words(
    r"ist|sind|war|waren|wird|werden|wurde|wurden|hat|haben|hatte|hatten|will|wollen|soll|"
    r"sollen|sollte|sollten|muss|müssen|kann|können|könnte|könnten|möchte|möchten|gibt|wäre|"
    r"wären|würde|würden"
)

_QUANTITY = LazyPattern(
    rf"(?<!\w)\w*?(?:{umlaut_pattern(GOOD_QUANTITIES)}|(?P<bad>{umlaut_pattern(BAD_QUANTITIES)}))(?!\w)"
    rf"(?P<gap>[^.;:!?,–—]{{0,60}}?)(?<!\w)(?:(?P<up>{umlaut_pattern(UP_WORDS)})|"
    rf"{umlaut_pattern(DOWN_WORDS)})(?!\w)(?! als\b| than\b)",
    re.IGNORECASE,
)
#: The same, adjective before the noun ("hohe Motivation", "niedriger Krankenstand").
_QUANTITY_BEFORE = LazyPattern(
    r"(?<!\w)(?:(?P<up>hohe[rnms]?|gestiegene[rnms]?|steigende[rnms]?|wachsende[rnms]?|high)|"
    r"(?:geringe[rnms]?|niedrige[rnms]?|gesunkene[rnms]?|sinkende[rnms]?|low))"
    r"(?P<gap>\s+(?:\w+\s+)?)"
    rf"\w*(?:{umlaut_pattern(GOOD_QUANTITIES)}|(?P<bad>{umlaut_pattern(BAD_QUANTITIES)}))"
    r"(?!\w)",
    re.IGNORECASE,
)
_LEVEL_WORD = compile_words(
    rf"{UP_WORDS}|{DOWN_WORDS}|(?:hoh|gering|niedrig|gestiegen|gesunken|steigend|sinkend|"
    r"wachsend)e[rnms]?"
)
#: Modal or conditional words that turn a change into a goal ("… müssen sinken").
_GOAL_MODAL = compile_words(
    r"muss|müssen|müsste|müssten|soll|sollen|sollte|sollten|würde|würden|wäre|wären|könnte|"
    r"könnten|hätte|hätten|möchte|möchten|gern|gerne|wünsch\w*|brauch\w*|benötig\w*|damit|um|"
    r"wenn|falls|should|must|would|could|need|needs|want|wants"
)
_QUANTITY_WEIGHT = 4.0
_QUANTITY_BEFORE_WEIGHT = 2.0
#: Prepositions that make "hoher Fallzahl" an attribute ("Teams mit hoher Fallzahl").
_PREPOSITION = LazyPattern(
    r"^(?:mit|bei|für|trotz|von|vom|in|im|aus|wegen|ohne|zu|zur|zum|an|auf|durch|with|"
    r"despite|for|in|at|by|of)$",
    re.IGNORECASE,
)

_CONTRAST_AFTER = 1.5
_CONTRAST_BEFORE = 0.5


class _Rx(NamedTuple):
    """The case-insensitive patterns of the rules, or their case-sensitive twins for text
    lower-cased by :func:`_lowered` (same matches, several times faster)."""

    clause_break: LazyPattern
    contrast: LazyPattern
    negator: LazyPattern
    subjunctive: LazyPattern
    counterfactual: LazyPattern
    remedy: LazyPattern
    indirect_start: LazyPattern
    mehr_start: LazyPattern
    w_question: LazyPattern
    goal_end: LazyPattern
    finite: LazyPattern
    level_word: LazyPattern
    quantity: LazyPattern
    quantity_before: LazyPattern
    goal_modal: LazyPattern
    preposition: LazyPattern

    def case_sensitive(self) -> _Rx:
        """The same patterns compiled without ``re.IGNORECASE``."""
        rx = _Rx(*(LazyPattern(p.pattern, p.flags & ~re.IGNORECASE) for p in self))
        # the same matches, but starting with a character set lets ``re`` skip ahead fast
        return rx._replace(clause_break=_CLAUSE_BREAK_LOWER)


#: ``_CLAUSE_BREAK`` for lower-cased text: the first character is matched first, then for
#: "und"/"oder"/"and"/"or" the rest, with the word boundary checked behind the first letter.
_CLAUSE_BREAK_LOWER = LazyPattern(
    r"[.;:!?,–—uoa](?:(?<=[.;:!?,–—])|(?<=u)(?<!\w.)nd(?!\w)|(?<=o)(?<!\w.)(?:der(?!\w)|r(?!\w))|"
    r"(?<=a)(?<!\w.)nd(?!\w))"
)


def _clause_bounds(text: str, start: int, end: int, rx: _Rx) -> tuple[int, int]:
    """Start/end offsets of the clause (comma, ``und``, sentence end, contrast) around a span."""
    left = 0
    for m in rx.clause_break.finditer(text, 0, start):
        left = m.end()
    for m in rx.contrast.finditer(text, left, start):
        left = m.end()
    right = len(text)
    m = rx.clause_break.search(text, end)
    if m:
        right = m.start()
    m = rx.contrast.search(text, end, right)
    if m:
        right = m.start()
    return left, right


class _Clauses:
    """The clause breaks and contrast markers of one text, found once.

    :meth:`bounds` answers what :func:`_clause_bounds` answers, by bisection instead of
    new searches. It is meant for cue spans: they start at a word start and end before a
    non-word character, so a search cut off there or started there finds the same
    markers as the search over the whole text -- unless a marker runs across the start or
    end ("nur leider" around the cue "leider"); then it asks :func:`_clause_bounds`.
    """

    __slots__ = ("_across", "_breaks", "_contrasts", "_text", "last_contrast", "rx")

    def __init__(self, text: str, rx: _Rx) -> None:
        self._text = text
        self.rx = rx
        breaks = [m.span() for m in rx.clause_break.finditer(text)]
        contrasts = list(rx.contrast.finditer(text))
        self.last_contrast = contrasts[-1] if contrasts else None
        self._breaks = ([s for s, _ in breaks], [e for _, e in breaks])
        self._contrasts = ([m.start() for m in contrasts], [m.end() for m in contrasts])
        # A marker of word characters only cannot run across a word start or a cue end
        # (both border a non-word character); check the others ("nur leider") in bounds().
        self._across = any(
            e - s > 1 and not text[s:e].isalnum()
            for s, e in [*breaks, *(m.span() for m in contrasts)]
        )

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """Start/end offsets of the clause around the span ``start:end``."""
        b_starts, b_ends = self._breaks
        c_starts, c_ends = self._contrasts
        if self._across:
            for starts, ends in self._breaks, self._contrasts:
                for pos in {start, end}:
                    i = bisect_right(ends, pos)
                    if i < len(ends) and starts[i] < pos:  # a marker runs across pos
                        return _clause_bounds(self._text, start, end, self.rx)
        i = bisect_right(b_ends, start)
        left = b_ends[i - 1] if i else 0
        i = bisect_right(c_ends, start)
        if i and c_starts[i - 1] >= left:
            left = c_ends[i - 1]
        i = bisect_left(b_starts, end)
        right = b_starts[i] if i < len(b_starts) else len(self._text)
        i = bisect_left(c_starts, end)
        if i < len(c_starts) and c_ends[i] <= right:
            right = c_starts[i]
        return left, right


def _contrast_start(text: str, rx: _Rx, clauses: _Clauses | None = None) -> int | None:
    """Where the part after the last contrast marker begins, or ``None`` without one.

    German often puts "aber" after the verb ("…, müssen aber aktualisiert werden"), so
    the contrasted part starts at the beginning of the marker's clause (after the comma)
    when there is one within the sentence, else right after the marker.
    """
    if clauses is not None:
        last = clauses.last_contrast
    else:
        last = None
        for m in rx.contrast.finditer(text):
            last = m
    if last is None:
        return None
    head = text[: last.start()]
    sentence = max(head.rfind(c) for c in ".!?;")
    comma = max(head.rfind(c) for c in ",:–—")
    if comma > sentence and text[comma + 1 : last.start()].strip():
        return comma + 1
    return last.end()


_CONCESSIVE = LazyPattern(r"^(?:trotz|ungeachtet|despite)$", re.IGNORECASE)


def _concessive(text: str, start: int) -> bool:
    """True when the cue stands in a concessive phrase ("trotz hoher Belastung", "despite
    the delays"): it names the backdrop, not the speaker's judgement.

    The phrase runs from "trotz" over at most two lower-case words (article, adjective)
    to its noun; a capitalised German noun before the cue ends it.
    """
    lowered = text[:start].lower()
    if "trotz" not in lowered and "ungeachtet" not in lowered and "despite" not in lowered:
        return False
    left, _ = _clause_bounds(text, start, start, _RX)
    before = _WORD.findall(text[left:start])[-3:]
    for i, word in enumerate(before):
        if _CONCESSIVE.match(word):
            between = before[i + 1 :]
            return not any(w[:1].isupper() for w in between)
    return False


_REMEDY_RE = compile_words(REMEDY_VERBS)


def _remedied(text: str, start: int, end: int, clauses: _Clauses) -> bool:
    """True when a verb of remedy follows the cue within four words of its clause and no
    negator stands between ("die Belastung zu senken"; not "… wurde nicht gelöst")."""
    rx = clauses.rx
    _, right = clauses.bounds(start, end)
    window = _WORD.findall(text[end:right])[:4]
    for word in window:
        if rx.negator.match(word):
            return False
        if rx.remedy.fullmatch(word):
            return True
    return False


def _indirect(text: str, start: int, clauses: _Clauses) -> bool:
    """True when the clause of ``start`` is an indirect question ("…, was/ob/welche …")."""
    rx = clauses.rx
    left, _ = clauses.bounds(start, start)
    first = _WORD.findall(text[left:start])[:1]
    return bool(first) and rx.indirect_start.match(first[0]) is not None


def _negator(text: str, start: int, end: int, clauses: _Clauses, *, after: bool) -> str | None:
    """The negating word before (3 words) or, with ``after``, after (2 words) a cue in its
    clause, if any."""
    rx = clauses.rx
    left, right = clauses.bounds(start, end)
    before = _WORD.findall(text[left:start])[-3:]
    after_words = _WORD.findall(text[end:right]) if after else []
    for i, word in enumerate(before):
        if rx.negator.match(word):
            following = before[i + 1] if i + 1 < len(before) else ""
            if following.lower() != "nur":
                return word
    for word in after_words[:2] if after else []:
        if rx.negator.match(word) and word.lower() not in ("no", "kaum", "wenig"):
            return word
    return None


def _subjunctive(text: str, start: int, end: int, clauses: _Clauses) -> bool:
    """True when the cue's clause is a Konjunktiv II / conditional, not a counterfactual past."""
    rx = clauses.rx
    left, right = clauses.bounds(start, end)
    # The subjunctive verb may stand before the comma of a relative clause; use the sentence.
    sent_left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        sent_left = m.end()
    m = _SENTENCE_END.search(text, end)
    sent_right = m.start() if m else len(text)
    clause = text[left:right]
    sentence = text[sent_left:sent_right]
    if not rx.subjunctive.search(clause):
        return False
    return not rx.counterfactual.search(sentence)


_RX = _Rx(
    clause_break=_CLAUSE_BREAK,
    contrast=_CONTRAST_RE,
    negator=_NEGATOR_RE,
    subjunctive=_SUBJUNCTIVE_RE,
    counterfactual=_COUNTERFACTUAL_RE,
    remedy=_REMEDY_RE,
    indirect_start=_INDIRECT_START,
    mehr_start=_MEHR_START,
    w_question=_W_QUESTION,
    goal_end=_GOAL_END,
    finite=_FINITE,
    level_word=_LEVEL_WORD,
    quantity=_QUANTITY,
    quantity_before=_QUANTITY_BEFORE,
    goal_modal=_GOAL_MODAL,
    preposition=_PREPOSITION,
)
_RX_LOWER = _RX.case_sensitive()


#: Goal verbs are single words, so a match of ``_GOAL_END`` is the text's last word.
_GOAL_ONE_WORD = all(c.isalnum() or c in "_|" for c in GOAL_VERBS)


def _last_word_start(text: str) -> int:
    """Offset where the last run of word characters (``\\w`` of ``re``) in ``text`` starts."""
    i = len(text)
    while i and not (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    while i and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    return i


@lru_cache(maxsize=1024)
def _section_kind(section: str) -> str | None:
    """The kind a section heading leans to (first matching heading pattern), if any."""
    for kind, pattern in _SECTION_RES:
        if pattern.search(section):
            return kind
    return None


class _Cues(NamedTuple):
    """What the cue rules found in one text: a score and the cue labels per kind."""

    scores: tuple[float, ...]  # in the order of KINDS
    labels: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=65536)
def _cue_scores(text: str) -> _Cues:
    """Score one statement's text by the cue rules (no section lean, no fallback)."""
    scores = dict.fromkeys(KINDS, 0.0)
    cues: dict[str, list[str]] = {k: [] for k in KINDS}

    # ``low`` is what the patterns see: the text lower-cased (case-sensitive twins of the
    # patterns, same offsets) or, for rare characters, the text itself (``re.IGNORECASE``)
    lowered = _lowered(text)
    low, rx = (text, _RX) if lowered is None else (lowered, _RX_LOWER)
    clauses = _Clauses(low, rx)
    contrast_end = _contrast_start(low, rx, clauses)
    stripped = text.strip()
    low_stripped = low.strip()
    mehr_start = rx.mehr_start.search(low_stripped) is not None
    w_question = stripped.endswith("?") and rx.w_question.match(low_stripped) is not None
    before_contrast = dict.fromkeys(KINDS, 0.0)
    after_contrast = 0.0

    for start, end, index, matched in _find_cues(low, lowered=lowered is not None):
        kind, weight, _, fixed = CUES[index]
        label = matched.lower()
        if kind in ("concern", "praise") and _concessive(text, start):
            continue  # "leisten trotz hoher Belastung hervorragende Arbeit"
        if kind == "concern" and weight > 0 and _remedied(low, start, end, clauses):
            continue  # "Um die Belastung zu senken, braucht es …": a target, no complaint
        if not fixed:
            neg = _negator(low, start, end, clauses, after=kind == "praise")
            if neg is not None:
                label = f"{neg.lower()} … {label}" if neg.lower() != label else label
                if kind == "praise":
                    kind, weight = "concern", max(weight, 2.0)
                elif kind == "concern":
                    kind, weight = "praise", weight * 0.6
                else:
                    weight *= 0.5
                label = f"negated: {label}"
            elif kind == "wish" and _INDIRECT_MODAL.match(label) and _indirect(low, start, clauses):
                weight = 0.0  # "…, welche Unterlagen sie einreichen sollen": no proposal
            elif kind == "praise" and mehr_start:
                kind = "wish"
                label = f"wished: {label}"
            elif kind == "praise" and _subjunctive(low, start, end, clauses):
                kind = "wish"
                label = f"subjunctive: {label}"
        if contrast_end is not None:
            if start >= contrast_end:
                weight *= _CONTRAST_AFTER
                label = f"after contrast: {label}"
                after_contrast += weight
            else:
                before_contrast[kind] += weight
                weight *= _CONTRAST_BEFORE
        if weight > 0:
            scores[kind] += weight
            cues[kind].append(label)

    if (
        contrast_end is not None
        and after_contrast == 0
        and before_contrast["praise"] > 0
        and before_contrast["praise"] == max(before_contrast.values())
    ):
        # "gut, jedoch oft weit entfernt": what follows the contrast qualifies the praise
        scores["concern"] += 1.5
        cues["concern"].append("rule: praise, then contrast")
    if stripped.endswith("?"):
        scores["concern"] += 1.0
        cues["concern"].append("rule: question")
        if w_question and scores["wish"] > 0:
            # "Wie sollen Kunden das verstehen?": a modal in a w-question doubts, it
            # does not propose
            scores["concern"] += 1.5
            cues["concern"].append("rule: w-question")
    elif stripped.endswith("!"):
        scores["wish"] += 1.0
        cues["wish"].append("rule: imperative")
    if _TICK_ANY.search(stripped) is None and "(+)" not in stripped and "(-)" not in stripped:
        ticks = None, None
    else:
        ticks = _TICK_PRAISE.search(stripped), _TICK_CONCERN.search(stripped)
    if bool(ticks[0]) != bool(ticks[1]):
        # check marks and thumbs of photo protocols and survey answers: "Kooperation ✓"
        kind = "praise" if ticks[0] else "concern"
        scores[kind] += 2.0
        cues[kind].append(f"rule: marker {(ticks[0] or ticks[1]).group(0)}")  # type: ignore[union-attr]
    marker = _MARKER_PRAISE.match(stripped) or _MARKER_CONCERN.match(stripped)
    if marker is not None:
        # pros/cons notation of photo protocols: "+ kurze Wege", "Flop: Raumsituation"
        kind = "praise" if marker.re.pattern == _MARKER_PRAISE.pattern else "concern"
        scores[kind] += 2.0 if kind == "praise" or marker.group(0).strip() != "-" else 1.0
        cues[kind].append(f"rule: marker {marker.group(0).strip()}")
    if mehr_start:
        scores["wish"] += 1.5
        cues["wish"].append(f"rule: {_WORD.findall(stripped)[0]} …")
    # a goal verb ends the text: only its last word can match
    goal_from = _last_word_start(low_stripped) if _GOAL_ONE_WORD else 0
    if rx.goal_end.search(low_stripped, goal_from) and not rx.finite.search(low_stripped):
        scores["wish"] += 1.5
        cues["wish"].append("rule: goal infinitive")

    changes = []
    if rx.level_word.search(low):  # cheap test first: most statements name no level
        changes = sorted(
            [*rx.quantity.finditer(low), *rx.quantity_before.finditer(low)],
            key=lambda m: m.start(),
        )
    for m in changes:
        # "Der Krankenstand ist gesunken", "Die Motivation ist hoch": the direction of a
        # change decides, not the noun (a concern word) or the plain statement
        if re.search(r"(?<!\w)(?:nicht|kaum|not)(?!\w)", m.group("gap"), re.IGNORECASE):
            continue
        sentence_start = max(low.rfind(c, 0, m.start()) for c in ".;!?") + 1
        found = _SENTENCE_END.search(low, m.end())
        sentence = low[sentence_start : found.start() if found else len(low)]
        if rx.goal_modal.search(sentence) or sentence.rstrip().endswith("?"):
            continue
        before = m.re.pattern == rx.quantity_before.pattern
        previous = _WORD.findall(low[: m.start()])[-1:]
        if before and previous and rx.preposition.match(previous[0]):
            continue  # "für Teams mit hoher Fallzahl": describes, does not assess
        good_news = (m.group("bad") is None) == (m.group("up") is not None)
        kind = "praise" if good_news else "concern"
        scores[kind] += _QUANTITY_BEFORE_WEIGHT if before else _QUANTITY_WEIGHT
        cues[kind].append(f"rule: level of {m.group(0).lower()}")
        break

    return _Cues(
        tuple(scores[k] for k in KINDS),
        tuple(tuple(dict.fromkeys(cues[k])) for k in KINDS),
    )


def _decide(scores: dict[str, float], cues: dict[str, list[str]]) -> tuple[str | None, float, str]:
    """The rules' decision: highest total wins; confidence ``best / (total + 1)``."""
    total = sum(scores.values())
    if total <= 0:
        return None, 0.0, ""
    best = max(_PRIORITY, key=lambda k: (scores[k], -_PRIORITY.index(k)))
    confidence = round(min(scores[best] / (total + 1.0), 0.99), 3)
    unique = list(dict.fromkeys(cues[best]))
    return best, confidence, "; ".join(unique)


def _rule_totals(
    text: str, section: str, section_weight: float
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Cue scores of ``text`` plus the section lean, with their labels, per kind."""
    found = _cue_scores(text)
    scores = dict(zip(KINDS, found.scores, strict=True))
    cues = {k: list(labels) for k, labels in zip(KINDS, found.labels, strict=True)}
    if section:
        lean = _section_kind(section)
        if lean is not None:
            scores[lean] += section_weight
            cues[lean].append(f"section: {section}")
    return scores, cues


@lru_cache(maxsize=65536)
def _infer_rules_only(
    text: str, section: str, section_weight: float
) -> tuple[str | None, float, str]:
    """The cue rules alone, with the fallback of versions before the model (for the
    benchmark's "before" figures): no cue makes a short fragment a wish and any other
    statement a concern."""
    scores, cues = _rule_totals(text, section, section_weight)
    stripped = text.strip()
    if sum(scores.values()) <= 0 and stripped:
        if stripped[-1] not in ".!?" and len(_WORD.findall(stripped)) <= _SENTENCE_WORDS:
            scores["wish"] += 0.5
            cues["wish"].append("rule: fragment")
        else:
            scores["concern"] += 0.5
            cues["concern"].append("rule: plain statement")
    return _decide(scores, cues)


def infer_kinds(
    records: pd.DataFrame, *, section_weight: float = 1.0, use_model: bool = True
) -> pd.DataFrame:
    """Fill in missing kinds and report how each kind was decided and whether to check it.

    Parameters
    ----------
    records : DataFrame
        A record table (at least ``text``; ``kind`` and ``section`` are used when
        present). Not modified.
    section_weight : float, default 1.0
        Weight of the section-heading lean ("Bedarfe", "Wünsche", "Lob", "Kritik", …);
        0 switches it (and the section words) off.
    use_model : bool, default True
        False: the cue rules alone, as before the model (a statement without any cue
        becomes a ``wish`` if it is a short fragment, else a ``concern``, with
        confidence 0.33 and ``kind_review`` True).

    Returns
    -------
    DataFrame
        A copy of ``records`` with ``kind`` filled for inferred rows and four more
        columns: ``kind_source`` (``'given'``, ``'inferred'`` or ``'none'`` for an empty
        text), ``kind_confidence`` (float 0..1: the calibrated probability that the
        inferred kind is right; 1.0 for given kinds, 0.0 when there is no text),
        ``kind_cue`` (the cue words or rule that decided, ``"model: …"`` with the
        strongest model features when the model overruled the cues or none fired,
        ``'given'`` for given kinds, missing when none) and ``kind_review`` (bool: True
        when an analyst should check the kind -- inferred with a confidence below the
        model's review threshold, or no text; never for given kinds).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["Die Schulung war nicht hilfreich.",
    ...                             "Wir wünschen uns mehr Praxisbezug."]})
    >>> infer_kinds(df)[["kind", "kind_source", "kind_cue"]].to_dict("list")["kind"]
    ['concern', 'wish']
    """
    model = shipped_model() if use_model else None
    return _infer(records, section_weight=section_weight, model=model)


def _readable(feature: str, section: str, cues: dict[str, list[str]]) -> str:
    """A model feature as an analyst reads it in ``kind_cue``."""
    group, _, name = feature.partition(":")
    if group == "w":
        return name
    if group == "b":
        return name.replace("_", " ")
    if group == "c":
        core = name.strip("<>")
        return f"{'' if name.startswith('<') else '…'}{core}{'' if name.endswith('>') else '…'}"
    if group == "s":
        return f"section word {name}"
    if group == "sc":
        core = name.strip("<>")
        before = "" if name.startswith("<") else "…"
        after = "" if name.endswith(">") else "…"
        return f"section word {before}{core}{after}"
    if group == "x":
        return f"other statements under this heading lean {name}"
    if feature == "r:none":
        return "no cue word"
    if name.startswith("section:"):
        return f"section: {section}"
    if group == "r":
        labels = cues.get(name, [])
        return f"{name} cues ({', '.join(labels)})" if labels else f"{name} cues"
    return {"question": "question", "exclamation": "exclamation mark", "fragment": "fragment"}.get(
        name, feature
    )


def _dense_inputs(
    texts: list[str], sections: list[str], groups: list[str], section_weight: float
) -> list[dict[str, float]]:
    """The model's rule, form and heading-context features of each statement.

    ``groups`` names the table each statement comes from (the workshop): the context of
    a statement is the other statements of its group under the same heading.
    """
    dense = []
    found_scores = []
    for text, section in zip(texts, sections, strict=True):
        found = _cue_scores(text)
        found_scores.append(found.scores)
        lean = _section_kind(section) if section and section_weight > 0 else None
        dense.append(dense_features(found.scores, lean, section_weight, text))
    keys = [
        (group, section) if section and section_weight > 0 else None
        for group, section in zip(groups, sections, strict=True)
    ]
    for row, extra in zip(dense, context_features(found_scores, keys), strict=True):
        row.update(extra)
    return dense


def _infer(
    records: pd.DataFrame, *, section_weight: float, model: KindModel | None
) -> pd.DataFrame:
    """:func:`infer_kinds` with a given model (``None``: the cue rules alone)."""
    out = records.copy()
    n = len(out)
    if "kind" in out.columns:
        given_kind = out["kind"].astype("string")
    else:
        given_kind = pd.Series(pd.NA, index=out.index, dtype="string")
    given = given_kind.notna() & (given_kind.str.strip() != "")
    given = given.fillna(False).to_numpy(dtype=bool)
    texts = out["text"].astype("string").fillna("").tolist()
    if "section" in out.columns:
        sections = out["section"].astype("string").fillna("").tolist()
    else:
        sections = [""] * n
    weight = float(section_weight)
    if "workshop" in out.columns:
        workshops = out["workshop"].astype("string").fillna("").tolist()
    else:
        workshops = [""] * n

    kinds: list[object] = given_kind.tolist()
    source = np.full(n, "given", dtype=object)
    confidence = np.ones(n, dtype=float)
    cue: list[object] = ["given"] * n
    review = np.zeros(n, dtype=bool)
    todo = [int(i) for i in np.flatnonzero(~given)]
    with_text = [i for i in todo if texts[i].strip()]
    for i in todo:
        if not texts[i].strip():
            kinds[i], source[i], confidence[i], cue[i] = pd.NA, "none", 0.0, pd.NA
            review[i] = True
    if model is None:
        for i in with_text:
            kind, conf, why = _infer_rules_only(texts[i], sections[i], weight)
            kinds[i], source[i], confidence[i], cue[i] = kind, "inferred", conf, why
            review[i] = conf < _RULES_REVIEW_BELOW
    elif with_text:
        rule_kinds: list[str | None] = []
        rule_conf: list[float] = []
        rule_why: list[str] = []
        rule_cues: list[dict[str, list[str]]] = []
        dense = _dense_inputs(
            [texts[i] for i in with_text],
            [sections[i] for i in with_text],
            [workshops[i] for i in with_text],
            weight,
        )
        for i in with_text:
            scores, cues = _rule_totals(texts[i], sections[i] if weight > 0 else "", weight)
            kind, conf, why = _decide(scores, cues)
            rule_kinds.append(kind)
            rule_conf.append(conf)
            rule_why.append(why)
            rule_cues.append(cues)
        used_sections = [sections[i] if weight > 0 else "" for i in with_text]
        # in batches: the sparse rows of a million statements would not fit in memory
        for lo in range(0, len(with_text), _BATCH):
            batch = range(lo, min(lo + _BATCH, len(with_text)))
            x = model.vectorise(
                [texts[with_text[j]] for j in batch],
                used_sections[batch.start : batch.stop],
                dense[batch.start : batch.stop],
            )
            proba = model.probabilities(x)
            winners = combine(
                proba,
                rule_kinds[batch.start : batch.stop],
                rule_conf[batch.start : batch.stop],
            )
            explain = [
                b
                for b, w in enumerate(winners)
                if MODEL_CLASSES[w] != rule_kinds[lo + b] or not rule_why[lo + b]
            ]
            tops = model.top_features(x, winners, np.asarray(explain, dtype=np.int64))
            for b, j in enumerate(batch):
                i = with_text[j]
                kind = MODEL_CLASSES[winners[b]]
                kinds[i], source[i] = kind, "inferred"
                confidence[i] = round(float(proba[b, winners[b]]), 3)
                review[i] = confidence[i] < model.review_threshold
                if kind == rule_kinds[j] and rule_why[j]:
                    cue[i] = rule_why[j]
                else:
                    named = [_readable(f, sections[i], rule_cues[j]) for f in tops.get(b, [])]
                    cue[i] = "model: " + (", ".join(named) if named else "no telling feature")

    out["kind"] = pd.array(kinds, dtype="string")
    out["kind_source"] = pd.array(source.tolist(), dtype="string")
    out["kind_confidence"] = confidence
    out["kind_cue"] = pd.array(cue, dtype="string")
    out["kind_review"] = review
    return out


#: Statements vectorised and scored at a time (bounds memory on large inputs).
_BATCH = 20_000

#: A cue-rule decision at least this confident (about one explicit cue and no
#: conflicting one) stands; below it the model decides.
RULES_DECIDE_FROM = 0.75


def combine(proba: np.ndarray, rule_kinds: list[str | None], rule_conf: list[float]) -> np.ndarray:
    """Index of the kind of each statement: the cue rules' kind where they are confident
    (``RULES_DECIDE_FROM``), else the model's most probable kind."""
    winners = proba.argmax(axis=1)
    for j, (kind, conf) in enumerate(zip(rule_kinds, rule_conf, strict=True)):
        if kind is not None and conf >= RULES_DECIDE_FROM:
            winners[j] = MODEL_CLASSES.index(kind)
    return winners


#: Without the model file, rule decisions below this confidence are flagged for review.
_RULES_REVIEW_BELOW = 0.5


_NONE = "(none)"


def _labels(values: object, name: str) -> pd.Series:
    """A Series of kind labels from a Series/list/array or a frame with a ``kind`` column."""
    if isinstance(values, pd.DataFrame):
        if "kind" not in values.columns:
            raise ValueError(f"{name}: a DataFrame needs a 'kind' column")
        series = values["kind"]
    elif isinstance(values, pd.Series):
        series = values
    else:
        series = pd.Series(list(values))  # type: ignore[call-overload]
    return series.astype("string").str.strip().str.lower().fillna(_NONE).replace("", _NONE)


def evaluate_kinds(gold: object, predicted: object) -> dict[str, object]:
    """Compare predicted kinds with hand-assigned (gold) kinds.

    Parameters
    ----------
    gold, predicted : DataFrame, Series or sequence of str
        Kinds per record. Two DataFrames are aligned on ``record_id`` (column ``kind``
        each); otherwise the two are compared position by position. A missing
        prediction counts as wrong (column ``(none)`` of the confusion matrix).

    Returns
    -------
    dict
        ``n`` (records compared), ``accuracy``, ``macro_f1`` (unweighted mean F1 over the
        kinds that occur in gold or predictions), ``coverage`` (share with a
        prediction), ``per_class`` (DataFrame indexed by kind: ``precision, recall, f1,
        support``; 0 where undefined) and ``confusion`` (DataFrame: rows gold kind,
        columns predicted kind plus ``(none)``).
    """
    if isinstance(gold, pd.DataFrame) and isinstance(predicted, pd.DataFrame):
        merged = gold[["record_id", "kind"]].merge(
            predicted[["record_id", "kind"]], on="record_id", how="left", suffixes=("_g", "_p")
        )
        g = _labels(merged["kind_g"], "gold")
        p = _labels(merged["kind_p"], "predicted")
    else:
        g = _labels(gold, "gold").reset_index(drop=True)
        p = _labels(predicted, "predicted").reset_index(drop=True)
        if len(g) != len(p):
            raise ValueError(f"gold has {len(g)} labels but predicted has {len(p)}")
    g_arr = g.to_numpy(dtype=object)
    p_arr = p.to_numpy(dtype=object)
    present = set(g_arr) | set(p_arr)
    extra = sorted(present - set(KINDS) - {_NONE})
    classes = [k for k in KINDS if k in present] + extra
    rows = classes
    cols = [*classes, _NONE]
    confusion = pd.DataFrame(
        0, index=pd.Index(rows, name="gold"), columns=pd.Index(cols, name="predicted"), dtype=int
    )
    for gv, pv in zip(g_arr, p_arr, strict=True):
        if gv == _NONE:
            continue
        confusion.loc[gv, pv] += 1
    n = int(confusion.to_numpy().sum())
    tp = np.array([confusion.loc[c, c] for c in classes], dtype=float)
    predicted_count = np.array([confusion[c].sum() for c in classes], dtype=float)
    support = confusion.loc[classes].sum(axis=1).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted_count > 0, tp / predicted_count, 0.0)
        recall = np.where(support > 0, tp / support, 0.0)
        denom = precision + recall
        f1 = np.where(denom > 0, 2 * precision * recall / denom, 0.0)
    per_class = pd.DataFrame(
        {"precision": precision, "recall": recall, "f1": f1, "support": support.astype(int)},
        index=pd.Index(classes, name="kind"),
    )
    return {
        "n": n,
        "accuracy": float(tp.sum() / n) if n else float("nan"),
        "macro_f1": float(f1.mean()) if len(classes) else float("nan"),
        "coverage": float(1 - confusion[_NONE].sum() / n) if n else float("nan"),
        "per_class": per_class,
        "confusion": confusion,
    }
