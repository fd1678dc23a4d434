"""A page's visible glyphs as plain text lines, the way sesaku reads them.

Pure: glyph dicts (and the page's rules) in, strings out.  Lines come from
the same grouping as the rest of the pipeline (``glyphs.group_lines``) and
are joined by the one joiner every reading uses (``glyphs.join_line``:
no space between CJK glyphs, a word space between other scripts' glyphs
when the gap is one at the printed size).

A line crossing several cells (a vertical rule between two glyphs, or a
gap of ``settings.cell_gap_em`` ems that is no letter-spacing) is cut into
runs.  Plain text joins the runs with a tab: a space would be taken for a
word space in Latin text (``Total`` ``1,234``), whereas no glyph is ever
a tab (white space glyphs are dropped), so a line splits back into its
cells at its tabs and a spreadsheet pastes it as cells.  ``layout=True``
places each run at a column proportional to its x instead, as
``pdftotext -layout`` does, so columns stay apart as the page shows them.
"""

from __future__ import annotations

import statistics
import unicodedata
from typing import Iterable, Sequence

from ..settings import Settings
from .glyphs import glyph_size, group_lines, is_cjk, join_line

__all__ = ["CELL_SEPARATOR", "is_cjk", "join_line", "line_runs", "page_text", "view_text"]

CELL_SEPARATOR = "\t"


def _ruled_between(prev: dict, ch: dict, vertical: Sequence[dict]) -> bool:
    """A vertical rule runs between the two glyphs' centres, across the line."""
    left, right = (prev["x0"] + prev["x1"]) / 2, (ch["x0"] + ch["x1"]) / 2
    middle = (ch["top"] + ch["bottom"]) / 2
    for r in vertical:
        x = (r["x0"] + r["x1"]) / 2
        if left < x < right and r["top"] <= middle <= r["bottom"]:
            return True
    return False


def _gap(chars: Sequence[dict], i: int) -> float:
    """The gap before glyph ``i``."""
    return chars[i]["x0"] - chars[i - 1]["x1"]


def _cell_gap(chars: Sequence[dict], i: int, settings: Settings) -> bool:
    """Is the gap before glyph ``i`` one between two cells?

    It is several ems wide and no letter-spacing: a label spread over its
    cell (均等割り付け, ``施　　策　　名``) sets every glyph that far apart, so the
    glyph on either side of the gap has a like gap (within half) on its
    other side, while two cells' texts (``３年度`` ``４年度``, ``市税``
    ``46,460,600``) are tight up to the gap.  (Within a third, Nobeoka's
    ``…事　業　合　計`` label, 4 and 3 em apart, split at ``合|計`` by one
    reader's rounding and not the other's.)  A two-glyph label has no such
    neighbour and is cut (``金\t額``): no rule tells it from two cells."""
    gap = _gap(chars, i)
    size = max(glyph_size(chars[i - 1]), glyph_size(chars[i]))
    if gap <= settings.cell_gap_em * size:
        return False
    for j in (i - 1, i + 1):  # the gap before the glyph left of it, after the glyph right of it
        if 1 <= j < len(chars) and j != i and abs(_gap(chars, j) - gap) <= gap / 2:
            return False
    return True


def line_runs(chars: Sequence[dict], vertical: Sequence[dict], settings: Settings) -> list[list[dict]]:
    """One line's glyphs (sorted by x) cut where a vertical rule or a cell gap separates them."""
    if not chars:
        return []
    runs = [[chars[0]]]
    for i in range(1, len(chars)):
        if _cell_gap(chars, i, settings) or _ruled_between(chars[i - 1], chars[i], vertical):
            runs.append([chars[i]])
        else:
            runs[-1].append(chars[i])
    return runs


def _columns(text: str) -> int:
    """Terminal columns the text takes: wide (CJK) characters two, others one."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _layout(lines: list[list[list[dict]]], settings: Settings) -> list[str]:
    """Each run at the column its x gives: one column per half em of the page's usual size."""
    glyphs = [c for runs in lines for run in runs for c in run]
    if not glyphs:
        return []
    unit = statistics.median(glyph_size(c) for c in glyphs) / 2
    left = min(c["x0"] for c in glyphs)
    out = []
    for runs in lines:
        text = ""
        for run in runs:
            piece = join_line(run, settings)
            target = round((run[0]["x0"] - left) / unit)
            width = _columns(text)
            pad = target - width if target > width else (1 if text else 0)
            text += " " * pad + piece
        out.append(text)
    return out


def page_text(chars: Iterable[dict], settings: Settings, vertical: Sequence[dict] = (),
              layout: bool = False) -> list[str]:
    """The page's lines, top to bottom, each left to right; a line's cells
    separated by a tab, or (``layout``) placed at their columns."""
    lines = [line_runs(group, vertical, settings) for group in group_lines(chars, settings)]
    if layout:
        return _layout(lines, settings)
    return [CELL_SEPARATOR.join(join_line(run, settings) for run in runs) for runs in lines]


def view_text(view, settings: Settings, layout: bool = False) -> list[str]:
    """``page_text`` of a PageView, its vertical rules cutting lines into cells."""
    return page_text(view.chars, settings, view.rules[1], layout)
