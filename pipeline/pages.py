"""One pass over a PDF page: its visible glyphs, its lines, its table regions.

Every later stage (locate, grid, narrative) works from this view, so a
page is parsed once however many stages look at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .engines.pdfplumber_engine import page_to_table_bboxes
from .models import BBox, Line
from .text import chars_to_lines, visible_chars


@dataclass(frozen=True)
class PageView:
    number: int  # 1-based
    width: float
    height: float
    chars: tuple[dict, ...]
    lines: tuple[Line, ...]
    table_bboxes: tuple[BBox, ...]
    page: Any  # the pdfplumber page, for engines that need its graphics

    @property
    def has_text(self) -> bool:
        return bool(self.chars)


def pdf_page_to_view(page, chars=None, graphics=None) -> PageView:
    """The view of a pdfplumber page; ``chars``/``graphics`` when another
    reader (pdfium_reader) already read them, so pdfminer never parses it."""
    chars = visible_chars(page.chars if chars is None else chars)
    return PageView(
        number=page.page_number,
        width=float(page.width),
        height=float(page.height),
        chars=tuple(chars),
        lines=tuple(chars_to_lines(chars)),
        table_bboxes=tuple(page_to_table_bboxes(page, graphics)),
        page=page,
    )
