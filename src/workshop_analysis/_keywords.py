"""Keyword syntax and the compiled keyword matcher used by :mod:`workshop_analysis.tagging`.

The public description of the matching rules is in the docstring of ``tagging``; this
module implements them:

* a keyword is *folded* to a canonical key: lower case, ``ä ö ü ß`` → ``ae oe ue ss``,
  runs of white space and hyphens → one space;
* the key is split into *tokens*: ``ae oe ue ss`` are one token each (matching either
  spelling in the text), a space is a separator token (``[\\s\\-]+`` in the text), any
  other character is itself;
* all keywords of one kind (word-start / compound ``*``) form a token trie compiled into
  ONE regular expression whose alternatives never need backtracking across keywords; it
  is run once over the lower-cased corpus inside a lookahead, so overlapping keywords
  are all found.

The text is only lower-cased (``İ`` is first mapped to ``I``), which keeps its length, so
match offsets are offsets into the original text without an index map.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

#: Characters transliterated in keys (both in keywords and in matched text).
FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "\u0307": ""})
_SEP_RUN = re.compile(r"[\s\-]+")
_UNITS = {"ae": "(?:ae|ä)", "oe": "(?:oe|ö)", "ue": "(?:ue|ü)", "ss": "(?:ss|ß)"}
_SEP_TOKEN = " "
_SEP_RE = r"[\s\-]+"
_WORD_END = re.compile(r"\w*")


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
    key = fold(core)
    if not key:
        raise ValueError(f"keyword {raw!r} is empty")
    if not (key[0].isalnum() and key[-1].isalnum()):
        raise ValueError(f"keyword {raw!r} must start and end with a letter or digit")
    return Keyword(raw=text, key=key, infix=infix, exact=exact, tokens=tokenize(key))


def _token_re(token: str) -> str:
    if token in _UNITS:
        return _UNITS[token]
    if token == _SEP_TOKEN:
        return _SEP_RE
    return re.escape(token)


def _token_order(token: str) -> tuple[int, str]:
    # units before single characters so that 'ss' is tried before 's'
    return (0 if len(token) > 1 else 1, token)


class _Node:
    __slots__ = ("children", "terminal")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.terminal = False


def _emit(node: _Node) -> str:
    alts = [
        _token_re(tok) + _emit(child)
        for tok, child in sorted(node.children.items(), key=lambda kv: _token_order(kv[0]))
    ]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if node.terminal:
        return "(?:" + body + ")?"
    return body


def _trie_regex(keys: list[tuple[str, ...]]) -> str:
    root = _Node()
    for tokens in keys:
        node = root
        for tok in tokens:
            node = node.children.setdefault(tok, _Node())
        node.terminal = True
    return _emit(root)


@dataclass(frozen=True)
class Hit:
    """One keyword occurrence: ``entry`` indexes the matcher's entries.

    ``start``/``end`` delimit the matched word(s) in the scanned text: from the start of
    the word the keyword starts in to the end of the word it ends in.
    """

    entry: int
    start: int
    end: int


def _variants(tokens: tuple[str, ...]) -> list[str]:
    """Every literal spelling of a token sequence without separators (``ae``/``ä``, …)."""
    out = [""]
    for tok in tokens:
        spellings = [tok, _UNIT_CHAR[tok]] if tok in _UNIT_CHAR else [tok]
        out = [prefix + s for prefix in out for s in spellings]
    return out


_UNIT_CHAR = {"ae": "ä", "oe": "ö", "ue": "ü", "ss": "ß"}

#: ``*`` keywords are searched with ``str.find`` (about 0.4 ns per character and
#: spelling) while they have at most ``FIND_SPELLINGS_BASE + number of keys`` spellings
#: in total; beyond, one trie regex tried at every position is cheaper (measured: its
#: cost equals that many ``find`` passes).
FIND_SPELLINGS_BASE = 64


def _word_start(text: str, pos: int) -> int:
    while pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_"):
        pos -= 1
    return pos


class Matcher:
    """All keywords of a codebook compiled for one pass over a lower-cased text.

    Word-start keywords are compiled into one trie regex run once over the text (in a
    lookahead, so overlapping keywords are all found). ``*`` keywords (inside compounds)
    are found with :meth:`str.find` on each spelling (``ä``/``ae`` …), which is much
    faster than trying a regex at every position; ``*`` phrases, whose separators vary,
    use a regex.

    Parameters
    ----------
    keywords : list of Keyword
        Entry ``i`` of the matcher is ``keywords[i]``; the same key may occur several
        times (several codes), each entry is reported.
    """

    def __init__(self, keywords: list[Keyword]):
        self.keywords = keywords
        by_key: dict[tuple[bool, str], list[int]] = {}
        for i, k in enumerate(keywords):
            by_key.setdefault((k.infix, k.key), []).append(i)
        self._tries: list[tuple[bool, re.Pattern[str], dict[str, list[tuple[int, ...]]]]] = []
        self._infix: list[tuple[tuple[int, ...], list[str]]] = []
        infix_keys = {key: tuple(e) for (infix, key), e in sorted(by_key.items()) if infix}
        spellings = {key: _variants(keywords[e[0]].tokens) for key, e in infix_keys.items()}
        if infix_keys and (
            sum(map(len, spellings.values())) <= FIND_SPELLINGS_BASE + len(infix_keys)
            and not any(" " in key for key in infix_keys)
        ):
            self._infix = [(infix_keys[key], spellings[key]) for key in infix_keys]
            groups: tuple[bool, ...] = (False,)
        else:
            groups = (False, True)
        for infix in groups:
            tokens = {
                k.key: k.tokens
                for (inf, _), e in by_key.items()
                if inf == infix
                for k in [keywords[e[0]]]
            }
            if not tokens:
                continue
            # for every key: the keys that are token-prefixes of it (they match too)
            key_of = {toks: key for key, toks in tokens.items()}
            chain: dict[str, list[tuple[int, ...]]] = {}
            for key, toks in tokens.items():
                prefixes = [key_of[toks[:n]] for n in range(1, len(toks) + 1) if toks[:n] in key_of]
                chain[key] = [tuple(by_key[(infix, p)]) for p in prefixes]
            body = _trie_regex(sorted(tokens.values()))
            lead = "" if infix else r"\b"
            self._tries.append((infix, re.compile(lead + "(?=(" + body + r")(\w*))"), chain))
        self._single: dict[str, re.Pattern[str]] = {}

    def _end_of(self, key: str, text: str, pos: int) -> int:
        pat = self._single.get(key)
        if pat is None:
            pat = re.compile("".join(_token_re(t) for t in tokenize(key)))
            self._single[key] = pat
        m = pat.match(text, pos)
        return m.end() if m else pos

    def scan(self, lowered: str) -> Iterator[tuple[int, int, int, int]]:
        """Yield ``(entry, core_start, word_start, word_end)`` for every occurrence.

        ``lowered`` must come from :func:`lower_text`; positions index it (and hence the
        original text, which has the same length). ``word_start``/``word_end`` delimit
        the matched word(s): from the start of the word the keyword starts in to the end
        of the word it ends in.
        """
        keywords = self.keywords
        for infix, pattern, chain in self._tries:
            for m in pattern.finditer(lowered):
                core_start, core_end = m.span(1)
                word_end = m.end(2)
                key = m.group(1).translate(FOLD)
                links = chain.get(key)
                if links is None:
                    links = chain.get(_SEP_RUN.sub(" ", key))
                    if links is None:  # pragma: no cover - the trie only matches known keys
                        continue
                word_start = core_start
                if infix:
                    word_start = _word_start(lowered, core_start)
                last = len(links) - 1
                for depth, entries in enumerate(links):
                    if depth == last:
                        end, wend = core_end, word_end
                    else:
                        end = self._end_of(keywords[entries[0]].key, lowered, core_start)
                        wend = _WORD_END.match(lowered, end).end()
                    for e in entries:
                        if keywords[e].exact and end != wend:
                            continue
                        yield e, core_start, word_start, wend
        for entries, how in self._infix:
            exact = keywords[entries[0]].exact
            spans: list[tuple[int, int]] = []
            find = lowered.find
            for variant in how:
                i = find(variant)
                while i != -1:
                    spans.append((i, i + len(variant)))
                    i = find(variant, i + 1)
            for start, end in sorted(spans):
                wend = _WORD_END.match(lowered, end).end()
                if exact and end != wend:
                    continue
                wstart = _word_start(lowered, start)
                for e in entries:
                    yield e, start, wstart, wend
