"""Property-based tests of the readers and writers (hypothesis, profile in conftest.py).

Properties
----------
* Any CSV (UTF-8 with/without BOM or cp1252; ``,``/``;``/tab), XLSX or Markdown protocol
  built from hostile Unicode text is either read or rejected with :class:`InputError`,
  never another exception.
* Rows in = rows out + rejected rows: every data row is a record (same order) or named by
  its row in the problems; the problems name exactly the rows that are wrong (empty text,
  unknown kind, duplicate statement). A file-level rejection only happens for a file that
  looks binary (more than 3 control characters, e.g. NUL).
* Texts come back as written, up to the documented normalisation (:func:`expected`):
  a spreadsheet's ``'`` before a formula start is removed, line breaks become ``\\n``,
  other control characters (and U+FFFE/U+FFFF) become a space, soft hyphens and
  zero-width characters inside the text are removed, NFC, outer white space stripped; a
  text without a visible character is a rejected row. A cp1252 file may also be refused
  as "cannot tell the encoding" when its bytes read as plausible text in another legacy
  encoding too.
* ``write_records`` → ``read_records`` (CSV and XLSX) gives the same table; cells starting
  with ``=``, ``+``, ``-``, ``@`` are neutralised on write and restored on read; writing
  raw, unnormalised text to XLSX never crashes.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _text_strategies import statements, texts
from workshop_analysis._safe import unneutralise
from workshop_analysis.errors import InputError
from workshop_analysis.io import read_records, write_records, write_table

KINDS_IN = {"": None, "need": "need", "Bedarf": "need", "Lob": "praise", "bogus!": "bad"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Removed from texts (pasted from PDF/Word): soft hyphen, zero-width space and
#: non-joiner, word joiner, Mongolian vowel separator, U+FEFF; a zero-width joiner only
#: between two word characters.
_INVISIBLE = "\u00ad\u200b\u200c\u2060\u180e\ufeff"
_BLANK_LOOKING = "\u115f\u1160\u3164\uffa0\u2800"


def _without_invisible(text: str) -> str:
    kept = []
    for i, ch in enumerate(text):
        if ch in _INVISIBLE:
            continue
        if ch == "\u200d" and 0 < i < len(text) - 1:
            before, after = text[i - 1], text[i + 1]
            if (before.isalnum() or before == "_") and (after.isalnum() or after == "_"):
                continue
        kept.append(ch)
    return "".join(kept)


def visible(text: str) -> bool:
    """A text one can see: some letter, digit, punctuation or symbol that is not a filler."""
    return any(unicodedata.category(ch)[0] in "LNPS" and ch not in _BLANK_LOOKING for ch in text)


def expected(cell: str) -> str:
    """The documented normalisation of a text cell, worked out independently of the code."""
    if cell.startswith("'") and cell.lstrip("'")[:1] in ("=", "+", "-", "@", "\t", "\r"):
        cell = cell[1:]  # the apostrophe a spreadsheet shows as nothing
    cell = cell.replace("\r\n", "\n").replace("\r", "\n")
    cell = _without_invisible(_CONTROL.sub(" ", cell))
    return unicodedata.normalize("NFC", cell).strip()


def _controls(text: str) -> int:
    return sum(1 for ch in text if ch not in "\t\r\n" and (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0))


def bad_rows(rows: list[tuple[str, str, str]]) -> set[int]:
    """Spreadsheet row (2 = first record) of every (section, kind, text) row that is wrong."""
    bad: set[int] = set()
    seen: set[tuple[str, str]] = set()
    for number, (section, kind, text) in enumerate(rows, start=2):
        norm = expected(text)
        if not norm or not visible(norm) or KINDS_IN[kind] == "bad":
            bad.add(number)
        elif (section, norm) in seen:
            bad.add(number)  # duplicate statement (same section and text)
        if norm and visible(norm):
            seen.add((section, norm))
    return bad


def check(
    path: Path,
    rows: list[tuple[str, str, str]],
    line_of: dict[int, int] | None = None,
    strays: set[int] = frozenset(),
    cp1252: bool = False,
) -> pd.DataFrame | None:
    """Read ``path`` and check rows in = rows out + rejected rows. Returns the frame or None.

    ``strays`` are rows with more cells than the header: the reader names only them (a
    broken table is not validated further). In a ``cp1252`` file, bytes that also form
    UTF-8 (``Ã`` + no-break space is UTF-8 ``à``) may be named as a mix of two encodings.
    """
    line_of = line_of or {i: i for i in range(2, len(rows) + 2)}  # record row -> file row
    wrong = strays or {line_of[r] for r in bad_rows(rows)}
    error: InputError | None = None
    try:
        out = read_records(path, workshop="ws")
    except InputError as caught:
        error = caught
    if error is not None:
        named = {p.row for p in error.problems}
        if None in named:  # whole file rejected: only a file that looks binary
            head = path.read_bytes().decode("latin-1")
            assert _controls(head) > 3, error
            assert len(error.problems) == 1
            assert re.search(r"binary|cannot decode", str(error)), error
            return None
        if cp1252 and all(
            "mixes two encodings" in p.message or "cannot tell the encoding" in p.message
            for p in error.problems
        ):
            return None  # legacy bytes that read as plausible text in another encoding
        assert named == wrong, (error, wrong)
        return None
    assert not wrong, f"rows {sorted(wrong)} should have been rejected"
    assert len(out) == len(rows)
    return out


data_rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "B"]),
        st.sampled_from(sorted(KINDS_IN)),
        st.one_of(statements, texts),
    ),
    min_size=1,
    max_size=6,
)


@given(
    rows=data_rows,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    blank_after=st.sets(st.integers(0, 5), max_size=2),
    extra_cell=st.sets(st.integers(0, 5), max_size=1),
)
def test_csv_rows_in_equal_rows_out_plus_rejected(
    rows, delimiter, encoding, blank_after, extra_cell
):
    if encoding == "cp1252":  # what cp1252 cannot store is not in the file
        rows = [(s, k, t.encode("cp1252", "replace").decode("cp1252")) for s, k, t in rows]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["section", "kind", "text"])
    line_of, line = {}, 1
    for i, row in enumerate(rows, start=2):
        line += 1
        writer.writerow([*row, "stray"] if i - 2 in extra_cell else row)
        line_of[i] = line
        if i - 2 in blank_after:  # an empty spreadsheet row in between
            buffer.write("\r\n")
            line += 1
    data = buffer.getvalue().encode(encoding)
    if encoding == "cp1252" and _decodes_as_utf8(data):
        # bytes that are valid UTF-8 are read as UTF-8 (documented): that is what the file says
        rows = [(s, k, t.encode("cp1252").decode("utf-8")) for s, k, t in rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.csv"
        path.write_bytes(data)
        strays = {line_of[i + 2] for i in extra_cell if i < len(rows)}
        out = check(path, rows, line_of, strays, cp1252=encoding == "cp1252")
    if out is None:
        return
    assert out["text"].tolist() == [expected(t) for _, _, t in rows]
    assert out["section"].tolist() == [s for s, _, _ in rows]
    assert out["kind"].tolist() == [KINDS_IN[k] or pd.NA for _, k, _ in rows]


def _decodes_as_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=25)
@given(rows=data_rows)
def test_xlsx_rows_in_equal_rows_out_plus_rejected(rows):
    from openpyxl import Workbook

    rows = [(s, k, _XLSX_ILLEGAL.sub("", t)) for s, k, t in rows]  # Excel cannot store them
    book = Workbook()
    sheet = book.active
    sheet.append(["section", "kind", "text"])
    for row in rows:
        sheet.append(list(row))
    for line in sheet.iter_rows():
        for cell in line:
            cell.data_type = "s"  # text, also when it starts with "="
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.xlsx"
        book.save(path)
        out = check(path, rows)
    if out is not None:
        assert out["text"].tolist() == [expected(t) for _, _, t in rows]


#: line breaks, the start of the trailing marks and emphasis markers (stripped: tested
#: in test_io.py)
_MD_SYNTAX = re.compile(r"[\r\n({*_]")


@given(rows=data_rows)
def test_markdown_rows_in_equal_rows_out_plus_rejected(rows):
    rows = [(s, k or "need", _MD_SYNTAX.sub(" ", t)) for s, k, t in rows]
    lines = ["# Protokoll", ""]
    line_of = {}
    for i, (section, kind, text) in enumerate(rows, start=2):
        lines += [f"## {section}", ""]
        line_of[i] = len(lines) + 1
        lines.append(f"- [{kind}] {text} (Quelle: Q) {{codes: }}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "protokoll.md"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = check(path, rows, line_of)
    if out is not None:
        assert out["text"].tolist() == [expected(t) for _, _, t in rows]
        assert set(out["source"]) == {"Q"}


def _records(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    from workshop_analysis.records import normalise_records

    raw = pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(len(rows))],
            "section": [s for s, _, _ in rows],
            "source": [t[:5] for _, _, t in rows],
            "kind": [KINDS_IN[k] if KINDS_IN[k] != "bad" else "" for _, k, _ in rows],
            "text": [t for _, _, t in rows],
            "codes": ["a; b" if i % 2 else "" for i in range(len(rows))],
        }
    )
    return normalise_records(raw, workshop="ws")


formula_texts = st.tuples(
    st.sampled_from(["=", "+", "-", "@", "'=", "''+", "'", "'x", "\t=", "=HYPERLINK("]),
    statements,
).map("".join)


@settings(max_examples=40)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@given(
    texts_in=st.lists(st.one_of(statements, formula_texts), min_size=1, max_size=5),
)
def test_write_read_round_trip(suffix, texts_in):
    rows = [("S", "need", t) for t in texts_in]
    rows = [r for r in rows if visible(expected(r[2]))]  # a record needs visible text
    if not rows:
        return
    records = _records(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_records(records, Path(tmp) / f"out{suffix}")
        back = read_records(path)
    pd.testing.assert_frame_equal(back, records)


@settings(max_examples=30)
@given(cells=st.lists(texts, min_size=1, max_size=5))
def test_write_table_to_xlsx_never_crashes_on_raw_text(cells):
    frame = pd.DataFrame({"record_id": [f"r{i}" for i in range(len(cells))], "text": cells})
    with tempfile.TemporaryDirectory() as tmp:
        path = write_table(frame, Path(tmp) / "raw.xlsx")
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        cells_back = book.active.iter_rows(min_row=2, values_only=True)
        values = [unneutralise(r[1] or "") for r in cells_back]
        book.close()
    # what Excel cannot store becomes a space, so reading normalises to the same text
    assert [expected(v) for v in values] == [expected(c) for c in cells]
