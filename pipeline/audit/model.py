"""Rows and page regions of one document, linked both ways by their keys.

Every ruled cell is a region whose role comes from the ``cells`` table's
``role`` and keys (program_no, measure_no, row_no, first_year,
last_year); item rows find their cell by the same keys on their page.
Nothing here reads a cell's text to decide what it is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from ..geometry import BBox, contains, union

# Cell and item boxes come from the same ruling, but rounding in the
# writers can move an edge by a fraction of a point.
CONTAIN_TOL = 1.0

ITEM_TABLES = ("current_items", "targets", "results", "narrative")

# Evaluation-sheet regions (``Model._build_sheets``): one colour per kind of
# value (greens for what was planned, blues for what happened, browns for
# money, grey for the rest), none of them the leftover red.
SHEET_ROLES: dict[str, tuple[str, str]] = {
    "kind_target": ("#2e7d32", "シート数値: 目標"),
    "kind_actual": ("#1565c0", "シート数値: 実績"),
    "kind_forecast": ("#4fc3f7", "シート数値: 見込"),
    "kind_budget": ("#8d6e63", "シート数値: 予算"),
    "kind_settlement": ("#ef6c00", "シート数値: 決算"),
    "kind_other": ("#757575", "シート数値: その他"),
    "sheet_field": ("#7e57c2", "シート項目"),
    "sheet_selected": ("#d81b60", "シート選択肢(選択)"),
    "sheet_option": ("#f48fb1", "シート選択肢(未選択)"),
    "sheet_unplaced": ("#ff5722", "シート未配置"),
}
SHEET_TABLES = ("sheet_values", "sheet_fields", "sheet_choices", "sheet_unplaced")

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
    # Evaluation sheets: a value's outline is its kind's colour; fields, choices
    # and what the model could not place have their own.
    **SHEET_ROLES,
}
# Blues and cyans only, so no year is mistaken for a role (or for leftover red).
YEAR_COLOURS = ("#1e88e5", "#00acc1", "#3949ab", "#4fc3f7", "#283593", "#0097a7", "#7986cb", "#0277bd")
BLOCK_LABELS = {"outcomes": "実施結果", "changes": "変化・課題", "revised_targets": "変更後の目標"}
SECTION_LABELS = {"results": "主な実施結果", "next_steps": "課題と取組"}


@dataclass
class Region:
    id: str
    page: int
    box: BBox
    kind: str  # cell | cell header | box | para | group | leftover
    roles: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    keys: dict = field(default_factory=dict)  # the cells table's role and keys


@dataclass
class Row:
    id: str
    table: str
    data: dict
    targets: list[str] = field(default_factory=list)


def _box(r: dict, prefix: str = "") -> Optional[BBox]:
    x0, top, x1, bottom = (r.get(prefix + k) for k in ("x0", "top", "x1", "bottom"))
    if x0 is None or top is None or x1 is None or bottom is None:
        return None
    return float(x0), float(top), float(x1), float(bottom)


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
        self._on_page: dict[tuple[str, Optional[int]], list[Row]] = defaultdict(list)
        for row in self.rows.values():
            if row.data.get("page") is not None:
                self._on_page[(row.table, row.data["page"])].append(row)
        self._cells_by_key: dict[tuple, list[Region]] = defaultdict(list)
        self._build_cells()
        self._link_items()
        self._link_measures_and_programs()
        self._colour_cells()
        self._build_narrative_groups()
        self._build_leftovers()
        self._build_sheets()
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

    def rows_on(self, table: str, page: Optional[int]) -> list[Row]:
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

    # -- cells
    def _build_cells(self) -> None:
        cells = sorted(self.tables["cells"], key=lambda c: (c["page"], c["table_no"], c["row"], c["col"]))
        for c in cells:
            box = _box(c)
            if box is None:
                continue
            rid = f"cell-p{c['page']}-t{c['table_no']}-r{c['row']}-c{c['col']}"
            region = Region(rid, c["page"], box, "cell", text=c.get("text") or "",
                            rowspan=c.get("rowspan") or 1, colspan=c.get("colspan") or 1, keys=c)
            self.regions[rid] = region
            self._cells_by_key[self._cell_key(c)].append(region)

    @staticmethod
    def _cell_key(c: dict) -> tuple:
        """What an item row must match to have been read from this cell."""
        role = c.get("role")
        if role == "current":
            return ("current", c["measure_no"], c["row_no"], c["page"])
        if role == "target":
            return ("target", c["measure_no"], c["row_no"], c["first_year"], c["last_year"], c["page"])
        if role == "result":
            return ("result", c["measure_no"], c["page"])
        if role in ("measure", "period", "rating"):
            return (role, c["measure_no"])
        if role == "program":
            return ("program", c["program_no"])
        return (role, c["page"], c["table_no"], c["row"], c["col"])

    def _item_key(self, table: str, r: dict) -> Optional[tuple]:
        if table == "current_items":
            return ("current", r["measure_no"], r["row_no"], r["page"])
        if table == "targets":
            row_no = None if r.get("all_rows") else r.get("row_no")
            return ("target", r["measure_no"], row_no, r["first_year"], r["last_year"], r["page"])
        if table == "results":
            return ("result", r["measure_no"], r["page"])
        return None

    def _own_region(self, kind: str, page: int, box: BBox) -> Region:
        # Items read from one paragraph share a box: one region for them.
        rid = f"{kind}-p{page}-" + "-".join(f"{v:.1f}".replace(".", "_") for v in box)
        if rid not in self.regions:
            self.regions[rid] = Region(rid, page, box, kind)
        return self.regions[rid]

    def _link_items(self) -> None:
        for table in ITEM_TABLES:
            for row in self.rows_of(table):
                r = row.data
                box = _box(r)
                if r.get("page") is None:
                    continue
                if table == "narrative":
                    if box is None:
                        continue
                    region = self._own_region("para", r["page"], box)
                    region.text = region.text or r.get("text") or ""
                    role = f"{r['section']}_bullet" if f"{r['section']}_bullet" in ROLES else "results_bullet"
                else:
                    item_key = self._item_key(table, r)
                    candidates = self._cells_by_key.get(item_key, []) if item_key is not None else []
                    if len(candidates) > 1 and box is not None:  # several result cells on one page
                        candidates = [c for c in candidates if contains(c.box, box, CONTAIN_TOL)] or candidates
                    if candidates:
                        region = candidates[0]
                    elif box is not None:
                        region = self._own_region("box", r["page"], box)
                    else:
                        continue
                    if table == "current_items":
                        role = "current"
                    elif table == "targets":
                        role = f"fy{r['fiscal_year']}"
                    else:
                        role = r["block"] if r["block"] in ROLES else "outcomes"
                self.add_role(region, role)
                self.link(row, region)

    def _link_measures_and_programs(self) -> None:
        measures = {m.data["measure_no"]: m for m in self.rows_of("measures")}
        programs = {p.data["program_no"]: p for p in self.rows_of("programs")}
        linked_name: set[int] = set()
        for region in self._cells_in_order():
            role, keys = region.keys.get("role"), region.keys
            if role in ("measure", "period", "rating") and keys.get("measure_no") in measures:
                self.add_role(region, role)
                # A name continued on the next page is the same measure; its
                # row points at the cell where the name starts.
                if role == "measure":
                    if keys["measure_no"] in linked_name:
                        continue
                    linked_name.add(keys["measure_no"])
                self.link(measures[keys["measure_no"]], region)
            elif role == "program" and keys.get("program_no") in programs:
                self.add_role(region, "program")
                self.link(programs[keys["program_no"]], region)

    def _cells_in_order(self) -> list[Region]:
        return [r for r in self.regions.values() if r.kind.startswith("cell")]

    def _colour_cells(self) -> None:
        """Cells no row took still show what they are, from their role."""
        for region in self._cells_in_order():
            if region.roles:
                continue
            keys = region.keys
            role = keys.get("role")
            if role == "header" and keys.get("first_year") is not None:
                for year in range(keys["first_year"], keys["last_year"] + 1):
                    self.add_role(region, f"fy{year}")
                region.kind = "cell header"
            elif role == "target":
                for year in range(keys["first_year"], keys["last_year"] + 1):
                    self.add_role(region, f"fy{year}")
            elif role == "result":
                self.add_role(region, "outcomes")
            elif role in ROLES:
                self.add_role(region, role)
            else:
                self.add_role(region, "other" if region.text.strip() else "empty")

    # -- prose and leftovers
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
                # A sub-heading sits inside its group and its program's, so
                # that no outline runs through its words (headings are often
                # set further left than their bullets).
                boxes = [_box(r.data) for r in rows] + [_box(r.data, "heading_") for r in rows]
                b = union(box for box in boxes if box is not None)
                grow = pad * (2 if role == "nprogram" else 1)
                rid = f"{role}-p{key[0]}-{k}"
                r0 = rows[0].data
                label = r0["program"] if role == "nprogram" else (r0.get("heading") or SECTION_LABELS.get(r0["section"], r0["section"]))
                region = Region(rid, key[0], (b[0] - grow, b[1] - grow, b[2] + grow, b[3] + grow), "group", [role], text=label)
                self.regions[rid] = region
                region.rows = [row.id for row in rows]
                for row in rows:
                    row.data.setdefault("_groups", []).append(rid)

    def _build_leftovers(self) -> None:
        for row in self.rows_of("leftovers"):
            box = _box(row.data)
            if box is None:
                continue
            rid = f"left-{row.id.split('-')[1]}"
            region = Region(rid, row.data["page"], box, "leftover", ["leftover"], text=row.data.get("text") or "")
            self.regions[rid] = region
            self.link(row, region)

    # -- evaluation sheets
    def _build_sheets(self) -> None:
        """A region per sheet row with a box, coloured by what it is (a value by its kind).

        Rows of one box (the options of a question printed in one cell) share it."""
        by_box: dict[tuple, Region] = {}
        for table in SHEET_TABLES:
            for row in self.rows_of(table) if table in self.tables else ():
                r = row.data
                box = _box(r)
                if box is None:
                    continue
                if table == "sheet_values":
                    role = f"kind_{r.get('kind')}" if f"kind_{r.get('kind')}" in SHEET_ROLES else "kind_other"
                elif table == "sheet_choices":
                    role = "sheet_selected" if r.get("selected") else "sheet_option"
                elif table == "sheet_fields":
                    role = "sheet_field"
                else:
                    role = "sheet_unplaced"
                k = (r["page"], *box)
                region = by_box.get(k)
                if region is None:
                    rid = f"sheet-{len(by_box)}"
                    region = Region(rid, r["page"], box, "box", [], text=str(r.get("text") or r.get("value") or r.get("option") or ""))
                    by_box[k] = self.regions[rid] = region
                self.add_role(region, role)
                self.link(row, region)

    # -- quantities
    def _link_quantities(self) -> None:
        for q in self.rows_of("quantities"):
            for src in self._quantity_sources(q.data):
                for rid in src.targets:
                    self.link(q, self.regions[rid])
                q.data.setdefault("_sources", []).append(src.id)

    def _quantity_sources(self, q: dict) -> list[Row]:
        """The rows whose text the quantity was read from, by the item's keys."""
        source = q.get("source")
        if source not in self.tables:
            return []
        if source == "measures":
            return [m for m in self.rows_of("measures") if m.data.get("measure_no") == q.get("measure_no")]
        out = []
        for row in self.rows_on(source, q.get("page")):
            r = row.data
            if r.get("item_no") != q.get("item_no"):
                continue
            if any(k in r and q.get(k) is not None and r[k] != q[k] for k in ("measure_no", "program_no")):
                continue
            if source == "current_items" and r.get("row_no") != q.get("row_no"):
                continue
            if source == "targets" and (r.get("first_year") != q.get("first_year") or r.get("row_no") != q.get("row_no")):
                continue
            if source == "results" and r.get("block") != q.get("part"):
                continue
            if source == "narrative" and (r.get("section") != q.get("part") or r.get("heading_no") != q.get("heading_no")):
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


