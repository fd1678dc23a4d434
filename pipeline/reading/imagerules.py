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

from typing import Optional

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


def _runs(mask: np.ndarray, horizontal: bool, scale: float, labels_out: list | None = None,
          min_pt: float = MIN_RULE_PT, dark: Optional[np.ndarray] = None) -> list[dict]:
    """The runs of ``mask`` long and thin enough to be rules; each rule dict gets its run's
    component number as ``"_run"`` when ``labels_out`` (a list) is given to receive the labels,
    and ``"_dark"`` (at least half its pixels in ``dark``: printed ink, not a faint ridge)."""
    import cv2

    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    darkness = (np.bincount(labels[dark > 0], minlength=n) / np.maximum(stats[:, 4], 1)) if dark is not None else None
    if labels_out is not None:
        labels_out.append(labels)
    out = []
    for i, (x, y, w, h, area) in enumerate(stats[1:n], 1):
        length, thickness = (w, h) if horizontal else (h, w)
        if length * scale < min_pt:
            continue
        if thickness * scale > MAX_RULE_THICKNESS_PT * 2:
            # A rule a few specks of text touch (a faint rule near its cell's text) is still
            # thin on the whole: its mean thickness counts, and its middle is where most of it is.
            if area / length * scale > MAX_RULE_THICKNESS_PT:
                continue
            ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
            y, h = (y + int(np.median(ys)), 1) if horizontal else (y, h)
            x, w = (x, w) if horizontal else (x + int(np.median(xs)), 1)
        if horizontal:
            mid = (y + h / 2) * scale
            out.append(rule(x * scale, mid, (x + w) * scale, mid))
        else:
            mid = (x + w / 2) * scale
            out.append(rule(mid, y * scale, mid, (y + h) * scale))
        if labels_out is not None:
            out[-1]["_run"] = [i]
        if darkness is not None:
            out[-1]["_dark"] = bool(darkness[i] >= 0.5)
    return out


# Rules printed faint (toner running out, a light grey hairline) are looked
# for too, as ridges: after a short blur along the rule's direction (grain
# σ 12 → ~5), pixels darker by FAINT_CONTRAST than the paper and than the
# pixels FAINT_SIDE_PT to either side, in runs that bridged make at least
# MIN_RULE_PT.  On a noisy copy of a generated report a border at grey
# 175-215 (blurred to ~220) was missed at INK_LEVEL, two header rows merged
# and the page lost its table.  A ridge is no blurred edge of a glyph or of a
# dark rule (one side of it is darker still), nor a wide grey band; pixels
# within 2 px of ink are left out besides (glyphs are found otherwise).
FAINT_CONTRAST = 12
FAINT_SIDE_PT = 1.2
FAINT_BLUR_PX = 5
# Grain breaks a faint rule into dashes; dashes this long (pt) are kept and
# bridged (BRIDGE_PT) into a rule, which must then be MIN_RULE_PT long.
FAINT_PIECE_PT = 4.0


def _faint(gray: np.ndarray, length: int, scale: float, horizontal: bool) -> np.ndarray:
    """Thin runs a little darker than the paper and than both their sides, along one direction (0/255)."""
    import cv2

    paper = float(np.percentile(gray, 75))
    smooth = cv2.blur(gray, (FAINT_BLUR_PX, 1) if horizontal else (1, FAINT_BLUR_PX)).astype(np.int16)
    side = max(2, int(round(FAINT_SIDE_PT / scale)))
    pad = np.full_like(smooth, 255)
    if horizontal:
        before, after = pad.copy(), pad.copy()
        before[side:], after[:-side] = smooth[:-side], smooth[side:]
    else:
        before, after = pad.copy(), pad.copy()
        before[:, side:], after[:, :-side] = smooth[:, :-side], smooth[:, side:]
    ridge = (smooth < paper - FAINT_CONTRAST) & (smooth < before - FAINT_CONTRAST) & (smooth < after - FAINT_CONTRAST)
    dark = ridge.astype(np.uint8) * 255
    # only light pixels: ink and its blurred edge are glyphs or dark rules, found otherwise
    dark[cv2.dilate((gray < INK_LEVEL).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0] = 0
    # bridge the rule's one-pixel steps across (a straightened scan), as for dark rules
    dark = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, np.ones((3, 1) if horizontal else (1, 3), np.uint8))
    along = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
    return cv2.morphologyEx(dark, cv2.MORPH_OPEN, along)


# Gaps in a run up to this (pt) are bridged: toner drop-outs and grain break
# a faint rule into dashes (3-11 pt on the faint test scans), and a faint rule
# found by averaging stops ~MIN_RULE_PT short of every border crossing it.
# Real columns are never this narrow (settings.snap_tolerance: ~20 pt at the
# least), so no border of a merged cell closes.
BRIDGE_PT = 14.0
# Two runs of dark ink are bridged only across this much (pt): a dark rule is
# printed whole (grain and a fax's flipped pixels break it by a pixel or two),
# whereas the strokes of large glyphs side by side (事業書画面 at 20 pt: strokes
# 12-17 pt long at one height, 2-5 pt apart) bridged at BRIDGE_PT made a
# 77 pt "rule" through the middle of a title.
DARK_BRIDGE_PT = 1.5


def _bridge(runs: list[dict], horizontal: bool, scale: float, across: list[dict] = ()) -> list[dict]:
    """Collinear runs (within 1.5 pt across) with gaps of at most BRIDGE_PT between them, as one rule.

    A gap whose two ends both meet a rule ``across`` is left open: that is a
    cell spanning the border (a program row across the table, ~14 pt high,
    stops every column border), not ink that failed."""
    pos = (lambda r: r["top"]) if horizontal else (lambda r: r["x0"])
    start = (lambda r: r["x0"]) if horizontal else (lambda r: r["top"])
    end = (lambda r: r["x1"]) if horizontal else (lambda r: r["bottom"])
    lines: list[list[dict]] = []
    for r in sorted(runs, key=pos):
        if lines and pos(r) - pos(lines[-1][0]) <= 1.5:
            lines[-1].append(r)
        else:
            lines.append([r])
    out: list[dict] = []
    for line in lines:
        at = sum(pos(r) * (end(r) - start(r)) for r in line) / max(sum(end(r) - start(r) for r in line), 1e-9)
        chain: list[list] = []  # [first, last, run labels, last piece dark]
        for r in sorted(line, key=start):
            dark = r.get("_dark", False)
            reach = DARK_BRIDGE_PT if dark and chain and chain[-1][3] else BRIDGE_PT
            if chain and start(r) - chain[-1][1] <= reach and not _spanned(across, at, chain[-1][1], start(r),
                                                                              horizontal):
                if end(r) >= chain[-1][1]:
                    chain[-1][3] = dark
                chain[-1][1] = max(chain[-1][1], end(r))
                chain[-1][2] += r.get("_run", [])
            else:
                chain.append([start(r), end(r), list(r.get("_run", [])), dark])
        for a, b, labels, _ in chain:
            out.append(rule(a, at, b, at) if horizontal else rule(at, a, at, b))
            if labels:
                out[-1]["_run"] = labels
    return out


def _spanned(across: list[dict], at: float, gap0: float, gap1: float, horizontal: bool) -> bool:
    """Do two rules of ``across``, one at each end of the gap [gap0, gap1] of the line at ``at``,
    cross that line (within TOUCH_PT)?  Then a cell spans the gap."""
    def crossing(where: float) -> Optional[float]:
        for r in across:
            if horizontal:  # the line is horizontal at y = at; r is vertical
                if abs(r["x0"] - where) <= TOUCH_PT and r["top"] - TOUCH_PT <= at <= r["bottom"] + TOUCH_PT:
                    return r["x0"]
            elif abs(r["top"] - where) <= TOUCH_PT and r["x0"] - TOUCH_PT <= at <= r["x1"] + TOUCH_PT:
                return r["top"]
        return None

    first, last = crossing(gap0), crossing(gap1)
    return first is not None and last is not None and last - first > TOUCH_PT


def image_to_rules(gray: np.ndarray, dpi: float = DPI) -> tuple[list[dict], list[dict]]:
    """Horizontal and vertical rules (pt, top-based) in a page rendered at ``dpi`` as 8-bit grey."""
    horizontal, vertical, _ = rules_and_masks(gray, dpi)
    return horizontal, vertical


def rules_and_masks(gray: np.ndarray, dpi: float = DPI) -> tuple[list[dict], list[dict], np.ndarray]:
    """The rules, and a 0/1 image of the pixels that are not text: the rules' runs and filled
    areas (a dark band, a photo).  The OCR route takes them out before it looks for text lines."""
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
    labels: list = []
    piece = max(3, int(round(FAINT_PIECE_PT / scale)))
    h_dark, v_dark = h_mask, v_mask
    h_mask = cv2.bitwise_or(h_mask, _faint(gray, piece, scale, True))
    v_mask = cv2.bitwise_or(v_mask, _faint(gray, piece, scale, False))
    horizontal = _runs(h_mask, True, scale, labels, min_pt=FAINT_PIECE_PT, dark=h_dark)
    vertical = _runs(v_mask, False, scale, labels, min_pt=FAINT_PIECE_PT, dark=v_dark)
    # a faint rule's dashes, bridged, must make a rule's length
    horizontal, vertical = (
        [r for r in _bridge(horizontal, True, scale, vertical) if r["width"] >= MIN_RULE_PT],
        [r for r in _bridge(vertical, False, scale, horizontal) if r["height"] >= MIN_RULE_PT])
    horizontal, vertical = _framed(horizontal, vertical)
    # Only the runs taken as rules are not text: a run of glyph strokes a
    # title's big glyphs make side by side (施策計画 at 14 pt) stays text.
    large = _large(filled, FILLED_AREA_PT / scale)
    not_text = large > 0
    for runs, label in ((horizontal, labels[0]), (vertical, labels[1])):
        if runs:
            not_text |= np.isin(label, [i for r in runs for i in r.pop("_run")])
    horizontal, vertical = _edge_borders(large, horizontal, vertical, scale)
    return horizontal, vertical, not_text.astype(np.uint8)


# A filled area this wide and high (pt) is no glyph: a copier's dark page
# edge, a photo, a shaded band.  The largest filled glyph a report prints is
# a ● or ■ of a heading, under 20 pt; smaller filled areas stay text.
FILLED_AREA_PT = 24.0


# A copier's dark edge: a filled area along a side of the page, this share of
# the page long.  Where it covers a table's outer border (generated reports
# scanned with the band 2-5 % of the page wide: four of seven lost their
# 施策計画 table, as the last column had no right edge), the table is cut at
# the band's inner edge, as the reader of the copy sees it: that edge closes
# the rules that run into it.
EDGE_BAND_SHARE = 0.5
# Rules ending this close to the band's inner edge (pt) run into it ...
EDGE_REACH_PT = 4.0
# ... and at least this many must, for the edge to be a border (one rule
# ending there may be a heading's underline).
EDGE_RULES = 2


def _edge_borders(large: np.ndarray, horizontal: list[dict], vertical: list[dict],
                  scale: float) -> tuple[list[dict], list[dict]]:
    """The rules, with a border added along the inner edge of a copier's dark band wherever
    at least ``EDGE_RULES`` rules run into it."""
    import cv2

    from .rules import rule

    n, labels, _, _ = cv2.connectedComponentsWithStats((large > 0).astype(np.uint8), connectivity=8)
    horizontal, vertical = list(horizontal), list(vertical)
    for i in range(1, n):
        mine = labels == i
        # a band along a side covers that side of the image (one band may turn a corner)
        sides = [(side, _inner_edge(band, start)) for side, band, start in (
            ("left", mine, True), ("right", mine, False), ("top", mine.T, True), ("bottom", mine.T, False))
            if band[:, 0 if start else -1].mean() >= EDGE_BAND_SHARE]
        for side, at_px in sides:
            at = at_px * scale
            if side in ("left", "right"):
                end = "x0" if side == "left" else "x1"
                into = [r for r in horizontal if abs(r[end] - at) <= EDGE_REACH_PT]
                if len(into) >= EDGE_RULES:
                    vertical.append(rule(at, min(r["top"] for r in into), at, max(r["bottom"] for r in into)))
            else:
                end = "top" if side == "top" else "bottom"
                into = [r for r in vertical if abs(r[end] - at) <= EDGE_REACH_PT]
                if len(into) >= EDGE_RULES:
                    horizontal.append(rule(min(r["x0"] for r in into), at, max(r["x1"] for r in into), at))
    return horizontal, vertical


def _inner_edge(mine: np.ndarray, from_start: bool) -> float:
    """Where a band along the start (or end) of the rows of ``mine`` ends towards the page: the
    median, over the rows it starts (ends), of its last (first) pixel."""
    rows = mine[mine[:, 0 if from_start else -1]]
    if from_start:
        return float(np.median(rows.shape[1] - 1 - np.argmax(rows[:, ::-1], axis=1)))
    return float(np.median(np.argmax(rows, axis=1)))


def _large(filled: np.ndarray, side_px: float) -> np.ndarray:
    import cv2

    n, labels, stats, _ = cv2.connectedComponentsWithStats(filled, connectivity=8)
    big = [i for i in range(1, n) if stats[i, 2] >= side_px and stats[i, 3] >= side_px]
    return np.isin(labels, big).astype(np.uint8) * 255 if big else np.zeros_like(filled)


def _touches(a: dict, b: dict) -> bool:
    return (a["x0"] - TOUCH_PT <= b["x1"] and b["x0"] <= a["x1"] + TOUCH_PT
            and a["top"] - TOUCH_PT <= b["bottom"] and b["top"] <= a["bottom"] + TOUCH_PT)


def _framed(horizontal: list[dict], vertical: list[dict]) -> tuple[list[dict], list[dict]]:
    """The runs that are long (``LONE_RULE_PT``), and the shorter runs that meet one of them
    across, directly or through other such runs: a table's borders all hang together with its
    frame.  A short run that meets only other short runs is a glyph's stroke: the strokes of a
    large glyph meet one another (生, 出, 事, 書 at 16-20 pt have strokes 12-19 pt long, over
    MIN_RULE_PT), and taken as rules they cut the sample's 16 pt title and a 20 pt page of
    plain text into pieces, which the model read as 一, ● and garbage."""
    runs = [(r, True) for r in horizontal] + [(r, False) for r in vertical]
    kept = [max(r["width"], r["height"]) >= LONE_RULE_PT for r, _ in runs]
    todo = [i for i, k in enumerate(kept) if k]
    while todo:
        a, across = runs[todo.pop()]
        for j, (b, direction) in enumerate(runs):
            if not kept[j] and direction != across and _touches(a, b):
                kept[j] = True
                todo.append(j)
    return ([r for (r, h), k in zip(runs, kept) if k and h], [r for (r, h), k in zip(runs, kept) if k and not h])
