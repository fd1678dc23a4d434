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
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, Optional

from ..models import Line
from ..settings import Settings

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")

# Text render modes that paint nothing: 3 is invisible (OCR layers are
# written so), 7 only adds to the clipping path.  Both readers put the
# mode on each glyph as ``render_mode``.
INVISIBLE_RENDER_MODES = frozenset({3, 7})


@functools.lru_cache(maxsize=4096)
def font_family(fontname: str) -> str:
    return _SUBSET_PREFIX.sub("", fontname or "")


def is_white(color: Any, space: str | None = None) -> bool:
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
def _is_white_cached(color: Any, space: str | None) -> bool:
    return _is_white_uncached(color, space)


_INK_SPACES = ("Separation", "DeviceN")
_ALWAYS_VISIBLE_SPACES = ("Pattern", "Indexed", "Shading")


def _is_white_uncached(color: Any, space: str | None = None) -> bool:
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


def luminance(color: Any, space: str | None = None) -> float | None:
    """How light a fill is, 0 (black) to 1 (white); None where the space cannot tell
    (patterns, shadings, indexed colours)."""
    space = (space or "").lstrip("/")
    if color is None or space.startswith(_ALWAYS_VISIBLE_SPACES):
        return None
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        values = tuple(float(v) for v in color)
    except (TypeError, ValueError):
        return None
    if space.startswith(_INK_SPACES) and values:  # a tint: 1.0 is full ink
        return 1.0 - max(values)
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        r, g, b = values
        return 0.299 * r + 0.587 * g + 0.114 * b
    if len(values) == 4:
        c, m, y, k = values
        return (1 - min(1.0, c + k)) * 0.299 + (1 - min(1.0, m + k)) * 0.587 + (1 - min(1.0, y + k)) * 0.114
    return None


def dark_fills(graphics: Iterable[dict], settings: Settings) -> list[tuple[float, float, float, float]]:
    """Boxes of the filled shapes white text shows on (a header row printed white on a dark band)."""
    out = []
    for obj in graphics:
        if not obj.get("fill") or obj.get("object_type") not in ("rect", "curve"):
            continue
        light = luminance(obj.get("non_stroking_color"), obj.get("ncs"))
        if light is not None and light <= settings.dark_fill_luminance:
            out.append((obj["x0"], obj["top"], obj["x1"], obj["bottom"]))
    return out


def _on_fill(ch: dict, fills: Sequence[tuple[float, float, float, float]]) -> bool:
    x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in fills)


def is_invisible(char: dict) -> bool:
    """Text in a render mode that paints nothing, or white text, is not content."""
    return char.get("render_mode") in INVISIBLE_RENDER_MODES or is_white(char.get("non_stroking_color"), char.get("ncs"))


def glyph_direction(degrees: float) -> Optional[int]:
    """A glyph's turn as displayed, counter-clockwise, as 0, 90, 180 or 270
    (90: the line reads upwards); None when it is turned by another angle."""
    quarter = round(degrees / 90)
    if abs(degrees - 90 * quarter) >= 0.5:
        return None
    return (quarter % 4) * 90


def visible_chars(chars: Iterable[dict], settings: Settings) -> list[dict]:
    """Drop whitespace glyphs, invisible glyphs and fake-bold doubles."""
    return tally_visible_chars(chars, settings)[0]


def tally_visible_chars(chars: Iterable[dict], settings: Settings,
                        fills: Sequence[tuple[float, float, float, float]] = ()) -> tuple[list[dict], dict]:
    """``visible_chars`` and what it dropped, by reason: the reading's side of
    the glyph ledger (``models.GlyphTally``).  ``painted`` counts what the
    census counts: glyphs that are not white space, in a render mode that
    paints; ``white`` and ``doubles`` are the painted ones left out.  White
    text on one of the dark ``fills`` (``dark_fills``) is seen, so kept."""
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
        if is_white(ch.get("non_stroking_color"), ch.get("ncs")) and not (fills and _on_fill(ch, fills)):
            white += 1
            continue
        key = (text, int(ch["x0"] // 4), int(ch["top"] // 4))
        duplicate = False
        # Relative to the printed size: 4pt text sets two 'i' 0.9pt apart.
        # The 4pt buckets hold every copy closer than 4pt (sizes up to 33pt).
        tolerance = min(settings.fake_bold_em * glyph_size(ch), 4.0)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in buckets.get((text, key[1] + dx, key[2] + dy), ()):
                    if (
                        abs(other["x0"] - ch["x0"]) <= tolerance
                        and abs(other["top"] - ch["top"]) <= tolerance
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


def is_cjk(c: str) -> bool:
    """Han, kana, CJK punctuation and full-width forms: never separated by a space."""
    if not c:
        return False
    code = ord(c)
    if 0x3000 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF:
        return True
    if 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x3FFFF or 0x31F0 <= code <= 0x31FF:
        return True
    return unicodedata.east_asian_width(c) in ("W", "F")


def spaces_words(c: str) -> bool:
    """A character of a script that separates words by spaces (Latin,
    accented Latin, Greek, Cyrillic, Arabic, digits, ASCII punctuation),
    judged without its printed width: not CJK, and not one of the East Asian
    ambiguous symbols (○ ※ ① ≧) that Japanese text sets full-width."""
    if not c or c.isspace() or is_cjk(c):
        return False
    return unicodedata.east_asian_width(c) != "A" or ord(c) < 0x2000


def glyph_size(ch: dict) -> float:
    """The printed size of a glyph: its ``size`` (both readers take it from the
    glyph's matrix), else its box height (OCR'd glyphs)."""
    return ch.get("size") or (ch["bottom"] - ch["top"]) or 8.0


def _sets_as_cjk(ch: dict, c: str, settings: Settings) -> bool:
    """Whether glyph ``ch`` (whose character ``c`` is the one facing the gap)
    is set like CJK: a CJK character, or one of the East Asian *ambiguous*
    characters (○ ● ※ ① △ → ≧, but also é and ≥) printed full-width, as a
    Japanese font prints them.  The same ``≥`` or ``é`` in a Latin font is
    narrow and is Latin text, where spaces are kept; so is a dash, which
    Latin fonts print one em wide too."""
    if is_cjk(c):
        return True
    if unicodedata.east_asian_width(c) != "A" or unicodedata.category(c) == "Pd":
        return False
    return bool(ch["x1"] - ch["x0"] >= settings.full_width_em * glyph_size(ch))


def join_line(chars: Sequence[dict], settings: Settings) -> str:
    """One line's glyphs (sorted by x) as text: the one joiner of every reading.

    Gaps beside a CJK glyph are letter-spacing (均等割り付け, Tc) or
    justification, never word spaces, so they vanish.  Between two glyphs of
    any other script (Latin, Arabic, digits, brackets, ``≥``, dashes,
    accented letters), a gap wider than ``settings.word_space_em`` of the
    printed glyph size is a word space: ``Men (≥ 18yrs)`` keeps its spaces,
    ``KPI 2024`` too, while kerning (0.04 em) and PDFium's box rounding do not
    make one.
    """
    out: list[str] = []
    prev = None
    for ch in chars:
        text = ch["text"]
        if prev is not None and text:
            gap = ch["x0"] - prev["x1"]
            size = max(glyph_size(prev), glyph_size(ch))
            if (
                gap > settings.word_space_em * size
                and not _sets_as_cjk(prev, prev["text"][-1:], settings)
                and not _sets_as_cjk(ch, text[:1], settings)
            ):
                out.append(" ")
        out.append(text)
        prev = ch
    return "".join(out)


def group_lines(chars: Iterable[dict], settings: Settings) -> list[list[dict]]:
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


def chars_to_lines(chars: Iterable[dict], settings: Settings) -> list[Line]:
    """Group visible glyphs into lines by geometry, top to bottom, left to right."""
    lines = []
    for group in group_lines(chars, settings):
        sizes = [c.get("size") or 0.0 for c in group]
        # The font of the Japanese glyphs tells a bold name from its
        # description; Latin runs are often set in another font entirely.
        fonts = [font_family(c.get("fontname", "")) for c in group if not c["text"].isascii()] or [""]
        lines.append(
            Line(
                text=join_line(group, settings),
                x0=min(c["x0"] for c in group),
                top=min(c["top"] for c in group),
                x1=max(c["x1"] for c in group),
                bottom=max(c["bottom"] for c in group),
                size=statistics.median(sizes) if sizes else 0.0,
                font=max(set(fonts), key=fonts.count),
            )
        )
    return lines


