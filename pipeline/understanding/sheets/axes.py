"""Figures by fiscal year and kind, wherever a grid prints its two axes.

Each figure (and each short text in a figure's place) is placed by walking
from its cell, never by a city's header words:

- **up** its column, over the other figures of the column, to the header:
  a cell naming a fiscal year (``R５年度``, ``５年度``, ``令和5年度予算現額``)
  gives the year, and its own kind if it prints one; a kind cell between
  that year and the figure (a 2-row header: ``R６年度`` over ``予算 | 決算``)
  gives the kind; a kind cell right over the year (``目標値`` over
  ``R５年度実績 | R６年度見込``) is the group's kind, the weakest;
- **left** along its row, over the row's other figures, to the row's
  labels: a kind (``想定`` / ``実績`` rows under year columns), a year
  (years down the side), a unit (the cell under a ``単位`` header), and
  the first other words: the item (the indicator, or 事業費 / 一般財源 …).
  Passed over on the way: a year or kind heading figures of its own (a
  column's header beside a header cell, not a row label) and a label
  standing beside another block's header of years (a section's, such as a
  vertical 事業実績 down a 細事業's money and 事業量 blocks);
- a figure whose row names no item takes the name printed right over its
  year header (a 事業量 block titled by its indicator);
- the unit is the row's (単位 cell, the item's ``（千円）``), else a header's,
  else the heading printed over the block in a row of the grid, else the
  caption over the grid (``page.caption_unit``).

A figure is placed when the walks find a year and a kind; its kind is the
column's own (year label, then sub-header), else the row's, else the
group's.  A change column (差引・増減) printed after the year columns of
its header row and naming no year compares them: it is the change of the
latest of them (事業決算額 ５年度 | ６年度 | 差引（増減）).  A figure found
with only one axis is listed as unplaced, never given a guessed year or
kind.  The cells a block was read by (headers, row labels, its corner) are
taken, so no field is made of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from normalizers.era import find_year_in_label
from normalizers.kinds import parse_year_kind
from normalizers.units import split_unit, unit_in
from normalizers.width import squash

from ...models import Cell, SheetUnplaced, SheetValue
from ...settings import Settings
from ...vocabulary import UNIT_WORD
from .cells import CellReading, is_short_answer, label_text, pair_values
from .layout import GridLayout, covers_cols, rows_of


def _year_of(reading: CellReading) -> Optional[int]:
    """The fiscal year an axis label names (None when it names none)."""
    return reading.axis.fiscal_year if reading.axis is not None else None


def _kind_of(reading: CellReading) -> Optional[str]:
    """The kind (目標, 実績 …) an axis label names (None when it names none)."""
    return reading.axis.kind if reading.axis is not None else None

Key = tuple[int, int]
# An item printed as a name and a second name in brackets (経費（一財）), beside
# figures printed the same way (663,000（0）): the second figure is the second name's.
_ITEM_PAIR = re.compile(r"^(?P<a>[^（(]+)[（(](?P<b>[^)）]+)[)）]$")


def key(cell: Cell) -> Key:
    return (cell.row, cell.col)


@dataclass
class _Placement:
    """What the walks found for one figure (local to this module)."""

    year: Optional[int] = None
    year_cell: Optional[Cell] = None
    own_kind: Optional[str] = None
    sub_kind: Optional[str] = None
    sub_cell: Optional[Cell] = None
    group_kind: Optional[str] = None
    group_cell: Optional[Cell] = None
    row_year: Optional[int] = None
    row_year_cell: Optional[Cell] = None
    row_kind: Optional[str] = None
    row_kind_cell: Optional[Cell] = None
    item_cell: Optional[Cell] = None
    unit_cells: list[Cell] = field(default_factory=list)
    wide: bool = False  # the cell spans several header cells naming years or kinds


@dataclass(frozen=True)
class _Found:
    """What one candidate cell was read as (local to this module)."""

    values: tuple[SheetValue, ...] = ()
    core: list[Cell] = field(default_factory=list)  # the cell, its headers and row labels
    beside: list[Cell] = field(default_factory=list)  # its row's item and unit cells
    why: Optional[str] = None  # why a figure is not placed
    block: Optional[tuple] = None  # the header (row or column) it was read by


@dataclass(frozen=True)
class GridValues:
    values: tuple[SheetValue, ...]
    taken: frozenset[Key]  # cells the figures and their axes were read from
    unplaced: tuple[SheetUnplaced, ...]


class _Reader:
    def __init__(self, page: int, layout: GridLayout, readings: dict[Key, CellReading], caption_unit: Optional[str]):
        self.page = page
        self.layout = layout
        self.readings = readings
        self.caption_unit = caption_unit

    def r(self, cell: Cell) -> CellReading:
        return self.readings[key(cell)]

    # -------------------------------------------------------------- walks
    def is_unit_cell(self, cell: Cell) -> bool:
        """Is ``cell`` under a 単位 header, over the column's other cells (figures,
        and the units of the rows above, printed in the same column band)?"""
        for level in self.layout.above_levels(cell):
            for head in level:
                if self.r(head).is_value_like:
                    continue
                if squash(label_text(head.text)) == UNIT_WORD:
                    return True
                if not (head.col == cell.col and head.colspan == cell.colspan):
                    return False
        return False

    def walk_up(self, cell: Cell, p: _Placement) -> None:
        for level in self.layout.above_levels(cell):
            if len(level) > 1 or not covers_cols(level[0], cell):
                # The cell is wider than the header cells at this level.
                if any(self.r(c).kind == "axis" for c in level):
                    p.wide = True
                    return
                if all(self.r(c).is_value_like for c in level):
                    continue
                return
            head = level[0]
            reading = self.r(head)
            if reading.is_value_like:
                continue
            if reading.kind != "axis" or reading.axis is None:
                return
            if reading.axis.fiscal_year is None:
                if p.sub_kind is None:
                    p.sub_kind, p.sub_cell = reading.axis.kind, head
                continue
            p.year, p.year_cell, p.own_kind = reading.axis.fiscal_year, head, reading.axis.kind
            over = self.layout.directly_above(head)
            if len(over) == 1 and covers_cols(over[0], head):
                group = self.r(over[0])
                if group.kind == "axis" and group.axis is not None and group.axis.fiscal_year is None:
                    p.group_kind, p.group_cell = group.axis.kind, over[0]
            return

    def heads_a_column(self, cell: Cell) -> bool:
        """Does ``cell`` stand right over a figure printed within its columns?"""
        return any(covers_cols(cell, under) and self.r(under).kind in ("figure", "pair")
                   for under in self.layout.directly_below(cell))

    def spans_another_header(self, label: Cell, own: set[int]) -> bool:
        """Does ``label`` stand beside a header row of years other than the rows in
        ``own`` (the figure's row and its block's header): a year cell right of it
        heading figures of its own?"""
        end = label.col + label.colspan
        for other in self.layout.cells:
            if other.col < end or other.row in own or other.row not in rows_of(label):
                continue
            reading = self.r(other)
            if (reading.kind == "axis" and reading.axis is not None and reading.axis.fiscal_year is not None
                    and self.heads_a_column(other)):
                return True
        return False

    def walk_left(self, cell: Cell, p: _Placement) -> None:
        own = {row for c in (p.year_cell, p.sub_cell, p.group_cell) if c is not None for row in rows_of(c)}
        for other in self.layout.left_of(cell):
            reading = self.r(other)
            if reading.is_value_like:
                continue
            if own and self.spans_another_header(other, own | {cell.row}):
                # A label down the side of more than one block is a section's (a
                # vertical 事業実績 beside a 細事業's 事業費 block and its 事業量
                # block), not the row's item.  (Only for a figure under a header:
                # cells of a header row are read by their own walk.)
                continue
            if self.is_unit_cell(other):
                p.unit_cells.append(other)
                continue
            if reading.kind == "axis" and reading.axis is not None:
                if self.heads_a_column(other):
                    # A year or kind over figures of its own is a column's header:
                    # the cell beside it is another header (増減率 after 7年度 |
                    # 8年度 | 増減額), not a figure of a row these label.
                    continue
                if reading.axis.fiscal_year is not None and p.row_year is None:
                    p.row_year, p.row_year_cell = reading.axis.fiscal_year, other
                if reading.axis.kind is not None and p.row_kind is None:
                    p.row_kind, p.row_kind_cell = reading.axis.kind, other
                continue
            p.item_cell = other
            return

    # -------------------------------------------------------------- resolving
    def change_year(self, p: _Placement) -> Optional[int]:
        """The year of a change column (差引・増減) that prints none: the latest
        year cell left of it in its header row."""
        head = p.sub_cell
        if head is None or p.sub_kind != "other":
            return None
        years = [
            reading.axis.fiscal_year
            for other in self.layout.starting_in(head.row)
            if other.col < head.col
            for reading in [self.r(other)]
            if reading.kind == "axis" and reading.axis is not None and reading.axis.fiscal_year is not None
        ]
        return max(years) if years else None

    def item_above(self, p: _Placement) -> Optional[Cell]:
        """The name printed right over the year header (a block titled by its indicator)."""
        head = p.year_cell or p.sub_cell
        if head is None:
            return None
        # The name stands over the header row's first axis cell: the later
        # ones may stand under the block's 単位 and its unit instead.
        for other in self.layout.left_of(head):
            if other.row != head.row or self.r(other).kind != "axis":
                break
            head = other
        over = self.layout.directly_above(head)
        if len(over) == 1 and covers_cols(over[0], head) and self.r(over[0]).kind == "text":
            return over[0]
        return None

    def heading_unit(self, p: _Placement) -> Optional[str]:
        """The unit a heading printed over the block's header names: a grid drawing
        its caption as a row of its own (``３令和５年度及び令和６年度の経費（千円）``
        over ``年度 | 令和５年度予算現額 | …``), where a caption outside the grid
        would be read by ``page.caption_unit``."""
        heads = [c for c in (p.group_cell, p.year_cell, p.sub_cell) if c is not None]
        if not heads:
            return None
        head = min(heads, key=lambda c: c.row)
        for level in self.layout.above_levels(head):
            if len(level) != 1 or not covers_cols(level[0], head):
                return None
            reading = self.r(level[0])
            if reading.kind == "empty":
                continue
            return unit_in(label_text(level[0].text)) if reading.kind == "text" else None
        return None

    def unit_above(self, item: Cell) -> Optional[str]:
        """A 単位 cell and its neighbour on the row of an item printed over the header."""
        row = [c for c in self.layout.starting_in(item.row)]
        for i, c in enumerate(row):
            if squash(label_text(c.text)) == UNIT_WORD and i + 1 < len(row):
                return row[i + 1].text.strip() or None
        return None

    def place(self, cell: Cell) -> _Found:
        """What one candidate cell is: its values, the cells read for it, why it is not placed."""
        reading = self.r(cell)
        p = _Placement()
        self.walk_up(cell, p)
        if p.wide:
            return _Found()
        self.walk_left(cell, p)
        year = p.year if p.year is not None else p.row_year
        if p.year is not None and p.row_year is not None and p.year != p.row_year:
            return _Found(why=f"its column says {p.year} and its row {p.row_year}")
        kind = p.own_kind or p.sub_kind or p.row_kind or p.group_kind
        if year is None and kind == "other" and not p.own_kind:
            year = self.change_year(p)
        if year is None and kind is None:
            return _Found()
        if reading.kind == "text" and (year is None or kind is None):
            return _Found()  # words with one axis are a field's, not a figure's
        head = p.year_cell or p.sub_cell
        block = ("across", head.row) if head is not None else ("down", p.row_year_cell.col if p.row_year_cell else None)
        core = [c for c in (cell, p.year_cell, p.sub_cell, p.group_cell, p.row_year_cell, p.row_kind_cell) if c is not None]
        beside = ([p.item_cell] if p.item_cell is not None else []) + p.unit_cells
        if year is None:
            return _Found((), core, beside, "a kind but no fiscal year over or beside it", block)
        if kind is None:
            return _Found((), core, beside, f"a fiscal year ({year}) but no kind (目標・実績・予算・決算 …) over or beside it",
                          block)
        item_cell = p.item_cell
        from_above = None
        if item_cell is None:
            from_above = self.item_above(p)
        name_cell = item_cell or from_above
        item_label = label_text(name_cell.text) if name_cell is not None else None
        unit = None
        if p.unit_cells:
            unit = p.unit_cells[0].text.strip() or None
        if unit is None and item_label:
            unit = unit_in(item_label)
        if unit is None:
            for head in (p.year_cell, p.sub_cell, p.row_kind_cell, p.group_cell):
                if head is not None and unit is None:
                    unit = unit_in(head.text)
        if unit is None and from_above is not None:
            unit = self.unit_above(from_above)
        if unit is None:
            unit = self.heading_unit(p)
        if unit is None:
            unit = self.caption_unit
        item = split_unit(item_label)[1] if item_label else None
        group = p.group_cell if kind == p.group_kind and not (p.own_kind or p.sub_kind or p.row_kind) else None
        label = " ".join(
            label_text(c.text) for c in (group, p.year_cell, p.sub_cell, p.row_year_cell, p.row_kind_cell) if c is not None
        )
        values = self.values_of(cell, reading, item, unit, year, kind, label)
        return _Found(tuple(values), core, beside, None, block)

    def values_of(self, cell: Cell, reading: CellReading, item: Optional[str], unit: Optional[str], year: int,
                  kind: str, label: str) -> list[SheetValue]:
        text = cell.text.strip()

        def one(name: Optional[str], number: Optional[float]) -> SheetValue:
            return SheetValue(item=name, unit=unit, fiscal_year=year, kind=kind, label=label, text=text,
                              value=number, page=self.page, bbox=cell.bbox)

        if reading.kind == "pair":
            both = pair_values(reading.flat)
            names = _ITEM_PAIR.match(item or "")
            if both is not None and names:
                return [one(names.group("a").strip(), both[0]), one(names.group("b").strip(), both[1])]
            return [one(item, None)]
        if reading.kind == "figure":
            return [one(item, reading.number)]
        return [one(item, None)]


def _candidate(reading: CellReading, settings: Settings) -> bool:
    if reading.kind in ("figure", "pair"):
        return True
    # Words in a figure's place (調達・試験稼働): one short line
    # (``Settings.sheet_max_word_value_chars``); longer words there are a sentence.
    return (reading.kind == "text" and is_short_answer(reading.cell.text, settings)
            and len(reading.flat) <= settings.sheet_max_word_value_chars)


def grid_to_values(page: int, layout: GridLayout, readings: dict[Key, CellReading], settings: Settings,
                   caption_unit: Optional[str] = None) -> GridValues:
    """Every figure of one grid that a year and a kind describe, and the cells read for them."""
    reader = _Reader(page, layout, readings, caption_unit)
    values: list[SheetValue] = []
    unplaced: list[SheetUnplaced] = []
    blocks: dict[tuple, tuple[list[Cell], list[Cell]]] = {}
    taken: set[Key] = set()
    for cell in layout.cells:
        reading = readings[key(cell)]
        if not _candidate(reading, settings):
            continue
        found = reader.place(cell)
        if found.why is not None and reading.kind != "text":
            # A figure under a year with no kind (or the reverse): its block is
            # read as structure, the figure listed with the reason, nothing guessed.
            unplaced.append(SheetUnplaced(cell.text.strip(), page, cell.bbox, found.why))
        elif not found.values:
            continue
        if found.block is None:
            continue
        values.extend(found.values)
        taken.update(key(c) for c in found.core + found.beside)
        core, beside = blocks.setdefault(found.block, ([], []))
        core.extend(found.core)
        beside.extend(found.beside)
    # A block's corner and group labels (区分, 年度, 主な内訳) lie inside the
    # rectangle its figures, headers and row labels span: they were read as
    # structure.  Cells reaching out of it are not the block's.  A block is
    # the figures read by one header row (or, years down, one header column).
    # Its items and units widen it to the left, never up or down: an item may
    # span a note row over the block (its own label and value, a field).
    for core, beside in blocks.values():
        top = min(c.row for c in core)
        bottom = max(c.row + c.rowspan for c in core)
        left = min(c.col for c in core + beside)
        right = max(c.col + c.colspan for c in core + beside)
        for cell in layout.cells:
            if top <= cell.row and cell.row + cell.rowspan <= bottom and left <= cell.col and cell.col + cell.colspan <= right:
                taken.add(key(cell))
    taken |= _empty_axes(layout, readings)
    return GridValues(tuple(values), frozenset(taken), tuple(unplaced))


def _empty_axes(layout: GridLayout, readings: dict[Key, CellReading]) -> set[Key]:
    """A header row of years over rows with nothing filled in (a 事業量 block left
    empty: 目標設定になじまない), and its kind rows: structure, not fields.

    A header row is a row band whose cells are all fiscal-year labels but
    one (its corner: 年度, 区分), two years at least; under it, rows holding
    a kind label and nothing but empty cells or nil marks are its kind rows.
    """
    taken: set[Key] = set()
    for row in range(layout.n_rows):
        cells = [c for c in layout.starting_in(row) if readings[key(c)].kind != "empty"]
        years = [c for c in cells if readings[key(c)].kind == "axis" and _year_of(readings[key(c)]) is not None]
        if len(years) < 2 or len(years) < len(cells) - 1:
            continue
        taken.update(key(c) for c in layout.starting_in(row))
        below = row + max(c.rowspan for c in layout.starting_in(row))
        while below < layout.n_rows:
            under = [c for c in layout.starting_in(below) if readings[key(c)].kind not in ("empty", "nil")]
            if len(under) != 1 or readings[key(under[0])].kind != "axis" or _kind_of(readings[key(under[0])]) is None:
                break
            taken.update(key(c) for c in layout.starting_in(below))
            below += max(c.rowspan for c in layout.starting_in(below))
    return taken


# ---------------------------------------------------------------- a figure beside its label

_PARTS = re.compile(r"[\n、,，]")


def labelled_values(page: int, labels: list[Cell], cell: Cell, reading: CellReading,
                    era: Optional[str]) -> list[SheetValue]:
    """A figure beside a label that names one fiscal year and one kind (in its own
    lines or in the group labels over it): ``７令和７年度の方向性 | 予算案
    経費（一財）、単位（千円） | 663,000（0）`` is 経費 663,000 and 一財 0, budget
    2025, in 千円.  The label's other words are the item.  Anything else (no
    year, no kind, two of either) is no value: the pair stays a field.
    """
    years: list[tuple[int, str]] = []
    kinds: list[tuple[str, str]] = []
    unit: Optional[str] = None
    names: list[str] = []
    for label in labels:
        for part in (p.strip() for p in _PARTS.split(label.text) if p.strip()):
            if part.startswith("※"):
                continue
            part_unit = unit_in(part)
            if part_unit is not None and squash(split_unit(part)[1]) in ("", UNIT_WORD):
                unit = unit or part_unit
                continue
            axis = parse_year_kind(part, era=era, errors="null")
            if axis is not None:
                if axis.fiscal_year is not None:
                    years.append((axis.fiscal_year, part))
                if axis.kind is not None:
                    kinds.append((axis.kind, part))
                continue
            year = find_year_in_label(part, era=era, errors="null")
            if year is not None and label is not labels[-1]:
                years.append((year.fiscal_year, part))  # a group label dated by its year
                continue
            if label is labels[-1]:
                names.append(part)
    if len({y for y, _ in years}) != 1 or len({k for k, _ in kinds}) != 1 or len(names) != 1:
        return []
    item = names[0]
    unit = unit or unit_in(item)
    text = " ".join(dict.fromkeys(part for _, part in years + kinds))
    return _Reader(page, GridLayout([]), {}, None).values_of(
        cell, reading, split_unit(item)[1] or item, unit, years[0][0], kinds[0][0], text)
