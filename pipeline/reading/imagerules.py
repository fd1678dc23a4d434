"""Ruling lines drawn in a page image: the table borders of a scanned page.

A scan has no vector rules; its table borders are dark pixel runs in the
image.  They are found with OpenCV morphology (an opening with a long thin
kernel keeps runs at least that long in one direction and erases glyph
strokes), each remaining run becomes a rule in page coordinates, and the
rest of the reader (``rules_to_tables``, the engines, the grid) takes
them exactly like vector rules.  Only pages whose text is an OCR layer
are looked at: a page drawn from vectors has its rules already, and its
photos must not lend it borders.
"""

from __future__ import annotations

import numpy as np

from .rules import rule

# Resolution the page is rendered at.  The measurement on the
# family's report rendered as a scan recovered every cell within 2 pt at
# 150, 200 and 300 dpi; 150 is the cheapest (~0.05 s a page here).
DPI = 150
# A run must be this long (pt) to be a rule.  Glyph strokes are at most
# about one em (10.5 pt body text; 一 and ー are the longest), and the
# shortest border of a report's table is a sub-row of one text line,
# ~14 pt high: 12 pt lies between, at ~25 px well above scanner noise.
MIN_RULE_PT = 12.0
# Runs thicker than this (pt) are filled areas (a dark header band, a
# photo's edge), not strokes; printed rules are 0.25-1.5 pt, 2-3 px thick
# after a scanner's blur at 150 dpi.
MAX_RULE_THICKNESS_PT = 3.0
# Pixels darker than this (0-255) are ink.  Scanned paper is ~230-255,
# printed black rules and text ≤ 100 even blurred; light grey cell
# shading (≥ 200) stays paper.
INK_LEVEL = 160
# A border meets another border; glyph strokes keep a cell's padding
# (≥ 2 pt) from the rules.  Runs shorter than this (pt) that touch no
# perpendicular run within TOUCH_PT are text (ーー, a underline of a
# word), not rules; a 60 pt run is longer than any word stroke run.
LONE_RULE_PT = 60.0
TOUCH_PT = 3.0


def _runs(mask: np.ndarray, horizontal: bool, scale: float) -> list[dict]:
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:n]:
        length, thickness = (w, h) if horizontal else (h, w)
        if length * scale < MIN_RULE_PT or thickness * scale > MAX_RULE_THICKNESS_PT * 2:
            continue
        if horizontal:
            mid = (y + h / 2) * scale
            out.append(rule(x * scale, mid, (x + w) * scale, mid))
        else:
            mid = (x + w / 2) * scale
            out.append(rule(mid, y * scale, mid, (y + h) * scale))
    return out


def image_to_rules(gray: np.ndarray, dpi: float = DPI) -> tuple[list[dict], list[dict]]:
    """Horizontal and vertical rules (pt, top-based) in a page rendered at ``dpi`` as 8-bit grey."""
    import cv2

    scale = 72.0 / dpi
    ink = (gray < INK_LEVEL).astype(np.uint8) * 255
    length = max(3, int(round(MIN_RULE_PT / scale)))
    # Thick areas are removed first: an opening with a square as thick as
    # a rule may be leaves only filled areas, which are then subtracted.
    thick = max(2, int(round(MAX_RULE_THICKNESS_PT / scale)) + 1)
    filled = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((thick, thick), np.uint8))
    strokes = cv2.subtract(ink, filled)
    # Scans are rarely straight: closing 1-px steps of a slightly skewed
    # rule before the opening keeps it one run.
    across = cv2.morphologyEx(strokes, cv2.MORPH_CLOSE, np.ones((3, 1), np.uint8))
    h_mask = cv2.morphologyEx(across, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    down = cv2.morphologyEx(strokes, cv2.MORPH_CLOSE, np.ones((1, 3), np.uint8))
    v_mask = cv2.morphologyEx(down, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    horizontal, vertical = _runs(h_mask, True, scale), _runs(v_mask, False, scale)
    return _meeting(horizontal, vertical), _meeting(vertical, horizontal)


def _touches(a: dict, b: dict) -> bool:
    return (a["x0"] - TOUCH_PT <= b["x1"] and b["x0"] <= a["x1"] + TOUCH_PT
            and a["top"] - TOUCH_PT <= b["bottom"] and b["top"] <= a["bottom"] + TOUCH_PT)


def _meeting(runs: list[dict], across: list[dict]) -> list[dict]:
    """Runs that are long, or meet a run of the other direction."""
    return [r for r in runs if max(r["width"], r["height"]) >= LONE_RULE_PT or any(_touches(r, o) for o in across)]
