"""Labels and their values: a label cell beside or above its value.

Read on the cells no figure, axis or choice took, one row band at a time
(the cells starting on it, left to right):

- a cell spanning more row bands than its right neighbour is a **group
  label** of the rows it spans (総合計画の体系 over 施策の柱 / 施策名称;
  a vertical 事業計画 beside its lines): it is put before the labels of
  those rows (``総合計画の体系 施策の柱``), not paired with a value;
- a **figure followed by a short word** (``02 | 款``) is a value printed
  before its counter label: 款 → 02;
- a **label followed by another label and then a figure** (政策・施策 |
  政策番号 | 99), or by figures with counters (予算科目 | 02 | 款 | 05 | 項),
  names a group: the labels after it are the figures';
- otherwise a label-like cell and the cell after it are **label → value**;
- a label alone on its row band (nothing right of it) takes the cell
  right **under** it when that spans the same columns: a box's title over
  its text (事業概要 over the box);
- a cell spanning the whole grid with more cells under it is a
  **heading**, a value without a label is **unplaced**.

A pair whose value marks options, is a letter answer or follows a
direction label becomes a choice (``choices.pair_to_choice``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from normalizers.width import squash

from ...geometry import BBox, centre_in
from ...models import Cell, SheetChoice, SheetField, SheetUnplaced, SheetValue
from ...reading.glyphs import group_lines, join_line
from ...settings import Settings
from .axes import labelled_values
from .cells import CellReading, is_label_like, label_text, value_text
from .choices import pair_to_choice
from .layout import GridLayout, covers_rows, rows_of

Key = tuple[int, int]


def key(cell: Cell) -> Key:
    return (cell.row, cell.col)


@dataclass
class GridFields:
    fields: list[SheetField] = field(default_factory=list)
    choices: list[SheetChoice] = field(default_factory=list)
    values: list[SheetValue] = field(default_factory=list)
    unplaced: list[SheetUnplaced] = field(default_factory=list)
    headings: list[Cell] = field(default_factory=list)
    blank: list[Cell] = field(default_factory=list)  # labels with nothing filled in beside them
    groups: list[Cell] = field(default_factory=list)  # group labels (put before the labels of their rows)


class _Pairer:
    def __init__(self, page: int, layout: GridLayout, readings: dict[Key, CellReading], free: set[Key],
                 era: Optional[str], settings: Settings, chars: Sequence[dict] = ()):
        self.page = page
        self.settings = settings
        self.era = era
        self.chars = chars
        self.layout = layout
        self.readings = readings
        self.free = set(free)
        self.groups: list[Cell] = []
        self.out = GridFields()

    def r(self, cell: Cell) -> CellReading:
        return self.readings[key(cell)]

    def label_cells(self, label: Cell) -> list[Cell]:
        groups = [g for g in self.groups if covers_rows(g, label) and g.col < label.col]
        return sorted(groups, key=lambda c: c.col) + [label]

    def label_path(self, label: Cell) -> str:
        return " ".join(label_text(c.text) for c in self.label_cells(label))

    def emit(self, label: Cell, value: Cell, path: Optional[str] = None) -> None:
        self.free.discard(key(label))
        self.free.discard(key(value))
        name = path if path is not None else self.label_path(label)
        if self.r(value).kind == "empty":
            self.out.blank.append(label)  # a label with nothing filled in: the form's, not a field
            return
        if self.r(value).kind in ("figure", "pair"):
            found = labelled_values(self.page, self.label_cells(label), value, self.r(value), self.era)
            if found:
                self.out.values.extend(found)
                return
        inner = inner_labels(value, self.chars, self.settings) if self.chars else None
        if inner is not None:
            own, placed = inner
            for inner_label, inner_value, inner_box in placed:
                self.out.fields.append(SheetField(inner_label, inner_value, self.page, inner_box, inner_box))
            value = dataclasses.replace(value, text=own)
        choice = pair_to_choice(name, value, self.page, label.bbox, self.settings, self.chars)
        if choice is not None:
            self.out.choices.append(choice)
            return
        self.out.fields.append(SheetField(name, value_text(value.text), self.page, value.bbox, label.bbox))

    def leave(self, cell: Cell, reason: str) -> None:
        self.free.discard(key(cell))
        if self.r(cell).kind != "empty":
            self.out.unplaced.append(SheetUnplaced(cell.text.strip(), self.page, cell.bbox, reason))

    def is_figure(self, cell: Cell) -> bool:
        return self.r(cell).kind in ("figure", "pair")

    def is_counter(self, cell: Cell) -> bool:
        reading = self.r(cell)
        # A counter label printed after its figure (02 款, 05 項, 04 目):
        # ``Settings.sheet_counter_label_chars`` glyphs at most.
        return reading.kind == "text" and 0 < len(reading.flat) <= self.settings.sheet_counter_label_chars

    def label_like(self, cell: Cell) -> bool:
        return is_label_like(self.r(cell), self.settings)

    def below_partner(self, cell: Cell) -> Optional[Cell]:
        under = self.layout.directly_below(cell)
        if len(under) == 1 and key(under[0]) in self.free and under[0].col == cell.col and under[0].colspan == cell.colspan:
            return under[0]
        return None

    def row(self, band: int) -> None:
        seq = [c for c in self.layout.starting_in(band) if key(c) in self.free]
        i = 0
        while i < len(seq):
            a = seq[i]
            b = seq[i + 1] if i + 1 < len(seq) else None
            ra = self.r(a)
            if ra.kind == "empty":
                self.free.discard(key(a))
                i += 1
                continue
            if b is None or key(b) not in self.free:
                self.alone(a, others=len(seq) > 1)
                i += 1
                continue
            if self.is_figure(a) and self.is_counter(b):
                self.emit(b, a)
                i += 2
                continue
            if not self.label_like(a):
                self.leave(a, "a value without a label beside or above it")
                i += 1
                continue
            if a.rowspan > b.rowspan and len(rows_of(a)) > 1:
                self.groups.append(a)
                self.free.discard(key(a))
                i += 1
                continue
            c = seq[i + 2] if i + 2 < len(seq) else None
            d = seq[i + 3] if i + 3 < len(seq) else None
            if self.is_figure(b) and c is not None and self.is_counter(c):
                # 予算科目 | 02 | 款 | 05 | 項: the figures are the counters', the label is their group.
                self.groups.append(a)
                self.free.discard(key(a))
                i += 1
                continue
            if (self.label_like(b) and c is not None and self.is_figure(c)
                    and not (d is not None and self.is_counter(d))):
                self.groups.append(a)
                self.free.discard(key(a))
                i += 1
                continue
            self.emit(a, b)
            i += 2

    def alone(self, cell: Cell, others: bool) -> None:
        """A cell with nothing right of it on its row band."""
        partner = self.below_partner(cell)
        if self.label_like(cell) and partner is not None and not self.label_like(partner):
            self.emit(cell, partner)
            return
        if self.layout.full_width(cell) or (self.label_like(cell) and not others):
            self.out.headings.append(cell)
            self.free.discard(key(cell))
            return
        self.leave(cell, "a value without a label beside or above it" if not self.label_like(cell)
                   else "a label without a value")


def grid_to_fields(page: int, layout: GridLayout, readings: dict[Key, CellReading], free: set[Key],
                   settings: Settings, era: Optional[str] = None, chars: Sequence[dict] = ()) -> GridFields:
    """Label → value pairs (and the choices and labelled figures among them) of one grid's cells in ``free``."""
    pairer = _Pairer(page, layout, readings, free, era, settings, chars)
    for band in range(layout.n_rows):
        pairer.row(band)
    pairer.out.groups = list(pairer.groups)
    return pairer.out



# ---------------------------------------------------------------- a label inside a value's cell

_INNER_LABEL = re.compile(r"【[^】\n]+】")


def _glyph_text(glyphs: Sequence[dict], settings: Settings) -> str:
    """Glyphs as lines of text, top to bottom, by the reader's own joiner (word spaces by script)."""
    return "\n".join(join_line(line, settings) for line in group_lines(glyphs, settings))


def _row_of(glyph: dict, glyphs: Sequence[dict]) -> list[dict]:
    return [g for g in glyphs if abs(g["top"] - glyph["top"]) <= glyph["size"] * 0.5]


def _apart(part: Sequence[dict], others: Sequence[dict], em: float) -> bool:
    """Is ``part`` set apart from the other glyphs of its rows by one em of white at least?

    A corner label and its value stand clear of the cell's own text (Kyoto's
    【事業実施期間】 20pt right of the name's first line, its period 140pt right
    of the second); a 【heading】 inside a text box runs on into its line or
    has the box's next lines running past it.
    """
    ids = {id(g) for g in part}
    x0, x1 = min(g["x0"] for g in part), max(g["x1"] for g in part)
    for glyph in part:
        for g in _row_of(glyph, others):
            if id(g) not in ids and max(x0 - g["x1"], g["x0"] - x1) < em:
                return False
    return True


def inner_labels(cell: Cell, chars: Sequence[dict],
                 settings: Settings) -> Optional[tuple[str, list[tuple[str, str, BBox]]]]:
    """A 【label】 printed inside a value's cell with its own value under it.

    A form may print a small label and its value inside another field's
    cell (事業名 | 京都市脱炭素先行地域創出事業 with 【事業実施期間】 over
    令和5年度～9年度 in the cell's corner): no rule parts them, only
    place does.  The label's value is the glyphs under it, within its
    width; the cell's own value is the rest.  The reader may join the label
    into a line of the cell's own text (a name of two lines beside it), so
    the label is looked for anywhere in the text and told apart by white
    space: label and value stand clear of the cell's other glyphs
    (``_apart``).  None when the cell prints no such label.
    """
    labels = [m.group(0) for m in _INNER_LABEL.finditer(cell.text)]
    if not labels:
        return None
    inside = [g for g in chars if centre_in(g, cell.bbox)]
    found: list[tuple[str, str, BBox]] = []
    used: set[int] = set()
    for label in labels:
        flat = squash(label)
        for start in (g for g in inside if g["text"] == "【" and id(g) not in used):
            row = sorted((g for g in _row_of(start, inside) if g["x0"] >= start["x0"] - 0.5), key=lambda g: g["x0"])
            if not squash("".join(g["text"] for g in row)).startswith(flat):
                continue
            head = row[: len(flat)]
            em = start["size"]
            x0, x1 = head[0]["x0"] - em, head[-1]["x1"] + em
            bottom = max(g["bottom"] for g in head)
            heads = {id(h) for h in head}
            under = [g for g in inside if g["top"] >= bottom - g["size"] * 0.3 and x0 <= (g["x0"] + g["x1"]) / 2 <= x1
                     and id(g) not in heads]
            if not under or not _apart(head, inside, em) or not _apart(under, inside, em):
                continue
            used.update(id(g) for g in head + under)
            box = (min(g["x0"] for g in under), min(g["top"] for g in under),
                   max(g["x1"] for g in under), max(g["bottom"] for g in under))
            found.append((label, _glyph_text(under, settings), box))
            break
    if not found:
        return None
    return _glyph_text([g for g in inside if id(g) not in used], settings), found
