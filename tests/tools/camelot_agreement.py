"""How often sesaku's cell text agrees with camelot lattice's, on the tables both find.

    .venv/bin/python tests/tools/camelot_agreement.py ../shared/family ../shared/real --out agreement.json

Pages: every page where sesaku finds a ruled table, in every PDF of the
folders; of a document with more than ``MAX_PAGES`` such pages, ``MAX_PAGES``
of them evenly spread (first and last included), so the 400-600-page budget
books do not outweigh the rest (and camelot's 300 dpi pass stays affordable).

Tables: sesaku's page grids (``read_ruled_tables``, before any stitching
over pages) against camelot's tables of the same page, read with
``camelot.read_pdf(file, pages=N)`` and no options (lattice), or with
``--split-text`` its ``split_text=True`` (pdfminer joins the texts of
neighbouring cells printed on one baseline into one line, which camelot
then puts whole into one cell; split_text is camelot's own remedy).  A pair is
one table both find when their frames overlap by at least ``MIN_IOU`` of
their union; each table pairs at most once, best overlap first.

Cells: camelot reports a regular grid of band cells with flags for the
borders drawn; band cells without a border between them are one printed
cell (its text in its first band cell).  Each printed cell of camelot is
linked to each of sesaku's cells it overlaps by at least half of the
smaller's area; linked cells form groups (one cell each where both tools
draw the same grid; a merged cell and the cells it spans where one tool
saw a border the other did not, as a dashed rule camelot's image pass
misses).  A group agrees when both tools put the same characters in it:
texts compared as character multisets without whitespace, under NFKC
(camelot keeps Kangxi radicals such as ⾦ where sesaku reads 金) (so line order
within a cell, and camelot joining a line's text boxes in another order,
``市税1`` for ``1 市税``, do not count; a glyph in another group does).
Groups where both are empty are not counted.  Agreement = agreeing
groups / groups.  ``strict`` is the same with texts compared in order.
``agreement_on_cells_drawn_alike`` counts only the groups that are one
cell of each tool (the cells both tools draw with the same borders): the
agreement of the text placed in them, apart from where the two grids
differ (where one tool misses or invents a border, it is the grid, not
the text, that differs).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
import warnings
from pathlib import Path

import pdfplumber

from pipeline.geometry import area, overlap_area
from pipeline.models import Grid
from pipeline.options import Options
from pipeline.orchestration.tables import read_ruled_tables
from pipeline.understanding.table.engines.camelot import camelot_table_to_cell_boxes

MAX_PAGES = 40
MIN_IOU = 0.8


def _compact(text: str) -> str:
    # NFKC: camelot keeps the Kangxi radicals a writer's ToUnicode names (⾦額), sesaku reads the
    # characters they stand for (金額); that is no difference of placement.
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


def _iou(a, b) -> float:
    shared = overlap_area(a, b)
    return shared / (area(a) + area(b) - shared) if shared > 0 else 0.0


def spread(pages: list[int], n: int = MAX_PAGES) -> list[int]:
    if len(pages) <= n:
        return pages
    return sorted({pages[round(i * (len(pages) - 1) / (n - 1))] for i in range(n)})


def camelot_tables(path: Path, page: int, height: float, origin: tuple[float, float], **options):
    """camelot's tables of one page: (frame, [(printed cell box, text)]) in pdfplumber coordinates."""
    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(str(path), pages=str(page), suppress_stdout=True, **options)
    left, top = origin

    def box(x0, y0, x1, y1):
        return (x0 + left, height - max(y0, y1) + top, x1 + left, height - min(y0, y1) + top)

    out = []
    for t in tables:
        # Band cells without a border between them are one printed cell (the engine's own joining).
        merged = {b: [] for b in camelot_table_to_cell_boxes(t, height, origin)}
        for r, row in enumerate(t.cells):
            for k, c in enumerate(row):
                band = box(c.x1, c.y1, c.x2, c.y2)
                cx, cy = (band[0] + band[2]) / 2, (band[1] + band[3]) / 2
                owner = next((b for b in merged if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
                if owner is not None:
                    merged[owner].append(str(t.df.iloc[r, k]))
        out.append((box(*t._bbox), [(b, "".join(texts)) for b, texts in merged.items()]))
    return out


def compare(grid: Grid, cells: list) -> tuple[int, int, int, int, int, list]:
    """Of one table both found: groups compared, agreeing, agreeing in order; groups that are one
    cell of each (a cell both draw alike) and those agreeing; the differing pairs."""
    mine = [(c.bbox, c.text) for c in grid.cells]
    nodes = mine + cells
    parent = list(range(len(nodes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (a, _) in enumerate(mine):
        for j, (b, _) in enumerate(cells, len(mine)):
            shared = overlap_area(a, b)
            if shared > 0 and shared >= 0.5 * min(area(a), area(b)):
                parent[find(i)] = find(j)
    groups: dict[int, tuple[list, list]] = {}
    for i in range(len(nodes)):
        side = groups.setdefault(find(i), ([], []))
        (side[0] if i < len(mine) else side[1]).append(i)
    n = same = strict = alike = alike_same = 0
    diffs = []
    for ours, theirs in groups.values():
        a = "".join(_compact(nodes[i][1]) for i in sorted(ours, key=lambda i: (nodes[i][0][1], nodes[i][0][0])))
        b = "".join(_compact(nodes[i][1]) for i in sorted(theirs, key=lambda i: (nodes[i][0][1], nodes[i][0][0])))
        if not a and not b:
            continue
        n += 1
        strict += a == b
        agree = sorted(a) == sorted(b)
        same += agree
        if len(ours) == len(theirs) == 1:
            alike += 1
            alike_same += agree
        if not agree:
            diffs.append((a, b))
    return n, same, strict, alike, alike_same, diffs


def measure(folder: Path, **options) -> dict:
    docs = {}
    for pdf in sorted(folder.glob("*.pdf")):
        try:
            grids = read_ruled_tables(pdf, Options()).grids
        except Exception as exc:  # a document sesaku cannot read has no tables to compare
            docs[pdf.name] = {"error": type(exc).__name__}
            continue
        by_page: dict[int, list[Grid]] = {}
        for g in grids:
            if g.cells:
                by_page.setdefault(g.page, []).append(g)
        pages = spread(sorted(by_page))
        result = {"pages": len(pages), "sesaku_tables": 0, "camelot_tables": 0, "both": 0, "cells": 0, "equal": 0,
                  "strict": 0, "alike": 0, "alike_equal": 0, "examples": []}
        with pdfplumber.open(pdf) as plumber:
            for page in pages:
                p = plumber.pages[page - 1]
                origin = (float(p.mediabox[0]), float(p.mediabox[1]))
                try:
                    theirs = camelot_tables(pdf, page, float(p.height), origin, **options)
                except Exception as exc:
                    result.setdefault("camelot_errors", []).append(f"page {page}: {type(exc).__name__}")
                    continue
                mine = by_page[page]
                result["sesaku_tables"] += len(mine)
                result["camelot_tables"] += len(theirs)
                pairs = sorted(((_iou(g.bbox, frame), i, j) for i, g in enumerate(mine)
                                for j, (frame, _) in enumerate(theirs)), reverse=True)
                used_i, used_j = set(), set()
                for iou, i, j in pairs:
                    if iou < MIN_IOU or i in used_i or j in used_j:
                        continue
                    used_i.add(i)
                    used_j.add(j)
                    n, same, strict, alike, alike_same, diffs = compare(mine[i], theirs[j][1])
                    result["both"] += 1
                    result["cells"] += n
                    result["equal"] += same
                    result["strict"] += strict
                    result["alike"] += alike
                    result["alike_equal"] += alike_same
                    if diffs and len(result["examples"]) < 8:
                        result["examples"].append({"page": page, "diffs": diffs[:3]})
        result["agreement"] = round(result["equal"] / result["cells"], 4) if result["cells"] else None
        docs[pdf.name] = result
        print(f"{folder.name}/{pdf.name}: {result['both']} tables both found, agreement {result['agreement']}",
              file=sys.stderr)
    ok = [d for d in docs.values() if "cells" in d]
    cells, equal = sum(d["cells"] for d in ok), sum(d["equal"] for d in ok)
    strict = sum(d["strict"] for d in ok)
    alike, alike_equal = sum(d["alike"] for d in ok), sum(d["alike_equal"] for d in ok)
    return {"documents": len(docs), "tables_both_found": sum(d["both"] for d in ok),
            "sesaku_tables": sum(d["sesaku_tables"] for d in ok), "camelot_tables": sum(d["camelot_tables"] for d in ok),
            "cells": cells, "equal": equal, "agreement": round(equal / cells, 4) if cells else None,
            "strict": round(strict / cells, 4) if cells else None,
            "cells_drawn_alike": alike, "agreement_on_cells_drawn_alike": round(alike_equal / alike, 4) if alike else None,
            "per_document": docs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--split-text", action="store_true",
                        help="camelot's split_text=True: a text line crossing a border split at it")
    args = parser.parse_args(argv)
    options = {"split_text": True} if args.split_text else {}
    result = {folder.name: measure(folder, **options) for folder in args.folders}
    for name, r in result.items():
        print(f"{name}: {r['tables_both_found']} tables both found (sesaku {r['sesaku_tables']}, camelot "
              f"{r['camelot_tables']} on the pages compared), {r['cells']} cell groups, agreement {r['agreement']} "
              f"(in order: {r['strict']}); on the {r['cells_drawn_alike']} cells both draw alike: "
              f"{r['agreement_on_cells_drawn_alike']}")
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
