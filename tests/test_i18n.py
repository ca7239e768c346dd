"""Tests of the language catalogues (German default, English)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from workshop_analysis import i18n
from workshop_analysis.codebook import HORIZONS
from workshop_analysis.errors import WorkshopAnalysisError
from workshop_analysis.i18n import (
    HORIZON_LABELS,
    KIND_LABELS,
    LANGS,
    export_labels,
    format_date,
    horizon_label,
    kind_label,
    localise_export,
    t,
)
from workshop_analysis.records import KINDS, QUOTES

CATALOGUES = Path(i18n.__file__).parent


def _keys(value, prefix=""):
    """Every key path of a nested catalogue (a count's one/other forms included)."""
    if isinstance(value, dict):
        return {k for key, v in value.items() for k in _keys(v, f"{prefix}{key}.")} | {
            prefix.rstrip(".")
        }
    return {prefix.rstrip(".")}


def test_one_catalogue_file_per_language_with_the_same_keys() -> None:
    files = sorted(p.stem for p in CATALOGUES.glob("*.yaml"))
    assert sorted(LANGS) == files
    assert LANGS[0] == "de"
    german = _keys(yaml.safe_load((CATALOGUES / "de.yaml").read_text("utf-8")))
    for lang in LANGS:
        book = yaml.safe_load((CATALOGUES / f"{lang}.yaml").read_text("utf-8"))
        assert _keys(book) == german, lang
        assert set(KIND_LABELS[lang]) == set(KINDS)
        assert set(HORIZON_LABELS[lang]) == set(HORIZONS)
        assert set(book["quote_types"]) == set(QUOTES)


def test_fields_are_the_same_in_every_language() -> None:
    german = yaml.safe_load((CATALOGUES / "de.yaml").read_text("utf-8"))["strings"]
    for lang in LANGS:
        book = yaml.safe_load((CATALOGUES / f"{lang}.yaml").read_text("utf-8"))["strings"]
        for key, value in german.items():
            fields = set(re.findall(r"\{(\w+)\}", str(value)))
            assert set(re.findall(r"\{(\w+)\}", str(book[key]))) == fields, (lang, key)


def test_german_and_english_names() -> None:
    assert [kind_label(k) for k in KINDS] == ["Bedarf", "Wunsch", "Lob", "Bedenken"]
    assert [kind_label(k, "en") for k in KINDS] == ["need", "wish", "praise", "concern"]
    assert [horizon_label(h) for h in ("short", "long")] == ["kurzfristig", "längerfristig"]
    assert [horizon_label(h, "en") for h in ("short", "long")] == ["short-term", "long-term"]
    assert t("unassigned") == "ohne Zuordnung"
    assert t("unassigned", "en") == "not yet assigned"


def test_counts_take_singular_and_plural() -> None:
    assert t("n_statements", "de", n=1) == "1 Aussage"
    assert t("n_statements", "de", n=12) == "12 Aussagen"
    assert t("n_statements", "en", n=1) == "1 statement"
    assert t("n_statements", "en", n=0) == "0 statements"
    assert t("fig_unassigned", "de", n=1) == "Aussage ohne Zuordnung"
    assert t("n_more_actions", "de", n=1) == "+ 1 weitere Maßnahme"
    no_bracketed_plural = re.compile(r"\w\((e?n|s)\)")
    for lang in LANGS:
        text = (CATALOGUES / f"{lang}.yaml").read_text("utf-8")
        assert not no_bracketed_plural.search(text), f"{lang}: a '(n)'/'(s)' plural"


def test_dates() -> None:
    assert format_date("2017-11-22", "de") == "22. November 2017"
    assert format_date("2017-11-22", "en") == "22 November 2017"
    assert format_date("kein Datum", "de") == "kein Datum"
    assert format_date(None, "de") == ""


def test_export_labels_translate_headers_values_and_fields() -> None:
    frame = pd.DataFrame(
        {
            "action_id": ["A-1"],
            "field": ["regionale_angebote"],
            "horizon": ["short"],
            "kinds": ["need; concern"],
            "support": [2],
        }
    )
    out = localise_export(frame, "de", fields={"regionale_angebote": "Regionale Angebote"})
    assert list(out.columns) == ["Kennung", "Handlungsfeld", "Horizont", "Arten", "Anzahl Aussagen"]
    assert out.iloc[0].tolist() == [
        "A-1",
        "Regionale Angebote",
        "kurzfristig",
        "Bedarf; Bedenken",
        2,
    ]
    assert frame.columns[0] == "action_id"  # the input is not modified
    assert export_labels("de")["sheets"]["evidence"] == "Belege"
    assert export_labels("en")["sheets"]["short"] == "short"


def test_unknown_language_and_key() -> None:
    with pytest.raises(WorkshopAnalysisError, match="unsupported language 'fr'"):
        t("unassigned", "fr")
    with pytest.raises(KeyError):
        t("no-such-string", "de")
    assert kind_label("other") == "other"
