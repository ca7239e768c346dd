"""Output folders: refused targets, all-or-nothing swaps, locks, killed runs, safe names."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_analysis import config
from workshop_analysis._output import MANIFEST, failed_folder, slug, staged_output
from workshop_analysis.cli import main
from workshop_analysis.errors import WorkshopAnalysisError


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _write(stage: Path, **files: str) -> None:
    for name, text in files.items():
        (stage / name).write_text(text, encoding="utf-8")


def test_a_run_replaces_its_own_output_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_output(out) as stage:
        _write(stage, **{"a.csv": "1", "b.csv": "1"})
    assert sorted(_tree(out)) == [MANIFEST, "a.csv", "b.csv"]
    with staged_output(out) as stage:
        _write(stage, **{"a.csv": "2"})
    # a.csv replaced; b.csv, written by the earlier run and not by this one, carried over
    assert _tree(out)["a.csv"] == b"2"
    assert _tree(out)["b.csv"] == b"1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no leftovers beside it


def test_a_failed_run_leaves_the_previous_output_and_keeps_its_own(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_output(out) as stage:
        _write(stage, **{"report.html": "old"})
    before = _tree(out)

    def planted_failure() -> None:
        with staged_output(out) as stage:
            _write(stage, **{"report.html": "half"})
            raise RuntimeError("planted")

    with pytest.raises(RuntimeError):
        planted_failure()
    assert _tree(out) == before
    assert (failed_folder(out) / "report.html").read_text(encoding="utf-8") == "half"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda t: Path("/"), "root or home"),
        (lambda t: Path.home(), "root or home"),
        (lambda t: t / "data", "holds the input file"),
        (lambda t: t / "mine", r"did not write \(notes.txt, private/key.txt\)"),
        (lambda t: t / "data" / "records.csv", "is a file"),
    ],
)
def test_targets_that_would_destroy_user_files_are_refused(
    tmp_path: Path, make: object, message: str
) -> None:
    (tmp_path / "data").mkdir()
    records = tmp_path / "data" / "records.csv"
    records.write_bytes(config.SAMPLE_RECORDS.read_bytes())
    (tmp_path / "mine" / "private").mkdir(parents=True)
    (tmp_path / "mine" / "notes.txt").write_text("my notes", encoding="utf-8")
    (tmp_path / "mine" / "private" / "key.txt").write_text("secret", encoding="utf-8")
    before = _tree(tmp_path)
    target = make(tmp_path)  # type: ignore[operator]
    with (
        pytest.raises(WorkshopAnalysisError, match=message),
        staged_output(target, inputs=[records]),
    ):
        pytest.fail("must not get here")
    assert _tree(tmp_path) == before


def test_cli_refuses_an_output_folder_holding_the_input(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "w"
    folder.mkdir()
    for name in ("records.csv", "codebook.yaml"):
        (folder / name).write_bytes((config.SAMPLE_DIR / name).read_bytes())
    before = _tree(tmp_path)
    for command in ("tag", "actions", "report"):
        assert main([command, str(folder / "records.csv"), "--out", str(folder)]) == 1
        assert "holds the input file" in capsys.readouterr().err
    assert _tree(tmp_path) == before


def test_a_second_run_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_output(out) as stage:
        _write(stage, **{"a.csv": "first"})
        second = staged_output(out)
        with pytest.raises(WorkshopAnalysisError, match="another workshop-analysis run"):
            second.__enter__()
    assert _tree(out)["a.csv"] == b"first"


_KILLED_RUN = """
import sys, time
from pathlib import Path
from workshop_analysis._output import staged_output
with staged_output(Path(sys.argv[1])) as stage:
    (stage / "report.html").write_text("new, half written")
    print("writing", flush=True)
    time.sleep(60)
"""


def test_a_killed_run_leaves_the_previous_output_and_no_stale_lock(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_output(out) as stage:
        _write(stage, **{"report.html": "old", "actions.csv": "old"})
    before = _tree(out)
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_RUN, str(out)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    child.stdout.close()
    assert _tree(out) == before
    # the next run takes over the dead run's lock and cleans its leftovers
    deadline = time.monotonic() + 5
    with staged_output(out) as stage:
        _write(stage, **{"report.html": "next"})
    assert time.monotonic() < deadline
    assert _tree(out)["report.html"] == b"next"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc", "etc"),
        ("..", "workshop"),
        ("a/b\\c", "a-b-c"),
        ("2017-11-22-bmas-qualifizierung", "2017-11-22-bmas-qualifizierung"),
        ("Köln Süd", "K-ln-S-d"),
    ],
)
def test_workshop_names_become_folder_names_that_stay_inside(name: str, expected: str) -> None:
    assert slug(name) == expected
    assert (Path("/reports") / slug(name)).resolve().parent == Path("/reports")


def test_xlsx_bytes_are_identical_between_runs(tmp_path: Path) -> None:
    """openpyxl stamps the save time into the file; re-runs must still be byte-identical."""
    import zipfile

    from workshop_analysis.io import write_table
    from workshop_analysis.pipeline import run

    tagged = run().tagged
    first = write_table(tagged, tmp_path / "a.xlsx")
    time.sleep(1.1)  # the zip and core.xml clocks count whole seconds
    second = write_table(tagged, tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as book:
        core = book.read("docProps/core.xml").decode()
        assert {info.date_time for info in book.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    assert "2000-01-01T00:00:00Z</dcterms:modified>" in core


_LAYOUTS = st.fixed_dictionaries(
    {
        "command": st.sampled_from(["tag", "actions", "export-qdpx"]),
        "out": st.sampled_from(["out", "w", "w/sub", "mine", "new/deeper", "."]),
        "foreign": st.booleans(),
        "earlier_run": st.booleans(),
    }
)


@settings(max_examples=20)
@given(layout=_LAYOUTS)
def test_commands_never_touch_files_outside_their_output(
    tmp_path_factory: pytest.TempPathFactory, layout: dict
) -> None:
    """Run a command in a sandbox; compare the tree before and after."""
    box = tmp_path_factory.mktemp("box")
    (box / "w").mkdir()
    for name in ("records.csv", "codebook.yaml", "overrides.yaml"):
        (box / "w" / name).write_bytes((config.SAMPLE_DIR / name).read_bytes())
    (box / "mine").mkdir()
    (box / "mine" / "notes.txt").write_text("mine", encoding="utf-8")
    out = box / layout["out"]
    if layout["earlier_run"] and layout["out"] not in ("w", ".", "mine"):
        assert main(["tag", str(box / "w" / "records.csv"), "--out", str(out)]) == 0
    if layout["foreign"] and out.is_dir():
        (out / "user-file.txt").write_text("keep me", encoding="utf-8")
    before = _tree(box)
    qdpx = layout["command"] == "export-qdpx"
    target = out / "p.qdpx" if qdpx else out

    def outside(tree: dict[str, bytes]) -> dict[str, bytes]:
        """The files a run into ``target`` must leave as they are."""
        written = (lambda p: p == target) if qdpx else (lambda p: p.is_relative_to(out))
        return {k: v for k, v in tree.items() if not written(box / k)}

    code = main([layout["command"], str(box / "w" / "records.csv"), "--out", str(target)])
    after = _tree(box)
    assert outside(after) == outside(before)  # nothing outside the output created/changed/lost
    for name, content in before.items():
        if name.endswith(("user-file.txt", "notes.txt")):
            assert after.get(name) == content  # user files survive, whatever happened
    if code == 0 and not qdpx:
        assert (out / MANIFEST).is_file()
    if code != 0:
        assert after == before  # a refused run changes nothing at all
