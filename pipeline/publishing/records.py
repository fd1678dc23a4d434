"""A Document to plain rows per output table (dicts keyed by schema names).

Pure and ordered: rows come out in document order so that two runs on the
same input produce byte-identical files.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Optional

from ..geometry import BBox
from ..models import CellRole, Document, Measure, Quantity
from ..understanding.accounting import Accounting, account


def _quantity_rows(doc_id: str, source: str, quantities: Iterable[Quantity], item_no: int, page: int,
                   **where) -> Iterator[dict]:
    for q in quantities:
        yield {
            "doc_id": doc_id,
            "source": source,
            "program_no": where.get("program_no"),
            "measure_no": where.get("measure_no"),
            "field": where.get("field"),
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


def _measure_rows(doc_id: str, program_no: int, m: Measure, out: dict[str, list[dict]]) -> None:
    r = m.result
    out["measures"].append(
        {
            "doc_id": doc_id,
            "program_no": program_no,
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
        _quantity_rows(doc_id, "measures", m.description_quantities, 1, m.page_start, field="description", **where)
    )
    for row_no, row in enumerate(m.rows, 1):
        for item in row.current:
            out["current_items"].append(
                {"doc_id": doc_id, "measure_no": m.no, "row_no": row_no, "row_label": row.label,
                 "item_no": item.no, "text": item.text, "page": item.page, **_box(item.bbox)}
            )
            out["quantities"].extend(
                _quantity_rows(doc_id, "current_items", item.quantities, item.no, item.page, field=f"current/{row_no}", **where)
            )
        for cell in row.targets:
            first, last = cell.years[0], cell.years[-1]
            for year, label in zip(cell.years, cell.labels):
                for item in cell.items:
                    out["targets"].append(
                        {
                            "doc_id": doc_id, "measure_no": m.no,
                            "row_no": None if cell.all_rows else row_no,
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
                    _quantity_rows(doc_id, "targets", item.quantities, item.no, item.page,
                                   field=f"targets/{row_no}/{first}", **where)
                )
    years_seen: dict[tuple[int, int], int] = {}
    for c in m.target_changes:
        year_no = years_seen[(c.change_no, c.item_no)] = years_seen.get((c.change_no, c.item_no), 0) + 1
        row, first, item_no = c.target or (None, None, None)
        out["target_changes"].append(
            {"doc_id": doc_id, "measure_no": m.no, "change_no": c.change_no, "action": c.action,
             "from_year": c.from_year, "to_year": c.to_year, "item_no": c.item_no, "year_no": year_no,
             "text": c.text, "phrase": c.phrase, "page": c.page,
             "target_row_no": row, "target_first_year": first, "target_item_no": item_no}
        )
    if r:
        for block in ("outcomes", "changes", "revised_targets"):
            for item in getattr(r, block):
                out["results"].append(
                    {"doc_id": doc_id, "measure_no": m.no, "block": block, "item_no": item.no,
                     "text": item.text, "page": item.page, **_box(item.bbox)}
                )
                out["quantities"].extend(
                    _quantity_rows(doc_id, "results", item.quantities, item.no, item.page, field=block, **where)
                )


def document_to_records(doc: Document, accounting: Accounting | None = None) -> dict[str, list[dict]]:
    """Every output table's rows for one document.

    ``accounting`` (``leftovers.account(doc)``) may be passed in when the
    caller needs its summary too, so it is computed once.
    """
    out: dict[str, list[dict]] = {
        name: []
        for name in ("programs", "measures", "current_items", "targets", "results", "target_changes", "narrative",
                     "quantities", "cells", "leftovers")
    }
    d = doc.doc_id
    prose = {p.no: p for p in doc.narrative.programs}
    for p in doc.plan.programs:
        n = prose.get(p.no)
        out["programs"].append(
            {
                "doc_id": d, "plan_no": p.plan_no, "plan_name": p.plan_name,
                "program_no": p.no, "program": p.name,
                "rating": p.rating.value if p.rating else None,
                "rating_revised": p.rating.revised if p.rating else None,
                "rating_raw": p.rating.raw if p.rating else None,
                "narrative_rating": n.rating.value if n and n.rating else None,
                "narrative_rating_revised": n.rating.revised if n and n.rating else None,
                "page": p.page,
            }
        )
    # Narrative quantities come first: the prose precedes the tables.
    for it in doc.narrative.items:
        out["narrative"].append(
            {"doc_id": d, "program_no": it.program_no, "program": it.program, "section": it.section,
             "heading": it.heading, "item_no": it.item_no, "text": it.text, "page": it.page,
             **_box(it.bbox)}
        )
        out["quantities"].extend(
            _quantity_rows(
                d, "narrative", it.quantities, it.item_no, it.page,
                program_no=it.program_no, field=f"{it.section}/{it.heading or ''}",
            )
        )
    for p in doc.plan.programs:
        for m in p.measures:
            _measure_rows(d, p.no, m, out)
    roles = {r.cell: r for r in doc.plan.cell_roles}
    for g in doc.grids:
        for c in g.cells:
            role = roles.get((c.page, g.table_no, c.row, c.col))
            out["cells"].append(
                {"doc_id": d, "page": c.page, "table_no": g.table_no, "row": c.row, "col": c.col,
                 "rowspan": c.rowspan, "colspan": c.colspan, "text": c.text,
                 **_box(c.bbox), "agreement": c.agreement, **_role(role, c.text)}
            )
    out["leftovers"] = list((accounting or account(doc)).rows)
    return out
