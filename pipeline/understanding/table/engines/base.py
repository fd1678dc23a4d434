"""What every grid engine is: boxes from a view, a Grid from the boxes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Optional

from ....geometry import BBox, contains
from ....models import Grid, PageView
from ....settings import Settings
from ..grid import cell_boxes_to_grid


@dataclass(frozen=True)
class EngineSource:
    """The file an engine may read again (camelot renders pages itself).

    The password travels here, from the options, never through another
    library's objects.
    """

    path: Path
    password: Optional[str] = None


class Engine:
    name: ClassVar[str] = ""

    def __init__(self, source: EngineSource, settings: Settings):
        self.source = source
        self.settings = settings

    def cell_boxes(self, view: PageView, region: BBox) -> list[BBox]:
        raise NotImplementedError

    def region_to_grid(self, view: PageView, region: BBox, table_no: int) -> Grid:
        """The Grid of one region; glyphs of a region without cells become leftovers."""
        boxes = self.cell_boxes(view, region)
        # Tables drawn inside this one (in a frame's cell) are read as their own.
        holes = [b for b in view.table_bboxes if b != region and contains(region, b, self.settings.edge_tolerance)]
        return cell_boxes_to_grid(view.number, table_no, boxes, view.chars, region=region, settings=self.settings,
                                  holes=holes)
