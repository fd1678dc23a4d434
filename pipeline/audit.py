"""Visual audit: ``python -m pipeline audit DOC_OR_EXTRACTED_DIR --out DIR``.

Writes ``DIR/<doc_id>/index.html`` (plus one PNG per page) showing, on each
rendered page, every region the extracted rows were read from, coloured by
its role, next to the rows themselves; clicking a row highlights its region
and clicking a region highlights its rows.

The report reads only what the pipeline wrote (the Parquet tables and
``_run.json``) and the PDF for the page images, so it shows exactly what was
extracted, never a second interpretation.  Given a PDF (or a folder of PDFs)
instead of an extracted folder, it extracts into a temporary folder first.

The HTML is self-contained: inline CSS, JS and SVG, images beside it, no
network, so it opens from the file system and can be archived with a run.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

import pyarrow.parquet as pq

from .schema import TABLES

EXIT_OK, EXIT_SOME_FAILED, EXIT_NOTHING = 0, 1, 2

# 2x (144 dpi) keeps 7-pt Japanese glyphs legible when zooming into a cell;
# one landscape A4 page is then ~1684x1190 px, a few hundred KB as PNG.
DEFAULT_SCALE = 2.0
# Cell and item boxes come from the same ruling, but rounding in the
# writers can move an edge by a fraction of a point.
CONTAIN_TOL = 1.0

ITEM_TABLES = ("current_items", "targets", "results", "narrative")

# Role → (colour, Japanese label).  Years get their colours from YEAR_COLOURS
# in ascending order, so the same year has the same colour on every page.
ROLES: dict[str, tuple[str, str]] = {
    "program": ("#ff9800", "アクションプログラム行"),
    "measure": ("#8e24aa", "施策名"),
    "current": ("#00897b", "現状"),
    "period": ("#90a4ae", "実施結果(期間)"),
    "rating": ("#d81b60", "達成状況区分"),
    "outcomes": ("#7cb342", "実施結果"),
    "changes": ("#fbc02d", "環境等の変化・課題等"),
    "revised_targets": ("#6d4c41", "変更後の目標"),
    "header": ("#9e9e9e", "見出し"),
    "other": ("#616161", "その他(未使用の本文)"),
    "empty": ("#bdbdbd", "空セル"),
    "nprogram": ("#ff9800", "本文: プログラム"),
    "nheading": ("#8e24aa", "本文: 小見出し"),
    "results_bullet": ("#1e88e5", "本文: 主な実施結果"),
    "next_steps_bullet": ("#43a047", "本文: 課題と取組"),
    "leftover": ("#e53935", "取り残し"),
}
# Blues and cyans only, so no year is mistaken for a role (or for leftover red).
YEAR_COLOURS = ("#1e88e5", "#00acc1", "#3949ab", "#4fc3f7", "#283593", "#0097a7", "#7986cb", "#0277bd")
BLOCK_LABELS = {"outcomes": "実施結果", "changes": "変化・課題", "revised_targets": "変更後の目標"}
SECTION_LABELS = {"results": "主な実施結果", "next_steps": "課題と取組"}

_WS = re.compile(r"\s+")


def _squash(text: Optional[str]) -> str:
    return _WS.sub("", text or "")


# ---------------------------------------------------------------- reading


class AuditError(Exception):
    """A document that cannot be reported, with a one-line reason."""


def load_run(extracted: Path) -> dict:
    run_path = extracted / "_run.json"
    if not run_path.is_file():
        raise AuditError(f"{extracted} is not an extracted folder (no _run.json); give a PDF or run `extract` first")
    return json.loads(run_path.read_text(encoding="utf-8"))


def load_tables(extracted: Path) -> tuple[dict[str, list[dict]], list[str]]:
    """Every output table as rows (plain dicts, None for nulls), and the missing ones."""
    tables: dict[str, list[dict]] = {}
    missing = []
    for name in TABLES:
        path = extracted / f"{name}.parquet"
        if path.is_file():
            tables[name] = pq.read_table(path).to_pylist()
        else:
            tables[name] = []
            missing.append(name)
    return tables, missing


def find_pdf(doc: dict, extracted: Path, pdf_dirs: Sequence[Path]) -> Path:
    """The PDF the document was extracted from, checked by its sha256."""
    from .run import file_sha256

    recorded = Path(doc["path"])
    candidates = [recorded] if recorded.is_absolute() else [Path.cwd() / recorded, extracted.parent / recorded, extracted / recorded]
    for d in pdf_dirs:
        candidates += [d / recorded.name, d / f"{doc['doc_id']}.pdf"]
    mismatched = []
    seen = set()
    for c in candidates:
        key = str(c.resolve()) if c.exists() else str(c)
        if key in seen or not c.is_file():
            continue
        seen.add(key)
        if not doc.get("sha256") or file_sha256(c) == doc["sha256"]:
            return c
        mismatched.append(str(c))
    if mismatched:
        raise AuditError(
            f"{doc['doc_id']}: {', '.join(mismatched)} differ(s) from the extracted PDF (sha256 {doc['sha256'][:12]}…); "
            "extract it again or point --pdf-dir at the original"
        )
    raise AuditError(f"{doc['doc_id']}: PDF {doc['path']} not found; give its folder with --pdf-dir")


# ---------------------------------------------------------------- rendering


@dataclass(frozen=True)
class PageImage:
    number: int
    file: str
    px_width: int
    px_height: int
    view_box: tuple[float, float, float, float]  # in pdfplumber coordinates (pt)


def render_pages(pdf: Path, out_dir: Path, scale: float) -> list[PageImage]:
    import pypdfium2 as pdfium
    from PIL import Image

    images = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=scale)
                image = bitmap.to_pil()
                name = f"page-{index + 1:03d}.png"
                # 64 colours keep anti-aliased text and shading readable at a
                # third of the size of a full-colour PNG.
                image.quantize(64, method=Image.Quantize.FASTOCTREE).save(out_dir / name)
                width, height = page.get_size()
                ml, mb, mr, mt = page.get_mediabox()
                cl, cb, cr, ct = page.get_cropbox()
                if page.get_rotation() == 0:
                    # pdfium draws the crop box; pdfplumber measures from the
                    # media box's top-left, so the view box starts at the crop
                    # box's offset inside it.
                    view_box = (cl - ml, mt - ct, cr - cl, ct - cb)
                else:  # rotated pages: both tools report the page as displayed
                    view_box = (0.0, 0.0, width, height)
                images.append(PageImage(index + 1, name, image.width, image.height, view_box))
            finally:
                page.close()
    finally:
        document.close()
    return images


# ---------------------------------------------------------------- model


@dataclass
class Region:
    id: str
    page: int
    box: tuple[float, float, float, float]
    kind: str  # cell | box | para | group | leftover
    roles: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    text: str = ""
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Row:
    id: str
    table: str
    data: dict
    targets: list[str] = field(default_factory=list)


def _box(r: dict) -> Optional[tuple[float, float, float, float]]:
    b = (r.get("x0"), r.get("top"), r.get("x1"), r.get("bottom"))
    return None if any(v is None for v in b) else tuple(float(v) for v in b)


def _contains(outer, inner, tol=CONTAIN_TOL) -> bool:
    return (
        outer[0] - tol <= inner[0] and outer[1] - tol <= inner[1]
        and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol
    )


def _area(b) -> float:
    return (b[2] - b[0]) * (b[3] - b[1])


def _union(boxes: Iterable[tuple]) -> tuple[float, float, float, float]:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


class Model:
    """Rows and regions of one document, linked both ways."""

    def __init__(self, doc_id: str, tables: dict[str, list[dict]]):
        self.doc_id = doc_id
        self.tables = {name: [r for r in rows if r.get("doc_id") == doc_id] for name, rows in tables.items()}
        self.rows: dict[str, Row] = {}
        self.regions: dict[str, Region] = {}
        self.years = sorted({r["fiscal_year"] for r in self.tables["targets"] if r.get("fiscal_year") is not None})
        self.year_colour = {y: YEAR_COLOURS[i % len(YEAR_COLOURS)] for i, y in enumerate(self.years)}
        for name, rows in self.tables.items():
            for i, r in enumerate(rows):
                rid = f"{name}-{i}"
                self.rows[rid] = Row(rid, name, r)
        # Rows per (table, page) in table order: each page panel reads its own.
        self._on_page: dict[tuple[str, int], list[Row]] = defaultdict(list)
        for row in self.rows.values():
            if row.data.get("page") is not None:
                self._on_page[(row.table, row.data["page"])].append(row)
        self._cells_by_page: dict[int, list[Region]] = defaultdict(list)
        self._build_cells()
        self._cells_in_order = self._ordered_cells()
        self._link_items()
        self._link_measures_and_programs()
        self._classify_remaining_cells()
        self._build_narrative_groups()
        self._build_leftovers()
        self._link_quantities()

    # -- helpers
    def rows_of(self, table: str) -> list[Row]:
        return [self.rows[f"{table}-{i}"] for i in range(len(self.tables[table]))]

    def regions_on(self, page: int) -> list[Region]:
        if not hasattr(self, "_regions_by_page"):  # built once, after every region exists
            self._regions_by_page: dict[int, list[Region]] = defaultdict(list)
            for r in self.regions.values():
                self._regions_by_page[r.page].append(r)
        return self._regions_by_page.get(page, [])

    def rows_on(self, table: str, page: int) -> list[Row]:
        return self._on_page.get((table, page), [])

    def link(self, row: Row, region: Region) -> None:
        if region.id not in row.targets:
            row.targets.append(region.id)
        if row.id not in region.rows:
            region.rows.append(row.id)

    def add_role(self, region: Region, role: str) -> None:
        if role not in region.roles:
            region.roles.append(role)

    def colour(self, role: str) -> str:
        if role.startswith("fy"):
            return self.year_colour.get(int(role[2:]), "#1e88e5")
        return ROLES[role][0]

    def role_label(self, role: str) -> str:
        return f"{role[2:]}年度" if role.startswith("fy") else ROLES[role][1]

    # -- building
    def _build_cells(self) -> None:
        for c in self.tables["cells"]:
            box = _box(c)
            if box is None:
                continue
            rid = f"cell-p{c['page']}-t{c['table_no']}-r{c['row']}-c{c['col']}"
            region = Region(rid, c["page"], box, "cell", text=c.get("text") or "",
                            rowspan=c.get("rowspan") or 1, colspan=c.get("colspan") or 1)
            self.regions[rid] = region
            self._cells_by_page[c["page"]].append(region)

    def _cell_for(self, page: int, box) -> Optional[Region]:
        """The smallest cell on ``page`` containing ``box``."""
        inside = [c for c in self._cells_by_page.get(page, ()) if _contains(c.box, box)]
        return min(inside, key=lambda c: _area(c.box)) if inside else None

    def _own_region(self, kind: str, page: int, box) -> Region:
        # Items read from one paragraph or cell share a box: one region for them.
        rid = f"{kind}-p{page}-" + "-".join(f"{v:.1f}".replace(".", "_") for v in box)
        if rid not in self.regions:
            self.regions[rid] = Region(rid, page, box, kind)
        return self.regions[rid]

    def _link_items(self) -> None:
        for table in ITEM_TABLES:
            for row in self.rows_of(table):
                r = row.data
                box = _box(r)
                if box is None or r.get("page") is None:
                    continue
                if table == "narrative":
                    region = self._own_region("para", r["page"], box)
                    region.text = region.text or r.get("text") or ""
                    role = f"{r['section']}_bullet" if f"{r['section']}_bullet" in ROLES else "results_bullet"
                else:
                    region = self._cell_for(r["page"], box) or self._own_region("box", r["page"], box)
                    if table == "current_items":
                        role = "current"
                    elif table == "targets":
                        role = f"fy{r['fiscal_year']}"
                    else:
                        role = r["block"] if r["block"] in ROLES else "outcomes"
                self.add_role(region, role)
                self.link(row, region)

    def _ordered_cells(self) -> list[Region]:
        # Document order: page, table, row band, column band.
        def key(c: Region):
            _, p, t, r, col = c.id.split("-")
            return (int(p[1:]), int(t[1:]), int(r[1:]), int(col[1:]))

        return sorted((c for cells in self._cells_by_page.values() for c in cells), key=key)

    def _link_measures_and_programs(self) -> None:
        measures = self.rows_of("measures")
        programs = self.rows_of("programs")
        located: dict[str, Region] = {}
        for m in measures:
            name = _squash(m.data.get("measure"))
            if not name:
                continue
            pages = range(m.data.get("page_start") or 0, (m.data.get("page_end") or 0) + 1)
            for cell in self._cells_in_order:
                # The name opens the cell, after at most a bullet or two (○);
                # a name may itself start with a symbol such as 「.
                if cell.page in pages and not cell.roles and 0 <= _squash(cell.text).find(name) <= 2:
                    located[m.id] = cell
                    self.add_role(cell, "measure")
                    self.link(m, cell)
                    break
        by_cell = {c.id: m_id for m_id, c in located.items()}
        current: Optional[Row] = None
        program_iter = iter(programs)
        for cell in self._cells_in_order:
            if cell.id in by_cell:
                current = self.rows[by_cell[cell.id]]
                continue
            if cell.roles:
                continue
            text = _squash(cell.text)
            if text.startswith("アクションプログラム"):
                self.add_role(cell, "program")
                match = next((p for p in programs if _squash(p.data.get("program")) and _squash(p.data.get("program")) in text), None)
                if match is None:  # name printed differently: fall back to order
                    match = next(program_iter, None)
                if match is not None:
                    self.link(match, cell)
                current = None
            elif "達成状況区分" in text:
                self.add_role(cell, "rating")
                if current is not None:
                    self.link(current, cell)
            elif "実施結果" in text and len(text) <= 30:
                self.add_role(cell, "period")
                if current is not None:
                    self.link(current, cell)

    def _classify_remaining_cells(self) -> None:
        year_labels = {_squash(r.get("fiscal_year_label")): r["fiscal_year"] for r in self.tables["targets"] if r.get("fiscal_year_label")}
        header_words = {"施策計画名", "現状", "目標"}
        for cell in self._cells_in_order:
            if cell.roles:
                continue
            text = _squash(cell.text)
            if text in year_labels:
                self.add_role(cell, f"fy{year_labels[text]}")
                cell.kind = "cell header"
            elif text in header_words:
                self.add_role(cell, "header")
            elif text.startswith(("○", "◯", "〇")):
                self.add_role(cell, "measure")  # a measure name no measures row took
            elif text:
                self.add_role(cell, "other")
            else:
                self.add_role(cell, "empty")

    def _build_narrative_groups(self) -> None:
        by_program: dict[tuple, list[Row]] = defaultdict(list)
        by_heading: dict[tuple, list[Row]] = defaultdict(list)
        for row in self.rows_of("narrative"):
            r = row.data
            if _box(r) is None:
                continue
            by_program[(r["page"], r["program_no"])].append(row)
            by_heading[(r["page"], r["program_no"], r["section"], r.get("heading"))].append(row)
        pad = 3.0  # groups sit just outside their bullets so both outlines show
        for groups, role in ((by_program, "nprogram"), (by_heading, "nheading")):
            for k, (key, rows) in enumerate(groups.items()):
                b = _union(_box(r.data) for r in rows)
                grow = pad * (2 if role == "nprogram" else 1)
                rid = f"{role}-p{key[0]}-{k}"
                r0 = rows[0].data
                label = r0["program"] if role == "nprogram" else (r0.get("heading") or SECTION_LABELS.get(r0["section"], r0["section"]))
                region = Region(rid, key[0], (b[0] - grow, b[1] - grow, b[2] + grow, b[3] + grow), "group", [role], text=label)
                self.regions[rid] = region
                region.rows = [r.id for r in rows]
                for r in rows:
                    r.data.setdefault("_groups", []).append(rid)

    def _build_leftovers(self) -> None:
        for row in self.rows_of("leftovers"):
            box = _box(row.data)
            if box is None:
                continue
            rid = f"left-{row.id.split('-')[1]}"
            region = Region(rid, row.data["page"], box, "leftover", ["leftover"], text=row.data.get("text") or "")
            self.regions[rid] = region
            self.link(row, region)

    def _link_quantities(self) -> None:
        for q in self.rows_of("quantities"):
            for src in self._quantity_sources(q.data):
                for rid in src.targets:
                    self.link(q, self.regions[rid])
                q.data.setdefault("_sources", []).append(src.id)

    def _quantity_sources(self, q: dict) -> list[Row]:
        """The rows whose text the quantity was read from."""
        source, qtext, pos = q.get("source"), q.get("text") or "", q.get("position") or 0
        if source not in self.tables:
            return []
        if source == "measures":
            return [m for m in self.rows_of("measures") if m.data.get("measure_no") == q.get("measure_no")
                    and (m.data.get("description") or "")[pos:pos + len(qtext)] == qtext]
        fld = q.get("field") or ""
        out = []
        for row in self.rows_on(source, q.get("page")):
            r = row.data
            if r.get("item_no") != q.get("item_no"):
                continue
            if any(k in r and q.get(k) is not None and r[k] != q[k] for k in ("measure_no", "program_no")):
                continue
            if (r.get("text") or "")[pos:pos + len(qtext)] != qtext:
                continue
            # The field narrows down items that share page, item number and text.
            parts = fld.split("/")
            if source == "current_items" and len(parts) == 2 and parts[1].isdigit() and r.get("row_no") not in (None, int(parts[1])):
                continue
            if source == "targets" and len(parts) == 3 and parts[2].isdigit() and r.get("first_year") != int(parts[2]):
                continue
            if source == "results" and fld and r.get("block") != fld:
                continue
            if source == "narrative" and len(parts) == 2 and (r.get("section") != parts[0] or (r.get("heading") or "") != parts[1]):
                continue
            out.append(row)
        return out

    # -- pages
    def pages(self) -> set[int]:
        pages = {r.page for r in self.regions.values()}
        for row in self.rows.values():
            page = row.data.get("page", row.data.get("page_start"))  # measures carry page_start
            if page is not None:
                pages.add(page)
        return pages


# ---------------------------------------------------------------- HTML

CSS = """
:root { --hl: #ff1744; font-family: system-ui, "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; }
body { margin: 0; background: #fafafa; color: #212121; font-size: 13px; }
header.summary { padding: 12px 20px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { font-size: 20px; margin: 4px 0 8px; }
h2 { font-size: 16px; margin: 0; padding: 8px 20px; background: #eceff1; position: sticky; top: 0; z-index: 5; }
h3 { font-size: 13px; margin: 10px 0 4px; }
.cols { display: flex; flex-wrap: wrap; gap: 24px; }
.cols > div { min-width: 220px; }
table.kv, table.counts { border-collapse: collapse; }
table.kv td, table.kv th, table.counts td, table.counts th { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bad { color: #c62828; font-weight: bold; }
.warn { color: #c62828; }
.legend span.sw { display: inline-block; width: 12px; height: 12px; border: 2px solid var(--c); background: color-mix(in srgb, var(--c) 30%, transparent); vertical-align: -2px; margin: 0 3px 0 10px; }
.legend .lo span.sw { border-style: dashed; }
section.page { border-bottom: 4px solid #cfd8dc; }
.pageview { display: flex; align-items: flex-start; gap: 12px; padding: 8px 12px; }
.imgwrap { position: relative; flex: 0 0 62%; max-width: 62%; line-height: 0; box-shadow: 0 1px 4px rgba(0,0,0,.3); background: #fff; }
.imgwrap img { width: 100%; height: auto; display: block; }
.imgwrap svg { position: absolute; inset: 0; width: 100%; height: 100%; }
svg .rg { fill: var(--c); fill-opacity: .16; stroke: var(--c); stroke-opacity: .95; stroke-width: 1.4px; vector-effect: non-scaling-stroke; cursor: pointer; }
svg .rg:hover { fill-opacity: .32; }
svg .rg.empty { fill-opacity: .03; stroke-dasharray: 2 2; }
svg .rg.other { stroke-dasharray: 5 3; }
svg .rg.group { fill: none; stroke-dasharray: 6 3; pointer-events: stroke; stroke-width: 2px; }
svg .rg.leftover { fill: #e53935; fill-opacity: .35; stroke: #e53935; stroke-width: 3px; }
svg .rg.hl { stroke: var(--hl); stroke-width: 4px; fill: var(--hl) !important; fill-opacity: .30; stroke-opacity: 1; animation: pulse 1s ease-in-out 2; }
svg text.span { font-size: 7px; fill: #37474f; pointer-events: none; }
@keyframes pulse { 50% { fill-opacity: .55; } }
.rows { flex: 1 1 0; min-width: 0; max-height: calc(100vh - 50px); overflow-y: auto; position: sticky; top: 40px; background: #fff; border: 1px solid #ddd; padding: 4px 8px; }
.rows table { border-collapse: collapse; width: 100%; }
.rows td { border-top: 1px solid #eee; padding: 2px 4px; vertical-align: top; }
.rows td.k { white-space: nowrap; width: 1%; }
.rows td.n { width: 1%; min-width: 4em; max-width: 11em; color: #757575; font-size: 11px; }
.row { cursor: pointer; }
.row:hover { background: #f5f5f5; }
.row.hl, .grp.hl { background: #ffebee; outline: 2px solid var(--hl); }
.nobox { color: #9e9e9e; }
.chip { display: inline-block; padding: 0 5px; border-radius: 3px; border: 1px solid var(--c); background: color-mix(in srgb, var(--c) 18%, white); font-size: 11px; }
.measure { margin-top: 10px; padding: 3px 4px; background: color-mix(in srgb, #8e24aa 10%, white); border-left: 4px solid #8e24aa; }
.program { margin-top: 6px; padding: 3px 4px; background: color-mix(in srgb, #ff9800 12%, white); border-left: 4px solid #ff9800; }
.grp { margin: 6px 0 2px; font-weight: bold; cursor: pointer; }
tr.leftover td, div.leftover { color: #c62828; }
.empty-page { padding: 8px 20px; color: #757575; }
#status { position: fixed; right: 10px; bottom: 10px; background: #263238; color: #fff; padding: 4px 10px; border-radius: 4px; font-size: 12px; z-index: 10; max-width: 40vw; }
#status:empty { display: none; }
"""

# Plain DOM code, no library: the report must open from a file with no network.
JS = r"""
(function () {
  'use strict';
  var status = document.getElementById('status');
  function ids(el, attr) { return (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean); }
  function clear() {
    document.querySelectorAll('.hl').forEach(function (e) { e.classList.remove('hl'); });
  }
  function toFront(region) {
    // SVG paints in document order: lift the region above its neighbours.
    if (region instanceof SVGElement && region.parentNode) region.parentNode.appendChild(region);
  }
  function selectRow(row, scroll) {
    clear();
    row.classList.add('hl');
    var first = null;
    ids(row, 'data-target').forEach(function (id) {
      var r = document.getElementById(id);
      if (r) { r.classList.add('hl'); toFront(r); first = first || r; }
    });
    if (first && scroll) first.scrollIntoView({block: 'center', inline: 'nearest'});
    status.textContent = (row.getAttribute('data-label') || row.id) + ' → ' + ids(row, 'data-target').join(', ');
  }
  function selectRegion(region) {
    clear();
    region.classList.add('hl');
    toFront(region);
    var rows = ids(region, 'data-rows'), first = null;
    rows.forEach(function (id) {
      var r = document.getElementById(id);
      if (r) { r.classList.add('hl'); first = first || r; }
    });
    if (first) first.scrollIntoView({block: 'nearest', inline: 'nearest'});
    status.textContent = region.id + ': ' + (rows.length ? rows.length + ' row(s)' : 'no extracted row');
  }
  document.addEventListener('click', function (e) {
    var row = e.target.closest('[data-target]');
    if (row && !row.matches('svg *')) { selectRow(row, true); return; }
    var region = e.target.closest('[data-rows]');
    if (region) { selectRegion(region); return; }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && e.target.matches('[data-target]')) selectRow(e.target, true);
  });
  function fromHash() {
    var el = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!el) return;
    if (el.hasAttribute('data-target')) selectRow(el, true);
    else if (el.hasAttribute('data-rows')) selectRegion(el);
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
  window.sesakuAudit = {selectRow: selectRow, selectRegion: selectRegion};
})();
"""


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


class HtmlReport:
    def __init__(self, model: Model, run_doc: dict, run: dict, images: list[PageImage], missing_tables: list[str]):
        self.m = model
        self.doc = run_doc
        self.run = run
        self.images = {im.number: im for im in images}
        self.missing_tables = missing_tables

    # -- rows
    def _row_attrs(self, row: Row, label: str, extra_class: str = "") -> str:
        targets = " ".join(row.targets)
        cls = f"row {extra_class}".strip() + ("" if row.targets else " nobox")
        attrs = f'id="{row.id}" class="{cls}" data-label="{_e(label)}"'
        if targets:
            attrs += f' data-target="{targets}" tabindex="0"'
        else:
            attrs += ' title="no box recorded: cannot be shown on the page"'
        return attrs

    def _chip(self, role: str, text: str) -> str:
        return f'<span class="chip" style="--c:{self.m.colour(role)}">{_e(text)}</span>'

    def _item_tr(self, row: Row) -> str:
        r = row.data
        t = row.table
        if t == "current_items":
            key = self._chip("current", "現状")
            n = f"{'r' + str(r['row_no']) if r.get('row_no') else ''}{'(' + r['row_label'] + ')' if r.get('row_label') else ''}·{r['item_no']}"
            label = f"現状 施策{r['measure_no']} {n}"
        elif t == "targets":
            key = self._chip(f"fy{r['fiscal_year']}", f"{r['fiscal_year']}{'以降' if r.get('and_after') else ''}")
            span = f" [{r['first_year']}–{r['last_year']}]" if r.get("first_year") != r.get("last_year") else ""
            rowpart = "全行" if r.get("all_rows") else (f"r{r['row_no']}" if r.get("row_no") else "")
            n = f"{rowpart}{'(' + r['row_label'] + ')' if r.get('row_label') else ''}·{r['item_no']}{span}"
            label = f"目標 施策{r['measure_no']} {r['fiscal_year']}年度 {n}"
        else:  # results
            key = self._chip(r["block"] if r["block"] in ROLES else "outcomes", BLOCK_LABELS.get(r["block"], r["block"]))
            n = f"·{r['item_no']}"
            label = f"{BLOCK_LABELS.get(r['block'], r['block'])} 施策{r['measure_no']} {n}"
        return f'<tr {self._row_attrs(row, label)}><td class="k">{key}</td><td class="n">{_e(n)}</td><td>{_e(r.get("text"))}</td></tr>'

    def _measure_head(self, row: Optional[Row], measure: dict, continued: bool) -> str:
        m = measure
        rating = m.get("rating_raw") or "—"
        extra = f" (参考 {m['reference_rating']})" if m.get("reference_rating") is not None else ""
        body = (f"<b>施策{m['measure_no']}</b> {_e(m.get('measure'))} "
                f"{self._chip('rating', '区分 ' + str(rating) + extra)} <span class=\"n\">{_e(m.get('period'))} · "
                f"{m.get('rows')}行 · p.{m.get('page_start')}–{m.get('page_end')}</span>")
        if continued or row is None:
            more = f' <a href="#{row.id}">(続き)</a>' if continued and row is not None else (" (続き)" if continued else "")
            return f'<div class="measure">{body}{more}</div>'
        return f'<div {self._row_attrs(row, "施策" + str(m["measure_no"]), "measure")}>{body}</div>'

    def _program_head(self, row: Row) -> str:
        p = row.data
        return (f'<div {self._row_attrs(row, "プログラム" + str(p["program_no"]), "program")}><b>プログラム{p["program_no"]}</b> '
                f'{_e(p.get("program"))} {self._chip("rating", "区分 " + str(p.get("rating_raw") or "—"))}</div>')

    def _page_panel(self, page: int) -> str:
        m = self.m
        out: list[str] = []
        programs = {row.data["program_no"]: row for row in m.rows_on("programs", page)}
        # Measures whose name is on this page, or any of whose items are.
        items_by_measure: dict[int, list[Row]] = defaultdict(list)
        for table in ("current_items", "targets", "results"):
            for row in m.rows_on(table, page):
                items_by_measure[row.data["measure_no"]].append(row)
        for row in m.rows_of("measures"):
            d = row.data
            here = [m.regions[t].page for t in row.targets if m.regions[t].kind.startswith("cell") and "measure" in m.regions[t].roles]
            head_here = (here[0] == page) if here else d.get("page_start") == page
            items = items_by_measure.get(d["measure_no"], [])
            if not head_here and not items:
                continue
            # A program's row goes just before its first measure, as printed.
            if d.get("program_no") in programs:
                out.append(self._program_head(programs.pop(d["program_no"])))
            out.append(self._measure_head(row, d, continued=not head_here))
            if items:
                out.append("<table>" + "".join(self._item_tr(r) for r in items) + "</table>")
        out[:0] = [self._program_head(row) for row in programs.values()]  # programs with no measure here
        # Prose bullets, grouped by program and heading as printed.
        narrative = m.rows_on("narrative", page)
        last_prog, last_head = None, None
        rows_html: list[str] = []

        def flush():
            if rows_html:
                out.append("<table>" + "".join(rows_html) + "</table>")
                rows_html.clear()

        for row in narrative:
            r = row.data
            groups = r.get("_groups", [])
            if r["program_no"] != last_prog:
                flush()
                gid = next((g for g in groups if g.startswith("nprogram")), "")
                attr = f' data-target="{gid}"' if gid else ""
                out.append(f'<div class="grp program"{attr}>本文 プログラム{r["program_no"]} {_e(r["program"])}</div>')
                last_prog, last_head = r["program_no"], None
            head = (r["section"], r.get("heading"))
            if head != last_head:
                flush()
                gid = next((g for g in groups if g.startswith("nheading")), "")
                attr = f' data-target="{gid}"' if gid else ""
                title = SECTION_LABELS.get(r["section"], r["section"]) + (f" ▸ {r['heading']}" if r.get("heading") else "")
                out.append(f'<div class="grp"{attr}>{_e(title)}</div>')
                last_head = head
            role = f"{r['section']}_bullet" if f"{r['section']}_bullet" in ROLES else "results_bullet"
            label = f"本文 プログラム{r['program_no']} {title}·{r['item_no']}"
            rows_html.append(f'<tr {self._row_attrs(row, label)}><td class="k">{self._chip(role, "・" + str(r["item_no"]))}</td>'
                             f'<td>{_e(r.get("text"))}</td></tr>')
        flush()
        quantities = m.rows_on("quantities", page)
        if quantities:
            out.append("<h3>数量 quantities</h3><table>")
            for row in quantities:
                q = row.data
                where = f"施策{q['measure_no']}" if q.get("measure_no") is not None else f"プログラム{q.get('program_no')}"
                out.append(
                    f'<tr {self._row_attrs(row, "数量 " + (q.get("text") or ""))}><td class="k"><b>{_e(q.get("text"))}</b></td>'
                    f'<td class="n">{_e(_fmt(q["value"]) if q.get("value") is not None else "")} {_e(q.get("unit"))}'
                    f'{" 約" if q.get("approx") else ""}{" " + q["qualifier"] if q.get("qualifier") else ""}</td>'
                    f'<td class="n">{_e(q.get("source"))} · {_e(where)} · {_e(q.get("field"))} ·{q.get("item_no")}</td></tr>'
                )
            out.append("</table>")
        leftovers = m.rows_on("leftovers", page)
        if leftovers:
            out.append('<h3 class="warn">取り残し leftovers</h3><table>')
            for row in leftovers:
                out.append(f'<tr {self._row_attrs(row, "取り残し", "leftover")}><td>{_e(row.data.get("text"))}</td>'
                           f'<td class="n">{_e(row.data.get("reason"))}</td></tr>')
            out.append("</table>")
        if not out:
            out.append('<p class="nobox">nothing extracted from this page</p>')
        return "\n".join(out)

    # -- SVG
    def _svg(self, page: int, image: PageImage) -> str:
        m = self.m
        order = {"group": 0, "cell": 1, "cell header": 1, "box": 2, "para": 2, "leftover": 3}
        regions = sorted(m.regions_on(page), key=lambda r: order.get(r.kind, 2))
        vb = " ".join(_fmt(v) for v in image.view_box)
        defs, body = [], []
        for r in regions:
            x0, top, x1, bottom = r.box
            roles = r.roles or ["other"]
            classes = ["rg", *r.kind.split(), *roles]
            style = f"--c:{m.colour(roles[0])}"
            if len(roles) > 1:
                # One band per role: left to right for years (a target cell
                # merged over three year columns shows the three year colours
                # side by side), top to bottom for result blocks, as printed.
                gid = f"g-{r.id}"
                across = any(role.startswith("fy") for role in roles)
                stops = []
                for i, role in enumerate(roles):
                    a, b = i / len(roles), (i + 1) / len(roles)
                    stops.append(f'<stop offset="{a:.4f}" stop-color="{m.colour(role)}"/><stop offset="{b:.4f}" stop-color="{m.colour(role)}"/>')
                x2, y2 = (1, 0) if across else (0, 1)
                defs.append(f'<linearGradient id="{gid}" x1="0" x2="{x2}" y1="0" y2="{y2}">{"".join(stops)}</linearGradient>')
                style += f";fill:url(#{gid})"
            title = " / ".join(m.role_label(x) for x in roles)
            if r.rowspan > 1 or r.colspan > 1:
                title += f" · merged {r.rowspan}×{r.colspan}"
            title += f" · {len(r.rows)} row(s)"
            if r.text:
                title += "\n" + r.text[:300]
            data_rows = f' data-rows="{" ".join(r.rows)}"' if r.rows else ""
            body.append(
                f'<rect id="{r.id}" class="{" ".join(classes)}" style="{style}" x="{_fmt(x0)}" y="{_fmt(top)}" '
                f'width="{_fmt(x1 - x0)}" height="{_fmt(bottom - top)}"{data_rows}><title>{_e(title)}</title></rect>'
            )
            if r.rowspan > 1 or r.colspan > 1:
                # A badge so merged cells read as merged even when pale.
                marks = ("⇔" + str(r.colspan) if r.colspan > 1 else "") + ("⇕" + str(r.rowspan) if r.rowspan > 1 else "")
                body.append(f'<text class="span" x="{_fmt(x1 - 2)}" y="{_fmt(top + 7)}" text-anchor="end">{marks}</text>')
        return (f'<svg viewBox="{vb}" preserveAspectRatio="none" role="img" aria-label="regions of page {page}">'
                f'<defs>{"".join(defs)}</defs>{"".join(body)}</svg>')

    # -- summary
    def _summary(self, pages_with_content: list[int], empty_pages: list[int]) -> str:
        m, d = self.m, self.doc
        parts = [f"<h1>sesaku audit — {_e(m.doc_id)}</h1>"]
        parts.append('<div class="cols"><div><h3>Document</h3><table class="kv">')
        for k, v in (("path", d.get("path")), ("sha256", d.get("sha256")), ("pages", d.get("pages")),
                     ("status", d.get("status")), ("engine", self.run.get("engine")),
                     ("sesaku", self.run.get("sesaku_version")), ("seconds", d.get("seconds"))):
            parts.append(f"<tr><th>{k}</th><td>{_e(v)}</td></tr>")
        parts.append("</table></div>")
        parts.append('<div><h3>Rows per table</h3><table class="counts" id="counts"><tr><th>table</th><th>rows</th><th>_run.json</th></tr>')
        run_rows = d.get("rows") or {}
        for name in TABLES:
            n = len(m.tables[name])
            expected = run_rows.get(name)
            bad = expected is not None and expected != n
            note = " (file missing)" if name in self.missing_tables else ""
            parts.append(f'<tr data-table="{name}"><td>{name}{note}</td><td class="num{" bad" if bad else ""}">{n}</td>'
                         f'<td class="num">{_e(expected)}</td></tr>')
        parts.append("</table></div>")
        # Ratings
        parts.append('<div><h3>Ratings (measures)</h3><table class="counts" id="ratings"><tr><th>達成状況区分</th><th>measures</th></tr>')
        counts = Counter(r.get("rating_raw") or "—" for r in m.tables["measures"])
        for raw, n in sorted(counts.items()):
            parts.append(f"<tr><td>{_e(raw)}</td><td class=\"num\">{n}</td></tr>")
        parts.append("</table>")
        parts.append('<h3>Programs</h3><table class="counts" id="program-ratings"><tr><th>#</th><th>program</th><th>表</th><th>本文</th></tr>')
        for row in m.rows_of("programs"):
            p = row.data
            table_rating = p.get("rating")
            prose = p.get("narrative_rating")
            bad = table_rating is not None and prose is not None and (table_rating != prose or bool(p.get("rating_revised")) != bool(p.get("narrative_rating_revised")))
            prose_raw = "—" if prose is None else f"{prose}{'*' if p.get('narrative_rating_revised') else ''}"
            parts.append(f'<tr><td><a href="#{row.id}">{p["program_no"]}</a></td><td>{_e(p.get("program"))}</td>'
                         f'<td>{_e(p.get("rating_raw") or "—")}</td><td class="{"bad" if bad else ""}">{_e(prose_raw)}</td></tr>')
        parts.append("</table></div></div>")
        # Warnings and leftovers
        warnings = d.get("warnings") or []
        parts.append(f'<h3>Warnings ({len(warnings)})</h3>')
        if warnings:
            parts.append('<ul id="warnings">' + "".join(f'<li class="warn">{_e(w)}</li>' for w in warnings) + "</ul>")
        else:
            parts.append('<p id="warnings">none</p>')
        leftovers = m.rows_of("leftovers")
        parts.append(f'<h3 class="{"warn" if leftovers else ""}">Leftovers — text inside tables that went nowhere ({len(leftovers)})</h3>')
        if leftovers:
            parts.append('<ul id="leftovers">')
            for row in leftovers:
                r = row.data
                parts.append(f'<li class="warn"><a href="#{row.id}">p.{r["page"]}</a> {_e(r.get("text"))} '
                             f'<span class="n">({_e(r.get("reason"))})</span></li>')
            parts.append("</ul>")
        else:
            parts.append('<p id="leftovers">none</p>')
        unlocated = [r for t in ("measures", "current_items", "targets", "results", "narrative", "quantities") for r in m.rows_of(t) if not r.targets]
        if unlocated:
            parts.append(f'<h3 class="warn">Rows with no region on a page ({len(unlocated)})</h3><ul>')
            parts.extend(f'<li><a href="#{r.id}">{r.id}</a> {_e((r.data.get("text") or r.data.get("measure") or "")[:60])}</li>' for r in unlocated[:200])
            parts.append("</ul>")
        # Legend and page index
        roles_used = []
        for r in m.regions.values():
            for role in r.roles:
                if role not in roles_used:
                    roles_used.append(role)
        ordered = [f"fy{y}" for y in m.years] + [r for r in ROLES if r in roles_used]
        parts.append('<h3>Legend</h3><p class="legend">' + "".join(
            f'<span class="{"lo" if role == "leftover" else ""}"><span class="sw" style="--c:{m.colour(role)}"></span>{_e(m.role_label(role))}</span>'
            for role in ordered if role in roles_used
        ) + " · ⇔n / ⇕n: merged over n columns / rows · click a row or a region to link them</p>")
        def links(pages):
            return " ".join(f'<a href="#page-{p}">p.{p}</a>' for p in pages)

        parts.append("<h3>Pages</h3><p>" + links(pages_with_content)
                     + (" · nothing extracted from: " + links(empty_pages) if empty_pages else "") + "</p>")
        return '<header class="summary">' + "\n".join(parts) + "</header>"

    def render(self) -> str:
        m = self.m
        content_pages = m.pages()
        all_pages = sorted(set(self.images) | content_pages)
        with_content = [p for p in all_pages if p in content_pages]
        empty = [p for p in all_pages if p not in content_pages]
        sections = []
        for page in all_pages:
            image = self.images.get(page)
            kinds = []
            if any(r.kind.startswith("cell") for r in m.regions_on(page)):
                kinds.append("table page")
            if m.rows_on("narrative", page):
                kinds.append("prose page")
            heading = f'<h2>p.{page}{" · " + " / ".join(kinds) if kinds else ""}</h2>'
            if image is None:
                view = '<p class="empty-page">page image missing</p>'
            else:
                view = (f'<div class="imgwrap"><img src="{image.file}" width="{image.px_width}" height="{image.px_height}" '
                        f'alt="page {page}">{self._svg(page, image)}</div>')
            body = f'<div class="pageview">{view}<div class="rows">{self._page_panel(page)}</div></div>'
            if page in content_pages:
                sections.append(f'<section class="page" id="page-{page}">{heading}{body}</section>')
            else:
                # Collapsed, but there: a page the pipeline skipped is an audit finding.
                sections.append(f'<section class="page" id="page-{page}">{heading}<details><summary class="empty-page">'
                                f'nothing extracted from this page — show it</summary>{body}</details></section>')
        return (
            '<!doctype html>\n<html lang="ja"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>sesaku audit — {_e(m.doc_id)}</title>'
            f"<style>{CSS}</style></head><body>\n{self._summary(with_content, empty)}\n<main>\n"
            + "\n".join(sections)
            + f'\n</main><div id="status"></div><script>{JS}</script></body></html>\n'
        )


# ---------------------------------------------------------------- entry points


def build_document_report(extracted: Path, run: dict, run_doc: dict, tables: dict[str, list[dict]], missing: list[str],
                          out_dir: Path, pdf_dirs: Sequence[Path], scale: float = DEFAULT_SCALE) -> Path:
    """``out_dir/<doc_id>/index.html`` for one document; returns its path."""
    pdf = find_pdf(run_doc, extracted, pdf_dirs)
    doc_dir = out_dir / run_doc["doc_id"]
    doc_dir.mkdir(parents=True, exist_ok=True)
    for old in doc_dir.glob("page-*.png"):  # a shorter document must not keep stale pages
        old.unlink()
    try:
        images = render_pages(pdf, doc_dir, scale)
    except Exception as exc:  # pdfium's errors name no file
        raise AuditError(f"{run_doc['doc_id']}: cannot render {pdf}: {exc}") from exc
    model = Model(run_doc["doc_id"], tables)
    index = doc_dir / "index.html"
    index.write_text(HtmlReport(model, run_doc, run, images, missing).render(), encoding="utf-8")
    return index


def build_report(extracted: Path, out_dir: Path, pdf_dirs: Sequence[Path] = (), scale: float = DEFAULT_SCALE,
                 stderr=None) -> tuple[list[Path], list[str]]:
    """Reports for every extracted document: (index files written, errors)."""
    stderr = stderr or sys.stderr
    run = load_run(extracted)
    tables, missing = load_tables(extracted)
    out_dir.mkdir(parents=True, exist_ok=True)
    written, errors, listing = [], [], []
    for doc in run.get("documents", []):
        if doc.get("status") != "ok":
            listing.append(f'<li>{_e(doc.get("doc_id"))}: not extracted — {_e(doc.get("error"))}</li>')
            continue
        try:
            index = build_document_report(extracted, run, doc, tables, missing, out_dir, pdf_dirs, scale)
        except AuditError as exc:
            errors.append(str(exc))
            print(f"error: {exc}", file=stderr)
            listing.append(f'<li class="warn">{_e(doc["doc_id"])}: {_e(exc)}</li>')
            continue
        written.append(index)
        rows = doc.get("rows") or {}
        listing.append(f'<li><a href="{_e(doc["doc_id"])}/index.html">{_e(doc["doc_id"])}</a> — '
                       f'{rows.get("measures", 0)} measures, {rows.get("targets", 0)} target rows, '
                       f'{len(doc.get("warnings") or [])} warning(s), {rows.get("leftovers", 0)} leftover(s)</li>')
    (out_dir / "index.html").write_text(
        '<!doctype html>\n<html lang="ja"><head><meta charset="utf-8"><title>sesaku audit</title>'
        f"<style>{CSS}</style></head><body><header class=\"summary\"><h1>sesaku audit</h1><ul>{''.join(listing)}</ul>"
        "</header></body></html>\n",
        encoding="utf-8",
    )
    return written, errors


def _extract_to(paths: list[Path], out: Path) -> int:
    from .cli import main

    return main(["extract", *map(str, paths), "--out", str(out), "--force"])


def audit_command(args: argparse.Namespace) -> int:
    path: Path = args.path
    out: Path = args.out
    pdf_dirs = list(args.pdf_dir) or [Path("raw_pdfs")]
    if not path.exists():
        print(f"error: {path} not found", file=sys.stderr)
        return EXIT_NOTHING
    try:
        if path.is_dir() and (path / "_run.json").is_file():
            written, errors = build_report(path, out, pdf_dirs)
        else:
            # A PDF or a folder of PDFs: extract first, then report on that.
            pdfs = [path] if path.is_file() else sorted(path.glob("*.pdf"))
            if not pdfs:
                print(f"error: {path} is neither a PDF nor an extracted folder (no _run.json)", file=sys.stderr)
                return EXIT_NOTHING
            with tempfile.TemporaryDirectory(prefix="sesaku-audit-") as tmp:
                extracted = Path(tmp) / "extracted"
                code = _extract_to([path], extracted)
                if not (extracted / "_run.json").is_file():
                    print(f"error: nothing extracted from {path} (exit {code}); no report written", file=sys.stderr)
                    return EXIT_NOTHING
                written, errors = build_report(extracted, out, [*(p.parent for p in pdfs), *pdf_dirs])
    except AuditError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    for index in written:
        print(f"audit  {index}", file=sys.stderr)
    if not written:
        return EXIT_NOTHING
    return EXIT_SOME_FAILED if errors else EXIT_OK
