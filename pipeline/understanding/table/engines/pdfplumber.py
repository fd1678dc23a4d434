"""Grid engine built on pdfplumber's ruled-table finder.

The reader already found the page's ruled tables with pdfplumber's table
functions, fed only the rules a reader sees (``reading.rules``); this
engine picks the table covering the region.  pdfplumber's
``extract_tables`` reports merged positions only as None, so spans are
rebuilt from the cell boxes by ``table.grid``, and the text is assigned
by sesaku, never by pdfplumber.
"""

from __future__ import annotations

from ....geometry import BBox, overlap_area
from ....models import PageView
from .base import Engine


class PdfplumberEngine(Engine):
    name = "pdfplumber"

    def cell_boxes(self, view: PageView, region: BBox) -> list[BBox]:
        if not view.ruled_tables:
            return []
        best = max(view.ruled_tables, key=lambda t: overlap_area(t.bbox, region))
        return list(best.cells) if overlap_area(best.bbox, region) > 0 else []
