"""The audit report as HTML: each page image with its regions outlined, the rows beside it.

The HTML is self-contained: CSS, JS and SVG inline, page images beside it,
no network, so it opens from the file system and can be archived with a
run.  Style and script are real files (``static/``) read once here.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib import resources
from typing import Optional

from ..publishing.schema import TABLES
from ..reading.fonts import FONT_FILE
from .model import BLOCK_LABELS, ROLES, SECTION_LABELS, SHEET_ROLES, Model, Row
from .pages import PageImage


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static").joinpath(name).read_text(encoding="utf-8")


CSS = _static("audit.css")
# The report ships its Japanese font (IPAexGothic, from matplotlib-fontja,
# the one the reader also uses): a machine without CJK fonts would show
# every label and value as boxes.  One copy per report folder, in FONT_DIR.
FONT_DIR = "_fonts"
FONT_FAMILY = "sesaku-ipaexg"


def font_face(prefix: str) -> str:
    """The @font-face rule for a page ``prefix`` away from the report folder ("" or "../")."""
    return (f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{prefix}{FONT_DIR}/{FONT_FILE}") format("truetype"); '
            "font-display: block; }\n")
JS = _static("audit.js")


def escape(value: object) -> str:
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
        attrs = f'id="{row.id}" class="{cls}" data-label="{escape(label)}"'
        if targets:
            attrs += f' data-target="{targets}" tabindex="0"'
        else:
            attrs += ' title="no box recorded: cannot be shown on the page"'
        return attrs

    def _chip(self, role: str, text: str) -> str:
        return f'<span class="chip" style="--c:{self.m.colour(role)}">{escape(text)}</span>'

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
        return f'<tr {self._row_attrs(row, label)}><td class="k">{key}</td><td class="n">{escape(n)}</td><td>{escape(r.get("text"))}</td></tr>'

    def _measure_head(self, row: Optional[Row], measure: dict, continued: bool) -> str:
        m = measure
        rating = m.get("rating_raw") or "—"
        extra = f" (参考 {m['reference_rating']})" if m.get("reference_rating") is not None else ""
        body = (f"<b>施策{m['measure_no']}</b> {escape(m.get('measure'))} "
                f"{self._chip('rating', '区分 ' + str(rating) + extra)} <span class=\"n\">{escape(m.get('period'))} · "
                f"{m.get('rows')}行 · p.{m.get('page_start')}–{m.get('page_end')}</span>")
        if continued or row is None:
            more = f' <a href="#{row.id}">(続き)</a>' if continued and row is not None else (" (続き)" if continued else "")
            return f'<div class="measure">{body}{more}</div>'
        return f'<div {self._row_attrs(row, "施策" + str(m["measure_no"]), "measure")}>{body}</div>'

    def _program_head(self, row: Row) -> str:
        p = row.data
        return (f'<div {self._row_attrs(row, "プログラム" + str(p["program_no"]), "program")}><b>プログラム{p["program_no"]}</b> '
                f'{escape(p.get("program"))} {self._chip("rating", "区分 " + str(p.get("rating_raw") or "—"))}</div>')

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

        def flush() -> None:
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
                out.append(f'<div class="grp program"{attr}>本文 プログラム{r["program_no"]} {escape(r["program"])}</div>')
                last_prog, last_head = r["program_no"], None
            head = (r["section"], r.get("heading"))
            if head != last_head:
                flush()
                gid = next((g for g in groups if g.startswith("nheading")), "")
                attr = f' data-target="{gid}"' if gid else ""
                title = SECTION_LABELS.get(r["section"], r["section"]) + (f" ▸ {r['heading']}" if r.get("heading") else "")
                out.append(f'<div class="grp"{attr}>{escape(title)}</div>')
                last_head = head
            role = f"{r['section']}_bullet" if f"{r['section']}_bullet" in ROLES else "results_bullet"
            label = f"本文 プログラム{r['program_no']} {title}·{r['item_no']}"
            rows_html.append(f'<tr {self._row_attrs(row, label)}><td class="k">{self._chip(role, "・" + str(r["item_no"]))}</td>'
                             f'<td>{escape(r.get("text"))}</td></tr>')
        flush()
        quantities = m.rows_on("quantities", page)
        if quantities:
            out.append("<h3>数量 quantities</h3><table>")
            for row in quantities:
                q = row.data
                where = f"施策{q['measure_no']}" if q.get("measure_no") is not None else f"プログラム{q.get('program_no')}"
                out.append(
                    f'<tr {self._row_attrs(row, "数量 " + (q.get("text") or ""))}><td class="k"><b>{escape(q.get("text"))}</b></td>'
                    f'<td class="n">{escape(_fmt(q["value"]) if q.get("value") is not None else "")} {escape(q.get("unit"))}'
                    f'{" 約" if q.get("approx") else ""}{" " + q["qualifier"] if q.get("qualifier") else ""}</td>'
                    f'<td class="n">{escape(q.get("source"))} · {escape(where)} · {escape(q.get("part"))} ·{q.get("item_no")}</td></tr>'
                )
            out.append("</table>")
        out.extend(self._sheet_rows(page))
        leftovers = m.rows_on("leftovers", page)
        if leftovers:
            out.append('<h3 class="warn">取り残し leftovers</h3><table>')
            for row in leftovers:
                out.append(f'<tr {self._row_attrs(row, "取り残し", "leftover")}><td>{escape(row.data.get("text"))}</td>'
                           f'<td class="n">{escape(row.data.get("reason"))}</td></tr>')
            out.append("</table>")
        if not out:
            out.append('<p class="nobox">nothing extracted from this page</p>')
        return "\n".join(out)

    def _sheet_rows(self, page: int) -> list[str]:
        """The evaluation-sheet rows read from the page: values by kind, fields, choices, unplaced."""
        def value(row: Row) -> str:
            v = row.data
            role = f"kind_{v.get('kind')}" if f"kind_{v.get('kind')}" in SHEET_ROLES else "kind_other"
            chip = self._chip(role, f"{v.get('fiscal_year')} {SHEET_ROLES[role][1].split(': ')[-1]}")
            label = f"シート{v['sheet_no']} {v.get('item') or ''} {v.get('fiscal_year')}年度 {v.get('kind')}"
            return (f'<tr {self._row_attrs(row, label)}><td class="k">{chip}</td><td>{escape(v.get("item"))}</td>'
                    f'<td class="n"><b>{escape(v.get("text"))}</b> {escape(v.get("unit"))}</td>'
                    f'<td class="n">{escape(v.get("label"))}</td></tr>')

        def field(row: Row) -> str:
            f = row.data
            return (f'<tr {self._row_attrs(row, "シート項目 " + str(f.get("label")))}><td class="k">'
                    f'{self._chip("sheet_field", str(f.get("label"))[:24])}</td><td>{escape(f.get("value"))}</td></tr>')

        def choice(row: Row) -> str:
            c = row.data
            chip = self._chip("sheet_selected", "●") if c.get("selected") else self._chip("sheet_option", "○")
            return (f'<tr {self._row_attrs(row, "シート選択 " + str(c.get("question")))}><td class="k">{chip}</td>'
                    f'<td>{escape(c.get("question"))}</td><td>{escape(c.get("option"))}</td>'
                    f'<td class="n">{escape(c.get("form"))}</td></tr>')

        def unplaced(row: Row) -> str:
            u = row.data
            return (f'<tr {self._row_attrs(row, "シート未配置", "leftover")}><td>{escape(u.get("text"))}</td>'
                    f'<td class="n">{escape(u.get("reason"))}</td></tr>')

        out = []
        for table, title, render in (("sheet_values", "評価シートの数値 sheet values", value),
                                     ("sheet_fields", "評価シートの項目 sheet fields", field),
                                     ("sheet_choices", "評価シートの選択 sheet choices", choice),
                                     ("sheet_unplaced", "評価シートの未配置 sheet unplaced", unplaced)):
            rows = self.m.rows_on(table, page) if table in self.m.tables else []
            if rows:
                warn = ' class="warn"' if table == "sheet_unplaced" else ""
                out.append(f"<h3{warn}>{title}</h3><table>" + "".join(render(row) for row in rows) + "</table>")
        return out

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
            if r.keys.get("ocr"):
                # Recognised, not typeset: its own outline, and the model's confidence to judge it by.
                classes.append("ocr")
                confidence = r.keys.get("ocr_confidence")
                title += " · OCR" + (f" (confidence {confidence:.2f})" if confidence is not None else "")
            if r.rowspan > 1 or r.colspan > 1:
                title += f" · merged {r.rowspan}×{r.colspan}"
            title += f" · {len(r.rows)} row(s)"
            if r.text:
                title += "\n" + r.text[:300]
            data_rows = f' data-rows="{" ".join(r.rows)}"' if r.rows else ""
            body.append(
                f'<rect id="{r.id}" class="{" ".join(classes)}" style="{style}" x="{_fmt(x0)}" y="{_fmt(top)}" '
                f'width="{_fmt(x1 - x0)}" height="{_fmt(bottom - top)}"{data_rows}><title>{escape(title)}</title></rect>'
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
        parts = [f"<h1>sesaku audit — {escape(m.doc_id)}</h1>"]
        parts.append('<div class="cols"><div><h3>Document</h3><table class="kv">')
        for k, v in (("path", d.get("path")), ("sha256", d.get("sha256")), ("pages", d.get("pages")),
                     ("status", d.get("status")), ("engine", self.run.get("engine")),
                     ("sesaku", self.run.get("sesaku_version")), ("seconds", d.get("seconds"))):
            parts.append(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>")
        parts.append("</table></div>")
        parts.append('<div><h3>Rows per table</h3><table class="counts" id="counts"><tr><th>table</th><th>rows</th><th>_run.json</th></tr>')
        run_rows = d.get("rows") or {}
        for name in TABLES:
            n = len(m.tables[name])
            expected = run_rows.get(name)
            bad = expected is not None and expected != n
            note = " (file missing)" if name in self.missing_tables else ""
            parts.append(f'<tr data-table="{name}"><td>{name}{note}</td><td class="num{" bad" if bad else ""}">{n}</td>'
                         f'<td class="num">{escape(expected)}</td></tr>')
        parts.append("</table></div>")
        # Ratings
        parts.append('<div><h3>Ratings (measures)</h3><table class="counts" id="ratings"><tr><th>達成状況区分</th><th>measures</th></tr>')
        counts = Counter(r.get("rating_raw") or "—" for r in m.tables["measures"])
        for raw, n in sorted(counts.items()):
            parts.append(f"<tr><td>{escape(raw)}</td><td class=\"num\">{n}</td></tr>")
        parts.append("</table>")
        parts.append('<h3>Programs</h3><table class="counts" id="program-ratings"><tr><th>#</th><th>program</th><th>表</th><th>本文</th></tr>')
        for row in m.rows_of("programs"):
            p = row.data
            table_rating = p.get("rating")
            prose = p.get("narrative_rating")
            bad = table_rating is not None and prose is not None and (table_rating != prose or bool(p.get("rating_revised")) != bool(p.get("narrative_rating_revised")))
            prose_raw = "—" if prose is None else f"{prose}{'*' if p.get('narrative_rating_revised') else ''}"
            parts.append(f'<tr><td><a href="#{row.id}">{p["program_no"]}</a></td><td>{escape(p.get("program"))}</td>'
                         f'<td>{escape(p.get("rating_raw") or "—")}</td><td class="{"bad" if bad else ""}">{escape(prose_raw)}</td></tr>')
        parts.append("</table></div></div>")
        # Warnings and leftovers
        warnings = d.get("warnings") or []
        parts.append(f'<h3>Warnings ({len(warnings)})</h3>')
        if warnings:
            parts.append('<ul id="warnings">' + "".join(f'<li class="warn">{escape(w)}</li>' for w in warnings) + "</ul>")
        else:
            parts.append('<p id="warnings">none</p>')
        leftovers = m.rows_of("leftovers")
        parts.append(f'<h3 class="{"warn" if leftovers else ""}">Leftovers — text inside tables that went nowhere ({len(leftovers)})</h3>')
        if leftovers:
            parts.append('<ul id="leftovers">')
            for row in leftovers:
                r = row.data
                parts.append(f'<li class="warn"><a href="#{row.id}">p.{r["page"]}</a> {escape(r.get("text"))} '
                             f'<span class="n">({escape(r.get("reason"))})</span></li>')
            parts.append("</ul>")
        else:
            parts.append('<p id="leftovers">none</p>')
        unlocated = [r for t in ("measures", "current_items", "targets", "results", "narrative", "quantities") for r in m.rows_of(t) if not r.targets]
        if unlocated:
            parts.append(f'<h3 class="warn">Rows with no region on a page ({len(unlocated)})</h3><ul>')
            parts.extend(f'<li><a href="#{r.id}">{r.id}</a> {escape((r.data.get("text") or r.data.get("measure") or "")[:60])}</li>' for r in unlocated[:200])
            parts.append("</ul>")
        # Legend and page index
        roles_used = []
        for region in m.regions.values():
            for role in region.roles:
                if role not in roles_used:
                    roles_used.append(role)
        ordered = [f"fy{y}" for y in m.years] + [r for r in ROLES if r in roles_used]
        parts.append('<h3>Legend</h3><p class="legend">' + "".join(
            f'<span class="{"lo" if role == "leftover" else ""}"><span class="sw" style="--c:{m.colour(role)}"></span>{escape(m.role_label(role))}</span>'
            for role in ordered if role in roles_used
        ) + " · ⇔n / ⇕n: merged over n columns / rows · click a row or a region to link them</p>")
        def links(pages: Iterable[int]) -> str:
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
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>sesaku audit — {escape(m.doc_id)}</title>'
            f"<style>{font_face('../')}{CSS}</style></head><body>\n{self._summary(with_content, empty)}\n<main>\n"
            + "\n".join(sections)
            + f'\n</main><div id="status"></div><script>{JS}</script></body></html>\n'
        )


