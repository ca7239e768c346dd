"""The report: HTML fragments, notebook execution and export.

The notebooks in ``notebooks/`` tell the story a person reads; the steps themselves live in
:mod:`workshop_analysis.pipeline`, and this module holds the rest of the notebooks' logic so
that each cell is one short call:

* ``*_html`` functions build escaped HTML fragments (tables, quotes, highlighted keywords)
  that the notebooks display with ``IPython.display.HTML``;
* :func:`execute_notebook` / :func:`execute_notebooks` run notebooks with parameters in a
  kernel of this Python; :func:`notebook_to_html` exports an executed notebook as one
  offline HTML file; :func:`render_report` does everything for the ``report`` command.

How the ``report`` command spends its time: it runs the pipeline **once**, in this process
(so every input problem is reported before a kernel starts), and hands the result to the
notebooks in a file (``analysis_path``); the three notebooks run one after the other in
**one** kernel whose namespace is reset between them, so a kernel start and the imports of
pandas/matplotlib are paid once. ``03-report`` is the only notebook exported to HTML;
``01-explore`` writes ``records.csv``/``evidence.csv`` and ``02-action-items`` writes
``actions.csv``/``actions.xlsx``. Figures: ``benchmarks/bench_report.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import _report_html as _h
from . import config
from . import pipeline as _pipeline
from .errors import WorkshopAnalysisError
from .pipeline import Analysis

#: The notebooks in reading order; ``render_report`` executes them all.
NOTEBOOKS: tuple[str, ...] = ("01-explore", "02-action-items", "03-report")
#: The notebook whose outputs make the HTML report.
REPORT_NOTEBOOK = "03-report"
#: Folder of the nbconvert template (package data).
TEMPLATES_DIR: Path = Path(__file__).resolve().parent / "templates"
#: Files that :func:`render_report` writes into the output folder.
OUTPUT_FILES: tuple[str, ...] = (
    "report.html",
    "records.csv",
    "evidence.csv",
    "actions.csv",
    "actions.xlsx",
)

#: How much of a large workshop the HTML report shows (everything is in the CSV/XLSX files):
#: quotes per action item, rows of the praise and the unassigned lists.
REPORT_LIMITS: dict[str, int] = {"quotes": 8, "statements": 60}

Progress = Callable[[str], None]


def run_pipeline(
    input: str | Path | None = None,
    codebook: str | Path | None = None,
    overrides: str | Path | None = None,
    **options: Any,
) -> Analysis:
    """:func:`workshop_analysis.pipeline.run` with the input files as positional arguments."""
    return _pipeline.run(input, codebook=codebook, overrides=overrides, **options)


def table_view(
    data: pd.DataFrame, columns: Sequence[str] | None = None, *, limit: int | None = 300
) -> Any:
    """A table for a notebook: every cell in full, wrapped and left-aligned.

    pandas' default display cuts text at 50 characters and right-aligns it; reading
    statements needs them whole. Lists are shown joined with ``", "``.

    Parameters
    ----------
    data : DataFrame
        The table (not modified).
    columns : sequence of str, optional
        The columns to show, in this order (default: all).
    limit : int or None
        Show at most this many rows (a caption says how many there are); ``None``: all.

    Returns
    -------
    pandas.io.formats.style.Styler
    """
    shown = (data.loc[:, list(columns)] if columns is not None else data).reset_index(drop=True)
    caption = ""
    if limit is not None and len(shown) > limit:
        caption = f"the first {limit} of {len(shown)} rows (all of them are in the CSV files)"
        shown = shown.head(limit)
    shown = shown.apply(
        lambda col: (
            col.map(lambda v: ", ".join(map(str, v)) if isinstance(v, list) else v)
            if col.dtype == object
            else col
        )
    )
    return (
        shown.style.hide(axis="index")
        .set_properties(**{"text-align": "left", "white-space": "normal", "vertical-align": "top"})
        .set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
        .format(na_rep="")
        .set_caption(caption)
    )


def redaction_line(redaction: Any, *, lang: str = "de") -> str:
    """What was replaced before sharing, as plain text (counts only, no personal data)."""
    if redaction is None:
        return _h.text("not_redacted", lang)
    counts = redaction.log["category"].value_counts()
    parts = [
        _h.text("redacted_" + c, lang, n=int(counts[c]))
        for c in ("name", "email", "phone", "iban")
        if c in counts
    ]
    if not parts:
        return _h.text("redacted_none", lang)
    return _h.text("redacted", lang, what=", ".join(parts), n=len(redaction.pseudonyms))


def default_output_dir(workshop: str, lang: str = "de") -> Path:
    """Where a workshop's report goes by default: ``reports/<workshop>`` (German) or
    ``reports/<workshop>-<lang>``; the workshop name is made a safe folder name."""
    from ._output import slug

    name = slug(workshop)
    return config.REPORTS_DIR / (name if lang == "de" else f"{name}-{lang}")


# --------------------------------------------------------------------------- HTML fragments
#
# Every fragment is rendered from a Jinja2 template in templates/fragments/ with
# autoescaping on (see _report_html.render); the strings come from the i18n catalogues.


def _label(codebook: Any, code_id: Any, lang: str) -> str:
    if code_id is None or (not isinstance(code_id, str) and pd.isna(code_id)):
        return ""
    try:
        return codebook[str(code_id)].title(lang)
    except (KeyError, TypeError, AttributeError):
        return str(code_id)


def feedback(analysis: Analysis) -> pd.DataFrame:
    """The participants' statements: the tagged records without the organisers' announced
    follow-up (optional ``follow_up`` column); what the counts and charts are about."""
    tagged = analysis.tagged
    if "follow_up" not in tagged.columns:
        return tagged
    return tagged.loc[~tagged["follow_up"].fillna(False).astype(bool)].reset_index(drop=True)


def follow_ups(analysis: Analysis) -> pd.DataFrame:
    """The statements marked ``follow_up`` (shown in the report, evidence for nothing)."""
    tagged = analysis.tagged
    if "follow_up" not in tagged.columns:
        return tagged.iloc[0:0]
    return tagged.loc[tagged["follow_up"].fillna(False).astype(bool)].reset_index(drop=True)


def workshop_info(analysis: Analysis) -> Any:
    """The :class:`~workshop_analysis.archive.Workshop` of the ``workshop.yaml`` beside the
    records (citation, participants, report date), or ``None`` without one."""
    from .archive import load_workshop

    if analysis.inputs.workshop is None:
        return None
    return load_workshop(analysis.inputs.workshop.parent)


def report_date(analysis: Analysis, value: str | None = None) -> str:
    """The date the report states (ISO).

    ``value`` if given, else ``report_date`` in ``workshop.yaml``, else the environment's
    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention: tests and archived builds
    set it, so two runs give the same bytes), else today (UTC).
    """
    import datetime as dt
    import os

    if value:
        return str(value)
    ws = workshop_info(analysis)
    if ws is not None and ws.report_date:
        return ws.report_date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()
    return dt.datetime.now(tz=dt.UTC).date().isoformat()


def citation_line(citation: Mapping[str, str], lang: str = "de") -> str:
    """The source as one line of text: ``Title. Publisher, 6. Dezember 2017.`` (``""``
    without a title)."""
    if not citation or not citation.get("title"):
        return ""
    parts = [citation["title"]]
    tail = ", ".join(
        v
        for v in (citation.get("publisher", ""), _h.format_date(citation.get("date", ""), lang))
        if v
    )
    line = f"{parts[0]}. {tail}." if tail else f"{parts[0]}."
    if citation.get("url"):
        line += f" {citation['url']}"
    return line


def summary_path(analysis: Analysis) -> Path:
    """Where the analyst's optional written summary lives: ``summary.md`` beside the
    records."""
    return analysis.inputs.records.parent / "summary.md"


def overrides_count(analysis: Analysis) -> int:
    """How many results of the rules the analyst changed by hand: corrected kinds, added
    or removed codes, and changed values of action items (see :func:`action_changes`)."""
    codes = analysis.overrides.get("codes") or {}
    n_codes = (
        sum(len(codes.get(k) or []) for k in ("add", "remove")) if isinstance(codes, dict) else 0
    )
    return (
        len(analysis.kind_overrides)
        + n_codes
        + len(action_changes(analysis.proposed, analysis.actions))
    )


@_h.fragment
def context_html(analysis: Analysis, *, date: str | None = None) -> str:
    """The top of the report: title, the analyst's summary (``summary.md`` beside the
    records, Markdown rendered safely), context (workshop, date, participants, source,
    report date) and a short method note with the number of hand corrections.

    Parameters
    ----------
    analysis : Analysis
    date : str, optional
        The report date (ISO); default see :func:`report_date`.
    """
    lang = analysis.lang
    ws = workshop_info(analysis)
    citation = dict(ws.citation) if ws is not None else {}
    shown_citation = {**citation, "date": _h.format_date(citation.get("date", ""), lang)}
    summary_md = ""
    path = summary_path(analysis)
    if path.is_file():
        summary_md = _h.markdown_html(path.read_text(encoding="utf-8"))
    n = len(feedback(analysis))
    subtitle = _h.text(
        "subtitle",
        lang,
        date=_h.format_date(analysis.date, lang) or "–",
        statements=_h.text("n_statements", lang, n=n),
    )
    return _h.render(
        "context.html.j2",
        lang=lang,
        title=analysis.title,
        subtitle=subtitle,
        illustrative=bool(ws is not None and ws.illustrative),
        citation_line=citation_line(citation, lang),
        summary_md=summary_md,
        workshop_title=(ws.title if ws is not None else analysis.title),
        date=_h.format_date(analysis.date, lang),
        participants=ws.participants if ws is not None else "",
        citation=shown_citation if citation.get("title") else {},
        report_date=_h.format_date(report_date(analysis, date), lang),
        overrides=overrides_count(analysis),
        follow_ups=len(follow_ups(analysis)),
    )


@_h.fragment
def summary_html(analysis: Analysis) -> str:
    """Key figures and the participants' statements by kind and by section."""
    from .i18n import KIND_LABELS, check_lang, kind_label

    lang = check_lang(analysis.lang)
    tagged, actions = feedback(analysis), analysis.actions
    n = len(tagged)
    horizons = actions["horizon"].value_counts() if len(actions) else pd.Series(dtype=int)
    short, long = int(horizons.get("short", 0)), int(horizons.get("long", 0))
    figures = [
        (n, _h.text("fig_statements", lang, n=n)),
        (short, _h.text("fig_short", lang, n=short)),
        (long, _h.text("fig_long", lang, n=long)),
        (len(analysis.unassigned), _h.text("fig_unassigned", lang, n=len(analysis.unassigned))),
    ]
    kinds = tagged["kind"].astype("string").fillna("")
    by_kind = [
        [_h.capital(kind_label(k, lang)) if k else "–", str(int((kinds == k).sum()))]
        for k in [*KIND_LABELS[lang], *sorted(set(kinds) - set(KIND_LABELS[lang]))]
        if (kinds == k).any()
    ]
    sections = tagged["section"].astype("string").fillna(_h.text("no_section", lang))
    by_section = [[s, str(int(c))] for s, c in sections.value_counts(sort=False).items()]
    return _h.render(
        "summary.html.j2", lang=lang, figures=figures, by_kind=by_kind, by_section=by_section
    )


def highlight_html(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Escape ``text`` and wrap each ``(start, end)`` code-point span in ``<mark>``.

    Overlapping spans are merged; every segment is escaped on its own, so a match can never
    break the markup.

    Examples
    --------
    >>> highlight_html("a <b> Weiterbildung", [(6, 19)])
    'a &lt;b&gt; <mark>Weiterbildung</mark>'
    """
    out, pos = [], 0
    for start, end in _h.merge_spans(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        out.append(_h.esc(text[pos:start]))
        out.append(f"<mark>{_h.esc(text[start:end])}</mark>")
        pos = end
    out.append(_h.esc(text[pos:]))
    return "".join(out)


def _statement(rec: Mapping[str, Any], spans: Sequence[tuple[int, int]] = ()) -> dict[str, Any]:
    """One statement for the templates: id, text (escaped, matches marked), kind, how it
    renders the source (``quote``) and who said it."""
    quote = rec.get("quote")
    return {
        "record_id": str(rec.get("record_id")),
        "text_html": _h.safe(highlight_html(str(rec.get("text")), spans)),
        "kind": None if _h.blank(rec.get("kind")) else str(rec.get("kind")),
        "quote": None if _h.blank(quote) else str(quote),
        "by": "" if _h.blank(rec.get("source")) else str(rec.get("source")),
    }


@_h.fragment
def evidence_html(
    tagged: pd.DataFrame,
    evidence: pd.DataFrame,
    *,
    lang: str = "de",
    codebook: Any = None,
    record_ids: Sequence[str] | None = None,
) -> str:
    """A table of statements with their keyword matches highlighted.

    Parameters
    ----------
    tagged : DataFrame
        Tagged records (``record_id``, ``kind``, ``text``, ``codes``).
    evidence : DataFrame
        Evidence rows; rows with ``start``/``end`` give the highlighted spans.
    lang : {"de", "en"}
        Language of headers and kind names.
    codebook : Codebook, optional
        To show code labels instead of ids.
    record_ids : sequence of str, optional
        Only these records (default: all, in table order).

    Returns
    -------
    str
        An HTML table (all user text escaped), scrolling inside its own box when wide.
    """
    from .i18n import kind_label

    rows = tagged if record_ids is None else tagged[tagged["record_id"].isin(list(record_ids))]
    spans: dict[str, list[tuple[int, int]]] = {}
    if len(evidence):
        hits = evidence.dropna(subset=["start", "end"])
        for rid, start, end in zip(hits["record_id"], hits["start"], hits["end"], strict=True):
            spans.setdefault(str(rid), []).append((int(start), int(end)))
    body = []
    for rec in rows.itertuples(index=False):
        codes = _h.as_list(getattr(rec, "codes", []))
        shown = ", ".join(_label(codebook, c, lang) if codebook is not None else c for c in codes)
        kind = kind_label(str(rec.kind), lang) if not pd.isna(rec.kind) else ""
        body.append(
            [
                _h.safe(f'<span class="wa-rid">{_h.esc(rec.record_id)}</span>'),
                kind,
                _h.safe(highlight_html(str(rec.text), spans.get(str(rec.record_id), []))),
                shown,
            ]
        )
    headers = [(_h.text(k, lang), "") for k in ("record", "kind", "text", "codes")]
    return _h.render("evidence.html.j2", headers=headers, rows=body)


def _priority_key(action: Mapping[str, Any]) -> str | None:
    """``high``/``medium``/``low`` from a ``priority_label`` column, if the actions have one."""
    value = action.get("priority_label")
    if _h.blank(value):
        return None
    key = str(value).strip().lower()
    return {"hoch": "high", "mittel": "medium", "niedrig": "low"}.get(key, key)


@_h.fragment
def quotes_html(
    record_ids: Sequence[str], tagged: pd.DataFrame, *, limit: int | None = None, lang: str = "de"
) -> str:
    """The statements of ``record_ids`` as a list with id, kind and how each renders the
    source (only verbatim ones in quotation marks).

    With ``limit``, only the first ``limit`` are shown and a last line says how many more
    there are (all of them are in ``actions.xlsx``).
    """
    by_id = {str(r["record_id"]): r for r in tagged.to_dict("records")}
    found = [rid for rid in record_ids if rid in by_id]
    shown = found if limit is None else found[:limit]
    return _h.render(
        "statements.html.j2",
        lang=lang,
        heading="",
        anchor="",
        intro="",
        empty="",
        statements=[_statement(by_id[rid]) for rid in shown],
        more=0,
        show_kind=True,
    ) + (
        f'<p class="wa-note">{_h.esc(_h.text("more_quotes", lang, n=len(found) - len(shown)))}</p>'
        if len(found) > len(shown)
        else ""
    )


def action_items(
    actions: pd.DataFrame,
    tagged: pd.DataFrame,
    *,
    lang: str = "de",
    codebook: Any = None,
    max_quotes: int | None = None,
) -> list[dict[str, Any]]:
    """The action items as the templates show them, numbered by
    :func:`workshop_analysis.plots.action_numbers` (the roadmap uses the same numbers)."""
    from .plots import action_numbers

    by_id = {str(r["record_id"]): r for r in tagged.to_dict("records")}
    numbers = action_numbers(actions)
    items = []
    for number, action in zip(numbers, actions.to_dict("records"), strict=True):
        evidence = [rid for rid in _h.as_list(action.get("evidence")) if rid in by_id]
        shown = evidence if max_quotes is None else evidence[:max_quotes]
        owner = action.get("owner")
        items.append(
            {
                "action_id": str(action.get("action_id")),
                "number": number,
                "title": "" if _h.blank(action.get("title")) else str(action.get("title")),
                "field": (
                    _label(codebook, action.get("field"), lang)
                    if codebook is not None
                    else ("" if _h.blank(action.get("field")) else str(action.get("field")))
                ),
                "horizon": str(action.get("horizon")),
                "owner": owner.strip() if isinstance(owner, str) and owner.strip() else "",
                "priority": "" if _h.blank(action.get("priority")) else action.get("priority"),
                "priority_key": _priority_key(action),
                "support": int(action.get("support") or len(evidence)),
                "rationale": (
                    "" if _h.blank(action.get("rationale")) else str(action.get("rationale"))
                ),
                "points": _h.as_list(action.get("points")),
                "statements": [_statement(by_id[rid]) for rid in shown],
                "more": len(evidence) - len(shown),
            }
        )
    return items


@_h.fragment
def action_table_html(
    actions: pd.DataFrame,
    tagged: pd.DataFrame,
    *,
    lang: str = "de",
    codebook: Any = None,
    horizon: str | None = None,
    rationale: bool = True,
    heading: bool = True,
    max_quotes: int | None = None,
) -> str:
    """The action items of one horizon (or all) as cards with owner, priority, the
    rationale and the supporting statements.

    Parameters
    ----------
    actions : DataFrame
        From :func:`workshop_analysis.actions.derive_actions`, in its order (the one order
        of the items everywhere).
    tagged : DataFrame
        Tagged records (for the statements).
    lang : {"de", "en"}
        Language of headings and labels.
    codebook : Codebook, optional
        To show the field's label instead of its id.
    horizon : {"short", "long"}, optional
        Only this horizon; the heading names it.
    rationale : bool
        Show why each item got its horizon, owner and priority (an open ``<details>``:
        it can be folded on screen and is always printed).
    heading : bool
        Start with an ``<h2>`` heading (only with ``horizon``).
    max_quotes : int, optional
        Show at most this many statements per item, then "… and n more" (default: all).

    Returns
    -------
    str
        HTML (all user text escaped).
    """
    numbered = action_items(actions, tagged, lang=lang, codebook=codebook, max_quotes=max_quotes)
    items = [a for a in numbered if horizon is None or a["horizon"] == horizon]
    if not rationale:
        items = [{**a, "rationale": ""} for a in items]
    return _h.render(
        "actions.html.j2",
        lang=lang,
        heading=_h.text(f"heading_{horizon}", lang) if heading and horizon is not None else "",
        horizon=horizon or "all",
        intro="",
        items=items,
        show_horizon=horizon is None,
    )


@_h.fragment
def actions_html(
    analysis: Analysis, *, rationale: bool = True, max_quotes: int | None = REPORT_LIMITS["quotes"]
) -> str:
    """Short- then long-term action items of an analysis, with an introduction.

    At most ``max_quotes`` statements per item (all of them are in ``actions.xlsx``).
    """
    lang = analysis.lang
    numbered = action_items(
        analysis.actions,
        analysis.tagged,
        lang=lang,
        codebook=analysis.codebook,
        max_quotes=max_quotes,
    )
    parts = []
    for horizon in ("short", "long"):
        items = [a for a in numbered if a["horizon"] == horizon]
        if not rationale:
            items = [{**a, "rationale": ""} for a in items]
        parts.append(
            _h.render(
                "actions.html.j2",
                lang=lang,
                heading=_h.text(f"heading_{horizon}", lang),
                horizon=horizon,
                intro=_h.text("intro_actions", lang) if horizon == "short" else "",
                items=items,
                show_horizon=False,
            )
        )
    return "\n".join(parts)


@_h.fragment
def statements_html(
    records: pd.DataFrame,
    *,
    lang: str = "de",
    limit: int | None = None,
    heading: str = "",
    intro: str = "",
    empty: str = "",
    anchor: str = "",
    show_kind: bool = True,
) -> str:
    """A list of statements: text, id, kind, how it renders the source, who said it.

    With ``limit``, the first ``limit`` and a note how many more are in ``records.csv``.
    """
    more = len(records) - limit if limit is not None and len(records) > limit else 0
    shown = records.head(limit) if more else records
    return _h.render(
        "statements.html.j2",
        lang=lang,
        heading=heading,
        anchor=anchor,
        intro=intro,
        empty=empty,
        statements=[_statement(r) for r in shown.to_dict("records")],
        more=more,
        show_kind=show_kind,
    )


@_h.fragment
def praise_html(analysis: Analysis) -> str:
    """The praise worth keeping: every statement of kind ``praise``."""
    lang = analysis.lang
    tagged = feedback(analysis)
    return statements_html(
        tagged[tagged["kind"] == "praise"],
        lang=lang,
        limit=REPORT_LIMITS["statements"],
        heading=_h.text("praise", lang),
        empty=_h.text("none_praise", lang),
        anchor="praise",
        show_kind=False,
    )


@_h.fragment
def follow_up_html(analysis: Analysis) -> str:
    """The organisers' announced follow-up (``follow_up`` records), or ``""`` if none."""
    lang = analysis.lang
    rows = follow_ups(analysis)
    if rows.empty:
        return ""
    return statements_html(
        rows,
        lang=lang,
        limit=REPORT_LIMITS["statements"],
        heading=_h.text("follow_up", lang),
        intro=_h.text("intro_follow_up", lang),
        anchor="follow-up",
        show_kind=False,
    )


@_h.fragment
def unassigned_html(analysis: Analysis) -> str:
    """The statements no code matched."""
    lang = analysis.lang
    rows = analysis.unassigned
    return statements_html(
        rows,
        lang=lang,
        limit=REPORT_LIMITS["statements"],
        heading=_h.text("uncoded", lang),
        intro=_h.text("intro_uncoded", lang) if len(rows) else "",
        empty=_h.text("none_uncoded", lang),
        anchor="unassigned",
    )


@_h.fragment
def heading_html(key: str, lang: str = "de") -> str:
    """An ``<h2>`` with a report heading (``"charts"``, ``"summary"`` …) in ``lang``."""
    return _h.render("heading.html.j2", text=_h.text(key, lang), anchor=key)


@_h.fragment
def footer_html(analysis: Analysis) -> str:
    """The footer: the source, what was redacted, the tool version (no file names)."""
    from . import __version__

    ws = workshop_info(analysis)
    return _h.render(
        "footer.html.j2",
        lang=analysis.lang,
        citation_line=citation_line(ws.citation, analysis.lang) if ws is not None else "",
        redaction=redaction_line(analysis.redaction, lang=analysis.lang),
        version=__version__,
    )


# --------------------------------------------------------------------------- notebooks


def notebook_path(name: str | Path) -> Path:
    """The bundled notebook ``name`` (``"01-explore"``) or the path itself if it is one."""
    path = Path(name)
    if path.suffix == ".ipynb":
        return path
    return config.NOTEBOOKS_DIR / f"{name}.ipynb"


def execute_notebooks(
    jobs: Mapping[str | Path, Mapping[str, Any]],
    out_dir: str | Path,
    *,
    progress: Progress | None = print,
    timeout: int = 600,
    shared_kernel: bool = True,
    kernel: Any = None,
) -> dict[str, Any]:
    """Execute several notebooks with parameters, in order, in a kernel of this Python.

    Parameters
    ----------
    jobs : mapping
        Notebook name (or path) → parameters (names of its ``parameters`` cell).
    out_dir : str or Path
        Where the executed notebooks are written (``<name>.ipynb``); also the kernels'
        working folder.
    progress : callable, optional
        Called with one line per step (which notebook, which cell); ``None`` for silence.
    timeout : int
        Seconds a single cell may run.
    shared_kernel : bool
        Run the notebooks one after the other in one kernel, its namespace reset between
        them (default: one kernel start and one set of imports for all); ``False`` runs
        them concurrently, one kernel each.
    kernel : WarmKernel, optional
        A kernel started beforehand (``workshop_analysis._notebooks.WarmKernel``) to run
        the notebooks in, one after the other; it is shut down afterwards.

    Returns
    -------
    dict
        ``{"notebooks": {name: Path}, "timings": {name: {"kernel_start": s, "execution": s}}}``.

    Raises
    ------
    WorkshopAnalysisError
        When a cell fails: names the notebook, the cell and its first line; every executed
        notebook is kept.
    """
    from ._notebooks import Run, execute_all, skip_slow_format_checker

    skip_slow_format_checker()
    out = Path(out_dir)
    runs = []
    for name, params in jobs.items():
        source = notebook_path(name)
        if not source.is_file():
            raise WorkshopAnalysisError(f"notebook not found: {source}")
        runs.append(
            Run(name=source.stem, source=source, target=out / source.name, parameters=dict(params))
        )
    say = progress or (lambda _line: None)
    if kernel is not None:
        kernel.execute(runs, progress=say, timeout=timeout, cwd=out)
    else:
        execute_all(runs, progress=say, timeout=timeout, shared_kernel=shared_kernel)
    errors = [r.error for r in runs if r.error is not None]
    if errors:
        raise WorkshopAnalysisError("\n".join(str(e) for e in errors))
    return {
        "notebooks": {r.name: r.target for r in runs},
        "timings": {r.name: r.timings for r in runs},
    }


def execute_notebook(
    name: str | Path,
    parameters: Mapping[str, Any],
    out_dir: str | Path,
    *,
    progress: Progress | None = print,
    timeout: int = 600,
) -> Path:
    """Execute one notebook with parameters; return the executed notebook's path.

    See :func:`execute_notebooks` for the parameters and errors.
    """
    result = execute_notebooks({name: parameters}, out_dir, progress=progress, timeout=timeout)
    return next(iter(result["notebooks"].values()))


def notebook_to_html(
    executed_path: str | Path,
    html_path: str | Path,
    *,
    title: str,
    lang: str = "de",
    exclude_markdown: bool = True,
) -> Path:
    """Export an executed notebook as one self-contained, offline HTML file.

    Code, prompts and warnings (stderr) are hidden; images are embedded; the template
    (``templates/report``) loads nothing from the web and has print CSS for A4. The output
    depends only on the notebook's outputs (no timestamps).

    Parameters
    ----------
    executed_path : str or Path
        The executed notebook.
    html_path : str or Path
        The HTML file to write (parent folders are created).
    title : str
        The page title.
    lang : {"de", "en"}
        The page language (``<html lang>``).
    exclude_markdown : bool
        Leave out markdown cells (they talk to the analyst, not the reader).

    Returns
    -------
    Path
        ``html_path``.
    """
    import nbformat
    from nbconvert import HTMLExporter

    from ._notebooks import INJECTED_TAG, PARAMETERS_TAG, clean_notebook

    nb = clean_notebook(nbformat.read(Path(executed_path), as_version=4))
    skip = {INJECTED_TAG, PARAMETERS_TAG, "remove-cell"}
    nb.cells = [c for c in nb.cells if not skip & set(c.metadata.get("tags", []))]
    for cell in nb.cells:  # the page has the whole stylesheet: drop each fragment's copy
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                data["text/html"] = _h.strip_scoped_styles("".join(data["text/html"]))
    nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="report",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=exclude_markdown,
        exclude_raw=True,
        language_code=lang,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path


@dataclass(frozen=True)
class ReportResult:
    """What :func:`render_report` wrote, how long each phase took (seconds), the report's size."""

    report: Path
    out_dir: Path
    files: dict[str, Path]
    notebooks: dict[str, Path]
    timings: dict[str, float]
    report_bytes: int


def render_report(
    input: str | Path | None = None,
    *,
    codebook: str | Path | None = None,
    overrides: str | Path | None = None,
    out_dir: str | Path | None = None,
    lang: str = "de",
    title: str | None = None,
    redact: bool = True,
    participants: str | Path | None = None,
    progress: Progress | None = print,
    shared_kernel: bool = True,
    kernel: Any = None,
) -> ReportResult:
    """Run the pipeline once, run every notebook on its result and write the report folder.

    Writes ``report.html``, ``records.csv``, ``evidence.csv``, ``actions.csv``,
    ``actions.xlsx``, the executed notebooks and, for redacted runs, ``private/`` into
    ``out_dir`` — all or nothing: the folder is written beside the target and swapped in
    when everything succeeded (see :mod:`workshop_analysis._output`).

    Parameters
    ----------
    input, codebook, overrides, participants : str or Path, optional
        See :func:`workshop_analysis.pipeline.resolve_inputs` (default: the bundled 2017
        workshop).
    out_dir : str or Path, optional
        Output folder; default ``reports/<workshop>`` (``reports/<workshop>-en`` for an
        English report, so that both languages coexist).
    lang : {"de", "en"}
        Report language.
    title : str, optional
        Report title; default from the workshop (see
        :func:`workshop_analysis.pipeline.default_title`). Shown as text: quotes,
        newlines or code in it are never executed.
    redact : bool
        Replace names, e-mail addresses and phone numbers in everything written (default);
        the unredacted records and the pseudonym key go to ``out_dir/private/`` only.
    progress : callable, optional
        Receives one line per step; ``None`` for silence.
    shared_kernel : bool
        See :func:`execute_notebooks`.
    kernel : WarmKernel, optional
        A kernel the caller started earlier (the CLI starts one before it imports pandas);
        by default one is started here, before the pipeline runs. Shut down at the end.

    Returns
    -------
    ReportResult
        Paths and timings (``pipeline``, ``kernel_start``, ``execution``,
        ``html_export``, ``total``).

    Raises
    ------
    InputError
        Problems in the input files (checked before any notebook starts); nothing is
        written.
    WorkshopAnalysisError
        A refused output folder, or a failing notebook cell (named). The previous output
        stays as it was; the failed run's folder is kept and named in the message.
    """
    from ._notebooks import WARMUP, WarmKernel, skip_slow_format_checker

    say = progress or (lambda _line: None)
    t0 = time.perf_counter()
    skip_slow_format_checker()
    # the notebooks' kernel starts and imports the package while the pipeline runs here
    warm = kernel if kernel is not None else WarmKernel(WARMUP) if shared_kernel else None
    try:
        return _render(
            input,
            codebook=codebook,
            overrides=overrides,
            participants=participants,
            out_dir=out_dir,
            lang=lang,
            title=title,
            redact=redact,
            say=say,
            shared_kernel=shared_kernel,
            warm=warm,
            t0=t0,
        )
    finally:
        if warm is not None:
            warm.close()


def _render(
    input: str | Path | None,
    *,
    codebook: str | Path | None,
    overrides: str | Path | None,
    participants: str | Path | None,
    out_dir: str | Path | None,
    lang: str,
    title: str | None,
    redact: bool,
    say: Progress,
    shared_kernel: bool,
    warm: Any,
    t0: float,
) -> ReportResult:
    from . import _output

    analysis = _pipeline.run(
        input,
        codebook=codebook,
        overrides=overrides,
        participants=participants,
        lang=lang,
        title=title,
        redact=redact,
        progress=lambda step: say(f"pipeline: {step}"),
    )
    out = Path(out_dir) if out_dir is not None else default_output_dir(analysis.workshop, lang)
    out = out.resolve()
    t_pipe = time.perf_counter()
    try:
        with _output.staged_output(out, inputs=analysis.inputs.files()) as stage:
            handover = stage / ".analysis.pickle"
            _pipeline.save(analysis, handover)
            params = {
                **notebook_parameters(analysis.inputs, lang=lang, title=analysis.title),
                "redact_personal_data": bool(redact),
                "output_dir": str(stage),
                "analysis_path": str(handover),
            }
            say(f"running {len(NOTEBOOKS)} notebooks")
            if warm is not None:  # idle until the kernel is warm: load the exporter meanwhile
                import nbconvert.exporters.html  # noqa: F401
            executed = execute_notebooks(
                dict.fromkeys(NOTEBOOKS, params),
                stage,
                progress=say,
                shared_kernel=shared_kernel,
                kernel=warm,
            )
            t_exec = time.perf_counter()
            say("exporting report.html")
            notebook_to_html(
                executed["notebooks"][REPORT_NOTEBOOK],
                stage / "report.html",
                title=analysis.title,
                lang=lang,
            )
            handover.unlink()
            missing = [f for f in OUTPUT_FILES if not (stage / f).is_file()]
            if missing:
                raise WorkshopAnalysisError(f"the notebooks did not write {', '.join(missing)}")
    except WorkshopAnalysisError as err:
        failed = _output.failed_folder(out)
        if not failed.is_dir():
            raise
        message = str(err).replace(str(out.parent / f".{out.name}.staging"), str(failed))
        raise WorkshopAnalysisError(
            f"{message}\nno report written ({out} is unchanged); the executed notebooks in "
            f"{failed} show where it stopped"
        ) from err
    t_html = time.perf_counter()
    timings = executed["timings"]
    kernel = max(t["kernel_start"] for t in timings.values())
    report = out / "report.html"
    return ReportResult(
        report=report,
        out_dir=out,
        files={f: out / f for f in OUTPUT_FILES},
        notebooks={name: out / path.name for name, path in executed["notebooks"].items()},
        timings={
            "pipeline": t_pipe - t0,
            "kernel_start": kernel,
            "execution": (t_exec - t_pipe) - kernel,
            "html_export": t_html - t_exec,
            "total": t_html - t0,
        },
        report_bytes=report.stat().st_size,
    )


def notebook_parameters(
    inputs: _pipeline.Inputs, *, lang: str = "de", title: str | None = None
) -> dict[str, Any]:
    """The ``parameters`` of the notebooks for a run on ``inputs``."""
    return {
        "input_path": str(inputs.records),
        "codebook_path": str(inputs.codebook),
        "overrides_path": str(inputs.overrides) if inputs.overrides else None,
        "participants_path": str(inputs.participants) if inputs.participants else None,
        "lang": lang,
        "title": title,
    }


# --------------------------------------------------------------------------- charts


@_h.fragment
def figure_html(
    fig: Any, *, alt: str = "", caption: str = "", number: int | None = None, wide: bool = False
) -> str:
    """A matplotlib figure as inline SVG in a ``<figure>`` (no external file).

    Text stays text (``svg.fonttype: none``): sharp at any zoom and in print, searchable,
    and the browser test can read the roadmap's numbers. The SVG has no date and stable
    ids, so identical figures give identical bytes. Its width follows the page; ``wide``
    charts keep a minimum width on narrow screens and scroll inside their own box.
    """
    import io
    import re

    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # inline SVG in HTML needs no namespace declarations (the parser knows svg and
    # xlink:href); without them the page holds no web address at all
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    svg = re.sub(r'<style type="text/css">\*\{[^}]*\}</style>', "", svg)
    svg = re.sub(r'^<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1class="wa-svg"', svg)
    return _h.render(
        "chart.html.j2",
        svg=_h.safe(svg),
        alt=alt,
        caption=caption,
        number=number,
        wide=wide,
    )


@_h.fragment
def chart_html(
    plot: Callable[..., Any],
    *args: Any,
    number: int | None = None,
    lang: str = "de",
    wide: bool = False,
    **kwargs: Any,
) -> str:
    """Draw a chart from :mod:`workshop_analysis.plots` in the report theme and embed it.

    Parameters
    ----------
    plot : callable
        A ``plots.plot_*`` function returning a Figure.
    *args, **kwargs
        Passed to ``plot`` (``lang`` too).
    number : int, optional
        The figure number; the caption then reads "Abbildung n: <title>".
    lang : {"de", "en"}
        Language of the chart and its caption.
    wide : bool
        A chart that needs its full width to be read (scrolls in its box on a phone).

    Returns
    -------
    str
        HTML ``<figure>`` with inline SVG; the chart's title is its accessible name.
    """
    from .plots import theme

    with theme(rc={"svg.fonttype": "none"}):
        fig = plot(*args, lang=lang, **kwargs)
        titles = [t for t in (getattr(fig, "_suptitle", None),) if t is not None]
        alt = (
            titles[0].get_text()
            if titles
            else next((a.get_title() for a in fig.axes if a.get_title()), "")
        )
        caption = _h.text("chart_no", lang, n=number, title=alt) if number else ""
        return figure_html(fig, alt=alt, caption=caption, number=number, wide=wide)


def shared_codes(tagged: pd.DataFrame, codebook: Any) -> int:
    """Number of statements with two or more codes, not counting a code's ancestors.

    The co-occurrence chart is drawn only when this is positive (an empty chart says
    nothing to the reader).
    """
    count = 0
    for codes in tagged["codes"]:
        found = set(_h.as_list(codes))
        parents = {a for c in found if c in codebook for a in codebook.ancestors(c)}
        count += len(found - parents) >= 2
    return count


@_h.fragment
def cooccurrence_html(analysis: Analysis, *, number: int | None = None) -> str:
    """The co-occurrence chart of the analysis, or ``""`` when no statement has two codes."""
    from .plots import plot_cooccurrence

    tagged = feedback(analysis)
    if not shared_codes(tagged, analysis.codebook):
        return ""
    return chart_html(
        plot_cooccurrence,
        tagged,
        codebook=analysis.codebook,
        lang=analysis.lang,
        number=number,
        wide=True,
    )


def output_folder(output_dir: str | Path | None, analysis: Analysis) -> Path:
    """The output folder of a notebook run: ``output_dir``, or :func:`default_output_dir`."""
    if output_dir is not None:
        return Path(output_dir)
    return default_output_dir(analysis.workshop, analysis.lang)


def action_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """What the analyst's overrides changed: one row per changed value.

    Parameters
    ----------
    before, after : DataFrame
        Actions derived without and with overrides.

    Returns
    -------
    DataFrame
        Columns ``action_id, column, before, after``; an action only in one of the two
        frames appears with column ``"(action)"`` and ``added``/``removed``.
    """
    cols = ["title", "horizon", "owner", "priority", "evidence"]
    old = {r["action_id"]: r for r in before.to_dict("records")}
    new = {r["action_id"]: r for r in after.to_dict("records")}
    rows = []
    for aid in [*old, *[a for a in new if a not in old]]:
        if aid not in new:
            rows.append(
                {"action_id": aid, "column": "(action)", "before": "present", "after": "removed"}
            )
        elif aid not in old:
            rows.append({"action_id": aid, "column": "(action)", "before": "", "after": "added"})
        else:
            for col in cols:
                a, b = (
                    _h.as_list(old[aid][col]) if col == "evidence" else old[aid][col],
                    (_h.as_list(new[aid][col]) if col == "evidence" else new[aid][col]),
                )
                if str(a) != str(b):
                    rows.append(
                        {"action_id": aid, "column": col, "before": _plain(a), "after": _plain(b)}
                    )
    return pd.DataFrame(rows, columns=["action_id", "column", "before", "after"])


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def count_line(values: pd.Series) -> str:
    """``"concern: 4, need: 3"``: counts of each value, sorted by value (missing as ``NA``).

    Stable across pandas versions, for the checked outputs of the notebooks.
    """
    counts = values.astype("string").fillna("NA").value_counts()
    return ", ".join(f"{key}: {int(counts[key])}" for key in sorted(counts.index))
