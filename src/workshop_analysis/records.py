"""The feedback-record table: schema, normalisation and validation.

One row per statement. Every function in the package that takes "records" expects a
DataFrame with these columns (in this order) and returns new frames, never mutating its
input.

========== ============== ========== ==================================================
column     dtype          required   meaning / allowed values
========== ============== ========== ==================================================
record_id  string         yes        unique within a workshop; generated from a hash of
                                     (workshop, section, text) when the input has none
workshop   string         yes        workshop id, e.g. ``2017-11-22-bmas-qualifizierung``
section    string         no (NA)    topic block, table or breakout group
source     string         no (NA)    who said it: role or organisation
date       string         no (NA)    ISO date ``YYYY-MM-DD``
kind       string         no (NA)    ``need``, ``wish``, ``praise`` or ``concern``;
                                     German input (Bedarf, Wunsch, Lob, Kritik, Problem,
                                     …) is normalised; NA means "infer later"
text       string         yes        the statement as written (non-empty)
codes      object (list)  no ([])    codes assigned by hand; ``;``-separated on input,
                                     a sorted list of ``str`` in the table
========== ============== ========== ==================================================

Input column names may be English (above) or German: see :data:`COLUMN_ALIASES`.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Sequence

import pandas as pd

from .errors import InputError, Problem

#: The columns of the record table, in order.
COLUMNS: tuple[str, ...] = (
    "record_id",
    "workshop",
    "section",
    "source",
    "date",
    "kind",
    "text",
    "codes",
)

#: dtype of each column (``codes`` holds Python lists).
DTYPES: dict[str, str] = {
    "record_id": "string",
    "workshop": "string",
    "section": "string",
    "source": "string",
    "date": "string",
    "kind": "string",
    "text": "string",
    "codes": "object",
}

#: The four kinds of statement, in display order.
KINDS: tuple[str, ...] = ("need", "wish", "praise", "concern")

#: Spellings accepted on input (lower-cased, stripped) and the kind they mean.
KIND_ALIASES: dict[str, str] = {
    **{k: k for k in KINDS},
    "needs": "need",
    "bedarf": "need",
    "bedarfe": "need",
    "bedürfnis": "need",
    "bedürfnisse": "need",
    "handlungsbedarf": "need",
    "wishes": "wish",
    "wunsch": "wish",
    "wünsche": "wish",
    "anregung": "wish",
    "anregungen": "wish",
    "vorschlag": "wish",
    "vorschläge": "wish",
    "idee": "wish",
    "suggestion": "wish",
    "lob": "praise",
    "positiv": "praise",
    "stärke": "praise",
    "stärken": "praise",
    "positive": "praise",
    "kritik": "concern",
    "problem": "concern",
    "probleme": "concern",
    "sorge": "concern",
    "sorgen": "concern",
    "bedenken": "concern",
    "schwierigkeit": "concern",
    "schwierigkeiten": "concern",
    "herausforderung": "concern",
    "herausforderungen": "concern",
    "negativ": "concern",
    "criticism": "concern",
    "problems": "concern",
    "concerns": "concern",
}

#: Input column names (compared case-insensitively, ignoring spaces, ``-`` and ``_``).
COLUMN_ALIASES: dict[str, str] = {
    **{c.replace("_", ""): c for c in COLUMNS},
    "id": "record_id",
    "nr": "record_id",
    "nummer": "record_id",
    "veranstaltung": "workshop",
    "text": "text",
    "aussage": "text",
    "beitrag": "text",
    "statement": "text",
    "art": "kind",
    "typ": "kind",
    "type": "kind",
    "kategorie": "kind",
    "bereich": "section",
    "abschnitt": "section",
    "thema": "section",
    "gruppe": "section",
    "tisch": "section",
    "topic": "section",
    "quelle": "source",
    "wer": "source",
    "datum": "date",
    "code": "codes",
    "kodes": "codes",
    "kodierung": "codes",
}

#: Longest statement accepted (characters); longer cells are almost always a paste error.
MAX_TEXT_CHARS = 20_000

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def canonical_column(name: str) -> str | None:
    """Return the schema column an input header means, or ``None`` if unknown.

    Examples
    --------
    >>> canonical_column("Bereich"), canonical_column("Record ID"), canonical_column("Farbe")
    ('section', 'record_id', None)
    """
    key = re.sub(r"[\s_\-]+", "", str(name).strip().lower())
    return COLUMN_ALIASES.get(key)


def normalise_kind(value: object) -> str | None:
    """Map an input kind (English or German, any case) to one of :data:`KINDS`.

    Returns ``None`` for a missing value; raises ``KeyError`` for an unknown one.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    key = unicodedata.normalize("NFC", str(value)).strip().lower()
    if not key:
        return None
    return KIND_ALIASES[key]


def split_codes(value: object) -> list[str]:
    """Split a ``;``-separated code cell into a sorted list of unique, stripped ids."""
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
    elif value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return []
    else:
        items = str(value).split(";")
    return sorted({i.strip() for i in items if i.strip()})


def make_record_id(workshop: str, section: str | None, text: str) -> str:
    """Return a deterministic record id: ``r-`` and 8 hex digits of a SHA-1 hash.

    The id depends only on the statement's workshop, section and text, so it does not
    change when rows are reordered or other rows are added or removed.
    """
    key = "\x1f".join([workshop, section or "", unicodedata.normalize("NFC", text.strip())])
    return "r-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def slugify(value: str) -> str:
    """Return a lower-case ASCII id (``Übung 1`` → ``uebung-1``)."""
    text = str(value).strip().lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "workshop"


def _is_iso_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _blank(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and pd.isna(value))
        or (isinstance(value, str) and not value.strip())
    )


def normalise_records(
    raw: pd.DataFrame,
    *,
    workshop: str | None = None,
    file: str = "",
    rows: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Turn a raw table (any supported column names) into a validated record table.

    Parameters
    ----------
    raw : DataFrame
        One row per statement; headers in English or German (see
        :data:`COLUMN_ALIASES`); cells as strings or missing.
    workshop : str, optional
        Workshop id used where the input has no ``workshop`` column or an empty cell.
    file : str, optional
        Name of the input file, used in problem messages.
    rows : sequence of int, optional
        The row number of each raw row as the user sees it in the file; defaults to
        ``index + 2`` (a header in row 1, as in a spreadsheet).

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS` with dtypes :data:`DTYPES`, index ``0..n-1``, rows in
        input order.

    Raises
    ------
    InputError
        Listing **every** problem found (unknown kind, empty text, duplicate id, …).
    """
    rows = list(rows) if rows is not None else [i + 2 for i in range(len(raw))]
    problems: list[Problem] = []

    renamed: dict[str, str] = {}
    original: dict[str, str] = {}
    for col in raw.columns:
        canon = canonical_column(str(col))
        if canon is None:
            continue  # extra columns are allowed and ignored
        if canon in renamed.values():
            problems.append(
                Problem(
                    file,
                    1 if rows else None,
                    str(col),
                    f"column means '{canon}', which another column already provides",
                )
            )
            continue
        renamed[col] = canon
        original[canon] = str(col)

    if "text" not in renamed.values():
        found = ", ".join(repr(str(c)) for c in raw.columns) or "none"
        problems.append(
            Problem(
                file,
                1 if len(raw.columns) else None,
                "text",
                f"required column is missing (accepted names: text, Text, Aussage, "
                f"Beitrag, Statement; found: {found})",
            )
        )
        raise InputError(problems)
    if raw.empty:
        problems.append(Problem(file, None, "", "the file contains no records (header only?)"))
        raise InputError(problems)

    data = raw[list(renamed)].rename(columns=renamed)
    for col in COLUMNS:
        if col not in data.columns:
            data[col] = None

    def col_name(canon: str) -> str:
        return original.get(canon, canon)

    out: dict[str, list[object]] = {c: [] for c in COLUMNS}
    for row_no, rec in zip(rows, data.to_dict("records"), strict=True):
        text = rec["text"]
        if _blank(text):
            problems.append(Problem(file, row_no, col_name("text"), "text is empty"))
            text = ""
        else:
            text = unicodedata.normalize("NFC", str(text)).strip()
            if len(text) > MAX_TEXT_CHARS:
                problems.append(
                    Problem(
                        file,
                        row_no,
                        col_name("text"),
                        f"text is {len(text):,} characters long; at most "
                        f"{MAX_TEXT_CHARS:,} are accepted (a paste error?)",
                    )
                )
        try:
            kind = normalise_kind(rec["kind"])
        except KeyError:
            allowed = ", ".join(KINDS) + " (or German: Bedarf, Wunsch, Lob, Kritik, Problem, …)"
            problems.append(
                Problem(
                    file,
                    row_no,
                    col_name("kind"),
                    f"unknown kind {str(rec['kind']).strip()!r}; allowed: {allowed}",
                )
            )
            kind = None
        ws = None if _blank(rec["workshop"]) else str(rec["workshop"]).strip()
        ws = ws or workshop
        if not ws:
            problems.append(
                Problem(file, row_no, col_name("workshop"), "no workshop id (column or option)")
            )
            ws = ""
        section = None if _blank(rec["section"]) else str(rec["section"]).strip()
        source = None if _blank(rec["source"]) else str(rec["source"]).strip()
        date = None if _blank(rec["date"]) else str(rec["date"]).strip()
        if date is not None:
            written = date
            date = date[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", date) else date
            m = _GERMAN_DATE.match(date)
            if m:
                date = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
            if not _is_iso_date(date):
                problems.append(
                    Problem(
                        file,
                        row_no,
                        col_name("date"),
                        f"date {written!r} is not a date (use YYYY-MM-DD or DD.MM.YYYY)",
                    )
                )
        rid = None if _blank(rec["record_id"]) else str(rec["record_id"]).strip()
        out["record_id"].append(rid if rid else make_record_id(ws, section, text))
        out["workshop"].append(ws)
        out["section"].append(section)
        out["source"].append(source)
        out["date"].append(date)
        out["kind"].append(kind)
        out["text"].append(text)
        out["codes"].append(split_codes(rec["codes"]))

    seen: dict[tuple[str, str], int] = {}
    for row_no, ws, rid, given in zip(
        rows, out["workshop"], out["record_id"], data["record_id"].tolist(), strict=True
    ):
        key = (str(ws), str(rid))
        if key in seen:
            if _blank(given):
                problems.append(
                    Problem(
                        file,
                        row_no,
                        col_name("text"),
                        f"same section and text as row {seen[key]} (duplicate statement)",
                    )
                )
            else:
                problems.append(
                    Problem(
                        file,
                        row_no,
                        col_name("record_id"),
                        f"duplicate record_id {rid!r} (first in row {seen[key]})",
                    )
                )
        else:
            seen[key] = row_no

    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(out, columns=list(COLUMNS))
    return frame.astype(DTYPES)


def validate_records(data: pd.DataFrame, *, file: str = "") -> pd.DataFrame:
    """Check a DataFrame against the record schema and report every problem at once.

    Parameters
    ----------
    data : DataFrame
        A record table, or a raw table with English/German headers.
    file : str, optional
        File name used in the problems.

    Returns
    -------
    DataFrame
        One row per problem with columns ``file``, ``row``, ``column``, ``message``
        (empty when the data is valid). ``row`` counts like a spreadsheet: the first
        record is row 2.
    """
    try:
        normalise_records(data, file=file, workshop=None if "workshop" in data else "-")
    except InputError as err:
        problems = err.problems
    else:
        problems = []
    return pd.DataFrame(
        [(p.file, p.row, p.column, p.message) for p in problems],
        columns=["file", "row", "column", "message"],
    ).astype({"row": "Int64"})
