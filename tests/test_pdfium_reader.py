"""The fast reader (PDFium) must see exactly what pdfplumber sees."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import FIXTURES, PDFS
from helpers import page_views

from pipeline.orchestration.extract import extract_document
from pipeline.reading import pdfium as pdfium_reader
from pipeline.reading.careful import has_unmapped_fonts


@pytest.mark.parametrize("pdf", PDFS)
def test_pdfium_and_pdfplumber_read_the_same_lines_and_tables(pdf):
    fast = pdfium_reader.open_document(FIXTURES / pdf)
    try:
        assert all(pdfium_reader.usable(fast, index) for index in range(len(fast)))
    finally:
        fast.close()
    for quick, slow in zip(page_views(FIXTURES / pdf, "pdfium"), page_views(FIXTURES / pdf, "pdfminer")):
        assert [line.text for line in quick.lines] == [line.text for line in slow.lines], (pdf, quick.number)
        assert [tuple(round(v) for v in b) for b in quick.table_bboxes] == [
            tuple(round(v) for v in b) for b in slow.table_bboxes
        ], (pdf, quick.number)


def test_extraction_does_not_parse_pages_with_pdfminer(monkeypatch):
    """The point of the fast reader: pdfplumber's objects are never built."""
    touched = []
    original = pdfplumber.page.Page.objects.fget

    def spy(page):
        touched.append(page.page_number)
        return original(page)

    monkeypatch.setattr(pdfplumber.page.Page, "objects", property(spy))
    doc = extract_document(FIXTURES / "plan6.pdf")
    assert len(doc.plan.programs) == 4
    assert touched == []


def test_a_font_without_unicode_is_left_to_pdfplumber(tmp_path):
    from synth import make_cid_without_unicode

    make_cid_without_unicode(tmp_path / "cid.pdf")
    with pdfplumber.open(tmp_path / "cid.pdf") as pdf:
        assert has_unmapped_fonts(pdf.pages[0])
    with pdfplumber.open(FIXTURES / "plan6.pdf") as pdf:
        assert not has_unmapped_fonts(pdf.pages[4])
