"""Every ruled table of a document, as logical tables (the ``tables`` command).

The 施策計画 path (``locate``, ``stitch``) keeps one kind of table; this
one keeps every region the rules draw, with the same engines, grid and
cell text.  A table that runs over a page break is one logical table:

- a page's grid continues the previous logical table when it is the
  first table of the page right after the page holding that table's last
  grid, that grid was the last table of its page, both have the same
  column bands (``same_columns``), the header goes on (``repeats_header``)
  and the page prints nothing above the
  table that the previous page did not print above its first table (a
  caption there, 歳出 over a table shaped like the 歳入 one before it,
  starts a new table; running heads repeat on every page);
- "page" above is a reading unit: a page, or each half of a sheet printing
  two pages side by side (``reading.layout``, in the orchestration);
- a continuation never covers a grid position twice: a first row cut by
  the break only goes on in the very cells it was cut from;
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
from collections.abc import Mapping, Sequence

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


def view_to_grids(view: PageView, engine: Engine, first_no: int = 1) -> list[Grid]:
    """The grid of every ruled region of the page, top to bottom (then left to right).

    ``first_no``: the ``table_no`` of the first (a two-up page's right
    half numbers its tables on from the left half's)."""
    regions = sorted(view.table_bboxes, key=lambda b: (round(b[1]), b[0]))
    return [engine.region_to_grid(view, bbox, n) for n, bbox in enumerate(regions, first_no)]


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


def same_columns(a: Sequence[float], b: Sequence[float], tolerance: float = COLUMN_EDGE_TOLERANCE,
                 widths_only: bool = False) -> bool:
    """The same column borders; ``widths_only``: the same columns wherever they start
    (a table going on from one half of a two-up sheet to the other)."""
    if widths_only and a and b:
        a, b = [x - a[0] for x in a], [x - b[0] for x in b]
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
    last_unit: int  # the reading unit (page, or half of a two-up page) of its latest grid

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


def _start(grid: Grid, table_no: int, unit: int) -> _Building:
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
        pages=[grid.page], last_unit=unit,
    )


def repeats_header(table: _Building, grid: Grid) -> bool:
    """May a page's grid go on under the table's header?

    Where the page prints the header again, yes.  A header of column
    titles need not be printed again (writers often print it on the first
    page only: a council's list of resolutions and four published
    documents of other producers go on without it), unless the page prints
    other column titles instead: words at its top where the table's body
    holds amounts.  A header that is one
    title across every column names the block under it: a page not
    printing it again holds another block of the form (a city's evaluation
    sheet: each 細事業 block under its 細事業の分析 title, the second on
    the next page without it, was stitched onto the first).
    """
    if not table.header_rows:
        return True
    top = min(c.row for c in grid.cells)
    if _signature(grid.cells, top, table.header_rows) == table.header:
        return True
    n_cols = len(table.col_edges) - 1
    title = [c for c in table.cells if c.row == 0]
    if len(title) == 1 and title[0].colspan == n_cols:
        return False
    # Not printed again: the page must go on with body rows, not print other
    # column titles (words where the table's body holds amounts).
    amounts = {c.col for c in table.cells if not c.header and _amount(c.text)}
    return not any(c.col in amounts and c.text.strip() and not _value(c.text) for c in grid.cells if c.row == top)


def _continue(table: _Building, grid: Grid, unit: int) -> None:
    """Add a continuation page's grid: repeated header dropped, the cut row joined."""
    top = min(c.row for c in grid.cells)
    body_top = top
    if table.header_rows and _signature(grid.cells, top, table.header_rows) == table.header:
        body_top = top + table.header_rows
    body = [c for c in grid.cells if c.row >= body_top]
    if table.pages[-1] != grid.page:
        table.pages.append(grid.page)
    table.last_unit = unit
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
    # A cut row goes on in the very cells it was cut from: a first row cut
    # otherwise (fuji budget page 5: a 項 row under the 款 row spanning both
    # label columns above) is a new row, or its cells would cover the row above.
    same_cells = all((c.col, c.colspan) in open_cells for c in first)
    if (row_continues(lead, [c.text for c in first]) and same_cells
            and not any(_value(a) and _value(b) for a, b in pairs)):
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


def grids_to_tables(
    grids: Sequence[Grid], above: Mapping[int, frozenset[str]] | None = None, units: Sequence[int] | None = None,
    follows: Mapping[int, Sequence[int]] | None = None, sides: Mapping[int, str] | None = None,
) -> tuple[LogicalTable, ...]:
    """Page grids (in reading order, each page's in ``table_no`` order) to logical tables.

    ``units``: each grid's reading unit, a page or one half of a two-up
    page (``reading.layout``), numbered in reading order; by default its
    page.  A table goes on from the unit right before, or from those
    ``follows`` names for a unit, in that order (a two-up sheet's half
    also from the same half of the sheet before: facing pages, where the
    left pages carry one table and the right pages another).  ``sides``:
    the half a unit is ("left", "right"; none for a whole page): from one
    side to another, columns are compared by their widths only.
    ``above``: per unit, ``lines_above_tables`` (none given: no caption
    anywhere).  Grids without cells (an engine found none) make no table;
    their text is in their leftovers.
    """
    above = above or {}
    follows = follows or {}
    sides = sides or {}
    unit_of = list(units) if units is not None else [g.page for g in grids]
    with_cells = [(g, u) for g, u in zip(grids, unit_of) if g.cells]
    first_in_unit: dict[int, int] = {}
    for g, u in with_cells:
        first_in_unit.setdefault(u, g.table_no)
    tables: list[_Building] = []
    last_in_unit: dict[int, _Building] = {}  # the table holding each unit's last grid
    for grid, unit in with_cells:
        target = None
        if grid.table_no == first_in_unit[unit]:
            # Only from the table holding the last grid of a unit before,
            # when nothing has gone on from that unit yet.
            for before in follows.get(unit, (unit - 1,)):
                table = last_in_unit.get(before)
                if (
                    table is not None
                    and table.last_unit == before
                    and same_columns(table.col_edges, grid.col_edges,
                                     widths_only=sides.get(unit) != sides.get(before))
                    and repeats_header(table, grid)
                    and above.get(unit, frozenset()) <= above.get(before, frozenset())
                ):
                    target = table
                    break
        if target is not None:
            _continue(target, grid, unit)
        else:
            target = _start(grid, len(tables) + 1, unit)
            tables.append(target)
        last_in_unit[unit] = target
    return tuple(t.freeze() for t in tables)
