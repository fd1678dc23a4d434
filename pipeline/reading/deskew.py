"""Straighten a scanned page before its borders and text are read.

A copier feeds paper a little askew; at half a degree a table rule across
a landscape A4 page climbs 7 pt, so the image's rules no longer meet as
a grid and text lines slant across cell borders.  The angle is read from
the page's long near-horizontal strokes (table rules, underlines), each
fitted with a straight line, weighted by length; the page is then
rotated about its centre onto white paper.  Pages without such strokes
(plain prose) are left as they are: the OCR model reads slightly slanted
lines well, and without borders nothing else depends on the angle.
"""

from __future__ import annotations

import math

import numpy as np

# Beyond this the page is turned, not skewed (a landscape page scanned
# portrait is 90°): rotating by a guess would do harm.
MAX_SKEW_DEG = 5.0
# Below this the climb over a page width is under a pixel at 200 dpi;
# rotating would only blur the glyphs.
MIN_SKEW_DEG = 0.05
# A stroke must span this share of the page width to vote: table rules
# and long lines do, glyph strokes never.
MIN_STROKE_SHARE = 0.25
INK_LEVEL = 160  # as imagerules.INK_LEVEL: printed ink on scanned paper


def skew_angle(gray: np.ndarray) -> float:
    """The page's skew in degrees (positive: lines fall to the right in the image), or 0.0."""
    import cv2

    ink = (gray < INK_LEVEL).astype(np.uint8)
    _height, width = gray.shape
    # An opening with a short flat kernel keeps the pieces of a slanted rule
    # (at 5° a rule stays within one pixel row for ~11 px, so 1 x 11 keeps it
    # as a staircase of touching pieces) and erases most glyph strokes; the
    # length test below drops the rest.  A Hough transform found the same
    # angles at ~500x the cost (10-19 s a page at 150 dpi against 0.02 s).
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, 11), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    votes = []
    max_rise = math.tan(math.radians(MAX_SKEW_DEG))
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if w < width * MIN_STROKE_SHARE or h > w * max_rise + 3:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        slope = float(np.polyfit(xs, ys, 1)[0])
        votes.append((math.degrees(math.atan(slope)), float(w)))
    if not votes:
        return 0.0
    votes.sort()
    half, acc = sum(w for _, w in votes) / 2, 0.0
    for angle, weight in votes:  # the length-weighted median: one stray stroke does not tilt the page
        acc += weight
        if acc >= half:
            return round(angle, 3) if abs(angle) >= MIN_SKEW_DEG else 0.0
    return 0.0


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """``image`` (grey or RGB) turned by ``angle`` degrees about its centre, the corners white."""
    import cv2

    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    white = (255,) * (1 if image.ndim == 2 else image.shape[2])
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=white)


def deskew(image: np.ndarray) -> tuple[np.ndarray, float]:
    """The straightened image and the angle it was turned by (0.0: left as it was)."""
    gray = image if image.ndim == 2 else image.mean(axis=2).astype(np.uint8)
    angle = skew_angle(gray)
    return (rotate(image, angle), angle) if angle else (image, 0.0)


__all__ = ["deskew", "rotate", "skew_angle"]
