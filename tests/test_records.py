"""The record schema: normalisation and validation of DataFrames."""

from __future__ import annotations

import collections
import hashlib

import pandas as pd
import pytest

from workshop_analysis import (
    COLUMNS,
    InputError,
    config,
    normalise_records,
    records,
    validate_records,
)
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
        ("Forderung", "need"),
        ("Forderungen", "need"),
        ("Hürde", "concern"),
        ("Huerden", "concern"),
        ("Frage", "concern"),
        ("offene Fragen", "concern"),
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


# Two different statements whose ids collided when ids had 8 hex digits (found among the
# 100,000 rows of benchmarks/bench_scale.py): both start with sha1 digits 316dd990.
_COLLIDED_AT_8 = [
    (
        "Weiterbildungsangebote der BA",
        "Sehr bewährt haben sich Schulungen für „Quereinsteiger“ die regelmäßig "
        "aktualisiert werden, weil der Bedarf in den Teams sehr unterschiedlich ist. "
        "(Jobcenter Bremen, Team 19)",
    ),
    (
        "Offene Fragen",
        "Gut wäre Mentoring-Programme für Berufsanfänger für alle Beschäftigten "
        "gleichermaßen, damit neue Kolleginnen und Kollegen schneller sicher arbeiten. "
        "(Jobcenter München, Team 33)",
    ),
]


def _sha1(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def test_different_statements_with_the_same_short_hash_are_not_duplicates() -> None:
    (s1, t1), (s2, t2) = _COLLIDED_AT_8
    assert _sha1("bench", s1, t1)[:8] == _sha1("bench", s2, t2)[:8] == "316dd990"
    raw = pd.DataFrame({"section": [s1, s2], "text": [t1, t2]})
    out = normalise_records(raw, workshop="bench")
    assert out["record_id"].tolist() == [
        "r-" + _sha1("bench", s1, t1)[:12],
        "r-" + _sha1("bench", s2, t2)[:12],
    ]
    assert out["record_id"].str.len().tolist() == [14, 14]
    assert out["record_id"].is_unique


def test_colliding_short_ids_get_the_full_hash_whatever_the_row_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # with 1 hex digit, 40 statements must share short ids (only 16 exist)
    monkeypatch.setattr(records, "RECORD_ID_DIGITS", 1)
    texts = [f"Aussage {i}" for i in range(40)]
    raw = pd.DataFrame({"section": "A", "text": texts})
    out = normalise_records(raw, workshop="w")
    full = [_sha1("w", "A", t) for t in texts]
    short_count = collections.Counter(d[0] for d in full)
    expected = ["r-" + (d if short_count[d[0]] > 1 else d[0]) for d in full]
    assert out["record_id"].tolist() == expected
    assert out["record_id"].is_unique
    assert {len(r) for r in expected} <= {3, 42}
    assert 42 in {len(r) for r in expected}
    shuffled = normalise_records(raw.iloc[::-1].reset_index(drop=True), workshop="w")
    assert shuffled["record_id"].tolist() == expected[::-1]


def test_duplicate_statement_compares_text_not_id() -> None:
    raw = pd.DataFrame(
        {"section": ["A", "B", "A", "A"], "text": ["gleich", "gleich", "anders", "gleich"]}
    )
    with pytest.raises(InputError) as err:
        normalise_records(raw, workshop="w")
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (5, "text")
    assert problem.message == "same section and text as row 2 (duplicate statement)"


def test_text_limit_is_read_from_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "MAX_TEXT_CHARS", 5)
    raw = pd.DataFrame({"Aussage": ["kurz", "zu lang"]})
    with pytest.raises(InputError) as err:
        normalise_records(raw, workshop="w")
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, "Aussage")
    assert problem.message == "text is 7 characters long; at most 5 are accepted (a paste error?)"


@pytest.mark.parametrize(
    ("written", "hint"),
    [("Wunch", "did you mean 'wunsch', i.e. wish?"), ("Probelm", "did you mean 'problem'")],
)
def test_unknown_kind_suggests_the_nearest_word(written: str, hint: str) -> None:
    raw = pd.DataFrame({"Art": ["Bedarf", written], "Aussage": ["Mehr Zeit", "Weniger"]})
    with pytest.raises(InputError) as err:
        normalise_records(raw, workshop="w", file="f.csv")
    [problem] = err.value.problems
    assert (problem.row, problem.column) == (3, "Art")
    assert hint in problem.message


def test_unknown_kind_without_a_near_word_has_no_suggestion() -> None:
    raw = pd.DataFrame({"Art": ["Begeisterung"], "Aussage": ["Mehr Zeit"]})
    with pytest.raises(InputError) as err:
        normalise_records(raw, workshop="w")
    assert "did you mean" not in err.value.problems[0].message


def test_invisible_characters_inside_words_are_removed_so_keywords_match() -> None:
    from workshop_analysis.codebook import Code, Codebook
    from workshop_analysis.tagging import tag

    raw = pd.DataFrame(
        {
            "Aussage": [
                "Mehr Weiter\u00adbildung für Führungs\u200bkräfte",
                "Emoji 👩\u200d👧 bleibt",
            ]
        }
    )
    records = normalise_records(raw, workshop="w")
    assert records["text"].tolist() == [
        "Mehr Weiterbildung für Führungskräfte",
        "Emoji 👩\u200d👧 bleibt",
    ]
    codebook = Codebook((Code("wb", "Weiterbildung", keywords=("weiterbildung",)),))
    assert tag(records, codebook).records["codes"].tolist()[0] == ["wb"]


@pytest.mark.parametrize(
    "text", ["\u200b", "\u200b\u200d\u2060", "\u00ad \ufeff", "\u3164", " \u0301"]
)
def test_a_statement_needs_visible_text(text: str) -> None:
    raw = pd.DataFrame({"Aussage": ["Mehr Zeit", text]})
    with pytest.raises(InputError) as err:
        normalise_records(raw, workshop="w", file="f.csv")
    [problem] = err.value.problems
    assert (problem.row, problem.column) == (3, "Aussage")
    assert problem.message.startswith(("text has no visible character", "text is empty"))


def test_duplicate_column_labels_are_a_problem_not_a_crash() -> None:
    raw = pd.DataFrame([["Mehr Zeit", "Mehr Geld"]], columns=["Aussage", "Aussage"])
    with pytest.raises(InputError, match="column name appears twice"):
        normalise_records(raw, workshop="w", file="f.csv")


def test_optional_quote_and_follow_up_columns_are_kept_and_checked() -> None:
    from workshop_analysis.records import OPTIONAL_COLUMNS

    raw = pd.DataFrame(
        {
            "Aussage": ["a", "b", "c"],
            "Wiedergabe": ["wörtlich", "Sinngemäß", None],
            "Folgeschritt": ["ja", "", None],
        }
    )
    out = normalise_records(raw, workshop="w")
    assert list(out.columns)[-2:] == list(OPTIONAL_COLUMNS)
    assert out["quote"].tolist()[:2] == ["verbatim", "paraphrase"]
    assert pd.isna(out["quote"].iloc[2])
    assert out["follow_up"].tolist() == [True, False, False]
    # without them the table has exactly the schema's columns
    assert "quote" not in normalise_records(raw[["Aussage"]], workshop="w").columns
    bad = pd.DataFrame({"text": ["a"], "quote": ["wortgleich"], "follow_up": ["vielleicht"]})
    with pytest.raises(InputError) as err:
        normalise_records(bad, workshop="w")
    assert sorted(p.column for p in err.value.problems) == ["follow_up", "quote"]
