"""Compare the proposed action items with hand-written reference lists (issue 14).

Usage: ``.venv/bin/python benchmarks/eval_actions.py [--items] [--no-merge]``

For each workshop under ``tests/fixtures/actions_eval/`` (records, codebook and a
``reference.yaml`` written by hand before the rules were run) the statements are tagged
with the workshop's codebook and :func:`workshop_analysis.actions.derive_actions` proposes
items. Proposed and reference items are matched one to one by evidence overlap: the pairs
with the highest Jaccard index of their supporting record ids are taken first, and a pair
counts only with Jaccard >= 0.5.

Printed per workshop:

* ``proposed`` / ``reference`` item counts, item ``precision`` (matched proposed items /
  proposed) and ``recall`` (matched reference items / reference);
* ``single``: share of proposed items resting on one statement (``ref single``: the same
  for the reference list);
* ``overrides``: the corrections an analyst needs in ``overrides.yaml`` to reach the
  reference, by type:

  - ``retitle``: a matched item whose title is generic ("Handlungsbedarf: …", "Action
    needed: …") or shares less than a third of the reference title's content words
    (lemmas, via ``simplemma``);
  - ``horizon`` / ``owner``: a matched item whose horizon or owner differs;
  - ``merge``: an unmatched proposed item whose evidence lies mostly (more than half) in
    one reference item; ``drop``: any other unmatched proposed item;
  - ``split``: an unmatched reference item whose statements sit mostly in one proposed
    item that is matched to another reference item (or to none);
    unmatched reference items no proposed item covers are counted as ``missing``.

``--items`` also lists each proposed item with its match; ``--no-merge`` runs the rules
with merging switched off (for comparison).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import yaml

from workshop_analysis.actions import derive_actions
from workshop_analysis.codebook import load_codebook
from workshop_analysis.io import read_records
from workshop_analysis.kinds import infer_kinds
from workshop_analysis.tagging import tag

EVAL = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "actions_eval"
GENERIC = re.compile(r"^(Handlungsbedarf|Action needed|Beibehalten|Keep)\s*:", re.I)
_STOP = {
    "de": set(
        [
            "der",
            "die",
            "das",
            "den",
            "dem",
            "des",
            "ein",
            "eine",
            "einer",
            "eines",
            "einem",
            "einen",
            "und",
            "oder",
            "mit",
            "für",
            "von",
            "zu",
            "zur",
            "zum",
            "im",
            "in",
            "am",
            "an",
            "auf",
            "je",
            "bei",
            "über",
            "unter",
            "aus",
            "als",
            "auch",
            "nicht",
            "sich",
            "vor",
            "nach",
        ]
    ),
    "en": set(
        [
            "the",
            "a",
            "an",
            "and",
            "or",
            "of",
            "for",
            "to",
            "in",
            "on",
            "at",
            "with",
            "by",
            "from",
            "as",
            "be",
            "is",
            "are",
            "more",
            "the",
            "their",
            "its",
            "into",
            "before",
            "after",
        ]
    ),
}


def _lemmas(text: str, lang: str) -> set[str]:
    import simplemma

    words = re.findall(r"\w+", text.casefold())
    return {simplemma.lemmatize(w, lang=lang).casefold() for w in words if w not in _STOP[lang]}


def title_ok(proposed: str, reference: str, lang: str) -> bool:
    """Whether a proposed title may stand for the reference title (see module docs)."""
    if GENERIC.match(proposed) and not GENERIC.match(reference):
        return False
    ref = _lemmas(reference, lang)
    return bool(ref) and len(ref & _lemmas(proposed, lang)) / len(ref) >= 1 / 3


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def evaluate(folder: Path, *, merge: bool | None = None) -> dict:
    """Propose items for one evaluation workshop and compare them with its reference."""
    codebook = load_codebook(folder / "codebook.yaml")
    lang = codebook.language or "de"
    records = infer_kinds(read_records(folder / "records.csv"))
    tagged = tag(records, codebook).records
    kwargs = {} if merge is None else {"merge": merge}
    actions = derive_actions(tagged, codebook, lang=lang, **kwargs)
    reference = yaml.safe_load((folder / "reference.yaml").read_text(encoding="utf-8"))["items"]
    prop = [set(e) for e in actions["evidence"]]
    ref = [set(map(str, r["records"])) for r in reference]
    pairs = sorted(
        ((_jaccard(p, r), i, j) for i, p in enumerate(prop) for j, r in enumerate(ref)),
        reverse=True,
    )
    match_p: dict[int, int] = {}
    match_r: dict[int, int] = {}
    for score, i, j in pairs:
        if score < 0.5:
            break
        if i not in match_p and j not in match_r:
            match_p[i], match_r[j] = j, i
    fixes = {"retitle": 0, "horizon": 0, "owner": 0, "merge": 0, "drop": 0, "split": 0}
    missing = 0
    title_key = "title_en" if lang == "en" else "title"
    for i, j in match_p.items():
        row, want = actions.iloc[i], reference[j]
        want_title = want.get(title_key) or want["title"]
        if not title_ok(str(row["title"]), str(want_title), lang):
            fixes["retitle"] += 1
        if row["horizon"] != want["horizon"]:
            fixes["horizon"] += 1
        if str(row["owner"]).casefold() != str(want["owner"]).casefold():
            fixes["owner"] += 1
    for i, p in enumerate(prop):
        if i in match_p:
            continue
        best = max(range(len(ref)), key=lambda j: len(p & ref[j]), default=None)
        if best is not None and len(p & ref[best]) * 2 > len(p):
            fixes["merge"] += 1
        else:
            fixes["drop"] += 1
    for j, r in enumerate(ref):
        if j in match_r:
            continue
        best = max(range(len(prop)), key=lambda i: len(prop[i] & r), default=None)
        if best is not None and len(prop[best] & r) * 2 > len(r):
            fixes["split"] += 1
        else:
            missing += 1
    n_prop, n_ref = len(prop), len(ref)
    return {
        "workshop": folder.name,
        "proposed": n_prop,
        "reference": n_ref,
        "precision": len(match_p) / n_prop if n_prop else 0.0,
        "recall": len(match_r) / n_ref if n_ref else 0.0,
        "single": sum(len(p) == 1 for p in prop) / n_prop if n_prop else 0.0,
        "ref single": sum(len(r) == 1 for r in ref) / n_ref if n_ref else 0.0,
        **fixes,
        "overrides": sum(fixes.values()),
        "per 3 ref": sum(fixes.values()) / n_ref * 3 if n_ref else 0.0,
        "missing": missing,
        "_actions": actions,
        "_match": match_p,
        "_reference": reference,
    }


def main(argv: list[str]) -> int:
    """Evaluate every workshop under ``tests/fixtures/actions_eval`` and print the table."""
    merge = False if "--no-merge" in argv else None
    results = [evaluate(f, merge=merge) for f in sorted(EVAL.iterdir()) if f.is_dir()]
    table = pd.DataFrame([{k: v for k, v in r.items() if not k.startswith("_")} for r in results])
    pd.set_option("display.width", 200)
    print(table.round(2).to_string(index=False))
    if "--items" in argv:
        for r in results:
            print(f"\n== {r['workshop']}")
            actions, match, reference = r["_actions"], r["_match"], r["_reference"]
            for i, row in enumerate(actions.itertuples()):
                j = match.get(i)
                got = f"-> {reference[j]['title']}" if j is not None else "-> (no match)"
                level = getattr(row, "priority_label", "")
                evidence = "; ".join(row.evidence)
                print(f"  [{row.horizon:5} {level}] {row.title} ({row.owner}) {evidence} {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
