"""Tests for suggest.py: frequent terms, phrases and the starter codebook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workshop_analysis.cli import main
from workshop_analysis.io import read_records
from workshop_analysis.suggest import stem, suggest_codes, write_starter_codebook


@pytest.fixture
def records(fixtures: Path) -> pd.DataFrame:
    return read_records(fixtures / "suggest_records.csv")


def test_stem_merges_inflections_and_umlaut_spellings() -> None:
    assert stem("Fortbildungen") == stem("Fortbildung") == "fortbildung"
    assert stem("Führungskräfte") == stem("Fuehrungskraefte") == stem("Führungskraft")
    assert stem("Mitarbeiterinnen") == stem("Mitarbeitern") == stem("Mitarbeiter")
    assert stem("Prozesse") == stem("Prozess")  # no '-s' stripped after 's'
    assert stem("Akte") == "akte"  # at least four letters stay


def test_suggest_codes_counts_records_per_term(records: pd.DataFrame) -> None:
    out = suggest_codes(records, top=10, min_count=2).set_index("term")
    # "elektronische(n) Akte" in s4-s7: the phrase, "Akte" and "elektronische" each in 4
    assert out.loc["elektronische Akte", "count"] == 4
    assert out.loc["Akte", "count"] == 4
    # Fortbildung (s2, s3) + Fortbildungen (s1): one term, shown in a most frequent form
    assert out.loc["Fortbildung", "count"] == 3
    assert out.loc["Fortbildung", "forms"] == ["Fortbildung", "Fortbildungen"]
    # Führungskräfte (s1) and Fuehrungskraefte (s2) are one term; on the tie (1:1) the
    # spelling with umlauts is shown
    fk = out.loc["Führungskräfte"]
    assert fk["count"] == 2
    assert sorted(fk["forms"]) == ["Fuehrungskraefte", "Führungskräfte"]
    assert out.loc["Akte", "example_ids"] == ["s4", "s5", "s6"]  # first three, input order


def test_suggest_codes_drops_stop_words_and_rare_terms(records: pd.DataFrame) -> None:
    terms = {t.lower() for t in suggest_codes(records, top=50, min_count=2)["term"]}
    assert not terms & {"die", "wir", "mehr", "braucht", "gut", "wünschen", "der", "zur"}
    assert "verpflegung" not in terms  # only in one record
    assert "verpflegung" in {t.lower() for t in suggest_codes(records, top=50, min_count=1)["term"]}


def test_suggest_codes_order_and_top(records: pd.DataFrame) -> None:
    out = suggest_codes(records, top=3)
    assert list(out.columns) == ["term", "count", "forms", "example_ids"]
    assert len(out) == 3
    # count 4 first; among equal counts a phrase before single words, then alphabetical
    assert out["term"].tolist() == ["elektronische Akte", "Akte", "elektronische"]


def test_starter_codebook_loads_and_matches(records: pd.DataFrame, tmp_path: Path) -> None:
    from workshop_analysis.codebook import load_codebook

    suggestions = suggest_codes(records, top=5)
    path = write_starter_codebook(suggestions, tmp_path / "starter.yaml")
    book = load_codebook(path, corpus=records)  # no CodebookWarning: every keyword matches
    assert len(book) == 5
    assert book["fortbildung"].keywords == ("fortbildung",)
    assert book["elektronische_akte"].label == "elektronische Akte"
    assert book["akte"].parent is None
    assert "s4, s5, s6" in book["akte"].description
    # deterministic: writing twice gives the same file
    again = write_starter_codebook(suggestions, tmp_path / "again.yaml")
    assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_cli_suggest_codes(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "codebook.yaml"
    status = main(
        ["suggest-codes", str(fixtures / "suggest_records.csv"), "--top", "4", "--out", str(out)]
    )
    printed = capsys.readouterr().out
    assert status == 0
    assert "elektronische Akte" in printed
    assert "s4, s5, s6" in printed
    assert out.is_file()
    assert f"wrote {out}" in printed
