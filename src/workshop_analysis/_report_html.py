"""Private helpers for the report's HTML fragments: strings, escaping, small formatters."""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

#: Report strings (section headings, table headers) in both languages. Kind and horizon
#: names, and strings shared with the charts, come from :mod:`workshop_analysis.i18n`.
TEXT: dict[str, dict[str, str]] = {
    "de": {
        "summary": "Zusammenfassung",
        "workshop": "Workshop",
        "date": "Datum",
        "statements": "Aussagen",
        "actions_short": "kurzfristige Maßnahmen",
        "actions_long": "längerfristige Maßnahmen",
        "uncoded_n": "Aussagen ohne Zuordnung",
        "by_kind": "Aussagen nach Art",
        "by_section": "Aussagen nach Abschnitt",
        "section": "Abschnitt",
        "count": "Anzahl",
        "kind": "Art",
        "heading_short": "Kurzfristige Maßnahmen",
        "heading_long": "Längerfristige Maßnahmen",
        "intro_actions": "Jede Maßnahme fasst Aussagen zu einem Handlungsfeld zusammen; darunter "
        "stehen die Aussagen, auf die sie sich stützt (wörtlich, mit Kennung).",
        "no": "Nr.",
        "action": "Maßnahme",
        "field": "Handlungsfeld",
        "owner": "Verantwortlich",
        "priority": "Priorität",
        "support": "Belege",
        "horizon": "Horizont",
        "rationale": "Begründung",
        "none_actions": "Keine Maßnahmen in diesem Zeitraum.",
        "praise": "Was gut läuft und erhalten bleiben soll",
        "none_praise": "Keine lobenden Aussagen.",
        "uncoded": "Aussagen ohne Zuordnung",
        "intro_uncoded": "Diese Aussagen passen zu keinem Code des Codebuchs. Sie fließen in "
        "keine Maßnahme ein und sollten von Hand gesichtet werden.",
        "none_uncoded": "Alle Aussagen sind einem Handlungsfeld zugeordnet.",
        "charts": "Grafiken",
        "record": "Kennung",
        "text": "Aussage",
        "codes": "Codes",
        "source": "Quelle",
        "owner_unset": "offen",
        "high": "hoch",
        "medium": "mittel",
        "low": "niedrig",
        "footer": "Erstellt mit workshop-analysis {version}. Eingaben: {inputs}.",
        "redacted": "Personenbezogene Daten ersetzt: {what} ({people} Personen pseudonymisiert).",
        "redacted_name": "Name",
        "redacted_email": "E-Mail-Adresse",
        "redacted_phone": "Telefonnummer",
        "redacted_iban": "IBAN",
        "redacted_nothing": "keine gefunden",
        "not_redacted": "Nicht anonymisiert: enthält möglicherweise personenbezogene Daten.",
        "subtitle": "Workshop {workshop} · {date} · {n} Aussagen",
        "more_quotes": "… und {n} weitere Aussagen (alle in actions.xlsx)",
        "more_rows": "… und {n} weitere (alle in records.csv)",
    },
    "en": {
        "summary": "Summary",
        "workshop": "Workshop",
        "date": "Date",
        "statements": "statements",
        "actions_short": "short-term action items",
        "actions_long": "long-term action items",
        "uncoded_n": "statements not yet assigned",
        "by_kind": "Statements by kind",
        "by_section": "Statements by section",
        "section": "Section",
        "count": "Count",
        "kind": "Kind",
        "heading_short": "Short-term action items",
        "heading_long": "Long-term action items",
        "intro_actions": "Each action item groups statements on one field of action; below it "
        "are the statements it rests on (verbatim, with their id).",
        "no": "No.",
        "action": "Action item",
        "field": "Field of action",
        "owner": "Owner",
        "priority": "Priority",
        "support": "Support",
        "horizon": "Horizon",
        "rationale": "Rationale",
        "none_actions": "No action items for this horizon.",
        "praise": "Praise worth keeping",
        "none_praise": "No statements of praise.",
        "uncoded": "Statements not yet assigned",
        "intro_uncoded": "These statements match no code of the codebook. They feed no action "
        "item and should be reviewed by hand.",
        "none_uncoded": "Every statement is assigned to a field of action.",
        "charts": "Charts",
        "record": "Id",
        "text": "Statement",
        "codes": "Codes",
        "source": "Source",
        "owner_unset": "not set",
        "high": "high",
        "medium": "medium",
        "low": "low",
        "footer": "Made with workshop-analysis {version}. Inputs: {inputs}.",
        "redacted": "Personal data replaced: {what} ({people} people pseudonymised).",
        "redacted_name": "name",
        "redacted_email": "e-mail address",
        "redacted_phone": "phone number",
        "redacted_iban": "IBAN",
        "redacted_nothing": "none found",
        "not_redacted": "Not redacted: may contain personal data.",
        "subtitle": "Workshop {workshop} · {date} · {n} statements",
        "more_quotes": "… and {n} more statements (all in actions.xlsx)",
        "more_rows": "… and {n} more (all in records.csv)",
    },
}

_MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def text(key: str, lang: str, **fields: Any) -> str:
    """A report string in ``lang`` (falls back to German for an unknown language)."""
    value = TEXT.get(lang, TEXT["de"])[key]
    return value.format(**fields) if fields else value


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
    raw = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    try:
        day = _dt.date.fromisoformat(raw[:10])
    except ValueError:
        return raw
    if lang == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}. {_MONTHS_DE[day.month - 1]} {day.year}"


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


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge overlapping/touching ``(start, end)`` spans."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def table(
    headers: Sequence[tuple[str, str]], rows: Iterable[Sequence[str]], *, css: str = ""
) -> str:
    """A ``<table>`` from escaped header labels ``(label, class)`` and ready-made cells."""
    head = "".join(
        f'<th class="{c}">{esc(h)}</th>' if c else f"<th>{esc(h)}</th>" for h, c in headers
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="{c}">{v}</td>' if c else f"<td>{v}</td>"
            for v, (_, c) in zip(row, headers, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<table class="wa-table {css}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
