"""Evaluation sheets of any city: fields, figures by fiscal year and kind, choices.

``pages_to_sheets`` takes a document's pages (each page's lines and its
ruled grids, as ``understanding.table.ruled.view_to_grids`` gives them)
and returns its sheets.  Modules, one idea each:

- ``cells``: what one cell's text is (figure, mark, axis label, words);
- ``layout``: which cells stand left of, above, under one another;
- ``axes``: figures placed by their fiscal-year and kind axes;
- ``choices``: answers given by marks, letter answers, directions;
- ``fields``: labels beside or above their values;
- ``page``: one page read in that order;
- ``cut``: pages cut into one sheet per 事業.

The era of year labels printed without one (５年度) is the document's,
read from its own era-dated text (``normalizers.era.document_era``).
"""

from __future__ import annotations

from typing import Optional, Sequence

from normalizers.era import document_era

from ...models import Grid, Line, Sheet
from ...settings import Settings
from .cut import readings_to_sheets
from .page import PageReading, page_to_reading


SheetSource = tuple[int, Sequence[Line], Sequence[Grid], Sequence[dict]]


def pages_to_sheets(pages: Sequence[SheetSource], settings: Settings, era: Optional[str] = None) -> tuple[Sheet, ...]:
    """The sheets of a document: ``pages`` are (page number, lines, grids, glyphs) in page order.

    The glyphs (``PageView.chars``; may be empty) are only read for rings
    drawn over an option.
    ``era``: the era of year labels printed without one; by default the
    era the document's own text dates itself in (None when it names none:
    such labels are then not read as years).
    """
    if era is None:
        era = document_era(line.text for _, lines, _, _ in pages for line in lines)
    readings = [page_to_reading(number, lines, grids, era, settings, chars) for number, lines, grids, chars in pages]
    return readings_to_sheets(readings, settings)


__all__ = ["PageReading", "SheetSource", "pages_to_sheets"]
