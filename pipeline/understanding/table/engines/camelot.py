"""Grid engine built on camelot's lattice parser (pdfium rendering, no Ghostscript).

camelot finds ruling lines on a rendered image of the page (plus the PDF's
vector rules) and reports a regular grid of row and column bands whose
cells carry flags for the borders actually drawn.  sesaku needs real cell
boxes instead: neighbouring band cells whose shared border is absent are
one merged cell, so they are joined here and their box is returned.
camelot's own text is never used; ``pipeline.grid`` assigns the glyphs.

camelot reads a whole page at a time and renders it at 300 dpi (~0.65 s
CPU per table page of the word-processor fixture against ~0.01 s for the pdfplumber engine),
so each page is parsed once per document and its boxes kept by the engine.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from ....geometry import BBox, overlap_share
from ....models import PageView
from ....settings import Settings
from .base import Engine, EngineSource

# camelot.read_pdf options, each with the evidence for its value (every
# fixture page compared cell by cell with the pdfplumber engine's grid).
CAMELOT_OPTIONS = {
    "flavor": "lattice",  # ruled tables only, like the pdfplumber engine
    # pdfium renders with pypdfium2 (a wheel); Ghostscript and poppler need
    # system binaries CI cannot download.  No fallback: silently switching
    # renderer would make results depend on what happens to be installed.
    "backend": "pdfium",
    "use_fallback": False,
    # Lines seen on the rendered page OR-ed with the PDF's vector rules
    # (camelot 2's default, pinned).  "raster" alone loses 3-20 cells on
    # each of the nine table pages of the quirks fixture (thin-rectangle rules render
    # faintly, per-cell strokes leave gaps); "vector" alone also matches every
    # fixture and skips rendering, but then both engines read the very
    # same drawing operators and a second opinion adds little.
    "engine": "combined",
    # Rules within line_tol pt are one line; a joint may be joint_tol pt off
    # a line.  the quirks fixture pages 6, 10, 12-14 stroke rules per cell with
    # ends overshooting or 1-2pt short of the corners: at camelot's default
    # 2/2 all five pages gain phantom column bands, with 4/2 pages 10 and 13
    # and with 2/4 pages 6, 10 and 12-14 still break; 3/3 (the pdfplumber
    # engine's snap tolerance) matches every page, columns are >= 20pt apart.
    "line_tol": 3,
    "joint_tol": 3,
    # Rendered lines shorter than 1/line_scale of the page are dropped.
    # The default 15 matches every fixture page; 8 and 40 do too, so there
    # is no evidence for moving it (larger values turn glyph strokes into
    # rules on dense text).
    "line_scale": 15,
    # Background processing inverts the image to find white rules on dark
    # fills.  No fixture has any; with it on, the grey cell shading of
    # the spreadsheet fixture becomes rules (pages 5-9 gain up to 68 phantom cells) and
    # the quirks fixture pages 6, 13, 14 break.
    "process_background": False,
    # copy_text/split_text only change camelot's own text, which sesaku
    # never uses (glyphs are assigned by pipeline.grid).
    "copy_text": None,
    "split_text": False,
    # 300 dpi: a 0.5pt rule is ~2 px.  camelot 2.0's in-memory pdfium path
    # renders at 300 dpi whatever this says (the value only scales
    # coordinates), so it is pinned to the real rendering resolution.
    "resolution": 300,
}

# A camelot table belongs to the requested region when at least this share
# of the smaller of the two boxes overlaps.  camelot's table box and the
# located region are the same ruled frame to within 2.2pt on every fixture
# page (a share near 1); two different tables on one page do not overlap.
MIN_OVERLAP = 0.5


@dataclass(frozen=True)
class PageTable:
    """One table camelot found on a page, in pdfplumber coordinates."""

    bbox: BBox
    boxes: tuple[BBox, ...]


def _to_plumber(x0: float, y_top: float, x1: float, y_bottom: float, page_height: float, origin: tuple[float, float]) -> BBox:
    # camelot gives PDF coordinates relative to the MediaBox's lower-left
    # corner, y upwards; pdfplumber keeps x absolute and measures top from
    # the top of the page, both shifted by its ``mediabox`` (x0, top).
    left, top = origin
    return (x0 + left, page_height - y_top + top, x1 + left, page_height - y_bottom + top)


def camelot_table_to_cell_boxes(table, page_height: float, origin: tuple[float, float] = (0.0, 0.0)) -> list[BBox]:
    """Cell boxes of one camelot table, band cells merged where no border is drawn.

    ``table`` needs ``cols`` (x0, x1) pairs, ``rows`` (y_top, y_bottom)
    pairs in PDF space (origin bottom-left) and ``cells[r][c]`` with the
    ``right``/``bottom`` border flags, as camelot's ``Table`` has.
    Every merged cell is the bounding box of its connected band cells
    (an L-shaped group, from a border missing mid-table, becomes its
    bounding box and overlaps a neighbour: the agreement check shows it).
    ``origin`` is the pdfplumber page's ``mediabox[:2]``.
    """
    n_rows, n_cols = len(table.rows), len(table.cols)
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    for r in range(n_rows):
        for c in range(n_cols):
            cell = table.cells[r][c]
            if c + 1 < n_cols and not cell.right:
                union(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and not cell.bottom:
                union(r * n_cols + c, (r + 1) * n_cols + c)
    extent: dict[int, list[int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            root = find(r * n_cols + c)
            r0, c0, r1, c1 = extent.setdefault(root, [r, c, r, c])
            extent[root] = [min(r0, r), min(c0, c), max(r1, r), max(c1, c)]
    boxes = []
    for r0, c0, r1, c1 in extent.values():
        x0, x1 = table.cols[c0][0], table.cols[c1][1]
        y_top, y_bottom = table.rows[r0][0], table.rows[r1][1]
        boxes.append(_to_plumber(x0, y_top, x1, y_bottom, page_height, origin))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def read_page(path: str, page_no: int, page_height: float, origin: tuple[float, float],
              password: str | None) -> tuple[PageTable, ...]:
    """Every table camelot finds on one page, in pdfplumber coordinates."""
    import camelot  # slow to import (OpenCV); only when this engine is used

    options = dict(CAMELOT_OPTIONS)
    if password:
        options["backend"] = _pdfium_with_password(password)
    with warnings.catch_warnings():
        # "No tables found on page-N" is an answer, not a problem; stages never print.
        warnings.simplefilter("ignore")
        # camelot.read_pdf, not camelot.io.read_pdf: the name tests replace (test_camelot_engine).
        tables = camelot.read_pdf(  # type: ignore[attr-defined]
            path, pages=str(page_no), password=password, suppress_stdout=True, **options
        )
    out = []
    for table in tables:
        x0, y0, x1, y1 = table._bbox  # PDF space: left, bottom, right, top
        bbox = _to_plumber(x0, y1, x1, y0, page_height, origin)
        out.append(PageTable(bbox, tuple(camelot_table_to_cell_boxes(table, page_height, origin))))
    return tuple(out)


def _pdfium_with_password(password: str):
    """camelot's pdfium renderer, opening the file with its password.

    camelot 2.0 passes ``password`` to its text layer but not to the
    renderer, which then fails on every encrypted PDF.
    """
    import numpy as np
    import pypdfium2 as pdfium
    from camelot.backends.pdfium_backend import PdfiumBackend

    class PdfiumWithPassword(PdfiumBackend):
        def convert(self, pdf_path, png_path, resolution=300, page=1):
            self._image(pdf_path, resolution, page).save(png_path)

        def to_array(self, pdf_path, resolution=300, page=1):
            rgb = np.asarray(self._image(pdf_path, resolution, page))
            return np.ascontiguousarray(rgb[:, :, ::-1])  # OpenCV wants BGR

        def _image(self, pdf_path, resolution, page):
            doc = pdfium.PdfDocument(pdf_path, password=password)
            try:
                doc.init_forms()
                # An RGB copy owns its pixels; the rendered bitmap dies with doc.
                return doc[page - 1].render(scale=resolution / 72).to_pil().convert("RGB")
            finally:
                doc.close()

    return PdfiumWithPassword()


def page_tables_to_cell_boxes(tables: Sequence[PageTable], bbox: BBox) -> list[BBox]:
    """The cell boxes of the camelot table(s) overlapping one region.

    camelot may report one ruled frame as two tables (a full-width rule
    missing); every table that overlaps the region contributes its cells.
    """
    boxes: list[BBox] = []
    for table in tables:
        if overlap_share(table.bbox, bbox) >= MIN_OVERLAP:
            boxes.extend(table.boxes)
    return sorted(boxes, key=lambda b: (b[1], b[0]))


class CamelotEngine(Engine):
    name = "camelot"

    def __init__(self, source: EngineSource, settings: Settings):
        super().__init__(source, settings)
        self._pages: dict[int, tuple[PageTable, ...]] = {}  # camelot parses a whole page at once

    def page_tables(self, view: PageView) -> tuple[PageTable, ...]:
        if view.number not in self._pages:
            self._pages[view.number] = read_page(
                os.path.abspath(os.fspath(self.source.path)), view.number, view.height, view.origin,
                self.source.password or None,
            )
        return self._pages[view.number]

    def cell_boxes(self, view: PageView, region: BBox) -> list[BBox]:
        return page_tables_to_cell_boxes(self.page_tables(view), region)
