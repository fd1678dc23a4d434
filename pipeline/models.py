"""Frozen values passed between stages.

Every stage takes and returns these; nothing here knows about files,
DataFrames or any particular document.  Coordinates are pdfplumber's
(points, ``top`` measured from the top of the page as displayed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from normalizers.ratings import Rating

from .geometry import BBox

# The coded fields, one Literal each (mypy checks every value written).
# How a page's text came to be: typeset, the invisible OCR layer of a scan, sesaku's OCR.
TextLayer = Literal["vector", "ocr_layer", "ocr"]
ColumnRole = Literal["name", "current", "target"]
CellRoleName = Literal["header", "program", "measure", "current", "target", "period", "rating", "result",
                       "empty", "other"]
RevisionAction = Literal["add", "remove", "move", "replace", "note"]
Section = Literal["results", "next_steps"]
ProseRole = Literal["running", "title", "program", "block", "heading", "item", "none"]

# (page, table_no, row, col): one ruled cell of one page grid.
CellKey = tuple[int, int, int, int]


@dataclass(frozen=True)
class SourceRef:
    pdf: str  # file name as given
    sha256: str


@dataclass(frozen=True)
class Line:
    """One visual line of text: glyphs on one baseline, layout spaces removed."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str  # font family without the subset prefix ("IPAexGothic")


@dataclass(frozen=True)
class RuledTable:
    """A ruled table as its rules draw it: the frame and every cell box."""

    bbox: BBox
    cells: tuple[BBox, ...]


@dataclass(frozen=True)
class GlyphTally:
    """A page's glyph ledger: what the page shows against what was kept.

    ``shown`` is the census of the page's text operators (no reader
    involved; None where the streams could not be counted or the text is
    not the page's own, as with OCR).  The reader's glyphs that paint
    (``painted``) are kept, or left out as white, as fake-bold copies, or
    as codes without a Unicode map.  PDFium merges fake-bold copies before
    sesaku sees them; where pdfminer confirmed that no character was lost
    by that, the copies PDFium merged are ``merged_by_reader``.  What is
    left, ``unaccounted``, is glyphs the page shows that no reader gave
    (positive) or gave beyond what it shows (negative): zero on every page
    of the fixtures and of the real-PDF collection.
    """

    shown: Optional[int] = None
    painted: int = 0
    white: int = 0
    doubles: int = 0
    unmapped: int = 0
    merged_by_reader: int = 0
    # Glyphs PDFium gave for a page whose placement check failed (their boxes
    # overlapped across lines and the page's lines differed from pdfminer's,
    # ``reading.placement``): the page was read with pdfminer instead, and
    # the other counts are pdfminer's.
    misplaced_by_reader: int = 0

    @property
    def kept(self) -> int:
        return self.painted - self.white - self.doubles - self.unmapped

    @property
    def unaccounted(self) -> Optional[int]:
        if self.shown is None:
            return None
        return self.shown - self.painted - self.merged_by_reader


@dataclass(frozen=True)
class PageView:
    """One page read once: everything later stages need, as plain values.

    ``chars`` are glyph dicts (pdfplumber's keys) of the visible glyphs,
    ``rules`` the horizontal and vertical rules a reader sees, and
    ``ruled_tables`` the tables those rules form.  ``origin`` is the media
    box's lower-left corner, which engines reading the file again need to
    map their coordinates onto these.
    """

    number: int  # 1-based
    width: float
    height: float
    chars: tuple[dict, ...]
    lines: tuple[Line, ...]
    rules: tuple[tuple[dict, ...], tuple[dict, ...]] = ((), ())
    ruled_tables: tuple[RuledTable, ...] = ()
    has_images: bool = False
    origin: tuple[float, float] = (0.0, 0.0)
    # The glyphs the page's text operators paint (counted from its content
    # streams by reading.census, not by the reader that made ``chars``)
    # against what the reader gave and what was kept of it.
    tally: GlyphTally = GlyphTally()
    # "vector" for typeset text; "ocr_layer" when the text is the invisible
    # OCR layer of a scanned page (reading.ocrlayer); "ocr" when sesaku read
    # the page image itself (reading.ocr).  Both may hold misreadings.
    text_layer: TextLayer = "vector"
    # With text_layer "ocr": each recognised line and the model's confidence.
    ocr_lines: tuple[tuple[str, float], ...] = ()
    # The direction (degrees counter-clockwise: 90 reads upwards) in which
    # most of the page's text is printed, undone by reading: glyphs, rules
    # and tables are in the turned, upright frame, and width/height are the
    # turned page's.  ``reading.page.unturn_box`` maps a box back onto the
    # page as displayed (0: nothing was turned).
    turned: int = 0
    # What reading says about the page, for the document's warnings: read by
    # OCR and why, glyphs left out, read again by the other reader.
    notes: tuple[str, ...] = ()

    @property
    def has_text(self) -> bool:
        return bool(self.chars) or bool(self.lines)

    @property
    def shown_glyphs(self) -> Optional[int]:
        """The census: the reference a reader's output is checked against."""
        return self.tally.shown

    @property
    def table_bboxes(self) -> tuple[BBox, ...]:
        return tuple(t.bbox for t in self.ruled_tables)


@dataclass(frozen=True)
class Cell:
    """One ruled cell as read from one page.

    ``row``/``col`` index the page grid's row and column bands; a merged cell
    covers ``rowspan`` x ``colspan`` bands.  ``text`` keeps hard line breaks
    (item breaks) as ``\\n`` and has soft wraps joined.
    """

    page: int
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    bbox: BBox
    # With two engines: both | pdfplumber_only | camelot_only | differ.
    agreement: Optional[str] = None
    # Text recognised by OCR: the model's mean confidence over the cell's
    # lines (reading.ocr); None for typeset text.
    confidence: Optional[float] = None


@dataclass(frozen=True)
class Grid:
    """The ruled table found in one region of one page."""

    page: int
    table_no: int  # 1-based within the page
    bbox: BBox
    col_edges: tuple[float, ...]  # x positions of the column bands' borders
    row_edges: tuple[float, ...]
    cells: tuple[Cell, ...]
    leftovers: tuple[Leftover, ...] = ()


@dataclass(frozen=True)
class Leftover:
    """Text inside a table region that no cell took (reported, never dropped)."""

    page: int
    text: str
    bbox: BBox
    reason: str


@dataclass(frozen=True)
class TableCell:
    """One cell of a logical ruled table (``understanding.table.ruled``).

    ``row`` counts the logical table's rows over all its pages (0-based);
    ``page`` and ``bbox`` are where the cell is printed, and for a cell cut
    by a page break where its first part is (its text holds both parts).
    """

    page: int
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    bbox: BBox
    header: bool


@dataclass(frozen=True)
class LogicalTable:
    """A ruled table as the reader sees it: one table even where it runs over pages."""

    table_no: int  # 1-based within the document
    pages: tuple[int, ...]
    n_rows: int
    n_cols: int
    header_rows: int  # leading rows that are the header (0: none recognised)
    cells: tuple[TableCell, ...]


@dataclass(frozen=True)
class Column:
    """A semantic column of the 施策計画 table, read from its header."""

    role: ColumnRole
    label: str  # header text as printed
    x0: float
    x1: float
    fiscal_year: Optional[int] = None
    and_after: bool = False
    last_year: Optional[int] = None  # a column covering several years ("2014～2016年度")

    @property
    def years(self) -> tuple[int, ...]:
        if self.fiscal_year is None:
            return ()
        return tuple(range(self.fiscal_year, (self.last_year or self.fiscal_year) + 1))


@dataclass(frozen=True)
class Fragment:
    """Text of one cell on one page; a logical cell may continue over pages."""

    page: int
    text: str
    bbox: BBox
    cell: Optional[CellKey] = None  # the page cell it was read from


@dataclass(frozen=True)
class LogicalCell:
    """A cell of the stitched table: its text fragments and the columns it covers."""

    fragments: tuple[Fragment, ...]
    first_col: int  # index into Table.columns
    last_col: int
    rowspan: int = 1  # body rows it covers in the stitched table
    also: tuple[CellKey, ...] = ()  # page cells that only repeat it (labels printed again)

    @property
    def cells(self) -> tuple[CellKey, ...]:
        """Every page cell this logical cell was read from or repeated in."""
        return tuple(f.cell for f in self.fragments if f.cell) + self.also

    @property
    def text(self) -> str:
        return "\n".join(f.text for f in self.fragments if f.text)

    @property
    def page(self) -> int:
        return self.fragments[0].page


@dataclass(frozen=True)
class TableRow:
    """A body row of the stitched table, cells left to right.

    ``covered`` lists the semantic columns covered by a cell that started
    on an earlier row (a rowspan), so interpretation can tell a blank
    continuation from an empty cell.
    """

    cells: tuple[LogicalCell, ...]
    page: int
    covered: tuple[int, ...] = ()


@dataclass(frozen=True)
class Table:
    """All table pages of one document joined into one logical table."""

    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]
    pages: tuple[int, ...]
    headers: tuple[tuple[CellKey, Column], ...] = ()  # every header cell read, with its column


@dataclass(frozen=True)
class Quantity:
    """A counted or measured number in a text: ``約500人``, ``△3.2%``."""

    text: str  # span as printed, prefix/suffix included: "約500人"
    value: float
    unit: Optional[str]  # "%" always half-width; counters as printed
    approx: bool
    qualifier: Optional[str]  # 以上/以下/未満/以内/超/余/強/弱
    start: int  # offset in the text it was found in
    end: int


@dataclass(frozen=True)
class Item:
    no: int  # 1-based within its cell or block
    text: str
    page: int
    bbox: Optional[BBox] = None  # the cell (or paragraph) it was read from, on ``page``
    quantities: tuple[Quantity, ...] = ()


@dataclass(frozen=True)
class TargetCell:
    years: tuple[int, ...]
    labels: tuple[str, ...]
    and_after: bool  # the last year covered is a "…年度以降" column
    items: tuple[Item, ...]
    all_rows: bool  # merged down over every sub-row of its measure
    page: int


@dataclass(frozen=True)
class MeasureRow:
    label: Optional[str]
    current: tuple[Item, ...]
    targets: tuple[TargetCell, ...]
    page: int


@dataclass(frozen=True)
class Result:
    period: str
    rating: Optional[Rating]
    reference_rating: Optional[Rating]
    outcomes: tuple[Item, ...]
    changes: tuple[Item, ...]
    revised_targets: tuple[Item, ...]
    page: int


@dataclass(frozen=True)
class TargetChange:
    """One item of one revision in 【変更後の目標】, for one affected year.

    ``action``: add (to ``to_year``) | remove (from ``from_year``) | move
    (from one to the other) | replace (``from_year == to_year``: the year's
    targets become these) | note (policy text, no year).  ``text`` is None
    when the revision names no item: it applies to all of the year's targets.
    ``target`` is (row_no, first_year, item_no) of the printed target a
    removed, moved or replaced item was matched to (row_no 0: merged over
    all rows).
    """

    change_no: int  # 1-based within the measure
    action: RevisionAction
    from_year: Optional[int]
    to_year: Optional[int]
    item_no: int  # 1-based within the change
    text: Optional[str]
    phrase: Optional[str]  # the revision line as printed; None for a note
    page: int
    target: Optional[tuple[int, int, int]] = None


@dataclass(frozen=True)
class Measure:
    no: int  # 1-based within the document
    name: str
    description: str
    rows: tuple[MeasureRow, ...]
    result: Optional[Result]
    page_start: int
    page_end: int
    description_quantities: tuple[Quantity, ...] = ()
    target_changes: tuple[TargetChange, ...] = ()


@dataclass(frozen=True)
class Program:
    no: int
    name: str
    rating: Optional[Rating]
    measures: tuple[Measure, ...]
    page: int
    # The plan section it belongs to (a report may hold several).
    plan_no: Optional[int] = None
    plan_name: Optional[str] = None


@dataclass(frozen=True)
class CellRole:
    """What one page cell is in the plan, by key: the audit and the ``cells``
    table take meaning from here and never read the cell's text again.

    ``role``: header | program | measure | current | target | period |
    rating | result | empty | other.
    """

    cell: CellKey
    role: CellRoleName
    program_no: Optional[int] = None
    measure_no: Optional[int] = None
    row_no: Optional[int] = None  # sub-row of the measure (current, target)
    first_year: Optional[int] = None  # target cells and year headers
    last_year: Optional[int] = None


@dataclass(frozen=True)
class Plan:
    plan_no: Optional[int]
    plan_name: Optional[str]
    columns: tuple[Column, ...]
    programs: tuple[Program, ...]
    warnings: tuple[str, ...] = ()
    cell_roles: tuple[CellRole, ...] = ()
    # The 達成状況区分 legend as printed in the document, (value, label); () if none.
    rating_legend: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class NarrativeItem:
    program_no: int
    program: str
    section: Section
    heading: Optional[str]
    item_no: int
    text: str
    page: int
    bbox: Optional[BBox] = None  # the paragraph's box on ``page``
    # The sub-heading's box when it is printed on ``page`` (the audit
    # outlines a heading with its bullets); None under no heading or when
    # the bullets continue on a later page.
    heading_bbox: Optional[BBox] = None
    quantities: tuple[Quantity, ...] = ()


@dataclass(frozen=True)
class NarrativeProgram:
    no: int
    name: str
    rating: Optional[Rating]
    page: int


@dataclass(frozen=True)
class ProseLine:
    """One line of a prose page and the output it went into, for the character accounting.

    ``role``: running (a running head or foot, or a page number) | title (the
    plan title) | program (a program heading) | block (a 【…】 block title) |
    heading (a sub-heading the items under it carry) | item (a narrative
    item) | none (no output took it; ``note`` says why).  ``fields`` are the
    output texts the line's characters are in (an item's text, a heading, a
    program's number, name and rating, the plan's name); the accounting
    checks each character against them.
    """

    page: int
    text: str
    bbox: BBox
    role: ProseRole
    fields: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Narrative:
    programs: tuple[NarrativeProgram, ...]
    items: tuple[NarrativeItem, ...]
    # Lines whose reading the cues disagreed on, with page and line, for the run report.
    warnings: tuple[str, ...] = ()
    # Every line of the prose pages read, with what became of it (``accounting``).
    lines: tuple[ProseLine, ...] = ()


@dataclass(frozen=True)
class Document:
    """Everything extracted from one PDF, ready to emit."""

    doc_id: str
    source: SourceRef
    page_count: int
    plan: Plan
    narrative: Narrative
    grids: tuple[Grid, ...]
    warnings: tuple[str, ...] = ()
    # The PDF's Info dictionary as text: Title, Author, Creator, Producer,
    # CreationDate, ModDate (those present).
    metadata: tuple[tuple[str, str], ...] = ()
    # Pages whose text is an OCR layer over a scan (reading.ocrlayer): what
    # the OCR recognised, not typeset text.
    ocr_pages: tuple[int, ...] = ()
    # (page, GlyphTally) of each page read: the census against what was kept.
    glyphs: tuple[tuple[int, GlyphTally], ...] = ()
    # The evaluation sheets read beside the 施策計画 model (``understanding.sheets``),
    # and what was on their pages (for the character accounting).
    sheets: tuple[Sheet, ...] = ()
    sheet_pages: tuple[SheetPage, ...] = ()


def page_ranges(pages: list[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``"1-3,7"``."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


# ---------------------------------------------------------------- evaluation sheets
#
# An evaluation sheet (事務事業評価シート, 事業評価書 …) read as what it holds:
# label → value fields, figures by fiscal year and kind, and answers given
# by marking.  Every value keeps the page and the box it was read from, and
# the labels it was read by; what the model could not place is listed, not
# guessed (``SheetUnplaced``).


@dataclass(frozen=True)
class SheetField:
    """A label printed beside or above its value (事業名 → …, a text box's title → its text)."""

    label: str  # as printed, lines joined; a group label above it comes first ("政策・施策 政策番号")
    value: str
    page: int
    bbox: BBox  # the value's box
    label_bbox: Optional[BBox] = None


@dataclass(frozen=True)
class SheetValue:
    """A figure that a fiscal year and a kind describe.

    ``kind``: target | actual | forecast | budget | settlement | other.
    ``label`` is the year and kind labels it was read by, as printed
    (``Ｒ４年度 決算``); ``text`` the cell as printed; ``value`` the number
    (△/▲ as minus), None for words or a fraction such as ``43/100``.
    """

    item: Optional[str]  # the row's name: the indicator, or the money line (事業費, 一般財源 …)
    unit: Optional[str]
    fiscal_year: int
    kind: str
    label: str
    text: str
    value: Optional[float]
    page: int
    bbox: BBox


@dataclass(frozen=True)
class SheetOption:
    text: str  # as printed, without its mark
    selected: bool
    page: int
    bbox: BBox  # the option's cell, or its line within the cell


@dataclass(frozen=True)
class SheetChoice:
    """An answer given by marking: a question, its printed options, which are marked.

    ``form`` says how it was printed: radio (●/○), checkbox (■/□, ☑/☐),
    grid (a mark in a cell beside or under the option), circled (a ring
    drawn over the option), letter (``A.順調に推移している``: the chosen
    option of a printed scale), answer (one option printed as chosen,
    ``・該当なし`` under its question), or direction (方向性 and the like).
    """

    question: str
    options: tuple[SheetOption, ...]
    form: str
    page: int
    bbox: BBox  # the question's box

    @property
    def selected(self) -> tuple[str, ...]:
        return tuple(o.text for o in self.options if o.selected)


@dataclass(frozen=True)
class SheetUnplaced:
    """Text on a sheet page that no field, value or choice took, with why."""

    text: str
    page: int
    bbox: BBox
    reason: str


@dataclass(frozen=True)
class Sheet:
    """One 事業 (or 施策) of an evaluation document: its own pages and what they say."""

    no: int  # 1-based within the document
    title: Optional[str]
    pages: tuple[int, ...]
    number: Optional[str] = None  # the sheet's own number where printed (No. / 番号)
    department: Optional[str] = None  # 所管 / 担当 where printed
    fields: tuple[SheetField, ...] = ()
    values: tuple[SheetValue, ...] = ()
    choices: tuple[SheetChoice, ...] = ()
    unplaced: tuple[SheetUnplaced, ...] = ()
    # Headings printed over parts of the sheet (a box's title row spanning it,
    # a form title): read as structure, kept so that no text is lost.
    headings: tuple[SheetUnplaced, ...] = ()

    @property
    def page_start(self) -> int:
        return self.pages[0]

    @property
    def page_end(self) -> int:
        return self.pages[-1]


@dataclass(frozen=True)
class SheetPage:
    """A page read as part of an evaluation sheet: its ruled grids and the lines outside them.

    Kept so that every character of a sheet page is accounted for
    (``understanding.accounting.account_sheets``).
    """

    page: int
    grids: tuple[Grid, ...]
    lines: tuple[Line, ...]  # the lines outside every grid (titles, captions)
