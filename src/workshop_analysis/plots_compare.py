"""Charts comparing workshops: fields of action over time and the kind mix per workshop.

Like :mod:`workshop_analysis.plots`: each function takes a tidy frame from
:func:`workshop_analysis.compare.compare` (never modified), draws inside
:func:`~workshop_analysis.plots.theme` and returns a new, unregistered
:class:`~matplotlib.figure.Figure` (or the given ``ax``). Colours are the Okabe–Ito palette
with hatches and printed values, so nothing depends on colour alone.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from .i18n import catalogue, check_lang, kind_label, t
from .plots import KIND_COLORS, KIND_HATCHES, OKABE_ITO, _empty, _figure, _finish, theme

__all__ = ["plot_fields_over_time", "plot_kind_mix"]

#: Colours and hatches of successive workshops (oldest first); cycles after six.
_WORKSHOP_STYLE: tuple[tuple[str, str], ...] = (
    (OKABE_ITO["sky_blue"], ""),
    (OKABE_ITO["blue"], "///"),
    (OKABE_ITO["orange"], "..."),
    (OKABE_ITO["bluish_green"], "xxx"),
    (OKABE_ITO["reddish_purple"], "\\\\\\"),
    (OKABE_ITO["vermillion"], "++"),
)


def _s(key: str, lang: str) -> str:
    if key in ("unknown", "no_data"):
        return t("kind_unknown" if key == "unknown" else "no_data", lang)
    if key == "workshop":
        return t("workshop", lang)
    return catalogue(check_lang(lang))["compare"][f"chart_{key}"]


def _legend(fig: Figure | None, ax: Axes, **kwargs: Any) -> None:
    """A legend below the plot that never overlaps the axis labels (outside the axes in a
    constrained layout)."""
    if fig is not None:
        fig.legend(loc="outside lower center", **kwargs)
    else:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), **kwargs)


def plot_fields_over_time(
    by_field: pd.DataFrame,
    *,
    lang: str = "de",
    labels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Figure | Axes:
    """Grouped bars: the share of statements per field of action, one bar per workshop.

    Parameters
    ----------
    by_field : DataFrame
        ``Comparison.by_field`` (``workshop, field, label, count, share, in_codebook``),
        workshops in time order.
    lang : {"de", "en"}
        Language of titles and legends (labels come from the frame).
    labels : mapping, optional
        ``{workshop id: label}`` for the legend (e.g. the workshops' dates); default: ids.
    ax : Axes, optional
        Draw into this axes instead of a new figure.

    Returns
    -------
    Figure or Axes
        Bars are annotated with the count; a field missing from a workshop's codebook is
        marked "not in codebook" instead of a bar.
    """
    workshops = list(dict.fromkeys(by_field["workshop"].tolist()))
    fields = list(dict.fromkeys(by_field["field"].tolist()))
    names = dict(labels or {})
    labels = dict(zip(by_field["field"], by_field["label"], strict=True))
    height = 1.2 + 0.32 * max(1, len(fields)) * max(1, len(workshops)) + 0.3 * len(workshops)
    with theme():
        fig, ax = _figure(ax, min(height, 9.0))
        if by_field.empty:
            _empty(ax, _s("no_data", lang))
            return _finish(fig, ax)
        bar = 0.8 / len(workshops)
        cells = by_field.set_index(["workshop", "field"])
        for i, ws in enumerate(workshops):
            colour, hatch = _WORKSHOP_STYLE[i % len(_WORKSHOP_STYLE)]
            ys, widths, notes = [], [], []
            for j, field in enumerate(fields):
                row = cells.loc[(ws, field)]
                y = j + (i - (len(workshops) - 1) / 2) * bar
                if not bool(row["in_codebook"]) or pd.isna(row["share"]):
                    ax.text(
                        0.01,
                        y,
                        _s("absent", lang),
                        va="center",
                        fontsize=8.5,
                        color="#555555",
                        style="italic",
                    )
                    continue
                ys.append(y)
                widths.append(float(row["share"]))
                notes.append(int(row["count"]))
            bars = ax.barh(
                ys,
                widths,
                height=bar * 0.92,
                color=colour,
                hatch=hatch,
                edgecolor="#333333",
                linewidth=0.6,
                label=names.get(ws, ws),
            )
            for rect, n in zip(bars, notes, strict=True):
                ax.text(
                    rect.get_width() + 0.008,
                    rect.get_y() + rect.get_height() / 2,
                    str(n),
                    va="center",
                    fontsize=9,
                )
        ax.set_yticks(range(len(fields)), [textwrap.fill(str(labels[f]), 28) for f in fields])
        ax.invert_yaxis()
        top = by_field["share"].dropna()
        ax.set_xlim(0, min(1.0, math.ceil((float(top.max()) if len(top) else 0.1) * 10 + 1) / 10))
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel(_s("share", lang))
        ax.set_title(_s("fields_title", lang))
        _legend(fig, ax, title=_s("workshop", lang), ncols=min(3, len(workshops)))
        ax.grid(axis="y", visible=False)
        return _finish(fig, ax)


def plot_kind_mix(
    kind_mix: pd.DataFrame,
    *,
    lang: str = "de",
    labels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Figure | Axes:
    """Stacked bars: the kinds of statement per workshop, as shares (counts printed).

    Parameters
    ----------
    kind_mix : DataFrame
        ``Comparison.kind_mix`` (``workshop, kind, count, share``).
    lang : {"de", "en"}
        Language of titles and kind names.
    labels : mapping, optional
        ``{workshop id: label}`` for the rows (e.g. the workshops' dates); default: ids.
    ax : Axes, optional
        Draw into this axes instead of a new figure.

    Returns
    -------
    Figure or Axes
    """
    workshops = list(dict.fromkeys(kind_mix["workshop"].tolist()))
    kinds = list(dict.fromkeys(kind_mix["kind"].tolist()))
    with theme():
        fig, ax = _figure(ax, 1.6 + 0.55 * max(1, len(workshops)))
        if kind_mix.empty:
            _empty(ax, _s("no_data", lang))
            return _finish(fig, ax)
        cells = kind_mix.set_index(["workshop", "kind"])
        left = [0.0] * len(workshops)
        for kind in kinds:
            shares = [float(cells.loc[(w, kind), "share"]) for w in workshops]
            counts = [int(cells.loc[(w, kind), "count"]) for w in workshops]
            name = _s("unknown", lang) if kind == "unknown" else kind_label(kind, lang)
            bars = ax.barh(
                range(len(workshops)),
                shares,
                left=left,
                height=0.6,
                color=KIND_COLORS.get(kind, "#999999"),
                hatch=KIND_HATCHES.get(kind, ""),
                edgecolor="#333333",
                linewidth=0.6,
                label=name,
            )
            for rect, n, share in zip(bars, counts, shares, strict=True):
                if n and share >= 0.06:
                    ax.text(
                        rect.get_x() + rect.get_width() / 2,
                        rect.get_y() + rect.get_height() / 2,
                        str(n),
                        ha="center",
                        va="center",
                        fontsize=9,
                        color="#111111",
                        bbox={
                            "boxstyle": "round,pad=0.15",
                            "fc": "white",
                            "ec": "none",
                            "alpha": 0.85,
                        },
                    )
            left = [a + b for a, b in zip(left, shares, strict=True)]
        names = dict(labels or {})
        ax.set_yticks(
            range(len(workshops)), [textwrap.fill(names.get(w, w), 26) for w in workshops]
        )
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel(_s("share", lang))
        ax.set_title(_s("kind_title", lang))
        _legend(fig, ax, ncols=len(kinds))
        ax.grid(axis="y", visible=False)
        return _finish(fig, ax)
