"""Cell boxes plus glyphs to a Grid with rows, columns and spans.

Engines only say where the cells are; this stage decides which glyph
belongs to which cell and rebuilds row/column bands so every cell knows
which bands it covers (``rowspan``/``colspan``).

No two cells ever cover one grid position (``claim_positions``): where an
engine reports a box holding other boxes (pdfplumber's cell for a label
over its sub-rows, 款 over its 項, is the bounding box of the label's
L-shaped printed cell; camelot's merged band cells likewise), the smaller
boxes keep their positions and the larger one keeps only what is left,
as the rectangles of its printed cell that hold its text.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ...geometry import BBox, centre, centre_in, rounded
from ...models import Cell, Grid, Leftover
from ...reading.glyphs import chars_to_lines
from ...settings import Settings
from .celltext import lines_to_text


def cluster_edges(values: Sequence[float], tolerance: float) -> tuple[float, ...]:
    """Box edges within ``tolerance`` of the previous one are one band border."""
    edges: list[float] = []
    for v in sorted(values):
        if edges and v - edges[-1] <= tolerance:
            continue
        edges.append(v)
    return tuple(edges)


def band_index(edges: Sequence[float], value: float, tolerance: float) -> int:
    i = bisect.bisect_left(edges, value - tolerance)
    return min(i, len(edges) - 1)


def _nearest_box_on_line(ch: dict, boxes: Sequence[BBox], settings: Settings) -> int | None:
    """The box whose rows hold this glyph and whose side is closest to it.

    Text overflowing a border (by a few points past the table edge, or
    into a blank neighbour) still belongs to the cell it was typed in.
    """
    cx, cy = centre(ch)
    size = ch.get("size") or 8.0
    best, best_d = None, None
    for i, (x0, top, x1, bottom) in enumerate(boxes):
        if not top <= cy <= bottom:
            continue
        d = x0 - cx if cx < x0 else cx - x1 if cx > x1 else 0.0
        if d <= settings.overflow_em * size and (best_d is None or d < best_d):
            best, best_d = i, d
    return best


def _adjacent(a: dict, b: dict, settings: Settings) -> bool:
    """Two glyphs of one run: on one line, next to each other (at most ``crossing_em`` apart)."""
    size = max(a.get("size") or 8.0, b.get("size") or 8.0)
    reach = settings.crossing_em * size
    if abs((a["top"] + a["bottom"]) / 2 - (b["top"] + b["bottom"]) / 2) >= reach:
        return False
    return max(a["x0"] - b["x1"], b["x0"] - a["x1"]) <= reach


def assign_chars(
    chars: Sequence[dict], boxes: Sequence[BBox], settings: Settings
) -> tuple[list[list[dict]], list[dict]]:
    """Glyphs per box, plus the glyphs no box could take."""
    per_box: list[list[dict]] = [[] for _ in boxes]
    owner: dict[int, int] = {}
    stray: list[dict] = []
    outside: list[tuple[dict, int]] = []
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2  # hot loop: no helper call
        idx = next((i for i, b in enumerate(boxes) if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
        if idx is not None:
            owner[id(ch)] = idx
            continue
        idx = _nearest_box_on_line(ch, boxes, settings)
        if idx is None:
            stray.append(ch)
        else:
            outside.append((ch, idx))
    # A glyph outside every box belongs to the box beside it only as the
    # run of a line typed in that box, reached glyph by glyph (overflow
    # past the frame): text of a region no rule closes (a cell cut open by
    # the page break) is never pulled into its neighbour (a ministry
    # table cut by a page break: each line's last glyph of the open
    # column's text joined the cell beside it: 表彰なし受性川浦貢有).
    runs: dict[int, list[dict]] = {}
    for ch in chars:
        if id(ch) in owner:
            runs.setdefault(owner[id(ch)], []).append(ch)
    joined = True
    while outside and joined:
        joined = False
        for item in list(outside):
            ch, idx = item
            if any(_adjacent(ch, other, settings) for other in runs.get(idx, ())):
                owner[id(ch)] = idx
                runs.setdefault(idx, []).append(ch)
                outside.remove(item)
                joined = True
    stray.extend(ch for ch, _ in outside)
    # A glyph that crossed into the neighbour cell on the same line as a run
    # of the left cell continues that run (overflow into a filled neighbour).
    for ch in chars:
        idx = owner.get(id(ch))
        if idx is None:
            continue
        box = boxes[idx]
        size = ch.get("size") or 8.0
        # Only a glyph that starts on or before the border can have crossed it.
        if ch["x0"] >= box[0] + settings.border_slack:
            continue
        cy = (ch["top"] + ch["bottom"]) / 2
        for other in chars:
            j = owner.get(id(other))
            if j is None or j == idx or boxes[j][2] > box[0] + settings.edge_tolerance:
                continue
            crossing = settings.crossing_em * size
            if abs((other["top"] + other["bottom"]) / 2 - cy) < crossing and -settings.border_slack <= ch["x0"] - other["x1"] <= crossing:
                owner[id(ch)] = j
                break
    for ch in chars:
        idx = owner.get(id(ch))
        if idx is not None:
            per_box[idx].append(ch)
    return per_box, stray


def ocr_confidence(glyphs: Sequence[dict]) -> float | None:
    """The mean confidence of the OCR lines these glyphs come from, or None for typeset glyphs.

    Each line counts once (its glyphs share the model's line score), so a
    long line does not outweigh a short misread one."""
    lines = {(g["top"], g["ocr_score"]) for g in glyphs if g.get("ocr_score") is not None}
    if not lines:
        return None
    return round(sum(score for _, score in lines) / len(lines), 3)


# A block of grid positions: (first row, first column, rows, columns).
Block = tuple[int, int, int, int]


def _rectangles(free: set[tuple[int, int]]) -> list[Block]:
    """Positions as rectangles, top-left first: each as wide as it goes, then as deep."""
    left = set(free)
    out = []
    while left:
        r, c = min(left)
        width = 1
        while (r, c + width) in left:
            width += 1
        height = 1
        while all((r + height, k) in left for k in range(c, c + width)):
            height += 1
        out.append((r, c, height, width))
        left -= {(rr, kk) for rr in range(r, r + height) for kk in range(c, c + width)}
    return out


def claim_positions(blocks: Sequence[Block]) -> list[tuple[int, list[Block]]]:
    """Each block's share of the grid, so that no position is covered twice.

    Smaller blocks claim their positions first (a box holding other boxes
    is a label's printed cell around its sub-rows, or a frame); a block
    keeps what no smaller one took, as rectangles (``_rectangles``), or
    nothing when it lies under others entirely (a repeated box).  Returns
    (index into ``blocks``, its rectangles) for every block keeping any.
    """
    order = sorted(range(len(blocks)), key=lambda i: (blocks[i][2] * blocks[i][3], blocks[i][0], blocks[i][1]))
    taken: set[tuple[int, int]] = set()
    out = []
    for i in order:
        r, c, rows, cols = blocks[i]
        free = {(rr, kk) for rr in range(r, r + rows) for kk in range(c, c + cols)} - taken
        if not free:
            continue
        taken |= free
        out.append((i, _rectangles(free)))
    return sorted(out)


def cell_boxes_to_grid(
    page_no: int, table_no: int, boxes: Sequence[BBox], chars: Sequence[dict], region: BBox | None = None, *,
    settings: Settings, holes: Sequence[BBox] = (),
) -> Grid:
    """Bands, spans and text for the cells of one table region.

    An engine that found no cells yields an empty grid whose glyphs are all
    leftovers (``region`` says where to look), so no text goes missing.
    ``holes``: tables of their own drawn inside this one (in a frame's
    cell); their glyphs are theirs, not this table's.
    """
    if holes:
        chars = [ch for ch in chars if not any(centre_in(ch, hole) for hole in holes)]
    if not boxes:
        x0, top, x1, bottom = region or (0.0, 0.0, 0.0, 0.0)
        inside = [c for c in chars if centre_in(c, (x0, top, x1, bottom))]
        return Grid(
            page=page_no, table_no=table_no, bbox=(x0, top, x1, bottom), col_edges=(), row_edges=(), cells=(),
            leftovers=tuple(
                Leftover(page_no, line.text, (line.x0, line.top, line.x1, line.bottom), "the engine found no cells here")
                for line in chars_to_lines(inside, settings)
            ),
        )
    tol = settings.edge_tolerance
    col_edges = cluster_edges([b[0] for b in boxes] + [b[2] for b in boxes], tol)
    row_edges = cluster_edges([b[1] for b in boxes] + [b[3] for b in boxes], tol)
    bbox = (col_edges[0], row_edges[0], col_edges[-1], row_edges[-1])
    blocks = []
    for b in boxes:
        row, col = band_index(row_edges, b[1], tol), band_index(col_edges, b[0], tol)
        blocks.append((row, col, max(1, band_index(row_edges, b[3], tol) - row),
                       max(1, band_index(col_edges, b[2], tol) - col)))
    # Each printed cell as the rectangles it keeps; an engine's box comes
    # back as it was unless smaller boxes lie inside it.
    parts: list[tuple[int, Block, BBox]] = []
    for i, rects in claim_positions(blocks):
        if rects == [blocks[i]]:
            parts.append((i, blocks[i], boxes[i]))
            continue
        for r, c, rows, cols in rects:
            parts.append((i, (r, c, rows, cols), (col_edges[c], row_edges[r], col_edges[c + cols], row_edges[r + rows])))
    parts.sort(key=lambda p: (p[1][0], p[1][1]))
    margin = settings.region_margin
    inside = [ch for ch in chars if centre_in(ch, (bbox[0] - margin, bbox[1], bbox[2] + margin, bbox[3]))]
    per_box, stray = assign_chars(inside, [p[2] for p in parts], settings)
    # A printed cell cut into rectangles (an L around its sub-rows) is the
    # rectangles holding its text; blank, it is its first rectangle.
    with_text = {parts[k][0] for k, glyphs in enumerate(per_box) if glyphs}
    first_part: dict[int, int] = {}
    for k, (i, _, _) in enumerate(parts):
        first_part.setdefault(i, k)
    cells = []
    for k, ((i, (row, col, rows, cols), box), glyphs) in enumerate(zip(parts, per_box)):
        if not glyphs and (i in with_text or first_part[i] != k):
            continue
        text = lines_to_text(chars_to_lines(glyphs, settings), box[0], box[2], settings)
        cells.append(
            Cell(
                page=page_no,
                row=row,
                col=col,
                rowspan=rows,
                colspan=cols,
                text=text,
                bbox=rounded(box),
                confidence=ocr_confidence(glyphs),
            )
        )
    leftovers = tuple(
        Leftover(page_no, line.text, (line.x0, line.top, line.x1, line.bottom), "outside every cell")
        for line in chars_to_lines(stray, settings)
    )
    return Grid(
        page=page_no,
        table_no=table_no,
        bbox=bbox,
        col_edges=col_edges,
        row_edges=row_edges,
        cells=tuple(cells),
        leftovers=leftovers,
    )
