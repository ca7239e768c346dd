"""Where things live: every path the package uses is derived here from ``Path(__file__)``.

Two layouts are supported:

* a source checkout (editable install): the notebooks and bundled workshops are the
  top-level ``notebooks/`` and ``data/`` folders of the repository;
* a wheel (plain ``pip install``): the same folders ship inside the package as
  ``workshop_analysis/_bundled/notebooks`` and ``workshop_analysis/_bundled/data``
  (see ``[tool.hatch.build.targets.wheel.force-include]`` in ``pyproject.toml``).

Nothing else in the package or in the notebooks types a path.

The input limits (:data:`MAX_FILE_BYTES`, :data:`MAX_ROWS`, :data:`MAX_TEXT_CHARS`) live
here too; the readers look them up at call time, so a test may lower them with
``monkeypatch.setattr(config, "MAX_ROWS", 3)``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR: Path = Path(__file__).resolve().parent
_BUNDLED = PACKAGE_DIR / "_bundled"
_REPO_ROOT = PACKAGE_DIR.parents[1]

if (_BUNDLED / "data").is_dir():
    DATA_DIR: Path = _BUNDLED / "data"
    NOTEBOOKS_DIR: Path = _BUNDLED / "notebooks"
    #: Where ``make report`` and the ``report`` command write by default.
    REPORTS_DIR: Path = Path.cwd() / "reports"
else:
    DATA_DIR = _REPO_ROOT / "data"
    NOTEBOOKS_DIR = _REPO_ROOT / "notebooks"
    REPORTS_DIR = _REPO_ROOT / "reports"

#: The archive root: one folder per workshop (see ``data/README.md``).
WORKSHOPS_DIR: Path = DATA_DIR / "workshops"

#: Where ``new`` creates workshop folders by default: the checkout's archive, or, when the
#: package is installed from a wheel (whose bundled data must stay untouched),
#: ``./workshops`` in the current folder.
NEW_WORKSHOPS_DIR: Path = (
    Path.cwd() / "workshops" if (_BUNDLED / "data").is_dir() else WORKSHOPS_DIR
)

#: The id of the bundled sample workshop (BMAS practitioners' workshop, 22 Nov 2017).
SAMPLE_WORKSHOP: str = "2017-11-22-bmas-qualifizierung"
SAMPLE_DIR: Path = WORKSHOPS_DIR / SAMPLE_WORKSHOP
SAMPLE_RECORDS: Path = SAMPLE_DIR / "records.csv"
SAMPLE_CODEBOOK: Path = SAMPLE_DIR / "codebook.yaml"
SAMPLE_OVERRIDES: Path = SAMPLE_DIR / "overrides.yaml"


# Input limits, chosen with benchmarks/bench_scale.py on a 2-core, 24 GB machine: 1,000,000
# rows (228 MB) read and validate in ~15-20 s with a 2.2 GB peak, 2,000,000 rows in ~40 s
# with 4.2 GB (see "Limits" in data/README.md). Every reader checks them and raises an
# InputError naming the file (and row/column) and the limit.

#: Largest record file read (bytes), checked with ``stat`` before anything is read.
MAX_FILE_BYTES: int = 500_000_000

#: Most statements (rows) in one record file, checked before the rows are validated.
MAX_ROWS: int = 2_000_000

#: Longest statement (characters) in one ``text`` cell; longer cells are almost always a
#: paste error.
MAX_TEXT_CHARS: int = 20_000

#: Longest text source (characters) a REFI-QDA project import turns into one record.
#: Interview transcripts are far longer than typed statements, so imports do not use
#: :data:`MAX_TEXT_CHARS`. A project with one 10,000,000-character source (a few thousand
#: pages, CRLF, 1,000 selections) imports in 0.3-1.3 s and exports in 1.5 s with a peak of
#: 170-260 MB (ASCII / emoji / decomposed accents; benchmarks/bench_refi.py, 2 cores).
MAX_IMPORT_TEXT_CHARS: int = 10_000_000


def workshop_dir(workshop_id: str, root: Path | None = None) -> Path:
    """Return the archive folder of a workshop.

    Parameters
    ----------
    workshop_id : str
        The workshop's id, e.g. ``"2017-11-22-bmas-qualifizierung"``.
    root : Path, optional
        The archive root; defaults to the bundled :data:`WORKSHOPS_DIR`.

    Returns
    -------
    Path
        ``root / workshop_id`` (not checked for existence).
    """
    return (root if root is not None else WORKSHOPS_DIR) / workshop_id
