"""The grid never lies: rules to tables to cells, on random grids and on drawn pages.

Invariants (hypothesis): no two cells of a grid cover one grid position,
whatever rules are drawn or left out; a grid drawn without missing rules
reads back as drawn, whether each border is one stroke or many pieces.
Drawn pages (reportlab, non-embedded CID fonts): a dashed rule, a label
over its sub-rows (款 over 項), a vertical group label, a two-cell box, a
table nested in a frame's cell and white rules over shaded cells.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synth import Sheet, build_sheets

from normalizers.width import squash
from pipeline.models import Grid
from pipeline.options import Options
from pipeline.orchestration.tables import tables_to_records
from pipeline.reading.rules import graphics_to_rules, rule, rules_to_tables
from pipeline.settings import DEFAULT
from pipeline.understanding.table.grid import cell_boxes_to_grid, claim_positions


def covered_twice(cells) -> int:
    seen: Counter = Counter()
    for c in cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                seen[(r, k)] += 1
    return sum(1 for n in seen.values() if n > 1)


# ----------------------------------------------------------------------------- random grids


@st.composite
def bands(draw, least: int):
    """Column borders >= 20pt apart and row borders >= 14pt apart, as real tables draw them."""
    n_cols, n_rows = draw(st.integers(least, 6)), draw(st.integers(least, 7))
    xs = [40.0]
    for _ in range(n_cols):
        xs.append(xs[-1] + draw(st.integers(20, 90)))
    ys = [60.0]
    for _ in range(n_rows):
        ys.append(ys[-1] + draw(st.integers(14, 40)))
    return xs, ys


@st.composite
def lattices(draw):
    """A lattice of unit segments (x and y borders ≥ 14pt apart) with some interior ones left out."""
    xs, ys = draw(bands(1))
    n_cols, n_rows = len(xs) - 1, len(ys) - 1
    segments = []
    for r, y in enumerate(ys):
        for c in range(n_cols):
            outer = r in (0, n_rows)
            segments.append(("h", y, xs[c], xs[c + 1], outer))
    for c, x in enumerate(xs):
        for r in range(n_rows):
            outer = c in (0, n_cols)
            segments.append(("v", x, ys[r], ys[r + 1], outer))
    keep = draw(st.lists(st.booleans(), min_size=len(segments), max_size=len(segments)))
    drawn = [s for s, k in zip(segments, keep) if k or s[4]]
    return xs, ys, drawn


def _rules(segments):
    horizontal = [rule(a, at, b, at) for kind, at, a, b, _ in segments if kind == "h"]
    vertical = [rule(at, a, at, b) for kind, at, a, b, _ in segments if kind == "v"]
    return horizontal, vertical


def _grids(horizontal, vertical) -> list[Grid]:
    tables = rules_to_tables(horizontal, vertical, settings=DEFAULT)
    return [cell_boxes_to_grid(1, n, t.cells, [], region=t.bbox, settings=DEFAULT) for n, t in enumerate(tables, 1)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lattices())
def test_no_two_cells_cover_one_grid_position_whatever_rules_are_drawn(lattice):
    _, _, drawn = lattice
    for grid in _grids(*_rules(drawn)):
        assert covered_twice(grid.cells) == 0


@st.composite
def tilings(draw):
    """A lattice cut into rectangles (random merges), every cell border drawn."""
    xs, ys = draw(bands(2))
    n_cols, n_rows = len(xs) - 1, len(ys) - 1
    taken = [[False] * n_cols for _ in range(n_rows)]
    cells = []
    for r in range(n_rows):
        for c in range(n_cols):
            if taken[r][c]:
                continue
            rows = draw(st.integers(1, n_rows - r))
            cols = draw(st.integers(1, n_cols - c))
            while any(taken[rr][cc] for rr in range(r, r + rows) for cc in range(c, c + cols)):
                rows, cols = (rows - 1, cols) if rows > 1 else (rows, cols - 1)
            for rr in range(r, r + rows):
                for cc in range(c, c + cols):
                    taken[rr][cc] = True
            cells.append((xs[c], ys[r], xs[c + cols], ys[r + rows]))
    pieces = draw(st.booleans())  # each border as one stroke per cell side (pieces), or per cell
    return cells, pieces


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tilings())
def test_a_grid_drawn_whole_reads_back_cell_for_cell(tiling):
    cells, _ = tiling
    graphics = [
        {"object_type": "rect", "x0": x0, "top": top, "x1": x1, "bottom": bottom, "width": x1 - x0,
         "height": bottom - top, "stroke": True, "fill": False, "stroking_color": (0, 0, 0)}
        for x0, top, x1, bottom in cells
    ]
    horizontal, vertical = graphics_to_rules(graphics, settings=DEFAULT)
    grids = _grids(horizontal, vertical)
    if len(cells) < 2:
        assert grids == []
        return
    assert len(grids) == 1
    read = sorted(tuple(round(v) for v in c.bbox) for c in grids[0].cells)
    assert read == sorted(tuple(round(v) for v in c) for c in cells)
    assert covered_twice(grids[0].cells) == 0


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(1, 4), st.integers(1, 4)), max_size=25))
def test_claimed_positions_are_each_blocks_own_and_cover_every_block(blocks):
    claimed = claim_positions(blocks)
    seen: Counter = Counter()
    for i, rects in claimed:
        for r, c, rows, cols in rects:
            assert blocks[i][0] <= r and r + rows <= blocks[i][0] + blocks[i][2]
            assert blocks[i][1] <= c and c + cols <= blocks[i][1] + blocks[i][3]
            for rr in range(r, r + rows):
                for cc in range(c, c + cols):
                    seen[(rr, cc)] += 1
    assert all(n == 1 for n in seen.values())
    wanted = {(rr, cc) for r, c, rows, cols in blocks for rr in range(r, r + rows) for cc in range(c, c + cols)}
    assert set(seen) == wanted


# ----------------------------------------------------------------------------- drawn pages


def _tables(path: Path, pages: str | None = None):
    report, _, tables = tables_to_records(str(path), Options(pages=pages))
    assert report.status == "ok", report.error
    return tables, report


def _cells(table) -> dict[tuple[int, int], tuple[int, int, str]]:
    return {(c.row, c.col): (c.rowspan, c.colspan, squash(c.text)) for c in table.cells}


def _ruled(sheet: Sheet, vertical, horizontal) -> Sheet:
    """Rules drawn one by one: vertical (x, top, bottom), horizontal (y, x0, x1)."""
    for x, top, bottom in vertical:
        sheet.line(x, top, x, bottom)
    for y, x0, x1 in horizontal:
        sheet.line(x0, y, x1, y)
    return sheet


def _dashes(sheet: Sheet, top: float, x0: float, x1: float, dash=2.2, pitch=2.9, thickness=0.7):
    """A dashed rule as a writer draws it: one small filled box per dash."""
    x = x0
    while x + dash <= x1:
        sheet.box(x, top - thickness / 2, x + dash, top + thickness / 2, fill=(0, 0, 0))
        x += pitch


def test_a_dashed_rule_across_the_page_leaves_the_tables_whole(tmp_path):
    # kyoto-r6-001 page 1: dashes every 2.9pt, their sub-point ends snapped
    # together first, put every vertical rule of the page at one x.
    sheet = Sheet()
    sheet.grid([60, 200, 400, 540], [80, 100, 120])
    sheet.text(64, 84, "事業名").text(204, 84, "脱炭素事業").text(404, 84, "環境政策局")
    sheet.text(64, 104, "期間").text(204, 104, "令和5年度").text(404, 104, "令和9年度")
    _dashes(sheet, 300, 40, 560)
    # A table whose middle row border is dashed: a row rule all the same.
    for x in (60, 300, 540):
        sheet.line(x, 400, x, 460)
    for y in (400, 460):
        sheet.line(60, y, 540, y)
    sheet.line(60, 430, 540, 430, width=0.3)  # solid under the header
    _dashes(sheet, 445, 60, 540)
    sheet.text(64, 404, "年度").text(304, 404, "経費")
    sheet.text(64, 433, "令和5年度").text(304, 433, "326,800")
    sheet.text(64, 448, "令和6年度").text(304, 448, "197,770")
    tables, _ = _tables(build_sheets(tmp_path / "dashed.pdf", [sheet]))
    assert len(tables) == 2
    assert _cells(tables[0])[(1, 1)] == (1, 1, "令和5年度")
    assert _cells(tables[1]) == {
        (0, 0): (1, 1, "年度"), (0, 1): (1, 1, "経費"),
        (1, 0): (1, 1, "令和5年度"), (1, 1): (1, 1, "326,800"),
        (2, 0): (1, 1, "令和6年度"), (2, 1): (1, 1, "197,770"),
    }


def _label_over_sub_rows(sheet: Sheet, x: list[float], top: float, groups) -> float:
    """Budget-book rows: each 款 row spans the 款 and 項 columns, its 項 rows below it
    leave the 款 column blank with no rule under the 款 label (an L-shaped cell)."""
    y = top
    for label, amount, subs in groups:
        sheet.line(x[0], y, x[-1], y)
        sheet.text(x[0] + 4, y + 6, label).text(x[2] + 4, y + 6, amount)
        y += 24
        for sub, sub_amount in subs:
            sheet.line(x[1], y, x[-1], y)
            sheet.line(x[1], y, x[1], y + 24)
            sheet.text(x[1] + 4, y + 6, sub).text(x[2] + 4, y + 6, sub_amount)
            y += 24
    sheet.line(x[0], y, x[-1], y)
    for xx in (x[0], x[2], x[3]):
        sheet.line(xx, top, xx, y)
    return y


def test_a_label_over_its_sub_rows_gives_one_cell_per_printed_cell(tmp_path):
    # jp_fuji_city_r6_budget page 4: 1 市税 was one cell spanning 6 x 2 over
    # its five 項 cells, which were empty.
    x = [60.0, 120.0, 380.0, 540.0]
    sheet = Sheet()
    sheet.grid(x, [60, 84])
    sheet.text(64, 66, "款").text(124, 66, "項").text(384, 66, "金額")
    _label_over_sub_rows(sheet, x, 84, [
        ("1 市税", "46,460,600", [("1 市民税", "16,739,000"), ("2 固定資産税", "23,139,800")]),
        ("2 地方譲与税", "678,000", [("1 地方揮発油譲与税", "140,000")]),
    ])
    tables, _ = _tables(build_sheets(tmp_path / "budget.pdf", [sheet]))
    assert len(tables) == 1
    cells = _cells(tables[0])
    assert covered_twice(tables[0].cells) == 0
    assert cells[(1, 0)] == (1, 2, "1市税")
    assert cells[(2, 1)] == (1, 1, "1市民税") and cells[(2, 2)] == (1, 1, "16,739,000")
    assert cells[(3, 1)] == (1, 1, "2固定資産税") and cells[(3, 2)] == (1, 1, "23,139,800")
    assert cells[(4, 0)] == (1, 2, "2地方譲与税")
    assert cells[(5, 1)] == (1, 1, "1地方揮発油譲与税")
    # The blank strip left of the 項 rows is part of the label's cell: no cell of its own.
    assert (2, 0) not in cells and (5, 0) not in cells


def test_a_vertical_group_label_and_the_total_row_keep_their_own_labels(tmp_path):
    # jp_nobeoka_hosei_gaiyo_r8_06 page 1: 企業会計 down the first column,
    # its two rows' labels beside it and 合計 under both with no rule
    # between: the labels were in one cell, two value rows without one.
    sheet = _ruled(Sheet(), [(60, 100, 190), (200, 100, 190), (320, 100, 190), (80, 100, 160)],
                   [(100, 60, 320), (190, 60, 320), (130, 80, 320), (160, 80, 320)])
    for i, ch in enumerate("企業会計"):
        sheet.text(64, 104 + i * 13, ch)
    sheet.text(84, 110, "水道事業").text(204, 110, "4,168,178")
    sheet.text(84, 140, "下水道事業").text(204, 140, "7,019,698")
    sheet.text(110, 170, "合計").text(204, 170, "11,187,876")
    tables, _ = _tables(build_sheets(tmp_path / "group.pdf", [sheet]))
    assert len(tables) == 1
    texts = {text: (row, col) for (row, col), (_, _, text) in _cells(tables[0]).items()}
    assert covered_twice(tables[0].cells) == 0
    assert texts["企業会計"][1] == 0
    assert texts["水道事業"][0] == texts["4,168,178"][0]
    assert texts["下水道事業"][0] == texts["7,019,698"][0]
    assert texts["合計"][0] == texts["11,187,876"][0]


def test_a_ruled_box_of_two_cells_is_a_table(tmp_path):
    # Nobeoka's 補正額合計: a label box beside its value, in no table at min 4 cells.
    sheet = Sheet().grid([60, 250, 330], [500, 540])
    sheet.text(90, 514, "補正額合計").text(270, 514, "604,855")
    tables, report = _tables(build_sheets(tmp_path / "box.pdf", [sheet]))
    assert [_cells(t) for t in tables] == [{(0, 0): (1, 1, "補正額合計"), (0, 1): (1, 1, "604,855")}]
    assert report.accounting["chars_outside_tables"] == 0


def test_a_frame_around_one_text_is_no_table(tmp_path):
    sheet = Sheet().grid([60, 330], [500, 540])
    sheet.text(90, 514, "注意書き")
    tables, _ = _tables(build_sheets(tmp_path / "frame.pdf", [sheet]))
    assert tables == ()


def test_a_table_nested_in_a_frame_cell_is_its_own_table_and_no_table_comes_twice(tmp_path):
    # camelot's table_region.pdf; jp_setagaya_yosan_r8 pages framed whole.
    sheet = Sheet().grid([40, 160, 560], [40, 120, 400, 460])
    sheet.text(44, 44, "目的").text(164, 44, "契約の目的を定めます。")
    sheet.text(44, 124, "死亡時").text(164, 124, "次の表のとおり加算します。")
    inner = Sheet().grid([200, 380, 480], [200, 222, 244, 266])
    sheet.ops += inner.ops
    sheet.text(204, 204, "年齢").text(384, 204, "加算率")
    sheet.text(204, 226, "18-75").text(384, 226, "1,00%")
    sheet.text(204, 248, "76-80").text(384, 248, "0,50%")
    sheet.text(164, 300, "以上です。")
    sheet.text(44, 404, "その他").text(164, 404, "ありません。")
    tables, report = _tables(build_sheets(tmp_path / "nested.pdf", [sheet]))
    assert len(tables) == 2
    outer, nested = sorted(tables, key=lambda t: -t.n_rows)
    assert _cells(nested) == {
        (0, 0): (1, 1, "年齢"), (0, 1): (1, 1, "加算率"),
        (1, 0): (1, 1, "18-75"), (1, 1): (1, 1, "1,00%"),
        (2, 0): (1, 1, "76-80"), (2, 1): (1, 1, "0,50%"),
    }
    assert _cells(outer)[(1, 1)] == (1, 1, "次の表のとおり加算します。以上です。")
    assert report.accounting["leftover_chars"] == 0


def test_white_rules_over_shaded_cells_are_rules(tmp_path):
    # camelot's background_lines_1.pdf: each cell a filled box, white rules between.
    xs, ys = [60, 160, 260, 360], [100, 120, 140, 160]
    sheet = Sheet()
    for r in range(3):
        for c in range(3):
            shade = (0.95, 0.82, 0.75) if r % 2 else (0.97, 0.9, 0.86)
            sheet.box(xs[c], ys[r], xs[c + 1], ys[r + 1], fill=shade)
    for x in xs:
        sheet.line(x, ys[0], x, ys[-1], width=1, colour=(1, 1, 1))
    for y in ys:
        sheet.line(xs[0], y, xs[-1], y, width=1, colour=(1, 1, 1))
    words = [["州", "日付", "人数"], ["Delhi", "1.12.2009", "3,665"], ["Kerala", "23.2.2010", "3,559"]]
    for r, row in enumerate(words):
        for c, word in enumerate(row):
            sheet.text(xs[c] + 4, ys[r] + 5, word)
    tables, _ = _tables(build_sheets(tmp_path / "white.pdf", [sheet]))
    assert len(tables) == 1
    assert {k: v[2] for k, v in _cells(tables[0]).items()} == {
        (r, c): word for r, row in enumerate(words) for c, word in enumerate(row)
    }


def test_a_white_rule_on_a_white_page_is_no_rule(tmp_path):
    sheet = Sheet().grid([60, 160, 260], [100, 120, 140])
    for y in (110, 130):  # white hairlines inside the cells, over nothing
        sheet.line(60, y, 260, y, colour=(1, 1, 1))
    sheet.text(64, 103, "区分").text(164, 123, "金額")
    tables, _ = _tables(build_sheets(tmp_path / "whitepage.pdf", [sheet]))
    assert [t.n_rows for t in tables] == [2]


def test_a_column_cut_open_by_the_page_break_keeps_its_text_out_of_its_neighbour(tmp_path):
    # jp_mlit_nishinosu page 13: the first column, cut open at the top by the
    # page break, lost each line's last glyph to the cell beside it.
    sheet = _ruled(Sheet(), [(60, 50, 300), (200, 50, 300), (400, 50, 300)],
                   [(80, 200, 400), (150, 60, 400), (300, 60, 400)])
    for i, line in enumerate(["「関東地方整備局発注工事", "において受賞した表彰の", "有無」"]):
        sheet.text(64, 56 + 14 * i, line, size=10)
    sheet.text(204, 84, "表彰なし").text(204, 154, "表彰あり").text(64, 154, "若手技術者")
    tables, report = _tables(build_sheets(tmp_path / "cut.pdf", [sheet]))
    cells = {text: (row, col) for (row, col), (_, _, text) in _cells(tables[0]).items()}
    assert cells["「関東地方整備局発注工事において受賞した表彰の有無」"][1] == 0
    assert cells["表彰なし"][1] == 1
    assert report.accounting["leftover_chars"] == 0
