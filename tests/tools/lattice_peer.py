"""Score ``tables`` against camelot's lattice test suite, and camelot itself on the same cases.

The answer key is ``../shared/peers/camelot-lattice`` (``expected.json``:
per case a file, its pages, the options camelot's own test passes, and
the expected rows).  Per case:

- each tool reads the case's pages with no options: sesaku through
  ``tables_to_records`` (its defaults), camelot through
  ``camelot.read_pdf(file, pages=...)`` (lattice, its defaults);
- every output table becomes a matrix of cell texts, a merged cell's text
  in its top-left position (camelot's own default, ``shift_text=['l', 't']``);
- whitespace is collapsed in each cell of both (``" ".join(text.split())``)
  and compatibility forms folded (NFKC: the Arabic case's expected text is
  in presentation forms, the glyphs' shapes, where sesaku writes letters),
  and the expected table's leading and trailing rows and columns empty
  throughout are dropped (padding; a tool's empty row is a row read wrong);
- the score is the cell accuracy of the best-matching output table: equal
  cells over the cells of the larger of the two shapes (a missing or extra
  row counts against it); a case whose best score is below ``FOUND`` has
  its table not found.

Options that change the expected grid (the README's list):

- ``table_areas`` pads the expected table with an empty first row and
  column: they are dropped, so the case is like-for-like;
- ``table_regions`` only says where to look and ``process_background``
  only lets camelot see white rules; the expected table is the table as
  printed: like-for-like (camelot without the option has to find it too);
- ``line_scale`` tunes camelot's line detection only: like-for-like;
- ``copy_text`` (text copied into every position a merged cell covers),
  ``shift_text`` other than left-top, and ``split_text`` (text split over
  the cells it crosses) change where text sits, not what is read: these
  are *presentation* cases, left out of the like-for-like mean.  sesaku's
  output is scored both as is and with the same presentation applied from
  its spans (``present``), which camelot without the option cannot do.

    .venv/bin/python tests/tools/lattice_peer.py [FOLDER]
"""

from __future__ import annotations

import json
import sys
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.models import LogicalTable
from pipeline.options import Options
from pipeline.orchestration.tables import tables_to_records

FOLDER = Path(__file__).resolve().parents[2].parent / "shared" / "peers" / "camelot-lattice"
# A best match scoring below this is a table not found (a wrong table shares at most a few cells).
FOUND = 0.5
PRESENTATION = ("copy_text", "shift_text", "split_text")

Matrix = list[list[str]]


def collapse(text) -> str:
    """Whitespace collapsed, compatibility forms folded (NFKC): camelot keeps Arabic
    presentation forms (ﺎﺒﺣﺮﻣ, the glyphs' shapes), sesaku writes the letters they are (ابحرم)."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).split())


def normalise(matrix: Sequence[Sequence[str]], strip: bool = False) -> Matrix:
    """Whitespace collapsed; with ``strip``, leading and trailing rows and columns
    empty throughout dropped (the expected table's padding)."""
    rows = [[collapse(t) for t in row] for row in matrix]
    width = max((len(r) for r in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    if not strip:
        return rows
    filled = [r for r, row in enumerate(rows) if any(row)]
    if not filled:
        return []
    rows = rows[filled[0]:filled[-1] + 1]
    cols = [c for c in range(width) if any(row[c] for row in rows)]
    return [row[cols[0]:cols[-1] + 1] for row in rows]


def cell_accuracy(expected: Sequence[Sequence[str]], found: Sequence[Sequence[str]]) -> float:
    e, f = normalise(expected, strip=True), normalise(found)
    rows = max(len(e), len(f))
    cols = max(max((len(r) for r in e), default=0), max((len(r) for r in f), default=0))
    if rows == 0 or cols == 0:
        return 1.0 if not e and not f else 0.0

    def at(m: Matrix, r: int, c: int) -> str:
        return m[r][c] if r < len(m) and c < len(m[r]) else ""

    same = sum(at(e, r, c) == at(f, r, c) for r in range(rows) for c in range(cols))
    return same / (rows * cols)


def table_matrix(table: LogicalTable) -> Matrix:
    grid = [[""] * table.n_cols for _ in range(table.n_rows)]
    for c in table.cells:
        grid[c.row][c.col] = c.text
    return grid


def present(table: LogicalTable, options: dict) -> Matrix:
    """sesaku's table laid out as camelot's presentation options lay out theirs (from its spans)."""
    grid = [[""] * table.n_cols for _ in range(table.n_rows)]
    copy = options.get("copy_text") or []
    shift = options.get("shift_text", ["l", "t"])
    for c in table.cells:
        row = c.row + c.rowspan - 1 if "b" in shift else c.row
        col = c.col + c.colspan - 1 if "r" in shift else c.col
        grid[row][col] = c.text
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                if ("v" in copy and k == col) or ("h" in copy and r == row):
                    grid[r][k] = c.text
    return grid


def best(expected: Matrix, matrices: Sequence[Matrix]) -> float:
    return max((cell_accuracy(expected, m) for m in matrices), default=0.0)


@dataclass
class Score:
    case: str
    like_for_like: bool
    sesaku: float
    camelot: float | None
    sesaku_presented: float | None = None
    tables: dict = field(default_factory=dict)


def sesaku_tables(path: Path, pages: str) -> tuple[LogicalTable, ...]:
    report, _, tables = tables_to_records(str(path), Options(pages=pages))
    return tables if report.status == "ok" else ()


def camelot_matrices(path: Path, pages: str) -> list[Matrix]:
    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [t.df.values.tolist() for t in camelot.read_pdf(str(path), pages=pages)]


def score_cases(folder: Path = FOLDER, with_camelot: bool = True) -> list[Score]:
    cases = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    cache: dict = {}
    out = []
    for case in cases:
        key = (case["file"], case["pages"])
        if key not in cache:
            tables = sesaku_tables(folder / case["file"], case["pages"])
            theirs = camelot_matrices(folder / case["file"], case["pages"]) if with_camelot else None
            cache[key] = (tables, theirs)
        tables, theirs = cache[key]
        options = case["camelot_options"]
        presentation = any(k in options for k in PRESENTATION) and options.get("shift_text") != ["l", "t"]
        out.append(Score(
            case=case["case"], like_for_like=not presentation,
            sesaku=best(case["expected"], [table_matrix(t) for t in tables]),
            camelot=best(case["expected"], theirs) if theirs is not None else None,
            sesaku_presented=best(case["expected"], [present(t, options) for t in tables]) if presentation else None,
        ))
    return out


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    folder = Path(argv[0]) if argv else FOLDER
    scores = score_cases(folder)
    print(f"{'case':22} {'like-for-like':>13} {'sesaku':>7} {'camelot':>7} {'sesaku, presented':>18}")
    for s in scores:
        presented = f"{s.sesaku_presented:.3f}" if s.sesaku_presented is not None else ""
        print(f"{s.case:22} {s.like_for_like!s:>13} {s.sesaku:7.3f} {s.camelot:7.3f} {presented:>18}")
    like = [s for s in scores if s.like_for_like]
    print(f"like-for-like mean ({len(like)} cases): sesaku {mean([s.sesaku for s in like]):.3f}, "
          f"camelot {mean([s.camelot for s in like]):.3f}")
    print(f"all cases ({len(scores)}), as is: sesaku {mean([s.sesaku for s in scores]):.3f}, "
          f"camelot {mean([s.camelot for s in scores]):.3f}")
    missed = [s.case for s in scores if s.sesaku < FOUND]
    print(f"sesaku's table not found (best < {FOUND}): {', '.join(missed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
