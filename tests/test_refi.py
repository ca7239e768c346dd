"""REFI-QDA exchange: .qdc codebooks and .qdpx projects, ours and other tools'."""

from __future__ import annotations

import sqlite3
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_analysis import config
from workshop_analysis.cli import main
from workshop_analysis.codebook import Code, Codebook, CodebookWarning, load_codebook, save_codebook
from workshop_analysis.config import SAMPLE_CODEBOOK, SAMPLE_RECORDS
from workshop_analysis.errors import InputError, WorkshopAnalysisError
from workshop_analysis.io import read_records
from workshop_analysis.records import normalise_records
from workshop_analysis.refi import (
    RefiWarning,
    export_project,
    export_qdc,
    export_qdpx,
    import_qdc,
    import_qdpx,
    load_project,
    project_file,
    save_project,
)
from workshop_analysis.tagging import tag

xmlschema = pytest.importorskip("xmlschema", reason="xmlschema (test extra) validates exports")

NS_CB = "{urn:QDA-XML:codebook:1.0}"
NS_PR = "{urn:QDA-XML:project:1.0}"


@pytest.fixture
def refi_dir(fixtures: Path) -> Path:
    return fixtures / "refi"


@pytest.fixture
def codebook() -> Codebook:
    """Hierarchy, German labels, every optional field, awkward characters in values."""
    return Codebook(
        codes=(
            Code(
                "zeit",
                "Zeit & Tempo",
                label_en="Time",
                description="Alles rund um Wartezeiten.",
                horizon="short",
                owner="BA",
            ),
            Code(
                "wartezeiten",
                "Wartezeiten",
                parent="zeit",
                keywords=("Wartezeit", "zeitnah", "a|b"),
                exclude=("Warteschleife",),
            ),
            Code("lob", "Lob", horizon="long"),
            Code(
                "moderation", "Moderation", parent="lob", keywords=("Moderation",), owner="Träger"
            ),
            Code(
                "uebungen",
                "Übungen",
                parent="lob",
                keywords=("Übung",),
                description="Zeile 1\nZeile 2 mit \\ Backslash",
            ),
            Code(
                "logistik",
                "Logistik",
                keywords=("Logistik", "Raum"),
                description="Räume, Technik.\n\n[workshop-analysis] steht auch im Text",
            ),
            Code("technik", "Technik", parent="logistik", keywords=("Technik", "Beamer")),
        ),
        name="Testworkshop Köln",
    )


@pytest.fixture
def records(refi_dir: Path) -> pd.DataFrame:
    return read_records(refi_dir / "records.csv")


@pytest.fixture
def evidence(refi_dir: Path) -> pd.DataFrame:
    return pd.read_csv(refi_dir / "evidence.csv", dtype={"start": "Int64", "end": "Int64"})


# --------------------------------------------------------------------------- .qdc export


def test_export_qdc_is_valid_codebook_xml(codebook, tmp_path, shared_refi):
    out = export_qdc(codebook, tmp_path / "cb.qdc")
    xmlschema.XMLSchema(shared_refi / "Codebook.xsd").validate(out)


def test_export_qdc_nests_codes_and_shows_trailer_as_text(codebook, tmp_path):
    root = ET.parse(export_qdc(codebook, tmp_path / "cb.qdc")).getroot()
    assert root.get("origin").startswith("workshop-analysis")
    assert root.find(f"{NS_CB}Sets") is None  # no sets: element left out
    top = root.findall(f"{NS_CB}Codes/{NS_CB}Code")
    assert [c.get("name") for c in top] == ["Zeit & Tempo", "Lob", "Logistik"]
    lob_children = top[1].findall(f"{NS_CB}Code")
    assert [c.get("name") for c in lob_children] == ["Moderation", "Übungen"]
    desc = top[0].find(f"{NS_CB}Code/{NS_CB}Description").text
    assert desc.splitlines() == [
        "[workshop-analysis]",
        "id: wartezeiten",
        "keywords: Wartezeit | zeitnah | a\\|b",
        "exclude: Warteschleife",
    ]
    assert all(c.get("isCodable") == "true" for c in root.iter(f"{NS_CB}Code"))


def test_qdc_round_trip_gives_equal_codebook(codebook, tmp_path):
    back = import_qdc(export_qdc(codebook, tmp_path / "cb.qdc"))
    assert back == codebook
    assert back["wartezeiten"].keywords == ("Wartezeit", "zeitnah", "a|b")
    assert back["logistik"].description.endswith("[workshop-analysis] steht auch im Text")
    assert back["zeit"].label_en == "Time"


def test_export_qdc_is_reproducible_with_stable_guids(codebook, tmp_path):
    first = export_qdc(codebook, tmp_path / "a.qdc").read_bytes()
    assert export_qdc(codebook, tmp_path / "b.qdc").read_bytes() == first
    smaller = Codebook(codes=tuple(c for c in codebook if c.id != "lob" and c.parent != "lob"))
    root_a = ET.fromstring(first)
    root_b = ET.parse(export_qdc(smaller, tmp_path / "c.qdc")).getroot()
    guids_a = {c.get("name"): c.get("guid") for c in root_a.iter(f"{NS_CB}Code")}
    guids_b = {c.get("name"): c.get("guid") for c in root_b.iter(f"{NS_CB}Code")}
    assert guids_b == {k: v for k, v in guids_a.items() if k in guids_b}
    assert len(set(guids_a.values())) == len(codebook)
    assert b"\n  <Codes>\n" in first  # pretty-printed


def test_export_qdc_refuses_an_empty_codebook(tmp_path):
    with pytest.raises(WorkshopAnalysisError, match="no codes"):
        export_qdc(Codebook(codes=()), tmp_path / "x.qdc")


# --------------------------------------------------------------------------- .qdc import


def test_import_taguette_codebook_splits_dotted_names(shared_refi):
    cb = import_qdc(shared_refi / "taguette-1.5.2-codebook.qdc")  # has an empty <Sets/>
    assert cb.ids == [
        "interesting",
        "needs",
        "needs.time",
        "praise",
        "praise.facilitation",
        "problems",
        "problems.logistics",
    ]
    assert cb["needs.time"].parent == "needs"
    assert cb["needs.time"].label == "needs.time"
    assert cb["problems.logistics"].parent == "problems"
    assert cb["interesting"].parent is None
    assert cb["needs"].keywords == ()
    assert cb.name == "taguette-1.5.2-codebook"


def test_import_taguette_codebook_flat_on_request(shared_refi):
    cb = import_qdc(shared_refi / "taguette-1.5.2-codebook.qdc", split_dotted=False)
    assert cb.ids == ["interesting", "needs.time", "praise.facilitation", "problems.logistics"]
    assert all(c.parent is None for c in cb)


def test_import_atlasti_codebook(shared_refi):
    cb = import_qdc(shared_refi / "atlasti-23.4-codebook.qdc")  # schemaLocation codebook:0:4
    assert cb.ids == ["code1"]
    assert cb["code1"].description == "description"
    assert cb["code1"].keywords == ()


def test_import_foreign_codebook_ids_and_hierarchy(refi_dir):
    cb = import_qdc(refi_dir / "foreign-codebook.qdc")
    assert cb.ids == [
        "qualitaet_der_beratung",
        "beratung",
        "groesse_uebersicht",
        "beratung_2",
        "v1.2",
    ]
    assert cb["beratung"].parent == "qualitaet_der_beratung"
    assert cb["groesse_uebersicht"].label == "Größe & Übersicht"
    assert cb["beratung_2"].parent is None
    assert cb["v1.2"].parent is None  # the file is nested, so dots are not hierarchy
    assert cb["qualitaet_der_beratung"].description == "Oberkategorie"
    assert cb.name == "foreign-codebook"


def test_import_qdc_reports_broken_xml_with_line(tmp_path):
    bad = tmp_path / "bad.qdc"
    bad.write_text('<?xml version="1.0"?>\n<CodeBook>\n<Codes>\n</CodeBook>\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.qdc, row 4: the codebook is not well-formed XML"):
        import_qdc(bad)


def test_import_qdc_rejects_other_xml(tmp_path):
    other = tmp_path / "project.qdc"
    other.write_text('<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', encoding="utf-8")
    with pytest.raises(InputError, match="expected <CodeBook>"):
        import_qdc(other)


def test_sample_codebook_survives_yaml_qdc_yaml(tmp_path):
    cb = load_codebook(SAMPLE_CODEBOOK)
    back = import_qdc(export_qdc(cb, tmp_path / "sample.qdc"))
    assert back == cb  # ids, labels, parents, keywords, exclude, horizon, owner, name, language
    again = load_codebook(save_codebook(back, tmp_path / "codebook.yaml"))
    assert again == cb


def test_foreign_codebook_loads_with_a_warning_per_code_without_keywords(shared_refi, tmp_path):
    cb = import_qdc(shared_refi / "taguette-1.5.2-codebook.qdc")
    out = save_codebook(cb, tmp_path / "codebook.yaml")
    with pytest.warns(CodebookWarning) as caught:
        loaded = load_codebook(out)
    leaves = ["interesting", "needs.time", "praise.facilitation", "problems.logistics"]
    assert sorted(str(w.message).split("'")[1] for w in caught) == leaves
    assert loaded.codes == cb.codes


# --------------------------------------------------------------------------- .qdpx export


def _qde(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as zf:
        return ET.fromstring(zf.read("project.qde"))


def test_export_qdpx_is_valid_project(records, codebook, evidence, tmp_path, shared_refi):
    out = export_qdpx(records, codebook, evidence, tmp_path / "p.qdpx")
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        xmlschema.XMLSchema(shared_refi / "Project-mrt2019.xsd").validate(
            ET.fromstring(zf.read("project.qde"))
        )
    assert names == sorted(names)
    assert names[0] == "project.qde"
    assert len([n for n in names if n.startswith("sources/") and n.endswith(".txt")]) == 3


def test_export_qdpx_is_byte_for_byte_reproducible(records, codebook, evidence, tmp_path):
    a = export_qdpx(records, codebook, evidence, tmp_path / "a.qdpx").read_bytes()
    b = export_qdpx(records, codebook, evidence, tmp_path / "b.qdpx").read_bytes()
    assert a == b
    with zipfile.ZipFile(tmp_path / "a.qdpx") as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_export_qdpx_selections_and_metadata(records, codebook, evidence, tmp_path):
    root = _qde(export_qdpx(records, codebook, evidence, tmp_path / "p.qdpx", project_name="P"))
    assert root.get("name") == "P"
    sources = root.findall(f"{NS_PR}Sources/{NS_PR}TextSource")
    assert [s.get("name") for s in sources] == ["r1", "r2", "r3"]
    r1 = sources[0]
    spans = [
        (int(s.get("startPosition")), int(s.get("endPosition")))
        for s in r1.findall(f"{NS_PR}PlainTextSelection")
    ]
    assert spans == [(0, 11), (49, 56)]  # code points: the emoji before "zeitnah" counts once
    assert "section: Bedarfe" in r1.find(f"{NS_PR}Description").text
    r2_spans = {
        (int(s.get("startPosition")), int(s.get("endPosition"))): len(s.findall(f"{NS_PR}Coding"))
        for s in sources[1].findall(f"{NS_PR}PlainTextSelection")
    }
    assert r2_spans == {(0, 58): 1, (50, 57): 1}  # manual code covers the whole text
    guid = r1.get("guid")
    assert r1.get("plainTextPath") == f"internal://{guid}.txt"
    with zipfile.ZipFile(tmp_path / "p.qdpx") as zf:
        assert zf.read(f"sources/{guid}.txt").decode("utf-8") == records["text"][0]


def test_export_qdpx_rejects_codes_outside_the_codebook(records, codebook, tmp_path):
    bad = records.assign(codes=[["moderation"], ["gibt_es_nicht"], []])
    with pytest.raises(WorkshopAnalysisError, match="gibt_es_nicht"):
        export_qdpx(bad, codebook, None, tmp_path / "x.qdpx")


def test_export_qdpx_rejects_offsets_that_miss_the_match(records, codebook, evidence, tmp_path):
    shifted = evidence.assign(start=evidence["start"] + 1, end=evidence["end"] + 1)
    with pytest.raises(WorkshopAnalysisError, match=r"r1.*wartezeiten"):
        export_qdpx(records, codebook, shifted, tmp_path / "x.qdpx")


# --------------------------------------------------------------------------- .qdpx import


def test_qdpx_round_trip(records, codebook, evidence, tmp_path):
    out = export_qdpx(records, codebook, evidence, tmp_path / "p.qdpx")
    project = import_qdpx(out)
    assert project.codebook.codes == codebook.codes
    cols = ["record_id", "workshop", "section", "source", "date", "kind", "text"]
    pd.testing.assert_frame_equal(project.records[cols], records[cols])
    assert project.records["codes"].tolist() == [
        ["wartezeiten"],
        ["moderation", "uebungen"],
        ["logistik", "technik"],
    ]
    sel = project.selections
    texts = dict(zip(project.records["record_id"], project.records["text"], strict=True))
    for row in sel.itertuples():
        assert texts[row.record_id][row.start : row.end] == row.match
    assert sel[["record_id", "code", "start", "end"]].astype(object).values.tolist() == [
        ["r1", "wartezeiten", 0, 11],
        ["r1", "wartezeiten", 49, 56],
        ["r2", "moderation", 0, 58],
        ["r2", "uebungen", 50, 57],
        ["r3", "technik", 17, 24],
        ["r3", "logistik", 30, 38],
    ]
    pd.testing.assert_frame_equal(normalise_records(project.records), project.records)


def test_import_atlasti_projects_without_sources(shared_refi):
    blank = import_qdpx(shared_refi / "atlasti-23.2-blank.qdpx")
    assert len(blank.codebook) == 0
    assert blank.records.empty
    assert list(blank.records.columns) == list(
        normalise_records(pd.DataFrame({"text": ["x"]}), workshop="w").columns
    )
    target = import_qdpx(shared_refi / "atlasti-23.2-target.qdpx")
    assert target.codebook.name == "target-atlas-project"
    assert [c.label for c in target.codebook] == [
        "Commits",
        "2022-05-10T02:05:59Z 19e4dce",
        "2022-02-11T10:39:25Z cdbfd92",
    ]
    assert [c.parent for c in target.codebook] == [None, "commits", "commits"]
    assert target.selections.empty


def test_import_nvivo_project_warns_about_empty_sources(shared_refi):
    with pytest.warns(RefiWarning, match="2 source") as caught:
        project = import_qdpx(shared_refi / "nvivo-15-project.qdpx")
    message = str(caught[0].message)
    assert "66653866-6334-3535-3435-366637306566" in message
    assert "33663939-3636-3632-3038-613431643463" in message
    assert ".docx" in message
    assert project.records.empty
    cb = project.codebook
    assert len(cb) == 262
    assert cb.ancestors("programming") == ["competencies", "rq1_definition"]
    assert cb.ancestors("programming_2") == ["cs_as_programming", "framings", "rq1_definition"]
    assert [c.id for c in cb if c.label == "citizenship"] == [
        "citizenship",
        "citizenship_2",
        "citizenship_3",
    ]


@pytest.fixture
def foreign_qdpx(refi_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "foreign.qdpx"
    with zipfile.ZipFile(out, "w") as zf:
        zf.write(refi_dir / "foreign-project.qde", "project.qde")
        zf.write(refi_dir / "foreign-source.txt", "sources/foreign-source.txt")
    return out


def test_import_foreign_project(foreign_qdpx):
    with pytest.warns(RefiWarning) as caught:
        project = import_qdpx(foreign_qdpx)
    message = str(caught[0].message)
    assert (
        "1 PictureSource(s) (only text sources are imported): source 'Flipchart Foto' "
        "(GUID F0000000-0000-4000-8000-000000000003)" in message
    )
    assert (
        "1 source(s) skipped: source 'Verlorene Notiz' (GUID F0000000-0000-4000-8000-000000000004)"
        ": its text file internal://missing.txt is not in the archive" in message
    )
    assert (
        "1 coding(s) of codes not in the codebook: 99999999-0000-4000-8000-000000000000 in "
        "source 'Interview Straße'" in message
    )
    rec = project.records
    assert rec["record_id"].tolist() == ["interview-strasse", "praxis-notizen"]
    assert rec["workshop"].tolist() == ["fremdprojekt-koeln", "fremdprojekt-koeln"]
    assert rec["text"].tolist() == [
        "Die Straße ist weit 🚌 – Fahrtkosten erstatten!",  # blanks around stripped
        "Mehr Praxisbezug für Teilnehmende.",  # NFD ü composed
    ]
    assert rec["date"].tolist() == ["2017-11-22", pd.NA]
    assert rec["section"].tolist() == [pd.NA, "Praxis"]  # from the Case
    assert rec["codes"].tolist() == [["fahrtkosten"], ["kosten", "praxisbezug"]]
    sel = project.selections
    assert sel[["record_id", "code", "start", "end", "match"]].astype(object).values.tolist() == [
        ["interview-strasse", "fahrtkosten", 24, 35, "Fahrtkosten"],
        ["praxis-notizen", "kosten", 0, 34, "Mehr Praxisbezug für Teilnehmende."],
        ["praxis-notizen", "praxisbezug", 21, 33, "Teilnehmende"],
    ]


def test_import_qdpx_workshop_option(foreign_qdpx):
    with pytest.warns(RefiWarning):
        project = import_qdpx(foreign_qdpx, workshop="ws-2024")
    assert set(project.records["workshop"]) == {"ws-2024"}


def test_import_qdpx_rejects_non_zip(tmp_path):
    bad = tmp_path / "x.qdpx"
    bad.write_text("kein zip", encoding="utf-8")
    with pytest.raises(InputError, match=r"not a \.qdpx"):
        import_qdpx(bad)


def test_export_qdpx_leaves_out_keyword_hits_removed_by_overrides(
    records, codebook, evidence, tmp_path
):
    tagged = records.assign(
        codes_manual=[[], ["moderation"], []],
        codes=[["wartezeiten", "zeit"], ["lob", "moderation", "uebungen"], ["logistik"]],
    )  # "technik" on r3 was removed by an override after tagging
    project = import_qdpx(export_qdpx(tagged, codebook, evidence, tmp_path / "p.qdpx"))
    assert project.records["codes"].tolist()[2] == ["logistik"]
    assert project.selections.query("record_id == 'r3'")["code"].tolist() == ["logistik"]


def test_sample_workshop_exports_and_reads_back(tmp_path, shared_refi):
    records = read_records(SAMPLE_RECORDS)
    codebook = load_codebook(SAMPLE_CODEBOOK)
    tagged, evidence = tag(records, codebook)
    out = export_qdpx(tagged, codebook, evidence, tmp_path / "sample.qdpx")
    with zipfile.ZipFile(out) as zf:
        xmlschema.XMLSchema(shared_refi / "Project-mrt2019.xsd").validate(
            ET.fromstring(zf.read("project.qde"))
        )
    project = import_qdpx(out)
    assert project.records["record_id"].tolist() == records["record_id"].tolist()
    assert project.records["text"].tolist() == records["text"].tolist()
    texts = dict(zip(project.records["record_id"], project.records["text"], strict=True))
    assert all(
        texts[r.record_id][r.start : r.end] == r.match for r in project.selections.itertuples()
    )
    hits = evidence[evidence["origin"] == "keyword"]
    assert len(project.selections) == len(
        hits.drop_duplicates(["record_id", "code", "start", "end"])
    )
    # every code tagging found is a code of the re-imported record, except parents
    leaf = {c.id for c in codebook if not codebook.children(c.id)}
    for before, after in zip(tagged["codes"], project.records["codes"], strict=True):
        assert {c for c in before if c in leaf} <= set(after)


# --------------------------------------------------------------------------- CLI


def test_cli_import_qdpx_writes_records_and_warns(foreign_qdpx, tmp_path, capsys):
    out = tmp_path / "records.csv"
    sel = tmp_path / "selections.csv"
    assert (
        main(["import-qdpx", str(foreign_qdpx), "--out", str(out), "--selections-out", str(sel)])
        == 0
    )
    captured = capsys.readouterr()
    assert "2 records, 3 codes, 2 coded selections, 3 codings" in captured.out
    assert "warning:" in captured.err
    assert "Flipchart Foto" in captured.err
    back = read_records(out)
    assert back["codes"].tolist() == [["fahrtkosten"], ["kosten", "praxisbezug"]]
    assert pd.read_csv(sel)["match"].tolist() == [
        "Fahrtkosten",
        "Mehr Praxisbezug für Teilnehmende.",
        "Teilnehmende",
    ]


def test_cli_import_qdpx_bad_file_exits_1(tmp_path, capsys):
    bad = tmp_path / "x.qdpx"
    bad.write_bytes(b"PK broken")
    assert main(["import-qdpx", str(bad), "--out", str(tmp_path / "r.csv")]) == 1
    err = capsys.readouterr().err
    assert "x.qdpx: not a .qdpx (zip) file" in err
    assert "Traceback" not in err


def test_cli_export_qdpx_then_import_qdpx(tmp_path, capsys):
    qdpx = tmp_path / "sample.qdpx"
    args = ["export-qdpx", str(SAMPLE_RECORDS), "--codebook", str(SAMPLE_CODEBOOK)]
    assert main([*args, "--out", str(qdpx), "--name", "Praktiker-Workshop"]) == 0
    assert f"wrote {qdpx}: 17 sources, 14 codes" in capsys.readouterr().out
    assert _qde(qdpx).get("name") == "Praktiker-Workshop"
    out, cb_out = tmp_path / "records.csv", tmp_path / "codebook.yaml"
    assert main(["import-qdpx", str(qdpx), "--out", str(out), "--codebook-out", str(cb_out)]) == 0
    assert (
        read_records(out)["record_id"].tolist()
        == read_records(SAMPLE_RECORDS)["record_id"].tolist()
    )
    assert load_codebook(cb_out).codes == load_codebook(SAMPLE_CODEBOOK).codes


def test_cli_codebook_export_and_import_qdc(tmp_path, capsys):
    qdc, yaml_out = tmp_path / "sample.qdc", tmp_path / "codebook.yaml"
    assert main(["codebook", "export-qdc", str(SAMPLE_CODEBOOK), str(qdc)]) == 0
    assert main(["codebook", "import-qdc", str(qdc), str(yaml_out)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {qdc}: 14 codes" in out
    assert "without children have no keywords" not in out
    assert load_codebook(yaml_out) == load_codebook(SAMPLE_CODEBOOK)


def test_cli_codebook_import_qdc_names_codes_needing_keywords(shared_refi, tmp_path, capsys):
    out = tmp_path / "taguette.yaml"
    qdc = shared_refi / "taguette-1.5.2-codebook.qdc"
    assert main(["codebook", "import-qdc", str(qdc), str(out), "--flat"]) == 0
    printed = capsys.readouterr().out
    assert "4 code(s) without children have no keywords yet" in printed
    assert "needs.time" in printed
    assert "parent" not in out.read_text(encoding="utf-8")  # --flat: no hierarchy


def test_cli_codebook_import_qdc_broken_file(tmp_path, capsys):
    bad = tmp_path / "bad.qdc"
    bad.write_text("<CodeBook><Codes>", encoding="utf-8")
    assert main(["codebook", "import-qdc", str(bad), str(tmp_path / "x.yaml")]) == 1
    err = capsys.readouterr().err
    assert "bad.qdc, row 1: the codebook is not well-formed XML" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- real projects
# Files written by other tools, kept in tests/fixtures/refi/ (origin and licence in its
# README). Expected values are read from the files themselves with ElementTree.

QC_DEMO = "qc-1.3.2-demo.qdpx"
ATLAS_STANDARD = "atlasti-8.4-standard-project.qdpx"


def _xml(path: Path, name: str = "project.qde") -> ET.Element:
    with zipfile.ZipFile(path) as zf:
        member = next(n for n in zf.namelist() if n.lower() == name)
        return ET.fromstring(zf.read(member))


_PROJECT_XSD = Path(__file__).resolve().parents[2] / "shared/fixtures/refi-qda/Project-mrt2019.xsd"


def _validate(path: Path) -> None:
    """Validate against the REFI-QDA project schema (in ../shared; left out when absent,
    so that the rest of a round-trip test still runs)."""
    if _PROJECT_XSD.is_file():
        xmlschema.XMLSchema(_PROJECT_XSD).validate(_xml(path))


def _tables_equal(a, b) -> None:
    for name in ("selections", "sources", "codes", "users", "notes", "sets"):
        pd.testing.assert_frame_equal(
            getattr(a, name).reset_index(drop=True), getattr(b, name).reset_index(drop=True)
        )
    assert a.codebook.codes == b.codebook.codes
    cols = ["record_id", "workshop", "text", "codes"]
    pd.testing.assert_frame_equal(a.records[cols], b.records[cols])


def test_qc_demo_imports_two_long_transcripts_with_every_coding_exact(refi_dir):
    path = refi_dir / QC_DEMO
    root = _xml(path)
    with zipfile.ZipFile(path) as zf:
        raw = {
            n.split("/")[-1]: zf.read(n).decode("utf-8")
            for n in zf.namelist()
            if n.endswith(".txt")
        }
    selections = list(root.iter(f"{NS_PR}PlainTextSelection"))
    codings = list(root.iter(f"{NS_PR}Coding"))
    project = import_qdpx(path)  # no warning: everything is kept
    assert project.sources["name"].tolist() == ["board_2017.txt", "admin-1.txt"]  # no name attr
    assert [len(t) for t in project.records["text"]] == [52_542, 31_905]  # > MAX_TEXT_CHARS
    assert len(project.codebook) == len(list(root.iter(f"{NS_PR}Code"))) == 262
    sel = project.selections
    assert (len(sel), sel["selection_guid"].nunique()) == (len(codings), len(selections))
    assert (len(sel), sel["selection_guid"].nunique()) == (205, 158)
    assert set(sel["coder"]) == {"cp"}
    by_guid = {s.get("guid"): s for s in selections}
    for row in sel.itertuples():
        elem = by_guid[row.selection_guid]
        start, end = int(elem.get("startPosition")), int(elem.get("endPosition"))
        assert (row.source_start, row.source_end) == (start, end)
        assert row.match == raw["board_2017.txt"][start:end]  # no CR, no leading blanks
        assert project.records["text"][0][row.start : row.end] == row.match
    assert set(sel["coding_guid"]) == {c.get("guid") for c in codings}


def test_qc_demo_round_trip_is_an_identity_and_keeps_guids(refi_dir, tmp_path):
    project = import_qdpx(refi_dir / QC_DEMO)
    out = export_project(project, tmp_path / "back.qdpx")
    _validate(out)
    _tables_equal(import_qdpx(out), project)
    before, after = _xml(refi_dir / QC_DEMO), _xml(out)
    for kind in ("Code", "PlainTextSelection", "Coding", "TextSource", "User"):
        assert {e.get("guid") for e in before.iter(f"{NS_PR}{kind}")} == {
            e.get("guid") for e in after.iter(f"{NS_PR}{kind}")
        }
    with zipfile.ZipFile(refi_dir / QC_DEMO) as a, zipfile.ZipFile(out) as b:
        assert a.read("sources/board_2017.txt") == b.read("sources/board_2017.txt")
    assert not any(
        "[workshop-analysis]" in (d.text or "") for d in after.iter(f"{NS_PR}Description")
    )


def test_cli_round_trip_of_a_real_project_loses_nothing(refi_dir, tmp_path, capsys):
    first, back = tmp_path / "first" / "records.csv", tmp_path / "back.qdpx"
    first.parent.mkdir()
    assert main(["import-qdpx", str(refi_dir / QC_DEMO), "--out", str(first)]) == 0
    out = capsys.readouterr().out
    assert "2 records, 262 codes, 158 coded selections, 205 codings by 1 coder(s)" in out
    assert main(["export-qdpx", str(first), "--out", str(back)]) == 0
    assert "158 selections, 205 codings by 1 coder(s), as imported" in capsys.readouterr().out
    _validate(back)
    second = tmp_path / "second.csv"
    assert main(["import-qdpx", str(back), "--out", str(second)]) == 0
    _tables_equal(load_project(project_file(second)), import_qdpx(refi_dir / QC_DEMO))
    assert "warning" not in capsys.readouterr().err


def test_atlasti_standard_project_names_what_it_cannot_keep_with_counts(refi_dir):
    with pytest.warns(RefiWarning) as caught:
        project = import_qdpx(refi_dir / ATLAS_STANDARD)
    message = str(caught[0].message)
    # the archive holds no source texts: the six text sources are named, nothing dropped silently
    assert "6 source(s) skipped" in message
    assert (
        "source 'Mabel.txt' (GUID EC0A7242-65E1-457C-B7D1-310DAE603FAB): its text file "
        "internal://B2F54555-0D2D-43B2-B40C-2A1C048F5F1C.txt is not in the archive" in message
    )
    assert "6 selection(s) on skipped sources | 7 coding(s) on skipped sources" in message
    assert "1 PictureSource(s)" in message
    assert "2 PDFSource(s)" in message
    assert "4 PDF selection(s)" in message
    assert "1 link(s)" in message
    assert project.records.empty
    codes = project.codes.set_index("name")
    assert codes.loc["happiness", "color"] == "#F00082"
    assert codes.loc["happiness", "code_guid"] == "85D17F60-7BB0-481E-B742-B4861DD669DF"
    assert project.codebook["feelings"].description == "thoughts about breakfast foods"
    assert project.users["name"].tolist() == [
        "ATLAS.ti",
        "Friedrich Markgraf",
        "Sebastian Petrausch",
    ]
    assert project.notes["name"].tolist() == ["Research Plan", "My favorite Coke ad"]
    assert project.notes["text"][0].startswith("This is a great project")
    root = _xml(refi_dir / ATLAS_STANDARD)
    sets = list(root.iter(f"{NS_PR}Set"))
    assert project.sets["set_guid"].nunique() == len(sets) == 16
    members = sum(1 for s in sets for _ in s)
    assert int(project.sets["member_guid"].notna().sum()) == members - sum(
        1 for s in sets for c in s if c.tag == f"{NS_PR}Description"
    )


def test_atlasti_standard_project_round_trip(refi_dir, tmp_path):
    with pytest.warns(RefiWarning):
        project = import_qdpx(refi_dir / ATLAS_STANDARD)
    with pytest.warns(RefiWarning, match=r"23 set member\(s\) \(source\) not in the export"):
        out = export_project(project, tmp_path / "back.qdpx")
    _validate(out)
    back = import_qdpx(out)  # nothing more is lost on the way back: no warning
    for name in ("codes", "users", "notes"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(project, name))
    assert back.codebook.codes == project.codebook.codes
    code_members = project.sets[project.sets["member_kind"] == "code"]
    kept = back.sets[back.sets["member_kind"] == "code"]
    assert kept[["set_guid", "member_guid"]].values.tolist() == (
        code_members[["set_guid", "member_guid"]].values.tolist()
    )
    assert set(back.sets["name"]) == set(project.sets["name"])


# --------------------------------------------------------------------------- crafted projects

_USER_A = "B0000000-0000-4000-8000-00000000000A"
_USER_B = "B0000000-0000-4000-8000-00000000000B"
_CODE = "C0000000-0000-4000-8000-000000000001"
_SOURCE = "F0000000-0000-4000-8000-000000000001"


def _crafted(
    tmp_path: Path,
    data: bytes,
    spans: list[tuple[int, int]],
    *,
    extra: str = "",
    coders: tuple[str, ...] = (_USER_A,),
    name: str = "p.qdpx",
) -> Path:
    """A project with one text source (``data`` as its file) and one coded selection per span."""
    sels = "".join(
        f'<PlainTextSelection guid="A0000000-0000-4000-8000-{i:012d}" startPosition="{s}" '
        f'endPosition="{e}" creatingUser="{coders[0]}">'
        + "".join(
            f'<Coding guid="D{j:07d}-0000-4000-8000-{i:012d}" creatingUser="{c}">'
            f'<CodeRef targetGUID="{_CODE}"/></Coding>'
            for j, c in enumerate(coders)
        )
        + "</PlainTextSelection>"
        for i, (s, e) in enumerate(spans)
    )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Crafted" origin="test">'
        f'<Users><User guid="{_USER_A}" name="Anna"/><User guid="{_USER_B}" name="Ben"/></Users>'
        f'<CodeBook><Codes><Code guid="{_CODE}" name="Wartezeit" isCodable="true" color="#AA0000">'
        "<Description>lange Wartezeiten</Description></Code></Codes></CodeBook>"
        f'<Sources><TextSource guid="{_SOURCE}" plainTextPath="internal://interview.txt">'
        f"{sels}</TextSource></Sources>{extra}</Project>"
    )
    out = tmp_path / name
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr("sources/interview.txt", data)
    return out


def _span(raw: str, word: str) -> tuple[int, int]:
    start = raw.index(word)
    return start, start + len(word)


@pytest.mark.parametrize(
    ("raw", "word", "expected_text"),
    [
        pytest.param(
            "Erste Zeile\r\nZweite Zeile\r\nDie Wartezeit ist lang.\r\n",
            "Wartezeit",
            "Erste Zeile\nZweite Zeile\nDie Wartezeit ist lang.",
            id="crlf",
        ),
        pytest.param(
            "U\u0308berbru\u0308ckung: Wartezeit bis zur Pru\u0308fung",
            "Pru\u0308fung",
            "Überbrückung: Wartezeit bis zur Prüfung",
            id="nfd",
        ),
        pytest.param(
            "🚌🚌 Fahrt 👩‍👩‍👧 und Wartezeit",
            "Wartezeit",
            "🚌🚌 Fahrt 👩‍👩‍👧 und Wartezeit",
            id="emoji",
        ),
        pytest.param(
            "   \r\n\t  Wartezeit am Anfang",
            "Wartezeit",
            "Wartezeit am Anfang",
            id="leading-whitespace",
        ),
    ],
)
def test_offsets_follow_the_standard(tmp_path, raw, word, expected_text):
    span = _span(raw, word)  # code points of the text as stored
    project = import_qdpx(_crafted(tmp_path, raw.encode("utf-8"), [span]))
    text = project.records["text"][0]
    assert text == expected_text
    row = project.selections.iloc[0]
    assert text[row.start : row.end] == unicodedata.normalize("NFC", word) == row.match
    assert (row.source_start, row.source_end) == span
    out = export_project(project, tmp_path / "back.qdpx")
    _validate(out)
    with zipfile.ZipFile(out) as zf:
        assert zf.read("sources/interview.txt") == raw.encode("utf-8")  # text kept byte for byte
    sel = next(_xml(out).iter(f"{NS_PR}PlainTextSelection"))
    assert (int(sel.get("startPosition")), int(sel.get("endPosition"))) == span


def test_a_byte_order_mark_is_not_counted(tmp_path):
    raw = "Die Wartezeit ist lang."
    project = import_qdpx(
        _crafted(tmp_path, b"\xef\xbb\xbf" + raw.encode("utf-8"), [_span(raw, "Wartezeit")])
    )
    assert project.selections["match"].tolist() == ["Wartezeit"]
    assert project.records["text"][0] == raw


def test_crlf_regression_from_the_issue(tmp_path):
    raw = "Zeile eins\r\nZeile zwei\r\nWartezeit"
    project = import_qdpx(_crafted(tmp_path, raw.encode("utf-8"), [_span(raw, "Wartezeit")]))
    row = project.selections.iloc[0]
    assert project.records["text"][0][row.start : row.end] == "Wartezeit"  # was 'artezeit\n'


_TOKENS = st.sampled_from(
    [
        "Wort",
        "Straße",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "u\u0308",
        "A\u030a",
        "🚌",
        "👩‍👧",
        "\u2028",
        "ß",
        "x",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    tokens=st.lists(_TOKENS, min_size=1, max_size=30),
    cuts=st.lists(st.integers(min_value=0, max_value=31), min_size=2, max_size=2),
)
def test_property_selected_text_survives_import_and_export(tokens, cuts):
    parts = ["A", *tokens, "Z"]  # letters at both ends: stripping never reaches a selection
    bounds = [0]
    for part in parts:
        bounds.append(bounds[-1] + len(part))
    i, j = sorted(min(c, len(parts)) for c in cuts)
    raw = "".join(parts)
    start, end = bounds[i], bounds[j]
    with tempfile.TemporaryDirectory() as tmp:
        project = import_qdpx(_crafted(Path(tmp), raw.encode("utf-8"), [(start, end)]))
        row = project.selections.iloc[0]
        text = project.records["text"][0]
        expected = unicodedata.normalize("NFC", raw[start:end].replace("\r\n", "\n"))
        assert text[row.start : row.end] == row.match == expected
        back = import_qdpx(export_project(project, Path(tmp) / "back.qdpx"))
        _tables_equal(back, project)


def test_two_coders_on_one_span_stay_two_rows_and_come_back(tmp_path):
    raw = "Die Wartezeit ist lang."
    path = _crafted(
        tmp_path, raw.encode("utf-8"), [_span(raw, "Wartezeit")], coders=(_USER_A, _USER_B)
    )
    project = import_qdpx(path)
    sel = project.selections
    assert sel[["code", "coder", "match"]].values.tolist() == [
        ["wartezeit", "Anna", "Wartezeit"],
        ["wartezeit", "Ben", "Wartezeit"],
    ]
    back = import_qdpx(export_project(project, tmp_path / "back.qdpx"))
    pd.testing.assert_frame_equal(back.selections, sel)


def test_notes_on_sources_selections_and_codes_come_back(tmp_path):
    raw = "Die Wartezeit ist lang."
    note = "E0000000-0000-4000-8000-00000000000{}"
    notes = (
        "<Notes>"
        f'<Note guid="{note.format(1)}" name="Memo Quelle" creatingUser="{_USER_A}">'
        "<PlainTextContent>Interview im Jobcenter</PlainTextContent></Note>"
        f'<Note guid="{note.format(2)}" name="Memo frei">'
        "<PlainTextContent>ohne Bezug</PlainTextContent></Note>"
        "</Notes>"
    )
    path = _crafted(tmp_path, raw.encode("utf-8"), [_span(raw, "Wartezeit")], extra=notes)
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde").decode("utf-8")
    qde = (
        qde.replace(  # attach note 1 to the source, the selection and the code
            "</PlainTextSelection>",
            f'<NoteRef targetGUID="{note.format(1)}"/></PlainTextSelection>',
        )
        .replace(
            "</Description></Code>",
            f'</Description><NoteRef targetGUID="{note.format(1)}"/></Code>',
        )
        .replace("</TextSource>", f'<NoteRef targetGUID="{note.format(1)}"/></TextSource>')
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr("sources/interview.txt", raw)
    project = import_qdpx(path)
    assert project.notes[["name", "target_kind"]].fillna("-").values.tolist() == [
        ["Memo Quelle", "Code"],
        ["Memo Quelle", "TextSource"],
        ["Memo Quelle", "PlainTextSelection"],
        ["Memo frei", "-"],
    ]
    out = export_project(project, tmp_path / "back.qdpx")
    _validate(out)
    pd.testing.assert_frame_equal(import_qdpx(out).notes, project.notes)


def test_a_source_over_the_import_limit_is_named_and_the_rest_imported(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_IMPORT_TEXT_CHARS", 10)
    raw = "Die Wartezeit ist lang."
    with pytest.warns(
        RefiWarning, match=r"source 'interview.txt' \(GUID F0000000-.*\): 23 characters"
    ):
        project = import_qdpx(_crafted(tmp_path, raw.encode("utf-8"), [_span(raw, "Wartezeit")]))
    assert project.records.empty


def test_export_all_adds_keyword_hits_on_crlf_text_without_touching_imported_ones(tmp_path):
    raw = "Erste Zeile\r\nWartezeit zu lang\r\nNoch eine Wartezeit"
    project = import_qdpx(_crafted(tmp_path, raw.encode("utf-8"), [_span(raw, "Wartezeit")]))
    cb = Codebook(codes=(Code("wartezeit", "Wartezeit", keywords=("Wartezeit",)),))
    _, evidence = tag(project.records, cb)
    out = export_project(project, tmp_path / "all.qdpx", selections="all", evidence=evidence)
    back = import_qdpx(out).selections
    imported = back[back["coder"] == "Anna"]
    pd.testing.assert_frame_equal(imported.reset_index(drop=True), project.selections)
    keyword = back[back["coder"] == "workshop-analysis"]
    second = raw.rindex("Wartezeit")
    assert sorted(zip(keyword["source_start"], keyword["source_end"], strict=True)) == [
        (13, 22),
        (second, second + 9),
    ]
    assert set(keyword["match"]) == {"Wartezeit"}


def test_export_project_refuses_unknown_selection_kinds(tmp_path):
    raw = "Die Wartezeit ist lang."
    project = import_qdpx(_crafted(tmp_path, raw.encode("utf-8"), [_span(raw, "Wartezeit")]))
    with pytest.raises(WorkshopAnalysisError, match="expected 'imported'"):
        export_project(project, tmp_path / "x.qdpx", selections="everything")
    with pytest.raises(WorkshopAnalysisError, match="needs the tagging evidence"):
        export_project(project, tmp_path / "x.qdpx", selections="keywords")


def test_export_qdpx_with_a_project_is_export_project(tmp_path):
    raw = "Die Wartezeit ist lang."
    project = import_qdpx(_crafted(tmp_path, raw.encode("utf-8"), [_span(raw, "Wartezeit")]))
    a = export_qdpx(project, tmp_path / "a.qdpx").read_bytes()
    assert a == export_project(project, tmp_path / "b.qdpx").read_bytes()


def test_saved_project_loads_back_equal(refi_dir, tmp_path):
    project = import_qdpx(refi_dir / QC_DEMO)
    _tables_equal(load_project(save_project(project, tmp_path / "p.refi.json")), project)
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="not a saved project"):
        load_project(bad)


def test_qualitative_coding_reads_our_export_of_its_demo(refi_dir, tmp_path, monkeypatch):
    """Optional: ``qualitative-coding`` (qc, AGPL, pulls in spaCy) reads the export back."""
    reader = pytest.importorskip(
        "qualitative_coding.refi_qda.reader", reason="qualitative-coding is not installed"
    )
    monkeypatch.setenv("PYTHONBREAKPOINT", "0")  # qc 1.7.8 left a breakpoint() in its reader
    out = export_project(import_qdpx(refi_dir / QC_DEMO), tmp_path / "back.qdpx")
    dest = tmp_path / "qc"
    dest.mkdir()
    monkeypatch.chdir(dest)  # qc writes its settings.yaml into the working directory
    reader.REFIQDAReader(str(out)).unpack_project(dest)
    root = _xml(refi_dir / QC_DEMO)
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{NS_PR}Code")}
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{NS_PR}User")}
    expected = sorted(
        (
            int(s.get("name").split(":")[1]),
            names[c.find(f"{NS_PR}CodeRef").get("targetGUID")],
            users[c.get("creatingUser")],
        )
        for s in root.iter(f"{NS_PR}PlainTextSelection")
        for c in s.iter(f"{NS_PR}Coding")
    )
    with sqlite3.connect(dest / "qualitative_coding.sqlite3") as con:
        got = sorted(con.execute("select line, code_id, coder_id from coded_line").fetchall())
    assert got == expected
    assert len(got) == 205


def test_export_names_codings_of_records_that_were_removed(refi_dir, tmp_path):
    project = import_qdpx(refi_dir / QC_DEMO)
    fewer = project._replace(records=project.records.iloc[1:].reset_index(drop=True))
    with pytest.warns(RefiWarning, match=r"205 coding\(s\) of records not in the records table: "):
        export_project(fewer, tmp_path / "x.qdpx")


def test_project_import_keeps_dotted_code_names_flat(tmp_path):
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Taguette-like"><CodeBook><Codes>'
        '<Code guid="C0000000-0000-4000-8000-000000000001" name="needs.time" isCodable="true"/>'
        "</Codes></CodeBook></Project>"
    )
    path = tmp_path / "t.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
    project = import_qdpx(path)
    assert [(c.id, c.parent) for c in project.codebook] == [("needs.time", None)]
    back = import_qdpx(export_project(project, tmp_path / "back.qdpx"))
    assert back.codes.values.tolist() == project.codes.values.tolist()


def test_a_bad_variable_value_is_named_not_fatal(tmp_path):
    raw = "Die Wartezeit ist lang."
    variables = (
        '<Variables><Variable guid="D0000000-0000-4000-8000-000000000001" name="Datum" '
        'typeOfVariable="Text"/></Variables>'
    )
    path = _crafted(tmp_path, raw.encode("utf-8"), [_span(raw, "Wartezeit")])
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde").decode("utf-8")
    qde = qde.replace("<Sources>", variables + "<Sources>").replace(
        "</TextSource>",
        '<VariableValue><VariableRef targetGUID="D0000000-0000-4000-8000-000000000001"/>'
        "<TextValue>irgendwann</TextValue></VariableValue></TextSource>",
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr("sources/interview.txt", raw)
    with pytest.warns(
        RefiWarning, match=r"source 'interview.txt' \(GUID F0000000-.*\): date 'irgendwann'"
    ):
        project = import_qdpx(path)
    assert project.records["date"].isna().all()
    assert project.selections["match"].tolist() == ["Wartezeit"]
