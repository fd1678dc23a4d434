"""Ruling lines a reader sees, and the ruled boxes they form.

Only edges a reader can see count (no white boxes, no background fills),
snapped to the axes.  The ruled tables are found once per page with
pdfplumber's pure table functions (edges → intersections → cells →
tables), never through a pdfplumber page, so any reader's graphics give
the same cells.
"""

from __future__ import annotations

from typing import Iterable

from pdfplumber import table as plumber_table
from pdfplumber import utils as plumber_utils

from ..geometry import union
from ..models import RuledTable
from ..settings import DEFAULT, Settings
from .glyphs import is_white


def is_rule(obj: dict, settings: Settings = DEFAULT) -> bool:
    """True for graphics a reader sees as a table border."""
    kind = obj.get("object_type")
    if kind == "char":
        return False
    stroked = obj.get("stroke", kind == "line") and not is_white(obj.get("stroking_color"))
    if kind == "line":
        return bool(stroked)
    if kind in ("rect", "curve"):
        if stroked:
            return True
        if obj.get("fill") and not is_white(obj.get("non_stroking_color")):
            return min(obj["width"], obj["height"]) <= settings.rule_max_thickness
    return False


def _segments(obj: dict):
    if obj["object_type"] == "rect":
        x0, top, x1, bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
        return [((x0, top), (x1, top)), ((x0, bottom), (x1, bottom)), ((x0, top), (x0, bottom)), ((x1, top), (x1, bottom))]
    pts = obj.get("pts") or [(obj["x0"], obj["top"]), (obj["x1"], obj["bottom"])]
    return list(zip(pts, pts[1:]))


def rule(x0: float, top: float, x1: float, bottom: float) -> dict:
    """A rule in the shape pdfplumber's table functions take."""
    return {
        "object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
        "width": x1 - x0, "height": bottom - top, "doctop": top,
    }


def graphics_to_rules(graphics: Iterable[dict], settings: Settings = DEFAULT) -> tuple[list[dict], list[dict]]:
    """Horizontal and vertical rules a reader sees, snapped to the axes."""
    horizontal, vertical = [], []
    for obj in graphics:
        if not is_rule(obj, settings):
            continue
        for (xa, ya), (xb, yb) in _segments(obj):
            dx, dy = abs(xa - xb), abs(ya - yb)
            if dy <= settings.axis_tolerance < dx:
                y = (ya + yb) / 2
                horizontal.append(rule(min(xa, xb), y, max(xa, xb), y))
            elif dx <= settings.axis_tolerance < dy:
                x = (xa + xb) / 2
                vertical.append(rule(x, min(ya, yb), x, max(ya, yb)))
    return horizontal, vertical


def rules_to_tables(horizontal: list[dict], vertical: list[dict], settings: Settings = DEFAULT) -> tuple[RuledTable, ...]:
    """Every ruled table the rules form, top to bottom, with its cell boxes."""
    if len(horizontal) < 2 or len(vertical) < 2:
        return ()
    edges = [e for line in vertical for e in plumber_utils.obj_to_edges(line) if e["orientation"] == "v"]
    edges += [e for line in horizontal for e in plumber_utils.obj_to_edges(line) if e["orientation"] == "h"]
    tol = settings.snap_tolerance
    edges = plumber_table.merge_edges(
        edges, snap_x_tolerance=tol, snap_y_tolerance=tol, join_x_tolerance=tol, join_y_tolerance=tol
    )
    edges = plumber_utils.filter_edges(edges, min_length=settings.edge_min_length)
    intersections = plumber_table.edges_to_intersections(edges, tol, tol)
    cells = plumber_table.intersections_to_cells(intersections)
    tables = [
        RuledTable(bbox=tuple(union(group)), cells=tuple(tuple(c) for c in group))
        for group in plumber_table.cells_to_tables(cells)
        if len(group) >= settings.min_table_cells
    ]
    return tuple(sorted(tables, key=lambda t: (t.bbox[1], t.bbox[0])))
