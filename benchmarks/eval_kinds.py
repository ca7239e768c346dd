"""Print how well :func:`workshop_analysis.kinds.infer_kinds` recovers hand-assigned kinds.

Usage: ``.venv/bin/python benchmarks/eval_kinds.py [--errors]``

Evaluates the development set (``tests/fixtures/kinds_dev.csv``, used to tune the cues),
the held-out set (``tests/fixtures/kinds_holdout.csv``, never tuned on), a fresh batch of
80 protocol, survey and English statements (``tests/fixtures/kinds_fresh.csv``, written and
measured before any tuning -- accuracy 0.912, macro-F1 0.913 -- and tuned on afterwards)
and the bundled workshops under ``data/workshops`` (real statements; the 2018 follow-up
prompted one rule, "changes for the better are praise"): accuracy, macro-F1, per-class
figures and the confusion matrix. ``--errors`` also lists the misclassified rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from workshop_analysis.config import WORKSHOPS_DIR
from workshop_analysis.io import read_records
from workshop_analysis.kinds import evaluate_kinds, infer_kinds

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
FILES = {
    "dev": FIXTURES / "kinds_dev.csv",
    "holdout": FIXTURES / "kinds_holdout.csv",
    "fresh (tuned on after first measurement)": FIXTURES / "kinds_fresh.csv",
}


def main(argv: list[str]) -> int:
    """Evaluate the fixture files and bundled workshops and print the figures."""
    show_errors = "--errors" in argv
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 90)
    sets = {
        name: pd.read_csv(path, dtype="string", keep_default_na=False)
        for name, path in FILES.items()
    }
    # the bundled workshops: real statements with hand-assigned kinds
    for folder in sorted(WORKSHOPS_DIR.glob("*/records.csv")):
        records = read_records(folder)
        sets[f"bundled {folder.parent.name}"] = records[records["kind"].notna()]
    for name, gold in sets.items():
        title = f"{name}: {FILES[name].name}" if name in FILES else name
        predicted = infer_kinds(gold.assign(kind=pd.NA))
        result = evaluate_kinds(gold, predicted)
        print(f"== {title} ({result['n']} statements)")
        print(
            f"accuracy {result['accuracy']:.3f}   macro-F1 {result['macro_f1']:.3f}   "
            f"coverage {result['coverage']:.3f}"
        )
        print(result["per_class"].round(3).to_string())
        print(result["confusion"].to_string())
        if show_errors:
            wrong = predicted.assign(gold=gold["kind"])
            wrong = wrong[wrong["kind"].fillna("") != wrong["gold"]]
            print(wrong[["record_id", "gold", "kind", "kind_cue", "text"]].to_string(index=False))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
