"""The bad-input corpus: every case of tests/fixtures/bad/cases.yaml through the CLI.

Each case runs ``workshop_analysis.cli.main`` in-process and must exit with the expected
status, name the file (and row and column where the case says so) without a traceback,
leave no output behind, and print exactly what docs/bad-input.md says it prints.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from workshop_analysis import config
from workshop_analysis.cli import main
from workshop_analysis.errors import InputError, Problem
from workshop_analysis.io import read_records

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
DOC = Path(__file__).resolve().parents[1] / "docs" / "bad-input.md"
CASES: list[dict[str, Any]] = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))


def generate(name: str, folder: Path) -> Path:
    """Write one of the large inputs that are generated instead of committed."""
    path = folder / name
    lines = ["Art;Aussage"]
    if name == "xlsx-bomb.xlsx":
        return _xlsx_bomb(path)
    if name == "deep-chain-codebook.yaml":  # c0 <- c1 <- … <- c2999, each with a keyword
        lines = ["codes:"]
        for i in range(3000):
            lines += [f"  - id: c{i}", f"    label: Code {i}", f"    keywords: [wort{i}]"]
            lines += [f"    parent: c{i - 1}"] if i else []
    elif name == "regex-bomb.md":  # long runs of what the patterns look for, never closed
        body = "a@" * 100_000 + "." * 100_000 + "-" * 100_000 + "1" * 100_000
        body += " (quelle:" * 30_000 + " {codes:" * 30_000 + "_x *y " * 30_000 + " " * 100_000
        lines = ["## Tisch 1", f"- [Bedarf {'[' * 1000} {body} x"]
    elif name == "regex-bomb.csv":
        body = "a@" * 100_000 + "." * 100_000 + "-" * 100_000 + "1" * 100_000
        lines += ["Bedarf;" + body + "\u200b\u00ad" * 50_000 + " " * 100_000 + "x"]
    elif name == "huge-cell.csv":
        lines += ["Lob;kurz", "Bedarf;" + "x" * 10_000_000]
    elif name == "many-bad-rows.csv":
        lines += [f"Begeisterung;Aussage Nummer {i}" for i in range(1, 1001)]
    elif name == "too-many-rows.csv":  # the case lowers config.MAX_ROWS to 1,000
        lines += [f"Bedarf;Aussage Nummer {i}" for i in range(1, 1002)]
    elif name == "over-500-mb.csv":  # sparse: the size is refused before anything is read
        path.write_text("Art;Aussage\n", encoding="utf-8")
        with path.open("r+b") as handle:
            handle.truncate(config.MAX_FILE_BYTES + 1)
        return path
    elif name == "million-rows.csv":
        kinds = ("Bedarf", "Wunsch", "Lob", "Kritik")
        lines += [f"{kinds[i % 4]};Aussage Nummer {i} zur Einarbeitung" for i in range(1_000_000)]
        lines[999_990] = "Begeisterung;Aussage mit unbekannter Art"  # spreadsheet row 999,991
    else:
        raise ValueError(name)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _xlsx_bomb(path: Path) -> Path:
    """A valid workbook whose one sheet unpacks to 150 MB: 2.9 million cells "lol" (about
    150 KB packed; openpyxl would build every cell)."""
    import zipfile

    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
            '<sheet name="records" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in parts.items():
            archive.writestr(member, content)
        head = f'<?xml version="1.0"?><worksheet xmlns="{ns}"><sheetData>'.encode()
        tail = b"</sheetData></worksheet>"
        row = b'<row><c t="inlineStr"><is><t>lol</t></is></c></row>'
        rows, rest = divmod(150_000_000 - len(head) - len(tail), len(row))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head)
            chunk = row * (1_000_000 // len(row))
            per_chunk = 1_000_000 // len(row)
            for _ in range(rows // per_chunk):
                sheet.write(chunk)
            sheet.write(row * (rows % per_chunk) + b" " * rest + tail)
    return path


def argv(case: dict[str, Any], file: Path, out: Path) -> list[str]:
    values = {
        "{file}": str(file),
        "{records}": str(config.SAMPLE_RECORDS),
        "{codebook}": str(config.SAMPLE_CODEBOOK),
        "{out}": str(out),
    }
    return [values.get(arg, arg) for arg in case["command"]]


def shown(text: str, *folders: Path) -> str:
    """The output as docs/bad-input.md shows it: paths as file names, long output shortened."""
    for folder in (*folders, BAD, config.SAMPLE_DIR):
        text = text.replace(f"{folder}/", "")
    lines = text.rstrip("\n").splitlines()
    if len(lines) > 4:
        lines = [*lines[:3], "⋮", lines[-1]]
    return "\n".join(lines)


def documented() -> dict[str, str]:
    """Case name -> the message column of the table in docs/bad-input.md."""
    table: dict[str, str] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) != 4 or cells[0] in {"Case", ""} or set(cells[0]) <= set("-: "):
            continue
        parts = [p.strip() for p in cells[3].split("<br>")]
        table[cells[0]] = "\n".join(p.strip("`").replace("\\|", "|") for p in parts)
    return table


def _param(case: dict[str, Any]) -> Any:
    marks = [pytest.mark.slow] if case.get("slow") else []
    return pytest.param(case, id=f"{case['file']}-{case['command'][0]}", marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(
    case: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in case.get("limits", {}).items():
        monkeypatch.setattr(config, name, value)
    file = generate(case["file"], tmp_path) if case.get("generated") else BAD / case["file"]
    out = tmp_path / "out"
    started = time.perf_counter()
    status = main(argv(case, file, out))
    seconds = time.perf_counter() - started
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert status == case.get("exit", 1), captured.err
    text = captured.err if status else captured.out
    assert case["message"] in text
    if case["file"] != "million-rows.csv":  # 7-19 s, see cases.yaml
        assert seconds < 10, f"{seconds:.1f} s"
    if status:
        where = str(BAD / case["where"]) if "where" in case else str(file)
        if "row" in case:
            where += f", row {case['row']}"
        if "column" in case:
            where += f", column '{case['column']}'"
        assert f"{where}: " in text
        assert not out.exists(), "bad input must not leave output behind"
    assert shown(text, tmp_path) == documented()[case["case"]]


def test_docs_list_every_case_once() -> None:
    names = [c["case"] for c in CASES]
    assert len(names) == len(set(names))
    assert sorted(documented()) == sorted(names)
    committed = {p.name for p in BAD.iterdir() if p.name not in {"cases.yaml", "make_fixtures.py"}}
    assert len(committed) >= 28
    assert committed <= {c["file"] for c in CASES}  # every committed file is a case
    fixtures = [p for p in BAD.rglob("*") if p.is_file() and p.name not in {"cases.yaml"}]
    assert max(p.stat().st_size for p in fixtures if p.suffix != ".py") < 10_000


def test_readme_links_the_table() -> None:
    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/bad-input.md" in readme


# --- what the accepted cases read -------------------------------------------------------


def test_utf16_without_bom_is_read_without_mojibake() -> None:
    records = read_records(BAD / "utf16-no-bom.csv")
    assert records["text"].tolist() == ["Mehr Zeit für Übungen", "Gute Stimmung im Raum"]


def test_nul_byte_becomes_a_space() -> None:
    records = read_records(BAD / "nul-byte.csv")
    assert records["text"].tolist()[1] == "Kleinere  Gruppen"


def test_mixed_encoding_is_never_read_as_mojibake() -> None:
    with pytest.raises(InputError) as err:
        read_records(BAD / "mixed-utf8-cp1252.csv")
    assert [(p.row, p.column) for p in err.value.problems] == [(4, "Aussage")]
    assert "Ã" not in str(err.value)


def test_cp1252_file_with_utf8_like_pairs_is_still_cp1252(tmp_path: Path) -> None:
    # "ß“" is DF 93 in cp1252, also a valid UTF-8 sequence: no reason to call the file mixed
    path = tmp_path / "records.csv"
    path.write_bytes("Text;Art\n„Viele Grüß“ an alle;Lob\n".encode("cp1252"))
    assert read_records(path)["text"].tolist() == ["„Viele Grüß“ an alle"]


def test_one_cell_row_with_commas_is_text_when_text_is_the_first_column(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("text;kind;section\nMehr Zeit, mehr Geld, mehr Personal\n", encoding="utf-8")
    assert read_records(path)["text"].tolist() == ["Mehr Zeit, mehr Geld, mehr Personal"]


def test_the_only_sheet_with_statements_is_read(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notizen"
    book.active.append(["Raum 2.14, Beamer fehlte"])
    sheet = book.create_sheet("Tisch 1")
    sheet.append(["Art", "Aussage"])
    sheet.append(["Bedarf", "Mehr Zeit für die Einarbeitung"])
    book.save(tmp_path / "workshop.xlsx")
    records = read_records(tmp_path / "workshop.xlsx")
    assert records["text"].tolist() == ["Mehr Zeit für die Einarbeitung"]


def test_quoted_line_breaks_are_not_an_unclosed_quote(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text('kind,text\nneed,"Mehr Zeit\nfür Übungen"\n', encoding="utf-8")
    assert read_records(path)["text"].tolist() == ["Mehr Zeit\nfür Übungen"]


# --- long problem lists -----------------------------------------------------------------


def test_long_problem_list_shows_twenty_and_keeps_all() -> None:
    problems = [Problem("x.csv", row, "Art", "unknown kind") for row in range(2, 1002)]
    err = InputError(problems)
    lines = str(err).splitlines()
    assert lines[0] == "1000 problems found:"
    assert lines[1] == "  x.csv, row 2, column 'Art': unknown kind"
    assert lines[20] == "  x.csv, row 21, column 'Art': unknown kind"
    assert lines[21] == "  … and 980 more problems"
    assert len(lines) == 22
    assert len(err.problems) == 1000
    assert len(err.full_message().splitlines()) == 1001


def test_validate_all_lists_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = generate("many-bad-rows.csv", tmp_path)
    assert main(["validate", "--all", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1001
    assert err[-1].startswith(f"  {path}, row 1001, column 'Art': unknown kind")


# --- a real process ---------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workshop_analysis", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("command", "name", "where"),
    [
        (["validate"], "unbalanced-quote.csv", "row 3, column 'text'"),
        (["validate"], "merged-header.xlsx", "row 1, column 'A'"),
        (["codebook", "check"], "codebook-cycle.yaml", "row 3, column 'parent'"),
    ],
)
def test_real_process_exits_1_without_traceback(command: list[str], name: str, where: str):
    result = _run(*command, str(BAD / name))
    assert result.returncode == 1
    assert f"{BAD / name}, {where}: " in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback() -> None:
    result = _run("--debug", "codebook", "check", str(BAD / "codebook-cycle.yaml"))
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "InputError" in result.stderr


# --- labels with mathtext characters ------------------------------------------------------


@pytest.mark.parametrize("label", ["Kosten $5–$10", "$\\frac{x", "a_b^c \\n $x_1^2$", "\\$"])
def test_chart_labels_are_drawn_literally(label: str) -> None:
    import io as _io

    import pandas as pd

    from workshop_analysis.codebook import Code, Codebook
    from workshop_analysis.plots import plot_top_fields

    codebook = Codebook((Code("c1", label), Code("c2", "Zweites $ Feld")))
    tagged = pd.DataFrame(
        {
            "record_id": ["r1", "r2"],
            "kind": pd.array(["need", "wish"], dtype="string"),
            "text": ["Aussage 1", "Aussage 2"],
            "codes": [["c1"], ["c2"]],
        }
    )
    fig = plot_top_fields(tagged, codebook=codebook)
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert label in shown
    # drawn outside the theme (as a notebook does later): mathtext would parse "$…$" and
    # fail on "\frac{x" or render "x_1^2" as a formula
    fig.savefig(_io.BytesIO(), format="svg")
    ticks = {t.get_text(): t for t in fig.axes[0].get_yticklabels()}
    assert ticks[label]._preprocess_math(label) == (label, False)
