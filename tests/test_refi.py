"""REFI-QDA exchange: .qdc codebooks and .qdpx projects, ours and other tools'."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from workshop_analysis.cli import main
from workshop_analysis.codebook import Code, Codebook, CodebookWarning, load_codebook, save_codebook
from workshop_analysis.config import SAMPLE_CODEBOOK, SAMPLE_RECORDS
from workshop_analysis.errors import InputError, WorkshopAnalysisError
from workshop_analysis.io import read_records
from workshop_analysis.records import normalise_records
from workshop_analysis.refi import (
    RefiWarning,
    export_qdc,
    export_qdpx,
    import_qdc,
    import_qdpx,
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
    assert "'Flipchart Foto' (PictureSource" in message
    assert "'Verlorene Notiz' (text file internal://missing.txt is not in the archive)" in message
    assert "99999999-0000-4000-8000-000000000000" in message  # unknown code
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
    assert "2 records, 3 codes, 3 coded selections" in captured.out
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
