"""The stitched table to programs, measures, rows, targets and results.

Rows are classified by what they say, not where they are:
- a row spanning every column with 【達成状況区分…】 opens a program;
- a name-column cell starting with ○ opens a measure (name, then description);
- a name-column cell containing 実施結果 is the measure's result row;
- any other row is a sub-row of the current measure.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from normalizers.errors import NormalizeError
from normalizers.ratings import parse_rating

from .items import clean_text, fragments_to_blocks, fragments_to_items
from .locate import compact
from .models import (
    Column,
    Item,
    LogicalCell,
    Measure,
    MeasureRow,
    Plan,
    Program,
    Rating,
    Result,
    Table,
    TableRow,
    TargetCell,
)
from .stitch import is_program_row, is_result_row
from .text import label_of

MEASURE_MARKS = "○◯〇"
_PROGRAM = re.compile(r"^(?:(?P<kind>[^：:【]*)[：:])?(?P<name>.+?)(?:【\s*達成状況区分\s*[：:]?\s*(?P<rating>[^】]+)】.*)?$")
_RATING_AFTER = re.compile(r"達成状況区分\s*[：:]?\s*([0-9０-９][\s*＊]*)")


def to_rating(raw: Optional[str], warnings: list[str], where: str) -> Optional[Rating]:
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
    flat = compact(text)
    m = _PROGRAM.match(flat)
    if not m:
        return clean_text(flat), None
    return clean_text(m.group("name")), m.group("rating")


def parse_measure_cell(text: str) -> tuple[str, str]:
    """``○ NAME`` on the first line(s), the description after it."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    name = lines[0].lstrip(MEASURE_MARKS).strip() if lines else ""
    return clean_text(compact(name)), clean_text("".join(lines[1:]))


def parse_rating_cell(text: str) -> tuple[Optional[str], Optional[str]]:
    """(rating, reference rating) from 達成状況区分 R [(参考)… 達成状況区分 R]."""
    flat = compact(text)
    head, *rest = re.split(r"[(（]参考[)）]", flat, maxsplit=1)
    reference = rest[0] if rest else ""
    first = _RATING_AFTER.search(head)
    second = _RATING_AFTER.search(reference) if reference else None
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


def _targets(row: TableRow, columns: Sequence[Column], merged: Sequence[LogicalCell]) -> list[TargetCell]:
    out = []
    for cell in row.cells:
        if cell.first_col < 2:
            continue
        items = fragments_to_items(cell.fragments)
        if not items:
            continue
        spanned = columns[cell.first_col : cell.last_col + 1]
        out.append(
            TargetCell(
                years=tuple(year for c in spanned for year in c.years),
                labels=tuple(c.label for c in spanned for _ in c.years),
                and_after=spanned[-1].and_after,
                items=tuple(items),
                all_rows=any(cell is m for m in merged),
                page=cell.page,
            )
        )
    return out


def _sub_row(row: TableRow, columns, merged: Sequence[LogicalCell]) -> MeasureRow:
    current_cell = next((c for c in row.cells if c.first_col == 1 and c.last_col == 1), None)
    label = None
    current: list[Item] = []
    if current_cell is not None:
        fragments = list(current_cell.fragments)
        first_line = fragments[0].text.split("\n", 1)
        inner = label_of(compact(first_line[0])) if first_line[0] else None
        if inner:
            label = clean_text(inner)
            rest = first_line[1] if len(first_line) > 1 else ""
            fragments[0] = type(fragments[0])(fragments[0].page, rest, fragments[0].bbox)
        current = fragments_to_items(fragments)
    return MeasureRow(
        label=label,
        current=tuple(current),
        targets=tuple(_targets(row, columns, merged)),
        page=row.page,
    )


def _result(row: TableRow, warnings: list[str], where: str) -> Result:
    label = _cell_at(row, 0)
    rating_cell = next((c for c in row.cells if c.first_col == 1 and c.last_col == 1), None)
    text_cells = [c for c in row.cells if c.first_col >= 2]
    rating, reference = parse_rating_cell(rating_cell.text) if rating_cell else (None, None)
    fragments = tuple(f for c in text_cells for f in c.fragments)
    blocks = fragments_to_blocks(fragments)
    period = compact(label.text).split("実施結果")[0] if label else ""
    return Result(
        period=clean_text(period),
        rating=to_rating(rating, warnings, f"{where} result rating"),
        reference_rating=to_rating(reference, warnings, f"{where} reference rating"),
        outcomes=tuple(blocks["outcomes"]),
        changes=tuple(blocks["changes"]),
        revised_targets=tuple(blocks["revised_targets"]),
        page=row.page,
    )


def table_to_plan(table: Table) -> Plan:
    """Walk the stitched rows once, building programs and their measures."""
    warnings: list[str] = []
    n_cols = len(table.columns)
    programs: list[dict] = []
    measure: Optional[dict] = None
    measure_no = 0

    def close_measure():
        nonlocal measure
        if measure is None:
            return
        rows = measure["rows"]
        merged = [c for c in rows[0].cells if c.first_col >= 2 and merged_down(c, rows, n_cols)]
        built = [_sub_row(row, table.columns, merged) for row in rows]
        pages = [r.page for r in rows] + ([measure["result"].page] if measure["result"] else [])
        pages += [f.page for r in rows for c in r.cells for f in c.fragments]
        if measure["result"]:
            pages += [it.page for block in (measure["result"].outcomes, measure["result"].changes, measure["result"].revised_targets) for it in block]
        programs[-1]["measures"].append(
            Measure(
                no=measure["no"],
                name=measure["name"],
                description=measure["description"],
                rows=tuple(built),
                result=measure["result"],
                page_start=min(pages),
                page_end=max(pages),
            )
        )
        measure = None

    for row in table.rows:
        # A row spanning the whole table opens a program, rated or not
        # (some plans print the rating only in the prose).
        if is_program_row(row, n_cols) and compact(row.cells[0].text):
            close_measure()
            name, raw = parse_program_row(row.cells[0].text)
            programs.append(
                {"name": name, "rating": to_rating(raw, warnings, f"program {name}"), "measures": [], "page": row.page}
            )
            continue
        if is_result_row(row):
            if measure is None:
                warnings.append(f"page {row.page}: a result row without a measure above it")
                continue
            measure["result"] = _result(row, warnings, f"measure {measure['name']}")
            close_measure()
            continue
        name_cell = _cell_at(row, 0)
        if name_cell is not None and 0 not in row.covered and compact(name_cell.text)[:1] in tuple(MEASURE_MARKS):
            close_measure()
            if not programs:
                programs.append({"name": None, "rating": None, "measures": [], "page": row.page})
                warnings.append(f"page {row.page}: measures before any program row")
            measure_no += 1
            name, description = parse_measure_cell(name_cell.text)
            measure = {"no": measure_no, "name": name, "description": description, "rows": [row], "result": None}
            continue
        if measure is None:
            if any(c.text.strip() for c in row.cells):
                warnings.append(f"page {row.page}: a row outside any measure was skipped")
            continue
        if name_cell is not None and 0 not in row.covered and name_cell.text.strip():
            # The name cell merged down over the sub-rows, continued on a new
            # page: its text carries on the description.
            measure["description"] += clean_text("".join(name_cell.text.split()))
        measure["rows"].append(row)
    close_measure()
    return Plan(
        plan_no=None,
        plan_name=None,
        columns=table.columns,
        programs=tuple(
            Program(no=i, name=p["name"], rating=p["rating"], measures=tuple(p["measures"]), page=p["page"])
            for i, p in enumerate(programs, 1)
        ),
        warnings=tuple(warnings),
    )
