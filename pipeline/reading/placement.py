"""Are the glyphs where the reader says?  A cheap check of a page's placement.

The glyph census (``census``) checks that every glyph arrived; this checks
that they arrived in the right place.  Printed glyphs do not overlap one
another: a line's glyphs stand side by side, and the next line starts
below this one's boxes.  A reader that takes the wrong size or origin for
a glyph (PDFium's font-size operand for a glyph drawn ``50 Tf`` through a
0.18 matrix, 50pt boxes for 9pt text spanning three lines) gives boxes
that overlap their neighbours on other lines.  So the share of glyphs
whose box covers much of another glyph's box is the signal; it needs no
other reader and costs a sort and a sweep per line.

When the signal fires on a page PDFium read, the page's line structure is
compared with pdfminer's (``reading.document``): where they differ, the
page is read with pdfminer and the run report says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..settings import Settings


def _area(a: dict) -> float:
    return float(max(a["x1"] - a["x0"], 0.0) * max(a["bottom"] - a["top"], 0.0))


def overlapping_glyphs(chars: Sequence[dict], settings: Settings, enough: int = 0) -> int:
    """How many glyphs have a box covering more than ``glyph_overlap_share``
    of another glyph's box (the smaller of the two); counting stops past
    ``enough`` when it is given.

    Glyphs of one line share a band (their top and bottom), so the work is
    a sweep along x within each band and between the few bands that overlap
    by more than that share of their height: on a printed page the next
    band starts where this one ends, and nothing is compared twice."""
    share = settings.glyph_overlap_share
    bands: dict[tuple[float, float], list[dict]] = {}
    for c in chars:
        bands.setdefault((round(c["top"], 1), round(c["bottom"], 1)), []).append(c)
    keys = sorted(bands)
    for key in keys:
        bands[key].sort(key=lambda c: c["x0"])
    hit: set[int] = set()

    def sweep(upper: list[dict], lower: list[dict], same: bool) -> bool:
        for n, a in enumerate(upper):
            for b in (lower[n + 1:] if same else lower):
                if b["x0"] >= a["x1"]:
                    break
                w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                if w > 0 and h > 0 and w * h > share * min(_area(a), _area(b)):
                    hit.update((id(a), id(b)))
                    if enough and len(hit) > enough:
                        return True
        return False

    for k, (top, bottom) in enumerate(keys):
        if sweep(bands[(top, bottom)], bands[(top, bottom)], True):
            return len(hit)
        for other in keys[k + 1:]:
            if other[0] >= bottom:
                break  # bands are sorted by top: no later one reaches into this
            h = min(bottom, other[1]) - other[0]
            if h <= share * min(bottom - top, other[1] - other[0]):
                continue  # too little of the height in common for any pair to count
            if sweep(bands[(top, bottom)], bands[other], False):
                return len(hit)
    return len(hit)


def misplaced_signal(chars: Sequence[dict], settings: Settings) -> bool:
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
