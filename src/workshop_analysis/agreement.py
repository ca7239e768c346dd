"""Inter-coder agreement: Cohen's kappa per code and Krippendorff's alpha (nominal).

When two people code the same statements, agreement tells whether the codebook is clear
enough to be applied consistently. Conventions used here:

* Missing values (``None``/``NA``/``NaN``) are not a category. :func:`cohen_kappa` drops
  pairs where either coder is missing; :func:`krippendorff_alpha` uses every unit with at
  least two values.
* **Undefined agreement is NaN.** When the expected agreement is already perfect — both
  coders (all coders) used one and the same category for everything, e.g. neither ever
  assigned a code — kappa is 0/0 and alpha is 0/0: both return ``nan`` rather than a
  misleading 1 or 0. The per-code table then still shows the raw observed agreement.
* Perfect agreement with at least two categories in use gives exactly 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = ["agreement", "cohen_kappa", "krippendorff_alpha"]


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _kappa_parts(a: Sequence[object], b: Sequence[object]) -> tuple[int, float, float]:
    """``(n, observed agreement, expected agreement)`` over the non-missing pairs."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if not _is_missing(x) and not _is_missing(y)]
    n = len(pairs)
    if n == 0:
        return 0, float("nan"), float("nan")
    left = pd.Series([x for x, _ in pairs], dtype=object)
    right = pd.Series([y for _, y in pairs], dtype=object)
    observed = float((left.to_numpy() == right.to_numpy()).mean())
    p_left = left.value_counts(normalize=True)
    p_right = right.value_counts(normalize=True)
    expected = float((p_left * p_right.reindex(p_left.index, fill_value=0.0)).sum())
    return n, observed, expected


def cohen_kappa(a: Iterable[object], b: Iterable[object]) -> float:
    """Cohen's kappa of two codings of the same units.

    Parameters
    ----------
    a, b : iterable
        The category each coder assigned to each unit, in the same order (any hashable
        labels; booleans for present/absent). Pairs with a missing value are dropped.

    Returns
    -------
    float
        ``(p_o - p_e) / (1 - p_e)`` with observed agreement ``p_o`` and chance agreement
        ``p_e = sum_k p_a(k) * p_b(k)``. ``nan`` when ``p_e == 1`` (both coders used a
        single, identical category throughout) or when no pair is left.

    Raises
    ------
    ValueError
        When ``a`` and ``b`` differ in length.

    Examples
    --------
    >>> round(cohen_kappa(["x", "x", "y", "y", "x"], ["x", "y", "y", "y", "x"]), 4)
    0.6154
    """
    left, right = list(a), list(b)
    if len(left) != len(right):
        raise ValueError(f"the codings differ in length: {len(left)} and {len(right)} units")
    _, observed, expected = _kappa_parts(left, right)
    if np.isnan(expected) or np.isclose(expected, 1.0):
        return float("nan")
    return float((observed - expected) / (1.0 - expected))


def _pairs(coding: pd.DataFrame, name: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Record ids and ``(record_id, code)`` pairs of a tidy or record-table coding."""
    if "record_id" not in coding.columns:
        raise ValueError(f"{name}: needs a 'record_id' column")
    ids = {str(r) for r in coding["record_id"] if not _is_missing(r)}
    pairs: set[tuple[str, str]] = set()
    if "code" in coding.columns:
        for rid, code in zip(coding["record_id"], coding["code"], strict=True):
            if not _is_missing(rid) and not _is_missing(code) and str(code).strip():
                pairs.add((str(rid), str(code).strip()))
    elif "codes" in coding.columns:
        for rid, codes in zip(coding["record_id"], coding["codes"], strict=True):
            if _is_missing(rid) or not isinstance(codes, list | tuple | set | np.ndarray):
                continue
            pairs.update((str(rid), str(c).strip()) for c in codes if str(c).strip())
    else:
        raise ValueError(f"{name}: needs a 'code' column (tidy) or a 'codes' list column")
    return ids, pairs


def agreement(
    coding_a: pd.DataFrame, coding_b: pd.DataFrame, *, codes: Sequence[str] | None = None
) -> pd.DataFrame:
    """Agreement of two coders, per code and overall.

    Parameters
    ----------
    coding_a, coding_b : DataFrame
        Either tidy (columns ``record_id, code``: one row per assigned code) or a record
        table with a ``codes`` list column (records with an empty list count as coded
        with nothing). Not modified.
    codes : sequence of str, optional
        Codes to report, in this order; default: every code either coder used, sorted.

    Returns
    -------
    DataFrame
        One row per code plus a last row ``overall``, columns:
        ``code``; ``n`` (records compared = union of both codings' record ids);
        ``a``, ``b`` (records each coder gave the code); ``both`` (records both gave it);
        ``observed`` (share of records where they agree on present/absent);
        ``expected`` (chance agreement); ``kappa`` (Cohen's kappa of the binary
        present/absent decisions; ``nan`` when undefined, e.g. neither coder used the
        code). The ``overall`` row pools every (record, code) decision of the listed
        codes into one binary kappa.
    """
    ids_a, pairs_a = _pairs(coding_a, "coding_a")
    ids_b, pairs_b = _pairs(coding_b, "coding_b")
    records = sorted(ids_a | ids_b | {r for r, _ in pairs_a | pairs_b})
    if codes is None:
        codes = sorted({c for _, c in pairs_a | pairs_b})
    rows = []
    pooled_a: list[bool] = []
    pooled_b: list[bool] = []
    for code in codes:
        va = [(r, code) in pairs_a for r in records]
        vb = [(r, code) in pairs_b for r in records]
        pooled_a += va
        pooled_b += vb
        rows.append(_row(code, va, vb))
    rows.append(_row("overall", pooled_a, pooled_b))
    out = pd.DataFrame(
        rows, columns=["code", "n", "a", "b", "both", "observed", "expected", "kappa"]
    )
    return out.astype({"code": "string", "n": int, "a": int, "b": int, "both": int})


def _row(code: str, va: list[bool], vb: list[bool]) -> dict[str, object]:
    n, observed, expected = _kappa_parts(va, vb)
    return {
        "code": code,
        "n": n,
        "a": int(sum(va)),
        "b": int(sum(vb)),
        "both": int(sum(x and y for x, y in zip(va, vb, strict=True))),
        "observed": observed,
        "expected": expected,
        "kappa": cohen_kappa(va, vb),
    }


def krippendorff_alpha(data: pd.DataFrame | Sequence[Sequence[object]] | np.ndarray) -> float:
    """Krippendorff's alpha for nominal data.

    Parameters
    ----------
    data : DataFrame or 2-D array-like
        Units × coders: one row per unit (statement), one column per coder, the cell the
        category that coder assigned; missing cells allowed.

    Returns
    -------
    float
        ``1 - D_o / D_e``. With the coincidence matrix ``o[c, k]`` (each unit with ``m``
        values adds ``1 / (m - 1)`` for every ordered pair of its values), ``n_c`` its
        row sums and ``n`` their total: ``D_o = sum_{c != k} o[c, k]`` and
        ``D_e = sum_{c != k} n_c n_k / (n - 1)``. Units with fewer than two values are
        ignored. ``nan`` when there are no pairable values or only one category
        (``D_e == 0``).

    Examples
    --------
    >>> round(krippendorff_alpha([["a", "a"], ["a", "b"], ["b", "b"]]), 4)
    0.4444
    """
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data))
    units: list[list[object]] = []
    for row in frame.itertuples(index=False, name=None):
        values = [v for v in row if not _is_missing(v)]
        if len(values) >= 2:
            units.append(values)
    categories = sorted({v for unit in units for v in unit}, key=str)
    if not units:
        return float("nan")
    index = {c: i for i, c in enumerate(categories)}
    coincidence = np.zeros((len(categories), len(categories)))
    for unit in units:
        counts = np.zeros(len(categories))
        for v in unit:
            counts[index[v]] += 1
        pairs = np.outer(counts, counts) - np.diag(counts)  # ordered pairs, no self-pairs
        coincidence += pairs / (len(unit) - 1)
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    disagreement = coincidence.sum() - np.trace(coincidence)
    expected = (n_c.sum() ** 2 - (n_c**2).sum()) / (n - 1)
    if expected == 0:
        return float("nan")
    return float(1.0 - disagreement / expected)
