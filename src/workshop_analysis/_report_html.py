"""Private helpers for the report's HTML: the Jinja2 environment and small formatters.

Every HTML fragment of the reports is rendered from a template in
``templates/fragments/`` by :func:`render`, with **autoescaping on**: any value a template
prints is escaped unless it was marked safe here (the output of another template, or
:func:`markdown_html`, which escapes raw HTML itself). Display strings come from the
language catalogues of :mod:`workshop_analysis.i18n`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from . import i18n

#: Folder of the fragment templates (package data).
FRAGMENTS_DIR: Path = Path(__file__).resolve().parent / "templates" / "fragments"


def text(key: str, lang: str, **fields: Any) -> str:
    """A display string in ``lang`` (see :func:`workshop_analysis.i18n.t`)."""
    return i18n.t(key, lang, **fields)


def esc(value: Any) -> str:
    """HTML-escape any cell value; missing values become an empty string."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def format_date(value: Any, lang: str) -> str:
    """``2017-11-22`` → ``22. November 2017`` (de) / ``22 November 2017`` (en)."""
    return i18n.format_date(value, lang if lang in i18n.LANGS else "de")


def as_list(value: Any) -> list[str]:
    """A list cell (list, tuple, ``"a; b"`` string or missing) as a list of strings."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is None:
        return []
    try:
        if pd.isna(value):
            return []
    except (TypeError, ValueError):
        pass
    return [part.strip() for part in str(value).split(";") if part.strip()]


def blank(value: Any) -> bool:
    """Whether a cell is missing or only white space."""
    if value is None:
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return not str(value).strip()


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge overlapping/touching ``(start, end)`` spans."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def capital(label: str) -> str:
    """The label with its first letter in upper case."""
    return label[:1].upper() + label[1:]


@cache
def environment() -> Any:
    """The Jinja2 environment of the fragments: autoescape on, strict undefined."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(FRAGMENTS_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["date"] = format_date
    env.filters["capital"] = capital
    env.globals.update(
        t=i18n.t,
        kind_label=i18n.kind_label,
        horizon_label=i18n.horizon_label,
        priority_label=i18n.priority_label,
        quote_label=i18n.quote_label,
        status_label=i18n.status_label,
        quote_marks=i18n.quote_marks,
        blank=blank,
    )
    return env


def render(template: str, **context: Any) -> str:
    """Render ``templates/fragments/<template>`` with ``context`` (autoescaped).

    Indentation and empty lines are dropped (the notebooks store the fragments).
    """
    out = environment().get_template(template).render(**context)
    return "\n".join(line.strip() for line in out.splitlines() if line.strip())


def safe(markup: str) -> Markup:
    """Mark HTML made by :func:`render` (or escaped here) as safe for another template."""
    return Markup(markup)


def markdown_html(source: str) -> Markup:
    """Markdown (an analyst's ``summary.md``) as HTML: raw HTML in it is escaped, links
    with ``javascript:`` or other harmful schemes are dropped, images are not loaded."""
    import mistune

    md = mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])
    rendered = md(source)
    # no remote content in an offline report: an image becomes its alt text
    import re

    rendered = re.sub(r'<img src="[^"]*" alt="([^"]*)"\s*/?>', r"\1", rendered)
    return Markup(rendered)
