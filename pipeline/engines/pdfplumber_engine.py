"""Grid engine built on pdfplumber's ruled-table finder.

pdfplumber finds cells from the intersections of ruling edges; sesaku
feeds it only the edges a reader can see (no white boxes, no background
fills) and then rebuilds row/column bands and spans from the cell boxes,
because ``extract_tables`` reports merged positions only as ``None``.
Text is assigned by sesaku itself (``cells_to_grid``), never by pdfplumber.
"""

from __future__ import annotations

import weakref

from ..models import BBox
from ..text import _is_white

# Edges closer than this are one rule.  Thin-rectangle borders put their
# two long edges 0.5pt apart and per-cell strokes overshoot or stop 1-2pt
# short of the corners (the quirks fixture pages 6-14); 3pt snaps and joins both
# while real columns are never closer than ~20pt.
TABLE_SETTINGS = {
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


# A path segment this close to axis-parallel (pt over its length) is a rule.
# pdfminer keeps floating-point noise from rotation matrices (cos 90° =
# 6e-17), which turns every border of a page turned by its content matrix
# into a slanted "curve" that pdfplumber then ignores (found by
# tests/test_rotated.py with pypdf's Transformation().rotate(90)).
AXIS_TOLERANCE = 0.5


def _segments(obj: dict):
    if obj["object_type"] == "rect":
        x0, top, x1, bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
        return [((x0, top), (x1, top)), ((x0, bottom), (x1, bottom)), ((x0, top), (x0, bottom)), ((x1, top), (x1, bottom))]
    pts = obj.get("pts") or [(obj["x0"], obj["top"]), (obj["x1"], obj["bottom"])]
    return list(zip(pts, pts[1:]))


def _rule(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {
        "object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
        "width": x1 - x0, "height": bottom - top, "doctop": top,
    }


def page_to_rules(page, graphics=None) -> tuple[list[dict], list[dict]]:
    """Horizontal and vertical rules a reader sees, snapped to the axes.

    ``graphics`` are the page's path objects when read by another reader
    (pdfium_reader); by default pdfplumber's lines, rects and curves.
    """
    horizontal, vertical = [], []
    objects = graphics if graphics is not None else (*page.lines, *page.rects, *page.curves)
    for obj in objects:
        if not is_rule(obj):
            continue
        for (xa, ya), (xb, yb) in _segments(obj):
            dx, dy = abs(xa - xb), abs(ya - yb)
            if dy <= AXIS_TOLERANCE < dx:
                y = (ya + yb) / 2
                horizontal.append(_rule(min(xa, xb), y, max(xa, xb), y))
            elif dx <= AXIS_TOLERANCE < dy:
                x = (xa + xb) / 2
                vertical.append(_rule(x, min(ya, yb), x, max(ya, yb)))
    return horizontal, vertical


# One table finding per page, shared by locate (bboxes) and grid (cells).
_TABLES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def page_to_tables(page, graphics=None) -> list[tuple[BBox, list[BBox]]]:
    """(bbox, cell boxes) of every ruled table on the page, top to bottom."""
    if page in _TABLES:
        return _TABLES[page]
    horizontal, vertical = page_to_rules(page, graphics)
    tables = []
    if len(horizontal) >= 2 and len(vertical) >= 2:
        settings = dict(
            TABLE_SETTINGS,
            vertical_strategy="explicit",
            horizontal_strategy="explicit",
            explicit_vertical_lines=vertical,
            explicit_horizontal_lines=horizontal,
        )
        found = page.find_tables(settings)
        tables = sorted(
            ((tuple(t.bbox), [tuple(c) for c in t.cells]) for t in found if len(t.cells) >= 4),
            key=lambda t: (t[0][1], t[0][0]),
        )
    _TABLES[page] = tables
    return tables


def page_to_table_bboxes(page, graphics=None) -> list[BBox]:
    """Bounding boxes of the ruled tables on a page, top to bottom."""
    return [bbox for bbox, _ in page_to_tables(page, graphics)]


def _overlap(a: BBox, b: BBox) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0.0) * max(h, 0.0)


def page_region_to_cell_boxes(page, bbox: BBox) -> list[BBox]:
    """The cell boxes of the table that covers one region of the page."""
    tables = page_to_tables(page)
    if not tables:
        return []
    best_bbox, cells = max(tables, key=lambda t: _overlap(t[0], bbox))
    return cells if _overlap(best_bbox, bbox) > 0 else []
