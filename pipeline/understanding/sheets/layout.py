"""Where cells of one grid stand to each other: left of, above, below, in a row.

Positions are the grid's own bands (``Cell.row``/``col`` and their spans),
not coordinates: two cells are neighbours when their bands touch, so no
tolerance is needed here (the grid already snapped the rules).
"""

from __future__ import annotations

from typing import Optional, Sequence

from ...models import Cell


def rows_of(cell: Cell) -> range:
    return range(cell.row, cell.row + cell.rowspan)


def cols_of(cell: Cell) -> range:
    return range(cell.col, cell.col + cell.colspan)


def _overlap(a: range, b: range) -> bool:
    return a.start < b.stop and b.start < a.stop


def covers_cols(outer: Cell, inner: Cell) -> bool:
    return outer.col <= inner.col and inner.col + inner.colspan <= outer.col + outer.colspan


def covers_rows(outer: Cell, inner: Cell) -> bool:
    return outer.row <= inner.row and inner.row + inner.rowspan <= outer.row + outer.rowspan


class GridLayout:
    """The cells of one grid and their neighbours."""

    def __init__(self, cells: Sequence[Cell]):
        self.cells = sorted(cells, key=lambda c: (c.row, c.col))
        self.n_rows = max((c.row + c.rowspan for c in cells), default=0)
        self.n_cols = max((c.col + c.colspan for c in cells), default=0)

    def left_of(self, cell: Cell) -> list[Cell]:
        """Cells left of ``cell`` on its first row band, nearest first."""
        found = [c for c in self.cells if c.col + c.colspan <= cell.col and cell.row in rows_of(c)]
        return sorted(found, key=lambda c: -(c.col + c.colspan))

    def right_of(self, cell: Cell) -> list[Cell]:
        """Cells right of ``cell`` on its first row band, nearest first."""
        end = cell.col + cell.colspan
        found = [c for c in self.cells if c.col >= end and cell.row in rows_of(c)]
        return sorted(found, key=lambda c: c.col)

    def above_levels(self, cell: Cell) -> list[list[Cell]]:
        """Cells above ``cell`` sharing a column band with it, grouped by the band
        they end on, nearest group first."""
        found = [c for c in self.cells if c.row + c.rowspan <= cell.row and _overlap(cols_of(c), cols_of(cell))]
        levels: dict[int, list[Cell]] = {}
        for c in found:
            levels.setdefault(c.row + c.rowspan, []).append(c)
        return [sorted(levels[k], key=lambda c: c.col) for k in sorted(levels, reverse=True)]

    def directly_above(self, cell: Cell) -> list[Cell]:
        """The cells ending on the band right above ``cell`` over its columns."""
        return [c for c in self.cells if c.row + c.rowspan == cell.row and _overlap(cols_of(c), cols_of(cell))]

    def directly_below(self, cell: Cell) -> list[Cell]:
        end = cell.row + cell.rowspan
        return [c for c in self.cells if c.row == end and _overlap(cols_of(c), cols_of(cell))]

    def starting_in(self, row: int) -> list[Cell]:
        return [c for c in self.cells if c.row == row]

    def at(self, row: int, col: int) -> Optional[Cell]:
        return next((c for c in self.cells if row in rows_of(c) and col in cols_of(c)), None)

    def full_width(self, cell: Cell) -> bool:
        return cell.col == 0 and cell.colspan == self.n_cols
