"""Glyphs to lines: what a reader sees, not how the PDF wrote it.

Real PDF writers draw fake bold by painting each glyph twice, spread
letters with character spacing, split Latin runs into separate strings,
write lines out of visual order and hide white text.  ``visible_chars``
drops what cannot be seen and doubled glyphs; ``chars_to_lines`` rebuilds
lines from geometry (never stream order).
"""

from __future__ import annotations

import functools
import re
import statistics
from typing import Iterable, Sequence

from ..models import Line
from ..settings import DEFAULT, Settings

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")

# Text render modes that paint nothing: 3 is invisible (OCR layers are
# written so), 7 only adds to the clipping path.  Both readers put the
# mode on each glyph as ``render_mode``.
INVISIBLE_RENDER_MODES = frozenset({3, 7})


@functools.lru_cache(maxsize=4096)
def font_family(fontname: str) -> str:
    return _SUBSET_PREFIX.sub("", fontname or "")


def is_white(color, space: str | None = None) -> bool:
    """Whether a fill or stroke colour draws nothing a reader sees, judged in its colour space.

    A Separation or DeviceN colour is a tint of ink: 1.0 is full ink (a ministry bid document
    fills its text with ``/Separation /Black`` at 1.0, which read as DeviceGray white lost all
    34,109 glyphs of the file), 0.0 is no ink.  Pattern and shading fills are visible.
    Without a named space the component count decides (1: gray, 3: RGB, 4: CMYK).
    """
    # Called for every glyph and rule; a page uses a handful of colours.
    try:
        return _is_white_cached(color, space)
    except TypeError:  # unhashable (pattern) colours
        return _is_white_uncached(color, space)


@functools.lru_cache(maxsize=1024)
def _is_white_cached(color, space) -> bool:
    return _is_white_uncached(color, space)


_INK_SPACES = ("Separation", "DeviceN")
_ALWAYS_VISIBLE_SPACES = ("Pattern", "Indexed", "Shading")


def _is_white_uncached(color, space=None) -> bool:
    if color is None:
        return False
    space = (space or "").lstrip("/")
    if space.startswith(_ALWAYS_VISIBLE_SPACES):
        return False
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        values = tuple(float(v) for v in color)
    except (TypeError, ValueError):  # pattern colours: assume visible
        return False
    if not values:
        return False
    if space.startswith(_INK_SPACES):  # tints: white is no ink in every colorant
        return all(v <= 0.01 for v in values)
    if len(values) == 1 or len(values) == 3:
        return all(v >= 0.99 for v in values)
    if len(values) == 4:  # CMYK: white is no ink at all
        return all(v <= 0.01 for v in values)
    return False


def is_invisible(char: dict) -> bool:
    """Text in a render mode that paints nothing, or white text, is not content."""
    return char.get("render_mode") in INVISIBLE_RENDER_MODES or is_white(char.get("non_stroking_color"), char.get("ncs"))


def visible_chars(chars: Iterable[dict], settings: Settings = DEFAULT) -> list[dict]:
    """Drop whitespace glyphs, invisible glyphs and fake-bold doubles."""
    return tally_visible_chars(chars, settings)[0]


def tally_visible_chars(chars: Iterable[dict], settings: Settings = DEFAULT) -> tuple[list[dict], dict]:
    """``visible_chars`` and what it dropped, by reason: the reading's side of
    the glyph ledger (``models.GlyphTally``).  ``painted`` counts what the
    census counts: glyphs that are not white space, in a render mode that
    paints; ``white`` and ``doubles`` are the painted ones left out."""
    kept: list[dict] = []
    painted = white = doubles = 0
    # Doubles are drawn right after their original or a whole line later;
    # a coarse spatial hash keeps this linear on dense pages.
    buckets: dict[tuple[str, int, int], list[dict]] = {}
    for ch in chars:
        text = ch["text"]
        if not text or text.isspace() or ch.get("render_mode") in INVISIBLE_RENDER_MODES:
            continue
        painted += 1
        if is_white(ch.get("non_stroking_color"), ch.get("ncs")):
            white += 1
            continue
        key = (text, int(ch["x0"] // 4), int(ch["top"] // 4))
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in buckets.get((text, key[1] + dx, key[2] + dy), ()):
                    if (
                        abs(other["x0"] - ch["x0"]) <= settings.fake_bold_tolerance
                        and abs(other["top"] - ch["top"]) <= settings.fake_bold_tolerance
                    ):
                        duplicate = True
                        break
                if duplicate:
                    break
            if duplicate:
                break
        if duplicate:
            doubles += 1
            continue
        buckets.setdefault(key, []).append(ch)
        kept.append(ch)
    return kept, {"painted": painted, "white": white, "doubles": doubles}


def is_latin(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c in "%&'-.,:/+")


def _join_chars(chars: Sequence[dict], settings: Settings) -> str:
    """Join one line's glyphs; a space only between Latin words.

    Gaps between CJK glyphs are letter-spacing (均等割り付け, Tc) or
    justification, never word spaces, so they vanish.  Between two Latin
    glyphs a gap clearly wider than the line's usual glyph gap is a word
    space (``in KAWASAKI``).
    """
    if not chars:
        return ""
    gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:])]
    typical = statistics.median(gaps) if gaps else 0.0
    out = [chars[0]["text"]]
    for prev, ch, gap in zip(chars, chars[1:], gaps):
        size = ch.get("size") or 8.0
        if (
            is_latin(prev["text"][-1])
            and is_latin(ch["text"][0])
            and gap > max(typical, 0.0) + settings.word_space_em * size
        ):
            out.append(" ")
        out.append(ch["text"])
    return "".join(out)


def group_lines(chars: Iterable[dict], settings: Settings = DEFAULT) -> list[list[dict]]:
    """Glyphs grouped into lines by their vertical centre, top to bottom, each sorted by x."""
    ordered = sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2)
    groups: list[list[dict]] = []
    centre = None
    for ch in ordered:
        mid = (ch["top"] + ch["bottom"]) / 2
        height = ch["bottom"] - ch["top"]
        if groups and abs(mid - centre) <= settings.line_centre_share * max(height, 1.0):
            groups[-1].append(ch)
        else:
            groups.append([ch])
            centre = mid
    for group in groups:
        group.sort(key=lambda c: c["x0"])
    return groups


def chars_to_lines(chars: Iterable[dict], settings: Settings = DEFAULT) -> list[Line]:
    """Group visible glyphs into lines by geometry, top to bottom, left to right."""
    lines = []
    for group in group_lines(chars, settings):
        sizes = [c.get("size") or 0.0 for c in group]
        # The font of the Japanese glyphs tells a bold name from its
        # description; Latin runs are often set in another font entirely.
        fonts = [font_family(c.get("fontname", "")) for c in group if not c["text"].isascii()] or [""]
        lines.append(
            Line(
                text=_join_chars(group, settings),
                x0=min(c["x0"] for c in group),
                top=min(c["top"] for c in group),
                x1=max(c["x1"] for c in group),
                bottom=max(c["bottom"] for c in group),
                size=statistics.median(sizes) if sizes else 0.0,
                font=max(set(fonts), key=fonts.count),
            )
        )
    return lines


