"""Charts of the report: statements by kind and field, top fields, roadmap, code co-occurrence.

Every chart function takes a tidy DataFrame (never modified), draws inside :func:`theme` and
returns a new :class:`matplotlib.figure.Figure` — or the given ``ax`` when one is passed.
The figures are not registered with ``pyplot`` (no global state, nothing to close), are at
most 6.5 in wide (A4 text width) with text of at least 9 pt, use the colour-blind-safe
Okabe–Ito palette for kinds and horizons (plus hatches and labels, so nothing depends on
colour alone) and a single-hue sequential colormap with annotated counts for heatmaps.

Labels are German by default; pass ``lang="en"`` for English (strings: :mod:`.i18n`).

Examples
--------
>>> import pandas as pd
>>> from workshop_analysis.plots import plot_kind_by_field
>>> data = pd.DataFrame({"kind": ["need", "wish"], "codes": [["a"], []]})
>>> fig = plot_kind_by_field(data, lang="en")
>>> fig.axes[0].get_title()
'Statements by field of action and kind'
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Patch
from matplotlib.ticker import MaxNLocator

from .codebook import HORIZONS, Codebook
from .errors import WorkshopAnalysisError
from .i18n import check_lang, horizon_label, kind_label, priority_label, t
from .records import KINDS, split_codes

__all__ = [
    "HORIZON_COLORS",
    "KIND_COLORS",
    "KIND_HATCHES",
    "OKABE_ITO",
    "action_numbers",
    "plot_cooccurrence",
    "plot_kind_by_field",
    "plot_roadmap",
    "plot_top_fields",
    "theme",
]

#: The Okabe–Ito palette (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

#: Colour of each kind of statement (and grey for a missing kind).
KIND_COLORS: dict[str, str] = {
    "need": OKABE_ITO["blue"],
    "wish": OKABE_ITO["orange"],
    "praise": OKABE_ITO["bluish_green"],
    "concern": OKABE_ITO["vermillion"],
    "unknown": "#999999",
}

#: Hatch of each kind, so that bars stay distinguishable in grey-scale print.
KIND_HATCHES: dict[str, str] = {
    "need": "",
    "wish": "///",
    "praise": "...",
    "concern": "xxx",
    "unknown": "",
}

#: Colour of each action horizon.
HORIZON_COLORS: dict[str, str] = {"short": OKABE_ITO["orange"], "long": OKABE_ITO["blue"]}

#: Sequential, single-hue colormap of the heatmaps (annotated, so colour is redundant).
HEATMAP_CMAP = "Blues"

#: Width of every figure in inches (A4 with 2 cm margins leaves about 6.7 in).
FIG_WIDTH = 6.5

_UNASSIGNED = "\x00unassigned"  # field key of records without codes (sorts apart from ids)
_UNKNOWN_KIND = "unknown"

_RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"],
    "font.size": 9.5,
    "axes.titlesize": 11.5,
    "axes.titleweight": "bold",
    "axes.titlepad": 8.0,
    "axes.labelsize": 10.0,
    "axes.labelcolor": "#222222",
    "axes.edgecolor": "#888888",
    "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO.values())),
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "xtick.color": "#222222",
    "ytick.color": "#222222",
    "legend.fontsize": 9.5,
    "legend.title_fontsize": 9.5,
    "legend.frameon": False,
    "figure.titlesize": 12.0,
    "figure.labelsize": 9.5,
    "figure.dpi": 100.0,
    "figure.facecolor": "white",
    "savefig.dpi": 200.0,
    "savefig.facecolor": "white",
    "image.cmap": "cividis",
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "workshop-analysis",  # stable ids in SVG output
    # user text (code labels, sections, titles) is shown literally: "$", "_", "^" and "\\"
    # never start mathtext or LaTeX
    "text.parse_math": False,
    "text.usetex": False,
    "pdf.fonttype": 42,
}


@contextmanager
def theme(*, rc: Mapping[str, Any] | None = None) -> Iterator[None]:
    """Apply the report's chart theme inside a ``with`` block, then restore ``rcParams``.

    Seaborn's ``whitegrid`` style plus print-sized fonts (≥ 9 pt), the Okabe–Ito colour
    cycle and stable SVG ids. Nothing is changed globally: every ``rcParams`` value is
    restored on exit, also after an exception. The chart functions use it themselves;
    save a figure inside ``with theme():`` too (``fig.savefig(buf, format="svg",
    metadata={"Date": None})``) to get byte-identical SVG files (fixed ``svg.hashsalt``).

    Parameters
    ----------
    rc : mapping, optional
        Extra ``rcParams`` that override the theme.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> before = dict(mpl.rcParams)
    >>> with theme():
    ...     mpl.rcParams["axes.titleweight"]
    'bold'
    >>> dict(mpl.rcParams) == before
    True
    """
    import seaborn as sns  # imported here: the package import stays light

    params = {**sns.axes_style("whitegrid"), **_RC, **dict(rc or {})}
    with mpl.rc_context(params):
        yield


# --------------------------------------------------------------------------- helpers


def _require(data: pd.DataFrame, columns: Iterable[str], func: str, what: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise WorkshopAnalysisError(
            f"{func}: the {what} lack column(s) {', '.join(repr(c) for c in missing)} "
            f"(found: {', '.join(map(str, data.columns)) or 'none'})"
        )


def _codes_per_record(data: pd.DataFrame) -> list[list[str]]:
    return [split_codes(v) for v in data["codes"].tolist()]


def _kinds_per_record(data: pd.DataFrame) -> list[str]:
    out = []
    for value in data["kind"].tolist():
        out.append(str(value) if isinstance(value, str) and value in KINDS else _UNKNOWN_KIND)
    return out


def _field_of(code: str, codebook: Codebook | None) -> str:
    if codebook is not None and code in codebook:
        return codebook.top_level(code)
    return code


def _fields_of(codes: Sequence[str], codebook: Codebook | None) -> list[str]:
    """Distinct fields (top-level codes) of a record, or ``[_UNASSIGNED]``."""
    fields = sorted({_field_of(c, codebook) for c in codes})
    return fields or [_UNASSIGNED]


def _order(keys: Iterable[str], codebook: Codebook | None, counts: Mapping[str, int]) -> list[str]:
    """Codebook order first, then unknown keys by count (desc) and id; unassigned last."""
    keys = set(keys)
    known = [c for c in (codebook.ids if codebook is not None else []) if c in keys]
    rest = sorted(
        (k for k in keys if k not in known and k != _UNASSIGNED),
        key=lambda k: (-counts.get(k, 0), k),
    )
    return known + rest + ([_UNASSIGNED] if _UNASSIGNED in keys else [])


def _label(key: str, codebook: Codebook | None, lang: str) -> str:
    if key == _UNASSIGNED:
        return t("unassigned", lang)
    if codebook is not None and key in codebook:
        return codebook[key].title(lang)
    return key


def _kind_name(kind: str, lang: str) -> str:
    return t("kind_unknown", lang) if kind == _UNKNOWN_KIND else kind_label(kind, lang)


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(str(text), width=width, break_on_hyphens=True) or str(text)


def _luminance(rgb: Sequence[float]) -> float:
    """Relative luminance (WCAG) of an sRGB colour."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _text_color_on(rgb: Sequence[float]) -> str:
    return "white" if _luminance(rgb) < 0.35 else "#111111"


def _figure(ax: Axes | None, height: float) -> tuple[Figure | None, Axes]:
    if ax is not None:
        return None, ax
    fig = Figure(figsize=(FIG_WIDTH, height), layout="constrained")
    return fig, fig.add_subplot()


def _finish(fig: Figure | None, ax: Axes) -> Figure | Axes:
    if fig is None:
        return ax
    fig.draw_without_rendering()  # realise ticks and layout while the theme is active
    return fig


def _empty(ax: Axes, message: str) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        transform=ax.transAxes,
        color="#555555",
        style="italic",
    )


def _heatmap(
    ax: Axes,
    values: np.ndarray,
    mask: np.ndarray,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    *,
    rotate_cols: bool,
    show_zero: bool = True,
) -> None:
    """Annotated heatmap: rows top to bottom, masked cells left blank."""
    nrows, ncols = values.shape
    cmap = mpl.colormaps[HEATMAP_CMAP]
    vmax = max(1, int(values[~mask].max())) if (~mask).any() else 1
    norm = mpl.colors.Normalize(vmin=0, vmax=vmax)
    shown = np.ma.masked_array(values.astype(float), mask=mask)
    ax.pcolormesh(
        np.arange(ncols + 1),
        np.arange(nrows + 1),
        shown,
        cmap=cmap,
        norm=norm,
        edgecolors="white",
        linewidth=1.5,
    )
    ax.set_xlim(0, ncols)
    ax.set_ylim(nrows, 0)
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.tick_params(length=0)
    ax.set_xticks(np.arange(ncols) + 0.5, list(col_labels))
    ax.set_yticks(np.arange(nrows) + 0.5, list(row_labels))
    if rotate_cols:
        for label in ax.get_xticklabels():
            label.set(rotation=40, ha="right", rotation_mode="anchor")
    for i in range(nrows):
        for j in range(ncols):
            if mask[i, j] or (values[i, j] == 0 and not show_zero):
                continue
            value = int(values[i, j])
            color = "#9a9a9a" if value == 0 else _text_color_on(cmap(norm(value)))
            ax.text(
                j + 0.5,
                i + 0.5,
                str(value),
                ha="center",
                va="center",
                color=color,
                fontsize=9.5,
                fontweight="bold" if value else "normal",
            )


# --------------------------------------------------------------------------- charts


def plot_kind_by_field(
    data: pd.DataFrame,
    *,
    codebook: Codebook | None = None,
    lang: str = "de",
    ax: Axes | None = None,
) -> Figure | Axes:
    """Heatmap of the number of statements per field of action (rows) and kind (columns).

    The field of a statement is the top-level ancestor (``codebook.top_level``) of each of
    its codes; a statement with codes in two fields counts once in each. Statements without
    codes form the last row, "ohne Zuordnung" ("not yet assigned"); statements without a
    kind form an extra last column. Fields follow codebook order (codes unknown to the
    codebook: by count, then id); only fields with statements are shown.

    Parameters
    ----------
    data : DataFrame
        Tagged records: at least ``kind`` (one of ``KINDS`` or missing) and ``codes``
        (list of code ids, or a ``;``-separated string).
    codebook : Codebook, optional
        Maps codes to fields and gives the labels; without it every code is its own field,
        labelled by its id.
    lang : {"de", "en"}
        Language of titles and labels.
    ax : Axes, optional
        Draw into this Axes instead of a new figure.

    Returns
    -------
    Figure or Axes
        A new figure, or ``ax`` when given. Cell counts are written in the cells.

    Raises
    ------
    WorkshopAnalysisError
        When ``data`` lacks ``kind`` or ``codes``, or ``lang`` is unsupported.
    """
    check_lang(lang)
    _require(data, ["kind", "codes"], "plot_kind_by_field", "records")
    kinds = _kinds_per_record(data)
    fields = [_fields_of(c, codebook) for c in _codes_per_record(data)]
    cells: Counter[tuple[str, str]] = Counter(
        (f, k) for fs, k in zip(fields, kinds, strict=True) for f in fs
    )
    totals: Counter[str] = Counter(f for fs in fields for f in fs)
    rows = _order(totals, codebook, totals)
    cols = list(KINDS) + ([_UNKNOWN_KIND] if _UNKNOWN_KIND in kinds else [])

    with theme():
        fig, ax = _figure(ax, height=1.5 + 0.42 * max(len(rows), 2))
        ax.set_title(t("title_kind_by_field", lang))
        ax.set_xlabel(t("kind", lang))
        ax.set_ylabel(t("field", lang))
        if not rows:
            _empty(ax, t("no_data", lang))
            return _finish(fig, ax)
        values = np.array([[cells[(r, c)] for c in cols] for r in rows], dtype=int)
        _heatmap(
            ax,
            values,
            np.zeros_like(values, dtype=bool),
            [_wrap(f"{_label(r, codebook, lang)} ({totals[r]})", 34) for r in rows],
            [_kind_name(c, lang) for c in cols],
            rotate_cols=False,
        )
        return _finish(fig, ax)


def plot_top_fields(
    data: pd.DataFrame,
    *,
    codebook: Codebook | None = None,
    lang: str = "de",
    top: int = 10,
    level: Literal["field", "code"] = "field",
    ax: Axes | None = None,
) -> Figure | Axes:
    """Horizontal bars of the fields (or codes) with the most statements, stacked by kind.

    Each bar is one field (``level="field"``, the top-level ancestor of the codes) or one
    code (``level="code"``) and is split into segments per kind (colour *and* hatch, with
    a legend); the total is written at the end of the bar. A statement counts once per
    field. Bars are sorted by total (descending), ties in codebook order, then by id.
    Statements without codes are not ranked; their number is given in a note below.

    Parameters
    ----------
    data : DataFrame
        Tagged records with ``kind`` and ``codes``.
    codebook : Codebook, optional
        Maps codes to fields and gives labels.
    lang : {"de", "en"}
        Language of titles and labels.
    top : int, default 10
        Number of bars shown (at least 1).
    level : {"field", "code"}, default "field"
        Rank fields of action or individual codes.
    ax : Axes, optional
        Draw into this Axes instead of a new figure.

    Returns
    -------
    Figure or Axes
        A new figure, or ``ax`` when given.

    Raises
    ------
    WorkshopAnalysisError
        For missing columns, ``top < 1``, an unknown ``level`` or ``lang``.
    """
    check_lang(lang)
    _require(data, ["kind", "codes"], "plot_top_fields", "records")
    if top < 1:
        raise WorkshopAnalysisError(f"plot_top_fields: top must be at least 1, not {top}")
    if level not in ("field", "code"):
        raise WorkshopAnalysisError(
            f"plot_top_fields: level must be 'field' or 'code', not {level!r}"
        )
    kinds = _kinds_per_record(data)
    codes = _codes_per_record(data)
    if level == "field":
        keys = [_fields_of(c, codebook) for c in codes]
    else:
        keys = [list(c) or [_UNASSIGNED] for c in codes]
    cells: Counter[tuple[str, str]] = Counter(
        (f, k) for fs, k in zip(keys, kinds, strict=True) for f in fs
    )
    totals: Counter[str] = Counter(f for fs in keys for f in fs)
    n_unassigned = totals.pop(_UNASSIGNED, 0)
    position = {k: i for i, k in enumerate(_order(totals, codebook, totals))}
    shown = sorted(totals, key=lambda k: (-totals[k], position[k]))[:top]
    kind_cols = list(KINDS) + ([_UNKNOWN_KIND] if _UNKNOWN_KIND in kinds else [])

    with theme():
        fig, ax = _figure(ax, height=1.4 + 0.45 * max(len(shown), 2))
        ax.set_title(t("title_top_fields" if level == "field" else "title_top_codes", lang))
        ax.set_xlabel(t("statements", lang))
        if not shown:
            _empty(ax, t("no_data", lang))
        else:
            y = np.arange(len(shown))
            left = np.zeros(len(shown))
            for kind in kind_cols:
                widths = np.array([cells[(k, kind)] for k in shown], dtype=float)
                if not widths.any():
                    continue
                ax.barh(
                    y,
                    widths,
                    left=left,
                    height=0.7,
                    color=KIND_COLORS[kind],
                    hatch=KIND_HATCHES[kind],
                    # matplotlib < 3.11 has no hatchcolor: its hatches take the edge colour
                    **({"hatchcolor": "white"} if hasattr(Patch, "set_hatchcolor") else {}),
                    edgecolor="white",
                    linewidth=0.8,
                    label=_kind_name(kind, lang),
                )
                left += widths
            for yi, k in zip(y, shown, strict=True):
                ax.text(
                    totals[k] + 0.1, yi, str(totals[k]), va="center", ha="left", fontweight="bold"
                )
            ax.set_yticks(y, [_wrap(_label(k, codebook, lang), 34) for k in shown])
            ax.set_ylim(len(shown) - 0.5, -0.5)
            ax.set_xlim(0, max(totals[k] for k in shown) * 1.1 + 0.6)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(False, axis="y")
            ax.tick_params(axis="y", length=0)
            ax.legend(
                title=t("kind", lang),
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
                borderaxespad=0.0,
                handleheight=1.4,
                handlelength=2.2,
            )
        if n_unassigned and fig is not None:
            fig.supxlabel(
                t("n_unassigned_note", lang, n=n_unassigned),
                x=0.01,
                ha="left",
                fontsize=9.5,
                color="#444444",
            )
        return _finish(fig, ax)


_ROADMAP_LINE_IN = 9.5 * 1.3 / 72  # one text line (9.5 pt, spacing 1.3) in inches
_TITLE_WRAP = 31  # characters of a bold 9.5 pt line in a lane box
_DETAIL_WRAP = 37
#: Width of the stacked roadmap (lanes one under the other), in inches: narrow enough to
#: be read on a phone (390 px) without zooming, with 10.5 pt text.
ROADMAP_STACKED_WIDTH = 4.6
_STACKED_PT = 10.5


def action_numbers(actions: pd.DataFrame) -> list[int]:
    """The number of each action item as the report shows it: its position within its
    horizon, in the order of the action table.

    That order is defined once, by :func:`workshop_analysis.actions.derive_actions`
    (horizon, priority, codebook order); the tables, the roadmap, ``actions.csv`` and
    ``actions.xlsx`` all keep it, so item 3 of the short-term table is circle 3 of the
    short-term lane.

    Examples
    --------
    >>> action_numbers(pd.DataFrame({"horizon": ["short", "short", "long", "short"]}))
    [1, 2, 1, 3]
    """
    seen: Counter[str] = Counter()
    numbers = []
    for horizon in actions["horizon"].astype(str).tolist():
        seen[horizon] += 1
        numbers.append(seen[horizon])
    return numbers


def _action_lines(
    row: Mapping[str, Any], lang: str, title_wrap: int, detail_wrap: int
) -> tuple[str, str]:
    title = _wrap(str(row["title"]), title_wrap)
    owner = row.get("owner")
    owner = owner if isinstance(owner, str) and owner.strip() else t("owner_unset", lang)
    details = [f"{t('owner', lang)}: {owner}"]
    meta = []
    label = row.get("priority_label")
    priority = row.get("priority")
    if isinstance(label, str) and label.strip():
        meta.append(f"{t('priority', lang)}: {priority_label(label.strip(), lang)}")
    elif priority is not None and not pd.isna(priority):
        meta.append(f"{t('priority', lang)} {round(float(priority), 2):g}")
    support = row.get("support")
    if support is not None and not pd.isna(support):
        meta.append(t("n_statements", lang, n=int(support)))
    if meta:
        details.append(" · ".join(meta))
    return title, "\n".join(_wrap(line, detail_wrap) for line in details)


def plot_roadmap(
    actions: pd.DataFrame,
    *,
    lang: str = "de",
    top: int | None = None,
    stacked: bool = False,
    ax: Axes | None = None,
) -> Figure | Axes:
    """Roadmap of action items: a short-term and a long-term lane.

    Each action is a box with its title (wrapped so long German titles stay readable, in
    bold), its owner, priority and number of supporting statements. Within a lane the
    actions keep the order of the table (see :func:`action_numbers`); the circle on the
    left shows the item's number — the same as in the report's tables — and grows with
    the priority. A lane without actions says so. Each number is drawn with the ``gid``
    ``wa-rank-<action_id>``, so that it can be found in SVG output.

    Parameters
    ----------
    actions : DataFrame
        The action table of ``actions.derive_actions``: at least ``action_id``, ``title``
        and ``horizon`` (``"short"``/``"long"``); ``owner``, ``priority`` (or
        ``priority_label``) and ``support`` are shown when present.
    lang : {"de", "en"}
        Language of titles and labels.
    top : int, optional
        Show at most the first ``top`` actions per lane; the lane then ends with
        "+ n weitere Maßnahmen". Default: all.
    stacked : bool
        Lanes one under the other in a narrower figure (:data:`ROADMAP_STACKED_WIDTH`)
        with larger text, legible on a phone; default: side by side, 6.5 in wide.
    ax : Axes, optional
        Draw into this Axes instead of a new figure (which is sized to fit the boxes;
        with a given ``ax`` long lanes may need a taller figure).

    Returns
    -------
    Figure or Axes
        A new figure, or ``ax`` when given.

    Raises
    ------
    WorkshopAnalysisError
        For missing columns, an unknown horizon (naming the action) or ``lang``.
    """
    check_lang(lang)
    _require(actions, ["action_id", "title", "horizon"], "plot_roadmap", "actions")
    bad = [
        f"{a} ({h!r})"
        for a, h in zip(actions["action_id"].tolist(), actions["horizon"].tolist(), strict=True)
        if h not in HORIZONS
    ]
    if bad:
        raise WorkshopAnalysisError(
            f"plot_roadmap: unknown horizon in action(s) {', '.join(bad)}; "
            f"allowed: {', '.join(HORIZONS)}"
        )
    if top is not None and top < 1:
        raise WorkshopAnalysisError(f"plot_roadmap: top must be at least 1, not {top}")
    records = [
        {**row, "_number": n}
        for row, n in zip(actions.to_dict("records"), action_numbers(actions), strict=True)
    ]
    lanes = {h: [r for r in records if r["horizon"] == h] for h in HORIZONS}
    hidden = {
        h: len(lanes[h]) - top if top is not None and len(lanes[h]) > top else 0 for h in HORIZONS
    }
    priorities = [
        float(r["priority"])
        for r in records
        if r.get("priority") is not None and not pd.isna(r.get("priority"))
    ]
    p_max = max([p for p in priorities if p > 0], default=1.0)

    fs = _STACKED_PT if stacked else 9.5
    line_in = fs * 1.3 / 72
    width_in = ROADMAP_STACKED_WIDTH if stacked else FIG_WIDTH
    title_wrap = int(_TITLE_WRAP * (2 * 0.96 * width_in / FIG_WIDTH if stacked else 1) * 9.5 / fs)
    detail_wrap = int(_DETAIL_WRAP * title_wrap / _TITLE_WRAP)

    # Layout in units of one text line: header, then boxes with padding and gaps. Stacked
    # lanes follow each other (offset), side-by-side lanes start at the same height.
    header, pad, gap = 2.2, 0.45, 0.5
    boxes: dict[str, list[tuple[float, float, str, str, Mapping[str, Any]]]] = {}
    starts: dict[str, float] = {}
    ends = []
    offset = 0.0
    for h in HORIZONS:
        starts[h] = offset if stacked else 0.0
        y, placed = starts[h] + header, []
        for row in lanes[h][: len(lanes[h]) - hidden[h]]:
            title, details = _action_lines(row, lang, title_wrap, detail_wrap)
            lines = title.count("\n") + 1 + details.count("\n") + 1
            height = lines + 2 * pad + 0.3
            placed.append((y, height, title, details, row))
            y += height + gap
        boxes[h] = placed
        end = (y if placed else starts[h] + header + 2.0) + (1.5 if hidden[h] else 0.0)
        ends.append(end)
        if stacked:
            offset = end + 0.6
    total = max(ends) + 0.2

    with theme():
        title_in = 0.45
        fig = None
        if ax is None:
            height = title_in + total * line_in
            fig = Figure(figsize=(width_in, height))
            ax = fig.add_axes((0.01, 0.0, 0.98, 1 - title_in / height))
        ax.set_axis_off()
        ax.set_xlim(0, 1 if stacked else 2)
        ax.set_ylim(total, 0)
        ax.set_title(t("title_roadmap", lang), fontsize=fs + 2)
        # in data units, how far one lane's circle and text sit from its left edge
        unit = 0.5 * (FIG_WIDTH / width_in) if stacked else 1.0
        for i, h in enumerate(HORIZONS):
            x0, x1 = (0.02, 0.98) if stacked else (i + 0.02, i + 0.98)
            base = starts[h]
            color = HORIZON_COLORS[h]
            label = horizon_label(h, lang)
            ax.text(
                x0,
                base + 0.3,
                f"{label[:1].upper()}{label[1:]} ({len(lanes[h])})",
                va="top",
                ha="left",
                fontsize=fs + 1.5,
                fontweight="bold",
                color="#111111",
            )
            ax.plot(
                [x0, x1],
                [base + 1.65, base + 1.65],
                color=color,
                linewidth=3,
                solid_capstyle="butt",
            )
            if not boxes[h]:
                ax.text(
                    (x0 + x1) / 2,
                    base + header + 1.0,
                    t("no_actions", lang),
                    ha="center",
                    va="center",
                    style="italic",
                    fontsize=fs,
                    color="#555555",
                )
            if hidden[h]:
                more_y = boxes[h][-1][0] + boxes[h][-1][1] + gap + 0.5
                ax.text(
                    (x0 + x1) / 2,
                    more_y,
                    t("n_more_actions", lang, n=hidden[h]),
                    ha="center",
                    va="center",
                    style="italic",
                    fontsize=fs,
                    color="#333333",
                )
            for y, height, title, details, row in boxes[h]:
                ax.add_patch(
                    FancyBboxPatch(
                        (x0, y),
                        x1 - x0,
                        height,
                        boxstyle="round,pad=0,rounding_size=0.02",
                        facecolor=(*to_rgb(color), 0.12),
                        edgecolor=color,
                        linewidth=1.2,
                        mutation_aspect=1 / 0.05,
                    )
                )
                p = row.get("priority")
                rel = float(p) / p_max if p is not None and not pd.isna(p) and p_max else 0.0
                size = (12 + 10 * max(0.0, min(1.0, rel))) ** 2 * (fs / 9.5) ** 2
                cy = y + height / 2
                cx = x0 + 0.065 * unit
                ax.scatter(
                    [cx], [cy], s=size, color=color, edgecolor="white", linewidth=1.0, zorder=3
                )
                ax.text(
                    cx,
                    cy,
                    str(row["_number"]),
                    ha="center",
                    va="center",
                    zorder=4,
                    fontsize=fs,
                    fontweight="bold",
                    color=_text_color_on(to_rgb(color)),
                    gid=f"wa-rank-{row['action_id']}",
                )
                ax.text(
                    x0 + 0.135 * unit,
                    y + pad,
                    title,
                    ha="left",
                    va="top",
                    fontsize=fs,
                    fontweight="bold",
                    linespacing=1.3,
                    color="#111111",
                )
                n_title = title.count("\n") + 1
                ax.text(
                    x0 + 0.135 * unit,
                    y + pad + n_title + 0.3,
                    details,
                    ha="left",
                    va="top",
                    fontsize=fs,
                    linespacing=1.3,
                    color="#333333",
                )
        return _finish(fig, ax)


def _most_specific(codes: Sequence[str], codebook: Codebook | None) -> list[str]:
    """Drop codes that are an ancestor of another code of the same record."""
    if codebook is None:
        return list(codes)
    ancestors = {a for c in codes if c in codebook for a in codebook.ancestors(c)}
    return [c for c in codes if c not in ancestors]


def plot_cooccurrence(
    data: pd.DataFrame,
    *,
    codebook: Codebook | None = None,
    lang: str = "de",
    level: Literal["code", "field"] = "code",
    top: int | None = 20,
    ax: Axes | None = None,
) -> Figure | Axes:
    """Heatmap of how often two codes are assigned to the same statement (lower triangle).

    Cell (row *a*, column *b*) is the number of statements that carry both *a* and *b*
    (empty cells: none); the diagonal and upper triangle are left out (the matrix is
    symmetric). Rows are labelled ``k  label (n)`` — ``k`` numbers the codes, and columns
    are labelled by that number, ``n`` is the number of statements carrying the code.
    At ``level="code"`` a parent code is ignored on a statement that also carries one of
    its descendants (it would co-occur trivially); ``level="field"`` counts fields of
    action instead.

    Parameters
    ----------
    data : DataFrame
        Tagged records with a ``codes`` column.
    codebook : Codebook, optional
        Gives hierarchy, order and labels.
    lang : {"de", "en"}
        Language of titles and labels.
    level : {"code", "field"}, default "code"
        Count codes or fields of action.
    top : int or None, default 20
        Keep only the ``top`` codes with the most statements (``None``: all).
    ax : Axes, optional
        Draw into this Axes instead of a new figure.

    Returns
    -------
    Figure or Axes
        A new figure, or ``ax`` when given.

    Raises
    ------
    WorkshopAnalysisError
        For a missing ``codes`` column, an unknown ``level`` or ``lang``, ``top < 2``.
    """
    check_lang(lang)
    _require(data, ["codes"], "plot_cooccurrence", "records")
    if level not in ("field", "code"):
        raise WorkshopAnalysisError(
            f"plot_cooccurrence: level must be 'code' or 'field', not {level!r}"
        )
    if top is not None and top < 2:
        raise WorkshopAnalysisError(f"plot_cooccurrence: top must be at least 2, not {top}")
    per_record = []
    for codes in _codes_per_record(data):
        if level == "field":
            keys = sorted({_field_of(c, codebook) for c in codes})
        else:
            keys = sorted(set(_most_specific(codes, codebook)))
        per_record.append(keys)
    counts: Counter[str] = Counter(k for ks in per_record for k in ks)
    order = _order(counts, codebook, counts)
    if top is not None and len(order) > top:
        position = {k: i for i, k in enumerate(order)}
        keep = set(sorted(order, key=lambda k: (-counts[k], position[k]))[:top])
        order = [k for k in order if k in keep]
    index = {k: i for i, k in enumerate(order)}
    matrix = np.zeros((len(order), len(order)), dtype=int)
    for ks in per_record:
        idx = [index[k] for k in ks if k in index]
        for a in idx:
            for b in idx:
                if a != b:
                    matrix[a, b] += 1
    n = len(order)
    has_pairs = n >= 2 and bool(matrix.any())

    with theme():
        fig, ax = _figure(ax, height=1.5 + 0.4 * max(n, 3))
        ax.set_title(t("title_cooccurrence", lang))
        if not has_pairs:
            _empty(ax, t("no_pairs", lang))
            return _finish(fig, ax)
        values = matrix[:, :-1]
        rows_i, cols_j = np.indices(values.shape)
        mask = cols_j >= rows_i  # the lower triangle below the diagonal
        _heatmap(
            ax,
            values,
            mask,
            [
                _wrap(f"{i}  {_label(k, codebook, lang)} ({counts[k]})", 36)
                for i, k in enumerate(order, start=1)
            ],
            [str(i) for i in range(1, n)],
            rotate_cols=False,
            show_zero=False,
        )
        if fig is not None:
            fig.supxlabel(
                t("cooccurrence_note", lang), x=0.01, ha="left", fontsize=9.5, color="#444444"
            )
        return _finish(fig, ax)
