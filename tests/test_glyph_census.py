"""PDFium's glyphs are verified against a count taken from the content streams, not trusted."""

from __future__ import annotations

from collections import Counter

import pdfplumber
from conftest import FIXTURES
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as rl_canvas
from synth import make_text_pages

from pipeline.options import Options
from pipeline.reading import census, pdfium
from pipeline.reading.document import DocumentReader

LINES = ["施策の推進 ２０２４年度", "産業振興 Plan 6", "目標　達成"]


def _characters(text_lines) -> Counter:
    return Counter(ch for line in text_lines for ch in line if not ch.isspace())


def _read(path, warnings):
    """Every page's view; each page's notes are added to ``warnings``."""
    with DocumentReader(path, Options()) as doc:
        views = [doc.read_page(n) for n in range(1, doc.page_count + 1)]
    warnings.extend(note for view in views for note in view.notes)
    return views


def test_the_census_counts_shown_glyphs_without_spaces(tmp_path):
    path = make_text_pages(tmp_path / "t.pdf", [LINES])
    with pdfplumber.open(path) as pdf:
        assert census.Census().page_glyphs(pdf.pages[0].page_obj) == sum(_characters(LINES).values())
    warnings: list[str] = []
    (view,) = _read(path, warnings)
    assert view.shown_glyphs == sum(_characters(LINES).values())
    assert warnings == []


def test_invisible_text_is_not_counted(tmp_path):
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    c = rl_canvas.Canvas(str(tmp_path / "ocr.pdf"), pagesize=A4)
    c.setFont("HeiseiMin-W3", 12)
    c.drawString(72, 700, "見える")
    text = c.beginText(72, 650)
    text.setFont("HeiseiMin-W3", 12)
    text.setTextRenderMode(3)
    text.textLine("見えない文字")
    c.drawText(text)
    c.save()
    with pdfplumber.open(tmp_path / "ocr.pdf") as pdf:
        assert census.Census().page_glyphs(pdf.pages[0].page_obj) == 3


def test_glyphs_pdfium_misses_are_read_again_with_pdfminer(tmp_path, monkeypatch):
    path = make_text_pages(tmp_path / "t.pdf", [LINES, ["二頁目"]])
    real = pdfium.page_chars
    dropped = []

    def lossy(pdoc, index, settings=None):
        chars = real(pdoc, index, settings)
        if index == 0 and chars:
            dropped.append(chars.pop(3)["text"])  # and so one fewer painted glyph
        return chars

    monkeypatch.setattr(pdfium, "page_chars", lossy)
    warnings: list[str] = []
    first, second = _read(path, warnings)
    assert dropped
    assert _characters([c["text"] for c in first.chars]) == _characters(LINES)
    assert [c["text"] for c in second.chars] == list("二頁目")
    shown = sum(_characters(LINES).values())
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"page 1: PDFium returned {shown - 1} glyph(s) where the page's text operators "
                                  f"show {shown}; read with pdfminer")
    assert dropped[0] in warnings[0]


def test_fake_bold_merged_by_pdfium_is_not_a_loss(tmp_path, monkeypatch):
    """PDFium merges a glyph painted twice; the census counts both, sesaku keeps one of each."""
    path = make_text_pages(tmp_path / "bold.pdf", [LINES], bold_line=0)
    warnings: list[str] = []
    (view,) = _read(path, warnings)
    assert warnings == []
    assert _characters([c["text"] for c in view.chars]) == _characters(LINES)
    assert view.shown_glyphs > len(view.chars)


def test_plan6_pages_need_no_second_reading(monkeypatch):
    """On a clean document the check costs a stream count, never a pdfminer reading."""
    called = []
    original = DocumentReader._recheck

    def spy(self, *args, **kwargs):
        called.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DocumentReader, "_recheck", spy)
    warnings: list[str] = []
    views = _read(FIXTURES / "plan6.pdf", warnings)
    assert called == [] and warnings == []
    assert all(v.shown_glyphs == len(v.chars) for v in views if v.chars)


def test_the_tokeniser_reads_escapes_hex_arrays_and_skips_inline_images():
    data = (b"BT /F1 12 Tf (a\\(b\\)\\101\\\nc) Tj [<0041 0042> -250 (x)] TJ 3 Tr ET "
            b"BI /W 1 /H 1 ID \x00Tj(\xff EI q Q")
    ops = list(census._operations(data))
    assert [op for op, _ in ops] == [b"Tf", b"Tj", b"TJ", b"Tr", b"q", b"Q"]
    assert ops[0][1] == ["F1", 12.0]
    assert ops[1][1] == [b"a(b)Ac"]
    assert ops[2][1] == [[b"\x00A\x00B", -250.0, b"x"]]
    assert ops[3][1] == [3.0]
