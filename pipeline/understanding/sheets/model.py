"""The evaluation-sheet model fed page by page, as ``extract`` runs it beside the 施策計画 model.

``SheetUnderstanding.add_page`` reads each page's ruled grids (every ruled
region of the page, not only a 施策計画 table's) and keeps what the sheet
core needs of it: its lines, its grids, and the glyphs of the few cells
that print a ring over an option or a 【label】 in a corner (the rest of a
page's glyphs are let go, so memory stays flat over a long budget).
``finish`` reads the kept pages into sheets once the document's era is
known (a ``５年度`` label takes the era the whole document dates itself in).

Which pages are sheet pages
---------------------------
Every page is read, but only **sheets** that are sheets are kept: a sheet
(a run of pages the core cut at title blocks, ``cut``) is kept when it has

- a **title** (the value of a 事業名 / 施策名 label: a title block), and
- at least one **placed figure or choice**: a number placed by fiscal
  year and kind, or an answer given by marking.  Words in a year × kind
  cell alone are no evidence: a 施策計画 table whose year columns stand
  under 予算 instead of 目標 (tests/test_plan_header_words.py) gives a
  施策名 label and its value and, under the years, only words and year
  labels, and is no sheet.

Evidence, the shared family folder (every sheet the core cut, before this
rule): the 24 sheets of Ikeda, Kyoto and Yokohama each have a title and
6-39 values and 7-27 choices; the three documents that are no sheets give
none of them: Nobeoka's council list (107 fields, 15 unplaced, no value,
no choice, no title), its supplementary budget (191 fields, 315 unplaced,
no title) and the first 40 pages of Setagaya's budget (274 fields, 6
values of a 増減額 column, 606 unplaced, no title).  A form's label and
value beside each other are no evidence of a sheet on their own: any ruled
table has them.  A page on which the 施策計画 model located its table is
not given to this model by ``extract`` (one page, one reading);
``finish(skip=...)`` leaves out pages another caller read otherwise.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from normalizers.era import document_era

from ...geometry import centre_in
from ...models import Grid, Line, PageView, Sheet, SheetPage
from ...settings import Settings
from ...vocabulary import RING_MARKS
from ..table.engines import Engine
from ..table.ruled import view_to_grids
from .cut import readings_to_sheets
from .page import in_grid, page_to_reading


@dataclass(frozen=True)
class SheetReading:
    """The sheets of a document and the pages they were read from."""

    sheets: tuple[Sheet, ...]
    pages: tuple[SheetPage, ...]


def is_sheet(sheet: Sheet) -> bool:
    """A sheet worth its rows: a title block and a placed figure or choice (see the module's note)."""
    return sheet.title is not None and (any(v.value is not None for v in sheet.values) or bool(sheet.choices))


def _glyphs_worth_keeping(view: PageView, grids: Sequence[Grid]) -> tuple[dict, ...]:
    """The glyphs of cells that print a ring or a 【label】: all the core reads glyphs for."""
    cells = [c.bbox for g in grids for c in g.cells if "【" in c.text or any(m in c.text for m in RING_MARKS)]
    if not cells:
        return ()
    return tuple(ch for ch in view.chars if any(centre_in(ch, box) for box in cells))


class SheetUnderstanding:
    """Pages in (``add_page``), sheets out (``finish``)."""

    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.settings = settings
        self._pages: list[tuple[int, tuple[Line, ...], tuple[Grid, ...], tuple[dict, ...]]] = []

    def add_page(self, view: PageView) -> None:
        grids = tuple(view_to_grids(view, self.engine))
        self._pages.append((view.number, tuple(view.lines), grids, _glyphs_worth_keeping(view, grids)))

    def finish(self, skip: Collection[int] = ()) -> SheetReading:
        """The document's sheets; pages in ``skip`` (read by another model) are no sheet's."""
        pages = [p for p in self._pages if p[0] not in skip]
        era = document_era(line.text for _, lines, _, _ in pages for line in lines)
        readings = [page_to_reading(number, lines, grids, era, self.settings, chars)
                    for number, lines, grids, chars in pages]
        kept = [s for s in readings_to_sheets(readings, self.settings) if is_sheet(s)]
        sheets = tuple(dataclasses.replace(s, no=no) for no, s in enumerate(kept, 1))
        on = {page for s in sheets for page in s.pages}
        sheet_pages = tuple(
            SheetPage(number, grids, tuple(line for line in lines if not in_grid(line, grids)))
            for number, lines, grids, _ in pages if number in on
        )
        return SheetReading(sheets, sheet_pages)


__all__ = ["SheetReading", "SheetUnderstanding", "is_sheet"]
