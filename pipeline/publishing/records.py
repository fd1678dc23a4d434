"""A Document to plain rows per output table (dicts keyed by schema names).

Pure and ordered: rows come out in document order so that two runs on the
same input produce byte-identical files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Optional

from normalizers.pdfdate import pdf_date

from ..errors import InternalError
from ..geometry import BBox
from ..models import CellRole, Document, Measure, Plan, Program, Quantity, Sheet, page_ranges
from ..understanding.accounting import Accounting, account
from ..understanding.revisions import targets_by_year
from ..vocabulary import DEFAULT_RATING_LEGEND
from .schema import TABLES, TableSchema

Legend = tuple[tuple[int, str], ...]


def _quantity_rows(doc_id: str, source: str, quantities: Iterable[Quantity], item_no: int, page: int,
                   part: str, **where: object) -> Iterator[dict]:
    """Rows of one text's quantities; ``where`` holds the keys that join the
    row back to its text (measure_no, row_no, first_year, program_no, heading_no)."""
    for q in quantities:
        yield {
            "doc_id": doc_id,
            "quantity_no": None,  # numbered through the document at the end
            "source": source,
            "part": part,
            "program_no": where.get("program_no"),
            "measure_no": where.get("measure_no"),
            "row_no": where.get("row_no"),
            "first_year": where.get("first_year"),
            "heading_no": where.get("heading_no"),
            "item_no": item_no,
            "position": q.start,
            "text": q.text,
            "value": float(q.value),
            "unit": q.unit,
            "approx": bool(q.approx),
            "qualifier": q.qualifier,
            "page": page,
        }


def _box(bbox: BBox | None) -> dict:
    if bbox is None:
        return {"x0": None, "top": None, "x1": None, "bottom": None}
    return {"x0": bbox[0], "top": bbox[1], "x1": bbox[2], "bottom": bbox[3]}


def _role(role: Optional[CellRole], text: str) -> dict:
    """A cell's role and keys; a cell no stage took is ``empty`` or ``other``."""
    if role is None:
        return {"role": "other" if text.strip() else "empty", "program_no": None, "measure_no": None,
                "row_no": None, "first_year": None, "last_year": None}
    return {"role": role.role, "program_no": role.program_no, "measure_no": role.measure_no,
            "row_no": role.row_no, "first_year": role.first_year, "last_year": role.last_year}


def _measure_rows(doc_id: str, program: Program, m: Measure, out: dict[str, list[dict]]) -> None:
    r = m.result
    program_no = program.no
    out["measures"].append(
        {
            "doc_id": doc_id,
            "program_no": program_no,
            "program": program.name,
            "measure_no": m.no,
            "measure": m.name,
            "description": m.description or None,
            "period": r.period if r else None,
            "rating": r.rating.value if r and r.rating else None,
            "rating_revised": r.rating.revised if r and r.rating else None,
            "rating_raw": r.rating.raw if r and r.rating else None,
            "reference_rating": r.reference_rating.value if r and r.reference_rating else None,
            "rows": len(m.rows),
            "page_start": m.page_start,
            "page_end": m.page_end,
        }
    )
    where = {"program_no": program_no, "measure_no": m.no}
    out["quantities"].extend(
        _quantity_rows(doc_id, "measures", m.description_quantities, 1, m.page_start, "description", **where)
    )
    for row_no, row in enumerate(m.rows, 1):
        for item in row.current:
            out["current_items"].append(
                {"doc_id": doc_id, "measure_no": m.no, "row_no": row_no, "row_label": row.label,
                 "item_no": item.no, "text": item.text, "page": item.page, **_box(item.bbox)}
            )
            out["quantities"].extend(
                _quantity_rows(doc_id, "current_items", item.quantities, item.no, item.page, "current",
                               row_no=row_no, **where)
            )
        for cell in row.targets:
            first, last = cell.years[0], cell.years[-1]
            for year, label in zip(cell.years, cell.labels):
                for item in cell.items:
                    out["targets"].append(
                        {
                            "doc_id": doc_id, "measure_no": m.no,
                            "row_no": 0 if cell.all_rows else row_no,
                            "row_label": None if cell.all_rows else row.label,
                            "all_rows": cell.all_rows,
                            "fiscal_year": year, "fiscal_year_label": label,
                            "and_after": cell.and_after and year == last,
                            "first_year": first, "last_year": last,
                            "item_no": item.no, "text": item.text, "page": item.page,
                            **_box(item.bbox),
                        }
                    )
            # A merged cell's items are counted once, not once per year.
            for item in cell.items:
                out["quantities"].extend(
                    _quantity_rows(doc_id, "targets", item.quantities, item.no, item.page, "target",
                                   row_no=0 if cell.all_rows else row_no, first_year=first, **where)
                )
    years_seen: dict[tuple[int, int], int] = {}
    for c in m.target_changes:
        year_no = years_seen[(c.change_no, c.item_no)] = years_seen.get((c.change_no, c.item_no), 0) + 1
        target_row, first_year, target_item = c.target or (None, None, None)
        out["target_changes"].append(
            {"doc_id": doc_id, "measure_no": m.no, "change_no": c.change_no, "action": c.action,
             "from_year": c.from_year, "to_year": c.to_year, "item_no": c.item_no, "year_no": year_no,
             "text": c.text, "phrase": c.phrase, "page": c.page,
             "target_row_no": target_row, "target_first_year": first_year, "target_item_no": target_item}
        )
    if r:
        for block in ("outcomes", "changes", "revised_targets"):
            for item in getattr(r, block):
                out["results"].append(
                    {"doc_id": doc_id, "measure_no": m.no, "block": block, "item_no": item.no,
                     "text": item.text, "page": item.page, **_box(item.bbox)}
                )
                out["quantities"].extend(
                    _quantity_rows(doc_id, "results", item.quantities, item.no, item.page, block, **where)
                )


def plan_years(plan: Plan) -> list[tuple[int, str, bool]]:
    """(fiscal year, its column label, open-ended) for every year the 目標 columns cover."""
    years: dict[int, tuple[str, bool]] = {}
    for col in plan.columns:
        if col.role == "target":
            for y in col.years:
                years.setdefault(y, (col.label, col.and_after and y == col.years[-1]))
    return [(y, label, after) for y, (label, after) in sorted(years.items())]


def rating_legend(plan: Plan, configured: Optional[Legend]) -> tuple[dict[int, str], str]:
    """The legend labels come from, and where it came from: the document's own
    legend when it prints one, else the configured one, else the default."""
    if plan.rating_legend:
        return dict(plan.rating_legend), "document"
    if configured:
        return dict(configured), "configured"
    return dict(DEFAULT_RATING_LEGEND), "default"


def _measure_year_rows(doc_id: str, plan: Plan, program: Program, m: Measure, legend: dict[int, str],
                       legend_source: str) -> Iterator[dict]:
    years = plan_years(plan)
    by_year = targets_by_year(m, [y for y, _, _ in years])
    r = m.result
    rating = r.rating.value if r and r.rating else None
    for year, label, after in years:
        printed, revised = by_year[year]
        yield {
            "doc_id": doc_id, "plan_no": program.plan_no, "program_no": program.no, "program": program.name,
            "measure_no": m.no, "measure": m.name,
            "fiscal_year": year, "fiscal_year_label": label, "and_after": after,
            "targets": "\n".join(printed) or None, "target_count": len(printed),
            "targets_revised": "\n".join(revised) or None, "target_count_revised": len(revised),
            "revised": printed != revised,
            "rating": rating,
            "rating_revised": r.rating.revised if r and r.rating else None,
            "reference_rating": r.reference_rating.value if r and r.reference_rating else None,
            "rating_label": legend.get(rating) if rating is not None else None,
            "rating_label_source": legend_source if rating is not None and rating in legend else None,
        }


def _document_row(doc: Document, legend_source: str) -> dict:
    meta = dict(doc.metadata)
    years = plan_years(doc.plan)
    first_program = doc.plan.programs[0] if doc.plan.programs else None
    period = next((m.result.period for p in doc.plan.programs for m in p.measures if m.result and m.result.period), None)
    return {
        "doc_id": doc.doc_id, "file_name": doc.source.pdf, "sha256": doc.source.sha256, "pages": doc.page_count,
        "title": meta.get("Title"),
        "plan_no": first_program.plan_no if first_program else None,
        "plan_name": first_program.plan_name if first_program else None,
        "period": period,
        "first_year": years[0][0] if years else None,
        "last_year": years[-1][0] if years else None,
        "open_ended": bool(years and years[-1][2]),
        "author": meta.get("Author"), "creator": meta.get("Creator"), "producer": meta.get("Producer"),
        "created": pdf_date(meta.get("CreationDate"), errors="null"),
        "modified": pdf_date(meta.get("ModDate"), errors="null"),
        "rating_legend_source": legend_source,
        # Filled in by the run from the folder's MANIFEST, which a worker does not read.
        "source_url": None, "source_note": None,
        "ocr_pages": page_ranges(list(doc.ocr_pages)) if doc.ocr_pages else None,
    }


def document_to_records(doc: Document, accounting: Accounting | None = None,
                        configured_legend: Optional[Legend] = None) -> dict[str, list[dict]]:
    """Every output table's rows for one document.

    ``accounting`` (``leftovers.account(doc)``) may be passed in when the
    caller needs its summary too, so it is computed once;
    ``configured_legend`` replaces the default 達成状況区分 legend.
    """
    # Every table of the schema; the document's own row first (the run
    # report lists each document's row counts in this order).
    out: dict[str, list[dict]] = {name: [] for name in ("documents", *(n for n in TABLES if n != "documents"))}
    d = doc.doc_id
    legend, legend_source = rating_legend(doc.plan, configured_legend)
    out["documents"].append(_document_row(doc, legend_source))
    for p in doc.plan.programs:
        for m in p.measures:
            out["measure_years"].extend(_measure_year_rows(d, doc.plan, p, m, legend, legend_source))
    prose = {p.no: p for p in doc.narrative.programs}
    for p in doc.plan.programs:
        n = prose.get(p.no)
        out["programs"].append(
            {
                "doc_id": d, "plan_no": p.plan_no, "plan_name": p.plan_name,
                # A table whose program cell was unreadable (an OCR'd scan)
                # still has the name the prose heading gives.
                "program_no": p.no, "program": p.name if p.name else (n.name if n else None),
                "rating": p.rating.value if p.rating else None,
                "rating_revised": p.rating.revised if p.rating else None,
                "rating_raw": p.rating.raw if p.rating else None,
                "narrative_rating": n.rating.value if n and n.rating else None,
                "narrative_rating_revised": n.rating.revised if n and n.rating else None,
                "page": p.page,
            }
        )
    # A program the prose names but no table holds (a table page lost to a
    # scan, a section cut short) still gets its row: the narrative's rows
    # point at it, and its name and rating are what the prose printed.
    in_tables = {p.no for p in doc.plan.programs}
    for n in doc.narrative.programs:
        if n.no not in in_tables:
            out["programs"].append(
                {"doc_id": d, "plan_no": None, "plan_name": None, "program_no": n.no, "program": n.name,
                 "rating": None, "rating_revised": None, "rating_raw": None,
                 "narrative_rating": n.rating.value if n.rating else None,
                 "narrative_rating_revised": n.rating.revised if n.rating else None, "page": n.page}
            )
    out["programs"].sort(key=lambda row: row["program_no"])
    # Narrative quantities come first: the prose precedes the tables.
    heading_nos: dict[tuple[int, str], dict[Optional[str], int]] = {}
    for it in doc.narrative.items:
        # Sub-headings numbered within their program and section; 0: none.
        numbers = heading_nos.setdefault((it.program_no, it.section), {})
        if it.heading is not None and it.heading not in numbers:
            numbers[it.heading] = len(numbers) + 1
        heading_no = numbers.get(it.heading, 0) if it.heading is not None else 0
        out["narrative"].append(
            {"doc_id": d, "program_no": it.program_no, "program": it.program, "section": it.section,
             "heading_no": heading_no, "heading": it.heading, "item_no": it.item_no, "text": it.text,
             "page": it.page, **_box(it.bbox),
             **{f"heading_{k}": v for k, v in _box(it.heading_bbox).items()}}
        )
        out["quantities"].extend(
            _quantity_rows(d, "narrative", it.quantities, it.item_no, it.page, it.section,
                           program_no=it.program_no, heading_no=heading_no)
        )
    for p in doc.plan.programs:
        for m in p.measures:
            _measure_rows(d, p, m, out)
    roles = {r.cell: r for r in doc.plan.cell_roles}
    for g in doc.grids:
        for c in g.cells:
            role = roles.get((c.page, g.table_no, c.row, c.col))
            out["cells"].append(
                {"doc_id": d, "page": c.page, "table_no": g.table_no, "row": c.row, "col": c.col,
                 "rowspan": c.rowspan, "colspan": c.colspan, "text": c.text,
                 **_box(c.bbox), "ocr_confidence": c.confidence, "agreement": c.agreement, **_role(role, c.text)}
            )
    out.update(sheet_records(d, doc.sheets))
    out["leftovers"] = [dict(row) for row in (accounting or account(doc)).rows]
    _mark_ocr(out, set(doc.ocr_pages))
    for quantity_no, q in enumerate(out["quantities"], 1):
        q["quantity_no"] = quantity_no
    check_columns(out, TABLES)
    return out


SHEET_TABLES = ("sheets", "sheet_fields", "sheet_values", "sheet_choices", "sheet_unplaced")


def _label_box(bbox: BBox | None) -> dict:
    return {f"label_{k}": v for k, v in _box(bbox).items()}


def sheet_records(doc_id: str, sheets: Iterable[Sheet]) -> dict[str, list[dict]]:
    """The rows of the evaluation-sheet tables for one document's sheets, in reading order."""
    out: dict[str, list[dict]] = {name: [] for name in SHEET_TABLES}
    for s in sheets:
        out["sheets"].append(
            {"doc_id": doc_id, "sheet_no": s.no, "title": s.title, "number": s.number, "department": s.department,
             "page_start": s.page_start, "page_end": s.page_end, "fields": len(s.fields), "values": len(s.values),
             "choices": len(s.choices), "unplaced": len(s.unplaced)}
        )
        for n, f in enumerate(s.fields, 1):
            out["sheet_fields"].append(
                {"doc_id": doc_id, "sheet_no": s.no, "field_no": n, "label": f.label, "value": f.value,
                 "page": f.page, **_box(f.bbox), **_label_box(f.label_bbox)}
            )
        for n, v in enumerate(s.values, 1):
            out["sheet_values"].append(
                {"doc_id": doc_id, "sheet_no": s.no, "value_no": n, "item": v.item, "unit": v.unit,
                 "fiscal_year": v.fiscal_year, "kind": v.kind, "label": v.label, "text": v.text, "value": v.value,
                 "page": v.page, **_box(v.bbox)}
            )
        for n, c in enumerate(s.choices, 1):
            for option_no, o in enumerate(c.options, 1):
                out["sheet_choices"].append(
                    {"doc_id": doc_id, "sheet_no": s.no, "question_no": n, "question": c.question,
                     "option_no": option_no, "option": o.text, "selected": o.selected, "form": c.form,
                     "page": o.page, **_box(o.bbox)}
                )
        for n, u in enumerate(s.unplaced, 1):
            out["sheet_unplaced"].append(
                {"doc_id": doc_id, "sheet_no": s.no, "unplaced_no": n, "text": u.text, "reason": u.reason,
                 "page": u.page, **_box(u.bbox)}
            )
    return out


class RowsBreakSchema(InternalError):
    """Rows that break the output schema: a defect of sesaku's, found before any table is written."""


def column_problems(records: Mapping[str, Sequence[Mapping]], schemas: Mapping[str, TableSchema],
                    limit: int = 3) -> list[str]:
    """Tables the schema does not name, and rows whose column names are not exactly the table's.

    The frames are built with the schema's columns, so without this check
    a misspelt key would be a silently null column and the value lost.
    """
    problems = [f"{name}: no such table in the schema" for name in records if name not in schemas]
    for name, rows in records.items():
        if name not in schemas:
            continue
        names = set(schemas[name].names)
        for row_no, row in enumerate(rows, 1):
            unknown, missing = sorted(set(row) - names), sorted(names - set(row))
            if unknown or missing:
                problems.append(f"{name} row {row_no}: " + "; ".join(
                    [*([f"unknown column(s) {', '.join(unknown)}"] if unknown else []),
                     *([f"missing column(s) {', '.join(missing)}"] if missing else [])]))
                if len(problems) >= limit:
                    return problems
    return problems[:limit]


def check_columns(records: Mapping[str, Sequence[Mapping]], schemas: Mapping[str, TableSchema]) -> None:
    """Raise RowsBreakSchema when ``column_problems`` finds any."""
    problems = column_problems(records, schemas)
    if problems:
        raise RowsBreakSchema("; ".join(problems))


def _mark_ocr(out: dict[str, list[dict]], ocr_pages: set[int]) -> None:
    """``ocr`` on every row of a table with that column: its page was recognised, not typeset."""
    for name, rows in out.items():
        if "ocr" in (f.name for f in TABLES[name].fields):
            for row in rows:
                row["ocr"] = row.get("page") in ocr_pages


def schema_problems(records: dict[str, list[dict]], limit: int = 3) -> list[str]:
    """Rows that break the schema the writers enforce (a required value missing).

    Checked where the document is extracted, so that a document whose rows
    could not be written fails alone, with its name, and writing the batch's
    tables never does.
    """
    problems: list[str] = []
    for name, table in TABLES.items():
        required = [f.name for f in table.fields if f.required]
        for row_no, row in enumerate(records.get(name, ()), 1):
            for column in required:
                if row.get(column) is None:
                    problems.append(f"{name} row {row_no}: {column} is empty")
                    if len(problems) >= limit:
                        return problems
    return problems
