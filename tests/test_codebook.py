"""Loading, validating and saving codebook files (tests/fixtures/codebooks/)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from workshop_analysis.codebook import (
    Code,
    Codebook,
    CodebookWarning,
    load_codebook,
    save_codebook,
)
from workshop_analysis.errors import InputError


@pytest.fixture
def books(fixtures: Path) -> Path:
    return fixtures / "codebooks"


def problems_of(path: Path) -> list[tuple[int | None, str, str]]:
    with pytest.raises(InputError) as info:
        load_codebook(path)
    return [(p.row, p.column, p.message) for p in info.value.problems]


def test_loads_codes_in_file_order_with_lines(books: Path) -> None:
    cb = load_codebook(books / "qualifizierung.yaml")
    assert cb.name == "Qualifizierung in Jobcentern (Test)"
    assert cb.language == "de"
    assert cb.ids == ["qualifizierung", "weiterbildung", "grundqualifizierung", "fuehrung"]
    wb = cb["weiterbildung"]
    assert wb.keywords == ("weiterbildung", "*bildung", "fortbildung")
    assert wb.parent == "qualifizierung"
    assert wb.line == 11
    assert cb["grundqualifizierung"].exclude == ("keine einarbeitung",)
    assert cb["fuehrung"].title("en") == "Managers"
    # horizon and owner are inherited from the parent when not set
    assert cb.inherited("weiterbildung", "horizon") == "long"
    assert cb.inherited("grundqualifizierung", "horizon") == "short"
    assert cb.inherited("weiterbildung", "owner") == "BMAS"


def test_parent_without_keywords_is_fine(books: Path) -> None:
    cb = load_codebook(books / "qualifizierung.yaml")
    assert cb["qualifizierung"].keywords == ()
    assert [c.id for c in cb.children("qualifizierung")] == [
        "weiterbildung",
        "grundqualifizierung",
    ]


def test_duplicate_id_names_both_lines(books: Path) -> None:
    assert problems_of(books / "duplicate_id.yaml") == [
        (5, "id", "duplicate id 'weiterbildung' (first on line 2)")
    ]


def test_unknown_parent(books: Path) -> None:
    assert problems_of(books / "unknown_parent.yaml") == [
        (2, "parent", "unknown parent 'qualifzierung' of code 'weiterbildung'")
    ]


def test_cycle_is_reported_once(books: Path) -> None:
    (problem,) = problems_of(books / "cycle.yaml")
    assert problem[:2] == (2, "parent")
    assert problem[2] == "cycle of parents: a → c → b → a"


def test_missing_id(books: Path) -> None:
    assert problems_of(books / "missing_id.yaml") == [(2, "id", "every code needs an 'id'")]


def test_missing_label(books: Path) -> None:
    assert problems_of(books / "missing_label.yaml") == [
        (2, "label", "code 'weiterbildung' needs a 'label'")
    ]


def test_bad_horizon(books: Path) -> None:
    assert problems_of(books / "bad_horizon.yaml") == [
        (2, "horizon", "horizon 'mittel' is not one of short, long")
    ]


def test_unknown_key_suggests_the_right_one(books: Path) -> None:
    ((line, column, message),) = problems_of(books / "unknown_key.yaml")
    assert (line, column) == (2, "keywrods")
    assert "did you mean 'keywords'?" in message


def test_leaf_without_keywords_warns_and_is_applied_by_hand_only(books: Path) -> None:
    with pytest.warns(CodebookWarning, match=r"line 4: code 'weiterbildung' has no keywords"):
        codebook = load_codebook(books / "empty_keywords.yaml")
    assert codebook["weiterbildung"].keywords == ()


def test_malformed_keywords(books: Path) -> None:
    found = problems_of(books / "bad_keyword.yaml")
    assert [f[:2] for f in found] == [(2, "keywords")] * 3
    messages = " | ".join(f[2] for f in found)
    assert "'*' is only allowed at the start" in messages
    assert "keyword '!' is empty" in messages
    assert "must start and end with a letter or digit" in messages


def test_all_problems_reported_at_once(books: Path) -> None:
    found = problems_of(books / "many_errors.yaml")
    assert [(line, column) for line, column, _ in found] == [
        (3, "horizon"),
        (7, "id"),
        (10, "label"),
        (10, "parent"),
    ]
    with pytest.raises(InputError, match="4 problems found"):
        load_codebook(books / "many_errors.yaml")


def test_not_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_codebook(bad)
    with pytest.raises(InputError, match="file not found"):
        load_codebook(tmp_path / "nope.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("name: leer\n", encoding="utf-8")
    with pytest.raises(InputError, match="'codes' must be a non-empty list"):
        load_codebook(empty)


def test_round_trip_is_equal_and_deterministic(books: Path, tmp_path: Path) -> None:
    cb = load_codebook(books / "qualifizierung.yaml")
    first = save_codebook(cb, tmp_path / "a" / "codebook.yaml")
    again = load_codebook(first)
    assert again == cb
    second = save_codebook(again, tmp_path / "b.yaml")
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert "Führungskräfte" in text  # umlauts written as such, not escaped
    assert "line" not in text


def test_save_writes_a_hand_made_codebook(tmp_path: Path) -> None:
    cb = Codebook(
        (
            Code("q", "Qualität", keywords=("qualität",), horizon="short"),
            Code("q.sub", "Unterpunkt", parent="q", keywords=("*prüfung!", "straße")),
        ),
        name="x",
    )
    assert load_codebook(save_codebook(cb, tmp_path / "cb.yaml")) == cb


def test_corpus_check_quiet_when_every_keyword_matches(books: Path) -> None:
    texts = [
        "Die Weiterbildung und Fortbildung der Führungskräfte.",
        "Quereinsteiger brauchen Einarbeitung; Berufsanfänger und Grundqualifizierung auch.",
        "Die Leitung muss Change-Management lernen.",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cb = load_codebook(books / "qualifizierung.yaml", corpus=texts)
    assert len(cb) == 4


def test_corpus_check_names_code_line_and_keywords(books: Path) -> None:
    records = pd.DataFrame({"text": ["Weiterbildung für alle", "Nichts weiter."]})
    with pytest.warns(CodebookWarning) as record:
        load_codebook(books / "qualifizierung.yaml", corpus=records)
    messages = [str(w.message) for w in record]
    assert [m.split(": ", 1)[0].rsplit(", ", 1)[1] for m in messages] == [
        "line 11",
        "line 15",
        "line 21",
    ]
    assert messages[0].endswith(
        "keywords of code 'weiterbildung' match no text of the corpus: fortbildung"
    )
    assert messages[2].endswith(
        "keywords of code 'fuehrung' match no text of the corpus: "
        "führungskräfte, fuehrungskraefte, change management, leitung!"
    )


def test_no_corpus_no_warnings(books: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_codebook(books / "qualifizierung.yaml")


# --- issue 12: bounded YAML, keyword expansion, deep chains --------------------------------

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"


def test_alias_bomb_is_refused_quickly() -> None:
    import time

    started = time.perf_counter()
    with pytest.raises(InputError, match="an alias bomb") as err:
        load_codebook(BAD / "codebook-alias-bomb.yaml")
    assert time.perf_counter() - started < 1
    assert err.value.problems[0].row == 33  # code h's exclude: the anchor over the budget


def test_small_anchors_and_merge_keys_still_work(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(
        "codes:\n"
        "  - &base {id: a, label: A, keywords: &kw [wartezeit, kursbeginn], horizon: short}\n"
        "  - {<<: *base, id: b, label: B}\n"
        "  - {id: c, label: C, keywords: *kw}\n",
        encoding="utf-8",
    )
    book = load_codebook(path)
    assert [c.keywords for c in book] == [("wartezeit", "kursbeginn")] * 3
    assert book["b"].horizon == "short"


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text("codes: &c\n  - id: a\n    label: A\n    keywords: *c\n", encoding="utf-8")
    with pytest.raises(InputError, match="recursive alias"):
        load_codebook(path)


def test_duplicate_top_level_key_names_both_lines() -> None:
    assert problems_of(BAD / "codebook-duplicate-key.yaml") == [
        (
            7,
            "codes",
            "key 'codes' appears twice in this mapping (first on line 2); YAML would silently "
            "keep only the last one: merge them",
        )
    ]


def test_dates_and_big_numbers_are_text_or_a_message(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(
        "name: 2017-13-45\ncodes:\n  - {id: a, label: 2017-11-22, keywords: [a]}\n",
        encoding="utf-8",
    )
    book = load_codebook(path)
    assert (book.name, book["a"].label) == ("2017-13-45", "2017-11-22")
    path.write_text("name: " + "9" * 5000 + "\ncodes: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read a value"):
        load_codebook(path)


def test_keyword_expansion_is_bounded_per_keyword_and_per_codebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workshop_analysis import codebook as cbmod

    [(row, column, message)] = problems_of(BAD / "codebook-umlaut-expansion.yaml")
    assert (row, column) == (2, "keywords")
    assert "(2,048 spellings); at most 8 per keyword" in message
    path = tmp_path / "codebook.yaml"
    words = ", ".join(f"grüße{i}" for i in range(10))  # 10 keywords, 4 spellings each
    path.write_text(f"codes:\n  - {{id: a, label: A, keywords: [{words}]}}\n", encoding="utf-8")
    assert len(load_codebook(path)["a"].keywords) == 10
    monkeypatch.setattr(cbmod, "MAX_SPELLINGS", 39)
    [(row, column, message)] = problems_of(path)
    assert (row, column) == (1, "codes")
    assert "have 40 spellings together" in message


def test_codebook_check_reports_the_expansion(capsys: pytest.CaptureFixture[str]) -> None:
    from workshop_analysis.cli import main

    assert main(["codebook", "check", str(BAD / "codebook-umlaut-expansion.yaml")]) == 1
    assert "at most 8 per keyword" in capsys.readouterr().err


def test_three_thousand_deep_parent_chain_is_checked_fast(tmp_path: Path) -> None:
    import time

    lines = ["codes:"]
    for i in range(3000):
        lines += [f"  - id: c{i}", f"    label: C{i}", f"    keywords: [w{i}]"]
        lines += [f"    parent: c{i - 1}"] if i else []
    path = tmp_path / "deep.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    book = load_codebook(path)
    frame = book.to_frame()
    # linear: about 2 s on a busy 2-core machine; the quadratic check it replaced took > 60 s
    assert time.perf_counter() - started < 30
    assert frame["level"].tolist()[-1] == 2999
    assert set(frame["field"]) == {"c0"}
    assert book.ancestors("c3")[::-1] == ["c0", "c1", "c2"]
    # a cycle at the end of the long chain is still found, once
    path.write_text(
        path.read_text().replace("    keywords: [w0]\n", "    keywords: [w0]\n    parent: c2999\n")
    )
    [(row, column, message)] = problems_of(path)
    assert (row, column) == (2, "parent")
    assert message.startswith("cycle of parents: c0 → c2999 → c2998")


def test_codebook_does_not_reach_into_tagging() -> None:
    """Issue 11 point 8: the shared matcher helper lives in _text, not in tagging."""
    import workshop_analysis.codebook as cbmod

    source = Path(cbmod.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from \.tagging|import .*tagging)", source, re.M)
