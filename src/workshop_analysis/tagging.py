"""Explainable keyword tagging of feedback records with a codebook.

:func:`tag` assigns codes to records and says why: every code of every record is backed by
at least one *evidence* row (the keyword and the words it matched, with offsets into the
original text; the child code for a parent; or a manual assignment).

Matching rules (German text)
----------------------------
* **Case** is ignored: ``weiterbildung`` matches ``Weiterbildung``.
* A keyword matches at the **start of a word** and may be followed by more letters:
  ``weiterbildung`` matches ``Weiterbildungsangebote``, but not ``Fortweiterbildung``.
* A keyword starting with ``*`` may also stand **inside a compound**: ``*bildung``
  matches ``Weiterbildung``, ``Ausbildung`` and ``Bildung``.
* A keyword ending in ``!`` must end the word (**exact word**): ``bau!`` matches
  ``Bau`` but not ``Bauer``; ``*bildung!`` matches ``Ausbildung`` but not
  ``Ausbildungsplatz``.
* **Umlauts and ß** equal their transliterations, both ways: ``fuehrungskraefte``
  matches ``Führungskräfte`` and ``führungskräfte`` matches ``Fuehrungskraefte``;
  ``strasse`` matches ``Straße``. ``ä``/``ae``, ``ö``/``oe``, ``ü``/``ue`` and ``ß``/``ss``
  are one unit each: ``gros`` does not match ``groß`` (``gross`` does).
* In a **phrase**, words may be separated by any white space (including line breaks) and
  hyphens: ``change management`` matches ``Change-Managements`` and ``Change\\nManagement``.
* A code applies to a record if any of its keywords matches and **none of its ``exclude``
  words** (same rules) matches anywhere in the record.
* A **parent** code applies when a child applies (evidence origin ``parent``; its
  ``keyword`` column names the child).
* Codes assigned by hand (the ``codes`` column of the input) are kept (origin ``manual``).
  Manual codes that the codebook does not know are kept too, with a
  :class:`TaggingWarning` listing them (a typo would otherwise silently drop a code).
* **Overrides** (block ``codes`` of ``overrides.yaml``): ``remove`` takes a code away from
  a record whatever its origin (its evidence rows are dropped and it no longer implies
  its parent); ``add`` assigns a code (origin ``manual``). An override naming an unknown
  record, or a code the codebook does not know, is an :class:`~.errors.InputError`
  naming the file and line; removing a code that the record does not have is a stale
  override and gives a :class:`TaggingWarning`.

Text is expected in NFC (as :func:`~workshop_analysis.io.read_records` produces).

The ``match`` of an evidence row is the word(s) the keyword matched — from the start of
the word the keyword starts in to the end of the word it ends in — and ``start``/``end``
are code-point offsets into the original ``text`` (``text[start:end] == match``).

Performance: the texts are joined in chunks of about :data:`CHUNK_CHARS` characters; each
chunk is folded once and scanned once by one Aho–Corasick automaton holding every spelling
of every keyword and exclude word (see :mod:`workshop_analysis._keywords`); matches are
checked and mapped back to records with numpy (:func:`numpy.searchsorted`), and the
evidence is assembled with vectorised sorts. Cost is linear in the text size; memory is
bounded by the chunk size plus the evidence. German typography („…“, –, …, €) stays on
the fast one-byte-per-character path. From :data:`PARALLEL_MIN_RECORDS` records on, a
second thread runs the automaton over one chunk while the calling thread prepares the
next and resolves the previous (:data:`THREADS`); the evidence is the same, row for row.
See ``benchmarks/bench_tagging.py``.
"""

from __future__ import annotations

import gc
import os
import warnings
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ._keywords import Folded
from ._text import SEPARATOR, compile_codebook
from .codebook import Codebook
from .errors import InputError, Problem
from .overrides import load_overrides
from .records import split_codes

#: Columns of the evidence table, in order.
EVIDENCE_COLUMNS: tuple[str, ...] = (
    "record_id",
    "code",
    "origin",
    "keyword",
    "match",
    "start",
    "end",
)

#: Evidence origins, in the order used when sorting rows that share record and position.
ORIGINS: tuple[str, ...] = ("keyword", "parent", "manual")

_SEPARATOR = SEPARATOR


class TaggingWarning(UserWarning):
    """Something in the input looks wrong but tagging can go on (unknown manual code, …)."""


class TagResult(NamedTuple):
    """Result of :func:`tag`.

    Attributes
    ----------
    records : DataFrame
        The input columns plus ``codes`` (final sorted list of codes) and ``codes_manual``
        (the hand-assigned codes of the input, sorted).
    evidence : DataFrame
        One row per (record, code, match) with columns :data:`EVIDENCE_COLUMNS`.
    """

    records: pd.DataFrame
    evidence: pd.DataFrame


def _strings(column: pd.Series) -> list[str]:
    """The values of ``column`` as Python strings (missing → ``""``)."""
    if isinstance(column.dtype, pd.StringDtype):
        return column.fillna("").tolist()  # already str (fast path)
    return ["" if pd.isna(t) else str(t) for t in column.tolist()]


class _Hits(NamedTuple):
    """Keyword and exclude-word occurrences found in all texts (one entry per hit)."""

    rec: np.ndarray  # record position
    code: np.ndarray  # code index (codebook order)
    exclude: np.ndarray  # bool: an exclude word of the code
    keyword: np.ndarray  # index into ``raw``
    raw: list[str]  # the keywords as written in the codebook
    start: np.ndarray  # offsets into the record's text
    end: np.ndarray
    match: np.ndarray  # the matched word(s) (object)


#: Characters of text joined and scanned at once (bounds the temporary memory).
CHUNK_CHARS = 1 << 22

#: Below this many records, everything runs in the calling thread (a second thread would
#: cost more than it saves; a table this small is one or two chunks anyway).
PARALLEL_MIN_RECORDS = 10_000

#: Threads that tag (None: 2 where at least two cores are available, else 1). With 2, the
#: Aho–Corasick automaton (which releases the GIL) scans one chunk in a second thread
#: while the calling thread folds the next chunk and turns the previous one's matches into
#: evidence; all other steps hold the GIL, so more threads would only wait for it.
THREADS: int | None = None


def _threads(records: int, chunks: int) -> int:
    """Number of threads that tag (1: stay in the calling thread)."""
    if records < PARALLEL_MIN_RECORDS or chunks < 2:
        return 1
    if THREADS is not None:
        return max(1, min(THREADS, 2))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return 2 if cores >= 2 else 1


def _keyword_hits(texts: list[str], codebook: Codebook) -> _Hits:
    """Run the matcher over the texts joined in chunks; map hits back to records.

    With two threads (see :data:`THREADS`) chunk *k* is scanned in the second thread
    while the calling thread folds chunk *k + 1* and resolves chunk *k - 1*; the chunks'
    hits are concatenated in chunk order either way, so the result is the same.
    """
    matcher, owners = compile_codebook(codebook)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths + len(_SEPARATOR))
    cuts = np.unique(np.searchsorted(ends, np.arange(CHUNK_CHARS, ends[-1], CHUNK_CHARS)))
    bounds = [0, *(int(c) + 1 for c in cuts if c + 1 < len(texts)), len(texts)]
    spans = list(pairwise(bounds))

    def hits(a: int, b: int, joined: str, found: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
        entry, _core, wstart, wend = found
        offsets = ends[a:b] - lengths[a:b] - len(_SEPARATOR) - (ends[a] - lengths[a] - 1)
        local = np.searchsorted(offsets, wstart, side="right") - 1
        match = np.empty(len(entry), dtype=object)
        # a comprehension slices about twice as fast as map(joined.__getitem__, map(slice, …))
        match[:] = [joined[i:j] for i, j in zip(wstart.tolist(), wend.tolist(), strict=True)]
        return (local + a, entry, wstart - offsets[local], wend - offsets[local], match)

    parts: list[tuple[np.ndarray, ...]] = []
    if _threads(len(texts), len(spans)) == 1:
        for a, b in spans:
            joined = _SEPARATOR.join(texts[a:b])
            parts.append(hits(a, b, joined, matcher.find(joined)))
    else:
        empty = (np.zeros(0, dtype=np.int64),) * 4
        with ThreadPoolExecutor(1, thread_name_prefix="tag-scan") as scanner:
            pending: list[tuple[int, int, str, Folded | None, Future[Any] | None]] = []
            for a, b in [*spans, (-1, -1)]:
                if a >= 0:  # fold chunk k and start scanning it
                    joined = _SEPARATOR.join(texts[a:b])
                    folded = matcher.fold(joined)
                    job = scanner.submit(matcher.search, folded) if folded is not None else None
                    pending.append((a, b, joined, folded, job))
                if len(pending) == 2 or (a < 0 and pending):  # resolve chunk k - 1
                    pa, pb, pjoined, pfolded, pjob = pending.pop(0)
                    found = (
                        matcher.resolve(pfolded, pjob.result())
                        if pfolded is not None and pjob is not None
                        else empty
                    )
                    parts.append(hits(pa, pb, pjoined, found))
    rec, ent, start, end, match = (np.concatenate(col) for col in zip(*parts, strict=True))
    rec, ent, start, end = (x.astype(np.int64, copy=False) for x in (rec, ent, start, end))
    owner_code = np.asarray([o[0] for o in owners] or [0], dtype=np.int64)
    owner_excl = np.asarray([o[1] for o in owners] or [False], dtype=bool)
    return _Hits(
        rec=rec,
        code=owner_code[ent],
        exclude=owner_excl[ent],
        keyword=ent,
        raw=[k.raw for k in matcher.keywords],
        start=start,
        end=end,
        match=match,
    )


def _no_hits() -> _Hits:
    empty = np.zeros(0, dtype=np.int64)
    return _Hits(empty, empty, empty.astype(bool), empty, [], empty, empty, empty.astype(object))


def _code_overrides(
    overrides: Mapping[str, Any] | str | Path | None,
    record_ids: list[str],
    codebook: Codebook | None,
) -> tuple[list[tuple[str, str, int | None]], list[tuple[str, str, int | None]]]:
    """Validate the ``codes`` block; return ``(remove, add)`` as (record, code, line)."""
    if overrides is None:
        return [], []
    if isinstance(overrides, str | Path):
        if not Path(overrides).is_file():
            raise InputError([Problem(str(overrides), None, "", "overrides file not found")])
        overrides = load_overrides(overrides)
    file = str(overrides.get("__file__", "overrides"))
    block = overrides.get("codes")
    if block is None:
        return [], []
    problems: list[Problem] = []
    if not isinstance(block, Mapping):
        raise InputError(
            [
                Problem(
                    file,
                    None,
                    "codes",
                    "the 'codes' block must be a mapping with the keys 'remove' and/or 'add'",
                )
            ]
        )
    block_line = block.get("__line__")
    known_records = set(record_ids)
    out: dict[str, list[tuple[str, str, int | None]]] = {"remove": [], "add": []}
    for key, value in block.items():
        if key == "__line__":
            continue
        if key not in out:
            problems.append(
                Problem(
                    file, block_line, f"codes.{key}", f"unknown key {key!r}; allowed: remove, add"
                )
            )
            continue
        if value is None:
            continue
        if not isinstance(value, list):
            problems.append(
                Problem(
                    file,
                    block_line,
                    f"codes.{key}",
                    "must be a list of {record, code, note} entries",
                )
            )
            continue
        for item in value:
            line = item.get("__line__") if isinstance(item, Mapping) else block_line
            if not isinstance(item, Mapping):
                problems.append(
                    Problem(
                        file,
                        line,
                        f"codes.{key}",
                        "each entry must be a mapping {record, code, note}",
                    )
                )
                continue
            extra = sorted(k for k in item if k not in ("record", "code", "note", "__line__"))
            for k in extra:
                problems.append(
                    Problem(
                        file,
                        line,
                        f"codes.{key}",
                        f"unknown key {k!r}; allowed: record, code, note",
                    )
                )
            rid, code = item.get("record"), item.get("code")
            if rid is None or code is None:
                problems.append(
                    Problem(file, line, f"codes.{key}", "an entry needs both 'record' and 'code'")
                )
                continue
            rid, code = str(rid), str(code)
            if rid not in known_records:
                problems.append(Problem(file, line, f"codes.{key}", f"unknown record {rid!r}"))
            if codebook is not None and code not in codebook:
                problems.append(
                    Problem(
                        file, line, f"codes.{key}", f"unknown code {code!r} (not in the codebook)"
                    )
                )
            out[key].append((rid, code, line))
    if problems:
        raise InputError(problems)
    return out["remove"], out["add"]


def unknown_manual_codes(
    records: pd.DataFrame,
    codebook: Codebook,
    *,
    file: str = "",
    rows: list[int] | None = None,
) -> list[Problem]:
    """Hand-assigned codes (column ``codes``) that the codebook does not define.

    :func:`tag` keeps such codes with a :class:`TaggingWarning`; steps that need every
    code in the codebook (action items, the report) call this first to stop with a
    message that names file, row and column.

    Parameters
    ----------
    records : DataFrame
        Record table with a ``codes`` list column.
    codebook : Codebook
        The codebook the codes must belong to.
    file : str, optional
        Name of the records file, for the messages.
    rows : list of int, optional
        Row of each record in the file (see :func:`~workshop_analysis.io.read_records_with_rows`);
        defaults to ``index + 2`` (a spreadsheet with a header row).

    Returns
    -------
    list of Problem
        One per unknown code and record, in record order (empty when all are known).
    """
    rows = rows if rows is not None else [i + 2 for i in range(len(records))]
    name = Path(codebook.path).name if codebook.path is not None else "the codebook"
    return [
        Problem(
            file,
            row,
            "codes",
            f"record {rid}: code {code!r} is not in {name} "
            "(a typo, or add the code to the codebook)",
        )
        for row, rid, codes in zip(rows, records["record_id"], records["codes"], strict=True)
        for code in split_codes(codes)
        if code not in codebook
    ]


def tag(
    records: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    overrides: Mapping[str, Any] | str | Path | None = None,
) -> TagResult:
    """Assign codes to records by keyword, with evidence for every code.

    Parameters
    ----------
    records : DataFrame
        A record table (see :mod:`workshop_analysis.records`); needs ``record_id`` and
        ``text``; ``codes`` (hand-assigned codes, lists or ``;``-separated) is optional.
    codebook : Codebook, optional
        Codes with keywords (see :func:`~workshop_analysis.codebook.load_codebook`).
        Without one, only manual (and override-added) codes are assigned.
    overrides : dict, str or Path, optional
        The dict returned by :func:`~workshop_analysis.overrides.load_overrides`, or the
        path of an ``overrides.yaml``; its ``codes`` block is applied.

    Returns
    -------
    TagResult
        ``(records, evidence)``: a new record table with ``codes`` and ``codes_manual``,
        and the evidence table (columns :data:`EVIDENCE_COLUMNS`, sorted by record order,
        ``start`` (rows without a position last), code, origin, keyword).

    Raises
    ------
    InputError
        Missing ``record_id``/``text`` column, or a bad override.

    Warns
    -----
    TaggingWarning
        For manual codes unknown to the codebook and for stale ``remove`` overrides.

    Examples
    --------
    >>> import pandas as pd
    >>> from workshop_analysis.codebook import Code, Codebook
    >>> cb = Codebook((Code("wb", "Weiterbildung", keywords=("*bildung",)),))
    >>> recs = pd.DataFrame({"record_id": ["a"], "text": ["Mehr Ausbildung!"]})
    >>> result = tag(recs, cb)
    >>> result.records["codes"].tolist()
    [['wb']]
    >>> result.evidence[["code", "match", "start", "end"]].values.tolist()
    [['wb', 'Ausbildung', 5, 15]]
    """
    # millions of small objects (lists, strings) that cannot form cycles are created:
    # pause the cyclic garbage collector instead of letting it rescan them repeatedly
    paused = gc.isenabled()
    gc.disable()
    try:
        return _tag(records, codebook, overrides=overrides)
    finally:
        if paused:
            gc.enable()


def _tag(
    records: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    overrides: Mapping[str, Any] | str | Path | None = None,
) -> TagResult:
    missing = [c for c in ("record_id", "text") if c not in records.columns]
    if missing:
        raise InputError([Problem("", None, c, "required column is missing") for c in missing])
    n = len(records)
    record_ids = _strings(records["record_id"])
    remove, add = _code_overrides(overrides, record_ids, codebook)
    rec_index = {rid: i for i, rid in enumerate(record_ids)} if remove or add else {}

    # code ids: codebook order first, then unknown manual/override codes
    ids: list[str] = list(codebook.ids) if codebook is not None else []
    code_index = {cid: i for i, cid in enumerate(ids)}

    def index_of(cid: str) -> int:
        if cid not in code_index:
            code_index[cid] = len(ids)
            ids.append(cid)
        return code_index[cid]

    if "codes" in records.columns:
        values = records["codes"].tolist()
        try:  # lists and strings: only non-empty ones need a look
            lengths = np.fromiter(map(len, values), dtype=np.int64, count=n)
            filled = np.flatnonzero(lengths).tolist()
        except TypeError:  # missing values (NA, NaN) among them
            filled = [r for r, v in enumerate(values) if v.__class__ is not list or v]
    else:
        values, filled = [], []
    manual: list[list[str]] = [[] for _ in range(n)]
    for r in filled:
        manual[r] = split_codes(values[r]) if _filled(values[r]) else []
    manual_pairs = [(r, index_of(c)) for r in filled for c in manual[r]]
    if codebook is not None:
        unknown = sorted({ids[c] for _, c in manual_pairs if c >= len(codebook)})
        if unknown:
            warnings.warn(
                f"manual codes not in the codebook (kept): {', '.join(unknown)}",
                TaggingWarning,
                stacklevel=3,
            )
    add_pairs = [(rec_index[r], index_of(c)) for r, c, _ in add]
    remove_pairs = [(rec_index[r], index_of(c)) for r, c, _ in remove]

    hits = (
        _keyword_hits(_strings(records["text"]), codebook)
        if codebook is not None and n
        else _no_hits()
    )
    width = max(len(ids), 1)  # (record, code) pairs are encoded as record * width + code
    key = hits.rec * width + hits.code
    removed = {r * width + c for r, c in remove_pairs}
    removed_keys = np.asarray(sorted(removed), dtype=np.int64)
    keep = ~hits.exclude & ~_isin(key, key[hits.exclude]) & ~_isin(key, removed_keys)
    if keep.all():  # no exclude words or removals matched: no copies
        keep = slice(None)
    kw_rec, kw_code = hits.rec[keep], hits.code[keep]
    kw_keyword, kw_start, kw_end = hits.keyword[keep], hits.start[keep], hits.end[keep]
    matched_keys = key[~hits.exclude]
    kw_match = hits.match[keep]
    # keyword column: one sorted vocabulary of keywords and code ids (rank = sort key)
    vocab = sorted({*hits.raw, *ids, ""})
    vocab_rank = {v: i for i, v in enumerate(vocab)}
    kw_rank = np.asarray([vocab_rank[r] for r in hits.raw], dtype=np.int64)[kw_keyword]
    del hits, key

    # manual + added pairs (minus removed)
    man = sorted({(r, c) for r, c in [*manual_pairs, *add_pairs] if r * width + c not in removed})
    man_rec = np.asarray([p[0] for p in man], dtype=np.int64)
    man_code = np.asarray([p[1] for p in man], dtype=np.int64)

    parent_of = np.full(width, -1, dtype=np.int64)
    if codebook is not None:
        for ci, code in enumerate(codebook.codes):
            if code.parent is not None and code.parent in code_index:
                parent_of[ci] = code_index[code.parent]
    base_keys = _unique(np.concatenate([kw_rec * width + kw_code, man_rec * width + man_code]))
    par_rec, par_code, par_child, _ = _parent_rows(base_keys, parent_of, width, removed_keys)

    # a removal that matches nothing is probably stale
    before = np.zeros(0, dtype=np.int64)
    if remove:
        before = _unique(
            np.concatenate(
                [
                    matched_keys,
                    np.asarray([r * width + c for r, c in [*manual_pairs, *add_pairs]], np.int64),
                ]
            )
        )
        before = np.concatenate([before, _parent_rows(before, parent_of, width, None)[3]])
    for (r, c, line), (ri, ci) in zip(remove, remove_pairs, strict=True):
        if ri * width + ci not in set(before.tolist()):
            warnings.warn(
                f"override (line {line}) removes code {c!r} from record {r!r}, which does "
                "not have it (stale override?)",
                TaggingWarning,
                stacklevel=3,
            )

    # final codes per record, sorted by id
    rank = _ranks(ids)
    final_keys = _unique(np.concatenate([base_keys, par_rec * width + par_code]))
    fr, fc = np.divmod(final_keys, width)
    order = np.argsort(fr * width + rank[fc], kind="stable")
    names = np.asarray(ids or [""], dtype=object)[fc[order]].tolist()
    bounds = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(fr, minlength=n), out=bounds[1:])
    cuts = bounds.tolist()
    codes_out = [names[i:j] for i, j in pairwise(cuts)]
    out = records.copy(deep=False)  # copy-on-write: the input is never modified
    out["codes"] = pd.Series(codes_out, index=records.index, dtype=object)
    out["codes_manual"] = pd.Series(manual, index=records.index, dtype=object)

    # evidence: keyword rows, parent rows, manual rows; then sorted
    n_kw, n_par, n_man = len(kw_rec), len(par_rec), len(man_rec)
    ev_rec = np.concatenate([kw_rec, par_rec, man_rec])
    ev_code = np.concatenate([kw_code, par_code, man_code])
    ev_origin = np.repeat(np.arange(3), [n_kw, n_par, n_man])
    no_pos = np.iinfo(np.int64).max  # rows without a position sort last
    ev_start = np.concatenate([kw_start, np.full(n_par + n_man, no_pos)])
    ev_end = np.concatenate([kw_end, np.zeros(n_par + n_man, np.int64)])
    code_rank = np.asarray([vocab_rank[c] for c in ids] or [0], dtype=np.int64)
    ev_kw_rank = np.concatenate([kw_rank, code_rank[par_child], np.full(n_man, vocab_rank[""])])
    srt = _evidence_order(ev_rec, ev_start, rank[ev_code], ev_origin, ev_kw_rank, len(vocab))
    # matches of keyword rows; -1 (missing) for parent and manual rows
    match_row = np.concatenate([np.arange(n_kw), np.full(n_par + n_man, -1)])[srt]
    match_col = _string_array(kw_match).take(match_row, allow_fill=True)
    del kw_match
    no_position = ev_origin[srt] != 0
    evidence = pd.DataFrame(
        {
            # string columns: validated once per distinct value, then taken row by row
            "record_id": _string_array(record_ids).take(ev_rec[srt]),
            "code": _string_array(ids or [""]).take(ev_code[srt]),
            "origin": _string_array(list(ORIGINS)).take(ev_origin[srt]),
            "keyword": _string_array(vocab).take(ev_kw_rank[srt]),
            "match": match_col,
            "start": pd.arrays.IntegerArray(ev_start[srt], no_position),
            "end": pd.arrays.IntegerArray(ev_end[srt], no_position),
        },
        columns=list(EVIDENCE_COLUMNS),
        copy=False,  # the arrays were built for this frame
    )
    return TagResult(out, evidence)


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted unique integers (a sort is faster than numpy's hash-based unique here)."""
    values = np.sort(values, kind="stable")
    if len(values) < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _string_array(values: list[str] | np.ndarray) -> pd.api.extensions.ExtensionArray:
    return pd.array(np.asarray(values, dtype=object), dtype="string")


def _evidence_order(
    rec: np.ndarray,
    start: np.ndarray,
    code_rank: np.ndarray,
    origin: np.ndarray,
    keyword_rank: np.ndarray,
    keywords: int,
) -> np.ndarray:
    """Sort order of evidence rows: record, start, code, origin, keyword (stable).

    The five keys are packed into two integers where they fit (two sort passes, not five).
    """
    positioned = origin == 0
    span = int(start[positioned].max()) + 2 if positioned.any() else 1
    codes = int(code_rank.max()) + 1 if len(code_rank) else 1
    records = int(rec.max()) + 1 if len(rec) else 1
    inner = codes * 3 * (keywords + 1)
    if records * span * inner < 2**62:
        first = rec * span + np.where(positioned, start, span - 1)
        second = (code_rank * 3 + origin) * (keywords + 1) + keyword_rank
        return np.argsort(first * inner + second, kind="stable")
    if records * span < 2**62 and inner < 2**62:
        first = rec * span + np.where(positioned, start, span - 1)
        second = (code_rank * 3 + origin) * (keywords + 1) + keyword_rank
        return np.lexsort((second, first))
    return np.lexsort((keyword_rank, origin, code_rank, start, rec))  # pragma: no cover


def _isin(values: np.ndarray, test: np.ndarray) -> np.ndarray:
    """``np.isin`` for integers via a sorted search (no hashing of ``values``)."""
    if not len(test) or not len(values):
        return np.zeros(len(values), dtype=bool)
    test = _unique(test)
    idx = np.minimum(np.searchsorted(test, values), len(test) - 1)
    return test[idx] == values


def _ranks(values: list[str]) -> np.ndarray:
    """Rank of each value in sorted order (equal values share a rank)."""
    position = {v: i for i, v in enumerate(sorted(set(values)))}
    return np.fromiter(map(position.__getitem__, values), dtype=np.int64, count=len(values))


def _parent_rows(
    keys: np.ndarray, parent_of: np.ndarray, width: int, removed_keys: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parent evidence for (record, code) ``keys``: one row per (record, parent, child).

    Walks up the hierarchy; a removed (record, parent) pair neither applies nor passes
    its own parent on. Returns ``(record, parent, child, keys of the parents)``.
    """
    recs: list[np.ndarray] = []
    parents: list[np.ndarray] = []
    children: list[np.ndarray] = []
    seen = np.zeros(0, dtype=np.int64)
    level = _unique(keys)
    for _ in range(len(parent_of) + 1):  # acyclic: at most as many levels as codes
        if not len(level):
            break
        r, c = np.divmod(level, width)
        p = parent_of[c]
        ok = p >= 0
        r, c, p = r[ok], c[ok], p[ok]
        pkeys = r * width + p
        if removed_keys is not None:
            ok = ~_isin(pkeys, removed_keys)
            r, c, p, pkeys = r[ok], c[ok], p[ok], pkeys[ok]
        recs.append(r)
        parents.append(p)
        children.append(c)
        level = _unique(pkeys)
        level = level[~_isin(level, seen)]
        seen = _unique(np.concatenate([seen, level]))
    if not recs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    triples = _unique(
        (np.concatenate(recs) * width + np.concatenate(parents)) * width + np.concatenate(children)
    )
    pair, child = np.divmod(triples, width)
    rec, parent = np.divmod(pair, width)
    return rec, parent, child, _unique(pair)


def _filled(value: object) -> bool:
    """True unless ``value`` is an empty list/tuple/string or missing (fast path)."""
    if isinstance(value, list | tuple | str):
        return bool(value)
    return not pd.isna(value)  # type: ignore[call-overload]
