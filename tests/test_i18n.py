"""Tests of the display strings (German default, English)."""

from __future__ import annotations

import pytest

from workshop_analysis.codebook import HORIZONS
from workshop_analysis.errors import WorkshopAnalysisError
from workshop_analysis.i18n import (
    HORIZON_LABELS,
    KIND_LABELS,
    LANGS,
    STRINGS,
    horizon_label,
    kind_label,
    t,
)
from workshop_analysis.records import KINDS


def test_every_language_translates_every_kind_horizon_and_string() -> None:
    for lang in LANGS:
        assert set(KIND_LABELS[lang]) == set(KINDS)
        assert set(HORIZON_LABELS[lang]) == set(HORIZONS)
        assert set(STRINGS[lang]) == set(STRINGS["de"])


def test_german_and_english_names() -> None:
    assert [kind_label(k) for k in KINDS] == ["Bedarf", "Wunsch", "Lob", "Kritik"]
    assert [kind_label(k, "en") for k in KINDS] == ["need", "wish", "praise", "concern"]
    assert [horizon_label(h) for h in ("short", "long")] == ["kurzfristig", "längerfristig"]
    assert [horizon_label(h, "en") for h in ("short", "long")] == ["short-term", "long-term"]
    assert t("unassigned") == "ohne Zuordnung"
    assert t("unassigned", "en") == "not yet assigned"


def test_strings_are_formatted_with_fields() -> None:
    assert t("n_statements", "de", n=12) == "12 Aussagen"
    assert t("n_statements", "en", n=12) == "12 statements"


def test_unknown_language_and_key() -> None:
    with pytest.raises(WorkshopAnalysisError, match="unsupported language 'fr'"):
        t("unassigned", "fr")
    with pytest.raises(KeyError):
        t("no-such-string", "de")
    assert kind_label("other") == "other"
