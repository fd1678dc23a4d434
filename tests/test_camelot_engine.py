"""The camelot engine reads the same tables as the default engine.

camelot renders every page (~0.5-1.5 s each), so each fixture is extracted
once per session through ``run_engine`` (test_agreement.py reuses it).
"""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pdfplumber
import pytest
from pypdf import PdfWriter
from pypdf.generic import RectangleObject

from conftest import FIXTURES, PDFS, extracted, squash
from pipeline.agreement import CORNER_TOLERANCE, grids_to_agreement_counts
from pipeline.engines import camelot_engine, get_engine, region_to_grid
from pipeline.records import document_to_records
from pipeline.run import extract_document
from synth import Measure, Program, SubRow, Target, build_table_pdf, plan_grid, year_labels
from test_golden_tables import records_to_truth_programs

_RUNS: dict = {}


def run_engine(name: str, engine: str):
    """(Document, records) of a fixture read by ``engine``, once per session."""
    key = (name, engine)
    if key not in _RUNS:
        doc = extract_document(FIXTURES / name, engine=engine)
        _RUNS[key] = (doc, document_to_records(doc))
    return _RUNS[key]


def assert_equals_truth(records: dict, truth: dict, label: str) -> None:
    got = squash(records_to_truth_programs(records))
    want = squash(truth["programs"])
    assert [p["name"] for p in got] == [p["name"] for p in want], label
    for gp, wp in zip(got, want):
        assert gp["rating"] == wp["rating"], f"{label}: {gp['name']}"
        assert [m["name"] for m in gp["measures"]] == [m["name"] for m in wp["measures"]], label
        for gm, wm in zip(gp["measures"], wp["measures"]):
            for key in ("description", "rows", "result"):
                assert gm[key] == wm[key], f"{label}: {wm['name']} {key}"


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
    # The evidence behind agreement.CORNER_TOLERANCE (and MIN_OVERLAP): how
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
    assert 2 * CORNER_TOLERANCE < closest  # 13pt: no corner can pair with a neighbour's
    assert max(worst.values()) < CORNER_TOLERANCE


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
    copy = tmp_path / "copy.pdf"  # a path of its own: the real fixture's cache entry stays
    shutil.copy(FIXTURES / "plan6.pdf", copy)
    with pdfplumber.open(copy) as pdf:
        page = pdf.pages[4]
        height = page.height
        assert camelot_engine.page_region_to_cell_boxes(copy, page, (42, 290, 400, 500)) == [
            (40, height - 300, 200, height - 100),
            (200, height - 300, 400, height - 100),
        ]
        assert camelot_engine.page_region_to_cell_boxes(copy, page, (40, 30, 400, 100)) == [(40, height - 560, 400, height - 500)]
        assert camelot_engine.page_region_to_cell_boxes(copy, page, (500, 30, 800, 100)) == []
    assert calls == [("5", "pdfium", "lattice")]


def test_camelot_engine_is_registered_and_both_needs_region_to_grid():
    assert get_engine("camelot") is not None
    with pytest.raises(ValueError, match="region_to_grid"):
        get_engine("both")(None, None, (0, 0, 1, 1))
    with pytest.raises(ValueError, match="both, camelot, pdfplumber"):
        get_engine("tabula")


def test_region_to_grid_lists_the_prefer_choices():
    with pdfplumber.open(FIXTURES / "plan6.pdf") as pdf:
        with pytest.raises(ValueError, match="choose one of: pdfplumber, camelot"):
            region_to_grid("both", FIXTURES / "plan6.pdf", pdf.pages[4], (0, 0, 1, 1), [], 5, 1, prefer="tabula")
