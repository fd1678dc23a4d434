"""Glyphs to lines to cell text: what a reader sees, not how the PDF wrote it.

Real PDF writers draw fake bold by painting each glyph twice, spread
letters with character spacing, split Latin runs into separate strings,
write lines out of visual order and hide white text.  These functions
undo that: ``visible_chars`` drops what cannot be seen and doubled glyphs,
``chars_to_lines`` rebuilds lines from geometry (never stream order), and
``lines_to_text`` joins soft wraps while keeping item breaks.
"""

from __future__ import annotations

import functools
import re
import statistics
from typing import Iterable, Sequence

from .models import Line

# A glyph repeated within this distance (pt) is fake bold, not content.
# the quirks fixture draws the copy +0.3pt off; real word processors use 0.2-0.5pt,
# while two genuine adjacent glyphs are at least ~4pt apart at 8pt.
FAKE_BOLD_TOLERANCE = 1.0

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


@functools.lru_cache(maxsize=4096)
def font_family(fontname: str) -> str:
    return _SUBSET_PREFIX.sub("", fontname or "")


def _is_white(color) -> bool:
    # Called for every glyph and rule; a page uses a handful of colours.
    try:
        return _is_white_cached(color)
    except TypeError:  # unhashable (pattern) colours
        return _is_white_uncached(color)


@functools.lru_cache(maxsize=1024)
def _is_white_cached(color) -> bool:
    return _is_white_uncached(color)


def _is_white_uncached(color) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        values = tuple(float(v) for v in color)
    except (TypeError, ValueError):  # pattern colours: assume visible
        return False
    if len(values) == 1 or len(values) == 3:
        return all(v >= 0.99 for v in values)
    if len(values) == 4:  # CMYK: white is no ink at all
        return all(v <= 0.01 for v in values)
    return False


def is_invisible(char: dict) -> bool:
    """White text (and text drawn only as an invisible stroke) is not content."""
    return _is_white(char.get("non_stroking_color"))


def visible_chars(chars: Iterable[dict]) -> list[dict]:
    """Drop whitespace glyphs, invisible glyphs and fake-bold doubles."""
    kept: list[dict] = []
    # Doubles are drawn right after their original or a whole line later;
    # a coarse spatial hash keeps this linear on dense pages.
    buckets: dict[tuple[str, int, int], list[dict]] = {}
    for ch in chars:
        text = ch["text"]
        if not text or text.isspace() or is_invisible(ch):
            continue
        key = (text, int(ch["x0"] // 4), int(ch["top"] // 4))
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in buckets.get((text, key[1] + dx, key[2] + dy), ()):
                    if (
                        abs(other["x0"] - ch["x0"]) <= FAKE_BOLD_TOLERANCE
                        and abs(other["top"] - ch["top"]) <= FAKE_BOLD_TOLERANCE
                    ):
                        duplicate = True
                        break
                if duplicate:
                    break
            if duplicate:
                break
        if duplicate:
            continue
        buckets.setdefault(key, []).append(ch)
        kept.append(ch)
    return kept


def _is_latin(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c in "%&'-.,:/+")


def _join_chars(chars: Sequence[dict]) -> str:
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
        # 0.2em over the line's usual gap: a word space is ~0.25-0.33em.
        if (
            _is_latin(prev["text"][-1])
            and _is_latin(ch["text"][0])
            and gap > max(typical, 0.0) + 0.2 * size
        ):
            out.append(" ")
        out.append(ch["text"])
    return "".join(out)


def chars_to_lines(chars: Iterable[dict]) -> list[Line]:
    """Group visible glyphs into lines by geometry, top to bottom, left to right."""
    ordered = sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2)
    groups: list[list[dict]] = []
    centre = None
    for ch in ordered:
        mid = (ch["top"] + ch["bottom"]) / 2
        height = ch["bottom"] - ch["top"]
        # Glyphs of one line share a centre to within ~40% of their height
        # (mixed fonts and sizes shift baselines slightly, never that much).
        if groups and abs(mid - centre) <= 0.4 * max(height, 1.0):
            groups[-1].append(ch)
        else:
            groups.append([ch])
            centre = mid
    lines = []
    for group in groups:
        group.sort(key=lambda c: c["x0"])
        sizes = [c.get("size") or 0.0 for c in group]
        # The font of the Japanese glyphs tells a bold name from its
        # description; Latin runs are often set in another font entirely.
        fonts = [font_family(c.get("fontname", "")) for c in group if not c["text"].isascii()] or [""]
        lines.append(
            Line(
                text=_join_chars(group),
                x0=min(c["x0"] for c in group),
                top=min(c["top"] for c in group),
                x1=max(c["x1"] for c in group),
                bottom=max(c["bottom"] for c in group),
                size=statistics.median(sizes) if sizes else 0.0,
                font=max(set(fonts), key=fonts.count),
            )
        )
    return lines


# What starts an item or a block: bullets, circled sub-points, 【…】 block
# headers and the (参考) line of a result rating.
ITEM_BULLETS = "●・○◯〇◎■□◆◇▪▫•※"
_CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))  # ①..⑳
_STARTS_ITEM = re.compile(rf"^([{re.escape(ITEM_BULLETS)}{_CIRCLED}【]|[(（]参考[)）])")


def label_of(text: str) -> str | None:
    """The LABEL of a line that is one bracketed label, ``(LABEL)``; else None.

    Brackets may nest (``(融資(仮称))``): the opening bracket must close at
    the very end of the line, so ``(仮称)センター(A)`` is not a label.
    """
    text = text.strip()
    if len(text) < 3 or text[0] not in "(（" or text[-1] not in ")）":
        return None
    depth = 0
    for i, c in enumerate(text):
        depth += 1 if c in "(（" else -1 if c in ")）" else 0
        if depth == 0 and i < len(text) - 1:
            return None
    if depth != 0:
        return None
    return text[1:-1].strip() or None


def starts_item(text: str) -> bool:
    return bool(_STARTS_ITEM.match(text)) or label_of(text) is not None


def _unbalanced(text: str) -> bool:
    return text.count("(") + text.count("（") > text.count(")") + text.count("）")


MEASURE_MARKS = "○◯〇"
_LEADING_RUN = re.compile(r"^[^\u3040-\u30ff\u3400-\u9fff]+")


def _run_width(text: str, size: float) -> float:
    """Estimated width of the unbreakable Latin/number run a line starts with.

    Writers wrap such runs (``(16,363㎡)``) whole, so the line above may end
    short although it is a soft wrap (the spreadsheet fixture page 10).
    """
    m = _LEADING_RUN.match(text)
    if not m:
        return size  # one CJK glyph
    return sum(0.5 * size if c.isascii() else size for c in m.group(0))


def _is_hard_break(prev: Line, line: Line, ctx: dict) -> bool:
    size = prev.size or 8.0
    full = prev.x1 >= ctx["fill"] - 1.5 * size
    if starts_item(line.text):
        if label_of(line.text) is not None and (_unbalanced(prev.text) or full):
            # "(…)" completing a bracket opened above, or a bracketed count
            # wrapped onto its own line after a full one: "…の開催" + "(5社)".
            return False
        # A middle dot opening a wrapped line inside a ●-list is 協議・調整
        # broken at the dot, not a new bullet.
        if line.text[0] == "・" and ctx["bullet"] not in ("・", None) and full:
            return False
        return True
    if ctx["prev_is_label"] or prev.text.endswith("】"):
        return True
    if line.font and prev.font and line.font != prev.font:
        return True
    if prev.text[:1] in MEASURE_MARKS and not ctx["fonts_vary"]:
        # Without a typographic cue, a full ○ line continues only into a
        # short tail that is no sentence (the spreadsheet fixture: 「…環境の」+「向上」);
        # a full next line is the description.
        full = prev.x1 >= ctx["fill"] - 1.5 * size
        tail = line.x1 < ctx["fill"] - 1.5 * size and not line.text.endswith("。")
        return not (full and tail)
    if ctx["centred"](prev) and ctx["centred"](line):
        return True
    if line.x0 > ctx["item_x0"] + 0.5 * size:
        return False  # hanging indent: the item goes on
    return prev.x1 + _run_width(line.text, size) < ctx["fill"] - 0.5 * size


def lines_to_text(lines: Sequence[Line], cell_x0: float, cell_x1: float) -> str:
    """Join soft-wrapped lines; keep a ``\\n`` where a new item or paragraph starts.

    A break is hard when the next line starts an item (bullet, ①, 【, a
    ``(LABEL)`` line), when the font family changes (a bold name above its
    description), when both lines are centred (labels), or when the line
    above stops short of the text's right edge by more than the next line's
    first word (a paragraph end).  A line indented under its bullet
    (hanging indent) always continues the item.
    """
    if not lines:
        return ""
    # Text overflowing the border must not define the fill edge.
    inside = [ln.x1 for ln in lines if ln.x1 <= cell_x1 + 0.5]
    centre = (cell_x0 + cell_x1) / 2

    def centred(ln: Line) -> bool:
        size = ln.size or 8.0
        return abs((ln.x0 + ln.x1) / 2 - centre) < 0.75 * size and ln.x0 - cell_x0 > 2 * size

    ctx = {
        "fill": max(inside) if inside else cell_x1,
        "bullet": lines[0].text[0] if lines[0].text[:1] in ITEM_BULLETS else None,
        "fonts_vary": len({ln.font for ln in lines if ln.font}) > 1,
        "centred": centred,
        "item_x0": lines[0].x0,
        "prev_is_label": label_of(lines[0].text) is not None,
    }
    parts = [lines[0].text]
    for prev, line in zip(lines, lines[1:]):
        if _is_hard_break(prev, line, ctx):
            parts.append("\n" + line.text)
            ctx["item_x0"] = line.x0
            ctx["prev_is_label"] = label_of(line.text) is not None
            continue
        ctx["prev_is_label"] = False
        if _is_latin(prev.text[-1]) and _is_latin(line.text[0]):
            parts.append(" " + line.text)
        else:
            parts.append(line.text)
    return "".join(parts)
