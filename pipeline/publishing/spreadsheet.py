"""Text a spreadsheet would run: CSV cells are written so that they stay text.

Excel and LibreOffice read a CSV cell that starts with ``=``, ``+``, ``-``
or ``@`` (and, after a tab or carriage return, the same) as a formula:
``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` run when the file is opened
by double-click.  A PDF's text, or its file name, may hold anything, so
every text cell of a CSV that starts with one of these characters is
written with a leading apostrophe, which both show as text (the OWASP
recommendation for CSV injection).  What is not touched:

- numeric columns (integer, number): written by the CSV writer as numbers,
  ``-5`` stays ``-5``;
- a text cell that is a plain number (``-5``, ``+3.2``, ``-1,234``): a
  spreadsheet reads it as that number, never as a formula, and it may be a
  value a user sums;
- Parquet and the workbook (``sesaku.xlsx`` stores every cell as text,
  never a formula): they keep the value as read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

import pandas as pd

# What starts a formula in Excel or LibreOffice (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Written before such a cell: a spreadsheet shows the rest as text.
TEXT_MARK = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


def defuse(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text and never runs."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return TEXT_MARK + text
    return text


def defuse_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell ``defuse``d (a copy when any changes); other columns as they are."""
    out = frame
    for column in frame.columns:
        values = frame[column]
        if values.dtype != "string":
            continue
        first = values.str[:1]
        # pandas' nullable strings: a null's test is NA, counted as False.
        risky = first.isin(FORMULA_STARTS).fillna(False).astype(bool)
        if not risky.any():
            continue
        changed = values.copy()
        changed[risky] = [defuse(v) for v in values[risky]]
        if out is frame:
            out = frame.copy()
        out[column] = changed
    return out


def csv_rows(rows: Iterable[Sequence[object]]) -> str:
    """CSV text of ``rows``, lines ended by ``\n``, a cell holding a carriage return quoted.

    Python's csv writer (3.11) quotes a cell only for the delimiter, the
    quote and the line terminator's own characters: with ``\n`` lines a
    bare ``\r`` in a cell was written unquoted, and Excel and Python's csv
    reader end the row there (a cell ``\r=1+2`` became a row starting with a
    formula).  Each row is written with ``\r\n`` as terminator, so such
    cells are quoted, and ended with ``\n``: every other row keeps its bytes.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def frame_csv(frame: pd.DataFrame) -> str:
    """``frame.to_csv`` with ``\n`` lines, a cell holding a carriage return quoted (``csv_rows``)."""
    text = frame.to_csv(None, index=False, lineterminator="\n")
    if "\r" not in text:
        return text
    # pandas formats the values; its CRLF output quotes every cell holding a CR, and is read back
    # into those formatted cells to be written with \n lines.
    quoted = frame.to_csv(None, index=False, lineterminator="\r\n")
    return csv_rows(csv.reader(io.StringIO(quoted, newline="")))


__all__ = ["FORMULA_STARTS", "TEXT_MARK", "csv_rows", "defuse", "defuse_frame", "frame_csv"]
