"""Tests for the workshop archive: folders, templates, status files and action tracking."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workshop_analysis import config
from workshop_analysis.archive import (
    StatusWarning,
    is_template_codebook,
    list_workshops,
    load_status,
    load_workshop,
    new_workshop,
    status_counts,
    track_actions,
)
from workshop_analysis.codebook import load_codebook
from workshop_analysis.errors import InputError, WorkshopAnalysisError
from workshop_analysis.io import read_records
from workshop_analysis.overrides import load_overrides

FOLLOW_UP = "2018-11-21-bmas-qualifizierung-follow-up"


def test_bundled_archive_holds_only_real_workshops() -> None:
    found = list_workshops()
    assert [w.id for w in found] == [config.SAMPLE_WORKSHOP]
    assert found[0].records == config.SAMPLE_RECORDS
    assert not found[0].illustrative
    assert found[0].citation["url"].startswith("https://www.sgb2.info/")
    assert not (config.SAMPLE_DIR / "status.yaml").exists()  # the invented status moved


def test_example_archive_is_marked_illustrative_oldest_first() -> None:
    example = config.DATA_DIR / "examples" / "follow-up-archive"
    found = list_workshops(example)
    assert [w.id for w in found] == [config.SAMPLE_WORKSHOP, FOLLOW_UP]
    assert [w.date for w in found] == ["2017-11-22", "2018-11-21"]
    assert all(w.illustrative for w in found)
    assert found[0].records.resolve() == config.SAMPLE_RECORDS.resolve()  # real statements
    assert found[0].status == example / config.SAMPLE_WORKSHOP / "status.yaml"
    assert found[1].codebook == example / FOLLOW_UP / "codebook.yaml"
    assert "ILLUSTRATIVE" in (example / FOLLOW_UP / "README.md").read_text("utf-8")


def test_new_workshop_templates(tmp_path: Path) -> None:
    folder = new_workshop("2019-05-14-jobcenter-nord", tmp_path)
    assert folder == tmp_path / "2019-05-14-jobcenter-nord"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "README.md",
        "codebook.yaml",
        "overrides.yaml",
        "records.csv",
        "status.yaml",
        "workshop.yaml",
    ]
    # ';' and a BOM, as German Excel writes and opens CSV in columns
    raw = (folder / "records.csv").read_bytes()
    assert raw == "\ufeffrecord_id;workshop;section;source;date;kind;text;codes\n".encode()
    # a neutral template, not another workshop's codebook
    codebook_text = (folder / "codebook.yaml").read_text("utf-8")
    assert "BMAS" not in codebook_text
    assert "Jobcenter" not in codebook_text
    assert is_template_codebook(folder / "codebook.yaml")
    assert not is_template_codebook(config.SAMPLE_CODEBOOK)
    assert [c.id for c in load_codebook(folder / "codebook.yaml")] == [
        "example-field",
        "example-topic",
    ]
    # the commented templates read as "nothing yet"
    assert load_overrides(folder / "overrides.yaml") == {}
    assert load_status(folder / "status.yaml").empty
    ws = load_workshop(folder)
    assert (ws.id, ws.date, ws.title) == (
        "2019-05-14-jobcenter-nord",
        "2019-05-14",
        "2019-05-14-jobcenter-nord",
    )
    assert not ws.shared_codebook


def test_header_only_records_template_asks_for_records(tmp_path: Path) -> None:
    folder = new_workshop("2019-05-14-jobcenter-nord", tmp_path)
    with pytest.raises(InputError, match="no records"):
        read_records(folder / "records.csv")


def test_filled_template_is_read_with_the_folder_as_workshop(tmp_path: Path) -> None:
    folder = new_workshop("2019-05-14-jobcenter-nord", tmp_path)
    with (folder / "records.csv").open("a", encoding="utf-8") as fh:
        fh.write(";;Einarbeitung;JC Kiel;14.05.2019;Wunsch;Mehr Praxisbezug, mehr Zeit;\n")
        fh.write("n2;;Einarbeitung;;;;Lernvideos für Quereinsteiger;theorie_praxis\n")
    records = read_records(folder / "records.csv")
    assert records["workshop"].tolist() == ["2019-05-14-jobcenter-nord"] * 2
    assert records["kind"].tolist()[0] == "wish"
    assert records["date"].tolist()[0] == "2019-05-14"
    assert records["codes"].tolist()[1] == ["theorie_praxis"]
    assert list_workshops(tmp_path)[0].id == "2019-05-14-jobcenter-nord"


def test_new_workshop_copies_a_codebook_only_when_asked(tmp_path: Path) -> None:
    first = new_workshop("2019-05-14-nord", tmp_path, codebook=config.SAMPLE_CODEBOOK)
    assert (first / "codebook.yaml").read_bytes() == config.SAMPLE_CODEBOOK.read_bytes()
    second = new_workshop("2019-11-20-nord", tmp_path, from_workshop="2019-05-14-nord")
    assert (second / "codebook.yaml").read_bytes() == config.SAMPLE_CODEBOOK.read_bytes()
    with pytest.raises(WorkshopAnalysisError, match="not both"):
        new_workshop("2019-12-01-x", tmp_path, codebook=config.SAMPLE_CODEBOOK, from_workshop=first)


def test_new_workshop_refuses_an_existing_folder(tmp_path: Path) -> None:
    folder = new_workshop("2019-05-14-x", tmp_path)
    (folder / "records.csv").write_text("text\nschon erfasst\n", encoding="utf-8")
    with pytest.raises(WorkshopAnalysisError, match="already exists"):
        new_workshop("2019-05-14-x", tmp_path)
    assert (folder / "records.csv").read_text("utf-8") == "text\nschon erfasst\n"


@pytest.mark.parametrize("bad", ["", "Workshop Köln", "../escape", "a/b"])
def test_new_workshop_rejects_bad_ids(tmp_path: Path, bad: str) -> None:
    with pytest.raises(WorkshopAnalysisError, match="invalid workshop id"):
        new_workshop(bad, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_linked_shared_codebook(tmp_path: Path) -> None:
    shared = tmp_path / "shared-codebook.yaml"
    shared.write_bytes(config.SAMPLE_CODEBOOK.read_bytes())
    folder = new_workshop("2019-06-01-sued", tmp_path, codebook=shared, link_codebook=True)
    assert not (folder / "codebook.yaml").exists()
    assert "codebook: ../shared-codebook.yaml" in (folder / "workshop.yaml").read_text("utf-8")
    ws = load_workshop(folder)
    assert ws.codebook.resolve() == shared.resolve()
    assert ws.shared_codebook


def test_workshop_yaml_problems_name_the_line(tmp_path: Path) -> None:
    folder = tmp_path / "w1"
    folder.mkdir()
    (folder / "records.csv").write_text("text\nx\n", encoding="utf-8")
    (folder / "workshop.yaml").write_text(
        "id: w1\ntitel: Tippfehler\ncodebook: ../fehlt.yaml\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        load_workshop(folder)
    rows = [(p.row, p.column) for p in err.value.problems]
    assert rows == [(2, "titel"), (3, "codebook")]
    assert "fehlt.yaml" in str(err.value)


def test_folder_without_records_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "leer").mkdir()
    with pytest.raises(WorkshopAnalysisError, match="no records file"):
        load_workshop(tmp_path / "leer")
    assert list_workshops(tmp_path) == []


# --------------------------------------------------------------------------- status


def test_load_status_long_short_and_german_forms(fixtures: Path) -> None:
    status = load_status(fixtures / "archive" / "status-good.yaml")
    assert status["action_id"].tolist() == ["A-aaaa0001", "A-aaaa0002", "A-aaaa0003", "A-aaaa0004"]
    assert status["status"].tolist() == ["done", "in progress", "dropped", "in progress"]
    assert status["date"].tolist()[:2] == ["2018-06-30", "2018-09-01"]
    assert pd.isna(status["date"].iloc[2])
    assert status["note"].iloc[0] == "im BA-Newsletter 2/2018 vorgestellt"
    assert pd.isna(status["note"].iloc[3])


def test_unknown_status_names_its_line(fixtures: Path) -> None:
    path = fixtures / "archive" / "status-bad.yaml"
    with pytest.raises(InputError) as err:
        load_status(path)
    found = [(p.row, p.column) for p in err.value.problems]
    # line 4: status "fertig"; line 7: date 31.02.; line 9: key "notiz"; line 10: duplicate
    assert found == [(4, "status"), (7, "date"), (9, "notiz"), (10, "A-aaaa0001")]
    assert "unknown status 'fertig'" in str(err.value)
    assert "open, in progress, done, dropped" in str(err.value)


def test_missing_or_empty_status_is_empty(tmp_path: Path) -> None:
    assert load_status(tmp_path / "status.yaml").empty
    (tmp_path / "status.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert list(load_status(tmp_path / "status.yaml").columns) == [
        "action_id",
        "status",
        "date",
        "note",
    ]


# --------------------------------------------------------------------------- tracking


def _actions(rows: list[tuple[str, str, list[str]]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "action_id": a,
                "title": f"Titel {a}",
                "field": f,
                "codes": c,
                "horizon": "short",
                "owner": "BA",
            }
            for a, f, c in rows
        ]
    )


def _tagged(rows: list[tuple[str, str, list[str]]]) -> pd.DataFrame:
    return pd.DataFrame([{"record_id": r, "kind": k, "codes": c} for r, k, c in rows]).astype(
        {"record_id": "string", "kind": "string"}
    )


PREVIOUS = _actions(
    [
        ("A-1", "regional", ["bekanntheit"]),
        ("A-2", "grund", ["wartezeiten"]),
        ("A-3", "fortbildung", ["fuehrung"]),
        ("A-4", "grund", ["planung"]),
    ]
)
CURRENT = _tagged(
    [
        ("n1", "concern", ["bekanntheit", "regional"]),
        ("n2", "praise", ["grund", "wartezeiten"]),  # praise does not raise a need
        ("n3", "need", ["grund", "planung"]),
        ("n4", "wish", ["bekanntheit", "regional"]),
    ]
)
STATUS = pd.DataFrame(
    {
        "action_id": ["A-1", "A-2", "A-3"],
        "status": ["done", "done", "in progress"],
        "date": ["2018-03-01", None, None],
        "note": ["Newsletter", None, None],
    }
).astype("string")


def test_track_actions_carries_status_and_flags_needs_raised_again() -> None:
    before = (PREVIOUS.copy(deep=True), STATUS.copy(), CURRENT.copy(deep=True))
    out = track_actions(PREVIOUS, STATUS, CURRENT, _actions([("A-1", "regional", [])]))
    assert out["action_id"].tolist() == ["A-1", "A-2", "A-3", "A-4"]
    assert out["status"].tolist() == ["done", "done", "in progress", "open"]
    assert out["recorded"].tolist() == [True, True, True, False]
    assert out["status_date"].iloc[0] == "2018-03-01"
    assert out["field_raised"].tolist() == [True, True, False, True]
    assert out["codes_raised"].tolist() == [["bekanntheit"], [], [], ["planung"]]
    assert out["raised_by"].tolist() == [["n1", "n4"], [], [], ["n3"]]
    assert out["in_current_actions"].tolist() == [True, False, False, False]
    # A-1 is done but its need came back; A-2 is done and only praised
    assert out["raised_again_after_done"].tolist() == [True, False, False, False]
    pd.testing.assert_frame_equal(PREVIOUS, before[0])
    pd.testing.assert_frame_equal(STATUS, before[1])
    pd.testing.assert_frame_equal(CURRENT, before[2])


def test_track_actions_warns_about_status_for_unknown_ids() -> None:
    status = pd.DataFrame(
        {"action_id": ["A-9"], "status": ["done"], "date": [None], "note": [None]}
    ).astype("string")
    with pytest.warns(StatusWarning, match="A-9"):
        out = track_actions(PREVIOUS, status, CURRENT)
    assert out["status"].tolist() == ["open"] * 4


def test_status_counts_lists_every_status() -> None:
    out = track_actions(PREVIOUS, STATUS, CURRENT)
    assert status_counts(out).to_dict("list") == {
        "status": ["open", "in progress", "done", "dropped"],
        "count": [1, 1, 2, 0],
    }


def test_cli_new_creates_then_refuses(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from workshop_analysis.cli import main

    assert main(["new", "2019-05-14-nord", "--root", str(tmp_path), "--title", "Nord"]) == 0
    assert "created" in capsys.readouterr().out
    assert load_workshop(tmp_path / "2019-05-14-nord").title == "Nord"
    assert main(["new", "2019-05-14-nord", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "already exists" in err
    assert "Traceback" not in err


def test_status_of_merged_items_goes_to_the_item_they_went_into() -> None:
    from workshop_analysis.archive import fold_merged_status

    status = pd.DataFrame(
        {
            "action_id": ["A-1", "A-2", "A-3", "A-4"],
            "status": ["in progress", "done", "dropped", "done"],
            "date": ["2018-10-01", "2018-06-30", None, "2018-05-15"],
            "note": ["own entry", "shorter waits", "handed on", "two seminars"],
        }
    )
    # merged into A-1 (which has its own entry); A-4 into A-9 (which has none)
    aliases = {"A-2": "A-1", "A-3": "A-1", "A-4": "A-9"}
    out = fold_merged_status(status, aliases, {"A-1", "A-9"}).set_index("action_id")
    assert sorted(out.index) == ["A-1", "A-9"]
    assert out.loc["A-1", "status"] == "in progress"
    assert out.loc["A-1", "note"] == "own entry · merged: A-3 dropped; A-2 done 2018-06-30"
    assert out.loc["A-9", "status"] == "done"
    assert out.loc["A-9", "note"] == "two seminars (from A-4)"
    # nothing to fold: the table comes back as it was
    assert fold_merged_status(status, {}, {"A-1"}) is status
