"""Dev driver for the evaluation-sheet core (``pipeline.understanding.sheets``), until ``extract`` runs it.

Reads each PDF with the page reader and the pdfplumber grid engine, runs
``pages_to_sheets`` and writes, in the columns issue 27 names:

  sheets.csv          doc_id, sheet_no, title, page_start, page_end, number, department
  sheet_fields.csv    doc_id, sheet_no, field_no, label, value, page, x0, top, x1, bottom
  sheet_values.csv    doc_id, sheet_no, value_no, item, unit, fiscal_year, kind, label, text, value, page, x0 …
  sheet_choices.csv   doc_id, sheet_no, question_no, question, option, selected, form, page, x0 …
  sheet_unplaced.csv  doc_id, sheet_no, text, reason, page, x0 …
  _dev_run.json       per document: pages, sheets, rows, seconds, error

so that ``score.py TRUTH_DIR OUT`` scores it:

    .venv/bin/python bench/sheets_dev.py ../shared/family/ --out /tmp/sheets-out
    .venv/bin/python ../shared/family/score.py ../shared/family/truth /tmp/sheets-out

Not part of ``make test``; it never touches orchestration and is replaced
by ``extract`` once sheets are wired in.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import traceback
from pathlib import Path

from pipeline.reading.document import DocumentReader
from pipeline.settings import DEFAULT
from pipeline.understanding.sheets import pages_to_sheets
from pipeline.understanding.table.engines import EngineSource, make_engine
from pipeline.understanding.table.ruled import view_to_grids

TABLES = {
    "sheets": ["doc_id", "sheet_no", "title", "page_start", "page_end", "number", "department"],
    "sheet_fields": ["doc_id", "sheet_no", "field_no", "label", "value", "page", "x0", "top", "x1", "bottom"],
    "sheet_values": ["doc_id", "sheet_no", "value_no", "item", "unit", "fiscal_year", "kind", "label", "text", "value",
                     "page", "x0", "top", "x1", "bottom"],
    "sheet_choices": ["doc_id", "sheet_no", "question_no", "question", "option", "selected", "form", "page",
                      "x0", "top", "x1", "bottom"],
    "sheet_unplaced": ["doc_id", "sheet_no", "text", "reason", "page", "x0", "top", "x1", "bottom"],
}


def _box(b) -> list:
    return [round(v, 2) for v in b]


def read_document(path: Path, max_pages: int | None = None):
    engine = make_engine("pdfplumber", EngineSource(path))
    pages = []
    warnings: list[str] = []
    with DocumentReader(path) as reader:
        n = reader.page_count if max_pages is None else min(reader.page_count, max_pages)
        for number in range(1, n + 1):
            view = reader.read_page(number, warnings)
            grids = view_to_grids(view, engine)
            pages.append((number, view.lines, grids, view.chars))
    return pages, warnings


def sheet_rows(doc_id: str, sheets) -> dict[str, list[list]]:
    rows: dict[str, list[list]] = {name: [] for name in TABLES}
    for s in sheets:
        rows["sheets"].append([doc_id, s.no, s.title, s.page_start, s.page_end, s.number, s.department])
        for n, f in enumerate(s.fields, 1):
            rows["sheet_fields"].append([doc_id, s.no, n, f.label, f.value, f.page, *_box(f.bbox)])
        for n, v in enumerate(s.values, 1):
            rows["sheet_values"].append([doc_id, s.no, n, v.item, v.unit, v.fiscal_year, v.kind, v.label, v.text,
                                         v.value, v.page, *_box(v.bbox)])
        for n, c in enumerate(s.choices, 1):
            for o in c.options:
                rows["sheet_choices"].append([doc_id, s.no, n, c.question, o.text, o.selected, c.form, o.page,
                                              *_box(o.bbox)])
        for u in s.unplaced:
            rows["sheet_unplaced"].append([doc_id, s.no, u.text, u.reason, u.page, *_box(u.bbox)])
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--max-pages", type=int, default=None)
    args = ap.parse_args(argv)
    pdfs = sorted(p for i in args.inputs for p in ([i] if i.is_file() else i.rglob("*.pdf")))
    args.out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[list]] = {name: [] for name in TABLES}
    report = {}
    for pdf in pdfs:
        doc_id = pdf.stem
        start = time.perf_counter()
        entry: dict = {"file": str(pdf)}
        try:
            pages, warnings = read_document(pdf, args.max_pages)
            read = time.perf_counter()
            sheets = pages_to_sheets(pages, DEFAULT)
            got = sheet_rows(doc_id, sheets)
            for name in TABLES:
                rows[name].extend(got[name])
            entry.update(pages=len(pages), sheets=len(sheets), warnings=warnings,
                         rows={name: len(got[name]) for name in TABLES},
                         read_seconds=round(read - start, 3), sheet_seconds=round(time.perf_counter() - read, 3))
        except Exception as exc:  # a dev driver reports every crash and goes on
            entry["error"] = f"{type(exc).__name__}: {exc}"
            entry["traceback"] = traceback.format_exc()
        entry["seconds"] = round(time.perf_counter() - start, 3)
        report[doc_id] = entry
        print(f"{doc_id}: {entry.get('error') or entry['rows']} {entry['seconds']}s", file=sys.stderr)
    for name, header in TABLES.items():
        with open(args.out / f"{name}.csv", "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows[name])
    (args.out / "_dev_run.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if any("error" in e for e in report.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
