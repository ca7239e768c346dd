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
    got = select_workshops(None, [FOLLOW_UP, FIRST])
    assert [w.id for w in got] == [FIRST, FOLLOW_UP]
