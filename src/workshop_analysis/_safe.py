"""Spreadsheet-formula neutralisation (CSV/XLSX injection), shared by every writer.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run
as a formula by Excel or LibreOffice. Writers prefix such cells with an apostrophe, which
spreadsheet programs show as text; readers strip exactly that prefix again so that a
read-write-read round trip gives the same frame. A value that already starts with
apostrophes before such a character (``'=x``) gets one more, so that reading restores it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

#: Line feed too: XLSX (XML) reads a leading CR back as LF, and the prefix must come off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> Any:
    """Return ``value`` made safe for a spreadsheet cell (strings only; others unchanged)."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(value: Any) -> Any:
    """Undo :func:`neutralise` (strip the apostrophe it added, nothing else)."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and value.lstrip("'").startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


def neutralise_frame(data: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``data`` with every string cell passed through :func:`neutralise`."""
    out = data.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise, na_action="ignore")
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out
