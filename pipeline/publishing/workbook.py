"""The Excel workbook: every table on its own sheet, as an analyst opens it.

``sesaku.xlsx`` holds the same rows as the CSVs, ``measure_years`` first
(the table one filters in Excel), then the others in output order.
Numbers are numbers (fiscal years, counts, coordinates), empty cells are
nulls, text is always text — a cell printed as ``=…`` or ``0123`` is never
turned into a formula or a number.  The header row is frozen and filtered,
columns are as wide as their content (to a cap).  The file is byte-for-byte
the same for the same rows: openpyxl's timestamps are taken out.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .schema import TABLES, TableSchema

FIRST_SHEET = "measure_years"
# Excel shows about 1 width unit per Latin character; East Asian wide
# characters take two.  60 units shows a long target line without making
# a sheet unreadable; longer text is still all in the cell.
MAX_WIDTH = 60
MIN_WIDTH = 6
# Excel's own limit on the text of one cell.
MAX_CELL_CHARS = 32767
# XML 1.0 forbids these; a PDF's text may hold them (a stray form feed).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TIMESTAMPS = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")
# ZIP entries carry a time; the earliest a ZIP can say keeps runs identical.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def sheet_order() -> list[str]:
    return [FIRST_SHEET] + [name for name in TABLES if name != FIRST_SHEET]


def _display_width(text: str) -> int:
    longest = max(text.split("\n"), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)


def _value(value: Any, type_: str) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if type_ == "integer":
        return int(value)
    if type_ == "number":
        return float(value)
    if type_ == "boolean":
        return bool(value)
    text = _ILLEGAL.sub("\ufffd", str(value))
    return text[:MAX_CELL_CHARS]


def _write_sheet(workbook: Any, table: TableSchema, frame: pd.DataFrame, headers: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(table.name)
    names = [f.title_ja for f in table.fields] if headers == "ja" else table.names
    columns = [frame[f.name].tolist() for f in table.fields]
    widths = []
    for name, f, values in zip(names, table.fields, columns):
        width = _display_width(name)
        if f.type == "string":
            width = max([width] + [_display_width(v) for v in values if isinstance(v, str)])
        else:
            width = max([width] + [len(str(v)) for v in values if v is not None and v is not pd.NA])
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, width + 2)))
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(frame) + 1}"
    bold = Font(bold=True)
    header = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    types = [f.type for f in table.fields]
    for row in zip(*columns):
        out = []
        for value, type_ in zip(row, types):
            value = _value(value, type_)
            if type_ == "string" and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                # Text is text: openpyxl would take "=…" for a formula.
                cell.data_type = "s"
                if "\n" in value:
                    cell.alignment = wrap
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)


def _reproducible(data: bytes) -> bytes:
    """The same ZIP without the creation times openpyxl stamps in."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _TIMESTAMPS.sub(b"", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


def write_workbook(frames: Mapping[str, pd.DataFrame], path: Path, headers: str = "en") -> None:
    """One sheet per table (``measure_years`` first) into ``path``."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name in sheet_order():
        _write_sheet(workbook, TABLES[name], frames[name], headers)
    buffer = io.BytesIO()
    workbook.save(buffer)
    Path(path).write_bytes(_reproducible(buffer.getvalue()))
