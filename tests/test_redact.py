"""Redaction of personal data before sharing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workshop_analysis.redact import redact


def _records(*texts: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"record_id": [f"r{i}" for i in range(len(texts))], "text": list(texts)}
    ).astype("string")


def test_emails_phones_and_saluted_names() -> None:
    records = _records(
        "Frau Dr. Weber (anna.weber@jobcenter-ge.de) lobte das Programm.",
        "Rückfragen an Herrn Meier, Tel. 030 / 123 45 67 oder +49 151 2345678.",
    )
    result = redact(records)
    assert result.records["text"].tolist() == [
        "[Name] ([E-Mail]) lobte das Programm.",
        "Rückfragen an [Name], Tel. [Telefon] oder [Telefon].",
    ]
    first = records.loc[0, "text"]
    log = result.log[result.log["record_id"] == "r0"]
    assert [first[s:e] for s, e in zip(log["start"], log["end"], strict=True)] == [
        "Frau Dr. Weber",
        "anna.weber@jobcenter-ge.de",
    ]


def test_numbers_that_are_not_phone_numbers_stay() -> None:
    text = "407 Jobcenter, SGB II seit 2005, Workshop am 22.11.2017 mit 10 Geschäftsführungen."
    assert redact(_records(text)).records.loc[0, "text"] == text


def test_listed_names_and_organisations() -> None:
    records = _records("Laut Schmidt fehlt Zeit; das Jobcenter Köln sieht das auch so.")
    out = redact(records, names=["Schmidt"]).records
    assert out.loc[0, "text"] == "Laut [Name] fehlt Zeit; das Jobcenter Köln sieht das auch so."


def test_input_is_not_mutated_and_dtype_kept() -> None:
    records = _records("Herr Meier")
    before = records.copy()
    out = redact(records).records
    pd.testing.assert_frame_equal(records, before)
    assert out["text"].dtype == records["text"].dtype


def test_cli_writes_redacted_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workshop_analysis.cli import main
    from workshop_analysis.io import read_records

    source = tmp_path / "in.csv"
    source.write_text("Text;Quelle\nHerr Meier lobte;Frau Weber\nGut;JC Köln\n", encoding="utf-8")
    names = tmp_path / "names.txt"
    names.write_text("Weber\n", encoding="utf-8")
    assert (
        main(["redact", str(source), "--out", str(tmp_path / "out.csv"), "--names", str(names)])
        == 0
    )
    out = read_records(tmp_path / "out.csv")
    assert out["text"].tolist() == ["[Name] lobte", "Gut"]
    assert out["source"].tolist() == ["[Name]", "JC Köln"]
    assert "redacted: name: 2" in capsys.readouterr().out
