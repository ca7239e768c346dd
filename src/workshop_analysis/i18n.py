"""Display strings in German (default) and English for charts and the report.

Add a language by adding a key to every dictionary here; add a UI string by adding it to
:data:`STRINGS` in both languages (a test checks that both have the same keys).

Examples
--------
>>> KIND_LABELS["de"]["concern"], HORIZON_LABELS["en"]["long"]
('Kritik', 'long-term')
>>> t("n_statements", "de", n=3)
'3 Aussagen'
"""

from __future__ import annotations

from .errors import WorkshopAnalysisError

#: Supported display languages; the first is the default.
LANGS: tuple[str, ...] = ("de", "en")

#: Display names of the four kinds of statement (keys: ``records.KINDS``).
KIND_LABELS: dict[str, dict[str, str]] = {
    "de": {"need": "Bedarf", "wish": "Wunsch", "praise": "Lob", "concern": "Kritik"},
    "en": {"need": "need", "wish": "wish", "praise": "praise", "concern": "concern"},
}

#: Display names of the action horizons (keys: ``codebook.HORIZONS``).
HORIZON_LABELS: dict[str, dict[str, str]] = {
    "de": {"short": "kurzfristig", "long": "längerfristig"},
    "en": {"short": "short-term", "long": "long-term"},
}

#: UI strings; values may contain ``str.format`` fields filled from ``t(..., **fields)``.
STRINGS: dict[str, dict[str, str]] = {
    "de": {
        "unassigned": "ohne Zuordnung",
        "kind_unknown": "Art unbestimmt",
        "kind": "Art der Aussage",
        "field": "Handlungsfeld",
        "code": "Code",
        "statements": "Aussagen",
        "n_statements": "{n} Aussagen",
        "n_statements_one": "1 Aussage",
        "n_unassigned_note": "Nicht dargestellt: {n} Aussage(n) ohne Zuordnung.",
        "title_kind_by_field": "Aussagen nach Handlungsfeld und Art",
        "title_top_fields": "Handlungsfelder mit den meisten Aussagen",
        "title_top_codes": "Codes mit den meisten Aussagen",
        "title_roadmap": "Maßnahmenplan",
        "title_cooccurrence": "Gemeinsam vergebene Codes",
        "cooccurrence_note": (
            "Zelle = Aussagen mit beiden Codes; Spalte k = Code k; (n) = Aussagen mit dem Code."
        ),
        "no_actions": "keine Maßnahmen",
        "n_more_actions": "+ {n} weitere Maßnahme(n)",
        "no_data": "keine Daten",
        "no_pairs": "keine Aussage mit zwei oder mehr Codes",
        "owner": "Verantwortlich",
        "owner_unset": "offen",
        "priority": "Priorität",
        "rank": "Rang",
    },
    "en": {
        "unassigned": "not yet assigned",
        "kind_unknown": "kind unknown",
        "kind": "Kind of statement",
        "field": "Field of action",
        "code": "Code",
        "statements": "Statements",
        "n_statements": "{n} statements",
        "n_statements_one": "1 statement",
        "n_unassigned_note": "Not shown: {n} statement(s) not yet assigned.",
        "title_kind_by_field": "Statements by field of action and kind",
        "title_top_fields": "Fields of action with the most statements",
        "title_top_codes": "Codes with the most statements",
        "title_roadmap": "Action plan",
        "title_cooccurrence": "Codes assigned together",
        "cooccurrence_note": (
            "Cell = statements with both codes; column k = code k; (n) = statements with the code."
        ),
        "no_actions": "no actions",
        "n_more_actions": "+ {n} more action(s)",
        "no_data": "no data",
        "no_pairs": "no statement has two or more codes",
        "owner": "Owner",
        "owner_unset": "not set",
        "priority": "Priority",
        "rank": "Rank",
    },
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise :class:`WorkshopAnalysisError`."""
    if lang not in LANGS:
        raise WorkshopAnalysisError(
            f"unsupported language {lang!r}; choose one of: {', '.join(LANGS)}"
        )
    return lang


def t(key: str, lang: str = "de", **fields: object) -> str:
    """Return the UI string ``key`` in ``lang``, formatted with ``fields``.

    Parameters
    ----------
    key : str
        A key of :data:`STRINGS`.
    lang : {"de", "en"}
        Display language.
    **fields
        Values for the ``{name}`` fields of the string.

    Returns
    -------
    str
        The translated string.

    Raises
    ------
    WorkshopAnalysisError
        For an unsupported language.
    KeyError
        For an unknown ``key`` (a programming error, not a user error).
    """
    text = STRINGS[check_lang(lang)][key]
    return text.format(**fields) if fields else text


def kind_label(kind: str, lang: str = "de") -> str:
    """Display name of a kind; unknown kinds are returned unchanged."""
    return KIND_LABELS[check_lang(lang)].get(kind, kind)


def horizon_label(horizon: str, lang: str = "de") -> str:
    """Display name of a horizon; unknown horizons are returned unchanged."""
    return HORIZON_LABELS[check_lang(lang)].get(horizon, horizon)
