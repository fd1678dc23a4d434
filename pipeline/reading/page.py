"""Glyphs and graphics of one page, from whichever reader, to its PageView.

Every later stage (locate, grid, narrative) works from the view, so a
page is read once however many stages look at it.

A page whose text is mostly printed turned (a landscape table set on a
portrait page, camelot's clockwise and anticlockwise tables) is turned
here so that its text is upright: glyphs, rules and image rules alike, so
tables, text and every model see an upright page.  The view records the
turn (``PageView.turned``) and ``unturn_box`` maps a box back onto the
page as displayed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from normalizers.lookalikes import unlookalike

from ..models import GlyphTally, PageView
from ..settings import Settings
from .glyphs import chars_to_lines, dark_fills, tally_visible_chars
from .rules import graphics_to_rules, rules_to_tables


def _without_lookalikes(chars: Iterable[dict]) -> Iterable[dict]:
    # Both readers (PDFium and pdfminer) pass here, so a writer's look-alike code points
    # (Kangxi radicals from Chromium's ToUnicode) are mapped once, whichever read the page.
    for ch in chars:
        text = ch.get("text") or ""
        mapped = unlookalike(text)
        yield ch if mapped == text else {**ch, "text": mapped}


def page_direction(chars: Sequence[dict], settings: Settings) -> int:
    """The direction most of the page's glyphs are printed in (0, 90, 180 or
    270 degrees counter-clockwise), when more than ``turned_text_share`` of
    them share it; else 0.  Vertical Japanese keeps its glyphs upright (only
    Latin runs inside it are turned), so it is not turned."""
    if not chars:
        return 0
    counts = Counter(c.get("direction") for c in chars if c.get("direction"))
    if not counts:
        return 0
    direction, n = counts.most_common(1)[0]
    return int(direction or 0) if n > settings.turned_text_share * len(chars) else 0


def turn_point(x: float, top: float, turned: int, width: float, height: float) -> tuple[float, float]:
    """A point of the page as displayed (``width`` x ``height``) in the frame
    where text printed in direction ``turned`` is upright."""
    if turned == 90:
        return height - top, x
    if turned == 270:
        return top, width - x
    if turned == 180:
        return width - x, height - top
    return x, top


def turn_box(box: Sequence[float], turned: int, width: float, height: float) -> tuple[float, float, float, float]:
    """``turn_point`` for a box (x0, top, x1, bottom)."""
    ax, at = turn_point(box[0], box[1], turned, width, height)
    bx, bt = turn_point(box[2], box[3], turned, width, height)
    return (min(ax, bx), min(at, bt), max(ax, bx), max(at, bt))


def unturn_box(box: Sequence[float], turned: int, width: float, height: float) -> tuple[float, float, float, float]:
    """A box of a turned view back on the page as displayed (``width`` x
    ``height`` are the displayed page's, before the turn)."""
    back = {90: 270, 270: 90}.get(turned, turned)
    if turned in (90, 270):
        width, height = height, width
    return turn_box(box, back, width, height)


def _turn_object(obj: dict, turned: int, width: float, height: float) -> dict:
    x0, top, x1, bottom = turn_box((obj["x0"], obj["top"], obj["x1"], obj["bottom"]), turned, width, height)
    out = {**obj, "x0": x0, "top": top, "x1": x1, "bottom": bottom}
    if "width" in obj:
        out["width"], out["height"] = x1 - x0, bottom - top
    if "doctop" in obj:
        out["doctop"] = top
    if obj.get("pts"):
        out["pts"] = [turn_point(px, pt, turned, width, height) for px, pt in obj["pts"]]
    if obj.get("object_type") == "char":
        d = obj.get("direction")
        out["direction"] = None if d is None else (d - turned) % 360
        out["upright"] = out["direction"] == 0
    return out


def page_to_view(
    number: int,
    width: float,
    height: float,
    chars: Iterable[dict],
    graphics: Iterable[dict],
    *,
    has_images: bool = False,
    origin: tuple[float, float] = (0.0, 0.0),
    settings: Settings,
    image_rules: tuple[list[dict], list[dict]] = ([], []),
) -> PageView:
    graphics = list(graphics)
    chars, dropped = tally_visible_chars(_without_lookalikes(chars), settings, dark_fills(graphics, settings))
    turned = page_direction(chars, settings)
    if turned:
        def turn(objs: Iterable[dict]) -> list[dict]:
            return [_turn_object(o, turned, width, height) for o in objs]

        chars, graphics = turn(chars), turn(graphics)
        # A turned image rule runs the other way: a horizontal one becomes vertical.
        flat, upright = turn(image_rules[0]), turn(image_rules[1])
        image_rules = (upright, flat) if turned in (90, 270) else (flat, upright)
        if turned in (90, 270):
            width, height = height, width
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
        turned=turned,
    )
