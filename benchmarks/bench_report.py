"""Benchmark: ``workshop-analysis report`` on the bundled workshop and on 5,000 statements.

For each workshop it measures

* the wall time of the command as a user runs it (``workshop-analysis report --out …`` in a
  subprocess: interpreter start, imports, checks, notebooks, HTML export), and
* the split of one in-process :func:`workshop_analysis.report.render_report` call into the
  pipeline (run once, in the command's process), kernel start, notebook execution and HTML
  export,

plus the size of ``report.html``, and as a baseline measured in the same run the wall time
of the CLI on a one-cell notebook's worth of work: ``python -c "import nbclient"`` plus
executing an empty notebook in a fresh kernel (what any notebook-based report pays).
Targets (2-core machine, issue 18): bundled <= 8 s, 5,000 statements <= 20 s, report
< 2 MB. Run::

    .venv/bin/python benchmarks/bench_report.py            # or: make bench
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from workshop_analysis import config
from workshop_analysis.io import read_records
from workshop_analysis.report import render_report

TARGETS = {"bundled": 8.0, "5000": 20.0}
MAX_BYTES = 2_000_000
CLI = Path(sys.executable).with_name("workshop-analysis")


def generate(n: int, folder: Path, *, seed: int = 20171122) -> Path:
    """Write a workshop of ``n`` statements built from the sample's sentences.

    Each statement joins one or two sample sentences with a varied opening, so keyword
    matches, kinds and sections are spread like in a real (large) workshop.
    """
    rng = random.Random(seed)
    sample = read_records(config.SAMPLE_RECORDS)
    texts = sample["text"].astype(str).tolist()
    kinds = sample["kind"].astype(str).tolist()
    openings = ["", "Aus Sicht der Praxis: ", "Mehrfach genannt: ", "Ergänzend: ", "Wichtig: "]
    sections = [f"Tisch {i:02d}" for i in range(1, 41)]
    sources = [f"Jobcenter {c}" for c in ("Nord", "Süd", "Ost", "West", "Mitte")] + ["BA"]
    rows = []
    for i in range(n):
        j = rng.randrange(len(texts))
        text = rng.choice(openings) + texts[j]
        if rng.random() < 0.3:
            text += " " + texts[rng.randrange(len(texts))]
        rows.append(
            {
                "record_id": f"g{i + 1:05d}",
                "workshop": "generated-5000",
                "date": "2019-03-14",
                "section": rng.choice(sections),
                "source": rng.choice(sources),
                "kind": kinds[j] if rng.random() < 0.8 else "",
                "text": text,
                "codes": "",
            }
        )
    path = folder / "records.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def bench(name: str, records: Path | None, codebook: Path | None, work: Path) -> dict:
    """Time the CLI (wall) and one in-process run (split); return the figures."""
    cli_out = work / f"{name}-cli"
    args = [str(CLI), "report", "--out", str(cli_out)]
    if records is not None:
        args[2:2] = [str(records)]
    if codebook is not None:
        args += ["--codebook", str(codebook)]
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, cwd=work)
    wall = time.perf_counter() - start

    result = render_report(records, codebook=codebook, out_dir=work / f"{name}-api", progress=None)
    return {"name": name, "wall": wall, "report_bytes": result.report_bytes, **result.timings}


_EMPTY_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
NotebookClient(nb, kernel_name="python3").execute()
"""


def baseline(work: Path) -> float:
    """Wall time of executing a one-cell notebook in a fresh kernel, from a fresh process."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _EMPTY_NOTEBOOK], check=True, cwd=work)
    return time.perf_counter() - start


def main() -> int:
    """Run both benchmarks, print a table, return 1 if a target is missed."""
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        generated = generate(5000, work)
        floor = min(baseline(work) for _ in range(2))
        rows = [
            bench("bundled", None, None, work),
            bench("5000", generated, config.SAMPLE_CODEBOOK, work),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"baseline: an empty notebook in a fresh kernel from a fresh process {floor:.1f} s")
    print(
        f"{'workshop':<9} {'wall':>7} {'×base':>6} {'pipeline':>8} {'kernel':>7} {'execute':>8} "
        f"{'html':>6} {'report':>10}  target"
    )
    failed = False
    for r in rows:
        ok = r["wall"] < TARGETS[r["name"]] and r["report_bytes"] < MAX_BYTES
        failed |= not ok
        print(
            f"{r['name']:<9} {r['wall']:6.1f}s {r['wall'] / floor:5.1f}x {r['pipeline']:7.1f}s "
            f"{r['kernel_start']:6.1f}s "
            f"{r['execution']:7.1f}s {r['html_export']:5.1f}s {r['report_bytes'] / 1e6:8.2f}MB"
            f"  < {TARGETS[r['name']]:.0f} s, < 2 MB: {'ok' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
