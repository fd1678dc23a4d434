"""Grid engines: each says where the cells of a table region are.

An engine is a function ``(pdf_path, pdfplumber_page, bbox) -> list of cell
boxes`` in pdfplumber coordinates; ``pipeline.grid`` turns boxes and glyphs
into a Grid, so text is always joined by sesaku's own rules and every
engine yields the same kind of Grid.

``both`` runs pdfplumber and camelot on the region and compares their
grids (``pipeline.agreement``); ``prefer`` says whose cell is kept where
they differ.
"""

from __future__ import annotations

from typing import Callable

from ..agreement import ENGINE_PAIR, grids_to_agreement
from ..grid import cell_boxes_to_grid
from ..models import BBox, Grid
from . import camelot_engine, pdfplumber_engine

CellBoxesFn = Callable[[object, object, BBox], list[BBox]]


def _pdfplumber(path, page, bbox: BBox) -> list[BBox]:
    return pdfplumber_engine.page_region_to_cell_boxes(page, bbox)


def _camelot(path, page, bbox: BBox) -> list[BBox]:
    return camelot_engine.page_region_to_cell_boxes(path, page, bbox)


def _both(path, page, bbox: BBox) -> list[BBox]:
    # Listed so the CLI offers it; a comparison is a Grid, not a box list.
    raise ValueError("engine 'both' compares two grids: call region_to_grid('both', ...)")


ENGINES: dict[str, CellBoxesFn] = {"pdfplumber": _pdfplumber, "camelot": _camelot, "both": _both}
PREFER = ENGINE_PAIR  # engines ``prefer`` may name with ``both``; the first is the default


def get_engine(name: str) -> CellBoxesFn:
    try:
        return ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; choose one of: {', '.join(sorted(ENGINES))}") from None


def _grid_or_none(boxes: list[BBox], chars, page_no: int, table_no: int) -> Grid | None:
    return cell_boxes_to_grid(page_no, table_no, boxes, chars) if boxes else None


def region_to_grid(
    engine: str, path, page, bbox: BBox, chars, page_no: int, table_no: int, *, prefer: str = PREFER[0]
) -> Grid:
    """The Grid of one table region as read by the named engine.

    With ``engine="both"`` every cell carries ``agreement`` and ``prefer``
    (one of ``PREFER``) picks the engine whose cell is kept where they differ.
    """
    if prefer not in PREFER:
        raise ValueError(f"unknown prefer {prefer!r}; choose one of: {', '.join(PREFER)}")
    if engine != "both":
        boxes = get_engine(engine)(path, page, bbox)
        return cell_boxes_to_grid(page_no, table_no, boxes, chars, region=bbox)
    grids = [
        _grid_or_none(get_engine(name)(path, page, bbox), chars, page_no, table_no) for name in ENGINE_PAIR
    ]
    if grids[0] is None and grids[1] is None:
        # Same outcome as a single engine finding nothing.
        return cell_boxes_to_grid(page_no, table_no, [], chars, region=bbox)
    return grids_to_agreement(grids[0], grids[1], prefer)
