"""The review loop: the queue, decisions written to overrides.yaml, applied by the pipeline."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from workshop_analysis import config, pipeline, review
from workshop_analysis.errors import WorkshopAnalysisError

DAY = dt.date(2026, 11, 28)


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    """A copy of the bundled workshop (its overrides.yaml has comments and an entry)."""
    folder = tmp_path / "w"
    shutil.copytree(config.SAMPLE_DIR, folder)
    return folder


def test_decisions_keep_the_file_s_comments_and_entries(workshop: Path) -> None:
    path = workshop / "overrides.yaml"
    before = path.read_text(encoding="utf-8")
    review.set_kind(path, "q05", "concern", note="Kritik an Wartezeiten", today=DAY)
    review.add_code(path, "q01", "grundqualifizierung", today=DAY)
    review.set_action(path, "A-c8ff6d19", horizon="short", note="mit BA abgestimmt", today=DAY)
    after = path.read_text(encoding="utf-8")
    # every comment line of the analyst's file is still there, in order
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    kept = [line for line in after.splitlines() if line.lstrip().startswith("#")]
    assert kept == comments
    assert 'title: "Grundqualifizierung für Quereinsteiger und Berufsanfänger sichern"' in after
    assert "note: Kritik an Wartezeiten (review 2026-11-28)" in after
    assert "- {record: q01, code: grundqualifizierung, note: review 2026-11-28}" in after
    assert "horizon: short" in after


def test_the_next_run_applies_the_decisions(workshop: Path) -> None:
    path = workshop / "overrides.yaml"
    review.set_kind(path, "q05", "praise", note="Test", today=DAY)
    review.add_code(path, "q01", "grundqualifizierung", today=DAY)
    review.set_action(path, "A-c8ff6d19", horizon="short", today=DAY)
    analysis = pipeline.run(workshop / "records.csv")
    rows = analysis.tagged.set_index("record_id")
    assert rows.loc["q05", "kind"] == "praise"
    assert rows.loc["q05", "kind_cue"] == "override: Test (review 2026-11-28)"
    assert "grundqualifizierung" in rows.loc["q01", "codes"]
    assert analysis.unassigned.empty
    item = analysis.actions.set_index("action_id").loc["A-c8ff6d19"]
    assert item["horizon"] == "short"


def test_a_priority_label_decision_is_applied(workshop: Path) -> None:
    path = workshop / "overrides.yaml"
    before = pipeline.run(workshop / "records.csv").actions.set_index("action_id")
    assert before.loc["A-c82125e9", "priority_label"] == "low"  # one praise statement
    review.set_action(path, "A-c82125e9", priority_label="high", note="Leitung", today=DAY)
    after = pipeline.run(workshop / "records.csv").actions.set_index("action_id")
    assert after.loc["A-c82125e9", "priority_label"] == "high"


def test_a_decision_made_twice_is_written_once(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"  # created on the first decision
    for _ in range(2):
        review.remove_code(path, "q05", "wartezeiten", today=DAY)
        review.set_kind(path, "q05", "need", today=DAY)
    text = path.read_text(encoding="utf-8")
    assert text.count("q05") == 2  # one kinds entry, one codes entry


def test_bad_decisions_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkshopAnalysisError, match="unknown kind 'lob'"):
        review.set_kind(tmp_path / "o.yaml", "q1", "lob")
    with pytest.raises(WorkshopAnalysisError, match="unknown action field 'colour'"):
        review.set_action(tmp_path / "o.yaml", "A-1", colour="red")
    assert not (tmp_path / "o.yaml").exists()


def test_queue_lists_what_an_analyst_should_check(workshop: Path) -> None:
    records = pd.read_csv(workshop / "records.csv", dtype=str, keep_default_na=False)
    records["kind"] = ""  # let the kinds be inferred
    records.to_csv(workshop / "records.csv", index=False)
    analysis = pipeline.run(workshop / "records.csv")
    queue = review.review_queue(analysis, low_confidence=1.01)
    statements = queue.loc[queue["item"] == "statement"]
    # every inferred kind is below 1.01, so every statement is listed exactly once
    assert sorted(statements["id"]) == sorted(analysis.tagged["record_id"])
    uncoded = set(analysis.unassigned["record_id"])
    pairs = zip(statements["id"], statements["reason"], strict=True)
    assert {r for r, why in pairs if "no code" in why} == uncoded
    single = analysis.actions.loc[analysis.actions["evidence"].map(len) == 1, "action_id"]
    assert sorted(queue.loc[queue["item"] == "action", "id"]) == sorted(single)


def test_review_widget_saves_through_the_function_api(workshop: Path) -> None:
    analysis = pipeline.run(workshop / "records.csv")
    form = review.review_widget(analysis)
    head, kind, *_rest, buttons, status = form.children
    assert "1/" in head.value
    first = review.review_queue(analysis).iloc[0]
    if first["item"] == "statement":
        kind.value = next(k for k in ("need", "praise") if k != first["kind"])
    note = next(c for c in form.children if getattr(c, "description", "") == "note")
    note.value = "im Test entschieden"
    buttons.children[0].click()
    assert "saved to overrides.yaml" in status.value
    assert "im Test entschieden" in (workshop / "overrides.yaml").read_text(encoding="utf-8")
