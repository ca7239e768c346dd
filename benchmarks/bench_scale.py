"""Scale check: reading, validating, kind inference and tagging of a 1,000,000-row CSV.

Usage::

    .venv/bin/python benchmarks/bench_scale.py                 # 1,000,000 rows
    .venv/bin/python benchmarks/bench_scale.py --rows 100000   # smaller smoke run
    .venv/bin/python benchmarks/bench_scale.py --json out.json # also write the figures

A deterministic CSV as German Excel saves it (``;``-delimited, cp1252 by default, header
``Text;Art;Bereich;Quelle;Datum``) is generated in a temporary folder: distinct German
statements of 100–200 characters built from phrase parts (umlauts, ß, compounds, „…“
quotes), seven sections, kinds given in German for two thirds of the rows and empty for the
rest, dates as ``DD.MM.YYYY``. Every stage runs in its own subprocess, so its peak resident
memory (``ru_maxrss`` of the child) is clean:

* ``read_csv``   — baseline: plain :func:`pandas.read_csv` of the file (``sep=";"``,
  all columns as strings);
* ``read``       — :func:`workshop_analysis.io.read_records` (decode, parse, normalise,
  validate);
* ``read+kinds`` — ``read_records`` then :func:`workshop_analysis.kinds.infer_kinds`;
* ``read+tag``   — ``read_records`` then :func:`workshop_analysis.tagging.tag` with the
  bundled sample codebook (``config.SAMPLE_CODEBOOK``);
* ``read+tag100`` — the same with the benchmark codebook of 100 codes x 8 keywords
  (``benchmarks/_corpus.py``).

Seconds are wall-clock for the whole stage (reading included); ``x base`` is the ratio to
the ``read_csv`` baseline measured in the same run. With ``--repeat N`` every stage runs N
times (each in a fresh subprocess) and the fastest run counts, as with :mod:`timeit` (on a
shared machine single runs vary by up to 1.5x); peak memory is the largest of the runs.
The figures of a 1,000,000-row run are recorded in ``data/README.md`` ("Limits").
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STAGES = ("read_csv", "read", "read+kinds", "read+tag", "read+tag100")

SECTIONS = (
    "Grundqualifizierung",
    "Führungskräfte und Teamleitungen",
    "Weiterbildungsangebote der BA",
    "Digitales Lernen",
    "Personal- und Bedarfsplanung",
    "Zusammenarbeit mit Trägern",
    "Offene Fragen",
)
SOURCES = (
    "Geschäftsführung Jobcenter",
    "Teamleitung Leistungsgewährung",
    "Fachkraft Arbeitsvermittlung",
    "Bildungsträger",
    "Personalrat",
    "",
)
KIND_WORDS = ("Bedarf", "Wunsch", "Lob", "Kritik", "Anregung", "Problem", "", "", "")
OPENERS = (
    "Wir brauchen",
    "Dringend nötig sind",
    "Es fehlt an",
    "Wir wünschen uns",
    "Gut wäre",
    "Sehr bewährt haben sich",
    "Positiv hervorzuheben sind",
    "Schwierig bleiben",
    "Kritisch sehen wir",
    "Die Kolleginnen und Kollegen fordern",
    "Für Quereinsteiger fehlen",
    "Leider gibt es zu wenige",
)
TOPICS = (
    "strukturierte Einarbeitungspläne",
    "praxisnahe Schulungen zum SGB II",
    "Fortbildungen für Führungskräfte",
    "Lehrgänge zur Gesprächsführung",
    "E-Learning-Module mit Übungsfällen",
    "Mentoring-Programme für Berufsanfänger",
    "Hospitationen in anderen Jobcentern",
    "Fachtage zum Leistungsrecht",
    "Trainings zum Umgang mit schwierigen Kundinnen und Kunden",
    "Qualifizierungsangebote der Regionaldirektion",
    "Coaching für neue Teamleitungen",
    "Austauschformate zwischen den Standorten",
    "Weiterbildungen zur Digitalisierung",
    "Präsenzseminare mit kleinen Gruppen",
    "Handreichungen zur Bedarfsplanung",
    "Schulungen für „Quereinsteiger“",
)
QUALIFIERS = (
    "gleich in den ersten Wochen",
    "mit ausreichend Zeit für die Vor- und Nachbereitung",
    "ohne lange Wartezeiten auf einen Platz",
    "auch in Teilzeit und für Außenstellen",
    "mit verbindlichen Lernzielen",
    "die regelmäßig aktualisiert werden",
    "mit erfahrenen Dozentinnen und Dozenten aus der Praxis",
    "die sich an der Größe des Hauses orientieren",
    "nah am Arbeitsalltag",
    "mit Möglichkeit zur Rückfrage",
    "über das Jahr verteilt",
    "für alle Beschäftigten gleichermaßen",
)
REASONS = (
    "weil die Fluktuation hoch ist",
    "damit die Qualität der Bescheide steigt",
    "da das Rechtsgebiet komplex ist",
    "weil viele Stellen neu besetzt wurden",
    "damit die Beratung der Kundinnen und Kunden besser wird",
    "da die Arbeitsbelastung groß ist",
    "weil sonst Fehler in der Leistungsgewährung entstehen",
    "damit neue Kolleginnen und Kollegen schneller sicher arbeiten",
    "da die Fortbildungsbudgets knapp sind",
    "weil der Bedarf in den Teams sehr unterschiedlich ist",
)
PLACES = tuple(
    f"(Jobcenter {city}, Team {team})"
    for city in (
        "Köln",
        "Düsseldorf",
        "München",
        "Görlitz",
        "Lübeck",
        "Gießen",
        "Fürth",
        "Weißenfels",
        "Osnabrück",
        "Saarbrücken",
        "Würzburg",
        "Essen",
        "Dortmund",
        "Bremen",
        "Mülheim",
    )
    for team in range(1, 41)
)
_PARTS = (OPENERS, TOPICS, QUALIFIERS, REASONS, PLACES)
_SPACE = 1
for _part in _PARTS:
    _SPACE *= len(_part)
_STEP = 1_000_003  # a prime that does not divide _SPACE: i -> i * _STEP % _SPACE is a bijection


def statement(i: int) -> str:
    """The ``i``-th statement; distinct for distinct ``i`` below the number of combinations."""
    j = i * _STEP % _SPACE
    words = []
    for part in _PARTS:
        j, k = divmod(j, len(part))
        words.append(part[k])
    opener, topic, qualifier, reason, place = words
    return f"{opener} {topic} {qualifier}, {reason}. {place}"


def write_csv(path: Path, rows: int, *, encoding: str = "cp1252") -> Path:
    """Write the benchmark CSV with ``rows`` data rows (deterministic) and return ``path``."""
    if rows > _SPACE:
        raise ValueError(f"at most {_SPACE:,} distinct statements")
    with path.open("w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        out.writerow(["Text", "Art", "Bereich", "Quelle", "Datum"])
        for i in range(rows):
            out.writerow(
                [
                    statement(i),
                    KIND_WORDS[i % len(KIND_WORDS)],
                    SECTIONS[i % len(SECTIONS)],
                    SOURCES[i % len(SOURCES)],
                    f"{22 + i % 3}.11.2017",
                ]
            )
    return path


def typographic_share(rows: int, sample: int = 100_000) -> float:
    """Share of the first statements with characters outside Latin-1 („…“: the tagger
    maps them to placeholder bytes, see ``benchmarks/bench_tagging.py``)."""
    k = max(1, min(rows, sample))
    return sum(max(statement(i)) > "\xff" for i in range(k)) / k


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KiB


def measure(stage: str, path: Path, encoding: str) -> dict[str, Any]:
    """Run one stage in this process and return its figures (seconds, rows, peak GB)."""
    sys.path.insert(0, str(HERE))
    import pandas as pd

    from workshop_analysis import config
    from workshop_analysis.codebook import load_codebook
    from workshop_analysis.io import read_records
    from workshop_analysis.kinds import infer_kinds
    from workshop_analysis.tagging import tag

    codebook = None
    if stage == "read+tag":
        codebook = load_codebook(config.SAMPLE_CODEBOOK)
    elif stage == "read+tag100":
        from _corpus import make_codebook

        codebook = make_codebook()
    out: dict[str, Any] = {"stage": stage}
    t0 = time.perf_counter()
    if stage == "read_csv":
        frame = pd.read_csv(path, sep=";", encoding=encoding, dtype=str)
        out["rows"] = len(frame)
    else:
        records = read_records(path, workshop="bench")
        out["rows"] = len(records)
        t1 = time.perf_counter()
        out["read_seconds"] = t1 - t0
        if stage == "read+kinds":
            kinds = infer_kinds(records)
            out["inferred"] = int((kinds["kind_source"] == "inferred").sum())
        elif codebook is not None:
            result = tag(records, codebook)
            out["coded"] = int(result.records["codes"].map(bool).sum())
            out["evidence"] = len(result.evidence)
        out["step_seconds"] = time.perf_counter() - t1
    out["seconds"] = time.perf_counter() - t0
    out["peak_gb"] = _peak_gb()
    return out


def run_child(stage: str, path: Path, encoding: str, repeat: int = 1) -> dict[str, Any]:
    """Run :func:`measure` for ``stage`` in ``repeat`` fresh interpreters; the fastest counts."""
    cmd = [sys.executable, __file__, "--child", stage, "--file", str(path), "--encoding", encoding]
    runs = []
    for _ in range(repeat):
        done = subprocess.run(cmd, check=False, capture_output=True, text=True)
        if done.returncode:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"stage {stage} failed with exit status {done.returncode}")
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    best["runs"] = [round(r["seconds"], 2) for r in runs]
    best["peak_gb"] = max(r["peak_gb"] for r in runs)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="data rows (default 1M)")
    parser.add_argument("--encoding", default="cp1252", choices=("cp1252", "utf-8"))
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated stages")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per stage, the fastest counts (default 1)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.file, args.encoding)))
        return 0

    stages = [s for s in args.stages.split(",") if s]
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stage(s) {sorted(unknown)}; choose from {', '.join(STAGES)}")
    if "read_csv" not in stages:
        stages.insert(0, "read_csv")  # every ratio needs the baseline of the same run
    with tempfile.TemporaryDirectory(prefix="bench_scale_") as tmp:
        path = Path(tmp) / "records.csv"
        t0 = time.perf_counter()
        write_csv(path, args.rows, encoding=args.encoding)
        size = os.path.getsize(path)
        print(
            f"scale benchmark: {args.rows:,} rows, {size / 1e6:,.1f} MB {args.encoding} CSV "
            f"(written in {time.perf_counter() - t0:.1f} s), {os.cpu_count()} cores, "
            f"{typographic_share(args.rows):.0%} of statements with „…“",
            flush=True,
        )
        results = []
        print(f"  {'stage':<12} {'seconds':>8} {'rows/s':>10} {'x base':>7} {'peak GB':>8}")
        for stage in stages:
            r = run_child(stage, path, args.encoding, args.repeat)
            results.append(r)
            base = results[0]["seconds"]
            extra = f"  (read {r['read_seconds']:.1f} s)" if "step_seconds" in r else ""
            extra += f"  runs {r['runs']}" if args.repeat > 1 else ""
            print(
                f"  {stage:<12} {r['seconds']:8.1f} {r['rows'] / r['seconds']:>10,.0f} "
                f"{r['seconds'] / base:7.1f} {r['peak_gb']:8.2f}{extra}",
                flush=True,
            )
    if args.json:
        report = {
            "rows": args.rows,
            "encoding": args.encoding,
            "file_bytes": size,
            "cores": os.cpu_count(),
            "repeat": args.repeat,
            "stages": results,
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
