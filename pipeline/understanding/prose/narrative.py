"""Prose pages to the narrative: programs, their results and next steps.

The prose before the 施策計画 tables reads::

    プラン 6 NAME                           (plan title)
    1 NAME【達成状況区分 3*】                 (program heading)
    【主な実施結果】                          (block header)
      SUB-HEADING (may wrap)
      ・bullet (wraps, may run over a page break)
    【課題と第3期実行計画における取組】        (block header)
      ・bullet

Everything is decided from geometry and typography, never from the
document's wording beyond the block-header keywords: running headers and
page numbers are lines in the page margins that repeat on most pages; a
wrapped line continues its paragraph unless the line above ended a
sentence short of the right edge or the typeface changes; a paragraph
without a bullet is a sub-heading unless it hangs under the bullet above
(a writer that dropped the bullet glyph).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Optional, Sequence

from normalizers.ratings import Rating, parse_rating
from normalizers.width import field_text as clean_text
from normalizers.width import to_halfwidth_ascii

from ...models import Line, Narrative, NarrativeItem, NarrativeProgram, PageView
from ...settings import DEFAULT, Settings
from ...vocabulary import BLOCK_TITLE, BULLETS, HAS_RATING_BLOCK, PLAN_TITLE, PROGRAM_HEADING, prose_block

_PAGE_NUMBER = re.compile(r"^[-－–—‐(（]?\s*\d+\s*[-－–—‐)）]?$|^\d+\s*/\s*\d+$")
_SENTENCE_END = re.compile(r"[。．！？!?][」』）)]*$")


# ---------------------------------------------------------------- margins


def text_to_margin_key(text: str) -> str:
    """Running lines differ only in their numbers (``- 1 -``, ``- 2 -``)."""
    return re.sub(r"\d+", "#", to_halfwidth_ascii(text) or "")


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(to_halfwidth_ascii(text) or ""))


def page_to_margin_lines(page: PageView, settings: Settings = DEFAULT) -> list[Line]:
    band = settings.margin_band_share * page.height
    return [ln for ln in page.lines if ln.bottom <= band or ln.top >= page.height - band]


def pages_to_running_lines(pages: Sequence[PageView], settings: Settings = DEFAULT) -> set[tuple[int, Line]]:
    """(page number, line) of every running header, footer and page number.

    Running headers and footers sit in the page margins and recur, at the
    same height, on most pages; only repetition or a page-number shape
    makes a margin line running, and body lines do neither.
    """
    margins = {page.number: page_to_margin_lines(page, settings) for page in pages}
    needed = max(2, settings.running_share * len(pages))
    running = set()
    for number, lines in margins.items():
        for line in lines:
            key = text_to_margin_key(line.text)
            pages_with_it = sum(
                any(
                    text_to_margin_key(other.text) == key
                    and abs(other.top - line.top) <= settings.running_tolerance
                    for other in others
                )
                for others in margins.values()
            )
            if pages_with_it >= needed or is_page_number(line.text):
                running.add((number, line))
    return running


def pages_to_content(pages: Sequence[PageView], settings: Settings = DEFAULT) -> list[tuple[int, Line]]:
    """(page number, line) of every line that is not a running header/footer."""
    running = pages_to_running_lines(pages, settings)
    return [
        (page.number, line)
        for page in pages
        for line in page.lines
        if (page.number, line) not in running
    ]


# ---------------------------------------------------------------- line kinds


def lines_to_plan_title(lines: Sequence[Line]) -> tuple[Optional[int], Optional[str]]:
    """``プラン 6 NAME`` -> ``(6, NAME)``; ``(None, None)`` if no line is a plan title."""
    for line in lines:
        m = PLAN_TITLE.match(to_halfwidth_ascii(line.text.strip()) or "")
        if m:
            name = clean_text(m.group(2)) or None
            return int(m.group(1)), name
    return None, None


def text_to_block(text: str) -> Optional[str]:
    """Which section a 【…】 header opens: 主な実施結果 or 課題と…取組."""
    m = BLOCK_TITLE.match(text.replace(" ", "").replace("\u3000", ""))
    return prose_block(m.group(1)) if m else None


def line_to_program(
    line: Line, body_size: float, settings: Settings = DEFAULT
) -> Optional[tuple[int, str, Optional[Rating]]]:
    """``1 NAME【達成状況区分 3＊】`` -> ``(1, NAME, Rating(3, True, "3＊"))``, else None.

    A heading without its rating block is told from a body line that starts
    with a number by its larger type.
    """
    text = line.text.strip()
    m = PROGRAM_HEADING.match(text)
    if not m:
        return None
    if not HAS_RATING_BLOCK.search(text) and line.size < settings.heading_size_ratio * body_size:
        return None
    no = int(to_halfwidth_ascii(m.group(1)))
    return no, clean_text(m.group(2)), parse_rating(m.group(3), errors="null")


# ---------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class Layout:
    right_edge: float  # where full lines end
    body_size: float
    settings: Settings = DEFAULT


@dataclass
class Paragraph:
    kind: str  # "program" | "block" | "bullet" | "plain"
    page: int
    lines: list[Line] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.lines[0].x0

    @property
    def font(self) -> str:
        return self.lines[0].font


def content_to_layout(content: Sequence[tuple[int, Line]], settings: Settings = DEFAULT) -> Layout:
    x1s = sorted(line.x1 for _, line in content)
    sizes = [line.size for _, line in content if line.size]
    # Most prose lines are full, so the upper quartile of their right ends
    # is the text's right edge; the maximum would be a line that hangs
    # punctuation into the margin (ぶら下げ, +1em in the word-processor fixture).
    edge = x1s[(3 * len(x1s)) // 4] if x1s else 0.0
    return Layout(right_edge=edge, body_size=statistics.median(sizes) if sizes else 10.5, settings=settings)


def is_hanging(line: Line, under: Paragraph, layout: Layout) -> bool:
    """Indented under the paragraph's first line, as wrapped bullet lines are.

    Bullets' wrapped lines sit one glyph right of the bullet (10.5-12.5pt in
    the fixtures) while sub-headings sit within 2pt of it: half an em
    separates the two.
    """
    return line.x0 > under.x0 + layout.settings.hanging_indent_em * (under.lines[0].size or layout.body_size)


def ends_paragraph(prev: Line, line: Line, layout: Layout) -> bool:
    """The line above closed its paragraph, so ``line`` opens a new one.

    A sentence ending short of the right edge closes it; a short line
    without a full stop is a wrap forced by an unbreakable word
    (the spreadsheet fixture: 「…強化に努」+「め、NPO…」).  A change of typeface (bold
    sub-heading after a body line) closes it wherever the line ended.
    """
    size = prev.size or layout.body_size
    # Half an em: in the fixtures a wrapped line ending in 。 stops within
    # 1.6pt of the edge (the spreadsheet fixture's word-wrap slack), while a paragraph
    # ending in 。 leaves room for at least one more glyph (>= 10.6pt).
    short = prev.x1 < layout.right_edge - layout.settings.paragraph_end_em * size
    if short and _SENTENCE_END.search(prev.text):
        return True
    return bool(line.font and prev.font and line.font != prev.font)


def starts_bullet(line: Line, open_para: Optional[Paragraph], layout: Layout) -> bool:
    """A bullet glyph opens an item unless it is a 「・」 wrapped to the head of
    a hanging continuation line (協議・調整 broken at the dot)."""
    if line.text[:1] not in BULLETS:
        return False
    if open_para and open_para.kind == "bullet" and is_hanging(line, open_para, layout):
        return ends_paragraph(open_para.lines[-1], line, layout)
    return True


def line_to_kind(
    line: Line, open_para: Optional[Paragraph], layout: Layout
) -> Optional[str]:
    """The kind of paragraph ``line`` opens, or None if it continues ``open_para``."""
    if line_to_program(line, layout.body_size, layout.settings):
        return "program"
    if text_to_block(line.text):
        return "block"
    if starts_bullet(line, open_para, layout):
        return "bullet"
    if open_para is None or open_para.kind in ("program", "block"):
        return "plain"
    if ends_paragraph(open_para.lines[-1], line, layout):
        return "plain"
    return None


def content_to_paragraphs(
    content: Sequence[tuple[int, Line]], layout: Layout
) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for page, line in content:
        if not line.text.strip():
            continue
        open_para = paragraphs[-1] if paragraphs else None
        kind = line_to_kind(line, open_para, layout)
        if kind is None:
            open_para.lines.append(line)
        else:
            paragraphs.append(Paragraph(kind, page, [line]))
    return paragraphs


def _is_latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


def lines_to_joined(lines: Sequence[Line]) -> str:
    """Wrapped lines joined; a space only where a Latin word meets a Latin word."""
    out = lines[0].text
    for line in lines[1:]:
        if _is_latin(out[-1:]) and _is_latin(line.text[:1]):
            out += " "
        out += line.text
    return out


def paragraph_to_text(para: Paragraph) -> str:
    text = lines_to_joined(para.lines)
    if para.kind == "bullet":
        text = text[1:]
    return clean_text(text)


def paragraph_to_bbox(para: Paragraph) -> tuple[float, float, float, float]:
    """The paragraph's box on its first page (lines run down the page until a break)."""
    lines = [para.lines[0]]
    for line in para.lines[1:]:
        if line.top < lines[-1].top:
            break  # continued at the top of the next page
        lines.append(line)
    return (
        round(min(ln.x0 for ln in lines), 2),
        round(min(ln.top for ln in lines), 2),
        round(max(ln.x1 for ln in lines), 2),
        round(max(ln.bottom for ln in lines), 2),
    )


# ---------------------------------------------------------------- narrative


@dataclass
class _State:
    program: Optional[NarrativeProgram] = None
    section: str = "results"
    heading: Optional[str] = None
    last_bullet: Optional[Paragraph] = None
    counts: dict = field(default_factory=dict)


def is_unbulleted_item(para: Paragraph, state: _State, layout: Layout) -> bool:
    """A plain paragraph is an item, not a sub-heading, when next steps have no
    sub-headings, or when it hangs under the bullet above in the bullets'
    typeface (the quirks fixture drops the glyph of 「このほか、…」)."""
    if state.section == "next_steps":
        return True
    bullet = state.last_bullet
    return bool(bullet and para.font == bullet.font and is_hanging(para.lines[0], bullet, layout))


def paragraph_to_item(para: Paragraph, state: _State) -> NarrativeItem:
    key = (state.program.no, state.section, state.heading)
    state.counts[key] = state.counts.get(key, 0) + 1
    return NarrativeItem(
        program_no=state.program.no,
        program=state.program.name,
        section=state.section,
        heading=state.heading,
        item_no=state.counts[key],
        text=paragraph_to_text(para),
        page=para.page,
        bbox=paragraph_to_bbox(para),
    )


def paragraphs_to_narrative(paragraphs: Sequence[Paragraph], layout: Layout) -> Narrative:
    programs: list[NarrativeProgram] = []
    items: list[NarrativeItem] = []
    state = _State()
    for para in paragraphs:
        if para.kind == "program":
            no, name, rating = line_to_program(para.lines[0], layout.body_size, layout.settings)
            state = _State(program=NarrativeProgram(no, name, rating, para.page), counts=state.counts)
            programs.append(state.program)
        elif state.program is None:
            continue  # plan title and preamble before the first program
        elif para.kind == "block":
            state.section = text_to_block(para.lines[0].text)
            state.heading, state.last_bullet = None, None
        elif para.kind == "bullet":
            state.last_bullet = para
            items.append(paragraph_to_item(para, state))
        elif is_unbulleted_item(para, state, layout):
            items.append(paragraph_to_item(para, state))
        else:
            state.heading, state.last_bullet = paragraph_to_text(para), None
    return Narrative(programs=tuple(programs), items=tuple(items))


def pages_to_narrative(pages: Sequence[PageView], settings: Settings = DEFAULT) -> Narrative:
    """The narrative of the prose pages (the caller passes only those)."""
    content = pages_to_content(pages, settings)
    layout = content_to_layout(content, settings)
    return paragraphs_to_narrative(content_to_paragraphs(content, layout), layout)
