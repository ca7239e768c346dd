"""Keyword syntax and the compiled keyword matcher used by :mod:`workshop_analysis.tagging`.

The public description of the matching rules is in the docstring of ``tagging``; this
module implements them:

* a keyword is *folded* to a canonical key: lower case, ``ä ö ü ß`` → ``ae oe ue ss``,
  runs of white space and hyphens → one space;
* the key is split into *tokens*: ``ae oe ue ss`` are one *unit* each (matching either
  spelling in the text), a space stands for any run of separators, any other character is
  itself;
* each key is expanded to all its literal *spellings* (``führung`` → ``fuehrung``,
  ``führung``: a key with *k* units has 2**k spellings). Matching the spellings literally
  is exactly the unit rule: ``gros`` does not match ``groß`` (no spelling ends inside
  ``ß``), ``gross`` does.

Algorithm of :meth:`Matcher.find` (one pass, cost linear in the text size):

1. *Fold the text* without moving letters: as Latin-1 bytes, ONE ``bytes.translate``
   lower-cases, turns every separator (``\\s``, ``-``) into a space and every other
   non-word character that no keyword contains into one *marker* byte. Characters outside
   Latin-1 (German typography: ``„ “ ‚ ‘ – — … €``, but also ``Σ``, emoji …) are replaced
   by one byte each while encoding (a codec error handler, called once per run of such
   characters, so offsets do not move): a separator by a space, a word character by a
   *word placeholder* byte that no keyword contains, any other character by the marker,
   and the few whose lower case is in Latin-1 (``K`` Kelvin → ``k``) by that letter. Only
   when a keyword itself contains a character outside Latin-1 that occurs in the text, or
   when such characters are so frequent that the handler would be called very often
   (Greek or Cyrillic text), does the text take the UTF-32 path with numpy instead
   (without the marker). Runs of several separators are collapsed to one space; only
   where that happens are positions remembered (``np.searchsorted`` maps them back to
   the original text).
2. *Find all spellings at once*: one Aho–Corasick automaton (``ahocorasick_rs``, a DFA in
   Rust) reports every overlapping occurrence of every spelling. Spellings of word-start
   keywords are searched with a leading space or marker, so the automaton (almost) only
   reports occurrences at word starts; ``*`` keywords are searched bare.
3. *Check with numpy* (vectorised over all occurrences): the character before a
   word-start keyword and after a ``!`` keyword must not be a word character (``\\w``);
   the matched word(s) are widened to the whole words by walking over word characters.

The text keeps its length up to the collapsed separator runs (``İ``, whose lower case is
two characters, is first mapped to ``I``), so offsets refer to the original text.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import ahocorasick_rs
import numpy as np

#: Characters transliterated in keys (both in keywords and in matched text).
FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "\u0307": ""})
_SEP_RUN = re.compile(r"[\s\-]+")
_UNITS = ("ae", "oe", "ue", "ss")


#: Characters lower-cased per :meth:`str.lower` call (CPython allocates 12 bytes per
#: character of a non-ASCII string for it: chunks keep that small).
LOWER_CHUNK = 1 << 20


def lower_text(text: str) -> str:
    """Lower-case ``text`` keeping its length (``İ`` would otherwise become two characters).

    Long texts are lower-cased in chunks cut after a space, which bounds the temporary
    memory of :meth:`str.lower` without changing the result.
    """
    if "İ" in text:
        text = text.replace("İ", "I")
    if len(text) <= LOWER_CHUNK:
        return text.lower()
    parts: list[str] = []
    pos = 0
    while pos < len(text):
        cut = text.find(" ", pos + LOWER_CHUNK)
        cut = len(text) if cut == -1 else cut + 1
        parts.append(text[pos:cut].lower())
        pos = cut
    return "".join(parts)


def fold(text: str) -> str:
    """Canonical key of a keyword or a matched piece of text."""
    key = unicodedata.normalize("NFC", text).lower().translate(FOLD)
    return _SEP_RUN.sub(" ", key).strip()


@dataclass(frozen=True)
class Keyword:
    """A parsed keyword: ``raw`` as written, ``key`` folded, flags from ``*`` and ``!``."""

    raw: str
    key: str
    infix: bool
    exact: bool
    tokens: tuple[str, ...] = field(compare=False)


def tokenize(key: str) -> tuple[str, ...]:
    """Split a folded key into match tokens (``ae``/``oe``/``ue``/``ss`` stay together)."""
    out: list[str] = []
    i = 0
    while i < len(key):
        pair = key[i : i + 2]
        if pair in _UNITS:
            out.append(pair)
            i += 2
        else:
            out.append(key[i])
            i += 1
    return tuple(out)


def parse_keyword(raw: str) -> Keyword:
    """Parse ``raw`` (``*`` prefix: inside compounds; ``!`` suffix: whole word).

    Raises
    ------
    ValueError
        With a user-facing message when the keyword is unusable.
    """
    text = unicodedata.normalize("NFC", str(raw)).strip()
    infix = text.startswith("*")
    exact = text.endswith("!")
    core = text[1 if infix else 0 : len(text) - 1 if exact else len(text)].strip()
    if "*" in core or "!" in core:
        raise ValueError(f"keyword {raw!r}: '*' is only allowed at the start, '!' at the end")
    if any(unicodedata.category(ch) == "Cc" and not ch.isspace() for ch in core):
        # read_records turns them into spaces, and NUL joins the texts in tagging.tag
        raise ValueError(f"keyword {raw!r} contains a control character (such as NUL)")
    key = fold(core)
    if not key:
        raise ValueError(f"keyword {raw!r} is empty")
    if not (key[0].isalnum() and key[-1].isalnum()):
        raise ValueError(f"keyword {raw!r} must start and end with a letter or digit")
    return Keyword(raw=text, key=key, infix=infix, exact=exact, tokens=tokenize(key))


#: Literal spelling of each two-letter unit in the text (besides the two letters).
_UNIT_CHAR = {"ae": "ä", "oe": "ö", "ue": "ü", "ss": "ß"}


def spellings(tokens: tuple[str, ...]) -> list[str]:
    """Every literal spelling of a token sequence (``ae``/``ä``, …; a separator is ``" "``).

    A keyword with *k* units has ``2**k`` spellings; together they match exactly what the
    token sequence matches in a text whose separator runs are folded to one space.
    """
    out = [""]
    for tok in tokens:
        options = [tok, _UNIT_CHAR[tok]] if tok in _UNIT_CHAR else [tok]
        out = [prefix + s for prefix in out for s in options]
    return out


_SEP_CHAR = re.compile(r"[\s\-]")
_WORD_CHAR = re.compile(r"\w")
#: White space (``\s``) ends at U+3000.
_SEP_LIMIT = 0x3001
#: Characters of a text scanned per step of the vectorised word-boundary search before
#: falling back to one pass over the whole chunk (keeps very long "words" linear).
_WALK_STEPS = 64


def _latin1_table(keep: frozenset[str], marker: int | None) -> bytes:
    """``bytes.translate`` table for Latin-1 texts: lower case, separators → space and,
    with a ``marker``, every other non-word character not in ``keep`` → ``marker``."""
    table = bytearray(range(256))
    for i in range(256):
        c = chr(i)
        low = c.lower()
        if _SEP_CHAR.match(c):
            table[i] = 32
        elif marker is not None and not _WORD_CHAR.match(c) and c not in keep:
            table[i] = marker
        elif len(low) == 1 and ord(low) < 256:  # always true for Latin-1
            table[i] = ord(low)
    return bytes(table)


@functools.cache
def _sep_codes() -> np.ndarray:
    return np.asarray([i for i in range(_SEP_LIMIT) if _SEP_CHAR.match(chr(i))], dtype=np.uint32)


@functools.cache
def _word_table() -> np.ndarray:
    """``\\w`` (``str.isalnum`` or ``_``) for every code point of the Basic Multilingual Plane."""
    table = np.frombuffer(bytes(c.isalnum() for c in map(chr, range(0x10000))), dtype=bool)
    table = table.copy()
    table[ord("_")] = True
    return table


def _is_word(codes: np.ndarray) -> np.ndarray:
    """``\\w`` for an array of code points (Latin-1 bytes or UTF-32 code units)."""
    table = _word_table()
    if codes.dtype == np.uint8 or not len(codes) or int(codes.max()) < 0x10000:
        return table[codes]
    out = np.zeros(len(codes), dtype=bool)
    small = codes < 0x10000
    out[small] = table[codes[small]]
    big = np.flatnonzero(~small)
    out[big] = [_WORD_CHAR.match(chr(c)) is not None for c in codes[big].tolist()]
    return out


def _walk(codes: np.ndarray, pos: np.ndarray, step: int, *, fenced: bool = False) -> np.ndarray:
    """Move each position over word characters: forward (``step=1``) to the first
    non-word character at or after it, backward (``step=-1``) to the start of the word
    that ends just before it.

    ``fenced``: ``codes`` are Latin-1 bytes that start and end with a non-word character,
    so no walk can leave them (no bounds checks needed).
    """
    n = len(codes)
    if fenced and len(pos):
        word = _word_table()[:256]
        cur = pos.copy() if step > 0 else pos - 1  # the character looked at
        active = np.flatnonzero(word[codes[cur]])
        for _ in range(_WALK_STEPS):
            if not len(active):
                return cur if step > 0 else cur + 1
            cur[active] += step
            active = active[word[codes[cur[active]]]]
        pos = cur if step > 0 else cur + 1  # very long words: finish below
    out = pos.copy()
    active = np.arange(len(pos))
    for _ in range(_WALK_STEPS):
        if not len(active):
            return out
        probe = out[active] if step > 0 else out[active] - 1
        inside = (probe >= 0) & (probe < n)
        word = np.zeros(len(probe), dtype=bool)
        word[inside] = _is_word(codes[probe[inside]])
        active = active[word]
        out[active] += step
    if len(active):  # very long words: one pass over the whole text
        nonword = np.flatnonzero(~_is_word(codes))
        if step > 0:
            nonword = np.append(nonword, n)
            out[active] = nonword[np.searchsorted(nonword, out[active])]
        else:
            nonword = np.concatenate(([-1], nonword))
            out[active] = nonword[np.searchsorted(nonword, out[active]) - 1] + 1
    return out


def _has_double_space(data: bytes) -> bool:
    """``b"  " in data``, as two vectorised comparisons of byte pairs (``bytes.find`` stops
    at every space of a text, which costs about ten times as much)."""
    if len(data) < 2:
        return False
    even = np.frombuffer(data, dtype=np.uint16, count=len(data) // 2)
    odd = np.frombuffer(data, dtype=np.uint16, count=(len(data) - 1) // 2, offset=1)
    return bool((even == 0x2020).any() or (odd == 0x2020).any())


_EMPTY = np.zeros(0, dtype=np.int64)


class Folded(NamedTuple):
    """A text folded for the automaton (see :meth:`Matcher.fold`)."""

    data: bytes  # what the automaton scans
    codes: np.ndarray  # the same as code points (uint8 or uint32)
    width: int  # bytes per character of ``data`` (1 or 4)
    shift: np.ndarray | None  # where collapsed separator runs dropped characters
    lead: int  # characters put before the text
    auto: Any  # the automaton
    owner: np.ndarray  # key of each pattern
    before: np.ndarray  # length of each pattern's leading word-start character


#: Candidate marker bytes (control characters that are neither word nor separator).
_MARKERS = (*range(1, 9), *range(14, 28))
#: Candidate word placeholder bytes (rare Latin-1 word characters that are their own lower
#: case), tried in this order; the first that no keyword contains is taken.
_WORD_PLACEHOLDERS = (0xAA, 0xBA, 0xB5, 0xB9, 0xB2, 0xB3, 0xFF, 0xFE, 0xF0, *range(0xDF, 0xF0))

#: At most one call of the encoding error handler per this many characters of a text (one
#: call per run of characters outside Latin-1, about 1 µs each); beyond, the UTF-32 path
#: (about 60 ns per character) is cheaper and the text takes it.
WIDE_RUN_CHARS = 64

_ENCODE_ERRORS = "workshop_analysis.fold"
_SIGMA = {"Σ": "σς"}  # str.lower() turns a final capital sigma into ς


class _Fallback(Exception):
    """Raised by the encoding error handler: this text takes the UTF-32 path."""


#: The matcher and the remaining handler calls of the text being encoded (per thread).
_ACTIVE = threading.local()


def _encode_error(exc: UnicodeError) -> tuple[bytes, int]:
    """Codec error handler: one placeholder byte per character outside Latin-1."""
    if not isinstance(exc, UnicodeEncodeError):  # pragma: no cover - only used to encode
        raise exc
    state = _ACTIVE.state
    state[1] -= 1
    if state[1] < 0:
        raise _Fallback
    matcher = state[0]
    wide = matcher._wide
    out = bytearray()
    for c in exc.object[exc.start : exc.end]:
        b = wide.get(c, -1)
        if b == -1:
            b = wide[c] = matcher._placeholder(c)
        if b is None:
            raise _Fallback
        out.append(b)
    return bytes(out), exc.end


@functools.cache
def _register_encode_error() -> None:
    """Register :func:`_encode_error` (once, when the first matcher is built)."""
    codecs.register_error(_ENCODE_ERRORS, _encode_error)


class Matcher:
    """All keywords of a codebook compiled into one Aho–Corasick automaton.

    Every keyword is expanded to its literal spellings (:func:`spellings`); one
    automaton (``ahocorasick_rs``, written in Rust) finds all overlapping occurrences of
    all spellings in one pass over the folded text (see :meth:`find`); word starts,
    whole-word ends and the extent of the matched words are then checked with numpy.

    Parameters
    ----------
    keywords : list of Keyword
        Entry ``i`` of the matcher is ``keywords[i]``; the same key may occur several
        times (several codes), each entry is reported.
    """

    def __init__(self, keywords: list[Keyword]):
        _register_encode_error()
        self.keywords = keywords
        keys = sorted({k.key for k in keywords})
        key_index = {key: i for i, key in enumerate(keys)}
        entry_key = np.asarray([key_index[k.key] for k in keywords], dtype=np.int64)
        # entries grouped by key (CSR): entries of key j are _entries[_ptr[j]:_ptr[j + 1]]
        self._entries = np.argsort(entry_key, kind="stable").astype(np.int64)
        self._ptr = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(np.bincount(entry_key, minlength=len(keys)), out=self._ptr[1:])
        self._one_entry_per_key = len(keys) == len(keywords)
        self._infix = np.asarray([k.infix for k in keywords], dtype=bool)
        self._exact = np.asarray([k.exact for k in keywords], dtype=bool)
        tokens = {k.key: k.tokens for k in keywords}
        self._patterns: list[tuple[str, int, bool]] = [
            (s, j, any(self._infix[self._entries[self._ptr[j] : self._ptr[j + 1]]]))
            for j, key in enumerate(keys)
            for s in spellings(tokens[key])
        ]
        # Latin-1 texts: non-word characters that no keyword contains become one marker
        # byte, and word-start spellings are searched with a leading marker or space, so
        # the automaton reports (almost) only occurrences at word starts.
        used = {c for text, _, _ in self._patterns for c in text}
        keep = frozenset(c for c in used if not _WORD_CHAR.match(c))
        self._marker = next((m for m in _MARKERS if chr(m) not in used), None)
        self._table = _latin1_table(keep, self._marker)
        self._automata: dict[str, tuple[Any, np.ndarray, np.ndarray]] = {}
        # characters outside Latin-1: the byte that stands for each (None: UTF-32 path)
        self._used_wide = frozenset(c for c in used if ord(c) > 0xFF)
        self._word_byte = next(
            (
                b
                for b in _WORD_PLACEHOLDERS
                if self._table[b] == b and _WORD_CHAR.match(chr(b)) and chr(b) not in used
            ),
            None,
        )
        self._wide: dict[str, int | None] = {}

    def _placeholder(self, char: str) -> int | None:
        """The Latin-1 byte that stands for ``char`` (outside Latin-1) in the folded text,
        or None when no byte can (a keyword contains the character)."""
        if self._marker is None or self._word_byte is None:
            return None
        low = "i" if char == "İ" else char.lower()
        if {char, low, *_SIGMA.get(char, "")} & self._used_wide:
            return None
        if ord(low) <= 0xFF:  # K (Kelvin) → k, Å (Ångström) → å, ẞ → ß, Ÿ → ÿ
            return ord(low)
        if _SEP_CHAR.match(low):
            return 32
        if low.isalnum() or low == "_":
            return self._word_byte
        return self._marker

    def _latin1(self, text: str) -> bytes | None:
        """``text`` as one byte per character (see the module docstring), not yet
        translated; None when it must take the UTF-32 path."""
        _ACTIVE.state = [self, len(text) // WIDE_RUN_CHARS + 256]
        try:
            return text.encode("latin-1", _ENCODE_ERRORS)
        except _Fallback:
            return None
        finally:
            _ACTIVE.state = None

    def _automaton(self, encoding: str) -> tuple[Any, np.ndarray, np.ndarray]:
        """The automaton over ``encoding`` bytes, the key of each of its patterns and the
        length of its leading word-start character (0 or 1)."""
        if encoding not in self._automata:
            pats: list[bytes] = []
            owner: list[int] = []
            lead: list[int] = []
            starts = [""]
            if encoding == "latin-1" and self._marker is not None:
                nonword = {chr(i) for i in range(256) if self._table[i] == i}
                nonword = {c for c in nonword if not _WORD_CHAR.match(c)}
                starts = sorted(nonword | {" ", chr(self._marker)})
            for text, key, anywhere in self._patterns:
                for before in [""] if anywhere else starts:
                    try:
                        pats.append((before + text).encode(encoding))
                    except UnicodeEncodeError:  # cannot occur in a Latin-1 text
                        continue
                    owner.append(key)
                    lead.append(len(before))
            auto = (
                ahocorasick_rs.BytesAhoCorasick(
                    pats,
                    matchkind=ahocorasick_rs.MatchKind.Standard,
                    implementation=ahocorasick_rs.Implementation.DFA,
                )
                if pats
                else None
            )
            self._automata[encoding] = (
                auto,
                np.asarray(owner, dtype=np.int64),
                np.asarray(lead, dtype=np.int64),
            )
        return self._automata[encoding]

    def find(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every occurrence of every entry in ``text`` (original, not lower-cased).

        Returns
        -------
        entry, core_start, word_start, word_end : ndarray of int64
            Offsets into ``text``; ``word_start``/``word_end`` delimit the matched
            word(s): from the start of the word the keyword starts in to the end of the
            word it ends in. Unordered.

        Notes
        -----
        See the module docstring (fold, one automaton pass, numpy checks). ``text`` may
        be a single text or many joined with a non-word separator such as ``"\\x00"``.
        The three steps are also available one by one (:meth:`fold`, :meth:`search`,
        :meth:`resolve`) so that a caller can scan one text in another thread (the
        automaton releases the GIL) while it folds or resolves the next.
        """
        folded = self.fold(text)
        if folded is None:
            return _EMPTY, _EMPTY, _EMPTY, _EMPTY
        return self.resolve(folded, self.search(folded))

    def fold(self, text: str) -> Folded | None:
        """Step 1 of :meth:`find`: the folded text (None when nothing can match)."""
        if not self.keywords or not text:
            return None
        lead = 0  # characters put before the text (a marker: the text starts a word)
        raw = self._latin1(text)
        if raw is not None:
            if self._marker is not None:  # fenced by markers: every text starts a word
                fence = bytes((self._marker,))
                data = b"".join((fence, raw.translate(self._table), fence))
                lead = 1
            else:
                data = raw.translate(self._table)
            del raw
            codes: np.ndarray = np.frombuffer(data, dtype=np.uint8)
            encoding, width = "latin-1", 1
        else:
            codes = np.frombuffer(lower_text(text).encode("utf-32-le"), dtype=np.uint32).copy()
            codes[np.isin(codes, _sep_codes())] = 32
            data = b""
            encoding, width = "utf-32-le", 4
        shift: np.ndarray | None = None
        if width == 4 or _has_double_space(data):
            space = codes == 32
            drop = np.flatnonzero(space[1:] & space[:-1]) + 1
            if len(drop):
                keep = np.ones(len(codes), dtype=bool)
                keep[drop] = False
                codes = codes[keep]
                shift = drop - np.arange(len(drop))  # where each dropped character was
            if width == 4 or len(drop):
                data = codes.tobytes()
        auto, owner, before = self._automaton(encoding)
        if auto is None:
            return None
        return Folded(data, codes, width, shift, lead, auto, owner, before)

    @staticmethod
    def search(folded: Folded) -> list[tuple[int, int, int]]:
        """Step 2 of :meth:`find`: every occurrence of every pattern (the GIL is released
        while the automaton runs)."""
        return folded.auto.find_matches_as_indexes(folded.data, overlapping=True)

    def resolve(
        self, folded: Folded, found: list[tuple[int, int, int]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Step 3 of :meth:`find`: entries, word boundaries and offsets of the matches."""
        codes, width, shift, lead = folded.codes, folded.width, folded.shift, folded.lead
        owner, before = folded.owner, folded.before
        flat = np.fromiter(
            itertools.chain.from_iterable(found), dtype=np.int64, count=3 * len(found)
        )
        del found
        pat, start, end = flat.reshape(-1, 3).T
        if width > 1:
            aligned = start % width == 0
            pat, start, end = pat[aligned], start[aligned] // width, end[aligned] // width
        start = start + before[pat]
        # one row per (occurrence, entry of its key)
        key = owner[pat]
        if self._one_entry_per_key:
            entry = self._entries[key]
        else:
            count = self._ptr[key + 1] - self._ptr[key]
            row = np.repeat(np.arange(len(key)), count)
            first = np.cumsum(count) - count
            entry = self._entries[
                np.repeat(self._ptr[key], count) + np.arange(len(row)) - first[row]
            ]
            start, end = start[row], end[row]
        last = len(codes) - 1
        at_start = (start == 0) | ~_is_word(codes[np.maximum(start - 1, 0)])
        at_end = (end > last) | ~_is_word(codes[np.minimum(end, last)])
        ok = (at_start | self._infix[entry]) & (at_end | ~self._exact[entry])
        entry, start, end = entry[ok], start[ok], end[ok]
        fenced = width == 1 and lead == 1
        word_end = _walk(codes, end, 1, fenced=fenced)
        word_start = start.copy()
        infix = np.flatnonzero(self._infix[entry])
        word_start[infix] = _walk(codes, start[infix], -1, fenced=fenced)
        if shift is not None:

            def back(pos: np.ndarray) -> np.ndarray:
                return pos + np.searchsorted(shift, pos, side="right")

            start, word_start = back(start), back(word_start)
            word_end = back(word_end - 1) + 1
        if lead:
            start, word_start, word_end = start - lead, word_start - lead, word_end - lead
        return entry, start, word_start, word_end

    def scan(self, lowered: str) -> Iterator[tuple[int, int, int, int]]:
        """Yield ``(entry, core_start, word_start, word_end)`` for every occurrence.

        Same as :meth:`find` (kept for callers that iterate); positions index ``lowered``.
        """
        entry, start, word_start, word_end = self.find(lowered)
        yield from zip(
            entry.tolist(), start.tolist(), word_start.tolist(), word_end.tolist(), strict=True
        )
