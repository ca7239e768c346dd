"""Reading and writing record tables: CSV, XLSX and the Markdown protocol format.

CSV
    UTF-8 (with or without BOM), UTF-16 (with BOM, or without when every other byte is
    NUL), or a legacy encoding told apart by the plausibility of its non-ASCII characters:
    cp1252 as German Excel saves it (wins every tie), MacRoman (Excel for Mac), cp1250
    (Central European); an unclear one is refused with both readings, never read garbled
    (:func:`_legacy_encoding`). A file that is UTF-8 except for some bytes of another
    encoding is refused, naming the cells. Excel's ``sep=;`` first line names the
    delimiter (and is not counted as a row); otherwise the delimiter (``,``, ``;`` or tab)
    is detected from the header line, the first row that is not blank. A header with a
    single column name makes every line one cell (commas included).
XLSX
    Checked before reading (zip directory: unpacked size, decompression ratio, sheet
    count; while reading: cell count). Of the work sheets (chart sheets never count),
    visible ones first: the sheet named ``records``/``Aussagen``, else the only sheet
    whose header names a text column, else the first sheet (several such sheets: an
    error listing them); the first row with content is the header (merged header cells
    and duplicate column names are errors). Cells merged over several rows give their
    value to every row. Dates are written as ISO strings. A damaged part is named.
Markdown protocol (``.md``)
    For typing a photo protocol::

        ---
        workshop: 2017-11-22-bmas-qualifizierung
        date: 2017-11-22
        ---
        ## Grundqualifizierung            <- a heading starts a section
        - [Bedarf] Wartezeiten verkürzen   <- a bullet is one statement, [..] its kind
          (eingerückte Zeilen setzen den Punkt fort)
        - Mehr Praxisbezug (Quelle: JC Köln) {codes: theorie_praxis}

        | Art   | Aussage           | Quelle   |   <- a table with a text column:
        |-------|-------------------|----------|      one statement per row
        | Lob   | Gute Moderation   | JC Essen |

    The front matter (``workshop``, ``date``, ``source``) is optional and applies to every
    statement (read with the bounded YAML loader; a bad date names its line). A bullet
    is a line starting with ``-``, ``*``, ``+``, ``1.`` or ``1)`` and a space, or with a
    bullet character as Word writes it (``•``, ``–``, ``▪``, …); indented lines continue
    it. ``[kind]`` right after the bullet gives the kind in English or German; a trailing
    ``(Quelle: …)``/``(source: …)`` the source; a trailing ``{codes: a; b}``
    hand-assigned codes. Emphasis markers (``_x_``, ``**x**``) are removed. Lines in code
    blocks (```` ``` ````, ``~~~``) and other lines are ignored; a table without a text
    column is an error saying how many rows were not read. When the protocol has
    headings, a statement above the first one is an error. Row numbers in messages are
    line numbers.

Every reader returns the validated record table described in :mod:`workshop_analysis.records`
or raises :class:`~workshop_analysis.errors.InputError` naming file, row and column.
Readers never modify the input file.
"""

from __future__ import annotations

import csv
import functools
import gc
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from . import config
from ._safe import neutralise_frame, unneutralise
from .errors import InputError, Problem
from .records import COLUMNS, canonical_column, normalise_records, slugify

_GENERIC_STEMS = {"records", "aussagen", "protokoll", "protocol", "data", "input", "statements"}
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # tried in this order
# Bytes of the C0 controls other than tab, LF and CR (the same in all three encodings),
# of the C1 controls U+0080..U+009F in latin-1, and their UTF-8 form.
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_C1_BYTES = bytes(range(0x80, 0xA0))


def _control_count(data: bytes, encoding: str) -> int:
    """How many C0 (but tab, LF, CR) and C1 controls ``data.decode(encoding)`` holds, for the
    single-byte encodings tried after UTF-8 (valid UTF-8 is always taken as text).

    Counted in the bytes, which is much faster than looking at every character.
    """
    count = len(data) - len(data.translate(None, _C0_BYTES))
    if encoding == "latin-1":
        count += len(data) - len(data.translate(None, _C1_BYTES))
    return count  # cp1252 decodes no byte to a C1 control (five bytes are undefined)


#: Legacy encodings told apart by :func:`_legacy_encoding`.
_LEGACY = ("cp1252", "mac_roman", "cp1250")
#: How plausible a non-ASCII character is in a workshop protocol (German first):
#: umlauts and ß 3, common accented letters 1, rare ones 0.5; typographic punctuation
#: 0.5 (but not inside a word); anything else counts against the encoding.
_WEIGHTS: dict[str, float] = {
    **dict.fromkeys("äöüÄÖÜß", 3.0),
    **dict.fromkeys("áàâçéèêëíîïñóôúûÁÀÂÇÉÈÊËÍÎÏÑÓÔÚÛœŒ", 1.0),  # Western European
    **dict.fromkeys("ąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽőűŐŰ", 1.0),  # Central European
    **dict.fromkeys("åæøãõìòùýÿþðÅÆØÃÕÌÒÙÝÞÐªºăşţĂŞŢĺľŕĹĽŔ", 0.5),  # rarer letters
}
#: Non-ASCII characters that are plausible as a word of their own ("Ø 3 Teilnehmer");
#: any other letter standing alone scores 0.
_ALONE = frozenset("Øà")
_PUNCTUATION = frozenset("„“”‚‘’‹›«»–—…•·€£¥¢°§¶×÷±²³¹µ¼½¾‰©®™¡¿\xa0")
#: Non-ASCII bytes looked at to tell the encodings apart.
_LEGACY_SAMPLE = 20_000


def _legacy_char_tables() -> dict[str, list[str | None]]:
    tables: dict[str, list[str | None]] = {}
    for enc in _LEGACY:
        table: list[str | None] = []
        for b in range(256):
            try:
                table.append(bytes([b]).decode(enc))
            except UnicodeDecodeError:
                table.append(None)
        tables[enc] = table
    return tables


_LEGACY_TABLES = _legacy_char_tables()
_NON_ASCII_BYTE = re.compile(rb"[\x80-\xff]")
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


def _legacy_score(data: bytes, positions: list[int], enc: str) -> list[float] | None:
    """The plausibility of each sampled byte read in ``enc`` (negative: implausible);
    None when ``enc`` cannot decode one of them."""
    table = _LEGACY_TABLES[enc]
    weights = []
    for pos in positions:
        char = table[data[pos]]
        if char is None:
            return None
        left = (table[data[pos - 1]] or "") if pos else " "
        right = (table[data[pos + 1]] or "") if pos + 1 < len(data) else " "
        weight = _WEIGHTS.get(char)
        if weight is not None:
            if not left.isalpha() and not right.isalpha():  # a letter as a word of its own
                weight = 1.0 if char in _ALONE else 0.0
        elif char in _PUNCTUATION and (not (left.isalpha() and right.isalpha()) or char in "’‘"):
            weight = 0.5
        else:
            weight = -3.0
        weights.append(weight)
    return weights


def _legacy_encoding(data: bytes, name: str) -> str:
    """The legacy encoding of a file that is not UTF-8, or InputError when it is unclear.

    Candidates: cp1252 (Windows), MacRoman (Excel for Mac) and cp1250 (Central European
    Windows). Each reads the non-ASCII bytes (the first :data:`_LEGACY_SAMPLE`) as
    characters scored by :data:`_WEIGHTS` (punctuation inside a word and unlikely
    characters count against it). cp1252 wins when it scores best (also on a tie: it is
    by far the most common). Another encoding wins when it scores best and every other
    plausible reading scores far lower (less than 40 %) on the bytes where the two
    differ: German umlauts read as MacRoman beat the "Š"/"š"/"€" that cp1252 makes of
    them. Otherwise the file is refused with both readings (cp1250 "Dvořák" against
    cp1252 "Dvoøák"). Text in another script (Greek, Cyrillic) and text that no encoding
    reads plausibly are refused too. Known limit: Central European text whose only
    special letters read as equally plausible cp1252 letters (cp1250 "Č" is cp1252 "È")
    is read as cp1252.
    """
    found = zip(_NON_ASCII_BYTE.finditer(data), range(_LEGACY_SAMPLE), strict=False)
    positions = [m.start() for m, _ in found]
    if not positions:
        return "cp1252"
    scored = []
    for enc in _LEGACY:
        weights = _legacy_score(data, positions, enc)
        if weights is not None:
            scored.append((sum(weights), enc, weights))
    if not scored:
        return "cp1252"  # undecodable bytes: the caller tries latin-1 and refuses binary
    scored.sort(key=lambda item: -item[0])  # stable: the order of _LEGACY breaks ties
    _, enc, weights = scored[0]
    bad = [p for p, w in zip(positions, weights, strict=True) if w < 0]
    # Latin-script text has far more ASCII letters than others (German: about 1 in 50)
    stretch = data[: positions[-1] + 1]
    ascii_letters = len(stretch) - len(stretch.translate(None, _ASCII_LETTERS))
    if len(positions) > max(8, ascii_letters // 3) or len(bad) > max(2, len(positions) // 50):
        _refuse_encoding(data, name, bad[0] if bad else positions[0], [])
    if enc == "cp1252":
        return enc  # the usual case, and the prior: cp1252 wins every tie
    table = _LEGACY_TABLES[enc]
    for _, other, other_weights in scored[1:]:
        if sum(w < 0 for w in other_weights) > len(bad):
            continue  # less plausible than the best reading
        other_table = _LEGACY_TABLES[other]
        differ = [i for i, p in enumerate(positions) if table[data[p]] != other_table[data[p]]]
        if not differ:
            continue
        mine = sum(weights[i] for i in differ)
        theirs = sum(other_weights[i] for i in differ)
        # too little evidence (less than one umlaut's worth, e.g. a lone "€" against a
        # lone "Û") is refused with both readings rather than guessed
        if theirs >= 0.4 * mine or mine < 1.0:
            _refuse_encoding(data, name, positions[differ[0]], [enc, other])
    return enc


def _refuse_encoding(data: bytes, name: str, pos: int, rivals: list[str]) -> None:
    line = data.count(b"\n", 0, pos) + 1
    start = data.rfind(b"\n", 0, pos) + 1
    snippet = data[max(start, pos - 15) : pos + 15].split(b"\n")[0].rstrip(b"\r")
    shown = rivals or list(_LEGACY[:3])
    readings = "; ".join(f"{e}: {snippet.decode(e, 'replace')!r}" for e in shown)
    what = (
        "it reads as plausible text in more than one legacy encoding"
        if rivals
        else "no legacy encoding reads it as plausible text"
    )
    raise InputError(
        [
            Problem(
                name,
                line,
                "",
                f"cannot tell the encoding: the file is not UTF-8 and {what} ({readings}); "
                "save it as UTF-8 (in Excel: 'CSV UTF-8')",
            )
        ]
    )


def default_workshop_id(path: Path) -> str:
    """Workshop id for a file without one: its folder's name for generic file names
    (``records.csv``, ``protokoll.md`` …) as in the archive layout, else the file stem."""
    stem = path.stem.lower()
    return slugify(path.resolve().parent.name if stem in _GENERIC_STEMS else path.stem)


def read_records(path: str | Path, *, workshop: str | None = None) -> pd.DataFrame:
    """Read a record table from CSV, XLSX or a Markdown protocol.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.tsv``/``.txt``, ``.xlsx`` or ``.md`` file.
    workshop : str, optional
        Workshop id for rows that have none; defaults to the workshop column, the
        Markdown front matter, or :func:`default_workshop_id`.

    Returns
    -------
    DataFrame
        The record table (see :mod:`workshop_analysis.records`), one row per input row.

    Raises
    ------
    InputError
        Every problem at once, each naming the file, row and column.
    """
    return read_records_with_rows(path, workshop=workshop)[0]


_F = TypeVar("_F", bound=Callable[..., Any])


def _gc_paused(func: _F) -> _F:
    """Run ``func`` with the cyclic garbage collector paused.

    Reading a big file creates millions of lists and strings that cannot form cycles;
    the collector would rescan them again and again (a third of the reading time for
    1,000,000 rows).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        paused = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if paused:
                gc.enable()

    return wrapper  # type: ignore[return-value]


@_gc_paused
def read_records_with_rows(
    path: str | Path, *, workshop: str | None = None
) -> tuple[pd.DataFrame, list[int]]:
    """Like :func:`read_records`, and also return each record's row (line) in the file.

    Used where a later check (e.g. hand-assigned codes against the codebook) must name
    the row of a problem as the user sees it.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError([Problem(name, None, "", "file not found")])
    _check_size(path)
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as err:  # permission denied, a device, …: name the file, no traceback
        raise InputError(
            [Problem(name, None, "", f"cannot read the file ({err.strerror})")]
        ) from None
    suffix = path.suffix.lower()
    fallback = workshop or default_workshop_id(path)
    if suffix in {".xlsx", ".xlsm"}:
        raw, rows = _read_xlsx(path)
    elif suffix in {".md", ".markdown"}:
        raw, rows, meta = _read_markdown(path)
        fallback = workshop or meta.get("workshop") or fallback
        for key in ("date", "source"):
            if key in meta and key not in raw.columns:
                raw[key] = str(meta[key])
    elif suffix in {".csv", ".tsv", ".txt"}:
        raw, rows = _read_csv(path)
    elif suffix == ".xls":
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    "",
                    "old .xls files are not supported; save the sheet as .xlsx or CSV",
                )
            ]
        )
    else:
        hint = " (save the sheet as .xlsx or CSV)" if suffix in {".ods", ".numbers"} else ""
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"unsupported file type {suffix!r}; use .csv, .xlsx or .md{hint}",
                )
            ]
        )
    if len(raw) > config.MAX_ROWS:
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"{len(raw):,} rows; the limit is {config.MAX_ROWS:,} statements per "
                    "workshop (workshop_analysis.config.MAX_ROWS)",
                )
            ]
        )
    if workshop is not None and "workshop" in {str(c).lower() for c in raw.columns}:
        raw = raw.drop(columns=[c for c in raw.columns if str(c).lower() == "workshop"])
    return normalise_records(raw, workshop=fallback, file=name, rows=rows), list(rows)


def _check_size(path: Path) -> None:
    """Refuse a file larger than ``config.MAX_FILE_BYTES`` before reading any of it."""
    size = path.stat().st_size
    if size > config.MAX_FILE_BYTES:
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    "",
                    f"the file has {size:,} bytes; the limit is {config.MAX_FILE_BYTES:,} "
                    "bytes per record file (workshop_analysis.config.MAX_FILE_BYTES)",
                )
            ]
        )


def _decode(
    path: Path, *, expected: str = "CSV text", locate: Callable[[str], list[Problem]] | None = None
) -> str:
    """Return the text of a record file, or raise InputError saying why it is not text.

    ``locate`` turns the text of a file that mixes UTF-8 with bytes of another encoding
    (decoded with ``surrogateescape``) into problems naming row and column; without it
    the problems name lines.
    """
    data = path.read_bytes()
    name = str(path)
    if not data:
        raise InputError([Problem(name, None, "", "the file is empty (0 bytes)")])
    if not data.strip():
        raise InputError(
            [Problem(name, None, "", "the file is empty (only blank lines, spaces or tabs)")]
        )
    binary = _binary_kind(data)
    if binary is not None:
        what, hint = binary
        raise InputError(
            [Problem(name, None, "", f"this is a binary file ({what}), not {expected}{hint}")]
        )
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" is UTF-16
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(
                [
                    Problem(
                        name,
                        None,
                        "",
                        "the file starts like UTF-16 text but "
                        "cannot be decoded; save it as CSV (UTF-8)",
                    )
                ]
            ) from None
    head = data[:8192]
    # a few NULs in a cell (pasted from a PDF, say) do not make a file binary
    if head.count(b"\x00") > 3 or data[:4] == b"PK\x03\x04":
        hint = " (an Excel file? name it .xlsx)" if data[:4] == b"PK\x03\x04" else ""
        raise InputError([Problem(name, None, "", f"this is a binary file, not CSV text{hint}")])
    for encoding in _ENCODINGS:
        if encoding == "cp1252":  # not UTF-8: which legacy encoding?
            legacy = _legacy_encoding(data, name)
            if legacy != "cp1252":
                return data.decode(legacy)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8-sig":
                _refuse_mixed_encodings(data, name, locate)
            continue
        # cp1252 leaves five bytes undefined and latin-1 maps them to C1 controls:
        # text full of them is not a text file at all. Valid UTF-8 is text, even with
        # control characters (clean_text turns them into spaces): decoding it as cp1252
        # instead would garble every umlaut.
        if encoding == "utf-8-sig":
            return text
        controls = _control_count(data, encoding)
        if controls > max(3, len(text) // 100):
            continue
        return text
    raise InputError(
        [
            Problem(
                name,
                None,
                "",
                "cannot decode the file as UTF-8, cp1252 or latin-1 text; save it as CSV (UTF-8)",
            )
        ]
    )


#: Magic numbers of binary files people rename to .csv: (start, what it is, hint).
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG", "a PNG image", ""),
    (b"%PDF", "a PDF document", "; copy the statements into a .csv, .xlsx or .md file"),
    (b"\xff\xd8\xff", "a JPEG image", ""),
    (b"GIF8", "a GIF image", ""),
    (b"\xd0\xcf\x11\xe0", "an old Office file, .xls or .doc", "; save it as .xlsx or CSV"),
    (b"\x1f\x8b", "a gzip archive", "; unpack it first"),
)
#: A byte of a UTF-8 file that is not UTF-8, as decoded with ``surrogateescape``.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
#: A character that a UTF-8 multi-byte sequence decodes to and that is evidence of UTF-8
#: text: Latin letters and signs (U+0080..U+024F), Greek and Cyrillic, and everything from
#: U+2000 on (typographic punctuation, €, CJK, emoji). Left out are the ranges whose UTF-8
#: lead bytes are common cp1252 letters followed by punctuation: ``ß“`` is the UTF-8 bytes
#: of U+07D3, but in a cp1252 file it is just "ß" and a closing quote.
_UTF8_NON_ASCII = re.compile("[\u0080-\u024f\u0370-\u052f\u2000-\ud7ff\ue000-\U0010ffff]")
_ASCII_BYTES = bytes(range(0x80))
_LEAD_CONTINUATION = re.compile(b"[\xc2-\xf4][\x80-\xbf]")


def _binary_kind(data: bytes) -> tuple[str, str] | None:
    """``(what, hint)`` when ``data`` starts like a known binary format, else None."""
    for magic, what, hint in _SIGNATURES:
        if data.startswith(magic):
            return what, hint
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return "a damaged zip archive", ""
    if any(n.startswith("xl/") for n in names):
        return "an Excel workbook", "; rename it to .xlsx"
    if any(n.startswith("word/") for n in names):
        return "a Word document", "; copy the statements into a .csv, .xlsx or .md file"
    if b"opendocument" in mimetype:
        return "an OpenDocument file", "; save it as .xlsx or CSV"
    return "a zip archive", "; unpack it and read the file inside"


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 without byte-order mark (NUL in every other byte), else None."""
    sample = data[:65536]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.3 * half and even < 0.02 * half:
        encoding = "utf-16-le"
    elif even > 0.3 * half and odd < 0.02 * half:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data[: len(data) - len(data) % 2].decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text[:32768] if ch < " " and ch not in "\t\r\n")
    return None if controls > max(3, min(len(text), 32768) // 100) else text


def _refuse_mixed_encodings(
    data: bytes, name: str, locate: Callable[[str], list[Problem]] | None
) -> None:
    """Raise InputError when ``data`` is UTF-8 except for some bytes of another encoding.

    Decoding such a file as cp1252 would turn its UTF-8 umlauts into mojibake (``Ã¼``),
    decoding it as UTF-8 loses the other bytes: the user has to fix it.
    """
    # Fast path for big cp1252 files: a UTF-8 multi-byte sequence is a lead byte followed
    # by a continuation byte, all non-ASCII, so without such a pair among the non-ASCII
    # bytes there is none (decoding everything with surrogateescape costs seconds).
    if not _LEAD_CONTINUATION.search(data.translate(None, _ASCII_BYTES)):
        return
    text = data.decode("utf-8", "surrogateescape").lstrip("\ufeff")
    if not _UTF8_NON_ASCII.search(text):
        return  # no UTF-8 at all: a cp1252/latin-1 file
    problems = locate(text) if locate is not None else []
    if not problems:
        problems = [
            Problem(name, number, "", _not_utf8_message(line))
            for number, line in enumerate(_LINE_BREAK.split(text), start=1)
            if _NOT_UTF8.search(line)
        ]
    raise InputError(problems)


def _not_utf8_message(cell: str) -> str:
    found = _NOT_UTF8.search(cell)
    start = found.start() if found else 0
    shown = "".join(
        f"\\x{ord(c) - 0xDC00:02x}" if _NOT_UTF8.match(c) else c
        for c in cell[max(0, start - 12) : start + 12]
    )
    return (
        f"'{shown}' holds bytes that are not UTF-8 although the rest of the file is UTF-8: "
        "the file mixes two encodings (text pasted from a Windows/cp1252 file?); "
        "retype these characters and save the file as UTF-8 (in Excel: 'CSV UTF-8')"
    )


def _first_line(text: str) -> str:
    """The first line that is not blank (the header), without splitting all of a big file."""
    start = len(text) - len(text.lstrip("\ufeff\r\n\t "))
    start = text.rfind("\n", 0, start) + 1  # keep leading blanks of the header line
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)].rstrip("\r")


_SEP_LINE = re.compile(r"[ \t]*sep=(.)[ \t]*\r?(?:\n|$)", re.IGNORECASE)


def _sep_line(text: str) -> tuple[str, str | None]:
    """Excel's ``sep=;`` first line: the text after it and the delimiter it names.

    Excel writes and reads that line but never shows it, so rows are counted without it
    (the header is row 1, as in Excel).
    """
    body = text.lstrip("\ufeff")
    found = _SEP_LINE.match(body)
    if found is None or found[1] in '\r\n"':
        return text, None
    return body[found.end() :], found[1]


def _detect_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


def _read_csv(path: Path) -> tuple[pd.DataFrame, list[int]]:
    name = str(path)
    text = _decode(path, locate=lambda mixed: _not_utf8_cells(name, mixed))
    text, delimiter = _sep_line(text)
    header_line = _first_line(text)
    delimiter = delimiter or _detect_delimiter(header_line)
    if delimiter not in header_line and not any(d in header_line for d in ";\t,"):
        # one column (e.g. only "Aussage"): each line is one cell, commas and all
        delimiter = next(c for c in "\x1f\x1e\x1d\x1c\x01" if c not in text)
    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = [row for row in reader]
    except csv.Error as err:
        raise InputError([Problem(name, reader.line_num, "", f"malformed CSV: {err}")]) from None
    _refuse_unclosed_quote(name, text, table, reader.line_num, delimiter)
    if reader.line_num > len(table):  # some cell spans lines: was a quote closed too late?
        _refuse_swallowed_rows(name, text, table, delimiter)
    # blank rows are skipped but still counted: row numbers are the spreadsheet's
    numbers = [i for i, row in enumerate(table, start=1) if any(map(str.strip, row))]
    table = [table[i - 1] for i in numbers]
    if not table:
        raise InputError([Problem(name, None, "", "the file is empty")])
    header = [h.strip() for h in table[0]]
    width = len(header)
    text_at = next((j for j, h in enumerate(header) if canonical_column(h) == "text"), 0)
    problems = []
    if all(len(row) == width for row in table):  # the usual case: no padding needed
        body, rows = table[1:], numbers[1:]
    else:
        body, rows = [], []
        for i, row in zip(numbers[1:], table[1:], strict=True):
            if len(row) > width and any(c.strip() for c in row[width:]):
                problems.append(
                    Problem(
                        name,
                        i,
                        "",
                        f"row has {len(row)} cells but the header "
                        f"has {width} (delimiter {delimiter!r}; a "
                        "stray separator or quote?)",
                    )
                )
                continue
            other = _other_delimiter(row, delimiter, width) if text_at else None
            if other is not None:  # the text would be empty: say why
                problems.append(
                    Problem(
                        name,
                        i,
                        "",
                        f"the row is separated by {other!r} but the header by {delimiter!r} "
                        f"(mixed delimiters); use {delimiter!r} throughout",
                    )
                )
                continue
            body.append(row[:width] + [""] * (width - len(row)))
            rows.append(i)
    if problems:
        raise InputError(problems)
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        raise InputError([Problem(name, numbers[0], d, "column name appears twice") for d in dupes])
    del table
    frame = pd.DataFrame(
        {h: _unneutralised(map(itemgetter(j), body)) for j, h in enumerate(header)},
        columns=header,
        dtype=object,
    )
    return frame, rows


def _other_delimiter(row: list[str], delimiter: str, width: int) -> str | None:
    """The delimiter that splits a one-cell row into (at least) the header's cells."""
    if len(row) != 1 or width < 2:
        return None
    for other in (";", ",", "\t"):
        if (
            other != delimiter
            and other in row[0]
            and len(next(csv.reader([row[0]], delimiter=other))) >= width
        ):
            return other
    return None


def _refuse_unclosed_quote(
    name: str, text: str, table: list[list[str]], line_count: int, delimiter: str
) -> None:
    """Raise InputError when a quote opens in the last record and is never closed.

    Python's csv module then reads everything up to the end of the file into that one
    cell, silently losing the rows after it.
    """
    last = table[-1][-1] if table and table[-1] else ""
    breaks = len(_LINE_BREAK.findall(last))
    if not breaks or not text.endswith(last):  # the cell does not run to the end
        return
    start = line_count - breaks + (1 if last.endswith(("\n", "\r")) else 0)
    buffer = io.StringIO(text, newline="")
    for _ in range(start - 1):
        buffer.readline()
    try:
        for _ in csv.reader(buffer, delimiter=delimiter, strict=True):
            pass
    except csv.Error as err:
        if "unexpected end of data" not in str(err):
            return
    else:
        return
    header = next((row for row in table if any(map(str.strip, row))), [])
    at = len(table[-1]) - 1
    column = header[at].strip() if at < len(header) else ""
    raise InputError(
        [
            Problem(
                name,
                len(table),
                column,
                'a quote (") opens in this cell and is never closed, so everything after it '
                f"(lines {start}–{line_count}) would be read as this one cell; "
                "close the quote or delete it",
            )
        ]
    )


def _refuse_swallowed_rows(name: str, text: str, table: list[list[str]], delimiter: str) -> None:
    """Raise InputError when a quote left open is closed by a quote in a later row.

    Python's csv module then reads the lines in between into one cell. Strict parsing
    stops where a closing quote is followed by text: when that happens on a later line
    than the one the record started on, the record swallowed rows.
    """
    buffer = io.StringIO(text, newline="")
    consumed, records = 0, 0
    while True:
        reader = csv.reader(buffer, delimiter=delimiter, strict=True)
        start = consumed + 1
        try:
            for _ in reader:
                records += 1
                start = consumed + reader.line_num + 1
            return
        except csv.Error:
            end = consumed + reader.line_num
            records += 1
            if end > start:
                break
            consumed = end  # a stray quote within one line ('"Gute" Moderation'): harmless
    line = _LINE_BREAK.split(text, maxsplit=start)[start - 1]
    at = len(next(csv.reader([line], delimiter=delimiter))) - 1
    header = next((row for row in table if any(map(str.strip, row))), [])
    raise InputError(
        [
            Problem(
                name,
                records,
                header[at].strip() if 0 <= at < len(header) else "",
                f'a quote (") opens in this cell and only closes on line {end}, so lines '
                f"{start + 1}–{end} would be read into this cell instead of as rows; "
                "close the quote where the cell ends",
            )
        ]
    )


def _not_utf8_cells(name: str, text: str) -> list[Problem]:
    """Problems naming row and column of every cell with bytes that are not UTF-8."""
    delimiter = _detect_delimiter(_first_line(text))
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header: list[str] | None = None
    problems = []
    for number, row in enumerate(table, start=1):
        if header is None and any(map(str.strip, row)):
            header = [h.strip() for h in row]
        for at, cell in enumerate(row):
            if _NOT_UTF8.search(cell):
                column = header[at] if header is not None and at < len(header) else ""
                problems.append(Problem(name, number, column, _not_utf8_message(cell)))
    return problems


def _unneutralised(cells: Iterable[str]) -> list[str]:
    """:func:`unneutralise` each cell (only cells starting with ``'`` can change)."""
    return [unneutralise(c) if c[:1] == "'" else c for c in cells]


#: Most bytes all members of an XLSX file may unpack to (checked from the zip directory
#: before anything is unpacked: a decompression bomb is refused, not read).
MAX_XLSX_UNPACKED = 1_000_000_000
#: A member that unpacks to more than this is refused when it is also compressed more
#: than :data:`_BOMB_RATIO` times (spreadsheet XML compresses 5-20 times).
_BOMB_MEMBER = 100_000_000
_BOMB_RATIO = 200
#: Most sheets (work and chart sheets) in a workbook.
MAX_XLSX_SHEETS = 500
#: Most cells read from a sheet (empty cells inside the used range count).
MAX_XLSX_CELLS = 10_000_000
#: Workbooks that unpack to at most this many bytes are loaded fully, so that merged
#: cells are known (merged header cells are an error, merged section cells fill down).
_XLSX_FULL_LOAD_BYTES = 40_000_000

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


#: What openpyxl raises on damaged parts (XML ParseError and lxml's errors are SyntaxErrors).
_DAMAGED = (
    SyntaxError,
    AttributeError,
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    EOFError,
    OSError,
    zipfile.BadZipFile,
    zlib.error,
)


class _Sheet:
    """A sheet as listed in ``xl/workbook.xml``: name, state and whether it holds cells."""

    def __init__(self, name: str, state: str, chart: bool) -> None:
        self.name, self.state, self.chart = name, state, chart


def _xlsx_problem(name: str, message: str, row: int | None = None, column: str = "") -> InputError:
    return InputError([Problem(name, row, column, message)])


def _inspect_xlsx(path: Path) -> tuple[list[_Sheet], int]:
    """Sheets of the workbook and its unpacked size, from the zip directory and the
    (small) workbook part; refuses bombs and damaged files before openpyxl sees them."""
    import xml.etree.ElementTree as ET

    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_XLSX_UNPACKED:
                raise _xlsx_problem(
                    name,
                    f"the workbook unpacks to {total:,} bytes; at most {MAX_XLSX_UNPACKED:,} "
                    "are read (a decompression bomb?): save the statements as CSV",
                )
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > _BOMB_MEMBER and ratio > _BOMB_RATIO:
                    raise _xlsx_problem(
                        name,
                        f"{info.filename} unpacks to {info.file_size:,} bytes from "
                        f"{info.compress_size:,} ({ratio:,.0f} times; a decompression bomb?); "
                        "the file is not read",
                    )
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                raise _xlsx_problem(name, "not a readable .xlsx file (no xl/workbook.xml)")
            parts = {"xl/workbook.xml": 0, "xl/_rels/workbook.xml.rels": 0}
            for part in parts:
                if part in names and archive.getinfo(part).file_size > 50_000_000:
                    raise _xlsx_problem(name, f"{part} is too large to be a workbook part")
            workbook = ET.fromstring(archive.read("xl/workbook.xml"))
            rels = (
                ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
                if "xl/_rels/workbook.xml.rels" in names
                else None
            )
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError) as err:
        raise _xlsx_problem(name, f"not a readable .xlsx file ({err})") from None
    except ET.ParseError as err:
        raise _xlsx_problem(
            name, f"not a readable .xlsx file: xl/workbook.xml is damaged XML ({err})"
        ) from None
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
            targets[rel.get("Id", "")] = rel.get("Type", "")
    sheets = [
        _Sheet(
            str(el.get("name", "")),
            str(el.get("state", "visible")),
            targets.get(el.get(f"{_NS_REL}id", ""), "").endswith("/chartsheet"),
        )
        for el in workbook.iter(f"{_NS_MAIN}sheet")
    ]
    if len(sheets) > MAX_XLSX_SHEETS:
        raise _xlsx_problem(
            name,
            f"the workbook has {len(sheets):,} sheets; at most {MAX_XLSX_SHEETS} are read",
        )
    return sheets, total


def _without_chartsheets(path: Path) -> io.BytesIO:
    """The workbook with its chart sheets left out of ``xl/workbook.xml`` (openpyxl fails
    on some chart sheets, and they never hold statements)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        rels = src.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        chart_ids = set(
            re.findall(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?/chartsheet"', rels)
            + re.findall(r'<Relationship\b[^>]*?/chartsheet"[^>]*?Id="([^"]+)"', rels)
        )
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                for rid in chart_ids:
                    text = re.sub(rf'<sheet\b[^>]*?"{re.escape(rid)}"[^>]*?/>', "", text)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    out.seek(0)
    return out


def _read_xlsx(path: Path) -> tuple[pd.DataFrame, list[int]]:
    import openpyxl  # imported here: 0.25 s that reading a CSV file does not need
    from openpyxl.utils import get_column_letter

    name = str(path)
    sheets, unpacked = _inspect_xlsx(path)
    # merged cells are only known to a fully loaded workbook: fine for usual sizes
    full = unpacked <= _XLSX_FULL_LOAD_BYTES
    source: Path | io.BytesIO = path
    if any(s.chart for s in sheets):
        source = _without_chartsheets(path)
    try:
        book = openpyxl.load_workbook(source, read_only=not full, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise _xlsx_problem(name, f"not a readable .xlsx file ({err})") from None
    except _DAMAGED as err:  # openpyxl on damaged parts: XML ParseError, AttributeError …
        raise _xlsx_problem(name, _damaged_message(source, err, sheets)) from None
    try:
        sheet_name = _records_sheet(book, name, sheets)
        sheet = book[sheet_name]
        merged = list(sheet.merged_cells.ranges) if full else []
        values: list[list[str]] = []
        cells = 0
        try:
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_XLSX_CELLS:
                    raise _xlsx_problem(
                        name,
                        f"sheet {sheet_name!r} has more than {MAX_XLSX_CELLS:,} cells "
                        "(empty ones inside the used range count); delete unused rows and "
                        "columns or save the statements as CSV",
                    )
                values.append(_trimmed([_cell_text(v) for v in row]))
        except InputError:
            raise
        except _DAMAGED as err:  # damaged sheet XML
            raise _xlsx_problem(
                name,
                f"sheet {sheet_name!r} cannot be read: its XML is damaged ({_reason(err)}); "
                "open and save the file in Excel or LibreOffice, or save it as CSV",
                row=len(values) + 1 if values else None,
            ) from None
    finally:
        book.close()
    numbered = [(i, r) for i, r in enumerate(values, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise _xlsx_problem(name, f"sheet {sheet_name!r} is empty")
    header_row, header = numbered[0]
    spans = [m for m in merged if m.min_row <= header_row <= m.max_row]
    if spans:
        raise InputError(
            [
                Problem(
                    name,
                    header_row,
                    get_column_letter(m.min_col),
                    f"header cells {m.coord} are merged: the first row with content must hold "
                    "one column name per cell; unmerge them (and delete a title row above "
                    "the column names)",
                )
                for m in spans
            ]
        )
    _fill_merged(values, merged)
    numbered = [(i, values[i - 1]) for i, _ in numbered]
    header = [h.strip() for h in header]
    width = max(i for i, h in enumerate(header, start=1) if h) if any(header) else 0
    header = [h or get_column_letter(j) for j, h in enumerate(header[:width], start=1)]
    seen: dict[str, int] = {}
    problems = []
    for j, h in enumerate(header, start=1):
        key = h.lower()
        if key in seen:
            problems.append(
                Problem(
                    name,
                    header_row,
                    get_column_letter(j),
                    f"column name {h!r} appears twice (first in column "
                    f"{get_column_letter(seen[key])}); rename or delete one of them",
                )
            )
        else:
            seen[key] = j
    if problems:
        raise InputError(problems)
    body = [[unneutralise(c) for c in (r + [""] * width)[:width]] for _, r in numbered[1:]]
    rows = [i for i, _ in numbered[1:]]
    return pd.DataFrame(body, columns=header, dtype=object), rows


def _damaged_message(source: Path | io.BytesIO, err: BaseException, sheets: list[_Sheet]) -> str:
    """Say which part of a workbook openpyxl could not read: the first XML part that is
    not well-formed (parsed as a stream), with the sheet it holds where known."""
    import xml.etree.ElementTree as ET

    hint = "open and save the file in Excel or LibreOffice, or save the statements as CSV"
    try:
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                try:
                    with archive.open(info) as stream:
                        for _ in ET.iterparse(stream):
                            pass
                except ET.ParseError as bad:
                    line, column = bad.position
                    where = info.filename
                    found = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", where)
                    work = [s for s in sheets if not s.chart]
                    if found and int(found[1]) <= len(work):
                        where += f" (sheet {work[int(found[1]) - 1].name!r})"
                    return (
                        f"not a readable .xlsx file: {where} is damaged XML (line {line}, "
                        f"column {column}); {hint}"
                    )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        pass
    return f"not a readable .xlsx file: a part of it is damaged ({_reason(err)}); {hint}"


def _reason(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return f"{type(err).__name__}: {text}"[:200] if text else type(err).__name__


def _trimmed(cells: list[str]) -> list[str]:
    """``cells`` without trailing empty cells (a used range of 16,384 columns costs nothing)."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells if end == len(cells) else cells[:end]


def _fill_merged(values: list[list[str]], merged: list[Any]) -> None:
    """Fill cells merged over several rows with the value of the merged block (in place).

    A section (``Bereich``) cell merged over the rows of its statements belongs to each
    of them; openpyxl gives the value only to the first row. Only the block's first
    column is filled, so a block merged across columns does not copy a title into the
    text or kind column.
    """
    for block in merged:
        if block.max_row <= block.min_row:
            continue
        col = block.min_col - 1
        top = values[block.min_row - 1] if block.min_row - 1 < len(values) else []
        value = top[col] if col < len(top) else ""
        if not value:
            continue
        for r in range(block.min_row, min(block.max_row, len(values))):
            row = values[r]
            if len(row) <= col:
                row.extend([""] * (col + 1 - len(row)))
            if not row[col]:
                row[col] = value


def _records_sheet(book: Any, name: str, listed: list[_Sheet] | None = None) -> str:
    """The sheet to read: ``records``/``Aussagen``, else the only sheet with statements.

    Only work sheets count (a chart sheet never holds statements), and visible sheets
    come first: a hidden sheet is read only when no visible one qualifies. A sheet holds
    statements when its first row with content names a text column (``text``,
    ``Aussage``, …) and a row follows. With no such sheet the first visible sheet is read
    (and its missing column reported); with several, InputError lists them.
    """
    states = {s.name: s.state for s in listed or []}
    work = [s.title for s in book.worksheets]
    if not work:
        raise _xlsx_problem(name, "the workbook has no work sheet (only chart sheets?)")
    visible = [s for s in work if states.get(s, "visible") == "visible"]
    hidden = [s for s in work if s not in visible]
    for group in (visible, hidden):
        by_lower = {s.strip().lower(): s for s in group}
        for wanted in ("records", "aussagen"):
            if wanted in by_lower:
                return by_lower[wanted]
        if len(group) == 1 and group is visible and not hidden:
            return group[0]
        candidates = [s for s in group if _holds_statements(book[s])]
        if len(candidates) > 1:
            listed_names = ", ".join(repr(s) for s in candidates)
            raise InputError(
                [
                    Problem(
                        name,
                        None,
                        "",
                        f"the workbook has {len(candidates)} sheets with statements "
                        f"({listed_names}) and none is named 'records' or 'Aussagen': rename "
                        "the sheet to read to 'records', or put all statements on one sheet",
                    )
                ]
            )
        if candidates:
            return candidates[0]
    return (visible or work)[0]


def _holds_statements(sheet: Any) -> bool:
    header = None
    for row in sheet.iter_rows(values_only=True):
        cells = [_cell_text(v).strip() for v in row]
        if not any(cells):
            continue
        if header is not None:
            return True
        header = cells
        if "text" not in {canonical_column(c) for c in cells if c}:
            return False
    return False


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: A bullet: ``-``, ``*``, ``+`` or ``1.``/``1)`` and a space, or a bullet character as
#: Word writes it (``•``, ``–``, ``▪``, ``◦``, Symbol-font private-use bullets, …).
_BULLET = re.compile(
    r"^(?P<indent>[ \t]*)(?:(?:[-*+]|\d{1,3}[.)])[ \t\u00a0]+"
    r"|[•–—·▪◦‣⁃●○■□►➢\uf0b7\uf0a7\uf076\uf0d8][ \t\u00a0]*)(?P<body>.*)$"
)
_HEADING = re.compile(r"^ {0,3}(?P<marks>#{1,6})(?:[ \t]+(?P<title>.*))?$")
_KIND_MARK = re.compile(r"^\[(?P<kind>[^\]]+)\]\s*")
_CODES_MARK = re.compile(r"\{\s*(?:codes?|kodes)\s*:\s*(?P<codes>[^}]*)\}\s*", re.I)
_SOURCE_MARK = re.compile(r"\((?:quelle|source|wer)\s*:\s*(?P<source>[^)]*)\)\s*", re.I)
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_EMPHASIS_RUN = re.compile(r"\*{1,3}|_{1,3}")


def _trailing_mark(text: str, opener: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """``pattern`` matched from the last ``opener`` to the end of ``text`` (linear: one
    attempt, never a search from every position)."""
    at = text.rfind(opener)
    if at < 0:
        return None
    return pattern.fullmatch(text, at)


def strip_emphasis(text: str) -> str:
    """Remove Markdown emphasis markers (``*x*``, ``_x_``, ``**x**``, ``__x__``) from ``text``.

    A run of ``*`` or ``_`` opens when a non-space follows it and closes a matching open
    run when a non-space precedes it; ``_`` inside a word (``theorie_praxis``) is kept.
    Linear in the length of the text.

    Examples
    --------
    >>> strip_emphasis("Wir _wollen_ **mehr** Zeit für theorie_praxis")
    'Wir wollen mehr Zeit für theorie_praxis'
    """
    if "*" not in text and "_" not in text:
        return text
    runs = list(_EMPHASIS_RUN.finditer(text))
    drop: list[tuple[int, int]] = []
    open_runs: dict[str, list[tuple[int, int]]] = {}
    for run in runs:
        a, b = run.span()
        mark = run.group()
        before = text[a - 1] if a else " "
        after = text[b] if b < len(text) else " "
        word = mark[0] == "_"
        can_open = not after.isspace() and not (word and before.isalnum())
        can_close = not before.isspace() and not (word and after.isalnum())
        stack = open_runs.setdefault(mark, [])
        if can_close and stack:
            drop += [stack.pop(), (a, b)]
        elif can_open:
            stack.append((a, b))
    if not drop:
        return text
    drop.sort()
    parts, pos = [], 0
    for a, b in drop:
        parts.append(text[pos:a])
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(body)]


def _front_matter(name: str, lines: list[str]) -> tuple[dict[str, str], int]:
    """The front matter (``---`` … ``---``) as strings, and the index of the first line
    after it (0 without front matter)."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."})
    except StopIteration:
        raise InputError([Problem(name, 1, "", "front matter '---' is not closed")]) from None
    from . import _yaml

    loaded = _yaml.load_text("\n".join(lines[1:end]), name, first_line=2, lines=False)
    if loaded is None:
        return {}, end + 1
    if not isinstance(loaded, dict):
        raise InputError([Problem(name, 2, "", "front matter must be 'key: value' lines")])
    meta: dict[str, str] = {}
    problems = []
    for key, value in loaded.items():
        if value is None:
            continue
        line = next((i + 1 for i in range(1, end) if lines[i].lstrip().startswith(f"{key}:")), 2)
        if isinstance(value, dict | list):
            problems.append(Problem(name, line, str(key), "expected a single value"))
            continue
        meta[str(key).lower()] = str(value)
        if str(key).lower() == "date":
            _, message = _date_problem(str(value))
            if message:
                problems.append(Problem(name, line, "date", message))
    if problems:
        raise InputError(problems)
    return meta, end + 1


def _date_problem(value: str) -> tuple[str | None, str | None]:
    from .records import _date_or_problem

    return _date_or_problem(value)


def _read_markdown(path: Path) -> tuple[pd.DataFrame, list[int], dict[str, str]]:
    name = str(path)
    # only \n, \r\n and \r end a line (str.splitlines also splits at U+2028, \x0c, …)
    lines = _LINE_BREAK.split(_decode(path, expected="Markdown text").lstrip("\ufeff"))
    meta, start = _front_matter(name, lines)

    records: list[dict[str, str]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    section = ""
    first_heading: int | None = None
    current: dict[str, str] | None = None
    fence: str | None = None
    table: list[str] | None = None  # canonical column of each cell, or None: not read
    table_start = 0
    unread: list[int] = []
    in_table: set[int] = set()  # records read from a table (their columns are split)

    def close_table() -> None:
        if unread:
            problems.append(
                Problem(
                    name,
                    table_start,
                    "",
                    f"a table without a column of statements: its {len(unread)} row"
                    f"{'s' if len(unread) != 1 else ''} (lines {unread[0]}–{unread[-1]}) "
                    "were not read; name the column of the statements 'Aussage' or 'text' "
                    "in the table's first row, or write the statements as bullets ('- …')",
                )
            )
            unread.clear()

    skip = 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if number == skip:
            continue
        marker = _FENCE.match(line)
        if fence is not None:  # inside a code block: nothing is read
            if marker and marker["fence"][0] == fence[0] and len(marker["fence"]) >= len(fence):
                fence = None
            continue
        if marker:
            fence, current = marker["fence"], None
            continue
        stripped = line.strip()
        if table is not None:
            if "|" in stripped and stripped:
                cells = _cells(line)
                if "text" in table:
                    values = {c: strip_emphasis(v) for c, v in zip(table, cells, strict=False) if c}
                    values.setdefault("section", section)
                    values.setdefault("text", "")
                    in_table.add(len(records))
                    records.append(values)
                    rows.append(number)
                else:
                    unread.append(number)
                continue
            close_table()
            table = None
        heading = _HEADING.match(line)
        if heading:
            title = (heading["title"] or "").strip()
            title = title.rstrip("#").rstrip() if title.endswith("#") else title
            section, current = strip_emphasis(title), None
            first_heading = first_heading or number
            continue
        if (
            "|" in stripped
            and number < len(lines)
            and _TABLE_RULE.match(lines[number])
            and "-" in lines[number]
        ):
            table = [canonical_column(c) or "" for c in _cells(line)]
            table_start = number
            skip = number + 1  # the rule line under the header
            continue
        bullet = _BULLET.match(line)
        if bullet and len(bullet["indent"].expandtabs(4)) < 2 and bullet["body"].strip():
            current = {"section": section, "text": bullet["body"]}
            records.append(current)
            rows.append(number)
        elif current is not None and stripped and line[:1].isspace():
            current["text"] += " " + stripped
        else:
            current = None
    close_table()
    early = [r for r in rows if first_heading is not None and r < first_heading]
    problems += [
        Problem(
            name,
            r,
            "section",
            f"statement before the first heading (line {first_heading}): move it "
            "under a heading, or add one above it (e.g. '## Allgemein')",
        )
        for r in early
    ]
    if problems:
        raise InputError(problems)
    for at, rec in enumerate(records):
        if at in in_table:
            continue
        text = strip_emphasis(rec["text"].strip())
        mark = _KIND_MARK.match(text)
        if mark and "kind" not in rec:
            rec["kind"], text = mark["kind"], text[mark.end() :]
        codes = _trailing_mark(text, "{", _CODES_MARK)
        if codes and "codes" not in rec:
            rec["codes"], text = codes["codes"], text[: codes.start()]
        source = _trailing_mark(text.rstrip(), "(", _SOURCE_MARK)
        if source and "source" not in rec:
            rec["source"], text = source["source"].strip(), text[: source.start()]
        rec["text"] = text.strip()
    if not records:
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    "",
                    "no statements found: a statement is a bullet line starting with '- '",
                )
            ]
        )
    frame = pd.DataFrame(records, dtype=object)
    for col in ("kind", "codes", "source"):
        if col not in frame.columns:
            frame[col] = ""
    return frame.fillna(""), rows, meta


def _for_export(data: pd.DataFrame) -> pd.DataFrame:
    out = data.copy()
    for column in out.columns:
        if any(isinstance(v, list | tuple) for v in out[column].tolist()):  # empty-safe
            out[column] = out[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    return neutralise_frame(out)


def write_table(data: pd.DataFrame, path: str | Path, *, sheet_name: str = "records") -> Path:
    """Write any tidy table to CSV (UTF-8, ``,``) or XLSX, safe for spreadsheets.

    List cells are joined with ``"; "``; cells starting with ``=``, ``+``, ``-``, ``@``,
    tab or CR are prefixed with ``'`` (see :mod:`workshop_analysis._safe`). Output is
    deterministic: no timestamps, rows in the given order.

    Parameters
    ----------
    data : DataFrame
        Table to write (not modified).
    path : str or Path
        ``.csv`` or ``.xlsx``; parent folders are created.
    sheet_name : str, optional
        Sheet name for XLSX.

    Returns
    -------
    Path
        The written file.
    """
    from ._output import atomic_file

    path = Path(path)
    out = _for_export(data)
    with atomic_file(path) as tmp:  # a failed write never leaves half a file
        if path.suffix.lower() == ".xlsx":
            from ._xlsx import write_sheets

            write_sheets({sheet_name: out}, tmp)
        else:
            out.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return path


def write_records(data: pd.DataFrame, path: str | Path) -> Path:
    """Write a record table to CSV or XLSX so that :func:`read_records` reads it back equal.

    Parameters
    ----------
    data : DataFrame
        Record table (extra columns, e.g. from tagging, are written too).
    path : str or Path
        ``.csv`` or ``.xlsx``.

    Returns
    -------
    Path
        The written file.
    """
    cols = [c for c in COLUMNS if c in data.columns] + [c for c in data if c not in COLUMNS]
    return write_table(data[cols], path, sheet_name="records")
