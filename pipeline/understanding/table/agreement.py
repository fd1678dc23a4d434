"""Two engines' grids of one table region compared cell by cell.

Both grids were built by ``pipeline.grid`` from the same glyphs, so where
the engines found the same cell box the text is the same too; a
difference means one engine saw a border the other did not.  Cells are
aligned by geometry (their top-left corner), then compared by their far
corner (the span) and normalised text.  The result is one Grid: the
preferred engine's cell wherever both have one, each cell labelled

- ``both``: the other engine has the same box with the same text;
- ``differ``: the other engine has a cell starting at the same corner but
  with another span or text;
- ``pdfplumber_only`` / ``camelot_only``: no cell of the other engine
  starts there.

A cell only the non-preferred engine found is kept (``<engine>_only``)
where it overlaps no cell of the preferred engine, so a region one engine
missed is still read; where it overlaps, the preferred engine's structure
wins.  Everything here is pure.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Optional

from normalizers.width import squash

from ...geometry import BBox, overlap
from ...models import Cell, Grid
from ...settings import Settings
from .grid import band_index, cluster_edges

# The engine names, in the order ``grids_to_agreement`` takes their grids.
ENGINE_PAIR = ("pdfplumber", "camelot")
LABELS = ("both", "pdfplumber_only", "camelot_only", "differ")


def normalise_text(text: str) -> str:
    """Text as compared across engines: NFKC, without any whitespace.

    Line breaks depend on the box width a glyph run was wrapped against,
    which can move by a fraction of a point between engines.  NFKC is for
    this comparison only, never for output text.
    """
    return squash(unicodedata.normalize("NFKC", text or ""))


def _same_anchor(a: Cell, b: Cell, tol: float) -> bool:
    return abs(a.bbox[0] - b.bbox[0]) <= tol and abs(a.bbox[1] - b.bbox[1]) <= tol


def _same_extent(a: Cell, b: Cell, tol: float) -> bool:
    return abs(a.bbox[2] - b.bbox[2]) <= tol and abs(a.bbox[3] - b.bbox[3]) <= tol


def _overlaps(a: BBox, b: BBox, tol: float) -> bool:
    # Touching boxes share a border; only an overlap deeper than the
    # tolerance means two cells claim the same area.
    w, h = overlap(a, b)
    return w > tol and h > tol


def cells_agree(a: Cell, b: Cell, tol: float) -> bool:
    """Same box (both corners) and the same normalised text."""
    return _same_anchor(a, b, tol) and _same_extent(a, b, tol) and normalise_text(a.text) == normalise_text(b.text)


def _pair(cells_a: Sequence[Cell], cells_b: Sequence[Cell], tol: float) -> dict[int, int]:
    """Index of the b cell starting at each a cell's corner (each used once)."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for i, ca in enumerate(cells_a):
        for j, cb in enumerate(cells_b):
            if j not in taken and _same_anchor(ca, cb, tol):
                pairs[i] = j
                taken.add(j)
                break
    return pairs


def grids_to_agreement(a: Optional[Grid], b: Optional[Grid], prefer: str = "pdfplumber", *,
                       settings: Settings) -> Grid:
    """One Grid from the pdfplumber grid ``a`` and the camelot grid ``b`` of a region.

    Either grid may be None (that engine found no table there): every cell
    of the other is then ``<engine>_only``.
    """
    if prefer not in ENGINE_PAIR:
        raise ValueError(f"unknown prefer {prefer!r}; choose one of: {', '.join(ENGINE_PAIR)}")
    tol = settings.corner_tolerance
    if a is None and b is None:
        raise ValueError("grids_to_agreement needs at least one grid")
    if a is not None and b is not None and (a.page, a.table_no) != (b.page, b.table_no):
        raise ValueError(
            f"grids of different regions: page {a.page} table {a.table_no} vs page {b.page} table {b.table_no}"
        )
    grids = {"pdfplumber": a, "camelot": b}
    other = ENGINE_PAIR[1] if prefer == ENGINE_PAIR[0] else ENGINE_PAIR[0]
    main, alt = grids[prefer], grids[other]
    if main is None:  # the preferred engine found nothing: the other is all there is
        main, alt, prefer, other = alt, None, other, prefer
    assert main is not None  # one of the two is a grid (checked above)
    alt_cells = alt.cells if alt is not None else ()
    pairs = _pair(main.cells, alt_cells, tol)
    labelled = []
    for i, cell in enumerate(main.cells):
        j = pairs.get(i)
        if j is None:
            label = f"{prefer}_only"
        else:
            label = "both" if cells_agree(cell, alt_cells[j], tol) else "differ"
        labelled.append(dataclasses.replace(cell, agreement=label))
    paired = set(pairs.values())
    extra = [
        dataclasses.replace(cell, agreement=f"{other}_only")
        for j, cell in enumerate(alt_cells)
        if j not in paired and not any(_overlaps(cell.bbox, m.bbox, tol) for m in main.cells)
    ]
    if not extra:
        return dataclasses.replace(main, cells=tuple(labelled))
    return _regrid(main, labelled + extra, [c.bbox for c in extra], settings.edge_tolerance)


def _regrid(main: Grid, cells: list[Cell], added: Sequence[BBox], tol: float) -> Grid:
    """Row/column bands rebuilt over cells taken from both engines."""
    boxes = [c.bbox for c in cells]
    col_edges = cluster_edges([b[0] for b in boxes] + [b[2] for b in boxes], tol)
    row_edges = cluster_edges([b[1] for b in boxes] + [b[3] for b in boxes], tol)
    rebuilt = []
    for c in cells:
        x0, top, x1, bottom = c.bbox
        col, row = band_index(col_edges, x0, tol), band_index(row_edges, top, tol)
        rebuilt.append(
            dataclasses.replace(
                c,
                row=row,
                col=col,
                rowspan=max(1, band_index(row_edges, bottom, tol) - row),
                colspan=max(1, band_index(col_edges, x1, tol) - col),
            )
        )
    rebuilt.sort(key=lambda c: (c.row, c.col))

    def inside_added(box: BBox) -> bool:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in added)

    return dataclasses.replace(
        main,
        bbox=(col_edges[0], row_edges[0], col_edges[-1], row_edges[-1]),
        col_edges=col_edges,
        row_edges=row_edges,
        cells=tuple(rebuilt),
        # Text the preferred engine could not place but an added cell holds
        # is read now; it is no longer left over.
        leftovers=tuple(lo for lo in main.leftovers if not inside_added(lo.bbox)),
    )


def grids_to_agreement_counts(grids: Iterable[Grid]) -> dict:
    """Cells per agreement label over a document's grids, and the share agreed.

    ``{}`` when no cell carries a label (a single-engine run), so the run
    report only shows agreement when it was measured.
    """
    counts = Counter(c.agreement for g in grids for c in g.cells if c.agreement is not None)
    if not counts:
        return {}
    out: dict[str, float] = {label: counts.get(label, 0) for label in LABELS}
    total = sum(out.values())
    out["cells"] = total
    out["share_both"] = round(out["both"] / total, 4)
    return out
