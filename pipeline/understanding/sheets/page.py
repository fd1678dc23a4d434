"""One page of a sheet document: its grids and lines read into fields, values and choices.

Per grid, in this order, each step taking the cells it reads so that no
later step reads them again: figures by year and kind (``axes``), marks
in their own cells and answer rows (``choices``), then label → value
pairs (``fields``), whose values may still be choices.  A figure the
axes found only one axis for is unplaced with their reason.

Lines outside every grid are a page's title and captions: a caption's
unit (``（４）事業費等(千円単位…)``) is the unit of the grid under it when
nothing nearer gives one, and ``No. 1`` at the end of a title line is
the sheet's number.  The other lines are kept as headings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from normalizers.units import unit_in
from normalizers.width import squash

from ...geometry import BBox, centre_in
from ...models import Cell, Grid, Line, SheetChoice, SheetField, SheetUnplaced, SheetValue
from ...settings import Settings
from ...vocabulary import NUMBER_IN_LINE
from .axes import grid_to_values
from .cells import read_cell
from .choices import answer_row_choices, mark_grid_choices
from .fields import grid_to_fields
from .layout import GridLayout


# Why a header cell is kept among the headings (``page_to_reading``).
STRUCTURE = "a header or row label of a table of figures or choices"


def key(cell: Cell) -> tuple[int, int]:
    return (cell.row, cell.col)


@dataclass(frozen=True)
class PageReading:
    """What one page holds, before pages are cut into sheets."""

    page: int
    fields: tuple[SheetField, ...]
    values: tuple[SheetValue, ...]
    choices: tuple[SheetChoice, ...]
    unplaced: tuple[SheetUnplaced, ...]
    headings: tuple[SheetUnplaced, ...]
    # The labels of the page's first grid, in order: a page whose first grid
    # repeats the first page's labels may start the next sheet.
    first_labels: tuple[str, ...] = ()
    # The fields read from that grid (a title block printed again on a sheet's
    # later page repeats them).
    first_fields: tuple[SheetField, ...] = ()


def in_grid(line: Line, grids: Sequence[Grid]) -> bool:
    box = (line.x0, line.top, line.x1, line.bottom)
    return any(centre_in(box, g.bbox) for g in grids)


def _caption_unit(grid: Grid, outside: Sequence[Line], settings: Settings) -> Optional[str]:
    gap = settings.sheet_caption_gap
    above = [ln for ln in outside if ln.bottom <= grid.bbox[1] + 1 and grid.bbox[1] - ln.bottom <= gap]
    for line in sorted(above, key=lambda ln: -ln.bottom):
        unit = unit_in(line.text)
        if unit:
            return unit
    return None


def page_to_reading(page: int, lines: Sequence[Line], grids: Sequence[Grid], era: Optional[str],
                    settings: Settings, chars: Sequence[dict] = ()) -> PageReading:
    """One page read; ``chars`` (the page's glyphs) let a ring drawn over an option be seen."""
    fields: list[SheetField] = []
    values: list[SheetValue] = []
    choices: list[SheetChoice] = []
    unplaced: list[SheetUnplaced] = []
    headings: list[SheetUnplaced] = []
    outside = [ln for ln in lines if not in_grid(ln, grids)]
    first_labels: tuple[str, ...] = ()
    first_fields: tuple[SheetField, ...] = ()
    for line in outside:
        m = NUMBER_IN_LINE.search(line.text)
        box: BBox = (line.x0, line.top, line.x1, line.bottom)
        if m:
            fields.append(SheetField(m.group("label").strip(), m.group("value"), page, box, box))
            rest = line.text[: m.start("label")].strip()
            if rest:
                headings.append(SheetUnplaced(rest, page, box, "a line outside the ruled tables"))
        else:
            headings.append(SheetUnplaced(line.text, page, box, "a line outside the ruled tables"))
    for n, grid in enumerate(g for g in grids if g.cells):
        layout = GridLayout(grid.cells)
        readings = {(c.row, c.col): read_cell(c, era) for c in grid.cells}
        found = grid_to_values(page, layout, readings, settings, _caption_unit(grid, outside, settings))
        values.extend(found.values)
        free = {k for k in readings if k not in found.taken}
        marked, taken = mark_grid_choices(page, layout, readings, free, settings)
        choices.extend(marked)
        free -= taken
        # The headers, corners and row labels the figures were read by, and the
        # sub-group labels of marked choices, are structure: kept (as headings)
        # so that the character accounting finds every glyph of the page.
        structure = [c for c in grid.cells if key(c) in (found.taken | taken)
                     and readings[key(c)].kind not in ("empty", "figure", "pair")]
        headings.extend(SheetUnplaced(c.text.strip(), page, c.bbox, STRUCTURE) for c in structure)
        answered, taken, answer_heads = answer_row_choices(page, layout, readings, free, settings)
        choices.extend(answered)
        free -= taken
        paired = grid_to_fields(page, layout, readings, free, settings, era, chars)
        fields.extend(paired.fields)
        values.extend(paired.values)
        choices.extend(paired.choices)
        unplaced.extend(found.unplaced)
        unplaced.extend(paired.unplaced)
        for cell in answer_heads + paired.headings:
            headings.append(SheetUnplaced(cell.text.strip(), page, cell.bbox, "a heading of the table"))
        for cell in paired.blank:
            headings.append(SheetUnplaced(cell.text.strip(), page, cell.bbox, "a label with nothing filled in"))
        for cell in paired.groups:
            headings.append(SheetUnplaced(cell.text.strip(), page, cell.bbox, "a group label of the labels beside it"))
        if n == 0:
            first_labels = tuple(squash(f.label) for f in paired.fields) + tuple(squash(c.question) for c in paired.choices)
            first_fields = tuple(paired.fields)
    for grid in grids:
        for left in grid.leftovers:
            unplaced.append(SheetUnplaced(left.text, page, left.bbox, left.reason))
    return PageReading(page, tuple(fields), tuple(values), tuple(choices), tuple(unplaced), tuple(headings), first_labels,
                       first_fields)
