"""Evaluation sheets drawn for tests: ruled blocks of cells and free lines, on A4 pages.

    from sheetsynth import Block, Page, build_sheet_pdf, C

    block = Block(x0=40, top=80, widths=[80, 60, 60], heights=[18, 18], cells=[
        C(0, 0, "区分"), C(0, 1, "R5年度"), C(0, 2, "R6年度"),
        C(1, 0, "事業費"), C(1, 1, "1,200"), C(1, 2, "1,300"),
    ])
    build_sheet_pdf(tmp_path / "s.pdf", [Page(blocks=[block], lines=[Text(40, 40, "令和7年度事業評価シート")])])

Text is reportlab's built-in CID fonts (not embedded: what a reader meets in
the real world), wrapped per character inside its cell; a ``vertical`` cell
is written one glyph under another, as forms print narrow side labels.
A ``ring`` over a cell's text draws a large ◯ glyph centred on that part of
the text (a choice circled by hand in the form's layout).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas
from synth import _font, _wrap  # the 施策計画 builder's font registration and per-character wrapping

FONT = "HeiseiKakuGo-W5"
_PAD = 2.0
_ASCENT = 0.88


@dataclass
class C:
    r: int
    c: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    vertical: bool = False
    ring: Optional[str] = None  # the part of the text a drawn ◯ circles
    corner: Optional[tuple[str, str]] = None  # a small label and its value printed in the cell's top-right corner


@dataclass
class Block:
    x0: float
    top: float
    widths: list[float]
    heights: list[float]
    cells: list[C]
    size: float = 8.0


@dataclass
class Text:
    x: float
    top: float
    text: str
    size: float = 10.0


@dataclass
class Page:
    blocks: list[Block] = field(default_factory=list)
    lines: list[Text] = field(default_factory=list)


def _draw_block(c, block: Block, H: float) -> None:
    xs = [block.x0]
    for w in block.widths:
        xs.append(xs[-1] + w)
    ys = [block.top]
    for h in block.heights:
        ys.append(ys[-1] + h)
    size = block.size
    c.setLineWidth(0.5)
    for cell in block.cells:
        x0, x1 = xs[cell.c], xs[cell.c + cell.colspan]
        top, bottom = ys[cell.r], ys[cell.r + cell.rowspan]
        c.rect(x0, H - bottom, x1 - x0, bottom - top, stroke=1, fill=0)
        c.setFont(FONT, size)
        if cell.vertical:
            glyphs = [ch for ch in cell.text if not ch.isspace()]
            for i, ch in enumerate(glyphs):
                cw = pdfmetrics.stringWidth(ch, FONT, size)
                c.drawString((x0 + x1 - cw) / 2, H - (top + _PAD + i * size * 1.15 + size * _ASCENT), ch)
            continue
        if cell.corner:
            small = size * 0.7
            c.setFont(FONT, small)
            for i, part in enumerate(cell.corner):
                c.drawString(x1 - _PAD - 70, H - (top + _PAD + i * small * 1.3 + small * _ASCENT), part)
            c.setFont(FONT, size)
            top += size * 0.5  # the cell's own text sits a little lower, beside the corner
        lines = _wrap(cell.text, x1 - x0 - 2 * _PAD, FONT, size)
        for i, ln in enumerate(lines):
            y = H - (top + _PAD + i * size * 1.3 + size * _ASCENT)
            c.drawString(x0 + _PAD, y, ln)
            if cell.ring and cell.ring in ln:
                before = pdfmetrics.stringWidth(ln[: ln.index(cell.ring)], FONT, size)
                span = pdfmetrics.stringWidth(cell.ring, FONT, size)
                ring = size * 2.2
                rw = pdfmetrics.stringWidth("◯", FONT, ring)
                c.setFont(FONT, ring)
                c.drawString(x0 + _PAD + before + span / 2 - rw / 2, y - ring * 0.3, "◯")
                c.setFont(FONT, size)


def build_sheet_pdf(path: Path, pages: list[Page], page_size=A4) -> Path:
    _font(FONT)
    W, H = page_size
    c = rl_canvas.Canvas(str(path), pagesize=(W, H))
    for page in pages:
        for line in page.lines:
            c.setFont(FONT, line.size)
            c.drawString(line.x, H - (line.top + line.size * _ASCENT), line.text)
        for block in page.blocks:
            _draw_block(c, block, H)
        c.showPage()
    c.save()
    return Path(path)
