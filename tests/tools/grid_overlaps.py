"""Grid positions covered by more than one cell, over every table ``tables`` gives.

A logical table is a grid of row x column positions; every cell covers
``rowspan x colspan`` of them.  A position covered twice is a cell printed
on top of another one: text placed in the wrong cell, silently.  This counts
them per document and per folder (issue 25, the before/after figure), and
can dump every table's cells (``--dump``) so two runs can be compared.

    .venv/bin/python tests/tools/grid_overlaps.py ../shared/family ../shared/real --out /tmp/overlaps.json

Pages are all pages of every PDF (``tables``'s own defaults: pdfplumber
engine, no OCR).  A document that fails counts as failed, not as zero.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

from pipeline.models import LogicalTable
from pipeline.options import Options
from pipeline.orchestration.tables import tables_to_records


def covered_twice(table: LogicalTable) -> int:
    """Positions of one table that more than one cell covers."""
    seen: Counter = Counter()
    for c in table.cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                seen[(r, k)] += 1
    return sum(1 for n in seen.values() if n > 1)


def measure(folder: Path, dump: dict | None = None) -> dict:
    docs = {}
    for pdf in sorted(folder.glob("*.pdf")):
        started = time.perf_counter()
        report, _, tables = tables_to_records(str(pdf), Options())
        if report.status != "ok":
            docs[pdf.name] = {"status": "failed", "error": report.error}
            continue
        per_table = [covered_twice(t) for t in tables]
        docs[pdf.name] = {
            "status": "ok", "tables": len(tables), "tables_with_overlap": sum(1 for n in per_table if n),
            "positions_covered_twice": sum(per_table), "seconds": round(time.perf_counter() - started, 1),
        }
        if dump is not None:
            dump[f"{folder.name}/{pdf.name}"] = tables
        print(f"{folder.name}/{pdf.name}: {docs[pdf.name]}", file=sys.stderr)
    ok = [d for d in docs.values() if d["status"] == "ok"]
    return {
        "documents": len(docs), "failed": len(docs) - len(ok),
        "tables": sum(d["tables"] for d in ok),
        "tables_with_overlap": sum(d["tables_with_overlap"] for d in ok),
        "positions_covered_twice": sum(d["positions_covered_twice"] for d in ok),
        "per_document": docs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--dump", type=Path, help="pickle every document's logical tables here")
    args = parser.parse_args(argv)
    dump: dict | None = {} if args.dump else None
    result = {folder.name: measure(folder, dump) for folder in args.folders}
    for name, r in result.items():
        print(f"{name}: {r['documents']} documents ({r['failed']} failed), {r['tables']} tables, "
              f"{r['tables_with_overlap']} with overlapping cells, {r['positions_covered_twice']} positions covered twice")
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    if args.dump:
        args.dump.write_bytes(pickle.dumps(dump))
    return 0


if __name__ == "__main__":
    sys.exit(main())
