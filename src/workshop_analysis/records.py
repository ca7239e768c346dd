"""The feedback-record table: schema, normalisation and validation.

One row per statement. Every function in the package that takes "records" expects a
DataFrame with these columns (in this order) and returns new frames, never mutating its
input.

========== ============== ========== ==================================================
column     dtype          required   meaning / allowed values
========== ============== ========== ==================================================
record_id  string         yes        unique within a workshop; when the input has none,
                                     generated from a hash of (workshop, section, text):
                                     see :func:`make_record_id`
workshop   string         yes        workshop id, e.g. ``2017-11-22-bmas-qualifizierung``
section    string         no (NA)    topic block, table or breakout group
source     string         no (NA)    who said it: role or organisation
date       string         no (NA)    ISO date ``YYYY-MM-DD``
kind       string         no (NA)    ``need``, ``wish``, ``praise`` or ``concern``;
                                     German input (Bedarf, Wunsch, Lob, Kritik, Problem,
                                     …) is normalised (see :data:`KIND_ALIASES`:
                                     "Forderung" is a need, "Hürde" and "Frage" a
                                     concern); NA means "infer later"
text       string         yes        the statement as written (non-empty)
codes      object (list)  no ([])    codes assigned by hand; ``;``-separated on input,
                                     a sorted list of ``str`` in the table
========== ============== ========== ==================================================

Two **optional** columns (:data:`OPTIONAL_COLUMNS`) are kept, after the columns above,
only when the input has them:

========== ============== ==================================================================
column     dtype          meaning / allowed values
========== ============== ==================================================================
quote      string (NA)    how ``text`` renders the source: ``verbatim`` (word for word,
                          possibly a fragment), ``paraphrase`` (close, reworded) or
                          ``summary`` (condensed); German ``wörtlich``/``sinngemäß``/
                          ``zusammengefasst`` are accepted; NA = not stated
follow_up  boolean        ``true`` for what the organisers announced as their own follow-up
                          (not feedback of the participants): shown in the report, but never
                          evidence for an action item; ``yes``/``ja``/``x``/``1`` are true,
                          empty/``no``/``nein``/``0`` false
========== ============== ==================================================================

Input column names may be English (above) or German: see :data:`COLUMN_ALIASES`.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import pandas as pd

from . import config
from .errors import InputError, Problem

_T = TypeVar("_T")

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

#: Optional columns, kept (and validated) only when the input has them; see the module docs.
OPTIONAL_COLUMNS: tuple[str, ...] = ("quote", "follow_up")

#: How a statement renders its source (values of the optional ``quote`` column).
QUOTES: tuple[str, ...] = ("verbatim", "paraphrase", "summary")

#: Spellings accepted for ``quote`` (lower-cased, stripped) and the value they mean.
QUOTE_ALIASES: dict[str, str] = {
    **{q: q for q in QUOTES},
    "wörtlich": "verbatim",
    "woertlich": "verbatim",
    "zitat": "verbatim",
    "sinngemäß": "paraphrase",
    "sinngemaess": "paraphrase",
    "paraphrase": "paraphrase",
    "zusammengefasst": "summary",
    "zusammenfassung": "summary",
}

_TRUE = {"true", "yes", "ja", "x", "1", "wahr"}
_FALSE = {"false", "no", "nein", "0", "falsch"}

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
    # "Forderung" is what participants demand: a need (not a wish), as "Bedarf"
    "forderung": "need",
    "forderungen": "need",
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
    "hürde": "concern",
    "hürden": "concern",
    "huerde": "concern",
    "huerden": "concern",
    # an open question raised in a workshop is a concern (something unresolved)
    "frage": "concern",
    "fragen": "concern",
    "offene frage": "concern",
    "offene fragen": "concern",
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
    "quote": "quote",
    "zitat": "quote",
    "wiedergabe": "quote",
    "followup": "follow_up",
    "folgeschritt": "follow_up",
    "kodes": "codes",
    "kodierung": "codes",
}

#: Longest statement accepted (characters); longer cells are almost always a paste error.
#: An alias of :data:`workshop_analysis.config.MAX_TEXT_CHARS`, where the limit is set
#: (and where the check reads it).
MAX_TEXT_CHARS = config.MAX_TEXT_CHARS

#: Hex digits of the SHA-1 hash in a generated record id (``r-`` + 12 digits = 48 bits:
#: among 1,000,000 statements two share an id with a probability of about 0.2 %; then
#: both get the full 40 digits, see :func:`make_record_id`).
RECORD_ID_DIGITS = 12

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


def make_record_id(
    workshop: str, section: str | None, text: str, *, digits: int = RECORD_ID_DIGITS
) -> str:
    """Return a deterministic record id: ``r-`` and the first hex digits of a SHA-1 hash.

    The hash is taken of the statement's workshop, section and text (NFC, stripped), so
    the id does not change when rows are reordered or other rows are added or removed.
    :func:`normalise_records` gives every statement without an id
    ``make_record_id(workshop, section, text)`` (12 digits, :data:`RECORD_ID_DIGITS`);
    in the rare case that two *different* statements of a workshop get the same 12
    digits (about 0.2 % of 1,000,000-statement workshops), both get the full 40 digits
    (``digits=40``) instead. That rule depends only on the set of statements, never on
    their order. Two rows with the same section and text are one statement given
    twice: an error ("duplicate statement").

    Examples
    --------
    >>> make_record_id("w1", "Lob", "Gute Schulung")
    'r-e19ba1b008f7'
    """
    key = "\x1f".join([workshop, section or "", unicodedata.normalize("NFC", text.strip())])
    return "r-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:digits]


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


#: Control characters (Unicode category Cc) other than tab and line feed, and the
#: noncharacters U+FFFE/U+FFFF: :func:`clean_text` turns each into a space.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
#: Invisible characters that text pasted from PDF or Word carries inside words: soft
#: hyphen, zero-width space and non-joiner, word joiner, Mongolian vowel separator and
#: U+FEFF (BOM / zero-width no-break space); :func:`clean_text` removes them, so that
#: "Weiter\u00adbildung" is "Weiterbildung" and keywords match. A zero-width joiner is
#: removed only between two letters or digits (in emoji it joins the pictures).
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u2060\u180e\ufeff]|(?<=\w)\u200d(?=\w)")
#: Characters that are letters or symbols to Unicode but show as blank space.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def clean_text(value: str) -> str:
    """Normalise a text cell as every reader does: the documented text normalisation.

    Line breaks (``\\r\\n``, ``\\r``) become ``\\n``; every other control character
    (NUL, form feed, C1 controls, …; tab and line feed stay) and U+FFFE/U+FFFF become a
    space (spreadsheets cannot store them); soft hyphens, zero-width spaces, non-joiners,
    word joiners and U+FEFF are removed (and a zero-width joiner between letters); the
    result is NFC with outer white space stripped. Everything else (RTL text, emoji,
    U+2028) is kept as is.

    Examples
    --------
    >>> clean_text(" Wartezeiten\\x00verkürzen\\r\\n")
    'Wartezeiten verkürzen'
    """
    if not value.isprintable():  # fast path for plain text: nothing to replace
        value = _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))
        value = _INVISIBLE.sub("", value)
    return unicodedata.normalize("NFC", value).strip()


def has_visible_text(text: str) -> bool:
    """Whether ``text`` holds a character one can see: a letter, digit, punctuation or
    symbol (not only white space, zero-width or other format characters, combining
    marks on nothing, private-use characters or blank-looking fillers such as U+3164).

    Examples
    --------
    >>> has_visible_text("Mehr Zeit"), has_visible_text("\u200b\u200d\u2060 \u3164")
    (True, False)
    """
    for ch in text:
        if ch in _BLANK_LOOKING:
            continue
        if ch.isalnum() or unicodedata.category(ch)[0] in "LNPS":
            return True
    return False


def _blank(value: object) -> bool:
    if type(value) is str:
        return not value.strip()
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
    if raw.columns.duplicated().any():  # e.g. a frame built by hand: name them, never crash
        dupes = sorted({str(c) for c in raw.columns[raw.columns.duplicated()]})
        raise InputError(
            [Problem(file, 1 if rows else None, d, "column name appears twice") for d in dupes]
        )
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

    # Column by column (not row by row): the cells of a column are cleaned with one
    # comprehension, and values that repeat (kind, date, workshop, codes) are converted
    # once each. Problems are listed per column; InputError sorts them by row.
    texts = ["" if _blank(v) else clean_text(str(v)) for v in data["text"].tolist()]
    limit = config.MAX_TEXT_CHARS
    for i, text in enumerate(texts):
        if not text:
            problems.append(Problem(file, rows[i], col_name("text"), "text is empty"))
        elif not (text[0].isascii() and text[0].isalnum()) and not has_visible_text(text):
            problems.append(
                Problem(
                    file,
                    rows[i],
                    col_name("text"),
                    "text has no visible character (only white space or invisible characters "
                    "such as zero-width spaces, soft hyphens or joiners)",
                )
            )
        elif len(text) > limit:
            problems.append(
                Problem(
                    file,
                    rows[i],
                    col_name("text"),
                    f"text is {len(text):,} characters long; at most "
                    f"{limit:,} are accepted (a paste error?)",
                )
            )

    kinds = _by_value(data["kind"].tolist(), _kind_or_problem)
    for i, (_, message) in enumerate(kinds):
        if message:
            problems.append(Problem(file, rows[i], col_name("kind"), message))

    workshops = [ws or workshop or "" for ws in _stripped(data["workshop"].tolist())]
    for i, ws in enumerate(workshops):
        if not ws:
            problems.append(
                Problem(file, rows[i], col_name("workshop"), "no workshop id (column or option)")
            )

    sections = _cleaned(data["section"].tolist())
    dates = _by_value(_stripped(data["date"].tolist()), _date_or_problem)
    for i, (_, message) in enumerate(dates):
        if message:
            problems.append(Problem(file, rows[i], col_name("date"), message))

    # Record ids: given ones are kept; the others come from the statement (see
    # make_record_id). Duplicates are found by comparing the statements themselves.
    given = _stripped(data["record_id"].tolist())
    record_ids: list[str] = [rid or "" for rid in given]
    first_of: dict[tuple[str, str, str], int] = {}
    repeated: dict[int, int] = {}
    for i, rid in enumerate(given):
        if not rid:
            first = first_of.setdefault((workshops[i], sections[i] or "", texts[i]), i)
            if first != i:
                repeated[i] = first
                problems.append(
                    Problem(
                        file,
                        rows[i],
                        col_name("text"),
                        f"same section and text as row {rows[first]} (duplicate statement)",
                    )
                )
    for i, rid in zip(first_of.values(), _statement_ids(list(first_of)), strict=True):
        record_ids[i] = rid
    for i, first in repeated.items():
        record_ids[i] = record_ids[first]
    if len(set(record_ids)) != len(record_ids):  # else every id is unique anyway
        seen: dict[tuple[str, str], int] = {}
        for i, rid in enumerate(record_ids):
            if i in repeated:
                continue  # reported above as a duplicate statement
            first = seen.setdefault((workshops[i], rid), i)
            if first != i:
                problems.append(
                    Problem(
                        file,
                        rows[i],
                        col_name("record_id"),
                        f"duplicate record_id {rid!r} (first in row {rows[first]})",
                    )
                )

    extra: dict[str, list[Any]] = {}
    if "quote" in renamed.values():
        extra["quote"] = []
        for i, value in enumerate(_stripped(data["quote"].tolist())):
            key = unicodedata.normalize("NFC", value).lower() if value else None
            if key is not None and key not in QUOTE_ALIASES:
                problems.append(
                    Problem(
                        file,
                        rows[i],
                        col_name("quote"),
                        f"unknown quote type {value!r}; allowed: {', '.join(QUOTES)} "
                        "(or wörtlich, sinngemäß, zusammengefasst) or empty",
                    )
                )
            extra["quote"].append(QUOTE_ALIASES.get(key) if key else None)
    if "follow_up" in renamed.values():
        extra["follow_up"] = []
        for i, value in enumerate(_stripped(data["follow_up"].tolist())):
            key = value.lower() if value else "false"
            if key not in _TRUE | _FALSE:
                problems.append(
                    Problem(
                        file,
                        rows[i],
                        col_name("follow_up"),
                        f"{value!r} is not yes or no (empty means no)",
                    )
                )
            extra["follow_up"].append(key in _TRUE)

    if problems:
        raise InputError(problems)
    out = {
        "record_id": record_ids,
        "workshop": workshops,
        "section": sections,
        "source": _cleaned(data["source"].tolist()),
        "date": [d for d, _ in dates],
        "kind": [k for k, _ in kinds],
        "text": texts,
        "codes": _codes(data["codes"].tolist()),
    }
    frame = pd.DataFrame(out, columns=list(COLUMNS)).astype(DTYPES)
    for col in OPTIONAL_COLUMNS:
        if col in extra:
            frame[col] = pd.Series(
                extra[col], dtype="string" if col == "quote" else "bool", index=frame.index
            )
    return frame


def _stripped(values: list[object]) -> list[str | None]:
    """Each cell as a stripped string, ``None`` for a blank one (see :func:`_blank`)."""
    return [
        (v.strip() or None) if type(v) is str else (None if _blank(v) else str(v).strip())
        for v in values
    ]


def _cleaned(values: list[object]) -> list[str | None]:
    """Like :func:`_stripped`, with :func:`clean_text` applied (section, source)."""
    return _by_value(_stripped(values), lambda v: None if v is None else clean_text(v) or None)


_UNSEEN = object()


def _by_value(values: list[Any], convert: Callable[[Any], _T]) -> list[_T]:
    """``[convert(v) for v in values]``, calling ``convert`` once per distinct string.

    Cells that are not strings or ``None`` (numbers, NaN, lists) are converted one by one.
    """
    cache: dict[str | None, Any] = {}
    out: list[_T] = []
    append = out.append
    for v in values:
        if v is None or type(v) is str:
            result = cache.get(v, _UNSEEN)
            if result is _UNSEEN:
                result = cache[v] = convert(v)
        else:
            result = convert(v)
        append(result)
    return out


def _kind_or_problem(value: object) -> tuple[str | None, str | None]:
    try:
        return normalise_kind(value), None
    except KeyError:
        allowed = ", ".join(KINDS) + " (or German: Bedarf, Wunsch, Lob, Kritik, Problem, …)"
        written = str(value).strip()
        key = unicodedata.normalize("NFC", written).lower()
        close = difflib.get_close_matches(key, list(KIND_ALIASES), n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]!r}, i.e. {KIND_ALIASES[close[0]]}?)" if close else ""
        return None, f"unknown kind {written!r}{hint}; allowed: {allowed}"


def _date_or_problem(written: object) -> tuple[str | None, str | None]:
    if written is None:
        return None, None
    date = str(written)
    date = date[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", date) else date
    m = _GERMAN_DATE.match(date)
    if m:
        date = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    if not _is_iso_date(date):
        return date, f"date {written!r} is not a date (use YYYY-MM-DD or DD.MM.YYYY)"
    return date, None


def _codes(values: list[object]) -> list[list[str]]:
    """:func:`split_codes` of each cell; a new list per row (lists are mutable)."""
    return [list(codes) for codes in _by_value(values, split_codes)]


def _statement_ids(statements: list[tuple[str, str, str]]) -> list[str]:
    """Generated ids of distinct ``(workshop, section, text)`` statements, in order.

    ``r-`` + :data:`RECORD_ID_DIGITS` hex digits of the SHA-1 hash (as
    :func:`make_record_id`); statements of a workshop whose short ids coincide get all 40
    digits, so the ids of different statements always differ, whatever their order.
    """
    sha1 = hashlib.sha1
    digests = [sha1("\x1f".join(key).encode("utf-8")).hexdigest() for key in statements]
    n = RECORD_ID_DIGITS
    ids = ["r-" + d[:n] for d in digests]
    if len(set(ids)) == len(ids):
        return ids
    short = Counter(zip((key[0] for key in statements), ids, strict=True))
    return [
        rid if short[(key[0], rid)] == 1 else "r-" + d
        for key, rid, d in zip(statements, ids, digests, strict=True)
    ]


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
