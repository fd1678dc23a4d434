"""Two engines read every region; their grids are compared cell by cell.

The preferred engine's cell is kept wherever both have one; every cell
says whether the other engine agrees (``table.agreement``).
"""

from __future__ import annotations

from ....geometry import BBox
from ....models import Grid, PageView
from ....settings import Settings
from ..agreement import grids_to_agreement
from ..grid import cell_boxes_to_grid
from .base import Engine, EngineSource
from .camelot import CamelotEngine
from .pdfplumber import PdfplumberEngine


class BothEngine(Engine):
    name = "both"
    PAIR = (PdfplumberEngine.name, CamelotEngine.name)  # the order grids_to_agreement takes them in

    def __init__(self, source: EngineSource, settings: Settings, *, prefer: str = PAIR[0]):
        super().__init__(source, settings)
        if prefer not in self.PAIR:
            raise ValueError(f"unknown prefer {prefer!r}; choose one of: {', '.join(self.PAIR)}")
        self.prefer = prefer
        self.engines = (PdfplumberEngine(source, settings), CamelotEngine(source, settings))

    def cell_boxes(self, view: PageView, region: BBox) -> list[BBox]:
        raise TypeError("the 'both' engine compares two grids; use region_to_grid")

    def region_to_grid(self, view: PageView, region: BBox, table_no: int) -> Grid:
        grids = []
        for engine in self.engines:
            boxes = engine.cell_boxes(view, region)
            grids.append(cell_boxes_to_grid(view.number, table_no, boxes, view.chars, settings=self.settings) if boxes else None)
        if grids[0] is None and grids[1] is None:
            # Same outcome as a single engine finding nothing.
            return cell_boxes_to_grid(view.number, table_no, [], view.chars, region=region, settings=self.settings)
        return grids_to_agreement(grids[0], grids[1], self.prefer, settings=self.settings)
