"""The run report's glyph ledger counts against the census, so a lost glyph shows there."""

from __future__ import annotations

import json

from conftest import FIXTURES
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as rl_canvas
from synth import make_text_pages

from pipeline.models import GlyphTally
from pipeline.options import Options
from pipeline.orchestration.extract import extract_to_records
from pipeline.reading import census
from pipeline.reading.document import DocumentReader
from pipeline.reading.ledger import tallies_to_summary, tallies_to_warnings

LINES = ["施策の推進 ２０２４年度", "産業振興 Plan 6", "目標　達成"]
GLYPHS = sum(1 for line in LINES for ch in line if not ch.isspace())


def _tally(path, page=1, reader="auto") -> GlyphTally:
    with DocumentReader(path, Options()) as doc:
        return doc.read_page(page, reader=reader).tally


def test_every_glyph_of_a_plain_page_is_shown_painted_and_kept(tmp_path):
    path = make_text_pages(tmp_path / "t.pdf", [LINES])
    for reader in ("auto", "pdfminer"):
        t = _tally(path, reader=reader)
        assert (t.shown, t.painted, t.kept, t.unaccounted) == (GLYPHS, GLYPHS, GLYPHS, 0), reader


def test_fake_bold_copies_are_counted_as_doubles_or_as_merged_by_the_reader(tmp_path):
    path = make_text_pages(tmp_path / "bold.pdf", [LINES], bold_line=0)
    bold = sum(1 for ch in LINES[0] if not ch.isspace())
    slow = _tally(path, reader="pdfminer")
    assert slow.shown == GLYPHS + bold
    assert (slow.kept, slow.doubles, slow.unaccounted) == (GLYPHS, bold, 0)
    fast = _tally(path)  # PDFium merges the copies itself; pdfminer vouches for them
    assert fast.kept == GLYPHS and fast.doubles + fast.merged_by_reader == bold and fast.unaccounted == 0


def test_white_glyphs_are_painted_but_not_kept(tmp_path):
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    c = rl_canvas.Canvas(str(tmp_path / "w.pdf"), pagesize=A4)
    c.setFont("HeiseiMin-W3", 12)
    c.drawString(72, 700, "見える")
    c.setFillGray(1.0)
    c.drawString(72, 650, "白い字")
    c.save()
    for reader in ("auto", "pdfminer"):
        t = _tally(tmp_path / "w.pdf", reader=reader)
        assert (t.shown, t.painted, t.white, t.kept, t.unaccounted) == (6, 6, 3, 3, 0), reader


def test_glyphs_no_reader_returns_are_named_in_the_run_report(tmp_path, monkeypatch):
    """The census is the reference: if it shows more than any reader gives, the report says so."""
    path = make_text_pages(tmp_path / "t.pdf", [LINES, ["二頁目"]])
    real = census.Census.page_glyphs

    def more_on_page_two(self, page_obj):
        n = real(self, page_obj)
        return n + 2 if n == 3 else n

    monkeypatch.setattr(census.Census, "page_glyphs", more_on_page_two)
    # Neither reader can give the two glyphs: the pdfminer re-reading recovers nothing.
    report, _ = extract_to_records(str(path), Options(ocr="never"))
    assert report.status == "failed" and report.error_kind == "no_table"
    assert report.pages == 2
    assert report.glyphs["shown"] == GLYPHS + 5 and report.glyphs["kept"] == GLYPHS + 3
    assert report.glyphs["unaccounted"] == 2


def test_the_ledger_warns_per_direction_and_lists_uncounted_pages():
    tallies = [
        (1, GlyphTally(shown=10, painted=10)),
        (2, GlyphTally(shown=12, painted=10)),
        (3, GlyphTally(shown=5, painted=8)),
        (4, GlyphTally(shown=None, painted=7)),
        (5, GlyphTally(shown=4, painted=3, merged_by_reader=1)),
    ]
    summary = tallies_to_summary(tallies)
    assert summary["shown"] == 31 and summary["painted"] == 38
    assert summary["unaccounted"] == 2 - 3
    assert summary["uncounted_pages"] == "4"
    short, extra = tallies_to_warnings(tallies)
    assert short.startswith("pages 2: the text operators show 2 glyph(s) that no reader returned")
    assert extra.startswith("pages 3: the readers returned 3 glyph(s) more")
    assert tallies_to_warnings(tallies[:1] + tallies[4:]) == []


def test_a_clean_report_has_a_zero_ledger_in_run_json(tmp_path):
    from pipeline.orchestration.cli import main

    out = tmp_path / "out"
    assert main(["extract", str(FIXTURES / "plan6.pdf"), "--out", str(out), "--ocr", "never"]) == 0
    (doc,) = json.loads((out / "_run.json").read_text(encoding="utf-8"))["documents"]
    g = doc["glyphs"]
    assert g["shown"] == g["painted"] == g["kept"] > 10_000
    assert g["unaccounted"] == 0 and g["uncounted_pages"] == ""
    assert not any("glyph(s)" in w for w in doc["warnings"])


def test_the_ledger_counts_what_pdfminer_counts_where_pdfminer_maps_every_glyph(tmp_path):
    """Independent of both: pdfminer's own glyphs (spaces left out) equal the census."""
    path = make_text_pages(tmp_path / "t.pdf", [LINES, ["二頁目", "ＡＢＣ 123"]])
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        counts = [sum(1 for c in p.chars if not c["text"].isspace()) for p in pdf.pages]
    assert [_tally(path, n).shown for n in (1, 2)] == counts
    assert counts == [GLYPHS, 3 + 6]
