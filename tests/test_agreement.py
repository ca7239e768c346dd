"""Tests for agreement.py; every expected value is worked out by hand in the comments."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from workshop_analysis.agreement import agreement, cohen_kappa, krippendorff_alpha


def test_cohen_kappa_by_hand() -> None:
    # a = x x y y x, b = x y y y x: 4 of 5 agree -> p_o = 0.8
    # p_a(x) = 3/5, p_a(y) = 2/5; p_b(x) = 2/5, p_b(y) = 3/5
    # p_e = 3/5*2/5 + 2/5*3/5 = 12/25 = 0.48; kappa = (0.8 - 0.48) / 0.52 = 8/13
    assert cohen_kappa(list("xxyyx"), list("xyyyx")) == pytest.approx(8 / 13)


def test_cohen_kappa_drops_missing_pairs() -> None:
    # the third pair is dropped, leaving x/x and y/y: p_o = 1, p_e = 1/2 -> kappa 1
    assert cohen_kappa(["x", "y", None], ["x", "y", "x"]) == pytest.approx(1.0)


def test_cohen_kappa_edge_cases() -> None:
    assert cohen_kappa(["a", "b", "a"], ["a", "b", "a"]) == 1.0  # perfect agreement
    # one category for everything: p_o = p_e = 1 -> 0/0, documented as NaN
    assert math.isnan(cohen_kappa(["a", "a"], ["a", "a"]))
    assert math.isnan(cohen_kappa([], []))
    # systematic disagreement on two balanced categories: p_o = 0, p_e = 1/2 -> -1
    assert cohen_kappa(["a", "b"], ["b", "a"]) == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa(["a"], ["a", "b"])


def test_agreement_per_code_and_overall_by_hand() -> None:
    # Coder A as a record table (r3 coded with nothing), coder B tidy.
    a = pd.DataFrame({"record_id": ["r1", "r2", "r3"], "codes": [["x", "y"], ["x"], []]})
    b = pd.DataFrame({"record_id": ["r1", "r2", "r2", "r3"], "code": ["x", "x", "y", "y"]})
    out = agreement(a, b, codes=["x", "y", "z"]).set_index("code")
    # x: A 1 1 0, B 1 1 0 -> p_o = 1; p_e = (2/3)^2 + (1/3)^2 = 5/9 -> kappa 1
    assert out.loc["x", "kappa"] == pytest.approx(1.0)
    assert out.loc["x", "expected"] == pytest.approx(5 / 9)
    # y: A 1 0 0, B 0 1 1 -> p_o = 0; p_e = 1/3*2/3 + 2/3*1/3 = 4/9
    #    kappa = (0 - 4/9) / (5/9) = -0.8
    assert out.loc["y", "kappa"] == pytest.approx(-0.8)
    assert (out.loc["y", "a"], out.loc["y", "b"], out.loc["y", "both"]) == (1, 2, 0)
    # z: nobody used it -> p_e = 1 -> NaN, observed agreement still 1
    assert math.isnan(out.loc["z", "kappa"])
    assert out.loc["z", "observed"] == 1.0
    # overall pools the 9 decisions: A 110 100 000, B 110 011 000
    # agree on 1,2,3,7,8,9 -> p_o = 6/9; p_a(1) = 3/9, p_b(1) = 4/9
    # p_e = 3/9*4/9 + 6/9*5/9 = 42/81; kappa = (54/81 - 42/81) / (39/81) = 12/39
    assert out.loc["overall", "kappa"] == pytest.approx(12 / 39)
    assert out.loc["overall", "n"] == 9
    assert list(out.index) == ["x", "y", "z", "overall"]


def test_agreement_default_codes_are_the_union_sorted() -> None:
    a = pd.DataFrame({"record_id": ["r1", "r2"], "code": ["b", "a"]})
    b = pd.DataFrame({"record_id": ["r1", "r2"], "code": ["b", "a"]})
    out = agreement(a, b)
    assert out["code"].tolist() == ["a", "b", "overall"]
    assert out["kappa"].tolist() == [1.0, 1.0, 1.0]


def test_agreement_rejects_frames_without_codes() -> None:
    with pytest.raises(ValueError, match="coding_b"):
        agreement(
            pd.DataFrame({"record_id": ["r1"], "code": ["a"]}), pd.DataFrame({"record_id": ["r1"]})
        )


def test_krippendorff_alpha_small_case_by_hand() -> None:
    # units (a,a), (a,b), (b,b); each unit has m = 2 values, weight 1/(m-1) = 1
    # coincidences: o_aa = 2, o_ab = o_ba = 1, o_bb = 2; n_a = n_b = 3, n = 6
    # D_o = o_ab + o_ba = 2; D_e = (n_a*n_b + n_b*n_a) / (n - 1) = 18/5
    # alpha = 1 - 2 / (18/5) = 1 - 10/18 = 4/9
    assert krippendorff_alpha([["a", "a"], ["a", "b"], ["b", "b"]]) == pytest.approx(4 / 9)


def test_krippendorff_alpha_with_missing_values_by_hand() -> None:
    # three coders; unit 1: a a a; unit 2: a b (third missing); unit 3: b (only one value,
    # ignored); unit 4: b b (first missing)
    # unit 1: m = 3, 6 ordered a-a pairs * 1/2 -> o_aa += 3
    # unit 2: m = 2 -> o_ab += 1, o_ba += 1; unit 4: o_bb += 2
    # n_a = 3 + 1 = 4, n_b = 1 + 2 = 3, n = 7
    # D_o = 2; D_e = 2 * 4 * 3 / 6 = 4 -> alpha = 1 - 2/4 = 0.5
    data = pd.DataFrame(
        {
            "c1": ["a", "a", None, np.nan],
            "c2": ["a", "b", "b", "b"],
            "c3": ["a", None, None, "b"],
        }
    )
    assert krippendorff_alpha(data) == pytest.approx(0.5)


def test_krippendorff_alpha_published_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example:
    # 4 observers, 12 units, alpha = 0.743
    n = None
    data = [
        [1, 1, n, 1],
        [2, 2, 3, 2],
        [3, 3, 3, 3],
        [3, 3, 3, 3],
        [2, 2, 2, 2],
        [1, 2, 3, 4],
        [4, 4, 4, 4],
        [1, 1, 2, 1],
        [2, 2, 2, 2],
        [n, 5, 5, 5],
        [n, n, 1, 1],
        [n, n, 3, n],
    ]
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_alpha_edge_cases() -> None:
    assert krippendorff_alpha([["a", "a"], ["b", "b"]]) == 1.0  # perfect agreement
    assert math.isnan(krippendorff_alpha([["a", "a"], ["a", "a"]]))  # one category only
    assert math.isnan(krippendorff_alpha([["a", None], [None, "b"]]))  # nothing pairable
