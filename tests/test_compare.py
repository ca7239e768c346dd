"""Tests for comparing workshops: hand-made results first, then the two bundled workshops."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workshop_analysis import config
from workshop_analysis.archive import Workshop
from workshop_analysis.codebook import Code, Codebook
from workshop_analysis.compare import WorkshopResult, compare_results, select_workshops
from workshop_analysis.errors import WorkshopAnalysisError

FIRST = config.SAMPLE_WORKSHOP
FOLLOW_UP = "2018-11-21-bmas-qualifizierung-follow-up"
#: The illustrative example archive (invented follow-up; not in the default archive).
EXAMPLE = config.DATA_DIR / "examples" / "follow-up-archive"


def _workshop(wid: str, date: str) -> Workshop:
    path = Path("/archive") / wid
    return Workshop(
        wid,
        path,
        wid.upper(),
        date,
        "de",
        path / "records.csv",
        path / "codebook.yaml",
        path / "overrides.yaml",
        path / "status.yaml",
    )


def _codebook(*extra: Code) -> Codebook:
    return Codebook(
        (
            Code("grund", "Grundqualifizierung", "Basic training"),
            Code("warten", "Wartezeiten", parent="grund"),
            Code("planung", "Planung", parent="grund"),
            Code("fortbildung", "Fortbildung"),
            Code("fuehrung", "Führungskräfte", parent="fortbildung"),
            *extra,
        )
    )


def _tagged(rows: list[tuple[str, str | None, list[str]]]) -> pd.DataFrame:
    return pd.DataFrame([{"record_id": r, "kind": k, "codes": c} for r, k, c in rows]).astype(
        {"record_id": "string", "kind": "string"}
    )


def _actions(rows: list[tuple[str, str, list[str]]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"action_id": a, "title": a, "field": f, "codes": c, "horizon": "short", "owner": "BA"}
            for a, f, c in rows
        ]
    )


NO_STATUS = pd.DataFrame(
    {c: pd.Series([], dtype="string") for c in ("action_id", "status", "date", "note")}
)

# 2017: 4 statements; 2018: 5 statements, a new field "lernen" only in 2018's codebook.
RESULTS = [
    WorkshopResult(
        _workshop("w2017", "2017-11-22"),
        _codebook(),
        _tagged(
            [
                ("a1", "concern", ["grund", "warten"]),
                ("a2", "wish", ["grund", "planung"]),
                ("a3", "praise", ["fortbildung", "fuehrung"]),
                ("a4", "need", []),
            ]
        ),
        pd.DataFrame(),
        _actions([("A-w", "grund", ["warten"]), ("A-p", "grund", ["planung"])]),
        pd.DataFrame(
            {
                "action_id": ["A-w", "A-p"],
                "status": ["done", "done"],
                "date": ["2018-05-01", None],
                "note": [None, None],
            }
        ).astype("string"),
    ),
    WorkshopResult(
        _workshop("w2018", "2018-11-21"),
        _codebook(Code("lernen", "Neue Lernformen"), Code("ki", "KI", parent="lernen")),
        _tagged(
            [
                ("b1", "need", ["grund", "planung"]),
                ("b2", "praise", ["grund", "warten"]),
                ("b3", "wish", ["ki", "lernen"]),
                ("b4", None, ["grund", "planung"]),
                ("b5", "wish", []),
            ]
        ),
        pd.DataFrame(),
        _actions([("A-p", "grund", ["planung"]), ("A-k", "lernen", ["ki"])]),
        NO_STATUS,
    ),
]


def test_counts_and_shares_per_field() -> None:
    comp = compare_results(RESULTS)
    got = comp.by_field.set_index(["workshop", "field"])
    # 2017: grund in a1, a2 of 4 statements; fortbildung in a3; lernen not in codebook
    assert got.loc[("w2017", "grund"), "count"] == 2
    assert got.loc[("w2017", "grund"), "share"] == 0.5
    assert got.loc[("w2017", "fortbildung"), "count"] == 1
    assert pd.isna(got.loc[("w2017", "lernen"), "count"])
    assert not got.loc[("w2017", "lernen"), "in_codebook"]
    # 2018: grund in b1, b2, b4 of 5; fortbildung 0 (but in the codebook); lernen 1
    assert got.loc[("w2018", "grund"), "count"] == 3
    assert got.loc[("w2018", "grund"), "share"] == pytest.approx(0.6)
    assert got.loc[("w2018", "fortbildung"), "count"] == 0
    assert got.loc[("w2018", "lernen"), "share"] == pytest.approx(0.2)
    assert comp.by_field["label"].tolist()[:3] == [
        "Grundqualifizierung",
        "Fortbildung",
        "Neue Lernformen",
    ]


def test_recurring_new_vanished_on_hand_made_results() -> None:
    comp = compare_results(RESULTS)
    # grund is raised (need/wish/concern) in both; planung too (a2 wish, b1 need, b4 unknown);
    # warten is only praised in 2018, so it does not recur
    assert comp.recurring[["level", "id"]].values.tolist() == [
        ["field", "grund"],
        ["code", "planung"],
    ]
    assert comp.recurring.set_index("id").loc["planung", "count"] == 3
    assert comp.recurring.set_index("id").loc["grund", "workshops"] == ["w2017", "w2018"]
    assert comp.new[["level", "id"]].values.tolist() == [["field", "lernen"], ["code", "ki"]]
    assert not comp.new["in_earlier_codebook"].any()
    assert comp.vanished[["level", "id", "count"]].values.tolist() == [
        ["field", "fortbildung", 1],
        ["code", "fuehrung", 1],
    ]
    assert comp.vanished["in_codebook"].all()
    assert comp.codebook_diff.to_dict("list") == {
        "code": ["lernen", "ki"],
        "label": ["Neue Lernformen", "KI"],
        "present_in": [["w2018"], ["w2018"]],
        "missing_from": [["w2017"], ["w2017"]],
    }


def test_kind_mix_and_tracking_on_hand_made_results() -> None:
    comp = compare_results(RESULTS)
    mix = comp.kind_mix.set_index(["workshop", "kind"])["count"]
    assert mix["w2017"].to_dict() == {"need": 1, "wish": 1, "praise": 1, "concern": 1, "unknown": 0}
    assert mix["w2018"].to_dict() == {"need": 1, "wish": 2, "praise": 1, "concern": 0, "unknown": 1}
    track = comp.tracking
    assert track["workshop"].tolist() == ["w2017", "w2017"]
    assert track["next_workshop"].tolist() == ["w2018", "w2018"]
    assert track["action_id"].tolist() == ["A-w", "A-p"]
    # A-p (planung) was done, yet b1/b4 raise it again; A-w (warten) was only praised
    assert track["raised_again_after_done"].tolist() == [False, True]
    assert track["raised_by"].tolist() == [[], ["b1", "b4"]]
    assert track["in_current_actions"].tolist() == [False, True]


def test_single_workshop_has_no_new_vanished_or_tracking() -> None:
    comp = compare_results(RESULTS[:1])
    assert comp.recurring.empty
    assert comp.new.empty
    assert comp.vanished.empty
    assert comp.tracking.empty
    assert comp.codebook_diff.empty


def test_unknown_workshop_id_lists_the_archive() -> None:
    with pytest.raises(WorkshopAnalysisError, match=f"unknown workshop id.*holds: {FIRST}"):
        select_workshops(None, ["2099-01-01-nope"])


def test_select_keeps_date_order() -> None:
    got = select_workshops(EXAMPLE, [FOLLOW_UP, FIRST])
    assert [w.id for w in got] == [FIRST, FOLLOW_UP]


# --------------------------------------------------------------------------- bundled archive
# Expected values worked out by hand from the two records.csv files and their codebooks
# (2017: 17 statements q01–q17; 2018, illustrative: 18 statements s01–s18).

GRUND, FORT, REGIO, LERN = (
    "grundqualifizierung",
    "fortbildung",
    "regionale_angebote",
    ("neue_lernformen"),
)


@pytest.fixture(scope="module")
def bundled():
    from workshop_analysis.compare import compare

    return compare(EXAMPLE)


def test_bundled_fields_recurring_new_vanished(bundled) -> None:
    fields = bundled.recurring[bundled.recurring["level"] == "field"]
    assert fields["id"].tolist() == [GRUND, REGIO]
    assert bundled.new[bundled.new["level"] == "field"]["id"].tolist() == [LERN]
    assert bundled.vanished[bundled.vanished["level"] == "field"]["id"].tolist() == [FORT]
    # fortbildung: q07–q11 in 2017; still in 2018's codebook, so it really vanished
    assert bundled.vanished.set_index("id").loc[FORT, "count"] == 5
    assert bundled.vanished["in_codebook"].all()


def test_bundled_codes_recurring_new_vanished(bundled) -> None:
    codes = bundled.recurring[bundled.recurring["level"] == "code"]
    # wartezeiten is mentioned in 2018 only as praise (s01), so it does not recur
    assert codes["id"].tolist() == [
        "personal_bedarfsplanung",
        "theorie_praxis",
        "passgenau",
        "bekanntheit",
    ]
    # pilotierungen: in 2017 only the organisers' announced follow-up (q16/q17) spoke of
    # pilots, which is not participants' feedback; in 2018 participants raise it: new
    new = bundled.new[bundled.new["level"] == "code"]
    assert new["id"].tolist() == ["pilotierungen", "e_learning", "ki_werkzeuge"]
    assert new.set_index("id")["in_earlier_codebook"].to_dict() == {
        "pilotierungen": True,
        "e_learning": False,
        "ki_werkzeuge": False,
    }
    vanished = bundled.vanished[bundled.vanished["level"] == "code"]
    assert vanished["id"].tolist() == [
        "sgb2_ausbildung",
        "fuehrungskraefte",
        "kompetenzzentren",
        "change_management",
        "digitalisierung",
    ]


def test_bundled_counts_shares_and_kind_mix(bundled) -> None:
    got = bundled.by_field.set_index(["workshop", "field"])
    assert got.loc[(FIRST, GRUND), "count"] == 5  # q02–q06
    assert got.loc[(FIRST, REGIO), "count"] == 4  # q12–q15 (q16/q17: organisers' follow-up)
    assert got.loc[(FIRST, FORT), "share"] == pytest.approx(5 / 15)
    assert pd.isna(got.loc[(FIRST, LERN), "count"])  # not in the 2017 codebook
    assert got.loc[(FOLLOW_UP, GRUND), "count"] == 6  # s01–s05, s11
    assert got.loc[(FOLLOW_UP, REGIO), "count"] == 5  # s06–s10
    assert got.loc[(FOLLOW_UP, LERN), "count"] == 7  # s11–s17
    assert got.loc[(FOLLOW_UP, FORT), "count"] == 0
    mix = bundled.kind_mix.set_index(["workshop", "kind"])["count"]
    # q16/q17 (the organisers' follow-up) are not participants' statements: not counted
    assert mix[FIRST].to_dict() == {"need": 3, "wish": 6, "praise": 2, "concern": 4}
    assert mix[FOLLOW_UP].to_dict() == {"need": 3, "wish": 8, "praise": 3, "concern": 4}
    assert bundled.workshops["records"].tolist() == [15, 18]  # participants' statements
    diff = bundled.codebook_diff
    assert diff["code"].tolist() == [LERN, "e_learning", "ki_werkzeuge"]
    assert diff["missing_from"].tolist() == [[FIRST]] * 3


def test_bundled_status_carries_over(bundled) -> None:
    track = bundled.tracking.set_index("action_id")
    assert set(bundled.tracking["workshop"]) == {FIRST}
    assert set(bundled.tracking["next_workshop"]) == {FOLLOW_UP}
    # made regional offers known: done in 2018-03, but s07 (concern) and s09 (need) raise it
    known = track.loc["A-e9d3f58d"]
    assert (known["status"], known["status_date"]) == ("done", "2018-03-15")
    assert known["raised_by"] == ["s07", "s09"]
    assert known["raised_again_after_done"]
    assert known["in_current_actions"]
    # the Grundqualifizierung item took in waiting times, planning, theory/practice and
    # SGB-II training (merged: thin siblings); status.yaml still names those old items:
    # the item's own entry counts, the merged entries are named in its note, none is lost
    basic = track.loc["A-c8ff6d19"]
    assert (basic["status"], basic["status_date"]) == ("in progress", "2018-10-01")
    for old in ("A-bdea9aea", "A-1561a8d6", "A-f33fd6ec"):
        assert old in basic["note"]
    assert "A-f33fd6ec done 2018-06-30" in basic["note"]
    assert basic["raised_by"] == ["s02", "s03", "s04", "s05", "s11"]
    assert not basic["raised_again_after_done"]
    # two thin further-training items merged: the later entry of the two counts
    training = track.loc["A-bd2cd1a5"]
    assert training["status"] == "in progress"
    assert "A-b640b6a6 done 2018-05-15" in training["note"]
    assert bundled.tracking["raised_again_after_done"].sum() == 1
    assert bundled.tracking["recorded"].sum() == 6


def test_compare_new_folder_with_shared_codebook(tmp_path: Path) -> None:
    import shutil

    from workshop_analysis.archive import new_workshop
    from workshop_analysis.compare import compare

    shutil.copytree(config.SAMPLE_DIR, tmp_path / FIRST)
    # the (invented) follow-up status of 2017 lives in the example archive only
    shutil.copy(EXAMPLE / FIRST / "status.yaml", tmp_path / FIRST / "status.yaml")
    shared = tmp_path / "shared-codebook.yaml"
    shared.write_bytes(config.SAMPLE_CODEBOOK.read_bytes())
    folder = new_workshop("2019-05-14-nord", tmp_path, codebook=shared, link_codebook=True)
    with (folder / "records.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            "n1;;Einarbeitung;JC Kiel;;Kritik;Die Wartezeiten bis zum ersten Lehrgang "
            "sind noch immer zu lang.;\n"
        )
        fh.write(
            "n2;;Fortbildung;JC Kiel;;Wunsch;Wir brauchen mehr Seminare zu Change Management.;\n"
        )
    comp = compare(tmp_path)
    assert comp.workshops["workshop"].tolist() == [FIRST, "2019-05-14-nord"]
    assert comp.workshops["shared_codebook"].tolist() == [False, True]
    assert comp.codebook_diff.empty
    assert comp.recurring["id"].tolist() == [
        "grundqualifizierung",
        "fortbildung",
        "wartezeiten",
        "change_management",
    ]
    assert comp.new.empty
    assert comp.vanished.loc[comp.vanished["level"] == "field", "id"].tolist() == [
        "regionale_angebote"
    ]
    # 2017's status says the waiting times were done, but they are now a point of the
    # merged Grundqualifizierung item, which is in progress: n1 raises it (not "after done");
    # the old entry stays visible in the item's note
    track = comp.tracking.set_index("action_id")
    assert track.loc["A-c8ff6d19", "raised_by"] == ["n1"]
    assert track.loc["A-c8ff6d19", "status"] == "in progress"
    assert "A-f33fd6ec done 2018-06-30" in track.loc["A-c8ff6d19", "note"]
    assert track.loc["A-bd2cd1a5", "raised_by"] == ["n2"]  # change management
    assert comp.tracking["raised_again_after_done"].sum() == 0


def test_the_organisers_follow_up_is_not_counted_as_feedback() -> None:
    """q16/q17 of the 2017 sample are the Servicestelle's announced follow-up (column
    ``follow_up``): the comparison counts participants' statements only."""
    from workshop_analysis.compare import run_workshop

    records = pd.read_csv(config.SAMPLE_RECORDS, dtype=str)
    follow_up = set(records.loc[records["follow_up"].fillna("").str.strip() != "", "record_id"])
    assert follow_up == {"q16", "q17"}
    result = run_workshop(config.SAMPLE_RECORDS.parent)
    assert len(result.tagged) == len(records) - 2
    assert not follow_up & set(result.tagged["record_id"])
    assert not follow_up & set(result.evidence["record_id"])
