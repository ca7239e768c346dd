"""Follow the README literally, as a newcomer would, on a fresh clone.

Runs the shell blocks of the README's first screen and of "From a workshop to a report"
line by line in one bash session (so ``source .venv/bin/activate`` holds), in a clean
``git clone`` of this repository. Three lines are not run as written:

- ``make test``: CI runs it itself, just before this script.
- ``make lab``: a server that never ends. The walk checks instead that the target exists
  and that JupyterLab and the project's kernel are installed in ``.venv``; the browser test
  (tests/test_lab_browser.py) starts the server and runs the notebooks in it.
- the two ``# …`` lines that ask the reader to do something by hand. "Type the statements"
  writes real statements from a public write-up (the Ehingen Zukunftswerkstatt 2012, see
  tests/fixtures/kinds_corpus/sources.yaml) into the template; "write the codebook"
  takes the drafted starter codebook as it is.

Then it checks that the files the README promises exist. Exit status 0 = the README works.

Usage: ``python3 .ci/readme_walk.py [--keep]`` (stdlib only; ``--keep`` leaves the clone).
"""

from __future__ import annotations

import csv
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTION_END = "### One pipeline"  # the walk covers everything above this heading
TYPED = ROOT / "tests" / "fixtures" / "kinds_corpus" / "de" / "ehingen_zw2012.csv"


def readme_lines(readme: Path) -> list[str]:
    """The lines of the README's ```bash blocks above :data:`SECTION_END`."""
    text = readme.read_text(encoding="utf-8").split(SECTION_END)[0]
    lines: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        lines.extend(line for line in block.splitlines() if line.strip())
    return lines


def type_statements(target: str) -> str:
    """A shell line that fills ``target`` (the template) with real statements."""
    return (
        f"{shlex.quote(sys.executable)} {shlex.quote(str(Path(__file__).resolve()))} "
        f"--type-into {shlex.quote(target)}"
    )


def fill_template(target: Path) -> None:
    """Append real statements to the records template, in its own columns and format."""
    with target.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f, delimiter=";"))
    with TYPED.open(encoding="utf-8", newline="") as f:
        source = list(csv.DictReader(f))
    with target.open("a", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=header, delimiter=";", extrasaction="ignore")
        for n, row in enumerate(source, start=1):
            out.writerow(
                {
                    "record_id": f"s{n:02d}",
                    "section": row["section"],
                    "kind": row["kind"],
                    "text": row["text"],
                }
            )


def script(lines: list[str]) -> str:
    out = ["set -euo pipefail", "set -x"]
    for line in lines:
        command = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if command == "make test":
            out.append("echo 'make test: run by CI just before this walk'")
        elif command == "make lab":
            out += [
                "make -n lab >/dev/null",
                ".venv/bin/jupyter lab --version",
                '.venv/bin/jupyter kernelspec list | grep -q "python3.*$PWD/.venv"',
            ]
        elif line.lstrip().startswith("# … type the statements into"):
            target = line.split("into", 1)[1].split()[0]
            out.append(type_statements(target))
        elif line.lstrip().startswith("# … write the workshop's codebook.yaml"):
            records = next(ln for ln in lines if "workshop-analysis validate" in ln).split()[-1]
            codebook = Path(records).parent / "codebook.yaml"
            out.append(f"cp starter.yaml {shlex.quote(str(codebook))}")
        elif command:
            out.append(line)
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--type-into"]:
        fill_template(Path(argv[1]))
        return 0
    lines = readme_lines(ROOT / "README.md")
    expected = ["make report", "make test", "source .venv/bin/activate", "make lab"]
    missing = [e for e in expected if not any(ln.startswith(e) for ln in lines)]
    if missing:
        print(f"readme walk: the README's first screen lacks {missing}", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="readme-walk-"))
    clone = work / "workshop-analysis"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    walk = script(lines)
    print(walk)
    done = subprocess.run(["bash", "-c", walk], cwd=clone)
    promised = [
        "reports/2017-11-22-bmas-qualifizierung/report.html",
        "starter.yaml",
        "out/nord/records.csv",
        "out/nord/actions.csv",
        "reports/nord/report.html",
        "reports/compare/compare.html",
    ]
    absent = [p for p in promised if not (clone / p).is_file()]
    if "--keep" not in argv:
        shutil.rmtree(work, ignore_errors=True)
    if done.returncode != 0 or absent:
        print(f"readme walk FAILED (exit {done.returncode}); missing: {absent}", file=sys.stderr)
        return 1
    print("readme walk: every command of the README's first steps worked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
