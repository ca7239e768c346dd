"""Cue words for action items: horizon, owner (named actors) and emphasis, with offsets.

A cue matches case-insensitively at the start of a word (ä/ae, ö/oe, ü/ue, ß/ss alike) and
may carry up to three more letters of inflection ("kurzfristig" matches "kurzfristige",
"sofort" matches "sofortige" but not "Soforthilfe"). A leading ``*`` also matches inside a
compound ("*planung" matches "Bedarfsplanung") with any ending. Words of a phrase may be
separated by spaces or hyphens.

Every hit is a :class:`Cue` with the cue, the matched text and its character offsets in the
statement, so that a rationale can show exactly what decided.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

#: Cues that make an action short-term.
SHORT_CUES: tuple[str, ...] = (
    "kurzfristig",
    "sofort",
    "ab sofort",
    "zeitnah",
    "umgehend",
    "so schnell wie möglich",
    "möglichst bald",
    "bekannt machen",
    "bekannter machen",
    "bekannt zu machen",
    "bekannter zu machen",
    "bekanntmachen",
    "informieren",
    "hinweisen",
    "short-term",
    "short term",
    "immediately",
    "right away",
    "as soon as possible",
    "asap",
    "next time",
    "make known",
)

#: Cues that make an action long-term.
LONG_CUES: tuple[str, ...] = (
    "längerfristig",
    "langfristig",
    "mittelfristig",
    "dauerhaft",
    "strukturell",
    "auf dauer",
    "nachhaltig",
    "ab dem nächsten jahr",
    "ab nächstem jahr",
    "im nächsten jahr",
    "in den kommenden jahren",
    "über mehrere jahre",
    "*planung",
    "long-term",
    "long term",
    "in the long run",
    "from next year",
    "next year",
    "in one year",
    "structural",
    "over several years",
)

#: Emphasis cues: each supporting statement containing one raises the priority.
EMPHASIS_CUES: tuple[str, ...] = (
    "besonders",
    "besondere",
    "hohe bedarfe",
    "hoher bedarf",
    "hohen bedarf",
    "höher als",
    "*kapazität",
    "dringend",
    "wesentlich",
    "wichtig",
    "problematisch",
    "am herzen",
    "unbedingt",
    "zu wenig",
    "*mangel",
    "entscheidend",
    "urgent",
    "especially",
    "higher than",
    "*capacity",
    "critical",
    "crucial",
    "essential",
    "important",
)

#: Named actors: (cue, owner name). A named actor counts as the owner only where the
#: statement makes it the agent: the actor followed within three words of the same clause
#: (no punctuation in between) by a modal verb
#: ("die BA sollte …", "the host should …"), a modal verb directly before it ("kann die
#: Servicestelle …"), or "von/durch/by" before it. "Für die Jobcenter sind Wartezeiten
#: problematisch" names the Jobcenter as those affected, not as the owner.
ACTORS: tuple[tuple[str, str], ...] = (
    ("die ba", "BA"),
    ("der ba", "BA"),
    ("bundesagentur", "BA"),
    ("servicestelle", "Servicestelle SGB II"),
    ("die jobcenter", "Jobcenter"),
    ("den jobcentern", "Jobcenter"),
    ("jobcenter", "Jobcenter"),
    ("der bund", "Bund"),
    ("des bundes", "Bund"),
    ("bmas", "BMAS"),
    ("bundesministerium", "BMAS"),
    ("die kommune", "Kommune"),
    ("die kommunen", "Kommune"),
    ("die stadt", "Stadt"),
    ("the federal employment agency", "BA"),
    ("the ba", "BA"),
    ("the job centres", "Jobcenter"),
    ("the jobcentres", "Jobcenter"),
    ("the jobcenters", "Jobcenter"),
    ("the federal government", "Bund"),
    ("the host", "Workshop hosts"),
    ("the hosts", "Workshop hosts"),
    ("instructors", "Instructors"),
    ("organizers", "Organizers"),
    ("organisers", "Organizers"),
)

_MODALS = (
    "sollte|sollten|soll|sollen|muss|müsse|müssen|muesse|muessen|müsste|muesste|müssten|"
    "muessten|könnte|koennte|könnten|koennten|kann|können|koennen|will|wollen|möge|moege|"
    "should|must|could|will|shall|needs to|need to|ought to|has to|have to"
)


@dataclass(frozen=True)
class Cue:
    """One cue found in a statement: the cue, the text it matched and its offsets."""

    cue: str
    match: str
    start: int
    end: int


def fold(text: str) -> str:
    """Case-fold and transliterate umlauts (same length as ``text`` for ä/ö/ü only).

    ``ß`` becomes ``ss``; offsets into the folded text are mapped back by
    :func:`_offsets`.
    """
    text = unicodedata.normalize("NFC", text).casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return text


def _index_map(text: str) -> list[int]:
    """For each position of ``fold(text)``, the position in ``text`` it comes from."""
    norm = unicodedata.normalize("NFC", text)
    if len(fold(norm)) == len(norm):  # no character grew (casefold never shrinks): 1:1
        return list(range(len(norm)))
    out: list[int] = []
    for i, ch in enumerate(norm):
        out.extend([i] * (1 if ch.isascii() else len(fold(ch))))
    return out


@lru_cache(maxsize=8192)
def _prepared(text: str) -> tuple[str, list[int], str]:
    """``(fold(text), _index_map(text), NFC text)``, once per statement (horizon, owner and
    priority cues all search the same statements)."""
    return fold(text), _index_map(text), unicodedata.normalize("NFC", text)


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(cue: str, *, exact: bool = False) -> re.Pattern[str]:
    key = ("=" if exact else "") + cue
    pattern = _PATTERNS.get(key)
    if pattern is None:
        inside = cue.startswith("*")
        words = [re.escape(w) for w in fold(cue.lstrip("*")).split()]
        body = r"[\s\-]+".join(words)
        tail = r"\w*" if inside else r"(?!\w)" if exact else r"\w{0,3}(?!\w)"
        head = r"\w*" if inside else r"(?<!\w)"
        pattern = _PATTERNS[key] = re.compile(head + body + tail)
    return pattern


@lru_cache(maxsize=256)
def _any_of(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern that matches where any of ``cues`` does (a quick test first: most
    statements name no cue at all)."""
    return re.compile("|".join(f"(?:{_pattern(c).pattern})" for c in cues))


def find_cues(text: str, cues: Sequence[str]) -> list[Cue]:
    """Every cue of ``cues`` found in ``text`` (first hit per cue), in text order."""
    folded, index, norm = _prepared(text)
    if not cues or not _any_of(tuple(cues)).search(folded):
        return []
    hits: list[Cue] = []
    taken: list[tuple[int, int]] = []
    for cue in sorted(cues, key=len, reverse=True):  # longest first: "ab sofort" > "sofort"
        m = _pattern(cue).search(folded)
        if not m:
            continue
        start = index[m.start()]
        end = index[m.end() - 1] + 1
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        hits.append(Cue(cue, norm[start:end], start, end))
    return sorted(hits, key=lambda c: c.start)


def find_cue(text: str, cues: Sequence[str]) -> str | None:
    """The first cue of ``cues`` (in list order) found in ``text``, or None."""
    folded = _prepared(text)[0]
    for cue in cues:
        if _pattern(cue).search(folded):
            return cue
    return None


_GAP = r"[^\w,;.:!?()]+"  # words of one clause: no punctuation in between
_AGENT_AFTER = re.compile(
    r"^(?:" + _GAP + r"\w+){0,3}?" + _GAP + "(?:" + fold(_MODALS) + r")(?!\w)"
)
_AGENT_BEFORE = re.compile(
    r"(?<!\w)(?:" + fold(_MODALS) + r"|von|durch|by)\s+(?:(?:die|der|den|das|dem|des|the)\s+)?$"
)


def find_actors(text: str) -> list[tuple[str, Cue]]:
    """Named actors that the statement makes the agent: ``(owner, cue)`` in text order.

    See :data:`ACTORS` for the patterns.
    """
    folded, index, norm = _prepared(text)
    out: list[tuple[str, Cue]] = []
    taken: list[tuple[int, int]] = []
    for cue, owner in sorted(ACTORS, key=lambda a: len(a[0]), reverse=True):
        for m in _pattern(cue, exact=True).finditer(folded):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            after = folded[m.end() : m.end() + 60]
            before = folded[max(0, m.start() - 20) : m.start()]
            if _AGENT_AFTER.match(after) or _AGENT_BEFORE.search(before):
                taken.append((m.start(), m.end()))
                start, end = index[m.start()], index[m.end() - 1] + 1
                out.append((owner, Cue(cue, norm[start:end], start, end)))
    return sorted(out, key=lambda x: x[1].start)
