"""Formatted, deterministic XLSX output (openpyxl): styled header, widths, frozen header."""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

_FIXED_TIME = _dt.datetime(2000, 1, 1)


def write_sheets(sheets: Mapping[str, pd.DataFrame], path: Path) -> Path:
    """Write one formatted sheet per frame. Cells must already be neutralised.

    The header row is bold on a light fill, frozen, with an autofilter; column widths
    follow the content (capped at 80 characters, long text wraps). Workbook timestamps
    are fixed so that identical input gives identical cell contents and metadata.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets.items():
        sheet = book.create_sheet(title=str(title)[:31])
        header = [str(c) for c in frame.columns]
        sheet.append(header)
        for row in frame.itertuples(index=False):
            sheet.append([None if _missing(v) else _storable(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE6F0")
        sheet.freeze_panes = "A2"
        if len(header):
            sheet.auto_filter.ref = sheet.dimensions
        for idx, col in enumerate(header, start=1):
            lengths = [len(col)] + [len(str(v)) for v in frame.iloc[:, idx - 1] if not _missing(v)]
            width = min(max(lengths) + 2, 80)
            sheet.column_dimensions[get_column_letter(idx)].width = max(width, 8)
            if width >= 80:
                for cell in sheet[get_column_letter(idx)][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, even if a caller forgot to neutralise
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    book.properties.creator = "workshop-analysis"
    buffer = io.BytesIO()
    book.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_reproducible(buffer.getvalue()))
    return path


def _reproducible(data: bytes) -> bytes:
    """The XLSX bytes with the save time removed: openpyxl stamps ``dcterms:modified``
    and every zip member with the clock; both become :data:`_FIXED_TIME`, so that the
    same workbook gives the same bytes."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    content,
                )
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            dst.writestr(member, content)
    return out.getvalue()


#: Characters an XLSX file (XML 1.0) cannot hold: C0 controls but tab, LF and CR; U+FFFE/F.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _storable(value: object) -> object:
    """``value`` with every character XLSX cannot store replaced by a space (strings only;
    reading normalises them to spaces anyway, see :func:`~workshop_analysis.records.clean_text`)."""
    if isinstance(value, str) and not value.isprintable():
        return _ILLEGAL.sub(" ", value)
    return value


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
