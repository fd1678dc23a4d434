"""The stitched table to programs, measures, rows, targets and results.

Rows are classified by what they say, not where they are:
- a row spanning every column opens a program (its rating in 【達成状況区分…】);
- a name-column cell starting with ○ opens a measure (name, then description);
- a name-column cell containing 実施結果 is the measure's result row;
- any other row is a sub-row of the current measure.

Meaning is attached once, here: besides the plan, every page cell read
gets its role and keys (``CellRole``), so later consumers (the ``cells``
table, the audit) never interpret text again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Optional

from normalizers.errors import NormalizeError
from normalizers.ratings import Rating, parse_rating
from normalizers.width import field_text as clean_text
from normalizers.width import squash

from ...models import (
    CellRole,
    CellRoleName,
    Item,
    LogicalCell,
    Measure,
    MeasureRow,
    Plan,
    Program,
    Result,
    Table,
    TableRow,
    TargetCell,
)
from ...vocabulary import MEASURE_MARKS, PROGRAM_ROW, RATING_AFTER, REFERENCE, RESULT_WORD, label_of
from .items import fragments_to_blocks, fragments_to_items
from .stitch import is_program_row, is_result_row


def to_rating(raw: Optional[str], warnings: list[str], where: str) -> Optional[Rating]:
    """A printed rating, or None with a warning naming where it was unreadable."""
    if raw is None:
        return None
    try:
        parsed = parse_rating(raw)
    except NormalizeError as exc:
        warnings.append(f"{where}: {exc}")
        return None
    if parsed is None:
        return None
    return Rating(parsed.value, parsed.revised, raw.strip())


def parse_program_row(text: str) -> tuple[str, Optional[str]]:
    flat = squash(text)
    m = PROGRAM_ROW.match(flat)
    if not m:
        return clean_text(flat), None
    return clean_text(m.group("name")), m.group("rating")


def parse_measure_cell(text: str) -> tuple[str, str]:
    """``○ NAME`` on the first line(s), the description after it."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    name = lines[0].lstrip(MEASURE_MARKS).strip() if lines else ""
    return clean_text(squash(name)), clean_text("".join(lines[1:]))


def parse_rating_cell(text: str) -> tuple[Optional[str], Optional[str]]:
    """(rating, reference rating) from 達成状況区分 R [(参考)… 達成状況区分 R]."""
    flat = squash(text)
    head, *rest = REFERENCE.split(flat, maxsplit=1)
    reference = rest[0] if rest else ""
    first = RATING_AFTER.search(head)
    second = RATING_AFTER.search(reference) if reference else None
    return (first.group(1) if first else None, second.group(1) if second else None)


def _cell_at(row: TableRow, col: int) -> Optional[LogicalCell]:
    return next((c for c in row.cells if c.first_col <= col <= c.last_col), None)


def merged_down(cell: LogicalCell, rows: Sequence[TableRow], n_columns: int) -> bool:
    """Is a first-row target cell merged down over every sub-row of its measure?

    Within a page the rowspan says so.  Across a page break a merge is
    invisible: writers draw the continuation as a blank cell, exactly like
    an empty one (the word-processor fixture pages 6-7: the 2010 and the 以降 cells both
    continue blank).  Then only a blank-continued cell in the last, open-ended
    year column counts as merged: that is where a standing 事業推進 sits,
    while an empty middle-year cell of a sub-row is common.
    """
    if len(rows) < 2:
        return False
    first_page = [r for r in rows if r.page == rows[0].page]
    later = [r for r in rows if r.page != rows[0].page]
    if cell.rowspan < len(first_page):
        return False
    if not later:
        return True
    blank = all(
        not c.text.strip()
        for r in later
        for c in r.cells
        if c.first_col <= cell.last_col and c.last_col >= cell.first_col
    )
    if not blank:
        return False
    return cell.rowspan > 1 or cell.last_col == n_columns - 1


@dataclass
class _OpenProgram:
    no: int
    name: Optional[str]
    rating: Optional[Rating]
    page: int
    measures: list[Measure] = field(default_factory=list)


@dataclass
class _OpenMeasure:
    no: int
    name: str
    description: str
    rows: list[TableRow]
    result: Optional[Result] = None


class _PlanBuilder:
    """Walks the stitched rows once; holds the program and measure being read."""

    def __init__(self, table: Table):
        self.table = table
        self.n_cols = len(table.columns)
        # Columns by role, not by index: the name column, the current-state
        # column, and the target columns (stitch.grid_to_columns reads them).
        self.column_roles = tuple(c.role for c in table.columns)
        self.name_col = self.column_roles.index("name")
        self.warnings: list[str] = []
        self.programs: list[_OpenProgram] = []
        self.measure: Optional[_OpenMeasure] = None
        self.measure_count = 0
        self.roles: dict = {}
        for key, column in table.headers:
            years = column.years
            self.roles[key] = CellRole(key, "header", first_year=years[0] if years else None,
                                       last_year=years[-1] if years else None)

    # -- roles
    def _mark(self, cell: LogicalCell, role: CellRoleName, **keys: Optional[int]) -> None:
        program_no = self.programs[-1].no if self.programs else None
        measure_no = self.measure.no if self.measure else None
        keys = {"program_no": program_no, "measure_no": measure_no, **keys}
        for key in cell.cells:
            self.roles[key] = CellRole(key, role, **keys)

    # -- rows
    def read(self, row: TableRow) -> None:
        # A row spanning the whole table opens a program, rated or not
        # (some plans print the rating only in the prose).
        if is_program_row(row, self.n_cols) and squash(row.cells[0].text):
            self.close_measure()
            name, raw = parse_program_row(row.cells[0].text)
            self.programs.append(
                _OpenProgram(len(self.programs) + 1, name, to_rating(raw, self.warnings, f"program {name}"), row.page)
            )
            self._mark(row.cells[0], "program", measure_no=None)
            return
        if is_result_row(row):
            if self.measure is None:
                self.warnings.append(f"page {row.page}: a result row without a measure above it")
                return
            self.measure.result = self._result(row)
            self.close_measure()
            return
        name_cell = _cell_at(row, self.name_col)
        if name_cell is not None and 0 not in row.covered and squash(name_cell.text)[:1] in tuple(MEASURE_MARKS):
            self.close_measure()
            if not self.programs:
                self.programs.append(_OpenProgram(1, None, None, row.page))
                self.warnings.append(f"page {row.page}: measures before any program row")
            self.measure_count += 1
            name, description = parse_measure_cell(name_cell.text)
            self.measure = _OpenMeasure(self.measure_count, name, description, [row])
            self._mark(name_cell, "measure")
            return
        if self.measure is None:
            if any(c.text.strip() for c in row.cells):
                self.warnings.append(f"page {row.page}: a row outside any measure was skipped")
            return
        if name_cell is not None and 0 not in row.covered and name_cell.text.strip():
            # The name cell merged down over the sub-rows, continued on a new
            # page: its text carries on the description.
            self.measure.description += clean_text("".join(name_cell.text.split()))
            self._mark(name_cell, "measure")
        self.measure.rows.append(row)

    def close_measure(self) -> None:
        m = self.measure
        if m is None:
            return
        merged = [c for c in m.rows[0].cells if self._in_targets(c) and merged_down(c, m.rows, self.n_cols)]
        built = [self._sub_row(row, row_no, merged) for row_no, row in enumerate(m.rows, 1)]
        pages = [r.page for r in m.rows] + ([m.result.page] if m.result else [])
        pages += [f.page for r in m.rows for c in r.cells for f in c.fragments]
        if m.result:
            pages += [it.page for block in (m.result.outcomes, m.result.changes, m.result.revised_targets) for it in block]
        self.programs[-1].measures.append(
            Measure(no=m.no, name=m.name, description=m.description, rows=tuple(built), result=m.result,
                    page_start=min(pages), page_end=max(pages))
        )
        self.measure = None

    # -- cells
    def _in_targets(self, cell: LogicalCell) -> bool:
        """A cell that starts in a target column (it may span more of them)."""
        return self.column_roles[cell.first_col] == "target"

    def _only_current(self, cell: LogicalCell) -> bool:
        """A cell that is the current-state column and no other."""
        return cell.first_col == cell.last_col and self.column_roles[cell.first_col] == "current"

    def _targets(self, row: TableRow, row_no: int, merged: Sequence[LogicalCell]) -> list[TargetCell]:
        out = []
        columns = self.table.columns
        for cell in row.cells:
            if not self._in_targets(cell):
                continue
            spanned = columns[cell.first_col : cell.last_col + 1]
            years = tuple(year for c in spanned for year in c.years)
            all_rows = any(cell is m for m in merged)
            items = fragments_to_items(cell.fragments)
            if years:
                self._mark(cell, "target" if items else "empty", row_no=None if all_rows else row_no,
                           first_year=years[0], last_year=years[-1])
            if not items:
                continue
            out.append(
                TargetCell(
                    years=years,
                    labels=tuple(c.label for c in spanned for _ in c.years),
                    and_after=spanned[-1].and_after,
                    items=tuple(items),
                    all_rows=all_rows,
                    page=cell.page,
                )
            )
        return out

    def _sub_row(self, row: TableRow, row_no: int, merged: Sequence[LogicalCell]) -> MeasureRow:
        current_cell = next((c for c in row.cells if self._only_current(c)), None)
        label = None
        current: list[Item] = []
        if current_cell is not None:
            fragments = list(current_cell.fragments)
            first_line = fragments[0].text.split("\n", 1)
            inner = label_of(squash(first_line[0])) if first_line[0] else None
            if inner:
                label = clean_text(inner)
                rest = first_line[1] if len(first_line) > 1 else ""
                fragments[0] = type(fragments[0])(fragments[0].page, rest, fragments[0].bbox, fragments[0].cell)
            current = fragments_to_items(fragments)
            self._mark(current_cell, "current" if current or label else "empty", row_no=row_no)
        return MeasureRow(label=label, current=tuple(current), targets=tuple(self._targets(row, row_no, merged)),
                          page=row.page)

    def _result(self, row: TableRow) -> Result:
        where = f"measure {self.measure.name if self.measure else ''}"
        label = _cell_at(row, self.name_col)
        # A result row: its rating stands in the current-state column, its text across the targets.
        rating_cell = next((c for c in row.cells if self._only_current(c)), None)
        text_cells = [c for c in row.cells if self._in_targets(c)]
        rating, reference = parse_rating_cell(rating_cell.text) if rating_cell else (None, None)
        blocks = fragments_to_blocks(tuple(f for c in text_cells for f in c.fragments))
        period = squash(label.text).split(RESULT_WORD)[0] if label else ""
        if label is not None:
            self._mark(label, "period")
        if rating_cell is not None:
            self._mark(rating_cell, "rating")
        for cell in text_cells:
            self._mark(cell, "result")
        return Result(
            period=clean_text(period),
            rating=to_rating(rating, self.warnings, f"{where} result rating"),
            reference_rating=to_rating(reference, self.warnings, f"{where} reference rating"),
            outcomes=tuple(blocks["outcomes"]),
            changes=tuple(blocks["changes"]),
            revised_targets=tuple(blocks["revised_targets"]),
            page=row.page,
        )

    def plan(self) -> Plan:
        self.close_measure()
        return Plan(
            plan_no=None,
            plan_name=None,
            columns=self.table.columns,
            programs=tuple(
                Program(no=p.no, name=p.name or "", rating=p.rating, measures=tuple(p.measures), page=p.page)
                for p in self.programs
            ),
            warnings=tuple(self.warnings),
            cell_roles=tuple(self.roles[k] for k in sorted(self.roles)),
        )


def table_to_plan(table: Table) -> Plan:
    """Walk the stitched rows once, building programs and their measures."""
    builder = _PlanBuilder(table)
    for row in table.rows:
        builder.read(row)
    return builder.plan()
