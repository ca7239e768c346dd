"""Action items: grouping rules, horizon/owner/priority, overrides, id stability, exports.

Expected values are worked out by hand from tests/fixtures/actions/tagged.csv and the small
codebook below (comments show the arithmetic); ids are SHA-1 of "<code>|<group>" computed
here with hashlib.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workshop_analysis import derive_actions, unassigned, write_actions
from workshop_analysis.actions import ACTION_COLUMNS
from workshop_analysis.codebook import Code, Codebook
from workshop_analysis.errors import InputError

HERE = Path(__file__).resolve().parent / "fixtures" / "actions"


def aid(code: str, group: str) -> str:
    return "A-" + hashlib.sha1(f"{code}|{group}".encode()).hexdigest()[:8]


WARTE, PLANUNG = aid("warte", "act"), aid("planung", "act")
FKP_KEEP, FKP_ACT = aid("fkp", "keep"), aid("fkp", "act")
DIGITAL_KEEP, DIGITAL_ACT = aid("digital", "keep"), aid("digital", "act")
BEKANNT, REGIO = aid("bekannt", "act"), aid("regio", "act")


@pytest.fixture
def codebook() -> Codebook:
    return Codebook(
        (
            Code("grund", "Grundqualifizierung", "Basic qualification", horizon="long", owner="BA"),
            Code("warte", "Wartezeiten", "Waiting times", parent="grund"),
            Code(
                "planung",
                "Planung",
                "Planning",
                parent="grund",
                horizon="long",
                owner="Jobcenter-Geschäftsführung",
            ),
            Code("fortb", "Fortbildung", "Training", horizon="short", owner="BA"),
            Code(
                "fkp",
                "Führungskräfteprogramm",
                "Leadership programme",
                parent="fortb",
                horizon="long",
            ),
            Code("digital", "Digitalisierung", "Digitalisation", parent="fortb"),
            Code("regio", "Regionale Angebote", "Regional offers"),
            Code(
                "bekannt",
                "Angebote bekannt machen",
                "Make offers known",
                parent="regio",
                horizon="long",
                owner="Servicestelle SGB II",
            ),
        ),
        name="test",
        # these unit tests check the one-item-per-code rules; merging has its own tests
        actions={"merge": False},
    )


def read_tagged(path: Path = HERE / "tagged.csv") -> pd.DataFrame:
    frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    frame["codes"] = frame["codes"].map(
        lambda v: sorted(c.strip() for c in v.split(";") if c.strip())
    )
    return frame


@pytest.fixture
def tagged() -> pd.DataFrame:
    return read_tagged()


def by_id(actions: pd.DataFrame) -> dict[str, dict]:
    return {row["action_id"]: row for row in actions.to_dict("records")}


# ------------------------------------------------------------------ grouping rules


def test_table_has_the_documented_columns_and_order(tagged, codebook):
    actions = derive_actions(tagged, codebook)
    assert tuple(actions.columns) == ACTION_COLUMNS
    # short first; within a horizon priority descending, then codebook order, act before keep
    assert actions["action_id"].tolist() == [
        DIGITAL_ACT,
        DIGITAL_KEEP,
        BEKANNT,  # short: priorities 1, 1, 1
        WARTE,
        FKP_KEEP,
        REGIO,
        PLANUNG,  # long: priorities 9, 4, 2, 1
    ]


def test_needs_wishes_and_concerns_on_one_code_form_one_action(tagged, codebook):
    warte = by_id(derive_actions(tagged, codebook))[WARTE]
    assert warte["evidence"] == ["t01", "t02", "t07", "t11"]  # input order
    assert warte["kinds"] == ["need", "wish", "concern"]
    assert warte["field"] == "grund"
    assert warte["codes"] == ["warte"]
    assert warte["support"] == 4
    assert warte["breadth"] == 4  # sections A, B + sources GF, BA
    # 4 statements + 1 (2 sections) + 1 (2 sources) + 1 (need/concern)
    # + 2 intensity cues ("besonders" in t01, "problematisch" in t02)
    assert warte["priority"] == 9
    assert warte["priority_label"] == "high"  # 9 >= 5 points with a need/concern
    # the title comes from a proposal (t01 need, t07 wish), not from a concern: t07 shares
    # "Wartezeiten" with all others and is shorter than t01; the other proposal, t01, adds
    # the noun it names beside the matched "Wartezeiten" ("bis zum ersten Lehrgang")
    assert warte["title"] == "Mehr Kurse zur Digitalisierung und kürzere Wartezeiten (Lehrgang)"
    assert "t07" in warte["rationale"]
    assert "aus t01" in warte["rationale"]
    assert "Titel nach t07" in warte["rationale"]


def test_praise_forms_a_keep_item(tagged, codebook):
    keep = by_id(derive_actions(tagged, codebook))[DIGITAL_KEEP]
    assert keep["evidence"] == ["t06"]
    assert keep["kinds"] == ["praise"]
    # what is praised: the noun phrase of "Die Kurse zur Digitalisierung sind gut."
    assert keep["title"] == "Beibehalten: Kurse zur Digitalisierung"
    assert keep["priority_label"] == "low"  # 1 point
    assert keep["horizon"] == "short"  # inherited from the field "fortb"


def test_praised_programme_with_demand_above_capacity_becomes_expand(tagged, codebook):
    actions = by_id(derive_actions(tagged, codebook))
    expand = actions[FKP_KEEP]
    assert expand["title"] == "Angebot ausbauen: Führungskräfteprogramm"
    assert expand["evidence"] == ["t04", "t05"]
    assert expand["kinds"] == ["praise", "concern"]
    assert expand["horizon"] == "long"
    assert expand["priority"] == 4  # 2 statements + 1 concern + 1 cue ("höher als")
    assert FKP_ACT not in actions  # the capacity concern joined the expand item


def test_a_record_with_several_codes_supports_several_actions(tagged, codebook):
    actions = by_id(derive_actions(tagged, codebook))
    assert "t07" in actions[WARTE]["evidence"]
    assert actions[DIGITAL_ACT]["evidence"] == ["t07"]


def test_inherited_parent_codes_form_no_action_but_a_field_only_record_does(tagged, codebook):
    actions = derive_actions(tagged, codebook)
    codes = {c for cs in actions["codes"] for c in cs}
    assert "grund" not in codes
    assert "fortb" not in codes
    regio = by_id(actions)[REGIO]
    assert regio["evidence"] == ["t09"]
    assert regio["field"] == "regio"


def test_uncoded_records_are_listed_as_not_yet_assigned(tagged, codebook):
    actions = derive_actions(tagged, codebook)
    assert all("t10" not in ev for ev in actions["evidence"])
    assert unassigned(tagged)["record_id"].tolist() == ["t10"]


def test_input_is_not_modified(tagged, codebook):
    before = tagged.copy(deep=True)
    derive_actions(tagged, codebook)
    pd.testing.assert_frame_equal(tagged, before)


def test_unknown_code_in_records_is_an_input_error(tagged, codebook):
    tagged.loc[0, "codes"] = ["wartezeit"]
    with pytest.raises(InputError, match="t01: code 'wartezeit' is not in the codebook"):
        derive_actions(tagged, codebook)


# ------------------------------------------------------------------ horizon, owner


def test_cue_word_beats_codebook_default(tagged, codebook):
    bekannt = by_id(derive_actions(tagged, codebook))[BEKANNT]
    assert bekannt["horizon"] == "short"  # codebook says long; t08 says "kurzfristig"
    assert bekannt["owner"] == "Servicestelle SGB II"
    assert "„kurzfristig“ in t08" in bekannt["rationale"]
    assert "Zuständigkeit Servicestelle SGB II nach Codebuch-Vorgabe" in bekannt["rationale"]


def test_codebook_default_and_fallbacks_are_explained(tagged, codebook):
    actions = by_id(derive_actions(tagged, codebook))
    assert actions[WARTE]["owner"] == "BA"  # inherited from "grund"
    assert "Codebuch-Vorgabe" in actions[WARTE]["rationale"]
    regio = actions[REGIO]  # no horizon and no owner anywhere
    assert regio["horizon"] == "long"
    assert pd.isna(regio["owner"])
    assert "Annahme" in regio["rationale"]
    assert "Zuständigkeit offen" in regio["rationale"]
    assert all(
        r.count(".") == 1 and r.endswith(".")
        for r in [actions[WARTE]["rationale"], regio["rationale"]]
    )


def test_english_titles_and_rationale(tagged, codebook):
    actions = by_id(derive_actions(tagged, codebook, lang="en"))
    assert actions[FKP_KEEP]["title"] == "Expand capacity: Leadership programme"
    assert actions[DIGITAL_KEEP]["title"] == "Keep: Digitalisation"
    # German statements, English output: the English label, without a generic prefix
    assert actions[WARTE]["title"] == "Waiting times"
    assert actions[PLANUNG]["owner"] == "Jobcenter management"
    assert "codebook default" in actions[WARTE]["rationale"]


# ------------------------------------------------------------------ overrides


def test_overrides_retitle_merge_split_drop_and_fix_attributes(tagged, codebook):
    actions = by_id(derive_actions(tagged, codebook, HERE / "overrides.yaml"))
    assert set(actions) == {
        WARTE,
        WARTE + "-1",
        "A-warte-kurse",
        PLANUNG,
        FKP_KEEP,
        DIGITAL_KEEP,
        BEKANNT,
    }
    bekannt = actions[BEKANNT]
    assert (bekannt["horizon"], bekannt["owner"]) == ("long", "BMAS")
    assert "set by analyst" in bekannt["rationale"]
    assert "abgestimmt mit BA" in bekannt["rationale"]
    merged = actions[DIGITAL_KEEP]
    assert merged["evidence"] == ["t06", "t07"]
    assert merged["kinds"] == ["wish", "praise"]
    assert merged["priority"] == 2  # 2 statements, 1 section, 1 source, no need/concern
    assert "set by analyst" in merged["rationale"]
    assert actions[WARTE]["evidence"] == ["t02"]  # the part no child took keeps the id
    assert actions[WARTE]["priority"] == 3  # 1 + 1 concern + 1 "problematisch"
    first = actions[WARTE + "-1"]
    assert first["evidence"] == ["t01", "t11"]
    assert first["title"] == "Wartezeiten nach Einstellung"
    assert first["priority"] == 5  # 2 + 1 (2 sources) + 1 need/concern + 1 "besonders"
    named = actions["A-warte-kurse"]
    assert (named["evidence"], named["priority"]) == (["t07"], 7)
    assert actions[PLANUNG]["title"] == "Planung verbessern"


def test_english_title_override(tagged, codebook):
    actions = by_id(derive_actions(tagged, codebook, HERE / "overrides.yaml", lang="en"))
    assert actions[PLANUNG]["title"] == "Improve planning"


def test_rerunning_with_overrides_gives_the_same_table(tagged, codebook):
    first = derive_actions(tagged, codebook, HERE / "overrides.yaml")
    second = derive_actions(tagged, codebook, HERE / "overrides.yaml")
    pd.testing.assert_frame_equal(first, second)


def test_unknown_action_ids_are_an_error_naming_them_and_their_lines(tagged, codebook):
    with pytest.raises(InputError) as err:
        derive_actions(tagged, codebook, HERE / "overrides-unknown.yaml")
    message = str(err.value)
    assert "2 problems" in message
    assert "row 3, column 'A-00000000': unknown action id 'A-00000000'" in message
    assert "row 4, column 'A-deadbeef': unknown action id 'A-deadbeef'" in message
    assert "A-191d5c8a" not in message


def test_bad_override_values_are_errors(tagged, codebook):
    overrides = {
        "__file__": "ov.yaml",
        "actions": {
            WARTE: {"horizon": "soon", "__line__": 2},
            PLANUNG: {"priority": "high", "colour": "red", "__line__": 3},
            FKP_KEEP: {"merge_into": "A-nothere", "__line__": 4},
        },
    }
    with pytest.raises(InputError) as err:
        derive_actions(tagged, codebook, overrides)
    message = str(err.value)
    assert "ov.yaml, row 2, column 'horizon'" in message
    assert "ov.yaml, row 3, column 'priority'" in message
    assert "ov.yaml, row 3, column 'colour': unknown key" in message
    assert "ov.yaml, row 4, column 'merge_into'" in message


# ------------------------------------------------------------------ id stability


def test_ids_survive_shuffled_rows_and_a_dropped_unrelated_record(tagged, codebook):
    before = by_id(derive_actions(tagged, codebook))
    shuffled = tagged.sample(frac=1, random_state=3).reset_index(drop=True)
    shuffled = shuffled[shuffled["record_id"] != "t09"]  # only the regio action used it
    after = by_id(derive_actions(shuffled, codebook))
    assert set(after) == set(before) - {REGIO}
    for action_id, row in after.items():
        assert sorted(row["evidence"]) == sorted(before[action_id]["evidence"])
        assert row["title"] == before[action_id]["title"]


# ------------------------------------------------------------------ exports


@pytest.fixture
def hostile(tagged, codebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    overrides = {
        "actions": {
            WARTE: {"title": '=HYPERLINK("http://example.invalid","klick")', "__line__": 1},
            PLANUNG: {"owner": "+49 30 123", "__line__": 2},
            BEKANNT: {"owner": "-Referat", "__line__": 3},
        }
    }
    return derive_actions(tagged, codebook, overrides), tagged


def test_csv_export_neutralises_formula_cells(hostile, tmp_path):
    actions, tagged = hostile
    paths = write_actions(actions, tagged, tmp_path)
    assert [p.name for p in paths] == ["actions.csv", "actions.xlsx"]
    back = pd.read_csv(tmp_path / "actions.csv", dtype=str, keep_default_na=False)
    assert back.columns.tolist() == list(ACTION_COLUMNS)
    cells = back.to_numpy().ravel().tolist()
    assert '\'=HYPERLINK("http://example.invalid","klick")' in cells
    assert "'+49 30 123" in cells
    assert "'-Referat" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    warte = back[back["action_id"] == WARTE].iloc[0]
    assert warte["evidence"] == "t01; t02; t07; t11"


def test_xlsx_export_neutralises_formula_cells_and_is_formatted(hostile, tmp_path):
    actions, tagged = hostile
    write_actions(actions, tagged, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "actions.xlsx")
    assert book.sheetnames == ["kurzfristig", "längerfristig", "Belege", "nicht zugeordnet"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
        assert sheet.column_dimensions["A"].width >= 8
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    long = book["längerfristig"]
    titles = [c.value for c in long["B"]]
    assert '\'=HYPERLINK("http://example.invalid","klick")' in titles
    evidence = [[c.value for c in row] for row in book["Belege"].iter_rows()]
    # the XLSX is for people: German headers and values (the CSV keeps the machine schema)
    assert evidence[0] == [
        "Kennung",
        "Maßnahme",
        "Aussage-Kennung",
        "Art",
        "Abschnitt",
        "Quelle",
        "Aussage",
    ]
    assert [
        WARTE,
        '\'=HYPERLINK("http://example.invalid","klick")',
        "t11",
        "Bedenken",
        "A",
        "BA",
        "'@Team: die Wartezeiten nach der Einstellung.",
    ] in evidence
    missing = [[c.value for c in row] for row in book["nicht zugeordnet"].iter_rows()]
    assert missing[1] == ["t10", "Bedarf", "C", "GF", "'=1+1 Wir brauchen mehr Zeit."]
    short_ids = [c.value for c in book["kurzfristig"]["A"]][1:]
    assert short_ids == [DIGITAL_ACT, DIGITAL_KEEP, BEKANNT]


def test_english_sheet_names(tagged, codebook, tmp_path):
    write_actions(derive_actions(tagged, codebook, lang="en"), tagged, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "actions.xlsx")
    assert book.sheetnames == ["short", "long", "evidence", "unassigned"]


def test_exports_are_deterministic(tagged, codebook, tmp_path):
    actions = derive_actions(tagged, codebook)
    write_actions(actions, tagged, tmp_path / "a")
    write_actions(derive_actions(tagged, codebook), tagged, tmp_path / "b")
    assert (tmp_path / "a" / "actions.csv").read_bytes() == (
        tmp_path / "b" / "actions.csv"
    ).read_bytes()
    cells = []
    for folder in ("a", "b"):
        book = openpyxl.load_workbook(tmp_path / folder / "actions.xlsx")
        cells.append([[c.value for row in s.iter_rows() for c in row] for s in book.worksheets])
    assert cells[0] == cells[1]


# ------------------------------------------------------------------ the 2017 workshop

#: The BMAS/BA systematisation of 22 Nov 2017, worked out by hand from the article (see the
#: workshop's README) and the grouping rules: (code of the item, field, horizon, owner,
#: evidence), in table order. Thin codes (one statement each) are merged into their field:
#: the five single-statement points of "Grundqualifizierung" become one item, and so do
#: the two course wishes (Change Management, Digitalisierung) of "Fortbildung".
EXPECTED_2017 = [
    # short-term
    ("fortbildung", "fortbildung", "short", "BA", ["q10", "q11"]),
    # q16/q17 are the organisers' announced follow-up (follow_up = yes): no evidence
    ("bekanntheit", "regionale_angebote", "short", "Servicestelle SGB II", ["q15"]),
    # longer-term
    (
        "grundqualifizierung",
        "grundqualifizierung",
        "long",
        "BA",
        ["q02", "q03", "q04", "q05", "q06"],
    ),
    ("passgenau", "regionale_angebote", "long", "BA", ["q12", "q13", "q14"]),
    ("fuehrungskraefte", "fortbildung", "long", "BA", ["q07", "q09"]),
    ("kompetenzzentren", "fortbildung", "long", "BA", ["q08"]),
]


@pytest.fixture
def tagged_2017():
    from workshop_analysis.codebook import load_codebook
    from workshop_analysis.config import SAMPLE_CODEBOOK, SAMPLE_OVERRIDES, SAMPLE_RECORDS
    from workshop_analysis.io import read_records
    from workshop_analysis.kinds import infer_kinds
    from workshop_analysis.tagging import tag

    records = infer_kinds(read_records(SAMPLE_RECORDS))
    codebook = load_codebook(SAMPLE_CODEBOOK)
    return tag(records, codebook, overrides=SAMPLE_OVERRIDES).records, codebook


def test_2017_workshop_reads_like_the_bmas_ba_systematisation(tagged_2017):
    from workshop_analysis.config import SAMPLE_OVERRIDES

    tagged, codebook = tagged_2017
    actions = derive_actions(tagged, codebook, SAMPLE_OVERRIDES)
    got = list(
        zip(
            actions["action_id"],
            actions["field"],
            actions["horizon"],
            actions["owner"],
            actions["evidence"],
            strict=True,
        )
    )
    expected = [
        (
            aid(code, "keep" if code in ("fuehrungskraefte", "kompetenzzentren") else "act"),
            field,
            horizon,
            owner,
            evidence,
        )
        for code, field, horizon, owner, evidence in EXPECTED_2017
    ]
    assert got == expected
    rows = by_id(actions)
    # at most 8 items, each with a concrete title (no generic prefix) and a priority label
    assert len(actions) <= 8
    assert not any(t.startswith(("Handlungsbedarf", "Action needed")) for t in actions["title"])
    assert set(actions["priority_label"]) <= {"high", "medium", "low"}
    # regional offers made known: short-term; personnel and needs planning: longer-term
    assert rows[aid("bekanntheit", "act")]["horizon"] == "short"
    planning = rows[aid("grundqualifizierung", "act")]
    assert planning["horizon"] == "long"
    assert "„längerfristig“ in q03 (Zeichen 33–46)" in planning["rationale"]
    assert planning["points"][1] == (
        "Längerfristige Personal- und Bedarfsplanung (q03; Zuständigkeit: "
        "Jobcenter-Geschäftsführung)"
    )
    assert len(planning["points"]) == 5
    # the analyst's title in overrides.yaml names the merged item (same id as the field's)
    assert planning["title"] == "Grundqualifizierung für Quereinsteiger und Berufsanfänger sichern"
    assert "set by analyst" in planning["rationale"]
    # keep/expand items are titled by what is praised
    assert rows[aid("fuehrungskraefte", "keep")]["title"] == (
        "Angebot ausbauen: Führungskräfte-Entwicklungsprogramm"
    )
    # q08's noun phrases "fachliche Tiefe und Vielfalt der Angebote in den Kompetenzzentren"
    # and "Angebote in den Kompetenzzentren der BA" weigh the same (9: "Angebote",
    # "Kompetenzzentren", "BA" are in the label, +2 each): the shorter one wins
    assert rows[aid("kompetenzzentren", "keep")]["title"] == (
        "Beibehalten: Angebote in den Kompetenzzentren der BA"
    )
    # priorities worked out by hand (see the module docs for the score and the levels)
    # 5 statements + 1 more source + 1 need/concern + 1 emphasis ("problematisch" in q06)
    assert (planning["priority"], planning["priority_label"]) == (8, "high")
    # 3 + 1 need/concern + 2 emphasis ("wesentlich" q12, "besondere" q13)
    assert rows[aid("passgenau", "act")]["priority"] == 6
    assert rows[aid("passgenau", "act")]["priority_label"] == "high"
    # 2 + 1 concern + 1 emphasis ("höher als" q09): medium
    assert rows[aid("fuehrungskraefte", "keep")]["priority_label"] == "medium"
    assert rows[aid("bekanntheit", "act")]["priority_label"] == "low"  # 1 + 1 concern
    assert (
        "Priorität niedrig (2 Punkte: 1 Aussage, 1 für Bedarf/Bedenken; Regel"
        in (rows[aid("bekanntheit", "act")]["rationale"])
    )
    # nothing disappears: q01 is "not yet assigned"
    assert unassigned(tagged)["record_id"].tolist() == ["q01"]


def test_2017_english_titles(tagged_2017):
    tagged, codebook = tagged_2017
    rows = by_id(derive_actions(tagged, codebook, lang="en"))
    assert rows[aid("fuehrungskraefte", "keep")]["title"] == (
        "Expand capacity: Leadership development programme"
    )
    assert rows[aid("fuehrungskraefte", "keep")]["priority_label"] == "medium"
    points = rows[aid("grundqualifizierung", "act")]["points"]
    assert "Long-range personnel and needs planning (q03; owner: Jobcenter management)" in points


def test_merge_off_gives_one_item_per_code_on_the_2017_workshop(tagged_2017):
    tagged, codebook = tagged_2017
    merged = derive_actions(tagged, codebook)
    single = derive_actions(tagged, codebook, merge=False)
    assert (len(merged), len(single)) == (6, 11)
    # the ids of the merged-away items point to the item they went into
    assert merged.attrs["aliases"][aid("wartezeiten", "act")] == aid("grundqualifizierung", "act")
    assert merged.attrs["aliases"][aid("digitalisierung", "act")] == aid("fortbildung", "act")
    rows = by_id(single)
    planning = rows[aid("personal_bedarfsplanung", "act")]
    assert planning["title"] == "Längerfristig angelegte Personal- und Bedarfsplanung"  # q03
    assert planning["owner"] == "Jobcenter-Geschäftsführung"
    assert planning["points"] == []
    # min_support 1: no item is thin, so nothing is merged either
    assert len(derive_actions(tagged, codebook, min_support=1)) == 11


def test_merge_settings_from_codebook_block_and_overrides(tagged_2017, tmp_path):
    from workshop_analysis.codebook import load_codebook
    from workshop_analysis.config import SAMPLE_CODEBOOK

    tagged, _ = tagged_2017
    text = Path(SAMPLE_CODEBOOK).read_text(encoding="utf-8")
    off = tmp_path / "codebook.yaml"
    off.write_text(text + "\nactions:\n  merge: false\n", encoding="utf-8")
    codebook = load_codebook(off)
    assert codebook.actions == {"merge": False}
    assert len(derive_actions(tagged, codebook)) == 11
    # the overrides' settings win over the codebook, the arguments over both
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("actions:\n  settings: {merge: true}\n", encoding="utf-8")
    assert len(derive_actions(tagged, codebook, overrides)) == 6
    assert len(derive_actions(tagged, codebook, overrides, merge=False)) == 11
    bad = tmp_path / "bad.yaml"
    bad.write_text(text + "\nactions:\n  min_support: 0\n", encoding="utf-8")
    with pytest.raises(InputError, match="min_support"):
        load_codebook(bad)


def test_codebook_title_template_wins_over_the_drafted_title(tagged_2017, tmp_path):
    from workshop_analysis.codebook import load_codebook
    from workshop_analysis.config import SAMPLE_CODEBOOK

    tagged, _ = tagged_2017
    path = tmp_path / "codebook.yaml"
    path.write_text(
        Path(SAMPLE_CODEBOOK).read_text(encoding="utf-8")
        + '\nactions:\n  titles:\n    passgenau: "{label} ausbauen"\n',
        encoding="utf-8",
    )
    rows = by_id(derive_actions(tagged, load_codebook(path)))
    item = rows[aid("passgenau", "act")]
    assert item["title"] == "Mehr regionale und passgenaue Fortbildungsangebote ausbauen"
    assert "Titel aus dem Codebuch" in item["rationale"]


def test_override_naming_a_merged_code_applies_to_its_merged_item(tagged_2017, tmp_path):
    tagged, codebook = tagged_2017
    overrides = tmp_path / "overrides.yaml"
    # written when "Wartezeiten" was an item of its own (before thin items were merged)
    overrides.write_text(
        f"actions:\n  {aid('wartezeiten', 'act')}: {{priority_label: mittel}}\n",
        encoding="utf-8",
    )
    rows = by_id(derive_actions(tagged, codebook, overrides))
    merged = rows[aid("grundqualifizierung", "act")]
    assert merged["priority_label"] == "medium"
    assert "vom Analysten gesetzt" in merged["rationale"]


# ------------------------------------------------------------------ cues in the text


def test_kurzfristig_in_a_statement_makes_the_item_short_with_the_cue_and_its_offsets(
    tagged, codebook
):
    bekannt = by_id(derive_actions(tagged, codebook))[BEKANNT]
    text = "Bestehende Angebote kurzfristig bekannt machen."  # t08
    start = text.index("kurzfristig")
    assert bekannt["horizon"] == "short"  # the codebook says long
    assert f"„kurzfristig“ in t08 (Zeichen {start}–{start + 11})" in bekannt["rationale"]


def test_soforthilfe_is_no_sofort_cue():
    # Ehingen e21 "Zentrale Anlaufstelle einrichten: Soforthilfe …": a noun, not "at once"
    tagged, codebook, _ = _eval_workshop("ehingen_zw2012")
    row = next(
        r for r in derive_actions(tagged, codebook).to_dict("records") if "e21" in r["evidence"]
    )
    assert row["horizon"] == "long"
    assert "sofort" not in row["rationale"]
    assert "nach Codebuch-Vorgabe" in row["rationale"]


def test_named_actor_as_agent_sets_the_owner_over_the_codebook_default(tagged_2017):
    tagged, codebook = tagged_2017
    # if q17 ("… kann die Servicestelle SGB II ergänzend informieren.") were a participant's
    # statement rather than the organisers' follow-up, it would join q15 in the field item
    # "Regionale Angebote" (default owner BA) and name the Servicestelle as the agent
    tagged = tagged.copy()
    tagged.loc[tagged["record_id"] == "q17", "follow_up"] = False
    rows = by_id(derive_actions(tagged, codebook))
    item = rows[aid("regionale_angebote", "act")]
    assert item["evidence"] == ["q15", "q17"]
    assert item["owner"] == "Servicestelle SGB II"
    assert "Zuständigkeit Servicestelle SGB II wegen „Servicestelle“ in q17" in item["rationale"]
    # "für die Jobcenter" in q06 names those affected, not an owner
    assert (
        "Zuständigkeit BA nach Codebuch-Vorgabe"
        in (rows[aid("grundqualifizierung", "act")]["rationale"])
    )


def test_english_actor_cue_with_offsets():
    import dataclasses

    tagged, codebook, _ = _eval_workshop("swc_debriefing_2015_03")
    # make the default owner of the set-up code someone else: the text names the agent
    codes = tuple(
        dataclasses.replace(c, owner="Workshop hosts") if c.id == "setup" else c for c in codebook
    )
    codebook = dataclasses.replace(codebook, codes=codes)
    row = next(
        r
        for r in derive_actions(tagged, codebook, lang="en").to_dict("records")
        if "s14" in r["evidence"]
    )
    assert row["owner"] == "Instructors"  # "Instructors should always carry a few thumb drives"
    assert "owner Instructors because of “Instructors” in s14 (chars 0–11)" in row["rationale"]


# ------------------------------------------------------------------ real evaluation workshops

EVAL = Path(__file__).resolve().parent / "fixtures" / "actions_eval"


def _eval_workshop(name: str):
    from workshop_analysis.codebook import load_codebook
    from workshop_analysis.io import read_records
    from workshop_analysis.kinds import infer_kinds
    from workshop_analysis.tagging import tag

    folder = EVAL / name
    codebook = load_codebook(folder / "codebook.yaml")
    records = infer_kinds(read_records(folder / "records.csv"))
    return tag(records, codebook).records, codebook, folder


@pytest.mark.parametrize("name", sorted(p.name for p in EVAL.iterdir() if p.is_dir()))
def test_every_need_wish_and_concern_is_evidence_or_unassigned(name):
    tagged, codebook, _ = _eval_workshop(name)
    actions = derive_actions(tagged, codebook)
    evidence = {r for ev in actions["evidence"] for r in ev}
    missing = set(unassigned(tagged)["record_id"])
    acted = tagged.loc[tagged["kind"].isin(["need", "wish", "concern"]), "record_id"]
    assert set(acted) <= evidence | missing


def test_merging_condenses_a_real_workshop():
    tagged, codebook, _ = _eval_workshop("ehingen_zw2012")
    merged = derive_actions(tagged, codebook)
    single = derive_actions(tagged, codebook, merge=False)
    # "Verpflegung" (e17) and the field-only statement e22 are thin siblings: one item
    assert (len(single), len(merged)) == (13, 12)
    field_item = by_id(merged)[aid("veranstaltung", "act")]
    assert field_item["evidence"] == ["e17", "e22"]
    assert field_item["points"] == [
        "Ablauf der Zukunftswerkstatt (e22)",
        "Verpflegung (e17)",
    ]
    # the report shows the rationale: the merged points are named there
    assert "Verpflegung (e17)" in field_item["rationale"]


#: Evaluation workshops where the issue's recall target is known to be missed (measured
#: on the held-out round 4; docs/actions.md says why). Strict: fixing it fails the test.
RECALL_MISSED = {
    "baselhack_retro2017": "recall 0.78: the reference joins and splits "
    "items across codes (held out, round 4)"
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            p.name,
            marks=pytest.mark.xfail(reason=RECALL_MISSED[p.name], strict=True)
            if p.name in RECALL_MISSED
            else (),
        )
        for p in sorted(EVAL.iterdir())
        if p.is_dir()
    ],
)
def test_eval_workshops_meet_recall_and_single_statement_targets(name):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from eval_actions import evaluate

    result = evaluate(EVAL / name)
    assert result["single"] <= max(0.25, result["ref single"]), name
    assert result["recall"] >= 0.8, name


def test_cli_actions_writes_csv_and_xlsx(tmp_path, capsys):
    from workshop_analysis.cli import main
    from workshop_analysis.config import SAMPLE_CODEBOOK, SAMPLE_OVERRIDES, SAMPLE_RECORDS

    status = main(
        [
            "actions",
            str(SAMPLE_RECORDS),
            "--codebook",
            str(SAMPLE_CODEBOOK),
            "--overrides",
            str(SAMPLE_OVERRIDES),
            "--out",
            str(tmp_path),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "6 action items (2 short-term, 4 long-term)" in out
    assert "nicht zugeordnet: 1" in out
    assert "q01: Die Aus- und Weiterbildung" in out
    back = pd.read_csv(tmp_path / "actions.csv", dtype=str)
    assert len(back) == 6
    assert set(back["priority_label"]) <= {"high", "medium", "low"}
    assert openpyxl.load_workbook(tmp_path / "actions.xlsx").sheetnames == [
        "kurzfristig",
        "längerfristig",
        "Belege",
        "nicht zugeordnet",
    ]


def test_cli_actions_reports_unknown_override_ids(tmp_path, capsys):
    from workshop_analysis.cli import main
    from workshop_analysis.config import SAMPLE_CODEBOOK, SAMPLE_RECORDS

    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("actions:\n  A-nothere: {horizon: short}\n", encoding="utf-8")
    status = main(
        [
            "actions",
            str(SAMPLE_RECORDS),
            "--codebook",
            str(SAMPLE_CODEBOOK),
            "--overrides",
            str(overrides),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "row 2, column 'A-nothere': unknown action id" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "actions.csv").exists()


def test_split_part_ids_must_be_new(tagged, codebook):
    overrides = {
        "actions": {WARTE: {"split": [{"id": PLANUNG, "records": ["t01"]}], "__line__": 5}}
    }
    with pytest.raises(InputError, match=f"split part id '{PLANUNG}' is already used"):
        derive_actions(tagged, codebook, overrides)


def test_english_horizon_cues_are_quoted_with_offsets():
    tagged, codebook, _ = _eval_workshop("devops4lib_spring2024")
    rows = derive_actions(tagged, codebook, lang="en").to_dict("records")
    series = next(r for r in rows if "d33" in r["evidence"])
    text = "DevOps4Lib should continue! Perhaps in one year?"  # d33
    start = text.index("in one year")
    assert series["horizon"] == "long"
    assert f"“in one year” in d33 (chars {start}–{start + 11})" in series["rationale"]
    seating = next(r for r in rows if "d22" in r["evidence"])
    assert seating["horizon"] == "short"
    assert "“next time” in d22" in seating["rationale"]


def test_a_negation_stays_in_the_drafted_title():
    # h01 of the Havighorst Planungswerkstatt: "keine hohen Einfriedungen zulassen"; the
    # title drafted from it once read "Hohen Einfriedungen zulassen" (the opposite)
    from workshop_analysis._titles import draft_title

    text = pd.read_csv(EVAL / "havighorst_pw2021" / "records.csv").set_index("record_id")
    h01 = text.loc["h01", "text"]
    clause = next(p.strip() for p in h01.split(";") if "Einfriedungen" in p)
    assert clause == "keine hohen Einfriedungen zulassen"
    assert draft_title([clause], "Wohnen", "de").casefold().startswith("keine hohen")


def test_titles_come_from_the_part_of_a_statement_about_the_item_and_do_not_repeat():
    # Havighorst's statements are whole group answers naming many topics; each item's
    # title must come from the part its own keywords matched, and no two items share one
    tagged, codebook, _ = _eval_workshop("havighorst_pw2021")
    actions = derive_actions(tagged, codebook)
    titles = actions["title"].tolist()
    assert len(set(titles)) == len(titles), titles
    fire = actions[actions["codes"].map(lambda c: any("feuerwehr" in x for x in c))]
    assert len(fire) == 1
    assert "Feuerwehr" in fire["title"].iloc[0]
    assert "Gastronomie" not in fire["title"].iloc[0]


@pytest.mark.parametrize("name", sorted(p.name for p in EVAL.iterdir() if p.is_dir()))
def test_facets_in_brackets_come_from_other_statements_and_repeat_nothing(name):
    # the points in brackets name what the item's other statements add: each is a word of
    # one of them, repeats no word of the head title or of an owner's name, at most three
    import re

    tagged, codebook, _ = _eval_workshop(name)
    lang = codebook.language or "de"
    actions = derive_actions(tagged, codebook, lang=lang)
    text = tagged.set_index("record_id")["text"]
    owners = {str(c.owner).casefold() for c in codebook if c.owner}
    for row in actions.itertuples():
        found = re.search(r"^(.*) \(([^()]*)\)$", row.title)
        if not found:
            continue
        head, facets = found.group(1), found.group(2).split(", ")
        assert 1 <= len(facets) <= 3, row.title
        said = " ".join(text[r] for r in row.evidence).casefold()
        head_words = {w.casefold() for w in re.findall(r"\w{4,}", head)}
        for facet in facets:
            assert facet.casefold() in said, (row.title, facet)
            assert facet.split()[-1].casefold() not in head_words, (row.title, facet)
            assert not any(facet.casefold() in o for o in owners), (row.title, facet)
        marker = "points in brackets from" if lang == "en" else "Stichworte in Klammern aus"
        assert marker in row.rationale, row.rationale


def test_facets_name_points_the_analyst_also_named():
    # Havighorst: "ÖPNV verbessern" is drafted from one group answer; the other answers
    # add the connections and the frequency, which the hand-written reference title (written
    # before any rule ran) names as "ÖPNV-Anbindung und Taktung"
    tagged, codebook, _ = _eval_workshop("havighorst_pw2021")
    actions = derive_actions(tagged, codebook)
    bus = actions[actions["title"].str.startswith("ÖPNV")]
    assert len(bus) == 1
    assert "Taktung" in bus["title"].iloc[0]
    # a facet is the noun, not its genitive form torn out of "… des Verkehrslärms"
    facets = " ".join(actions["title"])
    assert "Verkehrslärm" in facets
    assert "Verkehrslärms" not in facets
    # BaselHack: the "keep" item lists what else was praised (reference: "Keep: the
    # location, …, the technical infrastructure, the food, the relaxed atmosphere …")
    tagged, codebook, _ = _eval_workshop("baselhack_retro2017")
    keep = derive_actions(tagged, codebook, lang="en")
    title = keep.loc[keep["title"].str.startswith("Keep: Location"), "title"].iloc[0]
    assert "technical infrastructure" in title
    assert "food" in title


def test_german_modal_sentences_become_infinitive_titles():
    # as analysts write action items ("Die Sträucher schneiden"), not the participants'
    # "soll … werden"; a subject that acts on a second noun is the actor and stays
    from workshop_analysis._titles import draft_title

    records = pd.read_csv(EVAL / "gerhardplatz_spielplatz2016" / "records.csv")
    text = records.set_index("record_id")["text"]
    assert text["g08"] == "Die Sträucher sollen geschnitten werden"
    assert draft_title([text["g08"]], "Grün", "de") == "Sträucher schneiden"
    assert text["g16"] == "Der Basketballkorb soll niedriger hängen"
    assert draft_title([text["g16"]], "Ballspiel", "de") == "Basketballkorb niedriger hängen"
    assert draft_title(["Die Stadt soll Radwege bauen"], "Verkehr", "de") == (
        "Stadt soll Radwege bauen"  # the leading article goes, as in every title
    )
    assert draft_title(["Wir sollten mehr Pausen machen"], "Ablauf", "de").startswith("Wir")


def test_a_keep_title_names_the_praised_thing_not_a_concession_or_a_function_word():
    # ESE n06 praises the professionalism shown "trotz des Zwischenfalls": the incident is
    # not what is to be kept; TKF u06 once gave "Keep: Unconference gives sense of IT
    # personal development that"
    from workshop_analysis._titles import draft_title

    ese = pd.read_csv(EVAL / "ese_nachbereitung2015" / "records.csv").set_index("record_id")
    assert ese.loc["n06", "text"] == "Professionalität wurde trotz des Zwischenfalls gezeigt"
    assert draft_title([ese.loc["n06", "text"]], "Umgang", "de", thing=True) == ("Professionalität")
    tkf = pd.read_csv(EVAL / "tkf_unconference2015" / "records.csv").set_index("record_id")
    title = draft_title([tkf.loc["u06", "text"]], "Professional development", "en", thing=True)
    assert title.startswith("Unconference gives sense of")
    assert not title.endswith(" that")


def test_an_actor_named_in_the_text_takes_the_codebook_spelling():
    # Agile Coach Camp CZ 2016: statements say "organizers", the codebook's owner is
    # "Organisers"; the item's owner must not show a second spelling of the same actor
    tagged, codebook, _ = _eval_workshop("acccz_retro2016")
    assert tagged["text"].str.contains("organizers", case=False).any()
    owners = set(derive_actions(tagged, codebook)["owner"])
    assert owners == {"Organisers"}


def test_a_generic_municipality_in_the_text_is_the_codebooks_municipality():
    # Havighorst h18 makes "die Kommune" the agent; the codebook's owner is the concrete
    # "Gemeinde Oststeinbek": the item names that, and its rationale still quotes the cue
    tagged, codebook, _ = _eval_workshop("havighorst_pw2021")
    assert tagged["text"].str.contains("Kommune").any()
    actions = derive_actions(tagged, codebook)
    assert set(actions["owner"]) == {"Gemeinde Oststeinbek"}
    assert any("Kommune" in r for r in actions["rationale"])
