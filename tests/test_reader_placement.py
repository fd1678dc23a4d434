"""Glyphs where they are printed (issue 25): printed size, direction, script, cells, placement check.

Every PDF here is generated in the test with reportlab (its CID fonts are not
embedded, as in many real files; Latin text uses reportlab's own Vera TTF so
that ≥, é and dashes can be drawn at all).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import reportlab
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.models import Line
from pipeline.options import Options
from pipeline.orchestration.cli import main
from pipeline.reading import pdfium
from pipeline.reading.document import DocumentReader
from pipeline.reading.glyphs import join_line, tally_visible_chars
from pipeline.reading.ledger import tallies_to_summary, tallies_to_warnings
from pipeline.reading.page import turn_box, unturn_box
from pipeline.reading.placement import misplaced_signal
from pipeline.reading.text import page_text, view_text
from pipeline.settings import DEFAULT
from pipeline.understanding.table.celltext import lines_to_text

READERS = ("auto", "pdfium", "pdfminer")
MINCHO = "HeiseiMin-W3"
VERA = "Vera"
W, H = A4


@pytest.fixture(scope="module", autouse=True)
def fonts():
    pdfmetrics.registerFont(UnicodeCIDFont(MINCHO))
    pdfmetrics.registerFont(TTFont(VERA, str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))


def read(path: Path, reader: str = "auto", page: int = 1, layout: bool = False):
    with DocumentReader(path, Options()) as doc:
        view = doc.read_page(page, reader=reader)
    return view, view_text(view, DEFAULT, layout)


# ----------------------------------------------------------------------------- printed size


def make_scaled(path: Path) -> Path:
    """Two lines 12pt apart, each written ``/F 50 Tf`` through a 0.18 matrix (9pt
    printed), as Yokohama's and Kyoto's sheets are."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for i, text in enumerate(["令和７年度事業評価書", "令和６年度事業名"]):
        c.saveState()
        c.transform(0.18, 0, 0, 0.18, 100, 700 - 12 * i)
        c.setFont(MINCHO, 50)
        c.drawString(0, 0, text)
        c.restoreState()
    c.save()
    return path


@pytest.mark.parametrize("reader", READERS)
def test_text_drawn_through_a_scaling_matrix_is_read_at_its_printed_size(tmp_path, reader):
    view, lines = read(make_scaled(tmp_path / "scaled.pdf"), reader)
    assert lines == ["令和７年度事業評価書", "令和６年度事業名"]
    for ch in view.chars:
        assert ch["size"] == pytest.approx(9.0, abs=0.05)
        assert ch["bottom"] - ch["top"] == pytest.approx(9.0, abs=0.05)
        assert ch["x1"] - ch["x0"] == pytest.approx(9.0, abs=0.05)  # a CJK glyph's advance is one em


# ----------------------------------------------------------------------------- direction


ROWS = [["State", "人口", "Area"], ["Kerala", "3,340", "38,863"], ["Tamil Nadu", "7,214", "130,058"]]


def make_turned_table(path: Path, turn: int) -> Path:
    """A 3x3 ruled table set on a landscape frame turned ``turn`` degrees on a
    portrait page: every glyph and rule is turned, as in camelot's clockwise
    and anticlockwise tables."""
    c = canvas.Canvas(str(path), pagesize=A4)
    if turn == 90:
        c.translate(W, 0)
    else:
        c.translate(0, H)
    c.rotate(turn)
    x0, top, col, row = 80, 400, 120, 24  # in the turned (landscape) frame, y up
    for r in range(len(ROWS) + 1):
        c.line(x0, top - r * row, x0 + 3 * col, top - r * row)
    for k in range(4):
        c.line(x0 + k * col, top, x0 + k * col, top - len(ROWS) * row)
    for r, cells in enumerate(ROWS):
        for k, text in enumerate(cells):
            c.setFont(MINCHO if not text.isascii() else "Helvetica", 10)
            c.drawString(x0 + k * col + 4, top - (r + 1) * row + 8, text)
    c.save()
    return path


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("turn", [90, 270])
def test_a_page_of_turned_text_is_read_upright(tmp_path, reader, turn):
    view, lines = read(make_turned_table(tmp_path / f"t{turn}.pdf", turn), reader)
    assert view.turned == turn
    assert (view.width, view.height) == pytest.approx((H, W))  # the turned page is landscape
    assert lines == ["\t".join(cells) for cells in ROWS]
    assert all(ch["upright"] for ch in view.chars)
    [table] = view.ruled_tables
    assert len(table.cells) == 9


@pytest.mark.parametrize("turn", [90, 270])
def test_tables_on_a_turned_page_give_upright_cells(tmp_path, turn):
    pdf = make_turned_table(tmp_path / f"t{turn}.pdf", turn)
    assert main(["tables", str(pdf), "--out", str(tmp_path / "out")]) == 0
    [wide] = (tmp_path / "out" / "tables").glob("*.csv")
    rows = [line.split(",") for line in wide.read_text(encoding="utf-8-sig").splitlines()]
    assert rows[0] == ROWS[0]
    assert [r[0] for r in rows[1:]] == ["Kerala", "Tamil Nadu"]
    assert rows[2][2] == '"130' or "130,058" in wide.read_text(encoding="utf-8-sig")


def test_a_turned_box_maps_back_onto_the_displayed_page():
    for turned in (0, 90, 180, 270):
        box = (10.0, 20.0, 30.0, 50.0)
        assert unturn_box(turn_box(box, turned, W, H), turned, W, H) == pytest.approx(box)
    # Text reading upwards: the displayed page's left edge becomes the turned page's top.
    assert turn_box((0.0, 100.0, 10.0, 200.0), 90, W, H) == pytest.approx((H - 200, 0.0, H - 100, 10.0))


@given(st.sampled_from([0, 90, 180, 270]), st.floats(0, 500), st.floats(0, 700), st.floats(1, 90), st.floats(1, 90))
def test_turning_keeps_a_box_on_the_page_and_its_size(turned, x, top, w, h):
    box = (x, top, x + w, top + h)
    out = turn_box(box, turned, W, H)
    width, height = (H, W) if turned in (90, 270) else (W, H)
    assert -1e-6 <= out[0] <= out[2] <= width + 1e-6 and -1e-6 <= out[1] <= out[3] <= height + 1e-6
    sides = sorted([out[2] - out[0], out[3] - out[1]])
    assert sides == pytest.approx(sorted([w, h]))
    assert unturn_box(out, turned, W, H) == pytest.approx(box)


# ----------------------------------------------------------------------------- spaces by script and size


def make_latin(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 760
    for text in ["Men (≥ 18yrs)", "café – au lait — 5 % [a] {b}", "Women (< 18) ≥ 2"]:
        c.setFont(VERA, 10)
        c.drawString(72, y, text)
        y -= 20
    # Kerning: "Tw" and "o-Plan" 0.4pt apart at 10pt, written at size 1 through a
    # 10x matrix as camelot's test PDFs do; then a real word space the same way.
    for left, right, gap in [("Tw", "o-Plan", 0.04), ("Two", "Plan", 0.28)]:
        c.saveState()
        c.transform(10, 0, 0, 10, 72, y)
        c.setFont(VERA, 1)
        c.drawString(0, 0, left)
        c.drawString(pdfmetrics.stringWidth(left, VERA, 1) + gap, 0, right)
        c.restoreState()
        y -= 20
    # CJK: letter-spaced glyphs take no space; Latin beside CJK neither.
    c.setFont(MINCHO, 10)
    for i, ch in enumerate("施策名"):
        c.drawString(72 + 14 * i, y, ch)
    y -= 20
    c.drawString(72, y, "KPI 2024 年度 達成率 95.5%")
    c.save()
    return path


@pytest.mark.parametrize("reader", READERS)
def test_word_spaces_are_kept_in_latin_text_and_dropped_between_cjk(tmp_path, reader):
    _, lines = read(make_latin(tmp_path / "latin.pdf"), reader)
    assert lines == [
        "Men (≥ 18yrs)",
        "café – au lait — 5 % [a] {b}",
        "Women (< 18) ≥ 2",
        "Two-Plan",
        "Two Plan",
        "施策名",
        "KPI 2024年度達成率95.5%",
    ]


def _glyph(text, x0, x1, size=10.0):
    return {"text": text, "x0": x0, "x1": x1, "top": 0.0, "bottom": size, "size": size}


def test_a_symbol_set_full_width_is_cjk_and_set_narrow_is_latin():
    # ○ and ≥ are East Asian "ambiguous": a Japanese font prints them one em wide.
    assert join_line([_glyph("○", 0, 10), _glyph("1", 13, 18)], settings=DEFAULT) == "○1"
    assert join_line([_glyph("≥", 0, 5.5), _glyph("1", 8.5, 14)], settings=DEFAULT) == "≥ 1"
    assert join_line([_glyph("é", 0, 5.5), _glyph("t", 8.5, 12)], settings=DEFAULT) == "é t"


def test_one_joiner_for_lines_and_text():
    from pipeline.reading.glyphs import chars_to_lines

    chars = [_glyph("(", 0, 3), _glyph("≥", 3, 9), _glyph("1", 12, 17), _glyph(")", 17, 20)]
    assert [ln.text for ln in chars_to_lines(chars, settings=DEFAULT)] == page_text(chars, settings=DEFAULT) == ["(≥ 1)"]


def _line(text, x0, x1, top, size=10.0):
    return Line(text=text, x0=x0, top=top, x1=x1, bottom=top + size, size=size, font="")


def test_a_wrapped_line_in_a_cell_takes_a_space_in_latin_and_none_in_cjk():
    latin = [_line("Nutritional Assessment", 10, 190, 0), _line("(No. of individuals)", 10, 120, 12)]
    assert lines_to_text(latin, 5, 200, settings=DEFAULT) == "Nutritional Assessment (No. of individuals)"
    accents = [_line("le café", 10, 195, 0), _line("élégant", 10, 80, 12)]
    assert lines_to_text(accents, 5, 200, settings=DEFAULT) == "le café élégant"
    hyphen = [_line("2011-", 10, 195, 0), _line("12)", 10, 40, 12)]
    assert lines_to_text(hyphen, 5, 200, settings=DEFAULT) == "2011-12)"
    cjk = [_line("地域課題の解決や住民の暮らしの質の", 10, 195, 0), _line("向上", 10, 30, 12)]
    assert lines_to_text(cjk, 5, 200, settings=DEFAULT) == "地域課題の解決や住民の暮らしの質の向上"


# ----------------------------------------------------------------------------- fake bold relative to size


def make_small_and_bold(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 4)
    c.drawString(72, 760, "dhanviinformatics")  # the two i's 0.9pt apart
    c.setFont("Helvetica", 10)
    for dx in (0.0, 0.3):  # fake bold: the line again 0.3pt to the right
        c.drawString(72 + dx, 700, "Bold total")
    c.save()
    return path


@pytest.mark.parametrize("reader", READERS)
def test_fake_bold_copies_go_and_genuine_neighbours_in_small_text_stay(tmp_path, reader):
    view, lines = read(make_small_and_bold(tmp_path / "bold.pdf"), reader)
    assert lines == ["dhanviinformatics", "Bold total"]
    if reader != "pdfium":  # PDFium merges copies itself: auto has pdfminer confirm and count them
        assert view.tally.doubles + view.tally.merged_by_reader == len("Boldtotal")


def test_the_fake_bold_tolerance_scales_with_the_glyph():
    i = {"text": "i", "x0": 0.0, "x1": 0.9, "top": 0.0, "bottom": 4.0, "size": 4.0}
    kept, dropped = tally_visible_chars([i, {**i, "x0": 0.9, "x1": 1.8}], settings=DEFAULT)
    assert len(kept) == 2 and dropped["doubles"] == 0
    big = {**i, "x1": 2.2, "bottom": 10.0, "size": 10.0}
    kept, dropped = tally_visible_chars([big, {**big, "x0": 0.3, "x1": 2.5}], settings=DEFAULT)
    assert len(kept) == 1 and dropped["doubles"] == 1


def test_the_quirks_fixture_still_loses_its_fake_bold_copies():
    fixture = Path(__file__).parent / "fixtures" / "plan6-quirks.pdf"
    doubles = 0
    with DocumentReader(fixture, Options()) as doc:
        for n in range(1, doc.page_count + 1):
            view = doc.read_page(n, reader="pdfminer")
            doubles += view.tally.doubles
    assert doubles > 0


# ----------------------------------------------------------------------------- cells and layout


def make_cells(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(MINCHO, 10)
    c.drawString(72, 760, "施策計画名")
    c.line(140, 775, 140, 755)  # a vertical rule between two cells
    c.drawString(145, 760, "現状")
    c.drawString(72, 740, "1市税")  # no rule: a gap of many ems
    c.drawString(300, 740, "46,460,600")
    for i, ch in enumerate("金額"):  # a label spread over its cell (均等割り付け), with a third glyph
        c.drawString(300 + 40 * i, 720, ch)
    c.drawString(380, 720, "計")
    c.save()
    return path


@pytest.mark.parametrize("reader", READERS)
def test_text_cuts_a_line_at_its_cells_with_a_tab(tmp_path, reader):
    _, lines = read(make_cells(tmp_path / "cells.pdf"), reader)
    assert lines == ["施策計画名\t現状", "1市税\t46,460,600", "金額計"]


def test_text_layout_keeps_columns_apart_as_printed(tmp_path):
    pdf = make_cells(tmp_path / "cells.pdf")
    _, lines = read(pdf, layout=True)
    assert [ln.split() for ln in lines] == [["施策計画名", "現状"], ["1市税", "46,460,600"], ["金額計"]]
    # "46,460,600" and "金額計" both start at x=300: the same column (CJK glyphs are two columns).
    from pipeline.reading.text import _columns

    assert _columns(lines[1][: lines[1].index("4", 1)]) == _columns(lines[2][: lines[2].index("金")])
    assert "\t" not in "".join(lines)


def test_text_layout_flag_on_the_command_line(tmp_path, capsys):
    pdf = make_cells(tmp_path / "cells.pdf")
    assert main(["text", "--layout", str(pdf)]) == 0
    out = capsys.readouterr().out
    assert "1市税" in out and "\t" not in out and "   46,460,600" in out


# ----------------------------------------------------------------------------- placement check


@st.composite
def printed_page(draw):
    """Lines of glyphs as type is set: boxes side by side, lines a pitch of at least one em apart."""
    size = draw(st.floats(4, 24))
    pitch = size * draw(st.floats(1.0, 2.0))
    chars = []
    for row in range(draw(st.integers(2, 12))):
        x = draw(st.floats(0, 50))
        for _ in range(draw(st.integers(1, 30))):
            width = size * draw(st.sampled_from([0.25, 0.5, 0.6, 1.0]))
            chars.append({"text": "x", "x0": x, "x1": x + width, "top": row * pitch, "bottom": row * pitch + size, "size": size})
            x += width + draw(st.sampled_from([0.0, 0.0, 0.3 * size]))
    return chars


@hsettings(max_examples=60, deadline=None)
@given(printed_page())
def test_printed_text_never_looks_misplaced(chars):
    assert not misplaced_signal(chars, settings=DEFAULT)


@hsettings(max_examples=60, deadline=None)
@given(printed_page(), st.floats(3, 6))
def test_boxes_taller_than_the_line_pitch_look_misplaced(chars, factor):
    """PDFium's old fault: boxes of the font-size operand, several lines tall."""
    rows = {c["top"] for c in chars}
    big = [{**c, "top": c["top"] - (factor - 1) * (c["bottom"] - c["top"]), "x1": c["x0"] + factor * (c["x1"] - c["x0"])}
           for c in chars]
    if len(chars) >= DEFAULT.placement_min_glyphs and len(rows) >= 3:
        assert misplaced_signal(big, settings=DEFAULT)


def _oversized(original):
    """page_chars as PDFium read before 65aa382's fix: 50pt boxes for 9pt glyphs."""
    def page_chars(pdoc, index, settings=DEFAULT):
        chars = original(pdoc, index, settings)
        if chars is None:
            return None
        return [{**c, "top": c["bottom"] - 50, "x1": c["x0"] + 50, "size": 50.0} for c in chars]
    return page_chars


def make_page_of_lines(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(MINCHO, 9)
    for i in range(12):
        c.drawString(72, 760 - 12 * i, f"第{i + 1}行の文章です。")
    c.save()
    return path


def test_a_page_pdfium_misplaces_is_read_by_pdfminer_and_reported(tmp_path, monkeypatch):
    pdf = make_page_of_lines(tmp_path / "lines.pdf")
    monkeypatch.setattr(pdfium, "page_chars", _oversized(pdfium.page_chars))
    with DocumentReader(pdf, Options()) as doc:
        view = doc.read_page(1)
    assert view_text(view, settings=DEFAULT) == [f"第{i + 1}行の文章です。" for i in range(12)]
    assert view.tally.misplaced_by_reader == sum(len(f"第{i + 1}行の文章です。") for i in range(12))
    summary = tallies_to_summary([(1, view.tally)])
    assert summary["misplaced_by_reader"] == view.tally.misplaced_by_reader and summary["misplaced_pages"] == "1"
    [note] = tallies_to_warnings([(1, view.tally)])
    assert note.startswith("pages 1: PDFium placed") and "read with pdfminer" in note


def test_the_run_report_counts_misplaced_glyphs(tmp_path, monkeypatch):
    pdf = make_page_of_lines(tmp_path / "lines.pdf")
    monkeypatch.setattr(pdfium, "page_chars", _oversized(pdfium.page_chars))
    main(["tables", str(pdf), "--out", str(tmp_path / "out")])
    report = json.loads((tmp_path / "out" / "_run.json").read_text(encoding="utf-8"))
    text = json.dumps(report, ensure_ascii=False)
    glyphs = sum(len(f"第{i + 1}行の文章です。") for i in range(12))  # 111
    assert f'"misplaced_by_reader": {glyphs}' in text and '"misplaced_pages": "1"' in text
    assert f"PDFium placed {glyphs} glyph(s)" in text


def test_a_page_read_right_is_not_read_twice(tmp_path, monkeypatch):
    pdf = make_page_of_lines(tmp_path / "lines.pdf")
    from pipeline.reading import careful

    calls = []
    original = careful.page_chars
    monkeypatch.setattr(careful, "page_chars", lambda page: calls.append(1) or original(page))
    with DocumentReader(pdf, Options()) as doc:
        view = doc.read_page(1)
    assert not calls and view.tally.misplaced_by_reader == 0


@st.composite
def a_line(draw):
    """A line's glyphs left to right: any script, any gaps."""
    texts = draw(st.lists(st.sampled_from(list("施策計画名現状アイabcXYZ019(),.-≥é○①،ب")), min_size=1, max_size=25))
    size = draw(st.floats(4, 20))
    x, chars = 0.0, []
    for t in texts:
        x += draw(st.floats(0, 3)) * size
        width = size * draw(st.floats(0.3, 1.0))
        chars.append({"text": t, "x0": x, "x1": x + width, "top": 0.0, "bottom": size, "size": size})
        x += width
    return chars


@given(a_line())
def test_the_joiner_keeps_every_glyph_in_order_and_spaces_no_cjk(chars):
    from pipeline.reading.glyphs import is_cjk

    text = join_line(chars, settings=DEFAULT)
    assert text.replace(" ", "") == "".join(c["text"] for c in chars)
    for i, c in enumerate(text):
        if c == " ":
            assert not is_cjk(text[i - 1]) and not is_cjk(text[i + 1])
            assert text[i - 1] != " " and text[i + 1] != " "
