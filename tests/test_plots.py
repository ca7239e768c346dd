"""Tests of the report charts: structure, numbers and labels of the figures, not pixels."""

from __future__ import annotations

import copy
import io

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from workshop_analysis import (
    plot_cooccurrence,
    plot_kind_by_field,
    plot_roadmap,
    plot_top_fields,
    theme,
)
from workshop_analysis.codebook import Code, Codebook
from workshop_analysis.errors import WorkshopAnalysisError
from workshop_analysis.plots import KIND_HATCHES, ROADMAP_STACKED_WIDTH, action_numbers


@pytest.fixture
def codebook() -> Codebook:
    """Three fields of action, two of them with a child code."""
    return Codebook(
        (
            Code("grund", "Grundqualifizierung", "Basic qualification"),
            Code("grund.warten", "Wartezeiten", "Waiting times", parent="grund"),
            Code("fuehrung", "Führungskräfteentwicklung", "Leadership development"),
            Code("fuehrung.kapa", "Angebotskapazität", "Capacity", parent="fuehrung"),
            Code("regional", "Regionale Angebote", "Regional offers"),
        )
    )


@pytest.fixture
def tagged() -> pd.DataFrame:
    """Eight tagged statements: one without codes (r7), one without a kind (r8)."""
    return pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(1, 9)],
            "kind": pd.array(
                ["need", "wish", "concern", "praise", "concern", "wish", "need", None],
                dtype="string",
            ),
            "text": [f"Aussage {i}" for i in range(1, 9)],
            "codes": [
                ["grund"],
                ["grund", "grund.warten"],
                ["grund.warten"],
                ["fuehrung"],
                ["fuehrung.kapa", "regional"],
                ["regional"],
                [],
                ["regional"],
            ],
        }
    )


@pytest.fixture
def actions() -> pd.DataFrame:
    """Two short-term actions (a2 has the higher priority) and one long-term action."""
    return pd.DataFrame(
        {
            "action_id": ["a1", "a2", "a3"],
            "title": [
                "Wartezeiten verkürzen",
                "Angebote bekannter machen",
                "Kapazität des Führungskräfte-Entwicklungsprogramms der Bundesagentur "
                "für Arbeit bedarfsgerecht und dauerhaft ausbauen",
            ],
            "field": ["grund", "regional", "fuehrung"],
            "codes": [["grund.warten"], ["regional"], ["fuehrung.kapa"]],
            "horizon": ["short", "short", "long"],
            "owner": pd.array(["BA", None, "BA"], dtype="string"),
            "kinds": [["concern"], ["wish", "concern"], ["concern"]],
            "support": [2, 3, 1],
            "breadth": [1, 2, 1],
            "priority": [2.0, 3.5, 1.0],
            "evidence": [["r2", "r3"], ["r5", "r6", "r8"], ["r5"]],
            "rationale": ["", "", ""],
        }
    )


def texts(fig: Figure) -> list[str]:
    """Every non-empty text drawn in the figure."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]


def heatmap_values(ax: Axes) -> np.ndarray:
    """The cell values of the heatmap, masked cells as -1."""
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    return np.ma.filled(mesh.get_array(), -1).astype(int)


def tick_labels(labels: list[Text]) -> list[str]:
    return [label.get_text() for label in labels]


# --------------------------------------------------------------------------- theme


def _fail_inside_theme() -> None:
    with theme():
        assert mpl.rcParams["font.size"] >= 9
        raise RuntimeError("boom")


def test_theme_restores_rcparams_also_after_an_error() -> None:
    before = dict(mpl.rcParams)
    with pytest.raises(RuntimeError, match="boom"):
        _fail_inside_theme()
    assert dict(mpl.rcParams) == before


def test_theme_accepts_overrides() -> None:
    with theme(rc={"font.size": 12.0}):
        assert mpl.rcParams["font.size"] == 12.0


def test_plot_calls_leave_rcparams_unchanged(tagged, codebook, actions) -> None:
    before = dict(mpl.rcParams)
    plot_kind_by_field(tagged, codebook=codebook)
    plot_top_fields(tagged, codebook=codebook)
    plot_roadmap(actions)
    plot_cooccurrence(tagged, codebook=codebook)
    assert dict(mpl.rcParams) == before


def test_plots_do_not_mutate_their_input(tagged, codebook, actions) -> None:
    tagged_before, actions_before = copy.deepcopy(tagged), copy.deepcopy(actions)
    plot_kind_by_field(tagged, codebook=codebook)
    plot_top_fields(tagged, codebook=codebook, level="code")
    plot_cooccurrence(tagged, codebook=codebook)
    plot_roadmap(actions)
    pd.testing.assert_frame_equal(tagged, tagged_before)
    pd.testing.assert_frame_equal(actions, actions_before)


def test_figures_fit_a4_and_text_is_print_sized(tagged, codebook, actions) -> None:
    figures = [
        plot_kind_by_field(tagged, codebook=codebook),
        plot_top_fields(tagged, codebook=codebook),
        plot_roadmap(actions),
        plot_cooccurrence(tagged, codebook=codebook),
    ]
    for fig in figures:
        assert isinstance(fig, Figure)
        assert fig.get_figwidth() <= 7.5
        fig.draw_without_rendering()
        sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
        assert sizes
        assert min(sizes) >= 9


def test_svg_output_is_reproducible_when_saved_inside_the_theme(tagged, codebook) -> None:
    def svg() -> bytes:
        fig = plot_kind_by_field(tagged, codebook=codebook)
        buf = io.BytesIO()
        with theme():
            fig.savefig(buf, format="svg", metadata={"Date": None})
        return buf.getvalue()

    assert svg() == svg()


# --------------------------------------------------------------------------- kind by field


def test_kind_by_field_counts_each_statement_once_per_field(tagged, codebook) -> None:
    fig = plot_kind_by_field(tagged, codebook=codebook)
    ax = fig.axes[0]
    # rows: fields in codebook order, then "ohne Zuordnung"; columns: need wish praise
    # concern, then "kind unknown" (r8); r2 (grund + grund.warten) counts once in grund.
    expected = [
        [1, 1, 0, 1, 0],
        [0, 0, 1, 1, 0],
        [0, 1, 0, 1, 1],
        [1, 0, 0, 0, 0],
    ]
    assert heatmap_values(ax).tolist() == expected
    annotated = [t.get_text() for t in ax.texts]
    assert annotated == [str(v) for row in expected for v in row]
    assert tick_labels(ax.get_yticklabels()) == [
        "Grundqualifizierung (3)",
        "Führungskräfteentwicklung (2)",
        "Regionale Angebote (3)",
        "ohne Zuordnung (1)",
    ]
    assert tick_labels(ax.get_xticklabels()) == [
        "Bedarf",
        "Wunsch",
        "Lob",
        "Bedenken",
        "Art unbestimmt",
    ]
    assert ax.get_title() == "Aussagen nach Handlungsfeld und Art"
    assert ax.get_xlabel() == "Art der Aussage"
    assert ax.get_ylabel() == "Handlungsfeld"


def test_kind_by_field_in_english(tagged, codebook) -> None:
    ax = plot_kind_by_field(tagged, codebook=codebook, lang="en").axes[0]
    assert ax.get_title() == "Statements by field of action and kind"
    assert ax.get_ylabel() == "Field of action"
    assert tick_labels(ax.get_xticklabels()) == [
        "need",
        "wish",
        "praise",
        "concern",
        "kind unknown",
    ]
    assert tick_labels(ax.get_yticklabels())[::3] == [
        "Basic qualification (3)",
        "not yet assigned (1)",
    ]


def test_kind_by_field_without_codebook_uses_code_ids(tagged) -> None:
    data = tagged[tagged["kind"].notna()]  # no "kind unknown" column then
    ax = plot_kind_by_field(data).axes[0]
    # Without a codebook every code is its own field, ordered by count, then id.
    assert tick_labels(ax.get_yticklabels()) == [
        "grund (2)",
        "grund.warten (2)",
        "regional (2)",
        "fuehrung (1)",
        "fuehrung.kapa (1)",
        "ohne Zuordnung (1)",
    ]
    assert heatmap_values(ax).tolist() == [
        [1, 1, 0, 0],
        [0, 1, 0, 1],
        [0, 1, 0, 1],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
        [1, 0, 0, 0],
    ]


def test_kind_by_field_draws_into_a_given_axes(tagged, codebook) -> None:
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_kind_by_field(tagged, codebook=codebook, ax=ax) is ax
    assert heatmap_values(ax).shape == (4, 5)


def test_kind_by_field_with_no_records_says_so(tagged) -> None:
    fig = plot_kind_by_field(tagged.iloc[:0])
    assert "keine Daten" in texts(fig)


def test_kind_by_field_names_a_missing_column(tagged) -> None:
    with pytest.raises(WorkshopAnalysisError, match=r"lack column.*'kind'"):
        plot_kind_by_field(tagged.drop(columns="kind"))


def test_unknown_language_is_refused(tagged) -> None:
    with pytest.raises(WorkshopAnalysisError, match="unsupported language 'fr'"):
        plot_kind_by_field(tagged, lang="fr")


# --------------------------------------------------------------------------- top fields


def bars(ax: Axes) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() > 0]


def test_top_fields_ranks_fields_and_stacks_kinds(tagged, codebook) -> None:
    fig = plot_top_fields(tagged, codebook=codebook)
    ax = fig.axes[0]
    # grund 3 and regional 3 tie: codebook order decides; fuehrung 2.
    assert tick_labels(ax.get_yticklabels()) == [
        "Grundqualifizierung",
        "Regionale Angebote",
        "Führungskräfteentwicklung",
    ]
    # need 1 + wish 2 + praise 1 + concern 3 + unknown 1 segments
    assert len(bars(ax)) == 8
    widths_by_hatch: dict[str, float] = {}
    for bar in bars(ax):
        widths_by_hatch[bar.get_hatch() or ""] = widths_by_hatch.get(bar.get_hatch() or "", 0)
        widths_by_hatch[bar.get_hatch() or ""] += bar.get_width()
    assert widths_by_hatch[KIND_HATCHES["concern"]] == 3
    assert widths_by_hatch[KIND_HATCHES["praise"]] == 1
    assert [t.get_text() for t in ax.texts] == ["3", "3", "2"]
    assert tick_labels(ax.get_legend().get_texts()) == [
        "Bedarf",
        "Wunsch",
        "Lob",
        "Bedenken",
        "Art unbestimmt",
    ]
    assert ax.get_xlabel() == "Aussagen"
    assert ax.get_title() == "Handlungsfelder mit den meisten Aussagen"
    assert "Nicht dargestellt: 1 Aussage ohne Zuordnung." in texts(fig)


def test_top_fields_top_and_english(tagged, codebook) -> None:
    fig = plot_top_fields(tagged, codebook=codebook, top=2, lang="en")
    ax = fig.axes[0]
    assert tick_labels(ax.get_yticklabels()) == ["Basic qualification", "Regional offers"]
    assert ax.get_title() == "Fields of action with the most statements"
    assert ax.get_xlabel() == "Statements"
    # only kinds that occur in the bars shown are in the legend (no praise here)
    assert tick_labels(ax.get_legend().get_texts()) == ["need", "wish", "concern", "kind unknown"]


def test_top_fields_by_code(tagged, codebook) -> None:
    ax = plot_top_fields(tagged, codebook=codebook, level="code").axes[0]
    assert tick_labels(ax.get_yticklabels()) == [
        "Regionale Angebote",
        "Grundqualifizierung",
        "Wartezeiten",
        "Führungskräfteentwicklung",
        "Angebotskapazität",
    ]
    assert [t.get_text() for t in ax.texts] == ["3", "2", "2", "1", "1"]
    assert ax.get_title() == "Codes mit den meisten Aussagen"


def test_top_fields_rejects_bad_options(tagged) -> None:
    with pytest.raises(WorkshopAnalysisError, match="top must be at least 1"):
        plot_top_fields(tagged, top=0)
    with pytest.raises(WorkshopAnalysisError, match="level must be"):
        plot_top_fields(tagged, level="section")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- roadmap


def lane_texts(fig: Figure) -> list[Text]:
    return list(fig.axes[0].texts)


def test_roadmap_has_two_labelled_lanes_in_the_order_of_the_table(actions) -> None:
    fig = plot_roadmap(actions)
    ax = fig.axes[0]
    labels = texts(fig)
    assert ax.get_title() == "Maßnahmenplan"
    assert "Kurzfristig (2)" in labels
    assert "Längerfristig (1)" in labels
    by_text = {t.get_text(): t for t in ax.texts}
    # the table's order, not a second sort: a1 above a2 although a2 has the higher
    # priority (derive_actions defines the one order); y grows downwards.
    assert (
        by_text["Wartezeiten verkürzen"].get_position()[1]
        < (by_text["Angebote bekannter machen"].get_position()[1])
    )
    swapped = plot_roadmap(actions.iloc[[1, 0, 2]]).axes[0]
    again = {t.get_text(): t for t in swapped.texts}
    assert (
        again["Angebote bekannter machen"].get_position()[1]
        < again["Wartezeiten verkürzen"].get_position()[1]
    )
    assert any(t.startswith("Verantwortlich: offen\nPriorität 3.5 · 3 Aussagen") for t in labels)
    assert any(t.startswith("Verantwortlich: BA\nPriorität 1 · 1 Aussage") for t in labels)
    # lanes side by side: the long-term lane's texts are right of the short-term lane's
    assert (
        by_text["Längerfristig (1)"].get_position()[0]
        > by_text["Kurzfristig (2)"].get_position()[0]
    )


def test_roadmap_marker_size_grows_with_priority(actions) -> None:
    ax = plot_roadmap(actions).axes[0]
    sizes = [c.get_sizes()[0] for c in ax.collections if isinstance(c, PathCollection)]
    # drawn lane by lane in table order: a1 (2.0), a2 (3.5), a3 (1.0)
    assert len(sizes) == 3
    assert sizes[1] > sizes[0] > sizes[2]
    ranks = [t.get_text() for t in ax.texts if t.get_text() in {"1", "2"}]
    assert ranks == ["1", "2", "1"]
    # the numbers are the report's: position within the horizon, as action_numbers says
    assert action_numbers(actions) == [1, 2, 1]
    gids = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert gids == {"wa-rank-a1": "1", "wa-rank-a2": "2", "wa-rank-a3": "1"}


def test_roadmap_wraps_long_titles(actions) -> None:
    ax = plot_roadmap(actions).axes[0]
    (wrapped,) = [t.get_text() for t in ax.texts if t.get_text().startswith("Kapazität")]
    lines = wrapped.split("\n")
    assert len(lines) >= 3
    assert max(len(line) for line in lines) <= 31
    assert " ".join(lines).replace("- ", "-") == actions.loc[2, "title"]


def test_roadmap_in_english(actions) -> None:
    fig = plot_roadmap(actions, lang="en")
    labels = texts(fig)
    assert fig.axes[0].get_title() == "Action plan"
    assert {"Short-term (2)", "Long-term (1)"} <= set(labels)
    assert any(t.startswith("Owner: not set\nPriority 3.5 · 3 statements") for t in labels)


def test_roadmap_with_an_empty_lane_says_so(actions) -> None:
    labels = texts(plot_roadmap(actions[actions["horizon"] == "long"]))
    assert "Kurzfristig (0)" in labels
    assert labels.count("keine Maßnahmen") == 1


def test_roadmap_with_no_actions_at_all(actions) -> None:
    labels = texts(plot_roadmap(actions.iloc[:0], lang="en"))
    assert labels.count("no actions") == 2


def test_roadmap_top_limits_each_lane_and_says_how_many_are_left_out(actions) -> None:
    fig = plot_roadmap(actions, top=1)
    labels = texts(fig)
    assert "Kurzfristig (2)" in labels  # the header still counts every action
    assert labels.count("+ 1 weitere Maßnahme") == 1  # singular
    assert "Angebote bekannter machen" not in labels  # a2 is second in the table
    assert len([c for c in fig.axes[0].collections if isinstance(c, PathCollection)]) == 2
    with pytest.raises(WorkshopAnalysisError, match="top must be at least 1"):
        plot_roadmap(actions, top=0)


def test_stacked_roadmap_is_narrow_with_larger_type(actions) -> None:
    fig = plot_roadmap(actions, stacked=True)
    ax = fig.axes[0]
    assert fig.get_figwidth() == pytest.approx(ROADMAP_STACKED_WIDTH)
    assert fig.get_figwidth() < plot_roadmap(actions).get_figwidth()
    by_text = {t.get_text(): t for t in ax.texts}
    # lanes one under the other: the long-term header is below the last short-term box
    assert (
        by_text["Längerfristig (1)"].get_position()[1]
        > by_text["Angebote bekannter machen"].get_position()[1]
    )
    assert by_text["Wartezeiten verkürzen"].get_fontsize() >= 10.5
    # at 390 px (about 358 px of text width) 10.5 pt stays above 10 px on screen
    px_per_in = 358 / fig.get_figwidth()
    assert 10.5 / 72 * px_per_in >= 10


def test_roadmap_draws_into_a_given_axes(actions) -> None:
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_roadmap(actions, ax=ax) is ax
    assert len(fig.axes) == 1


def test_roadmap_names_the_action_with_an_unknown_horizon(actions) -> None:
    bad = actions.assign(horizon=["short", "mittel", "long"])
    with pytest.raises(WorkshopAnalysisError, match=r"a2 \('mittel'\)"):
        plot_roadmap(bad)
    with pytest.raises(WorkshopAnalysisError, match="'horizon'"):
        plot_roadmap(actions.drop(columns="horizon"))


# --------------------------------------------------------------------------- co-occurrence


def test_cooccurrence_counts_pairs_in_the_lower_triangle(tagged, codebook) -> None:
    fig = plot_cooccurrence(tagged, codebook=codebook)
    ax = fig.axes[0]
    # r2 has grund + grund.warten: the parent is dropped; only r5 pairs two codes.
    values = heatmap_values(ax)
    assert values.shape == (5, 4)
    expected = np.full((5, 4), -1)
    for i in range(5):
        expected[i, :i] = 0
    expected[4, 3] = 1  # Regionale Angebote × Angebotskapazität
    assert values.tolist() == expected.tolist()
    assert [t.get_text() for t in ax.texts] == ["1"]
    assert tick_labels(ax.get_yticklabels()) == [
        "1  Grundqualifizierung (1)",
        "2  Wartezeiten (2)",
        "3  Führungskräfteentwicklung (1)",
        "4  Angebotskapazität (1)",
        "5  Regionale Angebote (3)",
    ]
    assert tick_labels(ax.get_xticklabels()) == ["1", "2", "3", "4"]
    assert ax.get_title() == "Gemeinsam vergebene Codes"


def test_cooccurrence_of_fields_in_english(tagged, codebook) -> None:
    ax = plot_cooccurrence(tagged, codebook=codebook, level="field", lang="en").axes[0]
    assert heatmap_values(ax).tolist() == [[-1, -1], [0, -1], [0, 1]]
    assert tick_labels(ax.get_yticklabels()) == [
        "1  Basic qualification (3)",
        "2  Leadership development (2)",
        "3  Regional offers (3)",
    ]
    assert ax.get_title() == "Codes assigned together"


def test_cooccurrence_top_keeps_the_most_frequent_codes(tagged, codebook) -> None:
    # top 2: regional (3) and grund.warten (2), which never share a statement
    fig = plot_cooccurrence(tagged, codebook=codebook, top=2)
    assert "keine Aussage mit zwei oder mehr Codes" in texts(fig)
    extra = pd.DataFrame(
        {
            "record_id": ["r9"],
            "kind": ["wish"],
            "text": ["Aussage 9"],
            "codes": [["fuehrung", "grund"]],
        }
    )
    more = pd.concat([tagged, extra.astype({"kind": "string"})], ignore_index=True)
    ax = plot_cooccurrence(more, codebook=codebook, top=4).axes[0]
    # Angebotskapazität (1 statement) is the one left out; codebook order is kept
    assert tick_labels(ax.get_yticklabels()) == [
        "1  Grundqualifizierung (2)",
        "2  Wartezeiten (2)",
        "3  Führungskräfteentwicklung (2)",
        "4  Regionale Angebote (3)",
    ]
    assert heatmap_values(ax).tolist() == [[-1, -1, -1], [0, -1, -1], [1, 0, -1], [0, 0, 0]]
    assert [t.get_text() for t in ax.texts] == ["1"]


def test_cooccurrence_without_pairs_says_so(tagged) -> None:
    single = tagged.assign(codes=[["a"], ["b"], [], ["a"], ["c"], [], [], ["b"]])
    assert "keine Aussage mit zwei oder mehr Codes" in texts(plot_cooccurrence(single))
