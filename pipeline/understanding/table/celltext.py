"""A cell's lines to its text: soft wraps joined, item breaks kept as ``\\n``.

Whether a line break is hard (a new item or paragraph) or soft (the text
wrapped) is decided from what the line says (a bullet, ①, 【, a (LABEL)
line) and where the lines end (a line stopping short of the text's right
edge ended its paragraph; a line hanging under its bullet continues it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Line
from ...reading.glyphs import spaces_words
from ...settings import Settings
from ...vocabulary import BULLETS, MEASURE_MARKS, NOTE_MARK, label_of, starts_item, unbalanced

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


def _is_hard_break(prev: Line, line: Line, ctx: dict, settings: Settings) -> bool:
    size = prev.size or 8.0
    full = prev.x1 >= ctx["fill"] - settings.full_line_em * size
    if starts_item(line.text):
        if label_of(line.text) is not None and (unbalanced(prev.text) or full):
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
        full = prev.x1 >= ctx["fill"] - settings.full_line_em * size
        tail = line.x1 < ctx["fill"] - settings.full_line_em * size and not line.text.endswith("。")
        return not (full and tail)
    if ctx["centred"](prev) and ctx["centred"](line):
        return True
    if line.x0 > ctx["item_x0"] + settings.hanging_indent_em * size:
        return False  # hanging indent: the item goes on
    return prev.x1 + _run_width(line.text, size) < ctx["fill"] - settings.paragraph_end_em * size


def lines_to_text(lines: Sequence[Line], cell_x0: float, cell_x1: float, settings: Settings) -> str:
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
        "bullet": lines[0].text[0] if lines[0].text[:1] in BULLETS + NOTE_MARK else None,
        "fonts_vary": len({ln.font for ln in lines if ln.font}) > 1,
        "centred": centred,
        "item_x0": lines[0].x0,
        "prev_is_label": label_of(lines[0].text) is not None,
    }
    parts = [lines[0].text]
    for prev, line in zip(lines, lines[1:]):
        if _is_hard_break(prev, line, ctx, settings):
            parts.append("\n" + line.text)
            ctx["item_x0"] = line.x0
            ctx["prev_is_label"] = label_of(line.text) is not None
            continue
        ctx["prev_is_label"] = False
        # A wrapped line of Latin (or Arabic, or mixed) text goes on after a
        # word space, ``(No. of`` + ``individuals)``; CJK wraps anywhere and
        # takes none; a word broken at its hyphen (``2011-`` + ``12)``) none.
        if spaces_words(prev.text[-1]) and spaces_words(line.text[0]) and prev.text[-1] != "-":
            parts.append(" " + line.text)
        else:
            parts.append(line.text)
    return "".join(parts)
