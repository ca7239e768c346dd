"""Reading and writing record tables: CSV, XLSX and the Markdown protocol format.

CSV
    UTF-8 (with or without BOM), or cp1252/latin-1 as German Excel saves it; the delimiter
    (``,``, ``;`` or tab) is detected from the header line. The first row is the header.
XLSX
    The first sheet (or a sheet named ``records``/``Aussagen``); the first row is the
    header. Dates are written as ISO strings.
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

    The front matter (``workshop``, ``date``, ``source``) is optional and applies to every
    statement. A bullet is a line starting with ``-``, ``*``, ``+`` or ``1.``; indented
    lines continue it. ``[kind]`` right after the bullet gives the kind in English or
    German; a trailing ``(Quelle: …)``/``(source: …)`` the source; a trailing
    ``{codes: a; b}`` hand-assigned codes. Other lines are ignored. Row numbers in
    messages are line numbers.

Every reader returns the validated record table described in :mod:`workshop_analysis.records`
or raises :class:`~workshop_analysis.errors.InputError` naming file, row and column.
Readers never modify the input file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import yaml

from ._safe import neutralise_frame, unneutralise
from .errors import InputError, Problem
from .records import COLUMNS, normalise_records, slugify

_GENERIC_STEMS = {"records", "aussagen", "protokoll", "protocol", "data", "input", "statements"}
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # tried in this order


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
        raise InputError(
            [Problem(name, None, "", f"unsupported file type {suffix!r}; use .csv, .xlsx or .md")]
        )
    if workshop is not None and "workshop" in {str(c).lower() for c in raw.columns}:
        raw = raw.drop(columns=[c for c in raw.columns if str(c).lower() == "workshop"])
    return normalise_records(raw, workshop=fallback, file=name, rows=rows), list(rows)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    name = str(path)
    if not data.strip():
        raise InputError([Problem(name, None, "", "the file is empty")])
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
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # cp1252 leaves five bytes undefined and latin-1 maps them to C1 controls:
        # text full of them is not a text file at all.
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
        controls += sum(1 for ch in text if 0x80 <= ord(ch) < 0xA0)
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


def _detect_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


def _read_csv(path: Path) -> tuple[pd.DataFrame, list[int]]:
    name = str(path)
    text = _decode(path)
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    delimiter = _detect_delimiter(first_line)
    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = [row for row in reader]
    except csv.Error as err:
        raise InputError([Problem(name, reader.line_num, "", f"malformed CSV: {err}")]) from None
    # blank rows are skipped but still counted: row numbers are the spreadsheet's
    numbers = [i for i, row in enumerate(table, start=1) if any(map(str.strip, row))]
    table = [table[i - 1] for i in numbers]
    if not table:
        raise InputError([Problem(name, None, "", "the file is empty")])
    header = [h.strip() for h in table[0]]
    problems = []
    body, rows = [], []
    for i, row in zip(numbers[1:], table[1:], strict=True):
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            problems.append(
                Problem(
                    name,
                    i,
                    "",
                    f"row has {len(row)} cells but the header "
                    f"has {len(header)} (delimiter {delimiter!r}; a "
                    "stray separator or quote?)",
                )
            )
            continue
        row = row[: len(header)] + [""] * (len(header) - len(row))
        body.append([unneutralise(c) for c in row])
        rows.append(i)
    if problems:
        raise InputError(problems)
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        raise InputError([Problem(name, 1, d, "column name appears twice") for d in dupes])
    return pd.DataFrame(body, columns=header, dtype=object), rows


def _read_xlsx(path: Path) -> tuple[pd.DataFrame, list[int]]:
    import openpyxl

    name = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise InputError([Problem(name, None, "", f"not a readable .xlsx file ({err})")]) from None
    try:
        sheets = {s.lower(): s for s in book.sheetnames}
        sheet_name = sheets.get("records") or sheets.get("aussagen") or book.sheetnames[0]
        sheet = book[sheet_name]
        values = []
        for row in sheet.iter_rows(values_only=True):
            values.append([_cell_text(v) for v in row])
    finally:
        book.close()
    numbered = [(i, r) for i, r in enumerate(values, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise InputError([Problem(name, None, "", f"sheet {sheet_name!r} is empty")])
    header_row, header = numbered[0]
    header = [h.strip() for h in header]
    width = max(i for i, h in enumerate(header, start=1) if h) if any(header) else 0
    header = header[:width]
    body = [[unneutralise(c) for c in (r + [""] * width)[:width]] for _, r in numbered[1:]]
    rows = [i for i, _ in numbered[1:]]
    if header_row != 1:
        rows = list(rows)
    return pd.DataFrame(body, columns=header, dtype=object), rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d+[.)])\s+(?P<body>.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<title>.*?)\s*#*\s*$")
_KIND_MARK = re.compile(r"^\[(?P<kind>[^\]]+)\]\s*")
_CODES_MARK = re.compile(r"\s*\{\s*(?:codes|kodes|codes?)\s*:\s*(?P<codes>[^}]*)\}\s*$", re.I)
_SOURCE_MARK = re.compile(r"\s*\((?:quelle|source|wer)\s*:\s*(?P<source>[^)]*)\)\s*$", re.I)


def _read_markdown(path: Path) -> tuple[pd.DataFrame, list[int], dict[str, str]]:
    name = str(path)
    # only \n, \r\n and \r end a line (str.splitlines also splits at U+2028, \x0c, …)
    lines = _LINE_BREAK.split(_decode(path).lstrip("\ufeff"))
    meta: dict[str, str] = {}
    start = 0
    if lines and lines[0].strip() == "---":
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            raise InputError([Problem(name, 1, "", "front matter '---' is not closed")]) from None
        try:
            loaded = yaml.safe_load("\n".join(lines[1:end])) or {}
        except yaml.YAMLError as err:
            raise InputError([Problem(name, 2, "", f"front matter is not YAML: {err}")]) from None
        if not isinstance(loaded, dict):
            raise InputError([Problem(name, 2, "", "front matter must be 'key: value' lines")])
        meta = {str(k).lower(): str(v) for k, v in loaded.items() if v is not None}
        start = end + 1

    records: list[dict[str, str]] = []
    rows: list[int] = []
    section = ""
    current: dict[str, str] | None = None
    for number, line in enumerate(lines[start:], start=start + 1):
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        if heading:
            section, current = heading["title"], None
        elif bullet and len(bullet["indent"]) < 2:
            current = {"section": section, "text": bullet["body"]}
            records.append(current)
            rows.append(number)
        elif current is not None and line.strip() and line[:1].isspace():
            current["text"] += " " + line.strip()
        else:
            current = None
    for rec in records:
        text = rec["text"].strip()
        mark = _KIND_MARK.match(text)
        if mark:
            rec["kind"], text = mark["kind"], text[mark.end() :]
        codes = _CODES_MARK.search(text)
        if codes:
            rec["codes"], text = codes["codes"], text[: codes.start()]
        source = _SOURCE_MARK.search(text)
        if source:
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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = _for_export(data)
    if path.suffix.lower() == ".xlsx":
        from ._xlsx import write_sheets

        write_sheets({sheet_name: out}, path)
    else:
        out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
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
