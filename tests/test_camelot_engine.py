"""The camelot engine reads the same tables as the default engine.

camelot renders every page (~0.5-1.5 s each), so each fixture is extracted
once per session through ``run_engine`` (test_agreement.py reuses it).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest import FIXTURES, PDFS, extracted, squash
from helpers import assert_equals_truth, page_views, run_engine
from pypdf import PdfWriter
from pypdf.generic import RectangleObject
from synth import Measure, Program, SubRow, Target, build_table_pdf, plan_grid, year_labels

from pipeline.orchestration.extract import extract_document
from pipeline.settings import DEFAULT
from pipeline.understanding.table.agreement import grids_to_agreement_counts
from pipeline.understanding.table.engines import EngineSource, check_engine, make_engine
from pipeline.understanding.table.engines import camelot as camelot_engine

# camelot renders every page it reads.
pytestmark = pytest.mark.slow

def _cell_keys(records: dict) -> set:
    return {
        (c["page"], c["table_no"], c["row"], c["col"], c["rowspan"], c["colspan"], squash(c["text"]))
        for c in records["cells"]
    }


@pytest.mark.parametrize("pdf", PDFS)
def test_camelot_tables_equal_truth(pdf, truth):
    _, records = run_engine(pdf, "camelot")
    assert_equals_truth(records, truth, f"{pdf} --engine camelot")
    assert len(records["targets"]) == 175
    assert records["leftovers"] == []


@pytest.mark.parametrize("pdf", PDFS)
def test_camelot_finds_the_same_cells_as_pdfplumber(pdf):
    _, mine = run_engine(pdf, "camelot")
    _, default = extracted(pdf)
    assert len(mine["cells"]) == len(default["cells"])  # 229 / 225 / 242
    assert _cell_keys(mine) == _cell_keys(default)


def test_camelot_rules_lie_within_corner_tolerance():
    # The evidence behind agreement.DEFAULT.corner_tolerance (and MIN_OVERLAP): how
    # far apart the two engines put the same rule, and how close two rules get.
    worst, closest = {}, float("inf")
    for pdf in PDFS:
        mine, _ = run_engine(pdf, "camelot")
        default, _ = extracted(pdf)
        worst[pdf] = 0.0
        for a, b in zip(mine.grids, default.grids, strict=True):
            assert (len(a.col_edges), len(a.row_edges)) == (len(b.col_edges), len(b.row_edges))
            edges = zip(a.col_edges + a.row_edges, b.col_edges + b.row_edges)
            worst[pdf] = max(worst[pdf], max(abs(x - y) for x, y in edges))
            for bands in (b.col_edges, b.row_edges):
                closest = min(closest, min(y - x for x, y in zip(bands, bands[1:])))
    assert worst["plan6.pdf"] < 0.5 and worst["plan6-excel.pdf"] < 0.5
    assert 1.0 < worst["plan6-quirks.pdf"] < 2.5  # outer frame drawn with overshooting strokes
    assert 2 * DEFAULT.corner_tolerance < closest  # 13pt: no corner can pair with a neighbour's
    assert max(worst.values()) < DEFAULT.corner_tolerance


def _fake_table(cols, rows, missing_right=(), missing_bottom=()):
    """A camelot-like table: band coordinates in PDF space, every border drawn but the listed ones."""
    cells = [
        [
            SimpleNamespace(right=(r, c) not in missing_right, bottom=(r, c) not in missing_bottom)
            for c in range(len(cols))
        ]
        for r in range(len(rows))
    ]
    x0, x1 = cols[0][0], cols[-1][1]
    return SimpleNamespace(cols=cols, rows=rows, cells=cells, _bbox=(x0, rows[-1][1], x1, rows[0][0]))


def test_band_cells_without_a_border_between_them_are_one_box():
    # 3 columns x 2 rows on a 100pt-high page; (0,0)+(0,1) merged across,
    # column 2 merged down.
    table = _fake_table(
        cols=[(10, 30), (30, 50), (50, 90)],
        rows=[(90, 70), (70, 40)],
        missing_right={(0, 0)},
        missing_bottom={(0, 2)},
    )
    boxes = camelot_engine.camelot_table_to_cell_boxes(table, page_height=100.0)
    assert boxes == [(10, 10.0, 50, 30.0), (50, 10.0, 90, 60.0), (10, 30.0, 30, 60.0), (30, 30.0, 50, 60.0)]


def test_mediabox_offset_moves_boxes_like_pdfplumber_chars():
    table = _fake_table(cols=[(0, 10)], rows=[(50, 40)])
    assert camelot_engine.camelot_table_to_cell_boxes(table, 100.0, origin=(15.0, 5.0)) == [(15, 55.0, 25, 65.0)]


@pytest.mark.parametrize("variant", ["rotated 90", "mediabox shifted", "encrypted"])
def test_camelot_boxes_land_on_pdfplumbers_on_odd_pages(variant, tmp_path):
    programs = [Program("産業振興", "3", [Measure(
        "起業支援", "起業を支援します。",
        rows=[SubRow(["セミナー開催"], [Target(0, ["相談窓口の設置"], span=3), Target(3, ["事業推進"])])],
        outcomes=["開催しました。"],
    )])]
    path = tmp_path / "t.pdf"
    build_table_pdf(path, plan_grid(year_labels(2019, 4), programs), rotate=90 if variant == "rotated 90" else 0)
    if variant == "mediabox shifted":  # a MediaBox not at the origin (cropped/imposed pages)
        writer = PdfWriter(clone_from=path)
        for page in writer.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            page.mediabox = RectangleObject([x0 + 15, y0 + 30, x1 + 15, y1 + 30])
        writer.write(path)
    if variant == "encrypted":  # camelot renders the page itself: it needs the password too
        writer = PdfWriter(clone_from=path)
        writer.encrypt("secret", algorithm="AES-128")
        writer.write(path)
    doc = extract_document(path, engine="both", password="secret" if variant == "encrypted" else None)
    assert grids_to_agreement_counts(doc.grids) == {
        "both": 15, "pdfplumber_only": 0, "camelot_only": 0, "differ": 0, "cells": 15, "share_both": 1.0,
    }


def test_a_page_is_parsed_once_and_the_overlapping_table_is_picked(tmp_path, monkeypatch):
    import camelot

    calls = []
    upper = _fake_table(cols=[(40, 400)], rows=[(560, 500)])  # top 35-95 on a 595pt page
    lower = _fake_table(cols=[(40, 200), (200, 400)], rows=[(300, 100)])  # top 295-495

    def fake_read_pdf(path, pages, **kwargs):
        calls.append((pages, kwargs["backend"], kwargs["flavor"]))
        return [upper, lower]

    monkeypatch.setattr(camelot, "read_pdf", fake_read_pdf)
    (view,) = page_views(FIXTURES / "plan6.pdf", pages=[5])
    height = view.height
    engine = make_engine("camelot", EngineSource(FIXTURES / "plan6.pdf"), settings=DEFAULT)
    assert engine.cell_boxes(view, (42, 290, 400, 500)) == [
        (40, height - 300, 200, height - 100),
        (200, height - 300, 400, height - 100),
    ]
    assert engine.cell_boxes(view, (40, 30, 400, 100)) == [(40, height - 560, 400, height - 500)]
    assert engine.cell_boxes(view, (500, 30, 800, 100)) == []
    assert calls == [("5", "pdfium", "lattice")]


def test_unknown_engines_and_prefer_values_name_the_choices():
    with pytest.raises(ValueError, match="choose one of: both, camelot, pdfplumber"):
        check_engine("tabula")
    with pytest.raises(ValueError, match="choose one of: pdfplumber, camelot"):
        make_engine("both", EngineSource(FIXTURES / "plan6.pdf"), prefer="tabula", settings=DEFAULT)


def test_the_both_engine_wraps_the_two_others():
    both = make_engine("both", EngineSource(FIXTURES / "plan6.pdf"), prefer="camelot", settings=DEFAULT)
    assert [e.name for e in both.engines] == ["pdfplumber", "camelot"] and both.prefer == "camelot"
    (view,) = page_views(FIXTURES / "plan6.pdf", pages=[5])
    grid = both.region_to_grid(view, view.table_bboxes[0], 1)
    assert {c.agreement for c in grid.cells} == {"both"}
