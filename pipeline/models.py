"""Frozen values passed between stages.

Every stage takes and returns these; nothing here knows about files,
DataFrames or any particular document.  Coordinates are pdfplumber's
(points, ``top`` measured from the top of the page as displayed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(frozen=True)
class SourceRef:
    pdf: str  # file name as given
    sha256: str
    page: int  # 1-based, as printed by a PDF viewer


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


@dataclass(frozen=True)
class Grid:
    """The ruled table found in one region of one page."""

    page: int
    table_no: int  # 1-based within the page
    bbox: BBox
    col_edges: tuple[float, ...]  # x positions of the column bands' borders
    row_edges: tuple[float, ...]
    cells: tuple[Cell, ...]
    leftovers: tuple["Leftover", ...] = ()


@dataclass(frozen=True)
class Leftover:
    """Text inside a table region that no cell took (reported, never dropped)."""

    page: int
    text: str
    bbox: BBox
    reason: str


@dataclass(frozen=True)
class Column:
    """A semantic column of the 施策計画 table, read from its header."""

    role: str  # "name" | "current" | "target"
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


@dataclass(frozen=True)
class LogicalCell:
    """A cell of the stitched table: its text fragments and the columns it covers."""

    fragments: tuple[Fragment, ...]
    first_col: int  # index into Table.columns
    last_col: int
    rowspan: int = 1  # body rows it covers in the stitched table

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


@dataclass(frozen=True)
class Item:
    no: int  # 1-based within its cell or block
    text: str
    page: int
    bbox: Optional[BBox] = None  # the cell (or paragraph) it was read from, on ``page``


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
class Rating:
    value: int
    revised: bool
    raw: str


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
class Measure:
    no: int  # 1-based within the document
    name: str
    description: str
    rows: tuple[MeasureRow, ...]
    result: Optional[Result]
    page_start: int
    page_end: int


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
class Plan:
    plan_no: Optional[int]
    plan_name: Optional[str]
    columns: tuple[Column, ...]
    programs: tuple[Program, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class NarrativeItem:
    program_no: int
    program: str
    section: str  # "results" | "next_steps"
    heading: Optional[str]
    item_no: int
    text: str
    page: int
    bbox: Optional[BBox] = None  # the paragraph's box on ``page``


@dataclass(frozen=True)
class NarrativeProgram:
    no: int
    name: str
    rating: Optional[Rating]
    page: int


@dataclass(frozen=True)
class Narrative:
    programs: tuple[NarrativeProgram, ...]
    items: tuple[NarrativeItem, ...]


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
