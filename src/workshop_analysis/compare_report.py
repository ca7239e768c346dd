"""The comparison report: HTML fragments for ``04-compare.ipynb`` and :func:`render_compare`.

Every fragment takes a :class:`~workshop_analysis.compare.Comparison` and returns an HTML
string in which all user text (titles, labels, notes, ids) is escaped. The notebook only
displays them; ``workshop-analysis compare`` executes the notebook and exports it as one
offline HTML file, like the single-workshop report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import _report_html as _h
from .compare import Comparison
from .i18n import check_lang

#: Headings and table headers of the comparison report.
TEXT: dict[str, dict[str, str]] = {
    "de": {
        "title": "Workshops im Vergleich",
        "subtitle": "{n} Workshops · {first} bis {last}",
        "workshops": "Verglichene Workshops",
        "workshop": "Workshop",
        "title_col": "Titel",
        "date": "Datum",
        "statements": "Aussagen",
        "actions": "Maßnahmen",
        "codebook": "Codebuch",
        "shared": "gemeinsam",
        "own": "eigenes",
        "fields": "Handlungsfelder im Zeitverlauf",
        "fields_intro": "Anzahl der Aussagen je Handlungsfeld und ihr Anteil an allen "
        "Aussagen des Workshops. „–“: das Feld fehlt im Codebuch dieses Workshops.",
        "field": "Handlungsfeld",
        "recurring": "Wiederkehrende Anliegen",
        "recurring_intro": "Handlungsfelder und Themen, die in mindestens zwei Workshops als "
        "Bedarf, Wunsch oder Kritik genannt wurden (Lob zählt nicht).",
        "level": "Ebene",
        "level_field": "Handlungsfeld",
        "level_code": "Thema",
        "topic": "Thema",
        "in_workshops": "in Workshops",
        "count": "Aussagen",
        "none_recurring": "Kein Anliegen wurde in mehr als einem Workshop genannt.",
        "new": "Neue Themen",
        "new_intro": "Zum ersten Mal genannt (in keinem früheren Workshop).",
        "none_new": "Keine neuen Themen.",
        "vanished": "Nicht mehr genannte Themen",
        "vanished_intro": "Im vorigen Workshop genannt, im folgenden nicht mehr.",
        "none_vanished": "Kein Thema ist weggefallen.",
        "previous": "vorher",
        "codebook_note": "nicht mehr im Codebuch",
        "codebook_new": "neu im Codebuch",
        "kinds": "Art der Aussagen je Workshop",
        "codebook_diff": "Unterschiede der Codebücher",
        "codebook_diff_intro": "Codes, die nur in einem Teil der Codebücher stehen; dort, wo "
        "sie fehlen, konnten sie nicht vergeben werden.",
        "none_codebook_diff": "Alle Workshops verwenden dieselben Codes.",
        "code": "Code",
        "present_in": "vorhanden in",
        "missing_from": "fehlt in",
        "tracking": "Was aus den Maßnahmen des vorigen Workshops wurde",
        "tracking_intro": "Jede Maßnahme des früheren Workshops mit ihrem Stand laut "
        "status.yaml und ob ihr Thema im folgenden Workshop wieder als Bedarf, Wunsch oder "
        "Kritik genannt wurde. ⚑ markiert erledigte Maßnahmen, deren Anliegen erneut "
        "auftaucht.",
        "none_tracking": "Für den Vergleich braucht es mindestens zwei Workshops.",
        "action": "Maßnahme",
        "status": "Stand",
        "note": "Notiz",
        "raised": "wieder genannt",
        "raised_field": "nur das Handlungsfeld",
        "not_raised": "nein",
        "flag": "erledigt, aber erneut genannt",
        "status_open": "offen",
        "status_in progress": "in Arbeit",
        "status_done": "erledigt",
        "status_dropped": "verworfen",
        "not_recorded": "kein Eintrag",
        "footer": "Erstellt mit workshop-analysis {version}. Archiv: {root}.",
    },
    "en": {
        "title": "Workshops compared",
        "subtitle": "{n} workshops · {first} to {last}",
        "workshops": "Workshops compared",
        "workshop": "Workshop",
        "title_col": "Title",
        "date": "Date",
        "statements": "Statements",
        "actions": "Actions",
        "codebook": "Codebook",
        "shared": "shared",
        "own": "own",
        "fields": "Fields of action over time",
        "fields_intro": "Statements per field of action and their share of all statements of "
        "the workshop. “–”: the field is not in this workshop's codebook.",
        "field": "Field of action",
        "recurring": "Recurring needs",
        "recurring_intro": "Fields and topics raised as a need, wish or concern in at least "
        "two workshops (praise does not count).",
        "level": "Level",
        "level_field": "field",
        "level_code": "topic",
        "topic": "Topic",
        "in_workshops": "in workshops",
        "count": "Statements",
        "none_recurring": "No need was raised in more than one workshop.",
        "new": "New topics",
        "new_intro": "Mentioned for the first time (in no earlier workshop).",
        "none_new": "No new topics.",
        "vanished": "Topics no longer mentioned",
        "vanished_intro": "Mentioned in the previous workshop, not in the next one.",
        "none_vanished": "No topic vanished.",
        "previous": "before",
        "codebook_note": "no longer in codebook",
        "codebook_new": "new in codebook",
        "kinds": "Kind of statement per workshop",
        "codebook_diff": "Codebook differences",
        "codebook_diff_intro": "Codes found in some codebooks only; where they are missing "
        "they could not be assigned.",
        "none_codebook_diff": "All workshops use the same codes.",
        "code": "Code",
        "present_in": "present in",
        "missing_from": "missing from",
        "tracking": "What became of the previous workshop's actions",
        "tracking_intro": "Each action of the earlier workshop with its status from "
        "status.yaml, and whether its topic was raised again as a need, wish or concern in "
        "the next workshop. ⚑ flags done actions whose need came back.",
        "none_tracking": "Tracking needs at least two workshops.",
        "action": "Action",
        "status": "Status",
        "note": "Note",
        "raised": "raised again",
        "raised_field": "only the field",
        "not_raised": "no",
        "flag": "done, but raised again",
        "status_open": "open",
        "status_in progress": "in progress",
        "status_done": "done",
        "status_dropped": "dropped",
        "not_recorded": "no entry",
        "footer": "Made with workshop-analysis {version}. Archive: {root}.",
    },
}


def _t(key: str, lang: str, **fields: Any) -> str:
    value = TEXT[check_lang(lang)][key]
    return value.format(**fields) if fields else value


def _p(key: str, lang: str) -> str:
    return f'<p class="wa-note">{_h.esc(_t(key, lang))}</p>'


def _h2(key: str, lang: str) -> str:
    return f"<h2>{_h.esc(_t(key, lang))}</h2>"


def _ids(values: Any) -> str:
    return ", ".join(f'<span class="wa-rid">{_h.esc(v)}</span>' for v in _h.as_list(values))


def _level(value: str, lang: str) -> str:
    return _h.esc(_t("level_field" if value == "field" else "level_code", lang))


def overview_html(comparison: Comparison, *, lang: str = "de") -> str:
    """Title, subtitle and the table of compared workshops."""
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
            f'<span class="wa-rid">{_h.esc(r["workshop"])}</span>',
            _h.esc(r["title"]),
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
    return (
        f"<h1>{_h.esc(_t('title', lang))}</h1>"
        f'<p class="wa-subtitle">{_h.esc(subtitle)}</p>'
        + _h2("workshops", lang)
        + _h.table(headers, rows)
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
    headers = [(_t("field", lang), ""), *((w, "wa-num") for w in workshops)]
    return _h2("fields", lang) + _p("fields_intro", lang) + _h.table(headers, rows)


def recurring_html(comparison: Comparison, *, lang: str = "de") -> str:
    """Heading and table of the needs raised in two or more workshops."""
    data = comparison.recurring
    out = _h2("recurring", lang) + _p("recurring_intro", lang)
    if data.empty:
        return out + _p("none_recurring", lang)
    rows = [
        [_level(r["level"], lang), _h.esc(r["label"]), _ids(r["workshops"]), str(int(r["count"]))]
        for r in data.to_dict("records")
    ]
    headers = [
        (_t("level", lang), ""),
        (_t("topic", lang), ""),
        (_t("in_workshops", lang), ""),
        (_t("count", lang), "wa-num"),
    ]
    return out + _h.table(headers, rows)


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
                    f'<span class="wa-rid">{_h.esc(r["workshop"])}</span>',
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
        parts.append(_h.table(headers, rows))
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
            _ids(r["present_in"]),
            _ids(r["missing_from"]),
        ]
        for r in data.to_dict("records")
    ]
    headers = [
        (_t("code", lang), ""),
        (_t("topic", lang), ""),
        (_t("present_in", lang), ""),
        (_t("missing_from", lang), ""),
    ]
    return out + _h.table(headers, rows)


def tracking_html(comparison: Comparison, *, lang: str = "de") -> str:
    """Heading and table: each earlier action, its status, and whether it came back."""
    data = comparison.tracking
    out = _h2("tracking", lang) + _p("tracking_intro", lang)
    if data.empty:
        return out + _p("none_tracking", lang)
    parts = [out]
    for (earlier, later), group in data.groupby(["workshop", "next_workshop"], sort=False):
        parts.append(f"<h3>{_h.esc(earlier)} → {_h.esc(later)}</h3>")
        rows = []
        for r in group.to_dict("records"):
            status = _h.esc(_t(f"status_{r['status']}", lang))
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
            rows.append([title, status, _h.esc(r["note"]), raised])
        headers = [
            (_t("action", lang), ""),
            (_t("status", lang), ""),
            (_t("note", lang), ""),
            (_t("raised", lang), ""),
        ]
        parts.append(_h.table(headers, rows))
    return "".join(parts)


def heading_html(key: str, *, lang: str = "de") -> str:
    """An ``<h2>`` with one of this report's headings (``"kinds"``, ``"fields"`` …)."""
    return _h2(key, lang)


def footer_html(root: str | Path | None, *, lang: str = "de") -> str:
    """The footer: package version and archive folder name."""
    from . import __version__, config

    name = Path(root).name if root is not None else config.WORKSHOPS_DIR.name
    return f'<p class="wa-footer">{_h.esc(_t("footer", lang, version=__version__, root=name))}</p>'


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
