"""Find the regions of a page that hold the 施策計画 table, and its header cells.

A table page is recognised by its header, never by page number.  The
header is found by what its columns hold: a name column and a
current-state column, each headed by a cell over the whole header, left
of a target group (目標, 計画, 目標値 …: a target in the one kind
vocabulary, ``normalizers.kinds``) over fiscal-year columns.  So
``施策計画名 / 現状 / 目標``, ``施策名 / 現況 / 計画`` and ``取組 / 現状と課題 /
目標値`` headers all open the table, while a group over years that names
no target (目的, 予算) does not.  The printed words 施策計画名 / 現状 / 目標
still open it as before (letter-spaced or with one OCR look-alike glyph,
日標 for 目標), so a header those words name is read exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Optional

from normalizers.era import parse_year_label
from normalizers.kinds import KIND_WORDS, label_kind
from normalizers.ocrforms import contains_read_as, reads_as
from normalizers.width import squash

from ...geometry import BBox, centre_in
from ...models import Cell, Grid, Line
from ...vocabulary import HEADER_WORDS

# The target group's words: every target word of the kind vocabulary.
TARGET_WORDS = tuple(word for word, kind in KIND_WORDS.items() if kind == "target")


def is_target_label(text: str) -> bool:
    """Does a header cell name targets (目標, 計画, 目標値 …), allowing one OCR look-alike glyph?"""
    flat = squash(text)
    if label_kind(flat, errors="null") == "target":
        return True
    return any(reads_as(flat, word) for word in TARGET_WORDS)


def _is_year_label(text: str) -> bool:
    return parse_year_label(text, errors="null") is not None


# ---------------------------------------------------------------- lines (before the grid)


def _words_header(lines: Sequence[Line]) -> bool:
    texts = [squash(line.text) for line in lines]
    # A look-alike glyph (日標 for 目標, as OCR reads it) does not hide the header.
    return all(any(contains_read_as(t, word) for t in texts) for word in HEADER_WORDS)


def lines_have_table_header(lines: Sequence[Line]) -> bool:
    """Do the lines print the words 施策計画名 / 現状 / 目標 (read before any grid)?"""
    return _words_header(lines)


def _box(line: Line) -> BBox:
    return (line.x0, line.top, line.x1, line.bottom)


def page_to_regions(lines: Sequence[Line], table_bboxes: Sequence[BBox], continuing: bool,
                    read_grid: Optional[Callable[[BBox], Grid]] = None, tolerance: float = 2.0) -> list[BBox]:
    """The table regions of one page that belong to the 施策計画 table.

    A region qualifies when the header words are printed inside it, or
    (given ``read_grid``, the region's grid) when its grid has the header's
    structure (``header_cells``: other header words), or, on a page right
    after a table page (``continuing``), when it has no header at all:
    some writers print the header on the first page only.  Lines cannot
    tell the structure: a line runs on across cells (施策名現況).
    """
    regions: list[BBox] = []
    for bbox in table_bboxes:
        inside = [line for line in lines if centre_in(_box(line), bbox)]
        if lines_have_table_header(inside) or (read_grid is not None and header_cells(read_grid(bbox), tolerance)) or (continuing and not regions):
            regions.append(bbox)
    return regions


# ---------------------------------------------------------------- cells (the grid)


def _find(cells: Sequence[Cell], word: str) -> Optional[Cell]:
    exact = next((c for c in cells if squash(c.text) == word), None)
    # An OCR'd header may hold a look-alike glyph (日標 for 目標).
    return exact or next((c for c in cells if reads_as(squash(c.text), word)), None)


def header_cells(grid: Grid, tolerance: float) -> Optional[tuple[Cell, Cell, Cell]]:
    """(name, current, target) header cells of a 施策計画 grid, or None.

    The printed words first (exactly as before); else by structure: a
    target cell with year cells under it (within ``tolerance`` of its
    sides), and left of it the two nearest cells of its row that span the
    whole header (the target row and the year row).
    """
    name, current, target = (_find(grid.cells, w) for w in HEADER_WORDS)
    if name and current and target:
        return name, current, target
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        if not is_target_label(cell.text):
            continue
        under = [
            c for c in grid.cells
            if c.row == cell.row + cell.rowspan and c.bbox[0] >= cell.bbox[0] - tolerance
            and c.bbox[2] <= cell.bbox[2] + tolerance
        ]
        if not under or not all(_is_year_label(c.text) for c in under):
            continue
        depth = cell.rowspan + max(c.rowspan for c in under)
        left = sorted(
            (c for c in grid.cells if c.row == cell.row and c.col < cell.col and c.rowspan >= depth and squash(c.text)),
            key=lambda c: c.col,
        )
        if len(left) >= 2:
            return left[-2], left[-1], cell
    return None
