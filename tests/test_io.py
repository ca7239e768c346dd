"""Readers and writers: real fixture files for each format, round trips, bad input."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workshop_analysis import InputError, read_records, write_records
from workshop_analysis.config import SAMPLE_RECORDS
from workshop_analysis.io import write_table
from workshop_analysis.records import COLUMNS

RECORDS = Path(__file__).resolve().parent / "fixtures" / "records"


def test_german_excel_csv_cp1252_semicolon() -> None:
    records = read_records(RECORDS / "excel_de_cp1252.csv", workshop="ws")
    assert list(records.columns) == list(COLUMNS)
    assert len(records) == 5
    # cp1252 umlauts, ß, typographic quotes and the en dash survive
    assert (
        records.loc[2, "text"]
        == "Das Führungskräfte-Entwicklungsprogramm ist „sehr gut“ – Größe passt."
    )
    # a quoted cell with ';' inside stays one cell
    assert (
        records.loc[1, "text"] == "Längerfristige Personal- und Bedarfsplanung; bitte mit Vorlauf!"
    )
    # German headers and kinds are normalised; German dates become ISO
    assert records["kind"].tolist()[:4] == ["need", "wish", "praise", "concern"]
    assert pd.isna(records.loc[4, "kind"])
    assert records.loc[0, "date"] == "2017-11-22"
    assert records.loc[0, "section"] == "Grundqualifizierung"
    assert records.loc[0, "source"] == "Jobcenter Köln"
    assert records.loc[3, "codes"] == ["bekanntheit", "regional"]
    assert records["record_id"].tolist() == ["1", "2", "3", "4", "5"]
    assert records["workshop"].unique().tolist() == ["ws"]


def test_utf8_bom_comma_multiline_and_neutralised_formula() -> None:
    records = read_records(RECORDS / "utf8_bom.csv")
    assert records["record_id"].tolist() == ["a1", "a2", "a3", "a4"]
    assert records.loc[3, "text"] == "Zeilen\nmit Umbruch im Feld"
    assert records.loc[1, "source"] == "Team Süd"
    assert records.loc[2, "text"].startswith("=SUMME")


def test_excel_unicode_text_is_utf16_tab_separated() -> None:
    records = read_records(RECORDS / "excel_unicode_text.txt")
    assert records["text"].tolist()[0].startswith("Übergänge")
    assert records["kind"].tolist() == ["concern", "wish"]
    assert records["section"].tolist() == ["Ablauf", "Digitales"]


def test_xlsx_with_german_headers_dates_and_blank_rows() -> None:
    records = read_records(RECORDS / "records_de.xlsx")
    assert len(records) == 4  # the blank row is not a record
    assert records["record_id"].tolist() == ["1", "2", "3", "4"]
    assert records.loc[0, "date"] == "2017-11-22"
    assert records.loc[2, "kind"] == "praise"
    # an apostrophe-protected formula comes back without the protection
    assert records.loc[3, "text"] == "=1+1 wurde als Formel missverstanden"


def test_markdown_protocol() -> None:
    records = read_records(RECORDS / "protocol.md")
    assert len(records) == 6
    assert records["workshop"].unique().tolist() == ["2017-11-22-bmas-qualifizierung"]
    assert records["date"].unique().tolist() == ["2017-11-22"]
    first = records.iloc[0]
    assert first["kind"] == "need"
    assert first["section"] == "Grundqualifizierung"
    assert first["source"] == "Geschäftsführung JC"
    assert first["text"] == "Quereinsteiger brauchen das passende Rüstzeug für das SGB II"
    second = records.iloc[1]  # continuation line joined, codes marker parsed
    assert (
        second["text"]
        == "Längerfristig angelegte Personal- und Bedarfsplanung für die Grundqualifizierung"
    )
    assert second["codes"] == ["planung"]
    assert records.iloc[2]["kind"] == "concern"  # [Problem]
    assert pd.isna(records.iloc[4]["kind"])  # no marker: inferred later
    assert records.iloc[4]["section"] == "Führungskräfte-Entwicklungsprogramm"
    assert records.iloc[5]["kind"] == "wish"  # numbered bullet, English marker
    assert records.iloc[5]["source"] == "Servicestelle SGB II"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_read_write_read(tmp_path: Path, suffix: str) -> None:
    for source in [SAMPLE_RECORDS, RECORDS / "utf8_bom.csv", RECORDS / "excel_de_cp1252.csv"]:
        first = read_records(source, workshop="ws")
        path = write_records(first, tmp_path / f"out{suffix}")
        second = read_records(path)
        pd.testing.assert_frame_equal(first, second)


def test_writers_neutralise_formulas(tmp_path: Path) -> None:
    records = read_records(RECORDS / "utf8_bom.csv")
    csv_path = write_records(records, tmp_path / "r.csv")
    assert "'=SUMME(A1:A3)" in csv_path.read_text(encoding="utf-8")
    xlsx_path = write_records(records, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(xlsx_path).active
    cell = sheet.cell(row=4, column=COLUMNS.index("text") + 1)
    assert cell.data_type == "s"
    assert cell.value == "'=SUMME(A1:A3) ist kein Text, sondern ein Test"


def test_reader_does_not_modify_input(tmp_path: Path) -> None:
    before = SAMPLE_RECORDS.read_bytes()
    read_records(SAMPLE_RECORDS)
    assert SAMPLE_RECORDS.read_bytes() == before


def test_sample_workshop_is_complete() -> None:
    records = read_records(SAMPLE_RECORDS)
    assert 15 <= len(records) <= 25
    # every kind given, except for the organisers' follow-up (q16, q17), which is no feedback
    assert set(records.loc[~records["follow_up"], "kind"]) == {"need", "wish", "praise", "concern"}
    assert records.loc[records["follow_up"], "kind"].isna().all()
    assert records["workshop"].unique().tolist() == ["2017-11-22-bmas-qualifizierung"]
    assert records["record_id"].is_unique


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_empty.csv", "the file is empty"),
        ("bad_header_only.csv", "no records (header only?)"),
        ("bad_missing_text.csv", "required column is missing"),
        ("bad_no_text.xlsx", "required column is missing"),
        ("bad_binary.csv", "binary file"),
    ],
)
def test_bad_files_give_one_clear_problem(name: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        read_records(RECORDS / name)
    assert len(err.value.problems) == 1
    problem = err.value.problems[0]
    assert problem.file.endswith(name)
    assert message in problem.message


def test_every_row_problem_is_reported_at_once() -> None:
    with pytest.raises(InputError) as err:
        read_records(RECORDS / "bad_rows.csv")
    found = [(p.row, p.column) for p in err.value.problems]
    assert found == [(3, "Text"), (4, "record_id"), (5, "Art"), (6, "Datum")]
    messages = [p.message for p in err.value.problems]
    assert "text is empty" in messages[0]
    assert "duplicate record_id 'x1' (first in row 2)" in messages[1]
    assert "unknown kind 'Begeisterung'" in messages[2]
    assert "'22.13.2017' is not a date" in messages[3]
    assert str(err.value).startswith("4 problems found:")


def test_ten_megabyte_cell_is_rejected_with_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("Text;Art\nkurz;Lob\n" + "x" * 10_000_000 + ";Bedarf\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, "Text")
    assert "10,000,000 characters" in problem.message


def test_wrong_field_count_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("Text;Art\nA;Lob\nB;Lob;zu;viel\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path)
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "")]
    assert "4 cells but the header has 2" in err.value.problems[0].message


def test_latin1_bytes_undefined_in_cp1252_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("Text;Art\nGrüße aus Gießen;Lob\n".encode("latin-1"))
    assert read_records(path)["text"].tolist() == ["Grüße aus Gießen"]


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_records(tmp_path / "nope.csv")
    (tmp_path / "x.docx").write_bytes(b"PK")
    with pytest.raises(InputError, match=r"unsupported file type '\.docx'"):
        read_records(tmp_path / "x.docx")


def test_generated_ids_are_stable_under_reordering(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text("Text;Bereich\nEins;S\nZwei;S\nDrei;T\n", encoding="utf-8")
    b.write_text("Text;Bereich\nDrei;T\nEins;S\n", encoding="utf-8")
    ids_a = dict(zip(*read_records(a, workshop="w")[["text", "record_id"]].T.values, strict=True))
    ids_b = dict(zip(*read_records(b, workshop="w")[["text", "record_id"]].T.values, strict=True))
    assert ids_a["Eins"] == ids_b["Eins"]
    assert ids_a["Drei"] == ids_b["Drei"]
    assert len(set(ids_a.values())) == 3


# --- regressions found by the property tests (tests/test_io_properties.py) -----------------


def test_nul_and_control_characters_in_a_cell_become_spaces(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes("text\nWartezeiten\x00verkürzen\nMehr\x0cPraxis\x85bezug\n".encode())
    # was: "this is a binary file" for one NUL anywhere in the first 8 KB
    assert read_records(path)["text"].tolist() == ["Wartezeiten verkürzen", "Mehr Praxis bezug"]


def test_blank_rows_count_in_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("text,kind\nA,need\n\n,need\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path)
    assert [p.row for p in err.value.problems] == [4]  # was 3: the blank row was not counted


def test_markdown_line_separator_does_not_cut_a_statement(tmp_path: Path) -> None:
    path = tmp_path / "protokoll.md"
    path.write_text("## A\n- Mehr\u2028Praxis\x0cbezug\n", encoding="utf-8")
    # was "Mehr": str.splitlines() also breaks lines at U+2028 and form feed
    assert read_records(path)["text"].tolist() == ["Mehr\u2028Praxis bezug"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_apostrophe_before_formula_start_survives_round_trip(tmp_path: Path, suffix: str) -> None:
    records = read_records(RECORDS / "utf8_bom.csv").head(3).copy()
    records["text"] = ["'=1+1", "''-x", "=SUMME(A1)"]
    back = read_records(write_records(records, tmp_path / f"out{suffix}"))
    assert back["text"].tolist() == ["'=1+1", "''-x", "=SUMME(A1)"]  # was "=1+1", "'-x"


def test_xlsx_writer_replaces_characters_excel_cannot_store(tmp_path: Path) -> None:
    frame = pd.DataFrame({"record_id": ["a", "b"], "text": ["x\x01y", "\rz"]})
    path = write_table(frame, tmp_path / "t.xlsx")  # was: IllegalCharacterError
    sheet = openpyxl.load_workbook(path).active
    assert [sheet["B2"].value, sheet["B3"].value] == ["x y", "'\nz"]
    assert read_records(path, workshop="w")["text"].tolist() == ["x y", "z"]


def test_utf8_with_several_control_characters_stays_utf8(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes("text\nGrüße\x01\x02\x03\x04\x85\n".encode())
    # was "GrÃ¼ÃŸe…": more than 3 control characters sent valid UTF-8 on to cp1252
    assert read_records(path)["text"].tolist() == ["Grüße"]


# Input limits (workshop_analysis.config): checked with small monkeypatched limits, so no
# big files are needed. benchmarks/bench_scale.py measures what the real limits rest on.
LIMITS_FILE = RECORDS / "excel_de_cp1252.csv"  # 5 records


def test_more_rows_than_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from workshop_analysis import config

    monkeypatch.setattr(config, "MAX_ROWS", 4)
    with pytest.raises(InputError) as err:
        read_records(LIMITS_FILE)
    assert [str(p) for p in err.value.problems] == [
        f"{LIMITS_FILE}: 5 rows; the limit is 4 statements per workshop "
        "(workshop_analysis.config.MAX_ROWS)"
    ]
    monkeypatch.setattr(config, "MAX_ROWS", 5)
    assert len(read_records(LIMITS_FILE)) == 5


def test_files_over_the_size_limit_are_refused_before_reading(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from workshop_analysis import config

    size = LIMITS_FILE.stat().st_size
    monkeypatch.setattr(config, "MAX_FILE_BYTES", size - 1)
    with pytest.raises(InputError) as err:
        read_records(LIMITS_FILE)
    assert [str(p) for p in err.value.problems] == [
        f"{LIMITS_FILE}: the file has {size:,} bytes; the limit is {size - 1:,} bytes per "
        "record file (workshop_analysis.config.MAX_FILE_BYTES)"
    ]
    # checked before the content: binary garbage gets the size message, not "binary file"
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\x00\xff" * 1000)
    monkeypatch.setattr(config, "MAX_FILE_BYTES", 1999)
    with pytest.raises(InputError, match=r"the file has 2,000 bytes; the limit is 1,999 bytes"):
        read_records(garbage)
    monkeypatch.setattr(config, "MAX_FILE_BYTES", size)
    assert len(read_records(LIMITS_FILE)) == 5


def test_text_cells_over_the_limit_name_row_and_column(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from workshop_analysis import config

    path = tmp_path / "lang.csv"
    path.write_text("Bereich;Aussage\nA;zehn Zeich\nB;elf Zeichen\n", encoding="utf-8")
    monkeypatch.setattr(config, "MAX_TEXT_CHARS", 10)
    with pytest.raises(InputError) as err:
        read_records(path)
    assert [str(p) for p in err.value.problems] == [
        f"{path}, row 3, column 'Aussage': text is 11 characters long; at most 10 are "
        "accepted (a paste error?)"
    ]


def test_cli_reports_a_limit_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from workshop_analysis import config
    from workshop_analysis.cli import main

    monkeypatch.setattr(config, "MAX_ROWS", 2)
    assert main(["validate", str(LIMITS_FILE)]) == 1
    err = capsys.readouterr().err
    assert "5 rows; the limit is 2 statements per workshop" in err
    assert "Traceback" not in err


# --- issue 12: bounded parsing and real-world quirks --------------------------------------

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"


def test_excel_sep_line_sets_the_delimiter_and_is_not_a_row() -> None:
    records = read_records(BAD / "sep-line.csv")
    assert records["text"].tolist() == ["Mehr Zeit, mehr Geld", "Gute Moderation"]
    assert records["kind"].tolist() == ["need", "praise"]


def test_one_column_csv_keeps_commas_and_semicolons(tmp_path: Path) -> None:
    records = read_records(BAD / "one-column-commas.csv")
    assert records["text"].tolist() == [
        "Mehr Zeit, mehr Geld, mehr Personal",
        "Gute Moderation, klare Ziele",
    ]
    path = tmp_path / "records.csv"
    path.write_text('Aussage\nWeniger Papier; mehr Praxis\n"Zitat, mit ""Quote"""\n')
    assert read_records(path)["text"].tolist() == [
        "Weniger Papier; mehr Praxis",
        'Zitat, mit "Quote"',
    ]


@pytest.mark.parametrize(
    ("name", "texts"),
    [
        ("macroman.csv", ["Mehr Zeit für Übungen", "Größere Räume, schöne Straße"]),
        ("cp1250.csv", ["Mehr Zeit für Übungen", "Schöne Übung"]),
    ],
)
def test_legacy_encodings_are_detected(name: str, texts: list[str]) -> None:
    records = read_records(BAD / name)
    assert records["text"].tolist() == texts
    if name == "cp1250.csv":
        assert records["source"].tolist() == ["Łódź", "Kraków"]


@pytest.mark.parametrize(
    "statement",
    [
        "Mehr Zeit für Übungen, größere Räume",  # umlauts: the same bytes in cp1252/cp1250
        "Café crème à la française",
        "Ø 3 Teilnehmer – „gut“ … 5 € § 16i",
    ],
)
def test_german_cp1252_is_still_read_as_cp1252(tmp_path: Path, statement: str) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(f"Art;Aussage\nLob;{statement}\n".encode("cp1252"))
    assert read_records(path)["text"].tolist() == [statement]


@pytest.mark.parametrize(
    ("statement", "encoding"),
    [("Dvořák", "cp1250"), ("Smørrebrød", "cp1252"), ("Άλφα βήτα γάμμα", "cp1253")],
)
def test_unclear_legacy_encoding_is_refused_not_garbled(
    tmp_path: Path, statement: str, encoding: str
) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(f"Art;Aussage\nLob;{statement}\n".encode(encoding))
    with pytest.raises(InputError, match="cannot tell the encoding") as err:
        read_records(path)
    assert [(p.file, p.row) for p in err.value.problems] == [(str(path), 2)]


def test_word_bullets_numbered_items_and_code_fences() -> None:
    assert read_records(BAD / "word-bullets.md")["text"].tolist() == [
        "Mehr Zeit für Übungen",
        "Kleinere Gruppen",
        "Gute Moderation",
        "Zu wenig Pausen",
    ]
    assert read_records(BAD / "code-fence.md")["text"].tolist() == [
        "Mehr Zeit für Übungen",
        "Gute Moderation",
    ]


def test_statements_in_a_markdown_table() -> None:
    records = read_records(BAD / "statements-in-table.md")
    assert records["text"].tolist() == [
        "Mehr Zeit, mehr Geld",
        "Gute Moderation",
        "Zu wenig Pausen",
        "Kleinere Gruppen",
    ]
    assert records["kind"].tolist() == ["need", "praise", "concern", "wish"]
    assert records["source"].tolist()[::2] == ["JC Essen", "BA"]
    assert set(records["section"]) == {"Tisch 1"}


def test_markdown_emphasis_markers_are_stripped() -> None:
    records = read_records(BAD / "emphasis.md")
    assert records["text"].tolist() == ["Wir wollen mehr Zeit für Übungen", "Gute Moderation"]
    assert records["kind"].tolist()[0] == "wish"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("_want_ it", "want it"),
        ("**fett** und *kursiv*", "fett und kursiv"),
        ("__x__", "x"),
        ("theorie_praxis und snake_case_name", "theorie_praxis und snake_case_name"),
        ("5 * 3 = 15", "5 * 3 = 15"),
        ("*nicht geschlossen", "*nicht geschlossen"),
    ],
)
def test_strip_emphasis(written: str, read: str) -> None:
    from workshop_analysis.io import strip_emphasis

    assert strip_emphasis(written) == read


def test_front_matter_date_and_yaml_are_checked(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_records(BAD / "frontmatter-bad-date.md")
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "date")]
    path = tmp_path / "p.md"
    path.write_text("---\nworkshop: w1\nworkshop: w2\n---\n## A\n- x\n", encoding="utf-8")
    with pytest.raises(InputError, match="appears twice") as err:
        read_records(path)
    assert err.value.problems[0].row == 3


def test_merged_section_cells_fill_down() -> None:
    records = read_records(BAD / "xlsx-merged-section.xlsx")
    assert records["section"].tolist() == ["Grundqualifizierung"] * 3 + ["Führung"]


def test_visible_sheet_wins_over_hidden_records_sheet_and_chart_sheets_are_skipped() -> None:
    assert read_records(BAD / "xlsx-hidden-records-sheet.xlsx")["text"].tolist() == [
        "Mehr Zeit für Übungen",
        "Gute Moderation",
        "Zu wenig Pausen",
    ]
    assert read_records(BAD / "xlsx-chart-sheet.xlsx")["text"].tolist() == [
        "Mehr Zeit für Übungen",
        "Gute Moderation",
    ]


def test_xlsx_sheet_and_cell_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workshop_analysis import io as wio

    book = openpyxl.Workbook()
    book.active.title = "records"
    book.active.append(["Art", "Aussage"])
    for i in range(30):
        book.active.append(["Bedarf", f"Aussage {i}"])
    for i in range(3):
        book.create_sheet(f"Notiz {i}")
    path = tmp_path / "w.xlsx"
    book.save(path)
    monkeypatch.setattr(wio, "MAX_XLSX_SHEETS", 3)
    with pytest.raises(InputError, match="the workbook has 4 sheets; at most 3 are read"):
        read_records(path)
    monkeypatch.setattr(wio, "MAX_XLSX_SHEETS", 500)
    monkeypatch.setattr(wio, "MAX_XLSX_CELLS", 40)
    with pytest.raises(InputError, match="has more than 40 cells"):
        read_records(path)


@pytest.mark.parametrize(
    "piece", ["a@", ".", "-", "1", " (quelle:", "{codes:", "_x ", "*", " ", "[", "\u00ad"]
)
@pytest.mark.parametrize("suffix", [".csv", ".md"])
def test_readers_are_linear_on_one_megabyte_of_adversarial_text(
    tmp_path: Path, piece: str, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from workshop_analysis import config

    monkeypatch.setattr(config, "MAX_TEXT_CHARS", 2_000_000)  # read it all, do not stop early
    body = piece * (1_000_000 // len(piece)) + "x"
    path = tmp_path / f"records{suffix}"
    if suffix == ".csv":
        path.write_text(f"Aussage\n{body.replace(chr(34), '')}\n", encoding="utf-8")
    else:
        path.write_text(f"## A\n- [Bedarf] {body}\n", encoding="utf-8")
    started = time.perf_counter()
    records = read_records(path)
    assert time.perf_counter() - started < 5
    assert records["text"].iloc[0].endswith("x")  # all of it read as one statement
