"""Display strings of the report, the charts and the exports: one catalogue per language.

Each language is one YAML file in this folder (``de.yaml``, ``en.yaml``), all with the same
keys; German is the default. **To add a language**, copy ``de.yaml`` to ``<code>.yaml``,
translate every value (keep the keys and the ``{fields}``) and run
``pytest tests/test_i18n.py``, which checks that every catalogue has every key. Nothing
else changes: :data:`LANGS` lists the files found. A value with the forms ``one`` and
``other`` is a count: ``one`` for ``n == 1``, ``other`` for every other ``n``.

The CSV files keep their machine-readable schema (English column names and values such as
``short``) in every language; the XLSX files are for people and use the catalogue's
``export`` block (:func:`export_labels`, :func:`localise_export`).

Examples
--------
>>> KIND_LABELS["de"]["concern"], HORIZON_LABELS["en"]["long"]
('Bedenken', 'long-term')
>>> t("n_statements", "de", n=1), t("n_statements", "de", n=3)
('1 Aussage', '3 Aussagen')
"""

from __future__ import annotations

import datetime as _dt
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..errors import WorkshopAnalysisError

_DIR = Path(__file__).resolve().parent

#: Supported display languages (one catalogue file each); the first is the default.
LANGS: tuple[str, ...] = tuple(
    sorted((p.stem for p in _DIR.glob("*.yaml")), key=lambda code: (code != "de", code))
)


@cache
def catalogue(lang: str) -> dict[str, Any]:
    """The whole catalogue of ``lang`` (read once; do not modify the result)."""
    check_lang(lang)
    with (_DIR / f"{lang}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise :class:`WorkshopAnalysisError`."""
    if lang not in LANGS:
        raise WorkshopAnalysisError(
            f"unsupported language {lang!r}; choose one of: {', '.join(LANGS)}"
        )
    return lang


#: Display names of the four kinds of statement (keys: ``records.KINDS``).
KIND_LABELS: dict[str, dict[str, str]] = {lang: catalogue(lang)["kinds"] for lang in LANGS}
#: Display names of the action horizons (keys: ``codebook.HORIZONS``).
HORIZON_LABELS: dict[str, dict[str, str]] = {lang: catalogue(lang)["horizons"] for lang in LANGS}
#: UI strings (a count has the forms ``one`` and ``other``).
STRINGS: dict[str, dict[str, Any]] = {lang: catalogue(lang)["strings"] for lang in LANGS}


def t(key: str, lang: str = "de", **fields: object) -> str:
    """Return the UI string ``key`` in ``lang``, formatted with ``fields``.

    Parameters
    ----------
    key : str
        A key of the catalogue's ``strings``.
    lang : str
        Display language (see :data:`LANGS`).
    **fields
        Values for the ``{name}`` fields; a count string needs ``n`` and picks its form.

    Returns
    -------
    str

    Raises
    ------
    WorkshopAnalysisError
        For an unsupported language.
    KeyError
        For an unknown ``key`` (a programming error, not a user error).
    """
    value = catalogue(check_lang(lang))["strings"][key]
    if isinstance(value, dict):
        value = value["one"] if fields.get("n") == 1 else value["other"]
    return value.format(**fields) if fields else value


def kind_label(kind: str, lang: str = "de") -> str:
    """Display name of a kind; unknown kinds are returned unchanged."""
    return catalogue(check_lang(lang))["kinds"].get(kind, kind)


def horizon_label(horizon: str, lang: str = "de") -> str:
    """Display name of a horizon; unknown horizons are returned unchanged."""
    return catalogue(check_lang(lang))["horizons"].get(horizon, horizon)


def priority_label(priority: str, lang: str = "de") -> str:
    """Display name of a priority level (``high``/``medium``/``low``); others unchanged."""
    return catalogue(check_lang(lang))["priorities"].get(str(priority), str(priority))


def quote_label(quote: str, lang: str = "de") -> str:
    """How a statement renders its source (``verbatim`` → ``wörtlich``); others unchanged."""
    return catalogue(check_lang(lang))["quote_types"].get(str(quote), str(quote))


def status_label(status: str, lang: str = "de") -> str:
    """Display name of a follow-up status (``in progress`` → ``in Arbeit``)."""
    return catalogue(check_lang(lang))["statuses"].get(str(status), str(status))


def quote_marks(lang: str = "de") -> tuple[str, str]:
    """Opening and closing quotation marks of ``lang`` (``„`` ``“`` in German)."""
    opening, closing = catalogue(check_lang(lang))["quotes"]
    return opening, closing


def format_date(value: Any, lang: str = "de") -> str:
    """``2017-11-22`` → ``22. November 2017`` (de) / ``22 November 2017`` (en).

    Anything that is not an ISO date is returned as text; missing values as ``""``.
    """
    raw = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    try:
        day = _dt.date.fromisoformat(raw[:10])
    except ValueError:
        return raw
    book = catalogue(check_lang(lang))
    return book["date_format"].format(
        day=day.day, month=book["months"][day.month - 1], year=day.year
    )


def export_labels(lang: str = "de") -> dict[str, Any]:
    """Sheet names, column headers and values of the XLSX exports in ``lang``.

    Returns
    -------
    dict
        ``{"sheets": {"short", "long", "evidence", "unassigned"}: name, "headers":
        {column: header}, "values": {column: {value: label}}}``; ``values`` translates
        ``horizon``, ``kind``/``kinds``, ``priority_label`` and ``quote``.
    """
    book = catalogue(check_lang(lang))
    kinds = book["kinds"]
    return {
        "sheets": dict(book["export"]["sheets"]),
        "headers": dict(book["export"]["headers"]),
        "values": {
            "horizon": dict(book["horizons"]),
            "kind": dict(kinds),
            "kinds": dict(kinds),
            "priority_label": dict(book["priorities"]),
            "quote": dict(book["quote_types"]),
        },
    }


def localise_export(frame: pd.DataFrame, lang: str = "de", *, fields: Any = None) -> pd.DataFrame:
    """A copy of an export table with headers and values in ``lang`` (for the XLSX).

    Parameters
    ----------
    frame : DataFrame
        A table as written to CSV (lists already joined with ``"; "``). Not modified.
    lang : str
        Display language.
    fields : Codebook or mapping, optional
        Shows field and code ids as labels (``regionale_angebote`` → ``Regionale Angebote``):
        a :class:`~workshop_analysis.codebook.Codebook` or ``{id: label}``.

    Returns
    -------
    DataFrame
        Same rows and order; unknown columns and values are kept as they are.
    """
    labels = export_labels(lang)
    out = frame.copy()
    for column, mapping in labels["values"].items():
        if column in out.columns:
            out[column] = [_translate(v, mapping) for v in out[column].tolist()]
    if fields is not None:
        for column in ("field", "codes"):
            if column in out.columns:
                out[column] = [
                    "; ".join(_field_label(p.strip(), fields, lang) for p in v.split(";"))
                    if isinstance(v, str) and v
                    else v
                    for v in out[column].tolist()
                ]
    return out.rename(columns=labels["headers"])


def _translate(value: Any, mapping: dict[str, str]) -> Any:
    if not isinstance(value, str):
        return value
    parts = [p.strip() for p in value.split(";")]
    return "; ".join(mapping.get(p, p) for p in parts)


def _field_label(value: Any, fields: Any, lang: str) -> Any:
    if not isinstance(value, str) or not value:
        return value
    if isinstance(fields, dict):
        return fields.get(value, value)
    try:
        return fields[value].title(lang)
    except (KeyError, AttributeError, TypeError):
        return value
