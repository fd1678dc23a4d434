"""Glyphs and graphics of one page, from whichever reader, to its PageView.

Every later stage (locate, grid, narrative) works from the view, so a
page is read once however many stages look at it.
"""

from __future__ import annotations

from typing import Iterable

from normalizers.lookalikes import unlookalike

from ..models import GlyphTally, PageView
from ..settings import DEFAULT, Settings
from .glyphs import chars_to_lines, tally_visible_chars
from .rules import graphics_to_rules, rules_to_tables


def _without_lookalikes(chars: Iterable[dict]) -> Iterable[dict]:
    # Both readers (PDFium and pdfminer) pass here, so a writer's look-alike code points
    # (Kangxi radicals from Chromium's ToUnicode) are mapped once, whichever read the page.
    for ch in chars:
        text = ch.get("text") or ""
        mapped = unlookalike(text)
        yield ch if mapped == text else {**ch, "text": mapped}


def page_to_view(
    number: int,
    width: float,
    height: float,
    chars: Iterable[dict],
    graphics: Iterable[dict],
    *,
    has_images: bool = False,
    origin: tuple[float, float] = (0.0, 0.0),
    settings: Settings = DEFAULT,
    image_rules: tuple[list[dict], list[dict]] = ([], []),
) -> PageView:
    chars, dropped = tally_visible_chars(_without_lookalikes(chars), settings)
    horizontal, vertical = graphics_to_rules(graphics, settings)
    horizontal, vertical = horizontal + list(image_rules[0]), vertical + list(image_rules[1])
    return PageView(
        number=number,
        width=float(width),
        height=float(height),
        chars=tuple(chars),
        lines=tuple(chars_to_lines(chars, settings)),
        rules=(tuple(horizontal), tuple(vertical)),
        ruled_tables=rules_to_tables(horizontal, vertical, settings),
        has_images=has_images,
        origin=origin,
        tally=GlyphTally(**dropped),
    )
