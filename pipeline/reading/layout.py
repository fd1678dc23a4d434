"""Page layout: a sheet printing two pages side by side, read as its two halves.

Budget books are often published as spreads: two A4 pages printed side by
side on one A3 landscape sheet (a city budget book of 408 such pages
was the case in point).  Read as one page, the two pages' tables, captions and
page numbers interleave; read as two, each half is a page of its own and a
table goes on from the left half to the right one as from page to page.

A sheet is two-up when its geometry says so, never its words:

- it is landscape, and a vertical gutter at least ``two_up_gutter`` wide
  holds its middle: no glyph, no horizontal rule and no ruled table
  crosses it (a page of one wide table, or with one centred page number
  or title, is never cut);
- each half shows itself a page: each holds its own page number (a line
  of only a number, ``14``, ``- 2 -``, in the half's top or bottom margin
  band), or each holds its own frame (a ruled table at least
  ``two_up_frame_share`` of the sheet's height).

The halves are PageViews of the same page number, in the sheet's
coordinates (nothing is moved), each with the glyphs, lines, rules and
ruled tables of its side; the glyph ledger stays with the whole sheet.
"""

from __future__ import annotations

import dataclasses
import re

from ..models import GlyphTally, PageView
from ..settings import Settings
from .glyphs import chars_to_lines

# A running page number: digits alone, or between dashes, brackets or "P." (- 2 -, －３－, (14), P.14).
_PAGE_NUMBER = re.compile(r"^[\s\-－‐―—ー(（〔\[]*(?:[pP]\.?\s*)?[0-9０-９]{1,4}[\s\-－‐―—ー)）〕\]]*$")


def _occupied(view: PageView) -> list[tuple[float, float]]:
    """The x extents of everything printed across the page: glyphs, horizontal rules, ruled tables."""
    spans = [(c["x0"], c["x1"]) for c in view.chars]
    spans += [(r["x0"], r["x1"]) for r in view.rules[0]]
    spans += [(t.bbox[0], t.bbox[2]) for t in view.ruled_tables]
    return spans


def gutter(view: PageView, settings: Settings) -> tuple[float, float] | None:
    """The empty vertical band holding the middle of the page, if at least ``two_up_gutter`` wide."""
    middle = view.width / 2 + view.origin[0]
    left, right = view.origin[0], view.origin[0] + view.width
    for x0, x1 in _occupied(view):
        if x0 <= middle <= x1:
            return None
        if x1 < middle:
            left = max(left, x1)
        else:
            right = min(right, x0)
    return (left, right) if right - left >= settings.two_up_gutter else None


def _has_page_number(half: PageView, settings: Settings) -> bool:
    band = settings.margin_band_share * half.height
    return any(
        (line.bottom <= band or line.top >= half.height - band) and _PAGE_NUMBER.match(line.text)
        for line in half.lines
    )


def _has_frame(view: PageView, x0: float, x1: float, settings: Settings) -> bool:
    tall = settings.two_up_frame_share * view.height
    return any(x0 <= t.bbox[0] and t.bbox[2] <= x1 and t.bbox[3] - t.bbox[1] >= tall for t in view.ruled_tables)


def _side(view: PageView, x0: float, x1: float, tally: GlyphTally, settings: Settings) -> PageView:
    def inside(a: float, b: float) -> bool:
        return x0 <= (a + b) / 2 <= x1

    chars = tuple(c for c in view.chars if inside(c["x0"], c["x1"]))
    return dataclasses.replace(
        view,
        chars=chars,
        # Lines again from the half's glyphs: the sheet's lines run across the gutter
        # (both halves' page numbers on one baseline are one line).
        lines=tuple(chars_to_lines(chars, settings)),
        rules=tuple(tuple(r for r in rules if inside(r["x0"], r["x1"])) for rules in view.rules),  # type: ignore[arg-type]
        ruled_tables=tuple(t for t in view.ruled_tables if inside(t.bbox[0], t.bbox[2])),
        tally=tally,
    )


def split_two_up(view: PageView, settings: Settings) -> tuple[PageView, ...]:
    """The page as read: ``(view,)``, or its left and right halves when it is two-up.

    The left half keeps the page's glyph ledger, the right one an empty one,
    so that summing the halves' ledgers counts the sheet once.
    """
    if view.width <= view.height or not view.chars:
        return (view,)
    found = gutter(view, settings)
    if found is None:
        return (view,)
    cut = (found[0] + found[1]) / 2
    left_x, right_x = view.origin[0], view.origin[0] + view.width
    halves = (_side(view, left_x, cut, view.tally, settings), _side(view, cut, right_x, GlyphTally(), settings))
    numbered = all(_has_page_number(half, settings) for half in halves)
    framed = all(_has_frame(view, a, b, settings) for a, b in ((left_x, cut), (cut, right_x)))
    return halves if numbered or framed else (view,)


__all__ = ["gutter", "split_two_up"]
