"""Redaction of personal data before a table or report is shared.

:func:`redact` replaces, in the chosen text columns,

* e-mail addresses → ``[E-Mail]``,
* telephone numbers (``+49 30 1234567``, ``030/123 45 67``, ``0151-2345678``) → ``[Telefon]``,
* a person named with a title or salutation (``Frau Dr. Müller``, ``Herr Meier``,
  ``Mr Smith``) → ``[Name]``,
* any name from an explicit list (``names=``; whole words, case-insensitive) → ``[Name]``.

Every replacement is logged in a tidy table (record id, column, start, end, category) so that
an analyst can check what was removed; the original text itself is not kept in that table.
Organisations and roles ("Jobcenter Köln", "Geschäftsführung") are not personal data and
are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import pandas as pd

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<![\w/.])(?:\+\d{1,3}\s?)?(?:\(0\)\s?)?\d{2,5}(?:\s?[/-]?\s?\d{2,}){1,5}(?![\w.]\d)"
)
_SALUTED = re.compile(
    r"\b(?:Frau|Herrn?|Hr\.|Fr\.|Mr\.?|Mrs\.?|Ms\.?)\s+"
    r"(?:(?:Prof\.|Dr\.|Dipl\.-\w+\.?)\s+)*"
    r"[A-ZÄÖÜ][\w\-äöüß]+(?:\s+[A-ZÄÖÜ][\w\-äöüß]+)?"
)

#: Placeholder per category.
PLACEHOLDERS: dict[str, str] = {"email": "[E-Mail]", "phone": "[Telefon]", "name": "[Name]"}


class Redaction(NamedTuple):
    """Result of :func:`redact`: the redacted ``records`` and a ``log`` of replacements."""

    records: pd.DataFrame
    log: pd.DataFrame


def _patterns(names: Iterable[str]) -> list[tuple[str, re.Pattern[str]]]:
    patterns = [("email", _EMAIL), ("name", _SALUTED)]
    listed = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if listed:
        alternation = "|".join(re.escape(n) for n in listed)
        patterns.append(("name", re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)))
    patterns.append(("phone", _PHONE))
    return patterns


def _redact_text(text: str, patterns: list[tuple[str, re.Pattern[str]]]) -> tuple[str, list]:
    spans: list[tuple[int, int, str]] = []
    for category, pattern in patterns:
        for match in pattern.finditer(text):
            if category == "phone" and sum(ch.isdigit() for ch in match.group()) < 7:
                continue  # years, counts, "SGB II" paragraphs are not phone numbers
            if any(s < match.end() and match.start() < e for s, e, _ in spans):
                continue
            spans.append((match.start(), match.end(), category))
    spans.sort()
    out, last = [], 0
    for start, end, category in spans:
        out.append(text[last:start])
        out.append(PLACEHOLDERS[category])
        last = end
    out.append(text[last:])
    return "".join(out), spans


def redact(
    records: pd.DataFrame,
    *,
    columns: Sequence[str] = ("text", "source"),
    names: Iterable[str] = (),
) -> Redaction:
    """Replace personal data in ``columns`` with placeholders.

    Parameters
    ----------
    records : DataFrame
        A record table (any table with the given columns and a ``record_id``).
    columns : sequence of str, optional
        Columns to redact; missing columns are skipped.
    names : iterable of str, optional
        Names of people to remove wherever they appear (e.g. the participant list).

    Returns
    -------
    Redaction
        ``records``: a new frame with the redacted columns; ``log``: one row per
        replacement with ``record_id``, ``column``, ``start``, ``end`` (offsets in the
        original text) and ``category`` (``email``, ``phone``, ``name``).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"record_id": ["a"], "text": ["Frau Dr. Weber (weber@jc.de) lobte"]})
    >>> redact(r).records.loc[0, "text"]
    '[Name] ([E-Mail]) lobte'
    """
    patterns = _patterns(names)
    out = records.copy()
    log: list[tuple[object, str, int, int, str]] = []
    ids = records["record_id"] if "record_id" in records else pd.Series(records.index)
    for column in columns:
        if column not in out:
            continue
        values = []
        for rid, value in zip(ids, records[column], strict=True):
            if not isinstance(value, str):
                values.append(value)
                continue
            new, spans = _redact_text(value, patterns)
            values.append(new)
            log.extend((rid, column, s, e, c) for s, e, c in spans)
        out[column] = pd.Series(values, index=out.index, dtype=records[column].dtype)
    frame = pd.DataFrame(log, columns=["record_id", "column", "start", "end", "category"])
    return Redaction(out, frame)
