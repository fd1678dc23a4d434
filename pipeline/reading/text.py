"""A page's visible glyphs as plain text lines, the way sesaku reads them.

Pure: glyph dicts in, strings out.  Lines come from the same grouping as
the rest of the pipeline (``glyphs.group_lines``); within a line, CJK
glyphs are joined without spaces (their gaps are letter-spacing), and a
space separates two non-CJK glyphs whose gap is a word space: wider than
``settings.word_space_em`` of the font size (a space glyph is about a
quarter em, narrower than the glyphs it separates, so "one glyph width"
would lose real word spaces such as ``KPI 2024``).
"""

from __future__ import annotations

import unicodedata
from typing import Iterable, Sequence

from ..settings import DEFAULT, Settings
from .glyphs import group_lines


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


def join_line(chars: Sequence[dict], settings: Settings = DEFAULT) -> str:
    """One line's glyphs (sorted by x) as text."""
    out: list[str] = []
    prev = None
    for ch in chars:
        text = ch["text"]
        if prev is not None and text:
            gap = ch["x0"] - prev["x1"]
            a, b = prev["text"][-1:], text[:1]
            size = max(prev.get("size") or 8.0, ch.get("size") or 8.0)
            if not is_cjk(a) and not is_cjk(b) and gap > settings.word_space_em * size:
                out.append(" ")
        out.append(text)
        prev = ch
    return "".join(out)


def page_text(chars: Iterable[dict], settings: Settings = DEFAULT) -> list[str]:
    """The page's lines, top to bottom, each left to right."""
    return [join_line(group, settings) for group in group_lines(chars, settings)]
