"""The command line: help, version, validate, errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workshop_analysis import __version__
from workshop_analysis.cli import main
from workshop_analysis.config import SAMPLE_RECORDS

RECORDS = Path(__file__).resolve().parent / "fixtures" / "records"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "validate" in capsys.readouterr().out


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SAMPLE_RECORDS)]) == 0
    assert "17 records, no problems found" in capsys.readouterr().out


def test_validate_lists_problems_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(RECORDS / "bad_rows.csv")]) == 1
    err = capsys.readouterr().err
    assert "row 5, column 'Art': unknown kind 'Begeisterung'" in err
    assert "Traceback" not in err


def test_module_entry_point_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workshop_analysis", "validate", str(RECORDS / "bad_binary.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "binary file" in result.stderr
    assert "Traceback" not in result.stderr


def test_unexpected_error_is_short_unless_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import workshop_analysis.io as io_module

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(io_module, "read_records", boom)
    assert main(["validate", str(SAMPLE_RECORDS)]) == 1
    assert "RuntimeError: disk on fire" in capsys.readouterr().err
    with pytest.raises(RuntimeError):
        main(["--debug", "validate", str(SAMPLE_RECORDS)])


# --- tag and codebook check (tagging work) ----------------------------------------------

CODEBOOKS = Path(__file__).resolve().parent / "fixtures" / "codebooks"


def test_tag_writes_records_and_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pandas as pd

    code = main(
        [
            "tag",
            str(SAMPLE_RECORDS),
            "--codebook",
            str(CODEBOOKS / "qualifizierung.yaml"),
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "17 records" in out
    records = pd.read_csv(tmp_path / "records.csv")
    assert len(records) == 17
    assert {"codes", "codes_manual", "kind", "kind_source", "kind_confidence", "kind_cue"} <= set(
        records.columns
    )
    assert records.loc[records["record_id"] == "q01", "codes"].item() == (
        "qualifizierung; weiterbildung"
    )
    evidence = pd.read_csv(tmp_path / "evidence.csv")
    assert list(evidence.columns) == [
        "record_id",
        "code",
        "origin",
        "keyword",
        "match",
        "start",
        "end",
    ]


def test_tag_finds_the_codebook_beside_the_records_like_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["tag", str(SAMPLE_RECORDS), "--out", str(out)]) == 0
    assert "16 coded, 1 uncoded" in capsys.readouterr().out
    assert (out / "records.csv").is_file()
    # a folder without a codebook: an error naming where it looked, never the sample's
    lone = tmp_path / "lone" / "records.csv"
    lone.parent.mkdir()
    lone.write_bytes(SAMPLE_RECORDS.read_bytes())
    for command in ("tag", "actions"):
        assert main([command, str(lone), "--out", str(tmp_path / command)]) == 1
        err = capsys.readouterr().err
        assert f"none found beside the records ({lone.parent / 'codebook.yaml'})" in err
        assert not (tmp_path / command).exists()


def test_codebook_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codebook", "check", str(CODEBOOKS / "qualifizierung.yaml")]) == 0
    assert "4 codes (2 top-level), 11 keywords, no errors" in capsys.readouterr().out
    assert main(["codebook", "check", str(CODEBOOKS / "many_errors.yaml")]) == 1
    err = capsys.readouterr().err
    assert "4 problems found" in err
    assert "row 7, column 'id': duplicate id 'weiterbildung'" in err
