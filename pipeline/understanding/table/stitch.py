"""Page grids to one logical table.

Each page repeats the two header rows; they are read once per page (the
year columns may sit at other x positions on other pages) and dropped.
Body cells are mapped to semantic columns (name, 現状, one per year) by
geometry.  A row that continues on the next page, whether a result row
printed again under the header with its label cells repeated or a cell
whose text simply runs on, is joined to the row it continues.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from normalizers.era import parse_year_label
from normalizers.width import squash as compact

from ...models import Cell, CellKey, Column, Fragment, Grid, LogicalCell, Table, TableRow
from ...settings import Settings
from ...vocabulary import RESULT_WORD
from .continuation import only_repeats, row_continues
from .locate import header_cells


class NoTableHeader(ValueError):
    """A grid without the 施策計画名 / 現状 / 目標 header."""


def cell_key(grid: Grid, cell: Cell) -> CellKey:
    return (grid.page, grid.table_no, cell.row, cell.col)


def grid_to_columns(grid: Grid, settings: Settings) -> tuple[tuple[Column, ...], float, dict[CellKey, Column]]:
    """Semantic columns read from a page's header, the header's bottom, and
    the header cells (each with the column it heads)."""
    tol = settings.header_tolerance
    found = header_cells(grid, tol)
    if found is None:
        raise NoTableHeader(f"page {grid.page}: no 施策計画名 / 現状 / 目標 header in the table")
    name, current, target = found
    years = sorted(
        (
            c for c in grid.cells
            if c.row == target.row + target.rowspan
            and c.bbox[0] >= target.bbox[0] - tol
            and c.bbox[2] <= target.bbox[2] + tol
        ),
        key=lambda c: c.bbox[0],
    )
    if not years:
        raise NoTableHeader(f"page {grid.page}: no year columns under 目標")
    columns = [
        Column("name", compact(name.text), name.bbox[0], name.bbox[2]),
        Column("current", compact(current.text), current.bbox[0], current.bbox[2]),
    ]
    headers = {cell_key(grid, name): columns[0], cell_key(grid, current): columns[1]}
    for cell in years:
        label = parse_year_label(cell.text, errors="null")
        if label is None:
            raise NoTableHeader(f"page {grid.page}: year column header {compact(cell.text)!r} is not a fiscal year")
        columns.append(
            Column(
                "target", compact(cell.text), cell.bbox[0], cell.bbox[2], label.fiscal_year, label.and_after,
                label.last_year,
            )
        )
        headers[cell_key(grid, cell)] = columns[-1]
    headers[cell_key(grid, target)] = Column("target", compact(target.text), target.bbox[0], target.bbox[2])
    bottom = max(c.bbox[3] for c in (name, current, *years))
    return tuple(columns), bottom, headers


def _span(cell: Cell, columns: Sequence[Column], tol: float) -> tuple[int, int] | None:
    inside = [
        i for i, col in enumerate(columns)
        if cell.bbox[0] - tol <= (col.x0 + col.x1) / 2 <= cell.bbox[2] + tol
    ]
    return (inside[0], inside[-1]) if inside else None


def grid_to_rows(grid: Grid, columns: Sequence[Column], header_bottom: float, settings: Settings) -> list[TableRow]:
    """Body rows of one page grid, cells mapped onto the semantic columns."""
    tol = settings.header_tolerance
    body = [c for c in grid.cells if c.bbox[1] >= header_bottom - tol]
    rows: list[TableRow] = []
    open_spans: list[tuple[int, Cell, tuple[int, int]]] = []
    for band in sorted({c.row for c in body}):
        starting = sorted((c for c in body if c.row == band), key=lambda c: c.bbox[0])
        covered = sorted(
            {i for end, _, (lo, hi) in open_spans if end > band for i in range(lo, hi + 1)}
        )
        cells = []
        for cell in starting:
            span = _span(cell, columns, tol)
            if span is None:
                continue
            open_spans.append((cell.row + cell.rowspan, cell, span))
            cells.append(
                LogicalCell(
                    fragments=(Fragment(grid.page, cell.text, cell.bbox, cell_key(grid, cell)),),
                    first_col=span[0],
                    last_col=span[1],
                    rowspan=sum(1 for b in {c.row for c in body} if cell.row <= b < cell.row + cell.rowspan),
                )
            )
        if cells:
            rows.append(TableRow(cells=tuple(cells), page=grid.page, covered=tuple(covered)))
    return rows


def is_result_row(row: TableRow) -> bool:
    first = row.cells[0]
    return first.first_col == 0 and first.last_col == 0 and RESULT_WORD in compact(first.text)


def is_program_row(row: TableRow, n_columns: int) -> bool:
    return len(row.cells) == 1 and row.cells[0].first_col == 0 and row.cells[0].last_col == n_columns - 1


def _continues(row: TableRow, previous: TableRow, n_columns: int) -> bool:
    """Does the first row of a page carry on the last row of the page before?"""
    if is_program_row(previous, n_columns) or is_program_row(row, n_columns):
        return False
    if is_result_row(row):
        return is_result_row(previous)
    if is_result_row(previous):
        return False
    # A named first column starts a new measure; the rest is the rule every
    # stitched table shares.
    lead = "".join(c.text for c in row.cells if c.first_col == 0)
    return row_continues(lead, [c.text for c in row.cells])


def _merge(previous: TableRow, row: TableRow) -> TableRow:
    by_span = {(c.first_col, c.last_col): c for c in previous.cells}
    merged = list(previous.cells)
    for cell in row.cells:
        key = (cell.first_col, cell.last_col)
        if key not in by_span:
            merged.append(cell)
            continue
        old = by_span[key]
        # Label cells printed again on the continuation page, and blank
        # continuations, are not new text: they only repeat the cell above.
        if only_repeats(cell.text, old.text):
            repeated = dataclasses.replace(old, also=old.also + tuple(f.cell for f in cell.fragments if f.cell))
            merged[merged.index(old)] = by_span[key] = repeated
            continue
        joined = LogicalCell(old.fragments + cell.fragments, old.first_col, old.last_col, old.rowspan, old.also + cell.also)
        merged[merged.index(old)] = by_span[key] = joined
    merged.sort(key=lambda c: c.first_col)
    return TableRow(tuple(merged), previous.page, previous.covered)


def grids_to_table(grids: Sequence[Grid], settings: Settings) -> Table:
    """Join the table grids of one document, in page order, into one table."""
    columns: tuple[Column, ...] | None = None
    rows: list[TableRow] = []
    pages: list[int] = []
    headers: dict[CellKey, Column] = {}
    for grid in grids:
        try:
            page_columns, header_bottom, page_headers = grid_to_columns(grid, settings)
        except NoTableHeader:
            # A headerless continuation page is accepted only when its rules
            # line up with the columns read from the previous header.
            if columns is None:
                continue
            page_columns, header_bottom, page_headers = columns, grid.bbox[1], {}
            probe = [c for c in grid.cells if c.row == 0]
            if not probe or _span(probe[0], columns, settings.header_tolerance) is None:
                continue
        if columns is not None and [c.years for c in columns] != [c.years for c in page_columns]:
            # A second table with other year columns: a real document of this
            # family has one 施策計画 table per plan section.
            raise NoTableHeader(f"page {grid.page}: year columns differ from the previous table page")
        columns = columns or page_columns
        headers.update(page_headers)
        page_rows = grid_to_rows(grid, page_columns, header_bottom, settings)
        if rows and page_rows and _continues(page_rows[0], rows[-1], len(columns)):
            rows[-1] = _merge(rows[-1], page_rows[0])
            page_rows = page_rows[1:]
        rows.extend(page_rows)
        pages.append(grid.page)
    if columns is None:
        raise NoTableHeader("no 施策計画 table header found")
    return Table(columns=columns, rows=tuple(rows), pages=tuple(pages), headers=tuple(headers.items()))
