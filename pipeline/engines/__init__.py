"""Grid engines: each says where the cells of a table region are.

An engine is a function ``(pdf_path, pdfplumber_page, bbox) -> list of cell
boxes`` in pdfplumber coordinates; ``pipeline.grid`` turns boxes and glyphs
into a Grid, so text is always joined by sesaku's own rules.
"""

from __future__ import annotations

from typing import Callable

from ..models import BBox
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
