"""Start-up benchmark: how long the package and the command line take before any work.

Usage::

    .venv/bin/python benchmarks/bench_startup.py             # best of 5 runs each
    .venv/bin/python benchmarks/bench_startup.py --repeat 9

Each command runs in a fresh interpreter (wall clock, best of ``--repeat`` runs, as with
:mod:`timeit`: the machine is shared and single runs vary):

* ``python``   — baseline: a bare ``python -c pass`` (interpreter start-up alone);
* ``import``   — ``python -c "import workshop_analysis"`` (target < 1 s);
* ``--help``   — ``workshop-analysis --help`` (target < 0.5 s);
* ``validate`` — ``workshop-analysis validate`` on the bundled sample workshop's
  ``records.csv`` (17 statements; target < 1.5 s).

Then ``python -X importtime`` shows where the time of ``import workshop_analysis``,
``--help`` and ``validate`` goes: the total, and the heaviest top-level imports
(cumulative microseconds as ``-X importtime`` reports them, in one run, so they are
indicative only).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "data" / "workshops" / "2017-11-22-bmas-qualifizierung" / "records.csv"


def _cli() -> list[str]:
    """The console script next to this interpreter, else ``python -m workshop_analysis``."""
    script = Path(sys.executable).parent / "workshop-analysis"
    if script.exists():
        return [str(script)]
    found = shutil.which("workshop-analysis")
    return [found] if found else [sys.executable, "-m", "workshop_analysis"]


def commands(sample: Path) -> dict[str, list[str]]:
    """The timed commands by name."""
    return {
        "python": [sys.executable, "-c", "pass"],
        "import": [sys.executable, "-c", "import workshop_analysis"],
        "--help": [*_cli(), "--help"],
        "validate": [*_cli(), "validate", str(sample)],
    }


#: Targets (seconds) of issue 18.
GOALS = {"import": 1.0, "--help": 0.5, "validate": 1.5}


def wall(cmd: list[str], repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` runs of ``cmd`` (output discarded)."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs.append(time.perf_counter() - t0)
    return runs


_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def importtime(cmd: list[str]) -> list[tuple[int, int, str]]:
    """``(cumulative µs, depth, module)`` of every import of ``cmd`` under
    ``-X importtime``."""
    if cmd[0] != sys.executable:  # the console script: run its module under -X importtime
        cmd = [sys.executable, "-m", "workshop_analysis", *cmd[1:]]
    done = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    out = []
    for line in done.stderr.splitlines():
        m = _LINE.match(line)
        if m:
            out.append((int(m.group(2)), len(m.group(3)) // 2, m.group(4)))
    return out


def summary(rows: list[tuple[int, int, str]], top: int = 6) -> str:
    """Total import time and the heaviest imports directly below the top level."""
    total = sum(us for us, depth, _ in rows if depth == 0)
    package = sum(us for us, depth, name in rows if depth == 0 and name.startswith("workshop"))
    # heaviest imports of third-party and project modules, one level below the package
    inner = sorted(
        ((us, name) for us, depth, name in rows if depth <= 1 and name != "workshop_analysis"),
        reverse=True,
    )[:top]
    heavy = ", ".join(f"{name} {us / 1e6:.2f}" for us, name in inner)
    return (
        f"all imports {total / 1e6:.2f} s, workshop_analysis.* {package / 1e6:.2f} s; top: {heavy}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (best counts)")
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="file for validate")
    args = parser.parse_args(argv)
    cmds = commands(args.sample)
    print(f"start-up benchmark: best of {args.repeat} runs, fresh interpreter each", flush=True)
    best: dict[str, float] = {}
    for name, cmd in cmds.items():
        runs = wall(cmd, args.repeat)
        best[name] = min(runs)
        goal = GOALS.get(name)
        verdict = (
            f"(target < {goal:.1f} s) {'ok' if best[name] < goal else 'MISSED'}"
            if goal
            else "(baseline)"
        )
        ratio = f"{best[name] / best['python']:5.1f}x python" if name != "python" else " " * 14
        print(
            f"  {name:<9} {best[name]:6.2f} s  {ratio}  {verdict}  "
            f"runs {[round(r, 2) for r in runs]}",
            flush=True,
        )
    print("python -X importtime (one run each, cumulative seconds):")
    for name in ("import", "--help", "validate"):
        print(f"  {name:<9} {summary(importtime(cmds[name]))}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
