"""OCR'd scans: invisible text over a page image is the page's text, the image's borders its rules."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pipeline.orchestration.cli import main
from pipeline.reading.document import DocumentReader
from pipeline.options import Options
from pipeline.reading.imagerules import image_to_rules
from synth import make_ocr_copy

FIXTURE = Path(__file__).parent / "fixtures" / "plan6.pdf"
TABLES = ("programs", "measures", "current_items", "targets", "results", "quantities", "leftovers")
BOX = ("x0", "top", "x1", "bottom", "heading_x0", "heading_top", "heading_x1", "heading_bottom")


def _page(path: Path, *, image_share: float | None, visible: str, invisible: str) -> Path:
    """One A4 page: optional grey image covering ``image_share`` of it, visible text, render-mode-3 text."""
    from PIL import Image

    c = canvas.Canvas(str(path), pagesize=A4)
    W, H = A4
    if image_share:
        side = image_share ** 0.5
        buf = io.BytesIO()
        Image.new("L", (200, 280), 235).save(buf, format="PNG")
        buf.seek(0)
        c.drawImage(ImageReader(buf), 0, H * (1 - side), W * side, H * side)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    # Visible first: the render mode is graphics state and outlives ET,
    # and reportlab does not write a "0 Tr" it thinks is the default.
    for y, text, mode in ((650, visible, 0), (700, invisible, 3)):
        if not text:
            continue
        t = c.beginText(60, y)
        t.setFont("HeiseiMin-W3", 12)
        t.setTextRenderMode(mode)
        t.textOut(text)
        c.drawText(t)
    c.showPage()
    c.save()
    return path


def _text(path: Path, reader: str) -> tuple[str, str]:
    with DocumentReader(path, Options()) as r:
        view = r.read_page(1, reader=reader)
    return "".join(c["text"] for c in view.chars), view.text_layer


@pytest.mark.parametrize("reader", ["auto", "pdfium", "pdfminer"])
def test_invisible_text_on_a_vector_page_is_not_content_for_either_reader(tmp_path, reader):
    pdf = _page(tmp_path / "v.pdf", image_share=None, visible="見える文字", invisible="隠れた文字列です")
    assert _text(pdf, reader) == ("見える文字", "vector")


@pytest.mark.parametrize("reader", ["auto", "pdfium", "pdfminer"])
def test_invisible_text_over_a_page_sized_image_is_an_ocr_layer(tmp_path, reader):
    pdf = _page(tmp_path / "o.pdf", image_share=1.0, visible="", invisible="認識された文字")
    assert _text(pdf, reader) == ("認識された文字", "ocr_layer")


def test_invisible_text_beside_a_small_picture_is_still_not_content(tmp_path):
    pdf = _page(tmp_path / "p.pdf", image_share=0.3, visible="", invisible="隠れた文字列です")
    assert _text(pdf, "auto") == ("", "vector")


def test_rules_are_found_in_a_scanned_grid_and_glyph_strokes_and_bands_are_not():
    dpi = 150
    px = lambda pt: int(round(pt * dpi / 72))  # noqa: E731
    gray = np.full((px(400), px(500)), 245, np.uint8)
    for y in (50, 100, 150, 300):  # four rules across the table
        gray[px(y):px(y) + 2, px(40):px(460)] = 20
    for x in (40, 200, 460):
        gray[px(50):px(300), px(x):px(x) + 2] = 20
    rng = np.random.default_rng(6)
    for _ in range(200):  # glyph strokes: at most one em (10.5 pt) long
        x, y, w = px(rng.uniform(45, 440)), px(rng.uniform(55, 290)), px(rng.uniform(2, 10.5))
        gray[y:y + 2, x:x + w] = 40
    gray[px(120):px(122), px(60):px(81)] = 40  # ーー: a 21 pt stroke run inside a cell
    gray[px(320):px(340), px(40):px(460)] = 30  # a dark band 20 pt high: a fill, not a rule
    horizontal, vertical = image_to_rules(gray, dpi)
    tops = sorted(r["top"] for r in horizontal if r["x1"] - r["x0"] > 400)
    assert np.allclose(tops, [50, 100, 150, 300], atol=1)
    assert all(r["x1"] - r["x0"] > 400 for r in horizontal)
    lefts = sorted(r["x0"] for r in vertical)
    assert np.allclose(lefts, [40, 200, 460], atol=1)
    assert all(abs((r["bottom"] - r["top"]) - 250) < 2 for r in vertical)


@pytest.mark.parametrize("side", ["right", "left", "bottom"])
def test_a_copiers_dark_edge_over_a_tables_border_closes_the_table_at_the_band(side):
    """A copier's dark band along the page side hides the table's outer border: the rules that run
    into the band end at its inner edge, and that edge becomes the border (the table is cut where
    the copy shows it cut); a band no rule runs into adds nothing."""
    dpi = 150
    px = lambda pt: int(round(pt * dpi / 72))  # noqa: E731
    gray = np.full((px(400), px(500)), 245, np.uint8)
    for y in (50, 100, 150, 300):
        gray[px(y):px(y) + 2, px(40):px(460)] = 20
    for x in (40, 200, 460):
        gray[px(50):px(300), px(x):px(x) + 2] = 20
    ramp = np.linspace(20, 140, px(60)).astype(np.uint8)  # black at the page's edge, fading in
    if side == "right":  # the band's inner edge at 440 pt: over the border at 460
        gray[:, px(440):] = np.minimum(gray[:, px(440):], ramp[::-1][None, :])
    elif side == "left":  # inner edge at 60 pt: over the border at 40
        gray[:, :px(60)] = np.minimum(gray[:, :px(60)], ramp[None, :])
    else:  # along the bottom, below the table: no rule runs into it
        gray[px(340):, :] = np.minimum(gray[px(340):, :], ramp[::-1][:, None])
    horizontal, vertical = image_to_rules(gray, dpi)
    lefts = sorted(r["x0"] for r in vertical)
    if side == "right":
        assert np.allclose(lefts, [40, 200, 440], atol=2)
    elif side == "left":
        assert np.allclose(lefts, [60, 200, 460], atol=2)
    else:
        assert np.allclose(lefts, [40, 200, 460], atol=1)
        assert np.allclose(sorted(r["top"] for r in horizontal), [50, 100, 150, 300], atol=1)
    assert all(abs((r["bottom"] - r["top"]) - 250) < 3 for r in vertical)


@pytest.fixture(scope="module")
def ocr_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ocr")
    pdf = folder / "plan6.pdf"
    make_ocr_copy(pdf, FIXTURE, dpi=150)
    return pdf


@pytest.mark.slow
def test_an_ocrd_copy_of_the_report_finds_every_cell_within_a_point(ocr_copy):
    with DocumentReader(FIXTURE, Options()) as a, DocumentReader(ocr_copy, Options()) as b:
        for n in range(1, a.page_count + 1):
            printed = sorted(c for t in a.read_page(n).ruled_tables for c in t.cells)
            scanned = sorted(c for t in b.read_page(n).ruled_tables for c in t.cells)
            assert len(printed) == len(scanned), n
            assert all(abs(p - q) <= 1.0 for pc, qc in zip(printed, scanned) for p, q in zip(pc, qc)), n


@pytest.mark.slow
def test_an_ocrd_copy_of_the_report_extracts_as_the_printed_one(ocr_copy, tmp_path):
    printed, scanned = tmp_path / "printed", tmp_path / "scanned"
    assert main(["extract", str(FIXTURE), "--out", str(printed), "--workers", "1"]) == 0
    assert main(["extract", str(ocr_copy), "--out", str(scanned), "--workers", "1"]) == 0
    for table in TABLES + ("narrative",):
        a = pd.read_parquet(printed / f"{table}.parquet")
        b = pd.read_parquet(scanned / f"{table}.parquet")
        keep = [c for c in a.columns if c not in BOX and c != "ocr"]
        if table == "narrative":
            # reportlab's HeiseiMin has no ₂: the generated layer lacks it, not the reader.
            a["text"] = a["text"].str.replace("₂", "", regex=False)
        pd.testing.assert_frame_equal(a[keep], b[keep], check_like=False)
        # The same values, but each says its page was recognised, not typeset.
        if "ocr" in b.columns:  # every table with a page column
            assert b["ocr"].all() and not a["ocr"].any(), table
    documents = pd.read_parquet(scanned / "documents.parquet")
    assert documents["ocr_pages"].tolist() == ["1-11"]
    assert pd.read_parquet(printed / "documents.parquet")["ocr_pages"].isna().all()
    import json
    report = json.loads((scanned / "_run.json").read_text(encoding="utf-8"))
    assert any("OCR layer" in w and "1-11" in w for w in report["documents"][0]["warnings"])
