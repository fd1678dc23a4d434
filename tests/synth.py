"""Synthetic PDFs for unit tests: 施策計画 tables drawn from a grid, plus bad inputs.

Grids use the format of ``tests/fixtures/plan6.grid.json``: a list of rows, each a list
of cells ``{"r", "c", "rowspan", "colspan", "text"}`` (lines separated by "\\n"), header rows once.

    from synth import build_table_pdf, plan_grid, year_labels, Program, Measure, SubRow, Target

    grid = plan_grid(year_labels(2019, 5), [Program("産業振興", "3*", [
        Measure("起業支援", "起業を支援します。", rows=[SubRow(["セミナー開催"], [Target(0, ["開催"], span=5)])],
                outcomes=["開催しました。"])])])
    drawn = build_table_pdf(tmp_path / "t.pdf", grid)
    drawn.pages[0].cells[0].bbox   # (x0, top, x1, bottom) in pdfplumber coordinates

Only reportlab's built-in CID fonts are used, so no font files are needed.
"""
from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, TextStringObject
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as rl_canvas

__all__ = [
    "BROWSER_PROSE",
    "BROWSER_PROSE_WIDTH",
    "SAMPLE_PROSE",
    "Drawing",
    "DrawnCell",
    "DrawnPage",
    "Measure",
    "Program",
    "Sheet",
    "SubRow",
    "Target",
    "build_sheets",
    "build_table_pdf",
    "flush_sentence",
    "make_cid_text",
    "make_cid_without_unicode",
    "make_empty",
    "make_encrypted",
    "make_glyph_id_text",
    "make_not_a_pdf",
    "make_plain_prose",
    "make_prose_only",
    "make_scanned",
    "make_text_pages",
    "make_truncated",
    "plan_grid",
    "plan_truth",
    "random_sub_rows",
    "year_labels",
]

# ----------------------------------------------------------------------------- plan grids


@dataclass
class Target:
    """One 目標 cell. ``start`` is the 0-based year column; ``items`` a list (drawn as ``●item`` lines)
    or a str drawn verbatim (e.g. ``"事業推進"``). ``all_rows`` merges the cell down over every sub-row
    of the measure (give it on the first sub-row only)."""
    start: int
    items: list[str] | str
    span: int = 1
    all_rows: bool = False


@dataclass
class SubRow:
    """One row of a measure: 現状 items (list -> ``●item`` lines, str -> verbatim), the target cells,
    and an optional label printed as ``(LABEL)`` above the 現状 items."""
    current: list[str] | str
    targets: list[Target] = field(default_factory=list)
    label: str | None = None


@dataclass
class Measure:
    name: str
    description: str = ""
    rows: list[SubRow] = field(default_factory=list)
    rating: str = "3"
    reference_rating: str | None = None
    outcomes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    revised_targets: list[str] = field(default_factory=list)


@dataclass
class Program:
    name: str
    rating: str
    measures: list[Measure] = field(default_factory=list)


def _coerce(cls, obj):
    """Accept the dataclass, a dict with its field names, or (for Target) a tuple
    ``(start, items)`` / ``(start, span, items)``, so tests can stay terse."""
    if isinstance(obj, cls):
        return obj
    if isinstance(obj, dict):
        kw = dict(obj)
        nested = {"measures": Measure, "rows": SubRow, "targets": Target}
        for key, sub in nested.items():
            if key in kw and any(f.name == key for f in fields(cls)):
                kw[key] = [_coerce(sub, x) for x in kw[key]]
        return cls(**kw)
    if cls is Target and isinstance(obj, tuple):
        return Target(obj[0], obj[1]) if len(obj) == 2 else Target(obj[0], obj[2], span=obj[1])
    raise TypeError(f"cannot make {cls.__name__} from {obj!r}")


def _programs(programs) -> list[Program]:
    progs = [_coerce(Program, p) for p in programs]
    for p in progs:
        p.measures = [_coerce(Measure, m) for m in p.measures]
        for m in p.measures:
            m.rows = [_coerce(SubRow, s) for s in m.rows]
            for s in m.rows:
                s.targets = [_coerce(Target, t) for t in s.targets]
    return progs


def year_labels(start: int, n: int, and_after: bool = True) -> list[str]:
    """``year_labels(2019, 5)`` -> ``["2019(令和元)年度", …, "2023(令和5)年度以降"]``."""
    def era(y):
        name, n0 = ("令和", 2018) if y >= 2019 else ("平成", 1988)
        k = y - n0
        return f"{name}{'元' if k == 1 else k}"
    labels = [f"{y}({era(y)})年度" for y in range(start, start + n)]
    if and_after and labels:
        labels[-1] += "以降"
    return labels


def _lines(items, bullet):
    return items if isinstance(items, str) else "\n".join(bullet + x for x in items)


def _result_text(m: Measure) -> str:
    lines = ["・" + x for x in m.outcomes]
    if m.changes:
        lines += ["【環境等の変化・課題等】"] + ["・" + x for x in m.changes]
    if m.revised_targets:
        lines += ["【変更後の目標】"] + ["・" + x for x in m.revised_targets]
    return "\n".join(lines)


def plan_grid(year_labels: list[str], programs, *, period: str = "第2期実行計画") -> list[list[dict]]:
    """Build a 施策計画 grid (plan6.grid.json format) from a compact description.

    ``programs`` is a list of :class:`Program` (or equivalent dicts)::

        Program(name="産業振興", rating="3*", measures=[
            Measure(name="起業支援", description="起業を支援します。",
                    rating="3*", reference_rating="2",            # optional (参考) rating
                    rows=[                                       # one SubRow per sub-row
                        SubRow(current=["セミナー開催"], label="融資",   # -> "(融資)\\n●セミナー開催"
                               targets=[Target(0, ["制度見直し"]),
                                        Target(1, ["運営"], span=3),   # merged over year cols 1-3
                                        Target(4, "事業推進", all_rows=True)]),
                        SubRow(current=["研修"], targets=[(0, 4, ["研修実施"])]),  # tuple shorthand
                    ],
                    outcomes=["開催しました。"], changes=["需要増"], revised_targets=["拡充"]),
        ])

    Rows produced: 2 header rows (施策計画名 | 現状 | 目標 over N years / the N labels); per program a
    full-width ``アクションプログラム：NAME【達成状況区分：R】`` row; per measure its sub-rows (column 0
    ``○ NAME\\nDESCRIPTION`` with rowspan = number of sub-rows) then the result row
    ``<period> 実施結果`` | ``達成状況区分\\nR[\\n(参考)当初の目標に対する達成状況\\n達成状況区分\\nR2]`` |
    outcome text over all year columns. Year columns no target covers get an empty cell, as in plan6.
    """
    n = len(year_labels)
    ncols = 2 + n
    grid: list[list[dict]] = []

    def add(cells):
        r = len(grid)
        grid.append([{"r": r, "c": c, "rowspan": rs, "colspan": cs, "text": t}
                     for c, rs, cs, t in sorted(cells)])

    add([(0, 2, 1, "施策計画名"), (1, 2, 1, "現状"), (2, 1, n, "目標")])
    add([(2 + i, 1, 1, lab) for i, lab in enumerate(year_labels)])
    for p in _programs(programs):
        add([(0, 1, ncols, f"アクションプログラム：{p.name}【達成状況区分：{p.rating}】")])
        for m in p.measures:
            k = max(1, len(m.rows))
            merged_down: set[int] = set()  # year columns filled by an all_rows cell above
            for i, sr in enumerate(m.rows or [SubRow([])]):
                cells = []
                if i == 0:
                    cells.append((0, k, 1, f"○ {m.name}" + (f"\n{m.description}" if m.description else "")))
                head = [f"({sr.label})"] if sr.label else []
                cur = _lines(sr.current, "●")
                cells.append((1, 1, 1, "\n".join(head + ([cur] if cur else []))))
                taken = set(merged_down)
                for t in sr.targets:
                    cols = set(range(t.start, t.start + t.span))
                    if t.start < 0 or t.start + t.span > n or cols & taken:
                        raise ValueError(f"target {t} out of range or overlapping in {m.name}")
                    taken |= cols
                    if t.all_rows:
                        merged_down |= cols
                    cells.append((2 + t.start, k if t.all_rows else 1, t.span, _lines(t.items, "●")))
                cells += [(2 + j, 1, 1, "") for j in range(n) if j not in taken]
                add(cells)
            rating = f"達成状況区分\n{m.rating}"
            if m.reference_rating is not None:
                rating += f"\n(参考)当初の目標に対する達成状況\n達成状況区分\n{m.reference_rating}"
            add([(0, 1, 1, f"{period} 実施結果"), (1, 1, 1, rating), (2, 1, n, _result_text(m))])
    return grid


def random_sub_rows(rng, n_years: int, n_rows: int, *, targets, items, label) -> list[SubRow]:
    """A measure's sub-rows drawn at random: ``targets(rng, n_years, first_row, multi_row)``,
    ``items(rng)`` and ``label(rng)`` (None: no label) draw each part.  A target cell merged
    down over every sub-row (``all_rows``, first row only) keeps its columns in the rows after."""
    rows: list[SubRow] = []
    for r in range(n_rows):
        row_targets = targets(rng, n_years, r == 0, n_rows > 1)
        merged = [t for t in rows[0].targets if t.all_rows] if rows else []
        if merged:
            # the merged-down cell covers its columns in every later row
            row_targets = [t for t in row_targets if t.start + t.span <= merged[0].start]
        drawn_label = label(rng) if n_rows > 1 else None  # drawn before the items: seeds keep their plans
        rows.append(SubRow(items(rng), row_targets, label=drawn_label))
    return rows


def plan_truth(year_labels: list[str], programs) -> list[dict]:
    """The ``programs`` part of a truth JSON (plan6 SCHEMA.md) for the same description, so a test can
    compare an extraction of ``plan_grid(...)``'s PDF with what was drawn."""
    years = [int(re.match(r"\d{4}", lab).group()) for lab in year_labels]

    def items(x):
        return [re.sub(r"^[●・]", "", s) for s in (x.split("\n") if isinstance(x, str) else x) if s]

    out = []
    for p in _programs(programs):
        ms = []
        for m in p.measures:
            rows = [{"label": s.label, "current": items(s.current),
                     "targets": [dict({"years": years[t.start:t.start + t.span], "items": items(t.items)},
                                      **({"all_rows": True} if t.all_rows else {}))
                                 for t in sorted(s.targets, key=lambda t: t.start)]}
                    for s in m.rows]
            ms.append({"name": m.name, "description": m.description, "rows": rows,
                       "result": {"rating": m.rating, "reference_rating": m.reference_rating,
                                  "outcomes": list(m.outcomes), "changes": list(m.changes),
                                  "revised_targets": list(m.revised_targets)}})
        out.append({"name": p.name, "rating": p.rating, "measures": ms})
    return out


# ----------------------------------------------------------------------------- rendering


@dataclass
class DrawnCell:
    r: int
    c: int
    rowspan: int
    colspan: int
    text: str                 # text drawn on this page ("" for a continuation)
    bbox: tuple[float, float, float, float]   # x0, top, x1, bottom (pdfplumber, displayed page)
    header: bool = False
    continuation: bool = False  # rowspan cell continued from a previous page (drawn blank)


@dataclass
class DrawnPage:
    index: int                # 0-based page number in the PDF
    rows: list[int]           # grid rows drawn, header rows first
    cells: list[DrawnCell]
    header_rows: int = 2

    @property
    def body_rows(self) -> list[int]:
        return self.rows[self.header_rows:]


@dataclass
class Drawing:
    path: Path
    width: float              # displayed page size (what pdfplumber reports)
    height: float
    prose_pages: list[int]    # 0-based page numbers of prose pages
    pages: list[DrawnPage]    # table pages

    @property
    def n_pages(self) -> int:
        return len(self.prose_pages) + len(self.pages)


_PAD = 2.0        # cell padding, pt
_LEADING = 1.3    # line height / font size
_MARGIN = 28.0
_ASCENT = 0.88    # baseline offset from the line top, in font sizes


def _font(name: str) -> str:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """Break per character: Japanese has no spaces to break at."""
    out = []
    for para in text.split("\n"):
        line, w = "", 0.0
        for ch in para:
            cw = pdfmetrics.stringWidth(ch, font, size)
            if line and w + cw > width:
                out.append(line)
                line, w = "", 0.0
            line += ch
            w += cw
        out.append(line)
    return out


def _spaced(text: str) -> bool:
    # Real documents letter-space short labels (施 策 計 画 名, 現 状) but not the year labels.
    return not re.search(r"[0-9A-Za-z0-9]", text) and "\n" not in text


def _draw_chars(c, x, y, text, font, size, gap):
    """Each character placed on its own, as PDF writers emit letter-spaced text."""
    for ch in text:
        c.drawString(x, y, ch)
        x += pdfmetrics.stringWidth(ch, font, size) + gap


def _spaced_width(text, font, size, gap):
    return sum(pdfmetrics.stringWidth(ch, font, size) for ch in text) + gap * max(0, len(text) - 1)


_ROT = {  # displayed (landscape) coords -> stored page coords, for each /Rotate
    0: lambda W, H: (1, 0, 0, 1, 0, 0),
    90: lambda W, H: (0, 1, -1, 0, H, 0),
    180: lambda W, H: (-1, 0, 0, -1, W, H),
    270: lambda W, H: (0, -1, 1, 0, 0, W),
}


def _prose_page(c, text, W, H, font, size=10.5):
    """Wraps ``text``; returns the lines that did not fit (they go on the next page)."""
    lines = _wrap(text, W - 2 * 50, font, size)
    per_page = int((H - 100) // (size * 1.6))
    c.setPageSize((W, H))
    c.setFont(font, size)
    for i, ln in enumerate(lines[:per_page]):
        c.drawString(50, H - 50 - size - i * size * 1.6, ln)
    c.showPage()
    return "\n".join(lines[per_page:])


def build_table_pdf(path, grid, *, page_size=landscape(A4), col_widths=None, font="HeiseiMin-W3",
                    font_size=7, letter_spaced_header=False, title="施策計画", rows_per_page=None,
                    break_before=(), rotate=0, prose_pages=(), line_style="lines",
                    header_rows=2, repeat_header=True) -> Drawing:
    """Render ``grid`` (plan6.grid.json format) as a ruled table PDF at ``path``.

    - The first ``header_rows`` rows repeat at the top of each table page (text centred); the title
      (14pt) sits above the table. ``letter_spaced_header`` spaces the title and header cells without
      digits/latin (施 策 計 画 名, 現 状, 目 標) by drawing each character separately.
    - Body text is wrapped per character inside the cell (padding 2pt), top-aligned; a row is as
      tall as its tallest single-row cell, and a rowspan cell's extra height is spread over its rows.
    - A page breaks when the next row does not fit, after ``rows_per_page`` body rows, or before any
      row index in ``break_before``. A rowspan cell cut by a break is drawn again, blank, on the
      next page (its text stays on the first page and may overflow a short first part).
    - ``rotate`` (0/90/180/270): table pages are stored rotated with that /Rotate so a correct reader
      shows the same ``page_size`` page. ``prose_pages``: strings drawn as plain text pages first.
    - ``line_style``: "lines" (stroked vector lines) or "rects" (0.5pt filled rectangles).
    - ``col_widths``: points per grid column; default splits the usable width 1.5 : 1.3 : 1 : 1 ….

    Returns a :class:`Drawing` with, per table page, the rows drawn and every cell's bbox.
    """
    path = Path(path)
    font = _font(font)
    W, H = page_size
    if rotate not in _ROT:
        raise ValueError("rotate must be 0, 90, 180 or 270")
    cells = [cell for row in grid for cell in row]
    ncols = max(c["c"] + c["colspan"] for c in cells)
    nrows = max(c["r"] + c["rowspan"] for c in cells)
    if col_widths is None:
        weights = [1.5, 1.3] + [1.0] * (ncols - 2) if ncols >= 3 else [1.0] * ncols
        col_widths = [(W - 2 * _MARGIN) * w / sum(weights) for w in weights]
    xs = [_MARGIN]
    for w in col_widths:
        xs.append(xs[-1] + w)

    gap = font_size * 0.6 if letter_spaced_header else 0.0
    line_h = font_size * _LEADING

    def is_header(cell):
        return cell["r"] < header_rows

    def cell_lines(cell):
        if is_header(cell):
            return cell["text"].split("\n")
        return _wrap(cell["text"], xs[cell["c"] + cell["colspan"]] - xs[cell["c"]] - 2 * _PAD, font, font_size)

    lines = {id(cell): cell_lines(cell) for cell in cells}
    need = {id(cell): 2 * _PAD + len(lines[id(cell)]) * line_h for cell in cells}
    heights = [2 * _PAD + line_h] * nrows
    for cell in cells:
        if cell["rowspan"] == 1:
            heights[cell["r"]] = max(heights[cell["r"]], need[id(cell)])
    for cell in cells:
        r, k = cell["r"], cell["rowspan"]
        deficit = need[id(cell)] - sum(heights[r:r + k])
        for i in range(r, r + k) if deficit > 0 else ():
            heights[i] += deficit / k

    title_size = 14
    top0 = _MARGIN + (title_size * 1.6 if title else 0)
    body_top = top0 + sum(heights[:header_rows])
    page_rows: list[list[int]] = []
    cur: list[int] = []
    y = body_top
    breaks = set(break_before)
    for r in range(header_rows, nrows):
        if cur and (r in breaks or y + heights[r] > H - _MARGIN
                    or (rows_per_page and len(cur) >= rows_per_page)):
            page_rows.append(cur)
            cur, y = [], body_top
        cur.append(r)
        y += heights[r]
    page_rows.append(cur)

    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=(W, H))
    c.setTitle(title or "table")
    prose_idx: list[int] = []
    for text in prose_pages:
        while True:
            prose_idx.append(len(prose_idx))
            text = _prose_page(c, text, W, H, font)
            if not text:
                break

    stored = (W, H) if rotate in (0, 180) else (H, W)
    drawn_pages = []
    for pno, body in enumerate(page_rows):
        # Some writers print the header on the first table page only.
        rows = (list(range(header_rows)) if pno == 0 or repeat_header else []) + body
        tops, y = {}, top0
        for r in rows:
            tops[r] = y
            y += heights[r]
        c.setPageSize(stored)
        c.saveState()
        c.transform(*_ROT[rotate](W, H))
        if title:
            c.setFont(font, title_size)
            tw = _spaced_width(title, font, title_size, title_size if letter_spaced_header else 0)
            _draw_chars(c, (W - tw) / 2, H - _MARGIN - title_size * _ASCENT, title, font, title_size,
                        title_size if letter_spaced_header else 0)
        c.setFont(font, font_size)
        page_cells, edges = [], set()
        for cell in cells:
            span = [r for r in range(cell["r"], cell["r"] + cell["rowspan"]) if r in tops]
            if not span:
                continue
            x0, x1 = xs[cell["c"]], xs[cell["c"] + cell["colspan"]]
            top, bottom = tops[span[0]], tops[span[-1]] + heights[span[-1]]
            cont = cell["r"] not in tops
            page_cells.append(DrawnCell(cell["r"], cell["c"], cell["rowspan"], cell["colspan"],
                                        "" if cont else cell["text"], (x0, top, x1, bottom),
                                        header=is_header(cell), continuation=cont))
            edges |= {("h", top, x0, x1), ("h", bottom, x0, x1), ("v", x0, top, bottom), ("v", x1, top, bottom)}
            if cont:
                continue
            ls = lines[id(cell)]
            if is_header(cell):
                block = len(ls) * line_h
                ty = top + (bottom - top - block) / 2
                for i, ln in enumerate(ls):
                    g = gap if _spaced(ln) else 0.0
                    lw = _spaced_width(ln, font, font_size, g)
                    _draw_chars(c, (x0 + x1 - lw) / 2, H - (ty + i * line_h + font_size * _ASCENT + _PAD / 2),
                                ln, font, font_size, g)
            else:
                for i, ln in enumerate(ls):
                    c.drawString(x0 + _PAD, H - (top + _PAD + i * line_h + font_size * _ASCENT), ln)
        _draw_edges(c, edges, H, line_style)
        c.restoreState()
        c.showPage()
        drawn_pages.append(
            DrawnPage(len(prose_idx) + pno, rows, page_cells, header_rows if pno == 0 or repeat_header else 0)
        )
    c.save()

    data = buf.getvalue()
    if rotate:
        # /Rotate goes in after drawing: reportlab draws the stored (unrotated) page.
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        for dp in drawn_pages:
            writer.pages[dp.index][NameObject("/Rotate")] = NumberObject(rotate)
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    path.write_bytes(data)
    return Drawing(path, W, H, prose_idx, drawn_pages)


def _draw_edges(c, edges, H, style):
    c.setLineWidth(0.5)
    for kind, fixed, a, b in sorted(edges):
        if kind == "h":
            x0, y0, x1, y1 = a, H - fixed, b, H - fixed
        else:
            x0, y0, x1, y1 = fixed, H - b, fixed, H - a
        if style == "lines":
            c.line(x0, y0, x1, y1)
        elif style == "rects":
            # Some writers fill hairline boxes instead of stroking; they overlap at the corners.
            c.rect(min(x0, x1) - 0.25, min(y0, y1) - 0.25, abs(x1 - x0) + 0.5, abs(y1 - y0) + 0.5,
                   stroke=0, fill=1)
        else:
            raise ValueError(f"line_style {style!r}")


# ----------------------------------------------------------------------------- bad inputs

SAMPLE_PROSE = [
    "アクションプログラム\nプラン6 川崎の活力を生み出す産業イノベーション\n"
    "1 国際的視点に基づく産業振興 【達成状況区分 3*】\n【主な実施結果】\n"
    "・第2期実行計画期間中にアジア起業家村に11社入居しました。入居企業に対して事業展開と"
    "生活の両面から支援を行い、市内企業との交流を進めました。\n"
    "【課題と第3期実行計画における取組】\n・環境技術の移転については、引き続き取り組みます。",
    "2 科学技術を活かした新産業分野の創出・振興 【達成状況区分 3*】\n【主な実施結果】\n"
    "・かわさき科学技術サロンを開催し、研究者・技術者の知的交流の場を提供しました。",
]


def _small_grid():
    return plan_grid(year_labels(2019, 3), [Program("産業振興", "3", [
        Measure("起業支援", "起業を支援します。", [SubRow(["相談"], [Target(0, ["セミナー開催"], span=3)])],
                outcomes=["セミナーを開催しました。"])])])


def make_not_a_pdf(path):
    Path(path).write_text("これはPDFではありません。\nplain text with a .pdf suffix\n", encoding="utf-8")


def make_empty(path):
    Path(path).write_bytes(b"")


def make_truncated(path, source_pdf):
    data = Path(source_pdf).read_bytes()
    Path(path).write_bytes(data[: int(len(data) * 0.6)])


def make_encrypted(path, password="secret"):
    """A valid small table PDF that needs ``password`` to open (RC4-128: no extra crypto package)."""
    buf = io.BytesIO()
    build_table_pdf(Path(path), _small_grid())
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    writer.write(buf)
    Path(path).write_bytes(buf.getvalue())


def make_scanned(path, page_size=landscape(A4)):
    """One page holding only a raster of a table-like page: no text layer, no vector rules."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    W, H = page_size
    img = Image.new("L", (int(W * 1.5), int(H * 1.5)), 255)
    d = ImageDraw.Draw(img)
    rnd = random.Random(6)
    xs = [60, 300, 520, 760, 1000, 1200]
    for y in range(80, 800, 60):
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
        for x0 in xs[:-1]:  # smudges standing in for glyphs
            for k in range(rnd.randint(1, 3)):
                gx = x0 + 8 + k * 60
                d.rectangle([gx, y + 12, gx + rnd.randint(20, 50), y + 20], fill=60)
    for x in xs:
        d.line([(x, 80), (x, 800 - 20)], fill=0, width=2)
    c = rl_canvas.Canvas(str(path), pagesize=(W, H))
    c.drawImage(ImageReader(img), 0, 0, W, H)
    c.showPage()
    c.save()


def make_prose_only(path, font="HeiseiMin-W3"):
    font = _font(font)
    c = rl_canvas.Canvas(str(path), pagesize=A4)
    for text in SAMPLE_PROSE:
        while text:
            text = _prose_page(c, text, *A4, font)
    c.save()


def make_text_pages(path, pages, font="HeiseiMin-W3", size=12, bold_line=None):
    """One page per list of lines, each line drawn at the left margin (non-embedded CID font).

    ``bold_line`` (an index) is drawn a second time 0.3 pt to the right, as writers draw fake bold.
    """
    font = _font(font)
    W, H = A4
    c = rl_canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        c.setFont(font, size)
        for i, text in enumerate(lines):
            y = H - 72 - i * size * 1.8
            c.drawString(72, y, text)
            if i == bold_line:
                c.drawString(72.3, y, text)
        c.showPage()
    c.save()
    return path


def make_cid_without_unicode(path):
    """A table PDF whose text pdfplumber reports as ``(cid:NN)``.

    reportlab's CID fonts carry no /ToUnicode; readers map them through the registry/ordering
    (Adobe-Japan1). Rewriting each font to Identity-H with an Adobe-Identity ordering and no
    embedded font file — what subset-embedding writers that drop /ToUnicode produce — leaves a
    reader no way back to Unicode."""
    build_table_pdf(Path(path), _small_grid())
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    for page in writer.pages:
        for ref in page["/Resources"]["/Font"].values():
            f = ref.get_object()
            if f.get("/Subtype") != "/Type0":
                continue
            f[NameObject("/Encoding")] = NameObject("/Identity-H")
            f.pop("/ToUnicode", None)
            desc = f["/DescendantFonts"][0].get_object()
            desc[NameObject("/CIDSystemInfo")] = DictionaryObject({
                NameObject("/Registry"): TextStringObject("Adobe"),
                NameObject("/Ordering"): TextStringObject("Identity"),
                NameObject("/Supplement"): NumberObject(0)})
            desc.pop("/W", None)  # widths were for Japan1 CIDs; default 1000 instead
    buf = io.BytesIO()
    writer.write(buf)
    Path(path).write_bytes(buf.getvalue())


def _one_font_pdf(path, lines: list[bytes], font_objects: list[bytes], *, x: float, y: float, size: float,
                  pitch: float) -> Path:
    """One A4 page showing ``lines`` (raw codes, one Tj each, down from ``y``) in font
    /F1, whose Type0 dictionary and what it refers to are ``font_objects`` (objects 5, 6, ...)."""
    content = b"BT /F1 %g Tf\n" % size
    for i, codes in enumerate(lines):
        content += b"1 0 0 1 %g %g Tm <%s> Tj\n" % (x, y - pitch * i, codes.hex().upper().encode())
    content += b"ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%sendstream" % (len(content), content),
        *font_objects,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    Path(path).write_bytes(bytes(out))
    return Path(path)


def make_cid_text(path, lines: list[bytes], *, encoding: str = "Identity-H", ordering: str = "Japan1",
                  font: str = "HeiseiMin-W3", size: float = 14.0, pitch: float = 24.0) -> Path:
    """One page of ``lines`` (each the raw codes of one text line) in a CID font of the
    Adobe-``ordering`` collection, not embedded, with ``encoding`` and NO /ToUnicode:
    what Acrobat Web Capture (Identity-H) and TCPDF or PDFjet (UniJIS-UTF16-H) write.

    reportlab always writes UniJIS-UCS2-H, which no reader gets wrong and which cannot
    hold a character outside the BMP, so the file is written by hand."""
    return _one_font_pdf(path, lines, [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /%s /DescendantFonts [6 0 R] >>"
        % (font.encode(), encoding.encode()),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (%s) "
        b"/Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 >>" % (font.encode(), ordering.encode()),
        b"<< /Type /FontDescriptor /FontName /%s /Flags 6 /FontBBox [0 -141 1000 859] /ItalicAngle 0 "
        b"/Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>" % font.encode(),
    ], x=72, y=720, size=size, pitch=pitch)


def make_glyph_id_text(path, lines: list[str], *, size: float = 20.0, pitch: float = 36.0) -> Path:
    """One page of ``lines`` in an embedded TrueType subset written as glyph ids
    (Identity-H, Adobe-Identity), with no /ToUnicode and no cmap table in the font:
    a reader has the shapes and no way back to Unicode, as in the Distiller bid
    document of ../shared/real (jp_mlit_89test_distiller_nounicode.pdf).  PDFium
    still draws it (glyph ids need no cmap), so it can be read from its image."""
    import io as _io

    import matplotlib_fontja
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"))
    cmap = font.getBestCmap()
    order = font.getGlyphOrder()
    gids = {ch: order.index(cmap[ord(ch)]) for line in lines for ch in line}
    options = subset.Options()
    options.retain_gids = True
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(set(gids.values())))
    subsetter.subset(font)
    del font["cmap"]
    buf = _io.BytesIO()
    font.save(buf)
    data = buf.getvalue()
    codes = [b"".join(gids[ch].to_bytes(2, "big") for ch in line) for line in lines]
    return _one_font_pdf(path, codes, [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+IPAexGothic /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+IPAexGothic /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 /CIDToGIDMap /Identity >>",
        b"<< /Type /FontDescriptor /FontName /ABCDEF+IPAexGothic /Flags 4 /FontBBox [0 -141 1000 859] /ItalicAngle 0 "
        b"/Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 /FontFile2 8 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data),
    ], x=60, y=740, size=size, pitch=pitch)


# ----------------------------------------------------------------------------- cue-less prose pages


def flush_sentence(head: str, lines: int, width_em: int, tail: str = "を行いました。") -> str:
    """A sentence of full-width glyphs exactly ``lines`` lines of ``width_em``
    glyphs long, so its last line ends flush at the right margin."""
    filler = "関係機関と連携して事業の推進体制を強化するとともに地域の企業と協議"
    need = lines * width_em - len(head) - len(tail)
    if need < 0:
        raise ValueError("head and tail are longer than the sentence")
    body = (filler * (need // len(filler) + 1))[:need]
    return head + body + tail


def make_plain_prose(path, paragraphs, *, font="HeiseiMin-W3", size=10.5, width_em=40, x0=60.0,
                     pitch=1.5, lines_per_page=None, page_numbers=True):
    """Prose pages with no typographic cue at all: every paragraph (program
    heading, block title, sub-heading, bullet) in one non-embedded CID font,
    one size, at one indent, at one line pitch, with no space between
    paragraphs.  Paragraphs wrap per glyph at ``width_em`` full-width glyphs;
    a "\\n" inside one forces a line break (a glyph alone on its line).

    Returns the lines drawn, per page.
    """
    font = _font(font)
    W, H = A4
    lines = [ln for para in paragraphs for ln in _wrap(para, width_em * size, font, size)]
    per_page = lines_per_page or int((H - 144) // (size * pitch))
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    c = rl_canvas.Canvas(str(path), pagesize=A4)
    for number, page in enumerate(pages, 1):
        c.setFont(font, size)
        for i, text in enumerate(page):
            c.drawString(x0, H - 72 - size - i * size * pitch, text)
        if page_numbers:
            c.setFont(font, 9)
            c.drawCentredString(W / 2, 30, f"- {number} -")
        c.showPage()
    c.save()
    return pages


# One prose page that the reportlab and the browser copy both print
# (tests/fixtures/make_browser_prose.py); every bullet but the last of each
# heading ends flush at the margin of a ``BROWSER_PROSE_WIDTH``-glyph column.
BROWSER_PROSE_WIDTH = 40
BROWSER_PROSE = [
    "1計画名【達成状況区分3】",
    "【主な実施結果】",
    "港湾物流機能の強化",
    flush_sentence("・港湾物流拠点については、", 2, BROWSER_PROSE_WIDTH),
    "港湾物流機能の充実",
    flush_sentence("・京浜港共同ビジョンを策定し、", 3, BROWSER_PROSE_WIDTH),
    "・千鳥町再整備事業の調整会議を開催しました。",
    "環境・エネルギー・ライフサイエンス分野の先端産業の創出と集積に向けた先端産業創出支援制度と関連する施策の一体的な活用",
    flush_sentence("・先端産業創出支援制度を活用して、", 2, BROWSER_PROSE_WIDTH),
    "(1)起業・創業環境の整備",
    "・次の二点を行いました。①セミナーを開催しました。②相談会を実施しました。",
    "【課題と第3期実行計画における取組】",
    "・次の取組を進めます。",
]


# ----------------------------------------------------------------------------- OCR'd copies

def make_ocr_copy(path, source_pdf, *, dpi=150, pages=None, font="HeiseiMin-W3", with_text=True, skew=0.0,
                  misread=None, noisy=False):
    """What ocrmypdf makes of a printed-and-scanned ``source_pdf``: per page
    one image of the whole page, with the text in render mode 3 over it.

    The recognised text is the source's own glyphs (a perfect OCR), one
    text object per line at each glyph's position, in a non-embedded font
    as ocrmypdf's GlyphLessFont is useless to a reader anyway.  Ruling lines
    exist only in the image.  Returns the glyph text per page, visible only.
    ``with_text=False`` gives the bare scan, as a copier makes it; ``skew``
    (degrees, counter-clockwise) feeds the paper askew; ``misread`` ({glyph:
    glyph}) garbles the layer as a poor OCR engine does (目 → "="); ``noisy``
    blurs the image, adds grain and stores it as JPEG at quality 60, as a copier does.
    """
    import pdfplumber
    import pypdfium2

    font = _font(font)
    src = pypdfium2.PdfDocument(str(source_pdf))
    c = rl_canvas.Canvas(str(path), invariant=1)
    texts = []
    with pdfplumber.open(source_pdf) as pdf:
        numbers = pages or range(1, len(pdf.pages) + 1)
        for number in numbers:
            page = pdf.pages[number - 1]
            W, H = float(page.width), float(page.height)
            c.setPageSize((W, H))
            image = src[number - 1].render(scale=dpi / 72).to_pil().convert("L")
            if skew:
                from PIL import Image

                image = image.rotate(skew, resample=Image.BILINEAR, fillcolor=255)
            if noisy:
                import numpy as np
                from PIL import Image, ImageFilter

                image = image.filter(ImageFilter.GaussianBlur(0.7))
                grain = np.random.default_rng(number).normal(0, 12, (image.height, image.width))
                image = Image.fromarray(np.clip(np.asarray(image, float) + grain, 0, 255).astype("uint8"))
            buf = io.BytesIO()
            image.save(buf, format="JPEG" if noisy else "PNG", **({"quality": 60} if noisy else {}))
            buf.seek(0)
            from reportlab.lib.utils import ImageReader
            c.drawImage(ImageReader(buf), 0, 0, W, H)
            chars = [ch for ch in page.chars if ch["text"].strip()]
            texts.append("".join(ch["text"] for ch in chars))
            if not with_text:
                c.showPage()
                continue
            text = c.beginText()
            text.setTextRenderMode(3)
            for ch in chars:
                size = float(ch["size"]) or 10
                text.setFont(font, size)
                text.setTextOrigin(float(ch["x0"]), H - float(ch["bottom"]) + 0.12 * size)
                text.textOut((misread or {}).get(ch["text"], ch["text"]))
            c.drawText(text)
            c.showPage()
    c.save()
    src.close()
    return texts


# ----------------------------------------------------------------------------- free drawings


@dataclass
class Sheet:
    """One page drawn op by op, in pdfplumber coordinates (``top`` from the page top).

    ``line`` strokes a rule, ``box`` fills (and/or strokes) a rectangle, ``text`` puts a
    string whose glyph tops are at ``top``; colours are RGB 0..1.  Ops are drawn in order
    (a white rule after the fill it lies on)."""
    width: float = 595.0
    height: float = 842.0
    ops: list = field(default_factory=list)

    def line(self, x0, top, x1, bottom, width=0.5, colour=(0, 0, 0)):
        self.ops.append(("line", x0, top, x1, bottom, width, colour))
        return self

    def box(self, x0, top, x1, bottom, fill=None, stroke=None, width=0.5):
        self.ops.append(("box", x0, top, x1, bottom, fill, stroke, width))
        return self

    def text(self, x, top, text, size=9.0, colour=(0, 0, 0)):
        self.ops.append(("text", x, top, text, size, colour))
        return self

    def grid(self, xs, ys, width=0.5):
        """Every rule of a plain grid: verticals at ``xs``, horizontals at ``ys``."""
        for x in xs:
            self.line(x, ys[0], x, ys[-1], width)
        for y in ys:
            self.line(xs[0], y, xs[-1], y, width)
        return self


def build_sheets(path, sheets, font="HeiseiMin-W3") -> Path:
    """Draw ``sheets`` (one page each) into a PDF at ``path``."""
    path = Path(path)
    font = _font(font)
    c = rl_canvas.Canvas(str(path))
    for sheet in sheets:
        H = sheet.height
        c.setPageSize((sheet.width, H))
        for op in sheet.ops:
            kind = op[0]
            if kind == "line":
                _, x0, top, x1, bottom, width, colour = op
                c.setLineWidth(width)
                c.setStrokeColorRGB(*colour)
                c.line(x0, H - top, x1, H - bottom)
            elif kind == "box":
                _, x0, top, x1, bottom, fill, stroke, width = op
                if fill is not None:
                    c.setFillColorRGB(*fill)
                if stroke is not None:
                    c.setStrokeColorRGB(*stroke)
                    c.setLineWidth(width)
                c.rect(x0, H - bottom, x1 - x0, bottom - top, stroke=int(stroke is not None), fill=int(fill is not None))
            else:
                _, x, top, text, size, colour = op
                c.setFillColorRGB(*colour)
                c.setFont(font, size)
                c.drawString(x, H - (top + size * _ASCENT), text)
        c.showPage()
    c.save()
    return path
