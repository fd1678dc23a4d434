"""Are the glyphs where the reader says?  A cheap check of a page's placement.

The glyph census (``census``) checks that every glyph arrived; this checks
that they arrived in the right place.  Printed glyphs do not overlap one
another: a line's glyphs stand side by side, and the next line starts
below this one's boxes.  A reader that takes the wrong size or origin for
a glyph (PDFium's font-size operand for a glyph drawn ``50 Tf`` through a
0.18 matrix, 50pt boxes for 9pt text spanning three lines) gives boxes
that overlap their neighbours on other lines.  So the share of glyphs
whose box covers much of another glyph's box is the signal; it needs no
other reader and costs one pass over a spatial hash.

When the signal fires on a page PDFium read, the page's line structure is
compared with pdfminer's (``reading.document``): where they differ, the
page is read with pdfminer and the run report says so.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from ..settings import DEFAULT, Settings

# Spatial hash cell, in points: about a line of body text, so a glyph's box
# falls in one to four cells (a 50pt box in ~50).
_CELL = 10.0


def _area(a: dict) -> float:
    return max(a["x1"] - a["x0"], 0.0) * max(a["bottom"] - a["top"], 0.0)


def overlapping_glyphs(chars: Sequence[dict], settings: Settings = DEFAULT, enough: int = 0) -> int:
    """How many glyphs have a box covering more than ``glyph_overlap_share``
    of another glyph's box (the smaller of the two); counting stops past
    ``enough`` when it is given."""
    grid: dict[tuple[int, int], list[int]] = {}
    cells = []
    for i, c in enumerate(chars):
        gx0, gy0 = int(c["x0"] // _CELL), int(c["top"] // _CELL)
        gx1, gy1 = int(c["x1"] // _CELL), int(c["bottom"] // _CELL)
        cells.append((gx0, gy0))
        for gx in range(gx0, gx1 + 1):
            for gy in range(gy0, gy1 + 1):
                grid.setdefault((gx, gy), []).append(i)
    hit: set[int] = set()
    share = settings.glyph_overlap_share
    for (gx, gy), members in grid.items():
        if len(members) < 2:
            continue
        for n, i in enumerate(members):
            a = chars[i]
            for j in members[n + 1:]:
                # Each pair once: in the cell holding the top-left corner of
                # the two boxes' intersection.
                if (max(cells[i][0], cells[j][0]), max(cells[i][1], cells[j][1])) != (gx, gy):
                    continue
                b = chars[j]
                w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                if w <= 0 or h <= 0:
                    continue
                smaller = min(_area(a), _area(b))
                if w * h > share * smaller:
                    hit.update((i, j))
                    if enough and len(hit) > enough:
                        return len(hit)
    return len(hit)


def misplaced_signal(chars: Sequence[dict], settings: Settings = DEFAULT) -> bool:
    """Whether a page's glyph boxes overlap more than printed text does."""
    if len(chars) < settings.placement_min_glyphs:
        return False
    limit = int(settings.placement_overlap_share * len(chars))
    return overlapping_glyphs(chars, settings, enough=limit) > limit


def same_lines_share(lines: Sequence[str], reference: Sequence[str]) -> float:
    """The share of ``reference``'s non-empty lines that ``lines`` has, identically."""
    theirs = Counter(x for x in reference if x.strip())
    if not theirs:
        return 1.0
    ours = Counter(x for x in lines if x.strip())
    return sum((ours & theirs).values()) / sum(theirs.values())


__all__ = ["misplaced_signal", "overlapping_glyphs", "same_lines_share"]
