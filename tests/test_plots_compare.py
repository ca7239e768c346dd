"""Tests for the comparison charts (hand-made comparison)."""

from __future__ import annotations

from matplotlib.figure import Figure

from test_compare import RESULTS
from workshop_analysis.compare import compare_results
from workshop_analysis.plots_compare import plot_fields_over_time, plot_kind_mix


def test_fields_over_time_draws_one_bar_per_available_cell() -> None:
    comp = compare_results(RESULTS, lang="en")
    before = comp.by_field.copy()
    fig = plot_fields_over_time(comp.by_field, lang="en")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "Fields of action per workshop (share of statements)"
    # 3 fields x 2 workshops, minus "lernen" missing from the 2017 codebook
    assert len(ax.patches) == 5
    texts = [t.get_text() for t in ax.texts]
    assert "not in codebook" in texts
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Basic training",
        "Fortbildung",
        "Neue Lernformen",
    ]
    assert comp.by_field.equals(before)


def test_kind_mix_stacks_to_one_per_workshop() -> None:
    comp = compare_results(RESULTS)
    fig = plot_kind_mix(comp.kind_mix)
    ax = fig.axes[0]
    right = {}
    for patch in ax.patches:
        y = round(patch.get_y(), 3)
        right[y] = max(right.get(y, 0.0), patch.get_x() + patch.get_width())
    assert sorted(round(v, 6) for v in right.values()) == [1.0, 1.0]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Bedarf",
        "Wunsch",
        "Lob",
        "Bedenken",
        "Art unbestimmt",
    ]
