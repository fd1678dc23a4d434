"""Logical ruled tables to rows: the long ``tables`` table and one wide CSV per table.

The long table (``schema.RULED_TABLES``) has one row per cell with its
span, so merged cells stay exactly as printed.  The wide CSV is what a
spreadsheet shows for the table: one line per row, one column per column
band, a merged cell's text once in its top-left position and the other
positions it covers empty (as a spreadsheet shows merged cells); its
title line names each column by the header cells above it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..models import LogicalTable
from .records import check_columns
from .schema import RULED_TABLES


def tables_to_rows(doc_id: str, tables: Sequence[LogicalTable]) -> list[dict]:
    """Rows of the ``tables`` table, in table, row, column order (checked against its schema)."""
    rows = [
        {
            "doc_id": doc_id, "page": c.page, "table_no": t.table_no, "row": c.row, "col": c.col,
            "rowspan": c.rowspan, "colspan": c.colspan, "text": c.text,
            "x0": c.bbox[0], "top": c.bbox[1], "x1": c.bbox[2], "bottom": c.bbox[3], "header": c.header,
        }
        for t in tables for c in t.cells
    ]
    check_columns({"tables": rows}, RULED_TABLES)
    return rows


# Between the header texts stacked above one column (目標 over 2019年度).
HEADER_JOIN = " / "


def column_titles(table: LogicalTable) -> list[str]:
    """Each column's title: the header cells covering it, top to bottom; its number without a header."""
    titles = []
    for col in range(table.n_cols):
        above = [c for c in table.cells if c.header and c.col <= col < c.col + c.colspan]
        texts = [" ".join(c.text.split()) for c in sorted(above, key=lambda c: c.row) if c.text.strip()]
        titles.append(HEADER_JOIN.join(dict.fromkeys(texts)) or str(col + 1))
    return titles


def table_to_wide(table: LogicalTable) -> list[list[str]]:
    """Title line, then one line per body row; a merged cell's text in its top-left position only."""
    body_rows = table.n_rows - table.header_rows
    grid = [[""] * table.n_cols for _ in range(body_rows)]
    for c in table.cells:
        if not c.header and 0 <= c.row - table.header_rows < body_rows and c.col < table.n_cols:
            grid[c.row - table.header_rows][c.col] = c.text
    return [column_titles(table)] + grid


def wide_csv_bytes(table: LogicalTable, encoding: str = "utf-8-sig") -> bytes:
    """The wide CSV of one table; raises UnicodeEncodeError where ``encoding`` lacks a character."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")  # the same bytes on every platform
    writer.writerows(table_to_wide(table))
    return buffer.getvalue().encode(encoding)


def wide_csv_name(doc_id: str, table: LogicalTable) -> str:
    return f"{doc_id}-{table.table_no}.csv"
