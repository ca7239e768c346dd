"""Shared test set-up: seeded randomness, headless matplotlib, paths to fixtures."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after choosing the Agg backend
from hypothesis import HealthCheck, settings

#: Property-based tests (tests/test_*_properties.py): deterministic and quick; each test
#: may ask for fewer examples with ``@settings(max_examples=...)``.
settings.register_profile(
    "workshop",
    derandomize=True,
    deadline=None,
    max_examples=60,
    print_blob=True,
    database=None,  # no .hypothesis folder: runs depend on the code only
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
#: A longer hunt for bugs: ``pytest tests/test_*_properties.py --hypothesis-profile=deep``.
settings.register_profile("deep", settings.get_profile("workshop"), max_examples=2000)
settings.load_profile("workshop")

FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: Files written by other QDA tools; they live outside the project (../shared beside the repo).
SHARED_REFI = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "refi-qda"


@pytest.fixture(autouse=True)
def _seeded_and_clean() -> Iterator[None]:
    """Fix every random seed and close all figures after each test."""
    random.seed(20171122)
    np.random.seed(20171122)  # noqa: NPY002 - seaborn bootstraps from the legacy global RNG
    yield
    plt.close("all")


@pytest.fixture
def fixtures() -> Path:
    """Folder of the project's own fixture files."""
    return FIXTURES


@pytest.fixture
def shared_refi() -> Path:
    """Folder of REFI-QDA files written by other tools; skips the test when absent."""
    if not SHARED_REFI.is_dir():
        pytest.skip(
            f"REFI-QDA fixtures not found at {SHARED_REFI} (../shared is not beside the repo)"
        )
    return SHARED_REFI


@pytest.fixture(scope="session")
def rendered_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The report of ``fixtures/report/planted`` (sample + planted markup), German and English.

    Rendered once per session (it runs every notebook); used by test_report and the browser
    test. Returns ``{"input": records.csv, "de": folder, "en": folder}``.
    """
    from workshop_analysis import config
    from workshop_analysis.report import render_report

    source = FIXTURES / "report" / "planted" / "records.csv"
    out = {"input": source}
    for lang in ("de", "en"):
        folder = tmp_path_factory.mktemp(f"report-{lang}")
        render_report(
            source, codebook=config.SAMPLE_CODEBOOK, out_dir=folder, lang=lang, progress=None
        )
        out[lang] = folder
    return out
