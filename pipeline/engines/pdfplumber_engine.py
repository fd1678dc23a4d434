"""Grid engine built on pdfplumber's ruled-table finder.

pdfplumber finds cells from the intersections of ruling edges; sesaku
feeds it only the edges a reader can see (no white boxes, no background
fills) and then rebuilds row/column bands and spans from the cell boxes,
because ``extract_tables`` reports merged positions only as ``None``.
Text is assigned by sesaku itself (``cells_to_grid``), never by pdfplumber.
"""

from __future__ import annotations

from ..models import BBox
from ..text import _is_white

# Edges closer than this are one rule.  Thin-rectangle borders put their
# two long edges 0.5pt apart and per-cell strokes overshoot or stop 1-2pt
# short of the corners (plan6-quirks pages 6-14); 3pt snaps and joins both
# while real columns are never closer than ~20pt.
TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "edge_min_length": 3,
}

# A filled rectangle at most this thick is a drawn rule (0.5pt in the
# fixtures; spreadsheet exporters use up to ~1.5pt), thicker ones are
# cell shading and carry no structure.
RULE_MAX_THICKNESS = 2.0


def is_rule(obj: dict) -> bool:
    """True for graphics a reader sees as a table border."""
    kind = obj.get("object_type")
    if kind == "char":
        return False
    stroked = obj.get("stroke", kind == "line") and not _is_white(obj.get("stroking_color"))
    if kind == "line":
        return bool(stroked)
    if kind in ("rect", "curve"):
        if stroked:
            return True
        if obj.get("fill") and not _is_white(obj.get("non_stroking_color")):
            return min(obj["width"], obj["height"]) <= RULE_MAX_THICKNESS
    return False


def _ruled_page(page):
    return page.filter(lambda o: o.get("object_type") == "char" or is_rule(o))


def page_to_table_bboxes(page) -> list[BBox]:
    """Bounding boxes of the ruled tables on a page, top to bottom."""
    tables = _ruled_page(page).find_tables(TABLE_SETTINGS)
    boxes = [tuple(t.bbox) for t in tables if len(t.cells) >= 4]
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def page_region_to_cell_boxes(page, bbox: BBox) -> list[BBox]:
    """The cell boxes pdfplumber finds inside one table region."""
    x0, top, x1, bottom = bbox
    pad = 4  # keep the region's own border rules inside the crop
    region = (
        max(page.bbox[0], x0 - pad),
        max(page.bbox[1], top - pad),
        min(page.bbox[2], x1 + pad),
        min(page.bbox[3], bottom + pad),
    )
    cropped = _ruled_page(page).crop(region)
    tables = cropped.find_tables(TABLE_SETTINGS)
    if not tables:
        return []
    table = max(tables, key=lambda t: len(t.cells))
    return [tuple(c) for c in table.cells]
