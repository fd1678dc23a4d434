"""Grid engines: each says where the cells of a table region are.

An engine is a function ``(pdf_path, pdfplumber_page, bbox) -> list of cell
boxes`` in pdfplumber coordinates; ``pipeline.grid`` turns boxes and glyphs
into a Grid, so text is always joined by sesaku's own rules.
"""

from __future__ import annotations

from typing import Callable

from ..grid import cell_boxes_to_grid
from ..models import BBox, Grid
from . import pdfplumber_engine

CellBoxesFn = Callable[[object, object, BBox], list[BBox]]


def _pdfplumber(path, page, bbox: BBox) -> list[BBox]:
    return pdfplumber_engine.page_region_to_cell_boxes(page, bbox)


ENGINES: dict[str, CellBoxesFn] = {"pdfplumber": _pdfplumber}


def get_engine(name: str) -> CellBoxesFn:
    try:
        return ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; choose one of: {', '.join(sorted(ENGINES))}") from None


def region_to_grid(engine: str, path, page, bbox: BBox, chars, page_no: int, table_no: int) -> Grid:
    """The Grid of one table region as read by the named engine."""
    boxes = get_engine(engine)(path, page, bbox)
    return cell_boxes_to_grid(page_no, table_no, boxes, chars)
