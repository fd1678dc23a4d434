"""Boxes on a page: ``(x0, top, x1, bottom)`` in points, ``top`` from the page top.

Glyph dicts (``{"x0", "top", "x1", "bottom", …}``) and box tuples are both
accepted where a function says ``box_or_glyph``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Union

BBox = tuple[float, float, float, float]
Boxlike = Union[BBox, Mapping]


def as_box(b: Boxlike) -> BBox:
    if isinstance(b, tuple):
        return b
    return (b["x0"], b["top"], b["x1"], b["bottom"])


def centre(b: Boxlike) -> tuple[float, float]:
    x0, top, x1, bottom = as_box(b)
    return (x0 + x1) / 2, (top + bottom) / 2


def centre_in(inner: Boxlike, outer: Boxlike) -> bool:
    """Is the centre of ``inner`` inside ``outer`` (borders included)?"""
    cx, cy = centre(inner)
    x0, top, x1, bottom = as_box(outer)
    return x0 <= cx <= x1 and top <= cy <= bottom


def contains(outer: Boxlike, inner: Boxlike, tol: float = 0.0) -> bool:
    """Is ``inner`` inside ``outer``, each side allowed ``tol`` points out?"""
    o, i = as_box(outer), as_box(inner)
    return o[0] - tol <= i[0] and o[1] - tol <= i[1] and i[2] <= o[2] + tol and i[3] <= o[3] + tol


def area(b: Boxlike) -> float:
    x0, top, x1, bottom = as_box(b)
    return max(x1 - x0, 0.0) * max(bottom - top, 0.0)


def overlap(a: Boxlike, b: Boxlike) -> tuple[float, float]:
    """Width and height of the intersection (negative when apart)."""
    a, b = as_box(a), as_box(b)
    return min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])


def overlap_area(a: Boxlike, b: Boxlike) -> float:
    w, h = overlap(a, b)
    return max(w, 0.0) * max(h, 0.0)


def overlap_share(a: Boxlike, b: Boxlike) -> float:
    """Intersection as a share of the smaller box (1.0: one lies inside the other)."""
    smaller = min(area(a), area(b))
    return overlap_area(a, b) / smaller if smaller > 0 else 0.0


def union(boxes: Iterable[Boxlike]) -> BBox:
    boxes = [as_box(b) for b in boxes]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def rounded(b: Boxlike, digits: int = 2) -> BBox:
    return tuple(round(v, digits) for v in as_box(b))  # type: ignore[return-value]
