"""``tables``: every ruled table, read back exactly as it was drawn.

Tables are drawn here (reportlab, the non-embedded CID fonts HeiseiMin-W3
and HeiseiKakuGo-W5, ``synth.build_table_pdf``) from seeded random grids
with rowspans, colspans, multi-line ``・`` cells, empty cells and ``△1,234``
numbers; each cell read must have the text, rowspan and colspan drawn.
"""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from synth import build_table_pdf, make_not_a_pdf, make_truncated

from pipeline.options import Options
from pipeline.orchestration.tables import tables_to_records
from pipeline.publishing.ruled import table_to_wide

ROOT = Path(__file__).resolve().parents[1]
HEADER_ROWS = 2

LABELS = ["人件費", "委託料", "補助金", "施設整備費", "研修事業", "相談支援", "広報活動", "調査研究", "維持管理", "基金積立"]
ITEMS = ["会議開催", "資料作成", "現地調査", "関係機関調整", "説明会", "窓口相談"]
WORDS = ["継続", "新規", "拡充", "見直し", "完了", "検討中"]


def _number(rng: random.Random) -> str:
    value = f"{rng.randint(1, 99999):,}"
    return ("△" if rng.random() < 0.5 else "") + value


def _body_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.15:
        return ""
    if kind < 0.5:
        return _number(rng)
    if kind < 0.75:
        return rng.choice(WORDS)
    return "\n".join("・" + item for item in rng.sample(ITEMS, rng.randint(2, 3)))


def random_grid(rng: random.Random, n_cols: int, n_body: int, breaks: tuple[int, ...] = ()) -> list[list[dict]]:
    """A two-row header (a column group over fiscal years) and ``n_body`` random body rows.

    ``breaks``: grid rows that start a page; no merged cell crosses them
    and they have no empty cell (a blank cell at the top of a page, under
    a filled one, is read as that cell cut by the break — the one reading
    the drawing cannot tell apart).  The first column always names its row.
    """
    group = rng.randint(2, n_cols - 1)
    header = [dict(r=0, c=0, rowspan=2, colspan=1, text="区分"),
              dict(r=0, c=1, rowspan=1, colspan=group, text="金額（千円）")]
    header += [dict(r=0, c=c, rowspan=2, colspan=1, text=f"備考{c - group}") for c in range(group + 1, n_cols)]
    sub = [dict(r=1, c=c, rowspan=1, colspan=1, text=f"令和{4 + c}年度") for c in range(1, group + 1)]
    grid = [header, sub]
    n_rows = HEADER_ROWS + n_body
    taken = [[False] * n_cols for _ in range(n_rows)]
    for r in range(HEADER_ROWS, n_rows):
        row = []
        for c in range(n_cols):
            if taken[r][c]:
                continue
            limit = min([n_rows] + [b for b in breaks if b > r]) - r
            rowspan = min(rng.choice([1, 1, 1, 2, 3]), limit)
            width = 1
            while c + width < n_cols and not taken[r][c + width]:
                width += 1
            colspan = min(rng.choice([1, 1, 1, 2]), width)
            # The block must be free on every row it covers.
            while any(taken[rr][cc] for rr in range(r, r + rowspan) for cc in range(c, c + colspan)):
                if colspan > 1:
                    colspan -= 1
                else:
                    rowspan -= 1
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    taken[rr][cc] = True
            if c == 0:
                text = rng.choice(LABELS) + str(r)
            else:
                text = _body_text(rng)
                while not text and r in breaks:
                    text = _body_text(rng)
            row.append(dict(r=r, c=c, rowspan=rowspan, colspan=colspan, text=text))
        grid.append(row)
    return grid


def drawable_grid(rng: random.Random, n_cols: int, n_body: int, breaks: tuple[int, ...] = ()) -> list[list[dict]]:
    """A random grid whose every row band is marked by a rule (some cell starts there):
    a band no rule marks cannot be read from the page."""
    while True:
        grid = random_grid(rng, n_cols, n_body, breaks)
        if all(row for row in grid):
            return grid


def drawn_cells(grid) -> set[tuple]:
    return {(c["r"], c["c"], c["rowspan"], c["colspan"], c["text"], c["r"] < HEADER_ROWS) for row in grid for c in row}


def read_cells(table) -> set[tuple]:
    return {(c.row, c.col, c.rowspan, c.colspan, c.text, c.header) for c in table.cells}


def _read(path: Path):
    report, rows, tables = tables_to_records(str(path), Options())
    assert report.status == "ok", report.error
    return report, rows, tables


def _assert_accounted(report) -> None:
    a = report.accounting
    assert a["leftover_chars"] == 0
    kept = a["chars_in_cells"] + a["chars_repeated"] + a["leftover_chars"] + a["chars_outside_tables"]
    assert kept == a["shown_glyphs"], a
    assert not report.warnings, report.warnings


@pytest.mark.parametrize("seed", range(20))
def test_random_one_page_tables_read_back_as_drawn(seed, tmp_path):
    rng = random.Random(seed)
    grid = drawable_grid(rng, n_cols=rng.randint(3, 6), n_body=rng.randint(3, 9))
    font = ("HeiseiMin-W3", "HeiseiKakuGo-W5")[seed % 2]
    drawing = build_table_pdf(tmp_path / "t.pdf", grid, header_rows=HEADER_ROWS, font=font, title="予算の内訳")
    assert len(drawing.pages) == 1
    report, rows, tables = _read(drawing.path)
    assert len(tables) == 1
    assert read_cells(tables[0]) == drawn_cells(grid)
    assert tables[0].header_rows == HEADER_ROWS
    assert {r["table_no"] for r in rows} == {1}
    _assert_accounted(report)


@pytest.mark.parametrize("seed", range(6))
def test_a_long_table_over_two_pages_is_one_table_with_its_header_once(seed, tmp_path):
    rng = random.Random(100 + seed)
    n_body, cut = 30, HEADER_ROWS + 14
    grid = drawable_grid(rng, n_cols=rng.randint(4, 6), n_body=n_body, breaks=(cut,))
    drawing = build_table_pdf(tmp_path / "long.pdf", grid, header_rows=HEADER_ROWS, break_before=(cut,),
                              title="歳出予算", font=("HeiseiMin-W3", "HeiseiKakuGo-W5")[seed % 2])
    assert [p.rows[HEADER_ROWS] for p in drawing.pages] == [HEADER_ROWS, cut]  # header repeated on page 2
    report, rows, tables = _read(drawing.path)
    assert len(tables) == 1
    table = tables[0]
    assert table.pages == (1, 2)
    assert read_cells(table) == drawn_cells(grid)
    assert table.n_rows == HEADER_ROWS + n_body
    # Rows numbered on through the page break, each cell where it is printed.
    assert {c.page for c in table.cells if c.row >= cut} == {2}
    assert {c.page for c in table.cells if c.row < cut} == {1}
    assert report.accounting["chars_repeated"] > 0  # page 2's header was read and dropped
    _assert_accounted(report)


def _row(r, *texts, spans=None):
    spans = spans or {}
    return [dict(r=r, c=c, rowspan=spans.get(c, (1, 1))[0], colspan=spans.get(c, (1, 1))[1], text=t)
            for c, t in enumerate(texts) if t is not None]


HEAD = [_row(0, "事業", "内容", "予算額")]


def test_a_merged_cell_cut_by_the_page_break_keeps_its_rowspan(tmp_path):
    grid = HEAD + [
        _row(1, "人件費", "・職員研修\n・人事評価", "1,200"),
        _row(2, "委託料", "継続事業", "△350", spans={1: (2, 1)}),
        _row(3, "補助金", None, "4,000"),
        _row(4, "広報費", "新規", "80"),
    ]
    drawing = build_table_pdf(tmp_path / "cut.pdf", grid, header_rows=1, break_before=(3,), title="事業一覧")
    assert len(drawing.pages) == 2
    _, _, tables = _read(drawing.path)
    assert len(tables) == 1
    got = {(c.row, c.col): (c.rowspan, c.text, c.page) for c in tables[0].cells}
    assert got[(2, 1)] == (2, "継続事業", 1)
    assert (3, 1) not in got
    assert got[(3, 0)] == (1, "補助金", 2)


def test_a_merged_label_cut_by_the_break_is_no_cut_row(tmp_path):
    # Page 2 starts with the label cell blank, as a cut row does; but the
    # numbers under numbers say new rows begin there.
    grid = HEAD + [
        _row(1, "人件費", "職員給", "1,200", spans={0: (3, 1)}),
        _row(2, None, "手当", "300"),
        _row(3, None, "共済費", "△50"),
        _row(4, "委託料", "調査", "80"),
    ]
    drawing = build_table_pdf(tmp_path / "label.pdf", grid, header_rows=1, break_before=(3,), title="事業一覧")
    assert len(drawing.pages) == 2
    _, _, tables = _read(drawing.path)
    assert len(tables) == 1
    assert read_cells(tables[0]) == {
        (c["r"], c["c"], c["rowspan"], c["colspan"], c["text"], c["r"] == 0) for row in grid for c in row
    }


def test_a_row_cut_by_the_page_break_is_joined_without_invented_spaces(tmp_path):
    # Drawn as the writer cut it: the row's first part on page 1, the rest on
    # page 2 under the repeated header, its naming cell blank there.
    grid = HEAD + [
        _row(1, "人件費", "職員研修の実施及び", "1,200"),
        _row(2, "", "評価制度の見直し", ""),
        _row(3, "委託料", "・調査\n・分析", "△350"),
    ]
    drawing = build_table_pdf(tmp_path / "split.pdf", grid, header_rows=1, break_before=(2,), title="事業一覧")
    assert len(drawing.pages) == 2
    _, _, tables = _read(drawing.path)
    assert len(tables) == 1
    got = {(c.row, c.col): (c.rowspan, c.text) for c in tables[0].cells}
    assert got == {
        (0, 0): (1, "事業"), (0, 1): (1, "内容"), (0, 2): (1, "予算額"),
        (1, 0): (1, "人件費"), (1, 1): (1, "職員研修の実施及び評価制度の見直し"), (1, 2): (1, "1,200"),
        (2, 0): (1, "委託料"), (2, 1): (1, "・調査\n・分析"), (2, 2): (1, "△350"),
    }


def test_a_table_on_the_next_page_with_other_columns_is_another_table(tmp_path):
    from pypdf import PdfReader, PdfWriter

    build_table_pdf(tmp_path / "a.pdf", HEAD + [_row(1, "人件費", "継続", "1")], header_rows=1)
    build_table_pdf(tmp_path / "b.pdf", HEAD + [_row(1, "委託料", "新規", "2")], header_rows=1,
                    col_widths=[200, 300, 100])
    writer = PdfWriter()
    for name in ("a.pdf", "b.pdf", "a.pdf"):
        writer.append(PdfReader(tmp_path / name))
    writer.write(tmp_path / "both.pdf")
    _, _, tables = _read(tmp_path / "both.pdf")
    # Page 3 has page 1's columns but follows another table: a table goes on
    # only from the page right before it.
    assert [t.pages for t in tables] == [(1,), (2,), (3,)]
    assert [t.table_no for t in tables] == [1, 2, 3]


def test_a_caption_over_a_table_shaped_like_the_one_before_starts_a_new_table(tmp_path):
    from pypdf import PdfReader, PdfWriter

    # 歳入 then 歳出: same columns, same header, each table on its own page.
    grid = HEAD + [_row(1, "人件費", "継続", "1,200"), _row(2, "委託料", "新規", "△30")]
    writer = PdfWriter()
    for title in ("歳入", "歳出"):
        writer.append(PdfReader(build_table_pdf(tmp_path / f"{title}.pdf", grid, header_rows=1, title=title).path))
    writer.write(tmp_path / "budget.pdf")
    _, _, tables = _read(tmp_path / "budget.pdf")
    assert [t.pages for t in tables] == [(1,), (2,)]
    assert all(t.header_rows == 1 and t.n_rows == 3 for t in tables)
    # Saying the table goes on is no caption.
    writer = PdfWriter()
    for title in ("歳入", "歳入（続き）"):
        writer.append(PdfReader(build_table_pdf(tmp_path / f"{title}.pdf", grid, header_rows=1, title=title).path))
    writer.write(tmp_path / "continued.pdf")
    _, _, tables = _read(tmp_path / "continued.pdf")
    assert [t.pages for t in tables] == [(1, 2)] and tables[0].n_rows == 5


def test_the_header_is_the_first_row_group_only_when_rows_follow_it(tmp_path):
    drawing = build_table_pdf(tmp_path / "two.pdf", [_row(0, "事業", "内容", "予算額"), _row(1, "人件費", "継続", "1")],
                              header_rows=1, title=None)
    _, _, tables = _read(drawing.path)
    assert tables[0].header_rows == 1
    assert {(c.row, c.header) for c in tables[0].cells} == {(0, True), (1, False)}
    # A cell of the first row covering every row: one group, nothing under it.
    grid = [[dict(r=0, c=0, rowspan=2, colspan=1, text="区分"), dict(r=0, c=1, rowspan=1, colspan=1, text="金額"),
             dict(r=0, c=2, rowspan=1, colspan=1, text="備考")],
            _row(1, None, "1,000", "なし")]
    drawing = build_table_pdf(tmp_path / "one.pdf", grid, header_rows=0, title=None)
    _, _, tables = _read(drawing.path)
    assert tables[0].header_rows == 0 and not any(c.header for c in tables[0].cells)
    # A first row of amounts is data (a table going on below a caption); years can be titles.
    for first, header_rows in ((["人件費", "△1,200", "3.5%"], 0), (["区分", "2023", "2024"], 1)):
        grid = [_row(0, *first), _row(1, "委託料", "300", "80")]
        drawing = build_table_pdf(tmp_path / "amounts.pdf", grid, header_rows=0, title=None)
        _, _, tables = _read(drawing.path)
        assert tables[0].header_rows == header_rows, first


def test_wide_csv_has_merged_text_once_and_columns_named_by_the_header(tmp_path):
    grid = [
        [dict(r=0, c=0, rowspan=2, colspan=1, text="区分"), dict(r=0, c=1, rowspan=1, colspan=2, text="金額")],
        _row(1, None, "令和5年度", "令和6年度"),
        _row(2, "人件費", "△1,234", "5,678"),
        _row(3, "委託料", "一括", None, spans={1: (1, 2)}),
    ]
    drawing = build_table_pdf(tmp_path / "w.pdf", grid, header_rows=2, title=None)
    _, _, tables = _read(drawing.path)
    assert table_to_wide(tables[0]) == [
        ["区分", "金額 / 令和5年度", "金額 / 令和6年度"],
        ["人件費", "△1,234", "5,678"],
        ["委託料", "一括", ""],
    ]


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "tables", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_cli_writes_the_long_table_parquet_csv_wide_csv_and_run_report(tmp_path):
    rng = random.Random(7)
    grid = drawable_grid(rng, n_cols=5, n_body=30, breaks=(HEADER_ROWS + 14,))
    build_table_pdf(tmp_path / "歳出.pdf", grid, header_rows=HEADER_ROWS, break_before=(HEADER_ROWS + 14,))
    out = tmp_path / "out"
    done = _run_cli(str(tmp_path / "歳出.pdf"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    frame = pd.read_parquet(out / "tables.parquet")
    assert list(frame.columns) == ["doc_id", "page", "table_no", "row", "col", "rowspan", "colspan", "text",
                                   "x0", "top", "x1", "bottom", "header"]
    assert set(frame["table_no"]) == {1} and set(frame["page"]) == {1, 2}
    got = {(r.row, r.col, r.rowspan, r.colspan, r.text, bool(r.header)) for r in frame.itertuples()}
    assert got == drawn_cells(grid)
    assert len(pd.read_csv(out / "tables.csv", encoding="utf-8-sig", keep_default_na=False)) == len(frame)
    wide = list(csv.reader(io.StringIO((out / "tables" / "歳出-1.csv").read_text(encoding="utf-8-sig"))))
    assert len(wide) == 1 + 30 and wide[0][0] == "区分"
    run = json.loads((out / "_run.json").read_text(encoding="utf-8"))
    figures = run["documents"][0]["accounting"]
    assert figures["tables"] == 1 and figures["cells"] == len(frame) and figures["leftover_chars"] == 0
    assert figures["chars_in_cells"] + figures["chars_repeated"] + figures["chars_outside_tables"] == figures["shown_glyphs"]
    ledger = figures["glyphs"]
    assert ledger["shown"] == ledger["kept"] == figures["shown_glyphs"] and ledger["unaccounted"] == 0


def test_a_bad_file_is_one_line_and_the_others_still_come_out(tmp_path):
    good = build_table_pdf(tmp_path / "good.pdf", HEAD + [_row(1, "人件費", "継続", "1,200")], header_rows=1).path
    make_not_a_pdf(tmp_path / "notes.pdf")
    make_truncated(tmp_path / "cut.pdf", good)
    out = tmp_path / "out"
    done = _run_cli(str(tmp_path / "notes.pdf"), str(good), str(tmp_path / "cut.pdf"), "--out", str(out))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    for bad in ("notes.pdf", "cut.pdf"):
        lines = [ln for ln in done.stderr.splitlines() if bad in ln]
        assert len(lines) == 1 and lines[0].startswith("FAILED"), done.stderr
    frame = pd.read_parquet(out / "tables.parquet")
    assert set(frame["doc_id"]) == {"good"}
    assert (out / "tables" / "good-1.csv").is_file()
    run = json.loads((out / "_run.json").read_text(encoding="utf-8"))
    assert [d["status"] for d in run["documents"]] == ["failed", "ok", "failed"]


def test_only_bad_files_exit_2_without_a_traceback(tmp_path):
    make_not_a_pdf(tmp_path / "notes.pdf")
    done = _run_cli(str(tmp_path / "notes.pdf"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len([ln for ln in done.stderr.splitlines() if "notes.pdf" in ln and ln.startswith("FAILED")]) == 1


def test_usage_errors_are_one_line(tmp_path):
    done = _run_cli("x.pdf", "--out", str(tmp_path), "--pages", "3-1")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["plan6.pdf", "plan6-excel.pdf"])
def test_the_plan_fixtures_table_is_one_table_over_its_pages_with_its_header_once(name):
    from conftest import FIXTURES

    report, _, tables = _read(FIXTURES / name)
    assert len(tables) == 1
    table = tables[0]
    assert table.pages == tuple(range(5, 12)) and table.header_rows == 2
    header = [c for c in table.cells if c.header]
    assert {c.page for c in header} == {5}
    assert {c.text for c in header} >= {"施策計画名", "現状", "目標"}
    # Six more pages each printed the header again: read, counted, kept once.
    assert report.accounting["chars_repeated"] == 6 * sum(len("".join(c.text.split())) for c in header)
    _assert_accounted(report)
