"""Cross-engine agreement: pure comparison, both fixtures agreeing, one engine misled."""

from __future__ import annotations

import io

import pytest
from helpers import assert_equals_truth, page_views, run_engine
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas
from synth import Measure, Program, SubRow, Target, build_table_pdf, plan_grid, year_labels

from pipeline.models import Cell, Grid, Leftover
from pipeline.settings import DEFAULT
from pipeline.understanding.table.agreement import grids_to_agreement, grids_to_agreement_counts, normalise_text
from pipeline.understanding.table.engines import EngineSource, make_engine


def _cell(row, col, box, text, rowspan=1, colspan=1):
    return Cell(page=1, row=row, col=col, rowspan=rowspan, colspan=colspan, text=text, bbox=box)


def _grid(*cells, leftovers=()):
    xs = sorted({v for c in cells for v in (c.bbox[0], c.bbox[2])})
    ys = sorted({v for c in cells for v in (c.bbox[1], c.bbox[3])})
    return Grid(1, 1, (xs[0], ys[0], xs[-1], ys[-1]), tuple(xs), tuple(ys), tuple(cells), tuple(leftovers))


# Two cells side by side, and the same region read as one merged cell.
LEFT = _cell(0, 0, (0, 0, 50, 20), "左")
RIGHT = _cell(0, 1, (50, 0, 100, 20), "右")
MERGED = _cell(0, 0, (0, 0, 100, 20), "左右", colspan=2)


def _labels(grid):
    return [(c.row, c.col, c.colspan, c.text, c.agreement) for c in grid.cells]


def test_the_same_cells_agree_despite_small_offsets_and_line_breaks():
    a = _grid(LEFT, RIGHT)
    b = _grid(_cell(0, 0, (0.3, 0.2, 50.3, 19.8), "左"), _cell(0, 1, (50.3, 0.2, 99.7, 19.8), "右\n"))
    out = grids_to_agreement(a, b, "pdfplumber", settings=DEFAULT)
    assert _labels(out) == [(0, 0, 1, "左", "both"), (0, 1, 1, "右", "both")]
    assert out.col_edges == a.col_edges  # the preferred grid's bands, untouched
    assert grids_to_agreement_counts([out]) == {
        "both": 2, "pdfplumber_only": 0, "camelot_only": 0, "differ": 0, "cells": 2, "share_both": 1.0,
    }


def test_other_text_in_the_same_box_differs_and_prefer_picks_the_text():
    a = _grid(LEFT, RIGHT)
    b = _grid(LEFT, _cell(0, 1, RIGHT.bbox, "石"))
    assert _labels(grids_to_agreement(a, b, "pdfplumber", settings=DEFAULT))[1] == (0, 1, 1, "右", "differ")
    assert _labels(grids_to_agreement(a, b, "camelot", settings=DEFAULT))[1] == (0, 1, 1, "石", "differ")


def test_a_merged_cell_against_split_cells():
    split, merged = _grid(LEFT, RIGHT), _grid(MERGED)
    # pdfplumber split it: its left cell starts where camelot's merged one
    # does (differ), its right cell has no camelot cell starting there.
    assert _labels(grids_to_agreement(split, merged, "pdfplumber", settings=DEFAULT)) == [
        (0, 0, 1, "左", "differ"), (0, 1, 1, "右", "pdfplumber_only"),
    ]
    # Preferring camelot keeps its merged cell; pdfplumber's right half
    # overlaps it and is dropped.
    assert _labels(grids_to_agreement(split, merged, "camelot", settings=DEFAULT)) == [(0, 0, 2, "左右", "differ")]


def test_a_cell_only_the_other_engine_found_fills_a_gap():
    below = _cell(1, 0, (0, 20, 100, 40), "下", colspan=2)
    lost = Leftover(1, "下", (40, 25, 60, 35), "outside every cell")
    a = _grid(LEFT, RIGHT, leftovers=[lost])
    b = _grid(LEFT, RIGHT, below)
    out = grids_to_agreement(a, b, "pdfplumber", settings=DEFAULT)
    assert _labels(out) == [(0, 0, 1, "左", "both"), (0, 1, 1, "右", "both"), (1, 0, 2, "下", "camelot_only")]
    assert out.row_edges == (0, 20, 40) and out.bbox == (0, 0, 100, 40)
    assert out.leftovers == ()  # its text is now in the added cell
    assert grids_to_agreement_counts([out])["camelot_only"] == 1


def test_one_engine_finding_nothing_leaves_the_others_cells():
    out = grids_to_agreement(None, _grid(LEFT, RIGHT), "pdfplumber", settings=DEFAULT)
    assert [c.agreement for c in out.cells] == ["camelot_only", "camelot_only"]
    out = grids_to_agreement(_grid(MERGED), None, "camelot", settings=DEFAULT)
    assert [c.agreement for c in out.cells] == ["pdfplumber_only"]


def test_bad_arguments_say_what_is_allowed():
    with pytest.raises(ValueError, match="choose one of: pdfplumber, camelot"):
        grids_to_agreement(_grid(LEFT), _grid(LEFT), "tabula", settings=DEFAULT)
    with pytest.raises(ValueError, match="at least one grid"):
        grids_to_agreement(None, None, settings=DEFAULT)


def test_counts_are_empty_for_a_single_engine_run():
    assert grids_to_agreement_counts([_grid(LEFT, RIGHT)]) == {}
    assert grids_to_agreement_counts([]) == {}


def test_normalised_text_ignores_width_and_whitespace():
    assert normalise_text("ＡＢ　1\n2 ") == normalise_text("AB12") == "AB12"


@pytest.mark.slow
@pytest.mark.parametrize("pdf,cells", [("plan6.pdf", 229), ("plan6-excel.pdf", 225)])
def test_both_engines_agree_on_every_cell(pdf, cells, truth):
    doc, records = run_engine(pdf, "both")
    assert grids_to_agreement_counts(doc.grids) == {
        "both": cells, "pdfplumber_only": 0, "camelot_only": 0, "differ": 0, "cells": cells, "share_both": 1.0,
    }
    assert {c["agreement"] for c in records["cells"]} == {"both"}
    assert_equals_truth(records, truth, f"{pdf} --engine both")


# ----------------------------------------------------------------------------- one engine misled


@pytest.fixture(scope="module")
def white_rule_pdf(tmp_path_factory):
    """A table whose 3-year target cell has an invisible (white) rule at its first year border.

    pdfplumber ignores white strokes (``is_rule``); camelot's vector pass
    takes every stroked path as a rule and splits the merged cell.
    """
    programs = [Program("産業振興", "3", [Measure(
        "起業支援", "起業を支援します。",
        rows=[SubRow(["セミナー開催"], [Target(0, ["相談窓口の設置と運営を行う"], span=3), Target(3, ["事業推進"])])],
        outcomes=["開催しました。"],
    )])]
    folder = tmp_path_factory.mktemp("white_rule")
    drawing = build_table_pdf(folder / "plain.pdf", plan_grid(year_labels(2019, 4), programs))
    merged = next(c for c in drawing.pages[0].cells if c.colspan == 3 and not c.header)
    x0, top, x1, bottom = merged.bbox
    x = x0 + (x1 - x0) / 3  # the border between the first and second year
    overlay = io.BytesIO()
    cv = canvas.Canvas(overlay, pagesize=(drawing.width, drawing.height))
    cv.setStrokeColorRGB(1, 1, 1)
    cv.setLineWidth(0.5)
    cv.line(x, drawing.height - top, x, drawing.height - bottom)
    cv.save()
    writer = PdfWriter(clone_from=folder / "plain.pdf")
    writer.pages[drawing.pages[0].index].merge_page(PdfReader(overlay).pages[0])
    path = folder / "white_rule.pdf"
    writer.write(path)
    (view,) = page_views(path, pages=[drawing.pages[0].index + 1])
    (bbox,) = view.table_bboxes
    source = EngineSource(path)
    grids = {
        prefer: make_engine("both", source, prefer=prefer, settings=DEFAULT).region_to_grid(view, bbox, 1)
        for prefer in ("pdfplumber", "camelot")
    }
    single = {engine: make_engine(engine, source, settings=DEFAULT).region_to_grid(view, bbox, 1) for engine in ("pdfplumber", "camelot")}
    return merged, grids, single


@pytest.mark.slow
def test_the_misled_engine_shows_in_the_cells_and_the_counts(white_rule_pdf):
    merged, grids, single = white_rule_pdf
    assert (len(single["pdfplumber"].cells), len(single["camelot"].cells)) == (15, 16)
    assert grids_to_agreement_counts([single["camelot"]]) == {}

    kept = grids["pdfplumber"]
    disputed = [c for c in kept.cells if c.agreement != "both"]
    assert [(c.colspan, c.text, c.agreement) for c in disputed] == [(3, "●相談窓口の設置と運営を行う", "differ")]
    assert grids_to_agreement_counts([kept]) == {
        "both": 14, "pdfplumber_only": 0, "camelot_only": 0, "differ": 1, "cells": 15, "share_both": 0.9333,
    }

    split = grids["camelot"]
    disputed = [c for c in split.cells if c.agreement != "both"]
    assert [(c.colspan, c.agreement) for c in disputed] == [(1, "differ"), (2, "camelot_only")]
    assert disputed[0].bbox[0] == pytest.approx(merged.bbox[0], abs=1)
    assert grids_to_agreement_counts([split])["camelot_only"] == 1
