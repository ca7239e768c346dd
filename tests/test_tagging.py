"""Keyword tagging with German matching rules, evidence and overrides."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workshop_analysis.codebook import Code, Codebook, load_codebook
from workshop_analysis.config import SAMPLE_RECORDS
from workshop_analysis.errors import InputError
from workshop_analysis.io import read_records
from workshop_analysis.tagging import EVIDENCE_COLUMNS, TaggingWarning, TagResult, tag


def recs(*texts: str, codes: list[list[str]] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(1, len(texts) + 1)],
            "text": list(texts),
            "codes": codes if codes is not None else [[] for _ in texts],
        }
    )


def book(*keywords: str, exclude: tuple[str, ...] = ()) -> Codebook:
    return Codebook((Code("k", "K", keywords=keywords, exclude=exclude),))


def matches(texts: list[str], *keywords: str) -> list[str]:
    """The matched words (in text order) of one code with ``keywords``."""
    ev = tag(recs(*texts), book(*keywords)).evidence
    return ev["match"].tolist()


def check_offsets(result: TagResult) -> None:
    texts = dict(zip(result.records["record_id"], result.records["text"], strict=True))
    kw = result.evidence[result.evidence["origin"] == "keyword"]
    for row in kw.itertuples():
        assert texts[row.record_id][row.start : row.end] == row.match


# --- matching rules -------------------------------------------------------------------


def test_case_insensitive() -> None:
    assert matches(["WEITERBILDUNG und weiterbildung"], "Weiterbildung") == [
        "WEITERBILDUNG",
        "weiterbildung",
    ]


def test_word_start_and_longer_words() -> None:
    texts = ["Weiterbildungsangebote sind gut; Fortweiterbildung nicht."]
    assert matches(texts, "weiterbildung") == ["Weiterbildungsangebote"]


def test_star_matches_inside_compounds() -> None:
    texts = ["Weiterbildung, Ausbildung und Bildung; Bildungsurlaub auch."]
    assert matches(texts, "*bildung") == [
        "Weiterbildung",
        "Ausbildung",
        "Bildung",
        "Bildungsurlaub",
    ]


def test_exclamation_mark_means_whole_word() -> None:
    assert matches(["Der Bau und der Bauer, Neubau."], "bau!") == ["Bau"]
    assert matches(["Ausbildung, Ausbildungsplatz"], "*bildung!") == ["Ausbildung"]


def test_umlauts_and_eszett_match_transliterations_both_ways() -> None:
    assert matches(["Führungskräfte"], "fuehrungskraefte") == ["Führungskräfte"]
    assert matches(["Fuehrungskraefte"], "führungskräfte") == ["Fuehrungskraefte"]
    assert matches(["Straße und STRASSE"], "strasse") == ["Straße", "STRASSE"]
    assert matches(["Strasse"], "straße") == ["Strasse"]
    assert matches(["Übung, Uebung"], "übung") == ["Übung", "Uebung"]
    # ä/ae, ß/ss are one unit each: 'gros' is not a prefix of 'groß'
    assert matches(["groß"], "gros") == []
    assert matches(["großartig"], "gross") == ["großartig"]


def test_phrases_allow_white_space_line_breaks_and_hyphens() -> None:
    texts = ["Das Change-Managements ist wichtig", "Change\n  Management", "Changemanagement"]
    ev = tag(recs(*texts), book("change management")).evidence
    assert ev[["record_id", "match"]].values.tolist() == [
        ["r1", "Change-Managements"],
        ["r2", "Change\n  Management"],
    ]


def test_overlapping_keywords_of_different_codes_all_match() -> None:
    cb = Codebook(
        (
            Code("a", "A", keywords=("weiter",)),
            Code("b", "B", keywords=("weiterbildung",)),
            Code("c", "C", keywords=("*bildung",)),
            Code("d", "D", keywords=("berufliche weiterbildung",)),
        )
    )
    result = tag(recs("Berufliche Weiterbildung"), cb)
    assert result.records["codes"].tolist() == [["a", "b", "c", "d"]]
    assert result.evidence[["code", "match", "start"]].values.tolist() == [
        ["d", "Berufliche Weiterbildung", 0],
        ["a", "Weiterbildung", 11],
        ["b", "Weiterbildung", 11],
        ["c", "Weiterbildung", 11],
    ]


def test_exclude_prevents_the_code_in_that_record_only() -> None:
    cb = book("einarbeitung", exclude=("keine einarbeitung",))
    result = tag(recs("Es gibt keine Einarbeitung.", "Einarbeitung fehlt."), cb)
    assert result.records["codes"].tolist() == [[], ["k"]]
    assert result.evidence["record_id"].tolist() == ["r2"]


# --- offsets ----------------------------------------------------------------------------


def test_offsets_point_into_the_original_text_after_umlauts_and_eszett() -> None:
    text = "Größere Straßen: Maßnahmen für Führungskräfte und Weiterbildung"
    ev = tag(recs(text), book("weiterbildung", "fuehrungskraefte", "*nahmen")).evidence
    assert ev[["match", "start", "end"]].values.tolist() == [
        ["Maßnahmen", 17, 26],
        ["Führungskräfte", 31, 45],
        ["Weiterbildung", 50, 63],
    ]
    assert text[50:63] == "Weiterbildung"


def test_offsets_survive_characters_whose_lower_case_is_longer() -> None:
    # 'İ'.lower() has two characters; offsets must not shift
    text = "İİ İstanbul: ẞ-Weiterbildung"
    result = tag(recs(text, "ok Weiterbildung"), book("weiterbildung", "istanbul"))
    check_offsets(result)
    assert result.evidence[["match", "start"]].values.tolist() == [
        ["İstanbul", 3],
        ["Weiterbildung", 15],
        ["Weiterbildung", 3],
    ]


# --- parents, manual codes, overrides ---------------------------------------------------


@pytest.fixture
def cb(fixtures: Path) -> Codebook:
    return load_codebook(fixtures / "codebooks" / "qualifizierung.yaml")


def test_parent_applies_when_child_applies(cb: Codebook) -> None:
    result = tag(recs("Mehr Fortbildung", "Gute Leitung"), cb)
    assert result.records["codes"].tolist() == [["qualifizierung", "weiterbildung"], ["fuehrung"]]
    parent = result.evidence[result.evidence["origin"] == "parent"]
    assert parent[["record_id", "code", "keyword"]].values.tolist() == [
        ["r1", "qualifizierung", "weiterbildung"]
    ]
    assert parent[["match", "start", "end"]].isna().all().all()


def test_manual_codes_kept_unknown_ones_warned(cb: Codebook) -> None:
    data = recs("Nichts Passendes", "Fortbildung", codes=[["fuehrung"], ["zzz-neu"]])
    with pytest.warns(TaggingWarning, match="not in the codebook.*zzz-neu"):
        result = tag(data, cb)
    assert result.records["codes"].tolist() == [
        ["fuehrung"],
        ["qualifizierung", "weiterbildung", "zzz-neu"],
    ]
    assert result.records["codes_manual"].tolist() == [["fuehrung"], ["zzz-neu"]]
    manual = result.evidence[result.evidence["origin"] == "manual"]
    assert manual[["record_id", "code", "keyword"]].values.tolist() == [
        ["r1", "fuehrung", ""],
        ["r2", "zzz-neu", ""],
    ]


def test_without_codebook_only_manual_codes() -> None:
    result = tag(recs("Weiterbildung", "x", codes=[["b", "a"], []]))
    assert result.records["codes"].tolist() == [["a", "b"], []]
    assert result.evidence["origin"].tolist() == ["manual", "manual"]


def test_overrides_remove_and_add(cb: Codebook, fixtures: Path) -> None:
    data = recs("Weiterbildung", "Fortbildung", "x", "Theorie und Praxis")
    data["record_id"] = ["q01", "q02", "q03", "q04"]
    result = tag(data, cb, overrides=fixtures / "codebooks" / "overrides_ok.yaml")
    assert result.records["codes"].tolist() == [
        [],
        ["qualifizierung", "weiterbildung"],
        [],
        ["fuehrung"],
    ]
    assert "q01" not in set(result.evidence["record_id"])
    added = result.evidence[result.evidence["record_id"] == "q04"]
    assert added[["code", "origin"]].values.tolist() == [["fuehrung", "manual"]]


def test_override_with_unknown_record_and_code_names_lines(cb: Codebook, fixtures: Path) -> None:
    data = recs("Weiterbildung")
    data["record_id"] = ["q01"]
    path = fixtures / "codebooks" / "overrides_unknown.yaml"
    with pytest.raises(InputError) as info:
        tag(data, cb, overrides=path)
    found = [(p.row, p.message) for p in info.value.problems]
    assert found == [
        (3, "unknown record 'q99'"),
        (5, "unknown code 'weiterbldung' (not in the codebook)"),
    ]
    assert all(p.file == str(path) for p in info.value.problems)


def test_stale_remove_override_warns(cb: Codebook) -> None:
    overrides = {"codes": {"remove": [{"record": "r1", "code": "fuehrung", "__line__": 3}]}}
    with pytest.warns(TaggingWarning, match="line 3.*'fuehrung'.*stale"):
        result = tag(recs("Weiterbildung"), cb, overrides=overrides)
    assert result.records["codes"].tolist() == [["qualifizierung", "weiterbildung"]]


# --- contract -----------------------------------------------------------------------------


def test_evidence_columns_order_and_determinism(cb: Codebook) -> None:
    data = recs("Fortbildung und Weiterbildung", "Führungskräfte im Change Management")
    first = tag(data, cb)
    second = tag(data, cb)
    pd.testing.assert_frame_equal(first.evidence, second.evidence)
    pd.testing.assert_frame_equal(first.records, second.records)
    assert tuple(first.evidence.columns) == EVIDENCE_COLUMNS
    assert str(first.evidence["start"].dtype) == "Int64"
    ev = first.evidence
    assert ev[["record_id", "code", "origin", "start"]].astype(object).values.tolist() == [
        ["r1", "weiterbildung", "keyword", 0],
        ["r1", "weiterbildung", "keyword", 0],
        ["r1", "weiterbildung", "keyword", 16],
        ["r1", "weiterbildung", "keyword", 16],
        ["r1", "qualifizierung", "parent", pd.NA],
        ["r2", "fuehrung", "keyword", 0],
        ["r2", "fuehrung", "keyword", 0],
        ["r2", "fuehrung", "keyword", 18],
    ]
    # same record, start and code: ordered by keyword
    assert ev["keyword"].tolist()[:4] == ["*bildung", "fortbildung", "*bildung", "weiterbildung"]


def test_input_not_mutated(cb: Codebook) -> None:
    data = recs(
        "Weiterbildung",
        codes=[
            ["fuehrung"],
        ],
    )
    before = data.copy(deep=True)
    tag(data, cb)
    pd.testing.assert_frame_equal(data, before)


def test_missing_text_column_is_an_input_error(cb: Codebook) -> None:
    with pytest.raises(InputError, match="text"):
        tag(pd.DataFrame({"record_id": ["a"]}), cb)


def test_sample_workshop_with_test_codebook(cb: Codebook) -> None:
    records = read_records(SAMPLE_RECORDS)
    result = tag(records, cb)
    check_offsets(result)
    assert list(result.records.columns) == [*records.columns, "codes_manual"]
    by_id = dict(zip(result.records["record_id"], result.records["codes"], strict=True))
    # q01: "Die Aus- und Weiterbildung der Mitarbeiterinnen …" → weiterbildung (+ parent)
    assert by_id["q01"] == ["qualifizierung", "weiterbildung"]
    # q02: "… Quereinsteiger oder Berufsanfänger … Grundqualifizierung …"
    assert "grundqualifizierung" in by_id["q02"]
    q02 = result.evidence[
        (result.evidence["record_id"] == "q02") & (result.evidence["origin"] == "keyword")
    ]
    assert q02["match"].tolist() == ["Quereinsteiger", "Berufsanfänger", "Grundqualifizierung"]


def test_missing_overrides_file_is_an_error(cb: Codebook, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="overrides file not found"):
        tag(recs("Weiterbildung"), cb, overrides=tmp_path / "nope.yaml")


def test_empty_table_and_table_without_codes_column(cb: Codebook) -> None:
    empty = tag(recs(), cb)
    assert len(empty.records) == 0
    assert list(empty.evidence.columns) == list(EVIDENCE_COLUMNS)
    plain = pd.DataFrame({"record_id": ["a", "b"], "text": ["Fortbildung", pd.NA]})
    result = tag(plain, cb)
    assert result.records["codes"].tolist() == [["qualifizierung", "weiterbildung"], []]
    assert result.records["codes_manual"].tolist() == [[], []]


def test_lower_text_in_chunks_equals_lower(monkeypatch: pytest.MonkeyPatch) -> None:
    from workshop_analysis import _keywords

    text = "Große STRASSE, Äpfel und ΟΔΟΣ Σ İstanbul " * 50
    expected = text.replace("İ", "I").lower()
    monkeypatch.setattr(_keywords, "LOWER_CHUNK", 7)
    assert _keywords.lower_text(text) == expected
    assert len(_keywords.lower_text(text)) == len(text)


# --- the Aho–Corasick matcher: both text paths, chunks, corner cases ------------------


def code_matches(texts: list[str], cb: Codebook) -> list[list[object]]:
    result = tag(recs(*texts), cb)
    check_offsets(result)
    kw = result.evidence[result.evidence["origin"] == "keyword"]
    return kw[["code", "match", "start", "end"]].astype(object).values.tolist()


def test_keyword_and_its_whole_word_form_in_different_codes() -> None:
    cb = Codebook((Code("a", "A", keywords=("*bildung",)), Code("b", "B", keywords=("*bildung!",))))
    assert code_matches(["Ausbildungsplatz, Bildung"], cb) == [
        ["a", "Ausbildungsplatz", 0, 16],
        ["a", "Bildung", 18, 25],
        ["b", "Bildung", 18, 25],
    ]


def test_a_keyword_matches_whatever_longer_keywords_exist() -> None:
    cb = Codebook((Code("a", "A", keywords=("gros",)), Code("b", "B", keywords=("gross",))))
    assert code_matches(["Grossartig und groß"], cb) == [
        ["a", "Grossartig", 0, 10],
        ["b", "Grossartig", 0, 10],
        ["b", "groß", 15, 19],
    ]


def test_texts_beyond_latin1_follow_the_same_rules() -> None:
    # „ “ – and the separators U+2028, U+2009 are outside Latin-1 (other text path)
    text = "„Weiterbildung“ – Führungskräfte\u2028Change\u2009-  Management"
    cb = Codebook(
        (
            Code("w", "W", keywords=("weiterbildung",)),
            Code("f", "F", keywords=("*kraefte!",)),
            Code("c", "C", keywords=("change management",)),
        )
    )
    assert code_matches([text, "Weiterbildung"], cb) == [
        ["w", "Weiterbildung", 1, 14],
        ["f", "Führungskräfte", 18, 32],
        ["c", "Change\u2009-  Management", 33, 53],
        ["w", "Weiterbildung", 0, 13],
    ]


def test_keyword_with_punctuation_and_words_after_punctuation() -> None:
    cb = Codebook((Code("v", "V", keywords=("e.v",)), Code("w", "W", keywords=("bildung",))))
    assert code_matches(["Der Verein e.V. (Bildung) und eVa, Fortbildung"], cb) == [
        ["v", "e.V", 11, 14],
        ["w", "Bildung", 17, 24],
    ]


def test_very_long_words_are_matched_whole() -> None:
    word = "Aus" + "x" * 100 + "bildung" + "y" * 100
    assert code_matches([f"Ein {word}."], book("*bildung")) == [["k", word, 4, 214]]


def test_results_do_not_depend_on_chunking(monkeypatch: pytest.MonkeyPatch) -> None:
    from workshop_analysis import tagging

    texts = ["Weiterbildung  und\n\nChange -- Management", "", "Straße", "Groß-Führung"] * 3
    cb = Codebook(
        (
            Code("w", "W", keywords=("*bildung", "strasse")),
            Code("c", "C", keywords=("change management", "*fuehrung!")),
        )
    )
    whole = tag(recs(*texts), cb)
    monkeypatch.setattr(tagging, "CHUNK_CHARS", 5)
    chunked = tag(recs(*texts), cb)
    pd.testing.assert_frame_equal(whole.evidence, chunked.evidence)
    assert len(whole.evidence) == 3 * 4
    assert whole.evidence[["record_id", "match", "start", "end"]].values.tolist()[:4] == [
        ["r1", "Weiterbildung", 0, 13],
        ["r1", "Change -- Management", 20, 40],
        ["r3", "Straße", 0, 6],
        ["r4", "Führung", 5, 12],
    ]


def test_unknown_manual_codes_name_file_row_and_column() -> None:
    from workshop_analysis.config import SAMPLE_CODEBOOK
    from workshop_analysis.io import read_records_with_rows
    from workshop_analysis.tagging import unknown_manual_codes

    path = Path(__file__).resolve().parent / "fixtures" / "records" / "protocol.md"
    records, rows = read_records_with_rows(path)
    problems = unknown_manual_codes(records, load_codebook(SAMPLE_CODEBOOK), file="p.md", rows=rows)
    # line 12 of the protocol is the bullet that carries {codes: planung}
    assert [(p.file, p.row, p.column) for p in problems] == [("p.md", 12, "codes")]
    assert "code 'planung' is not in codebook.yaml" in problems[0].message


# --- regressions found by the property tests (tests/test_tagging_properties.py) ------------


def test_keyword_with_a_control_character_is_refused(tmp_path: Path) -> None:
    # was: '*a\x00b' matched across two records ('xa' + NUL + 'bx'), offsets past the text
    path = tmp_path / "codebook.yaml"
    path.write_text('codes:\n  - id: k\n    label: K\n    keywords: ["*a\\0b"]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2, column .keywords.: .*control character"):
        load_codebook(path)
    with pytest.raises(ValueError, match="control character"):
        tag(recs("xa", "bx"), book("*a\x00b"))
    assert tag(recs("xa", "bx"), book("*a\tb")).evidence.empty  # white space is a separator


# --- typographic text on the Latin-1 path (issue 18) ----------------------------------


def _utf32_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every text with a character outside Latin-1 down the UTF-32 path (as before
    the placeholder bytes), to compare the two paths."""
    from workshop_analysis import _keywords

    def strict(self: _keywords.Matcher, text: str) -> bytes | None:
        try:
            return text.encode("latin-1")
        except UnicodeEncodeError:
            return None

    monkeypatch.setattr(_keywords.Matcher, "_latin1", strict)


def _no_utf32(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any text takes the UTF-32 path (it lower-cases with lower_text)."""
    from workshop_analysis import _keywords

    def refuse(text: str) -> str:
        raise AssertionError(f"UTF-32 path taken for {text[:40]!r}")

    monkeypatch.setattr(_keywords, "lower_text", refuse)


GERMAN_TYPOGRAPHY = [
    "„Weiterbildung“ – für Führungskräfte … und ‚Quereinsteiger‘ — 500 € pro Kopf",
    "Change‑Management (geschütztes Minus) oder Change\u2009-\u2009Management?",
    "Straße → Weiterbildungsangebote, KELVIN: \u212a-Werte, Ångström \u212bngström",
    "ΣΟΦΟΣ sagt: „Fortbildung“ 👍🏽 und 🇩🇪 Weiterbildung…",
]


def test_german_typography_stays_on_the_latin1_path(monkeypatch: pytest.MonkeyPatch) -> None:
    cb = Codebook(
        (
            Code("w", "W", keywords=("weiterbildung", "*bildung!")),
            Code("f", "F", keywords=("fuehrungskraefte!", "quereinsteiger")),
            Code("c", "C", keywords=("change management", "kopf!", "kelvin", "k-werte")),
            Code("s", "S", keywords=("strasse", "angstrom")),
        )
    )
    _no_utf32(monkeypatch)
    result = tag(recs(*GERMAN_TYPOGRAPHY), cb)
    check_offsets(result)
    kw = result.evidence[result.evidence["origin"] == "keyword"]
    t1, t2, t3, t4 = GERMAN_TYPOGRAPHY
    assert kw[["record_id", "code", "match", "start"]].values.tolist() == [
        ["r1", "w", "Weiterbildung", t1.index("Weiterbildung")],  # *bildung!
        ["r1", "w", "Weiterbildung", t1.index("Weiterbildung")],  # weiterbildung
        ["r1", "f", "Führungskräfte", t1.index("Führungskräfte")],
        ["r1", "f", "Quereinsteiger", t1.index("Quereinsteiger")],
        ["r1", "c", "Kopf", t1.index("Kopf")],
        # U+2011 (non-breaking hyphen) is no separator; the thin spaces and '-' are
        ["r2", "c", "Change\u2009-\u2009Management", t2.index("Change\u2009")],
        ["r3", "s", "Straße", 0],
        ["r3", "w", "Weiterbildungsangebote", t3.index("Weiterbildungsangebote")],
        ["r3", "c", "KELVIN", t3.index("KELVIN")],
        ["r3", "c", "\u212a-Werte", t3.index("\u212a-Werte")],  # Kelvin sign: lower case k
        # Å (Ångström sign) is å, not a: 'angstrom' matches nothing
        ["r4", "w", "Fortbildung", t4.index("Fortbildung")],
        ["r4", "w", "Weiterbildung", t4.index("Weiterbildung…")],  # *bildung!
        ["r4", "w", "Weiterbildung", t4.index("Weiterbildung…")],  # weiterbildung
    ]


def test_keyword_outside_latin1_takes_the_utf32_path_and_matches() -> None:
    cb = Codebook((Code("e", "E", keywords=("e–learning",)), Code("g", "G", keywords=("σοφος!",))))
    texts = ["E–Learning-Kurse und E-Learning", "ΣΟΦΟΣ und „σοφος“, σοφοςx"]
    assert code_matches(texts, cb) == [
        ["e", "E–Learning", 0, 10],
        ["g", "ΣΟΦΟΣ", 0, 5],
        ["g", "σοφος", 11, 16],
    ]


def test_text_mostly_outside_latin1_gives_the_same_evidence_on_both_paths(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from workshop_analysis import _keywords

    unit = "Αθήνα Θεσσαλονίκη – Weiterbildung in Σπάρτη, Fortbildung „Ηράκλειο“ "
    text = unit * 80  # 400 runs of characters outside Latin-1
    cb = book("*bildung!", "in sparta")  # Σπάρτη is not sparta
    at = unit.index("Weiterbildung")
    expected = [[i * len(unit) + at, i * len(unit) + at + 13] for i in range(80)]
    lowered: list[str] = []
    with monkeypatch.context() as patch:  # too many handler calls: UTF-32 path
        patch.setattr(_keywords, "WIDE_RUN_CHARS", 1_000_000)
        patch.setattr(_keywords, "lower_text", lambda t: lowered.append(t) or t.lower())
        utf32 = tag(recs(text), cb).evidence
    assert lowered == [text]
    with monkeypatch.context() as patch:  # as many calls as needed: Latin-1 path
        patch.setattr(_keywords, "WIDE_RUN_CHARS", 1)
        _no_utf32(patch)
        latin1 = tag(recs(text), cb).evidence
    pd.testing.assert_frame_equal(utf32, latin1)
    assert utf32[["start", "end"]].values.tolist()[::2] == expected


def test_real_statements_with_dashes_give_the_same_evidence_on_both_paths(
    monkeypatch: pytest.MonkeyPatch, fixtures: Path
) -> None:
    records = read_records(fixtures / "kinds_dev.csv")  # 211 real statements, some with –
    cb = load_codebook(fixtures / "codebooks" / "qualifizierung.yaml")
    fast = tag(records, cb)
    _utf32_only(monkeypatch)
    slow = tag(records, cb)
    pd.testing.assert_frame_equal(fast.evidence, slow.evidence)
    pd.testing.assert_frame_equal(fast.records, slow.records)
    assert len(fast.evidence) > 20


# --- chunks on several threads (issue 18) ---------------------------------------------


def _many_records(fixtures: Path, copies: int) -> pd.DataFrame:
    records = read_records(fixtures / "kinds_dev.csv")
    big = pd.concat([records] * copies, ignore_index=True)
    big["record_id"] = pd.array([f"r{i}" for i in range(len(big))], dtype="string")
    return big


def test_threads_give_the_same_rows_in_the_same_order(
    monkeypatch: pytest.MonkeyPatch, fixtures: Path
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from workshop_analysis import tagging

    pools: list[int] = []

    class Spy(ThreadPoolExecutor):
        def __init__(self, workers: int, **kwargs: object) -> None:
            pools.append(workers)
            super().__init__(workers, **kwargs)  # type: ignore[arg-type]

    records = _many_records(fixtures, 20)
    cb = load_codebook(fixtures / "codebooks" / "qualifizierung.yaml")
    monkeypatch.setattr(tagging, "CHUNK_CHARS", 2_000)  # about 130 chunks
    monkeypatch.setattr(tagging, "ThreadPoolExecutor", Spy)
    monkeypatch.setattr(tagging, "THREADS", 1)
    serial = tag(records, cb)
    assert pools == []
    monkeypatch.setattr(tagging, "PARALLEL_MIN_RECORDS", 0)
    monkeypatch.setattr(tagging, "THREADS", 2)
    parallel = tag(records, cb)
    assert pools == [1]  # one thread scans while the calling thread folds and resolves
    pd.testing.assert_frame_equal(serial.evidence, parallel.evidence)
    pd.testing.assert_frame_equal(serial.records, parallel.records)
    assert len(serial.evidence) == 20 * len(tag(records.iloc[:211], cb).evidence) > 1000


def test_small_tables_stay_in_the_calling_thread(
    monkeypatch: pytest.MonkeyPatch, fixtures: Path
) -> None:
    from workshop_analysis import tagging

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a thread pool was started for a small table")

    records = _many_records(fixtures, 2)  # 422 records, far below PARALLEL_MIN_RECORDS
    monkeypatch.setattr(tagging, "CHUNK_CHARS", 2_000)  # many chunks all the same
    monkeypatch.setattr(tagging, "THREADS", 4)
    monkeypatch.setattr(tagging, "ThreadPoolExecutor", no_pool)
    result = tag(records, load_codebook(fixtures / "codebooks" / "qualifizierung.yaml"))
    assert len(result.evidence) > 0
