"""The record schema: normalisation and validation of DataFrames."""

from __future__ import annotations

import pandas as pd
import pytest

from workshop_analysis import COLUMNS, InputError, normalise_records, validate_records
from workshop_analysis.records import DTYPES, canonical_column, normalise_kind, split_codes


@pytest.mark.parametrize(
    ("given", "kind"),
    [
        ("Bedarf", "need"),
        (" bedarfe ", "need"),
        ("Wunsch", "wish"),
        ("Wünsche", "wish"),
        ("LOB", "praise"),
        ("Kritik", "concern"),
        ("Problem", "concern"),
        ("Herausforderung", "concern"),
        ("praise", "praise"),
        ("", None),
        (None, None),
    ],
)
def test_kinds_in_german_and_english(given: object, kind: str | None) -> None:
    assert normalise_kind(given) == kind


def test_unknown_kind_raises() -> None:
    with pytest.raises(KeyError):
        normalise_kind("Begeisterung")


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Text", "text"),
        ("Art", "kind"),
        ("Bereich", "section"),
        ("Quelle", "source"),
        ("Record ID", "record_id"),
        ("Datum", "date"),
        ("Farbe", None),
    ],
)
def test_column_aliases(header: str, column: str | None) -> None:
    assert canonical_column(header) == column


def test_split_codes_sorts_and_deduplicates() -> None:
    assert split_codes(" b; a ;b;; ") == ["a", "b"]
    assert split_codes(None) == []


def test_normalise_gives_schema_columns_and_dtypes_without_mutating() -> None:
    raw = pd.DataFrame({"Aussage": ["  Mehr Praxis  "], "Art": ["Wunsch"], "Farbe": ["rot"]})
    before = raw.copy()
    out = normalise_records(raw, workshop="w1")
    pd.testing.assert_frame_equal(raw, before)
    assert list(out.columns) == list(COLUMNS)
    assert out.dtypes.astype(str).to_dict() == DTYPES
    assert out.loc[0, "text"] == "Mehr Praxis"
    assert out.loc[0, "kind"] == "wish"
    assert out.loc[0, "record_id"].startswith("r-")


def test_validate_reports_every_problem_with_spreadsheet_rows() -> None:
    raw = pd.DataFrame(
        {
            "record_id": ["a", "a", "c"],
            "workshop": ["w", "w", "w"],
            "text": ["ok", "", "ok too"],
            "kind": ["Lob", "Lob", "Jubel"],
        }
    )
    problems = validate_records(raw, file="input.csv")
    assert list(problems.columns) == ["file", "row", "column", "message"]
    assert problems[["row", "column"]].values.tolist() == [
        [3, "record_id"],
        [3, "text"],
        [4, "kind"],
    ]


def test_validate_accepts_a_valid_table() -> None:
    raw = pd.DataFrame({"workshop": ["w"], "text": ["ok"]})
    assert validate_records(raw).empty


def test_duplicate_statements_without_ids_are_named() -> None:
    raw = pd.DataFrame({"text": ["gleich", "gleich"], "section": ["A", "A"]})
    with pytest.raises(InputError) as err:
        normalise_records(raw, workshop="w")
    (problem,) = err.value.problems
    assert problem.row == 3
    assert "duplicate statement" in problem.message


def test_two_columns_meaning_the_same_are_an_error() -> None:
    raw = pd.DataFrame({"Text": ["a"], "Aussage": ["b"]})
    with pytest.raises(InputError, match="another column already provides"):
        normalise_records(raw, workshop="w")
