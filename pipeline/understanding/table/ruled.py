"""Every ruled table of a document, as logical tables (the ``tables`` command).

The 施策計画 path (``locate``, ``stitch``) keeps one kind of table; this
one keeps every region the rules draw, with the same engines, grid and
cell text.  A table that runs over a page break is one logical table:

- a page's grid continues the previous logical table when it is the
  first table of the page right after the page holding that table's last
  grid, that grid was the last table of its page, both have the same
  column bands (``same_columns``), and the page prints nothing above the
  table that the previous page did not print above its first table (a
  caption there, 歳出 over a table shaped like the 歳入 one before it,
  starts a new table; running heads repeat on every page);
- the continuation's leading rows that repeat the table's header (same
  cells, same text without layout spaces) are dropped;
- at the break, a row cut in two is joined (``continuation.row_continues``,
  the rule the 施策計画 stitching uses): the text runs on into the cells
  above, unless a cell holds a whole value (a number) under another one,
  which no run-on text does (a merged label cut by the break leaves the
  first cell blank too); otherwise a blank cell under a filled cell
  reaching the bottom of the previous page is that merged cell cut by the
  break, and its rowspan goes on.

Header: the rows covered by the cells starting in the first row, when
the table has more rows than those (else a one-group table is all body)
and none of them holds an amount (1,234, △5, 2.5%: data, not titles).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Mapping, Sequence

from normalizers.width import squash

from ...models import Cell, Grid, LogicalTable, PageView, TableCell
from .continuation import join_run_on, only_repeats, row_continues
from .engines import Engine

# Column borders of two page grids within this distance are one column.
# The same writer prints a table's columns at the same x on every page:
# on the shared real fuji budget, continuation pages' borders are at most
# 0.5pt apart (rule thickness, the grid's clustering), while its facing
# pages' different tables differ by 4pt at their first border already and
# distinct columns of real tables are >= 13pt apart.  Page sizes are not
# compared: a table continued on a page of another size is not seen.
COLUMN_EDGE_TOLERANCE = 2.0


def view_to_grids(view: PageView, engine: Engine) -> list[Grid]:
    """The grid of every ruled region of the page, top to bottom (then left to right)."""
    regions = sorted(view.table_bboxes, key=lambda b: (round(b[1]), b[0]))
    return [engine.region_to_grid(view, bbox, n) for n, bbox in enumerate(regions, 1)]


def _running_form(text: str) -> str:
    # Running heads differ from page to page only in their numbers (page, date).
    return "".join(ch for ch in squash(text) if not ch.isdigit())


# A line above a table saying it goes on (（続き）, つづき, (続)) is no caption of a new table.
CONTINUED_MARKS = ("続き", "つづき", "(続)", "（続）")


def lines_above_tables(view: PageView, grids: Sequence[Grid]) -> frozenset[str]:
    """The text printed above the page's first table, as compared between pages (``grids_to_tables``)."""
    framed = [g for g in grids if g.cells]
    if not framed:
        return frozenset()
    top = min(g.bbox[1] for g in framed)
    forms = (_running_form(line.text) for line in view.lines if line.bottom <= top)
    return frozenset(f for f in forms if f and not any(mark in f for mark in CONTINUED_MARKS))


def same_columns(a: Sequence[float], b: Sequence[float], tolerance: float = COLUMN_EDGE_TOLERANCE) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b))


def header_band_count(cells: Sequence[Cell]) -> int:
    """Row bands covered by the cells starting in the top band (a grid's header group)."""
    top = min(c.row for c in cells)
    return max(c.row + c.rowspan for c in cells if c.row == top) - top


def _signature(cells: Sequence[Cell], first_row: int, bands: int) -> tuple:
    return tuple(sorted(
        (c.row - first_row, c.col, c.rowspan, c.colspan, squash(c.text))
        for c in cells if first_row <= c.row < first_row + bands
    ))


@dataclasses.dataclass
class _Building:
    """A logical table while its page grids are added (mutable, local to this module)."""

    table_no: int
    col_edges: tuple[float, ...]
    header_rows: int
    header: tuple  # signature of the header cells, to recognise a repeated header
    cells: list[TableCell]
    pages: list[int]
    last_page: int

    @property
    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    def freeze(self) -> LogicalTable:
        return LogicalTable(
            table_no=self.table_no, pages=tuple(self.pages), n_rows=self.n_rows,
            n_cols=len(self.col_edges) - 1, header_rows=self.header_rows,
            cells=tuple(sorted(self.cells, key=lambda c: (c.row, c.col))),
        )


# A whole value, not text that can run on: 1,234 / △1,234 / 12.5% / 467,200円 / ― (nil).
_VALUE = re.compile(r"^([△▲▽+\-−]?[0-9０-９][0-9０-９,，.．]*([%％]|千円|百万円|円)?|[―－\-‐ー]+)$")


def _value(text: str) -> bool:
    return bool(_VALUE.match(squash(text)))


def _amount(text: str) -> bool:
    """A value with a separator, sign, decimal point or %: data, never a column title.

    Bare integers are left out: headers print years and numbers (2019, 1).
    """
    form = squash(text)
    return _value(form) and any(ch in form for ch in ",，.．%％△▲▽−+-")


def _cell(cell: Cell, row: int, header: bool = False) -> TableCell:
    return TableCell(cell.page, row, cell.col, cell.rowspan, cell.colspan, cell.text, cell.bbox, header)


def _start(grid: Grid, table_no: int) -> _Building:
    top = min(c.row for c in grid.cells)
    group = header_band_count(grid.cells)
    bands = max(c.row + c.rowspan for c in grid.cells) - top
    # A first row holding amounts is data: the tables of a budget book that
    # go on below a caption start with their first item (fuji budget).
    amounts = any(_amount(c.text) for c in grid.cells if c.row < top + group)
    header_rows = group if bands > group and not amounts else 0
    return _Building(
        table_no=table_no, col_edges=grid.col_edges, header_rows=header_rows,
        header=_signature(grid.cells, top, header_rows) if header_rows else (),
        cells=[_cell(c, c.row - top, header=c.row - top < header_rows) for c in grid.cells],
        pages=[grid.page], last_page=grid.page,
    )


def _continue(table: _Building, grid: Grid) -> None:
    """Add a continuation page's grid: repeated header dropped, the cut row joined."""
    top = min(c.row for c in grid.cells)
    body_top = top
    if table.header_rows and _signature(grid.cells, top, table.header_rows) == table.header:
        body_top = top + table.header_rows
    body = [c for c in grid.cells if c.row >= body_top]
    table.pages.append(grid.page)
    table.last_page = grid.page
    if not body:
        return
    body_top = min(c.row for c in body)
    n_rows = table.n_rows
    # Cells reaching the table's bottom (on the previous page, though a cell
    # cut before keeps its first page): what a cut row or merged cell continues from.
    open_cells = {(c.col, c.colspan): i for i, c in enumerate(table.cells) if c.row + c.rowspan == n_rows}
    first = [c for c in body if c.row == body_top]
    lead = "".join(c.text for c in first if c.col == 0)
    taken: set[int] = set()
    pairs = [(table.cells[open_cells[(c.col, c.colspan)]].text, c.text) for c in first if (c.col, c.colspan) in open_cells]
    if row_continues(lead, [c.text for c in first]) and not any(_value(a) and _value(b) for a, b in pairs):
        # The row was cut by the break: its first band here is the last band above.
        base = n_rows - 1
        for c in first:
            i = open_cells.get((c.col, c.colspan))
            if i is None:
                continue
            old = table.cells[i]
            text = old.text if only_repeats(c.text, old.text) else join_run_on(old.text, c.text)
            table.cells[i] = dataclasses.replace(old, text=text, rowspan=old.rowspan + c.rowspan - 1)
            taken.add(id(c))
    else:
        base = n_rows
        for c in first:
            i = open_cells.get((c.col, c.colspan))
            # A blank cell under a filled one reaching the previous page's bottom:
            # the merged cell was cut by the break (writers draw its rest blank).
            if i is not None and not c.text.strip() and table.cells[i].text.strip():
                old = table.cells[i]
                table.cells[i] = dataclasses.replace(old, rowspan=old.rowspan + c.rowspan)
                taken.add(id(c))
    table.cells.extend(_cell(c, base + c.row - body_top) for c in body if id(c) not in taken)


def grids_to_tables(grids: Sequence[Grid], above: Mapping[int, frozenset[str]] | None = None) -> tuple[LogicalTable, ...]:
    """Page grids (in page order, each page's in ``table_no`` order) to logical tables.

    ``above``: per page, ``lines_above_tables`` (none given: no caption
    anywhere).  Grids without cells (an engine found none) make no table;
    their text is in their leftovers.
    """
    above = above or {}
    with_cells = [g for g in grids if g.cells]
    first_on_page: dict[int, int] = {}
    for g in with_cells:
        first_on_page.setdefault(g.page, g.table_no)
    tables: list[_Building] = []
    for grid in with_cells:
        # The latest table built holds the latest grid, so when this grid is
        # the first of the page right after that grid's page, that grid was
        # the last table of its page: the one place a table can go on from.
        previous = tables[-1] if tables else None
        if (
            previous is not None
            and grid.table_no == first_on_page[grid.page]
            and previous.last_page == grid.page - 1
            and same_columns(previous.col_edges, grid.col_edges)
            and above.get(grid.page, frozenset()) <= above.get(previous.last_page, frozenset())
        ):
            _continue(previous, grid)
            continue
        tables.append(_start(grid, len(tables) + 1))
    return tuple(t.freeze() for t in tables)
