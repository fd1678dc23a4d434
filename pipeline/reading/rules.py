"""Ruling lines a reader sees, and the ruled boxes they form.

Only edges a reader can see count (no white boxes, no background fills),
snapped to the axes.  The ruled tables are found once per page with
pdfplumber's pure table functions (edges → intersections → cells →
tables), never through a pdfplumber page, so any reader's graphics give
the same cells.

Before any snapping, each drawing becomes the pieces of rule it shows
(``graphics_to_rules``): a stroked path its axis-parallel segments, a thin
filled box the one line along its length (not its four sides: a dash's
sub-point ends are no vertical rules), a dot both its lines.  Collinear
pieces with a dash's gap between them are one rule (a dashed or dotted
rule), and what is still shorter than a rule's shortest stroke is dropped.
Only then are rules snapped together: snapping first lets a dashed rule's
ends, a few points apart over the whole page, chain every rule near them
into one.  A rule drawn in white counts where it is visible, over a
filled (shaded) area.

``rules_to_tables`` groups the cells into tables; a table drawn inside a
frame's cell, touching nothing outside that cell, is its own table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from pdfplumber import table as plumber_table
from pdfplumber.utils.geometry import filter_edges, obj_to_edges

from ..geometry import BBox, as_box, union
from ..models import RuledTable
from ..settings import Settings
from .glyphs import is_white

# (orientation "h"/"v", the fixed coordinate, start, end): one piece of a rule.
Piece = tuple[str, float, float, float]


def _stroked(obj: dict) -> bool:
    return bool(obj.get("stroke", obj.get("object_type") == "line"))


def is_rule(obj: dict, settings: Settings) -> bool:
    """True for graphics a reader sees as a table border."""
    kind = obj.get("object_type")
    if kind == "char":
        return False
    stroked = _stroked(obj) and not is_white(obj.get("stroking_color"))
    if kind == "line":
        return bool(stroked)
    if kind in ("rect", "curve"):
        if stroked:
            return True
        if obj.get("fill") and not is_white(obj.get("non_stroking_color")):
            return min(obj["width"], obj["height"]) <= settings.rule_max_thickness
    return False


def _segments(obj: dict) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    if obj["object_type"] == "rect":
        x0, top, x1, bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
        return [((x0, top), (x1, top)), ((x0, bottom), (x1, bottom)), ((x0, top), (x0, bottom)), ((x1, top), (x1, bottom))]
    pts = obj.get("pts") or [(obj["x0"], obj["top"]), (obj["x1"], obj["bottom"])]
    return list(zip(pts, pts[1:]))


def _axis_pieces(obj: dict, settings: Settings) -> list[Piece]:
    """The axis-parallel segments of a stroked path (slanted ones are no rules)."""
    out: list[Piece] = []
    for (xa, ya), (xb, yb) in _segments(obj):
        dx, dy = abs(xa - xb), abs(ya - yb)
        if dy <= settings.axis_tolerance < dx:
            out.append(("h", (ya + yb) / 2, min(xa, xb), max(xa, xb)))
        elif dx <= settings.axis_tolerance < dy:
            out.append(("v", (xa + xb) / 2, min(ya, yb), max(ya, yb)))
    return out


def _centre_lines(obj: dict, settings: Settings) -> list[Piece]:
    """A thin filled box is the line along its length; a dot (thin both ways) both lines."""
    x0, top, x1, bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
    horizontal = ("h", (top + bottom) / 2, x0, x1)
    vertical = ("v", (x0 + x1) / 2, top, bottom)
    if max(obj["width"], obj["height"]) <= settings.rule_max_thickness:
        return [horizontal, vertical]
    return [horizontal] if obj["width"] >= obj["height"] else [vertical]


def _rectangular(obj: dict, settings: Settings) -> bool:
    if obj.get("object_type") == "rect":
        return True
    tol = settings.axis_tolerance
    # Every segment along an axis (a closing segment may have no length).
    return all(abs(xa - xb) <= tol or abs(ya - yb) <= tol for (xa, ya), (xb, yb) in _segments(obj))


def _visible_parts(piece: Piece, shading: Sequence[BBox], settings: Settings) -> list[Piece]:
    """The parts of a white rule lying over a filled area, where it shows.

    A white rule on a shared edge of two fills (or the outer edge of one)
    shows there too: the fills are taken ``axis_tolerance`` wider across
    the rule, and parts apart by less than ``dash_join_gap`` are one.
    """
    kind, at, a, b = piece
    reach = settings.axis_tolerance
    spans = []
    for x0, top, x1, bottom in shading:
        lo, hi, across = (x0, x1, (top, bottom)) if kind == "h" else (top, bottom, (x0, x1))
        if across[0] - reach <= at <= across[1] + reach and min(b, hi) > max(a, lo):
            spans.append((max(a, lo), min(b, hi)))
    out: list[Piece] = []
    for lo, hi in sorted(spans):
        if out and lo - out[-1][3] <= settings.dash_join_gap:
            out[-1] = (kind, at, out[-1][2], max(out[-1][3], hi))
        else:
            out.append((kind, at, lo, hi))
    return out


def join_pieces(pieces: Iterable[Piece], settings: Settings) -> list[Piece]:
    """Collinear pieces a dash's gap apart joined into rules, then the short ones dropped.

    Pieces are collinear when their fixed coordinates are within
    ``axis_tolerance`` (a dashed rule's dashes share it exactly); nothing
    is moved sideways here, so pieces of different rules never chain.
    """
    out: list[Piece] = []
    for kind in ("h", "v"):
        line: list[Piece] = []
        for piece in sorted((p for p in pieces if p[0] == kind), key=lambda p: p[1]):
            if line and piece[1] - line[0][1] > settings.axis_tolerance:
                out.extend(_join_line(line, settings))
                line = []
            line.append(piece)
        out.extend(_join_line(line, settings))
    return [p for p in out if p[3] - p[2] >= settings.edge_min_length]


def _join_line(line: list[Piece], settings: Settings) -> list[Piece]:
    joined: list[Piece] = []
    for kind, at, a, b in sorted(line, key=lambda p: p[2]):
        if joined and a - joined[-1][3] <= settings.dash_join_gap:
            last = joined[-1]
            joined[-1] = (kind, last[1], last[2], max(last[3], b))
        else:
            joined.append((kind, at, a, b))
    return joined


def rule(x0: float, top: float, x1: float, bottom: float) -> dict:
    """A rule in the shape pdfplumber's table functions take."""
    return {
        "object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
        "width": x1 - x0, "height": bottom - top, "doctop": top,
    }


def _as_rule(piece: Piece) -> dict:
    kind, at, a, b = piece
    return rule(a, at, b, at) if kind == "h" else rule(at, a, at, b)


def graphics_to_rules(graphics: Iterable[dict], settings: Settings) -> tuple[list[dict], list[dict]]:
    """Horizontal and vertical rules a reader sees, snapped to the axes, dashes joined, specks dropped."""
    pieces: list[Piece] = []
    white: list[Piece] = []
    shading: list[BBox] = []
    for obj in graphics:
        kind = obj.get("object_type")
        if kind not in ("line", "rect", "curve"):
            continue
        if _stroked(obj):
            (white if is_white(obj.get("stroking_color")) else pieces).extend(_axis_pieces(obj, settings))
            continue
        if kind == "line" or not obj.get("fill"):
            continue
        shown = not is_white(obj.get("non_stroking_color"))
        if min(obj["width"], obj["height"]) <= settings.rule_max_thickness:
            (pieces if shown else white).extend(_centre_lines(obj, settings))
        elif shown and _rectangular(obj, settings):
            shading.append((obj["x0"], obj["top"], obj["x1"], obj["bottom"]))
    if white and shading:
        pieces += [part for piece in white for part in _visible_parts(piece, shading, settings)]
    joined = join_pieces(pieces, settings)
    return [_as_rule(p) for p in joined if p[0] == "h"], [_as_rule(p) for p in joined if p[0] == "v"]


def _touch(a: BBox, b: BBox, tol: float) -> bool:
    """Do two boxes share a stretch of border (not only a corner)?"""
    if abs(a[2] - b[0]) <= tol or abs(b[2] - a[0]) <= tol:
        return min(a[3], b[3]) - max(a[1], b[1]) > tol
    if abs(a[3] - b[1]) <= tol or abs(b[3] - a[1]) <= tol:
        return min(a[2], b[2]) - max(a[0], b[0]) > tol
    return False


def split_nested(group: Sequence[BBox], tol: float) -> list[list[BBox]]:
    """A table's cells, with every table drawn inside one of its cells split off.

    A cell holding other cells of the group is either a label over its
    sub-rows (款 over its 項: the cells inside carry on the table's rows,
    sharing borders with cells outside it) or a frame around a table of
    its own (its cells touch nothing outside the frame cell).  Only the
    second is split off; the first stays one table (``grid`` decides the
    label's own cell).
    """
    cells = list(dict.fromkeys(group))
    for outer in sorted(cells, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True):
        x0, top, x1, bottom = outer[0] - tol, outer[1] - tol, outer[2] + tol, outer[3] + tol
        # (inline: this runs for every cell pair of every table of every page)
        inner = [c for c in cells if x0 <= c[0] and top <= c[1] and c[2] <= x1 and c[3] <= bottom and c != outer]
        if len(inner) < 2:
            continue
        rest = [c for c in cells if c != outer and c not in inner]
        if not any(_touch(i, o, tol) for i in inner for o in rest):
            kept = [outer] + rest
            return split_nested(kept, tol) + split_nested(inner, tol)
    return [cells]


def _open_ends(edges: list[dict], tol: float) -> list[dict]:
    """The missing top or bottom rule of columns a page break cut open.

    A writer cutting a table at the page break may leave out the rule at
    the cut while the column rules still run to it (a ministry
    table cut by a page break: its first column's text, cut open at the
    top, was in no cell).  Where neighbouring column rules end level and
    no rule spans between them anywhere above (below, for a bottom), the
    cut is drawn in; a merged cell inside a table always has its
    table's rule above it, so it is never cut.
    """
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    added: list[dict] = []
    ends_and_beyond: tuple[tuple[str, Callable[[float, dict], bool]], ...] = (
        ("top", lambda y, h: h["top"] < y - tol), ("bottom", lambda y, h: h["top"] > y + tol))
    for end, beyond in ends_and_beyond:
        levels: dict[float, list[dict]] = {}
        for e in vertical:
            level = next((y for y in levels if abs(y - e[end]) <= tol), e[end])
            levels.setdefault(level, []).append(e)
        for y, ends in levels.items():
            ends = sorted(ends, key=lambda e: e["x0"])
            for a, b in zip(ends, ends[1:]):
                spans = [h for h in horizontal if h["x0"] - tol <= a["x0"] and b["x0"] <= h["x1"] + tol]
                # Columns of one table: a rule of theirs runs from one to the other.
                joined = any(max(a["top"], b["top"]) - tol <= h["top"] <= min(a["bottom"], b["bottom"]) + tol
                             for h in spans)
                if (joined and b["x0"] - a["x0"] > tol
                        and not any(abs(h["top"] - y) <= tol or beyond(y, h) for h in spans)):
                    added.extend(e for e in obj_to_edges(rule(a["x0"], y, b["x0"], y))
                                 if e["orientation"] == "h")
    return added


def rules_to_tables(horizontal: list[dict], vertical: list[dict], settings: Settings) -> tuple[RuledTable, ...]:
    """Every ruled table the rules form, top to bottom, with its cell boxes."""
    if len(horizontal) < 2 or len(vertical) < 2:
        return ()
    edges = [e for line in vertical for e in obj_to_edges(line) if e["orientation"] == "v"]
    edges += [e for line in horizontal for e in obj_to_edges(line) if e["orientation"] == "h"]
    tol = settings.snap_tolerance
    edges = plumber_table.merge_edges(
        edges, snap_x_tolerance=tol, snap_y_tolerance=tol, join_x_tolerance=tol, join_y_tolerance=tol
    )
    edges = filter_edges(edges, min_length=settings.edge_min_length)
    edges += _open_ends(edges, tol)
    intersections = plumber_table.edges_to_intersections(edges, tol, tol)
    cells = plumber_table.intersections_to_cells(intersections)
    groups = [
        part
        for group in plumber_table.cells_to_tables(cells)
        for part in split_nested([as_box(c) for c in group], settings.edge_tolerance)
    ]
    tables = [
        RuledTable(bbox=union(group), cells=tuple(group))
        for group in groups
        if len(group) >= settings.min_table_cells
    ]
    return tuple(sorted(tables, key=lambda t: (t.bbox[1], t.bbox[0])))
