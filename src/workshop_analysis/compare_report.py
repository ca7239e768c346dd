"""The comparison report: HTML fragments for ``04-compare.ipynb`` and :func:`render_compare`.

Every fragment takes a :class:`~workshop_analysis.compare.Comparison` and returns an HTML
string in which all user text (titles, labels, notes, ids) is escaped. The notebook only
displays them; ``workshop-analysis compare`` executes the notebook and exports it as one
offline HTML file, like the single-workshop report.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import _report_html as _h
from .compare import Comparison
from .i18n import catalogue, check_lang, status_label


def _t(key: str, lang: str, **fields: Any) -> str:
    """A string of the catalogue's ``compare`` block (a count has ``one``/``other``)."""
    value = catalogue(check_lang(lang))["compare"][key]
    if isinstance(value, dict):
        value = value["one"] if fields.get("n") == 1 else value["other"]
    return value.format(**fields) if fields else value


def _p(key: str, lang: str) -> str:
    return f'<p class="wa-note">{_h.esc(_t(key, lang))}</p>'


def _h2(key: str, lang: str) -> str:
    return _h.render("heading.html.j2", text=_t(key, lang), anchor=key)


def _ids(values: Any) -> str:
    return ", ".join(f'<span class="wa-rid">{_h.esc(v)}</span>' for v in _h.as_list(values))


def _workshops(comparison: Comparison, values: Any, lang: str) -> str:
    return ", ".join(_h.esc(_ws_label(comparison, v, lang)) for v in _h.as_list(values))


def _level(value: str, lang: str) -> str:
    return _h.esc(_t("level_field" if value == "field" else "level_code", lang))


def _table(headers: Sequence[tuple[str, str]], rows: Sequence[Sequence[str]]) -> str:
    """A table from header labels and cells that are already escaped HTML (scrolls inside
    its own box when wider than the screen)."""
    cells = [[_h.safe(c) for c in row] for row in rows]
    return _h.render("table.html.j2", headers=list(headers), rows=cells, css="")


def _ws_label(comparison: Comparison, workshop: str, lang: str) -> str:
    """A workshop as a reader knows it: its date (``22. November 2017``), else its id."""
    ws = comparison.workshops
    dates = dict(zip(ws["workshop"].tolist(), ws["date"].tolist(), strict=True))
    return _h.format_date(dates.get(workshop), lang) or str(workshop)


def workshop_labels(comparison: Comparison, lang: str = "de") -> dict[str, str]:
    """``{workshop id: date}`` for the charts' legends (a reader knows a workshop by its
    date, not by its folder name)."""
    return {w: _ws_label(comparison, w, lang) for w in comparison.workshops["workshop"]}


def illustrative_ids(root: str | Path | None = None) -> set[str]:
    """The ids of the workshops under ``root`` whose ``workshop.yaml`` says
    ``illustrative: yes`` (invented example data)."""
    from .archive import list_workshops

    return {w.id for w in list_workshops(root) if w.illustrative}


def _invented(lang: str) -> str:
    return (
        f'<span class="wa-badge wa-badge-invented">{_h.esc(_t("illustrative_badge", lang))}</span>'
    )


def overview_html(
    comparison: Comparison, *, lang: str = "de", illustrative: Collection[str] = ()
) -> str:
    """Title, subtitle and the table of compared workshops.

    ``illustrative``: ids of workshops with invented data (see :func:`illustrative_ids`);
    the page then opens with a banner and each such workshop carries a badge.
    """
    ws = comparison.workshops
    dates = [_h.format_date(d, lang) for d in ws["date"].dropna().tolist()]
    subtitle = _t(
        "subtitle",
        lang,
        n=len(ws),
        first=dates[0] if dates else "–",
        last=dates[-1] if dates else "–",
    )
    rows = [
        [
            _h.esc(_ws_label(comparison, r["workshop"], lang)),
            _h.esc(r["title"]) + (f" {_invented(lang)}" if r["workshop"] in illustrative else ""),
            _h.esc(_h.format_date(r["date"], lang)),
            str(int(r["records"])),
            str(int(r["actions"])),
            _h.esc(_t("shared" if r["shared_codebook"] else "own", lang)),
        ]
        for r in ws.to_dict("records")
    ]
    headers = [
        (_t("workshop", lang), ""),
        (_t("title_col", lang), ""),
        (_t("date", lang), ""),
        (_t("statements", lang), "wa-num"),
        (_t("actions", lang), "wa-num"),
        (_t("codebook", lang), ""),
    ]
    banner = ""
    if set(illustrative) & set(ws["workshop"].tolist()):
        banner = (
            f'<p class="wa-illustrative" role="note">{_h.esc(_h.text("illustrative", lang))}'
            f'<br><span class="wa-note">{_h.esc(_h.text("illustrative_note", lang))}</span></p>'
        )
    return (
        banner + f"<h1>{_h.esc(_t('title', lang))}</h1>"
        f'<p class="wa-subtitle">{_h.esc(subtitle)}</p>'
        + _h2("workshops", lang)
        + _table(headers, rows)
    )


def fields_html(comparison: Comparison, *, lang: str = "de") -> str:
    """Heading and table: statements per field and workshop (count and share)."""
    data = comparison.by_field
    workshops = comparison.workshops["workshop"].tolist()
    cells = data.set_index(["field", "workshop"])
    rows = []
    for field in dict.fromkeys(data["field"].tolist()):
        label = data.loc[data["field"] == field, "label"].iloc[0]
        row = [_h.esc(label)]
        for ws in workshops:
            cell = cells.loc[(field, ws)]
            if not bool(cell["in_codebook"]):
                row.append("–")
            else:
                row.append(f"{int(cell['count'])} ({float(cell['share']):.0%})")
        rows.append(row)
    headers = [
        (_t("field", lang), ""),
        *((_ws_label(comparison, w, lang), "wa-num") for w in workshops),
    ]
    return _h2("fields", lang) + _p("fields_intro", lang) + _table(headers, rows)


def recurring_html(comparison: Comparison, *, lang: str = "de") -> str:
    """Heading and table of the needs raised in two or more workshops."""
    data = comparison.recurring
    out = _h2("recurring", lang) + _p("recurring_intro", lang)
    if data.empty:
        return out + _p("none_recurring", lang)
    rows = [
        [
            _level(r["level"], lang),
            _h.esc(r["label"]),
            _workshops(comparison, r["workshops"], lang),
            str(int(r["count"])),
        ]
        for r in data.to_dict("records")
    ]
    headers = [
        (_t("level", lang), ""),
        (_t("topic", lang), ""),
        (_t("in_workshops", lang), ""),
        (_t("count", lang), "wa-num"),
    ]
    return out + _table(headers, rows)


def new_vanished_html(comparison: Comparison, *, lang: str = "de") -> str:
    """Headings and tables of the new and the vanished topics."""
    parts = []
    for key, data, flag in (
        ("new", comparison.new, "in_earlier_codebook"),
        ("vanished", comparison.vanished, "in_codebook"),
    ):
        parts.append(_h2(key, lang) + _p(f"{key}_intro", lang))
        if data.empty:
            parts.append(_p(f"none_{key}", lang))
            continue
        rows = []
        for r in data.to_dict("records"):
            label = _h.esc(r["label"])
            if not r[flag]:
                note = _t("codebook_new" if key == "new" else "codebook_note", lang)
                label += f' <span class="wa-badge">{_h.esc(note)}</span>'
            rows.append(
                [
                    _h.esc(_ws_label(comparison, r["workshop"], lang)),
                    _level(r["level"], lang),
                    label,
                    str(int(r["count"])),
                ]
            )
        headers = [
            (_t("workshop", lang), ""),
            (_t("level", lang), ""),
            (_t("topic", lang), ""),
            (_t("count", lang), "wa-num"),
        ]
        parts.append(_table(headers, rows))
    return "".join(parts)


def codebook_diff_html(comparison: Comparison, *, lang: str = "de") -> str:
    """Heading and table of the codes that are not in every workshop's codebook."""
    data = comparison.codebook_diff
    out = _h2("codebook_diff", lang) + _p("codebook_diff_intro", lang)
    if data.empty:
        return out + _p("none_codebook_diff", lang)
    rows = [
        [
            f'<span class="wa-rid">{_h.esc(r["code"])}</span>',
            _h.esc(r["label"]),
            _workshops(comparison, r["present_in"], lang),
            _workshops(comparison, r["missing_from"], lang),
        ]
        for r in data.to_dict("records")
    ]
    headers = [
        (_t("code", lang), ""),
        (_t("topic", lang), ""),
        (_t("present_in", lang), ""),
        (_t("missing_from", lang), ""),
    ]
    return out + _table(headers, rows)


def tracking_html(
    comparison: Comparison, *, lang: str = "de", illustrative: Collection[str] = ()
) -> str:
    """Heading and table: each earlier action, its status, and whether it came back.

    A status read from an ``illustrative`` workshop's status file is marked as invented.
    """
    data = comparison.tracking
    out = _h2("tracking", lang) + _p("tracking_intro", lang)
    if data.empty:
        return out + _p("none_tracking", lang)
    parts = [out]
    for (earlier, later), group in data.groupby(["workshop", "next_workshop"], sort=False):
        parts.append(
            f"<h3>{_h.esc(_ws_label(comparison, earlier, lang))} → "
            f"{_h.esc(_ws_label(comparison, later, lang))}</h3>"
        )
        rows = []
        for r in group.to_dict("records"):
            status = _h.esc(status_label(r["status"], lang))
            if earlier in illustrative:
                status = f"{_invented(lang)} {status}"
            if not r["recorded"]:
                status += f' <span class="wa-note">({_h.esc(_t("not_recorded", lang))})</span>'
            elif not pd.isna(r["status_date"]):
                status += f'<br><span class="wa-note">{_h.esc(r["status_date"])}</span>'
            if r["codes_raised"]:
                raised = _h.esc(_t("raised", lang)) + ": " + _ids(r["raised_by"])
            elif r["field_raised"]:
                raised = _h.esc(_t("raised_field", lang))
            else:
                raised = _h.esc(_t("not_raised", lang))
            title = _h.esc(r["title"])
            if r["raised_again_after_done"]:
                title = (
                    f'<span class="wa-badge wa-prio-high">⚑ {_h.esc(_t("flag", lang))}'
                    f"</span> {title}"
                )
            note = _h.esc(r["note"])
            if earlier in illustrative and note:
                note = f"{_invented(lang)} {note}"
            rows.append([title, status, note, raised])
        headers = [
            (_t("action", lang), ""),
            (_t("status", lang), ""),
            (_t("note", lang), ""),
            (_t("raised", lang), ""),
        ]
        parts.append(_table(headers, rows))
    return "".join(parts)


def heading_html(key: str, *, lang: str = "de") -> str:
    """An ``<h2>`` with one of this report's headings (``"kinds"``, ``"fields"`` …)."""
    return _h2(key, lang)


def footer_html(root: str | Path | None, *, lang: str = "de") -> str:
    """The footer: the package version (``root`` is accepted for compatibility; a folder
    name says nothing to a reader)."""
    from . import __version__

    del root  # the archive's folder name says nothing to a reader
    return f'<p class="wa-footer">{_h.esc(_t("footer", lang, version=__version__))}</p>'


def write_tables(comparison: Comparison, out_dir: str | Path) -> list[Path]:
    """Write every frame of a comparison as CSV (``compare-<name>.csv``) into ``out_dir``."""
    from .io import write_table

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [
        write_table(frame, out / f"compare-{name}.csv")
        for name, frame in comparison._asdict().items()
    ]


def render_compare(
    root: str | Path | None = None,
    workshops: Sequence[str] | None = None,
    *,
    out_dir: str | Path | None = None,
    lang: str = "de",
    progress: Any = print,
) -> Path:
    """Compare workshops and write ``compare.html`` plus the CSV tables.

    Parameters
    ----------
    root : str or Path, optional
        The archive root; defaults to the bundled archive.
    workshops : sequence of str, optional
        Ids to compare (default: all).
    out_dir : str or Path, optional
        Output folder; defaults to ``reports/compare``.
    lang : {"de", "en"}
        Report language.
    progress : callable or None
        Called with progress lines (``None`` for silence).

    Returns
    -------
    Path
        The written ``compare.html`` (self-contained, offline); beside it the executed
        notebook and ``compare-<table>.csv`` for every frame of the comparison. The folder
        is written whole or not at all (see :mod:`workshop_analysis._output`).
    """
    from . import config
    from ._output import staged_output
    from .compare import select_workshops
    from .report import execute_notebook, notebook_to_html

    check_lang(lang)
    # unknown ids fail here, before a kernel starts
    selected = select_workshops(root, workshops)
    out = (Path(out_dir) if out_dir is not None else config.REPORTS_DIR / "compare").resolve()
    with staged_output(out, inputs=[w.records for w in selected]) as stage:
        params = {
            "root": str(Path(root).resolve()) if root is not None else None,
            "workshops": list(workshops) if workshops else None,
            "output_dir": str(stage),
            "lang": lang,
        }
        executed = execute_notebook("04-compare", params, stage, progress=progress)
        notebook_to_html(executed, stage / "compare.html", title=_t("title", lang), lang=lang)
    return out / "compare.html"
