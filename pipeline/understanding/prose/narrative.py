"""Prose pages to the narrative: programs, their results and next steps.

The prose before the 施策計画 tables reads::

    プラン 6 NAME                           (plan title)
    1 NAME【達成状況区分 3*】                 (program heading)
    【主な実施結果】                          (block header)
      SUB-HEADING (may wrap)
      ・bullet (wraps, may run over a page break)
    【課題と第3期実行計画における取組】        (block header)
      ・bullet

Running headers and page numbers are lines in the page margins that
repeat on most pages.  Whether a body line opens a sub-heading, opens a
bullet or continues the paragraph above is one scored decision over every
cue a reader uses (``cues.py``): typography where the writer gave any,
the space above, where the line above ended and whether it ended a
sentence, whether the line is a noun phrase followed by bullets, heading
numbering.  When the cues disagree the reading that keeps every sentence
whole wins and the narrative carries a warning naming the page and line.
A paragraph without a bullet is a sub-heading unless it hangs under the
bullet above, or reads as an item and is a sentence (a writer that
dropped the bullet glyph).
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Optional, cast

from normalizers.ratings import Rating, parse_rating
from normalizers.width import field_text as clean_text
from normalizers.width import to_halfwidth_ascii

from ...models import Line, Narrative, NarrativeItem, NarrativeProgram, PageView, ProseLine, ProseRole, Section
from ...settings import Settings
from ...vocabulary import (
    BLOCK_TITLE,
    CIRCLED,
    HAS_RATING_BLOCK,
    HEADING_MARKS,
    PLAN_TITLE,
    PROGRAM_HEADING,
    prose_block,
)
from .cues import (
    LineCues,
    Reading,
    cues_to_reading,
    ends_sentence,
    is_heavy,
    is_noun_phrase,
    leading_circled,
    opens_with_glyph,
    starts_numbered,
)

_PAGE_NUMBER = re.compile(r"^[-－–—‐(（]?\s*\d+\s*[-－–—‐)）]?$|^\d+\s*/\s*\d+$")


# ---------------------------------------------------------------- margins


def text_to_margin_key(text: str) -> str:
    """Running lines differ only in their numbers (``- 1 -``, ``- 2 -``)."""
    return re.sub(r"\d+", "#", to_halfwidth_ascii(text) or "")


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(to_halfwidth_ascii(text) or ""))


def page_to_margin_lines(page: PageView, settings: Settings) -> list[Line]:
    band = settings.margin_band_share * page.height
    return [ln for ln in page.lines if ln.bottom <= band or ln.top >= page.height - band]


def pages_to_running_lines(pages: Sequence[PageView], settings: Settings) -> set[tuple[int, Line]]:
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


def pages_to_content(
    pages: Sequence[PageView], settings: Settings, running: Optional[set[tuple[int, Line]]] = None
) -> list[tuple[int, Line]]:
    """(page number, line) of every line that is not a running header/footer
    (``running``, when the caller has found them already)."""
    if running is None:
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
    line: Line, body_size: float, settings: Settings
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
    no = int(to_halfwidth_ascii(m.group(1)) or "")
    return no, clean_text(m.group(2)), parse_rating(m.group(3), errors="null")


# ---------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class Layout:
    right_edge: float  # where full lines end
    body_size: float
    settings: Settings
    pitch: float = 0.0  # top-to-top distance of a paragraph's lines at body size; 0 if unknown
    body_font: str = ""  # the face most lines are set in


@dataclass
class Paragraph:
    kind: str  # "program" | "block" | "bullet" | "plain"
    page: int
    lines: list[Line] = field(default_factory=list)
    # What the cues read the first line as: "heading", "bullet" (an item,
    # with or without its glyph) or None (after a program or block title).
    reading: Optional[str] = None
    # The page of each line (a paragraph may run over a page break).
    pages: list[int] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.lines[0].x0

    @property
    def font(self) -> str:
        return self.lines[0].font


def content_to_layout(content: Sequence[tuple[int, Line]], settings: Settings) -> Layout:
    x1s = sorted(line.x1 for _, line in content)
    sizes = [line.size for _, line in content if line.size]
    # Most prose lines are full, so the upper quartile of their right ends
    # is the text's right edge; the maximum would be a line that hangs
    # punctuation into the margin (ぶら下げ, +1em in the word-processor fixture).
    edge = x1s[(3 * len(x1s)) // 4] if x1s else 0.0
    body = statistics.median(sizes) if sizes else 10.5
    # Most neighbours are two wrapped lines of one paragraph, so the median
    # step between neighbours on a page is the line pitch; steps over 2.5em
    # jump over a block or a figure and say nothing about it.
    steps = [
        b.top - a.top
        for (pa, a), (pb, b) in zip(content, content[1:])
        if pa == pb and 0 < b.top - a.top < 2.5 * (a.size or body)
    ]
    fonts = Counter(line.font for _, line in content if line.font)
    return Layout(
        right_edge=edge,
        body_size=body,
        settings=settings,
        pitch=statistics.median(steps) if steps else 0.0,
        body_font=fonts.most_common(1)[0][0] if fonts else "",
    )


def is_hanging(line: Line, under: Paragraph, layout: Layout) -> bool:
    """Indented under the paragraph's first line, as wrapped bullet lines are.

    Bullets' wrapped lines sit one glyph right of the bullet (10.5-12.5pt in
    the fixtures) while sub-headings sit within 2pt of it: half an em
    separates the two.
    """
    return line.x0 > under.x0 + layout.settings.hanging_indent_em * (under.lines[0].size or layout.body_size)


def is_full(line: Line, layout: Layout) -> bool:
    """The line reaches the right edge, so it may have wrapped.

    Half an em: in the fixtures a wrapped line ending in 。 stops within
    1.6pt of the edge (the spreadsheet fixture's word-wrap slack), while a
    paragraph ending in 。 leaves room for at least one more glyph (>= 10.6pt).
    """
    size = line.size or layout.body_size
    return line.x1 >= layout.right_edge - layout.settings.paragraph_end_em * size


# Glyphs that never open a line (JIS X 4051 line-start rules: closing
# brackets, punctuation, the long vowel mark, small kana, iteration marks):
# a line breaking before one takes the glyph before it along.
_NO_LINE_START = set("、。，．,.・：；:;！？!?）)」』】〕〉》］]｝}ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〻ゝゞヽヾ")
# Glyphs that never close a line (opening brackets): they go down with the glyph after them.
_NO_LINE_END = set("（(「『【〔〈《［[｛{")
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,'&/+-]*")


def first_unit_ems(text: str, latin_em: float) -> float:
    """How wide, in ems, the first piece of ``text`` a line may not break inside is:
    a Latin word, an opening bracket with the glyph after it, a glyph with
    the one that may not open a line after it, else one glyph."""
    text = text.strip()
    m = _LATIN_WORD.match(text)
    if m:
        return len(m.group()) * latin_em
    if text[:1] in _NO_LINE_END or text[1:2] in _NO_LINE_START:
        return 2.0
    return 1.0


def no_room(line: Line, below: Line, layout: Layout) -> bool:
    """``line`` ended a sentence-less run short of the edge only because the first
    unbreakable piece of ``below`` did not fit: a browser or a word processor
    wraps a heading before a Latin word or a bracket, leaving room that a
    glyph-by-glyph measure takes for a paragraph's end."""
    if ends_sentence(line.text):
        return False
    size = line.size or layout.body_size
    unit = first_unit_ems(below.text, layout.settings.latin_glyph_em)
    room = layout.right_edge - line.x1
    return room < (unit - layout.settings.paragraph_end_em) * size


def opens_paragraph_by_title(line: Line, layout: Layout) -> Optional[str]:
    if line_to_program(line, layout.body_size, layout.settings):
        return "program"
    if text_to_block(line.text):
        return "block"
    return None


def _run_end(lines: Sequence[tuple[int, Line]], i: int, layout: Layout) -> int:
    """Index of the last line of the wrap that starts at ``i``: lines that are
    full and end no sentence carry on, up to three lines (a heading's length)."""
    j = i
    while j - i < 2 and j + 1 < len(lines):
        line, below = lines[j][1], lines[j + 1][1]
        if not (is_full(line, layout) or no_room(line, below, layout)) or ends_sentence(line.text):
            break
        if opens_with_glyph(below.text) or opens_paragraph_by_title(below, layout):
            break
        j += 1
    return j


def line_to_cues(
    lines: Sequence[tuple[int, Line]], i: int, open_para: Paragraph, layout: Layout
) -> LineCues:
    """What a reader sees about line ``i`` against the paragraph above (whose
    last line is line ``i - 1``) and the lines below."""
    settings = layout.settings
    page, line = lines[i]
    above_page, above = lines[i - 1]
    text = line.text.strip()
    glyph = opens_with_glyph(text)
    size = above.size or layout.body_size
    j = _run_end(lines, i, layout)
    run = lines_to_joined([ln for _, ln in lines[i : j + 1]])
    body = run[1:] if glyph else run
    below = lines[j + 1][1] if j + 1 < len(lines) else None
    below_glyph = opens_with_glyph(below.text.strip()) if below else None
    open_sentences = any(ends_sentence(ln.text) for ln in open_para.lines)
    open_is_heading = open_para.kind == "plain" and not open_sentences
    plain_glyph = glyph is not None and glyph not in HEADING_MARKS
    above_full, above_stop = is_full(above, layout) or no_room(above, line, layout), ends_sentence(above.text)
    step = line.top - above.top if page == above_page else None
    pitch = layout.pitch * size / layout.body_size if layout.pitch else 0.0
    circled = leading_circled(text)
    open_text = lines_to_joined(open_para.lines)
    return LineCues(
        glyph=glyph,
        numbered=starts_numbered(text),
        lone_glyph_above=len(above.text.strip()) == 1 and opens_with_glyph(above.text.strip()) is not None,
        # A bullet glyph under a full heading line opens the heading's first
        # bullet: headings never wrap onto a glyph.
        above_wraps=above_full and not above_stop and not (open_is_heading and plain_glyph),
        above_stop_short=above_stop and not above_full,
        above_stop_flush=above_stop and above_full,
        above_short_open=not above_full and not above_stop,
        open_kind=open_para.kind,
        open_is_heading=open_is_heading,
        typeface_change=bool(line.font and above.font and line.font != above.font),
        heavier=is_heavy(line.font) and line.font != layout.body_font and not is_heavy(layout.body_font),
        size_change=abs(line.size - above.size) > settings.size_change_share * max(line.size, above.size),
        wide_gap=bool(pitch and step is not None and step > pitch * (1 + settings.paragraph_gap_share)),
        tight_gap=bool(pitch and step is not None and 0 < step < pitch * (1 - settings.tight_gap_share)),
        hanging=is_hanging(line, open_para, layout),
        outdented=line.x0 < above.x0 - settings.hanging_indent_em * size,
        noun_phrase=is_noun_phrase(body),
        run_stop=ends_sentence(lines[j][1].text),
        has_comma=("、" in body or "，" in body),
        bullet_below=below_glyph is not None and below_glyph not in HEADING_MARKS and below_glyph != glyph,
        subpoint=circled is not None and circled > 0 and (
            (circled > 1 and CIRCLED[circled - 2] in open_text) or (circled == 1 and ends_sentence(lines[j][1].text))
        ),
    )


def reading_to_note(page: int, line_no: int, line: Line, reading: Reading) -> str:
    scores = ", ".join(f"{k} {v:g}" for k, v in reading.scores)
    return (
        f"prose page {page} line {line_no}: read {line.text[:30]!r} as {reading.kind}: {reading.override} "
        f"(scores {scores}; cues {', '.join(reading.cues)})"
    )


def line_to_kind(
    lines: Sequence[tuple[int, Line]], i: int, open_para: Optional[Paragraph], layout: Layout
) -> tuple[Optional[str], Optional[Reading]]:
    """The kind of paragraph line ``i`` opens (None if it continues
    ``open_para``) and the cue reading that decided it."""
    line = lines[i][1]
    titled = opens_paragraph_by_title(line, layout)
    if titled:
        return titled, None
    glyph = opens_with_glyph(line.text.strip())
    if open_para is None or open_para.kind in ("program", "block"):
        # A title closes its own paragraph: the line opens one whatever it is.
        if glyph is None:
            return "plain", None
        if glyph in HEADING_MARKS and open_para is not None and _reads_as_heading(lines, i, open_para, layout):
            return "plain", None
        return "bullet", None
    reading = cues_to_reading(line_to_cues(lines, i, open_para, layout))
    if reading.kind == "continuation":
        return None, reading
    if reading.kind == "heading" and (glyph is None or glyph in HEADING_MARKS):
        return "plain", reading
    return ("bullet" if glyph else "plain"), reading


def _reads_as_heading(
    lines: Sequence[tuple[int, Line]], i: int, title: Paragraph, layout: Layout
) -> bool:
    """A heading mark (■ ◆ ○) right under a block title: a heading when the
    cues rank that reading over a bullet's (it names the bullets below)."""
    scores = dict(cues_to_reading(line_to_cues(lines, i, title, layout)).scores)
    return scores["heading"] > scores["bullet"]


def content_to_paragraphs(
    content: Sequence[tuple[int, Line]], layout: Layout, notes: Optional[list] = None
) -> list[Paragraph]:
    """Lines to paragraphs; ``notes`` (if given) collects a warning for every
    line where the sentence rule overrode the cues."""
    lines = [(page, line) for page, line in content if line.text.strip()]
    # Warnings count a page's body lines from 1, running headers left out.
    line_no: dict[int, int] = {}
    numbers = []
    for page, _ in lines:
        line_no[page] = line_no.get(page, 0) + 1
        numbers.append(line_no[page])
    paragraphs: list[Paragraph] = []
    for i, (page, line) in enumerate(lines):
        open_para = paragraphs[-1] if paragraphs else None
        kind, reading = line_to_kind(lines, i, open_para, layout)
        if reading is not None and reading.override and notes is not None:
            notes.append(reading_to_note(page, numbers[i], line, reading))
        if kind is None:
            assert open_para is not None  # line_to_kind starts a paragraph where none is open
            open_para.lines.append(line)
            open_para.pages.append(page)
        else:
            paragraphs.append(Paragraph(kind, page, [line], reading.kind if reading else None, [page]))
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
    # A bullet's glyph and a heading's decorative mark (■ ◆ ○) are layout,
    # not words; numbers like (1) or ア stay, a reader quotes them.
    if para.kind == "bullet" or (para.kind == "plain" and text[:1] in HEADING_MARKS):
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
    section: Section = "results"
    heading: Optional[str] = None
    heading_at: Optional[tuple[int, tuple[float, float, float, float]]] = None  # page, box
    last_bullet: Optional[Paragraph] = None
    counts: dict = field(default_factory=dict)
    # The open sub-heading's record (``_Fate``) until an item takes it.
    heading_fate: Optional[_Fate] = None


def is_unbulleted_item(para: Paragraph, state: _State, layout: Layout) -> bool:
    """A plain paragraph is an item, not a sub-heading, when next steps have no
    sub-headings, or when it hangs under the bullet above in the bullets'
    typeface (the quirks fixture drops the glyph of 「このほか、…」)."""
    if state.section == "next_steps":
        return True
    # Read as an item printed without its glyph, and a sentence: headings never are.
    if para.reading == "bullet" and ends_sentence(para.lines[-1].text):
        return True
    bullet = state.last_bullet
    return bool(bullet and para.font == bullet.font and is_hanging(para.lines[0], bullet, layout))


def paragraph_to_item(para: Paragraph, state: _State) -> NarrativeItem:
    assert state.program is not None  # items come after a program heading (paragraphs_to_narrative)
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
        heading_bbox=state.heading_at[1] if state.heading_at and state.heading_at[0] == para.page else None,
    )


@dataclass
class _Fate:
    """What became of one paragraph: the role its lines play and the output
    texts they are in (``ProseLine``), or why none took them."""

    para: Paragraph
    role: ProseRole
    fields: tuple[str, ...] = ()
    note: str = ""


# Why a line no output took is left over (the ``leftovers`` table's reason).
PREAMBLE = "prose before the first program heading: in no output field"
UNUSED_HEADING = "a sub-heading with no item under it: in no output field"


def _preamble_fates(para: Paragraph, titled: bool) -> tuple[list[_Fate], bool]:
    """Lines before the first program: the plan title (``lines_to_plan_title``
    gives the plan its number and name from the first such line), or nothing."""
    fates = []
    for line, page in zip(para.lines, para.pages):
        one = Paragraph(para.kind, page, [line], para.reading, [page])
        m = None if titled else PLAN_TITLE.match(to_halfwidth_ascii(line.text.strip()) or "")
        if m:
            titled = True
            fates.append(_Fate(one, "title", (m.group(1), clean_text(m.group(2)))))
        else:
            fates.append(_Fate(one, "none", note=PREAMBLE))
    return fates, titled


def _joins_heading(para: Paragraph, state: _State) -> bool:
    """A sub-heading right under another that no item has taken yet is the rest of it.

    A heading names the items below it, so two in a row with nothing between
    are one heading wrapped over two lines whose second line the cues read
    as a new paragraph (a first line ending short of the margin, a page
    whose right edge the cues cannot tell): taking the second alone would
    lose the first.  A second heading opening with its own number or mark
    ((1), ①, ア, ■) is a heading of its own, and the first is left over.
    """
    return state.heading_fate is not None and not starts_numbered(para.lines[0].text.strip())


def paragraphs_to_narrative(
    paragraphs: Sequence[Paragraph], layout: Layout, warnings: Sequence[str] = ()
) -> Narrative:
    programs: list[NarrativeProgram] = []
    items: list[NarrativeItem] = []
    notes = list(warnings)
    fates: list[_Fate] = []
    titled = False
    state = _State()
    for para in paragraphs:
        if para.kind == "program":
            heading = line_to_program(para.lines[0], layout.body_size, layout.settings)
            assert heading is not None  # a "program" paragraph is one line_to_program read
            no, name, rating = heading
            program = NarrativeProgram(no, name, rating, para.page)
            state = _State(program=program, counts=state.counts)
            programs.append(program)
            number = PROGRAM_HEADING.match(para.lines[0].text.strip())
            fates.append(_Fate(para, "program", tuple(
                t for t in (number.group(1) if number else str(no), name, rating.raw if rating else "") if t)))
        elif state.program is None:
            more, titled = _preamble_fates(para, titled)  # plan title and preamble before the first program
            fates.extend(more)
        elif para.kind == "block":
            section = text_to_block(para.lines[0].text)
            assert section is not None  # a "block" paragraph is one text_to_block read
            state.section = cast(Section, section)  # text_to_block gives a Section
            state.heading, state.heading_at, state.last_bullet, state.heading_fate = None, None, None, None
            fates.append(_Fate(para, "block"))
        elif para.kind == "bullet" or is_unbulleted_item(para, state, layout):
            if para.kind == "bullet":
                state.last_bullet = para
            item = paragraph_to_item(para, state)
            items.append(item)
            fates.append(_Fate(para, "item", (item.text,)))
            if state.heading_fate is not None:
                state.heading_fate.role, state.heading_fate = "heading", None
        elif _joins_heading(para, state) and state.heading_fate is not None:
            held = state.heading_fate.para
            joined = Paragraph(held.kind, held.page, held.lines + para.lines, held.reading, held.pages + para.pages)
            state.heading_fate.para = joined
            state.heading, state.last_bullet = paragraph_to_text(joined), None
            state.heading_at = (joined.page, paragraph_to_bbox(joined))
            state.heading_fate.fields = (state.heading,)
            notes.append(
                f"prose page {para.page}: read {para.lines[0].text[:30]!r} as the rest of the sub-heading above it "
                f"({held.lines[0].text[:20]!r}…), which no item followed"
            )
        else:
            state.heading, state.last_bullet = paragraph_to_text(para), None
            state.heading_at = (para.page, paragraph_to_bbox(para))
            # "none" until an item under it takes it.
            state.heading_fate = _Fate(para, "none", (state.heading,), UNUSED_HEADING)
            fates.append(state.heading_fate)
    return Narrative(programs=tuple(programs), items=tuple(items), warnings=tuple(notes),
                     lines=tuple(line for fate in fates for line in _fate_lines(fate)))


def _fate_lines(fate: _Fate) -> Iterator[ProseLine]:
    fields = fate.fields if fate.role != "none" else ()
    note = fate.note if fate.role == "none" else ""
    for line, page in zip(fate.para.lines, fate.para.pages):
        yield ProseLine(page, line.text, _line_box(line), fate.role, fields, note)


def _line_box(line: Line) -> tuple[float, float, float, float]:
    return (round(line.x0, 2), round(line.top, 2), round(line.x1, 2), round(line.bottom, 2))


def running_lines(pages: Sequence[PageView], running: set[tuple[int, Line]]) -> list[ProseLine]:
    """The running heads, feet and page numbers, as explained lines."""
    return [
        ProseLine(page.number, line.text, _line_box(line), "running",
                  note="page number" if is_page_number(line.text) else "running head or foot")
        for page in pages for line in page.lines if (page.number, line) in running
    ]


def pages_to_lines(pages: Sequence[PageView], note: str) -> tuple[ProseLine, ...]:
    """Every line of prose pages that no narrative read (outside every plan section),
    left over but for page numbers."""
    return tuple(
        ProseLine(page.number, line.text, _line_box(line), "running", note="page number")
        if is_page_number(line.text) else ProseLine(page.number, line.text, _line_box(line), "none", note=note)
        for page in pages for line in page.lines if line.text.strip()
    )


def pages_to_narrative(pages: Sequence[PageView], settings: Settings) -> Narrative:
    """The narrative of the prose pages (the caller passes only those), with
    every line of them and what became of it (``Narrative.lines``)."""
    running = pages_to_running_lines(pages, settings)
    content = pages_to_content(pages, settings, running)
    layout = content_to_layout(content, settings)
    notes: list[str] = []
    paragraphs = content_to_paragraphs(content, layout, notes)
    narrative = paragraphs_to_narrative(paragraphs, layout, notes)
    lines = sorted(narrative.lines + tuple(running_lines(pages, running)), key=lambda ln: (ln.page, ln.bbox[1], ln.bbox[0]))
    return dataclasses.replace(narrative, lines=tuple(lines))
