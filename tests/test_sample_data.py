"""The bundled 2017 workshop against its source: quotes, sources, follow-up, citation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workshop_analysis import config
from workshop_analysis.archive import load_workshop
from workshop_analysis.io import read_records

#: The article's text as stored in the development environment (not redistributed here).
SEED_NAME = "praktiker-workshop-qualifizierung-2017.txt"
SEEDS = [
    Path("/work/shared/seed") / SEED_NAME,
    config.DATA_DIR.parent.parent / "shared" / "seed" / SEED_NAME,  # ../shared beside the repo
]


def _seed() -> str:
    for path in SEEDS:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.skip(
        "the source article is not here (looked for "
        + " and ".join(str(p) for p in SEEDS)
        + "): the verbatim check needs the shared seed folder"
    )


def _words(text: str) -> str:
    """Compare word for word: line breaks and runs of spaces count as one space."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def records():
    return read_records(config.SAMPLE_RECORDS)


def test_every_verbatim_record_occurs_word_for_word_in_the_article(records) -> None:
    article = _words(_seed())
    verbatim = records[records["quote"] == "verbatim"]
    assert len(verbatim) >= 10
    missing = [r.record_id for r in verbatim.itertuples() if _words(r.text) not in article]
    assert missing == []


def test_paraphrases_are_not_in_the_article_word_for_word(records) -> None:
    article = _words(_seed())
    others = records[records["quote"] != "verbatim"]
    assert len(others) >= 1
    # a record that is in the article word for word should say so
    assert [r.record_id for r in others.itertuples() if _words(r.text) in article] == []


def test_every_record_states_how_it_renders_the_source(records) -> None:
    assert records["quote"].notna().all()
    assert set(records["quote"]) <= {"verbatim", "paraphrase", "summary"}


def test_sources_only_where_the_article_names_one(records) -> None:
    by_id = records.set_index("record_id")
    # the article speaks in its own voice in the introduction and in q12-q15
    for rid in ("q01", "q12", "q13", "q14", "q15"):
        assert by_id.loc[rid, "source"] is None or by_id.isna().loc[rid, "source"], rid
    assert by_id.loc["q16", "source"] == "Servicestelle SGB II"


def test_the_organisers_follow_up_is_marked_and_no_evidence(records) -> None:
    from workshop_analysis import pipeline

    assert records.loc[records["follow_up"], "record_id"].tolist() == ["q16", "q17"]
    analysis = pipeline.run()
    evidence = {rid for ids in analysis.actions["evidence"] for rid in ids}
    assert not evidence & {"q16", "q17"}
    assert "q16" not in analysis.unassigned["record_id"].tolist()


def test_workshop_yaml_cites_the_article() -> None:
    ws = load_workshop(config.SAMPLE_DIR)
    assert ws.citation["title"] == "Rückblick: Praktiker-Workshop „Qualifizierung“ im BMAS"
    assert ws.citation["date"] == "2017-12-06"
    assert ws.citation["url"] == (
        "https://www.sgb2.info/DE/Service/Meldungen/meldung-workshop-qualifizierung.html"
    )
    assert ws.citation["publisher"]
    assert ws.citation["licence"]
    assert "zehn" in ws.participants
    assert not ws.illustrative
