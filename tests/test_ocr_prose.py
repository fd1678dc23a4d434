"""The OCR route on pages without table borders: prose, titles, pages of plain text.

The route finds text lines between the borders it finds in the image; on a page without borders
the glyphs themselves must not be taken for borders (the strokes of 生, 出, 事 at 16-20 pt are
longer than the shortest border), a title in larger glyphs must not be cut in two as if it were
two lines blur had joined, and glyphs must not be invented from the pieces.  Measured on the
sample's prose pages and on generated ones scanned clean and noisy (bench/ocr_prose.py gives the
figures per document).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ocr_scans import align, heldout_prose, scan_copy, score_prose_page
from pipeline.orchestration.text import read_text
from pipeline.options import Options
from pipeline.reading import fonts, imagerules, ocr, pdfium
from pipeline.reading.rules import rules_to_tables
from pipeline.settings import DEFAULT
from synth import _font

FIXTURE = Path(__file__).parent / "fixtures" / "plan6.pdf"
needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the ocr extra (rapidocr) is not installed")

# Glyphs whose strokes cross or meet one another and run most of the em.
BIG_GLYPHS = "生み出す事業書画面出納帳"


def _render(pdf: Path, dpi: int) -> np.ndarray:
    fonts.configure()  # the glyphs of non-embedded fonts are drawn from the project's font
    doc = pdfium.open_document(pdf, None)
    try:
        return pdfium.render_gray(doc, 0, dpi)
    finally:
        pdfium.close_document(doc)


def _titles_over_a_table(path: Path) -> tuple[float, float]:
    """Lines of large glyphs (14-28 pt) over a small ruled table whose sub-row is 14 pt high;
    returns the table's (top, bottom) in pt from the page's top."""
    _, H = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = H - 60
    for size, font in ((14, "HeiseiMin-W3"), (16, "HeiseiKakuGo-W5"), (20, "HeiseiMin-W3"),
                       (24, "HeiseiKakuGo-W5"), (28, "HeiseiMin-W3")):
        c.setFont(_font(font), size)
        c.drawString(60, y - size, BIG_GLYPHS)
        y -= size * 1.8
    top = H - y + 20
    c.setLineWidth(0.75)
    rows = [top, top + 20, top + 34, top + 54]  # the middle row is a 14 pt sub-row
    for r in rows:
        c.line(60, H - r, 460, H - r)
    for x in (60, 200, 330, 460):
        c.line(x, H - rows[0], x, H - rows[-1])
    c.line(265, H - rows[1], 265, H - rows[2])  # a sub-column: a 14 pt rule meeting only short ones ...
    c.setFont(_font("HeiseiMin-W3"), 9)
    c.drawString(66, H - rows[1] + 5, "現状")
    c.showPage()
    c.save()
    return rows[0], rows[-1]


@pytest.mark.parametrize("dpi", [150, 200])
def test_the_strokes_of_large_glyphs_are_no_borders_and_a_tables_short_borders_stay(tmp_path, dpi):
    """生 and 出 at 16 pt, 事 and 書 at 20 pt have strokes over the 12 pt a border needs that meet one
    another: taken as borders, they cut the sample's title and a glyph-id page into pieces."""
    pdf = tmp_path / "titles.pdf"
    top, bottom = _titles_over_a_table(pdf)
    horizontal, vertical, not_text = imagerules.rules_and_masks(_render(pdf, dpi), dpi)
    assert all(top - 2 <= r["top"] <= bottom + 2 for r in horizontal + vertical)
    assert not not_text[:int((top - 5) * dpi / 72)].any()  # nothing of the titles is taken out
    assert len(horizontal) == 4
    assert sorted(round(r["x0"]) for r in vertical) == [60, 200, 265, 330, 460]
    cells = sum(len(t.cells) for t in rules_to_tables(horizontal, vertical, DEFAULT))
    assert cells == 3 * 3 + 1  # the sub-row's middle column split in two


def test_a_line_of_larger_glyphs_is_one_line_and_lines_set_touching_are_two(tmp_path):
    """A title 1.7 times the body's size is ink all the way down; two body lines blur has
    joined touch at a few points: only those are cut (the sample's title was read as two lines of
    garbage, プニンノト川達のチカたト / ノノノ０川間ロノを－)."""
    _, H = A4
    pdf = tmp_path / "title.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4, invariant=1)
    c.setFont(_font("HeiseiKakuGo-W5"), 18)
    c.drawString(60, H - 80, "プラン6川崎の活力を生み出す産業イノベーション")
    c.setFont(_font("HeiseiMin-W3"), 10.5)
    for i in range(8):  # body lines at a pitch of 1.5
        c.drawString(60, H - 130 - 16 * i, "関係機関と連携して事業の推進体制を強化しました。")
    c.showPage()
    c.save()
    gray = _render(pdf, 200)
    lines = ocr.text_lines(gray, None, 200)
    assert len(lines) == 9
    title = lines[0]
    assert (title.bottom - title.top) > 1.6 * (lines[1].bottom - lines[1].top)  # taller than TALL lines
    # The second body line moved up to two rows under the first, and joined to it at a few
    # points, as blur joins lines set close (the sample's results, 2-3 px apart at 200 dpi):
    # cut apart again, between them.
    first, second = lines[1], lines[2]
    touching = gray.copy()
    band = touching[second.top:second.bottom].copy()
    touching[second.top:second.bottom] = 255
    at = first.bottom + 2
    touching[at:at + len(band)] = np.minimum(touching[at:at + len(band)], band)
    for x in range(first.left + 40, first.right - 40, 160):
        touching[first.bottom - 1:at + 1, x:x + 2] = 0
    found = ocr.text_lines(touching, None, 200)
    rows = [(t.top, t.bottom) for t in found if first.top - 1 <= t.top < at + len(band)]
    assert len(rows) == 2, rows
    assert rows[0][1] <= at + 1 and rows[1][0] >= first.bottom - 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=30, max_size=200), st.data())
def test_glyph_boxes_leave_a_gap_only_where_the_ink_is_blank(ink, data):
    """Whatever the model's steps say, a gap between two glyphs of a recognised line is a stretch of
    blank ink (so never wider than the ink gaps a line is joined across), and the boxes keep
    their order."""
    ink_cols = np.array(ink)
    left = 100
    n = data.draw(st.integers(1, 8))
    edges = sorted(data.draw(st.lists(st.floats(left, left + len(ink)), min_size=2 * n, max_size=2 * n)))
    placed = [("字", edges[2 * k], edges[2 * k + 1], 0.9) for k in range(n)]
    out = ocr._gaps_from_ink(placed, ink_cols, left)
    assert [g[0] for g in out] == [g[0] for g in placed]
    for (_, _, a1, _), (_, b0, b1, _) in zip(out, out[1:]):
        assert a1 <= b0 <= b1 or b0 == a1
        if b0 > a1:
            assert not ink_cols[int(a1) - left:int(b0) - left].any()
    for before, after in zip(placed, out):  # boxes only grow into a gap, never shrink
        assert after[1] <= before[1] + 1e-9 or after[1] <= before[2]
        assert after[2] >= before[2] - 1e-9 or after[2] >= before[1]


@given(st.text(alphabet="abc字", max_size=12), st.text(alphabet="abc字", max_size=12))
def test_the_score_alignment_accounts_for_every_character(truth, read):
    match, sub, dele, ins = align(truth, read)
    assert match + sub + dele == len(truth) and match + sub + ins == len(read)
    assert sub + dele + ins <= max(len(truth), len(read))


def _read(pdf: Path) -> list[list[str]]:
    return [lines for _, lines, _ in read_text(pdf, Options(ocr="always"))]


def _vector(pdf: Path, pages: str) -> list[list[str]]:
    return [lines for _, lines, _ in read_text(pdf, Options(pages=pages, ocr="never"))]


def _pooled(scores: list[dict]) -> dict:
    return {k: sum(s[k] for s in scores) for k in scores[0]}


@pytest.fixture(scope="module")
def sample_prose(tmp_path_factory):
    """The sample's four prose pages scanned clean and as a noisy copier does, read by OCR."""
    folder = tmp_path_factory.mktemp("prose")
    truth = _vector(FIXTURE, "1-4")
    out = {}
    for kind in ("clean", "noisy"):
        scan = scan_copy(FIXTURE, folder / f"{kind}.pdf", dpi=200, kind=kind, pages=[1, 2, 3, 4], seed=11)
        out[kind] = (truth, _read(scan))
    return out


@needs_ocr
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["clean", "noisy"])
def test_the_samples_prose_pages_are_read_as_printed(sample_prose, kind):
    """The share of the vector text's characters read right (the route before this read its 16 pt title
    as garbage: 98.9 %; the detection-model route 99.9 %), nothing invented, no tab inside a line."""
    truth, read = sample_prose[kind]
    s = _pooled([score_prose_page(t, r) for t, r in zip(truth, read)])
    assert s["match"] / s["chars"] >= 0.996, s
    assert s["ins"] / s["chars"] <= 0.002, s
    assert s["tabs"] == 0
    assert "プラン6川崎の活力を生み出す産業イノベーション" in [line.replace("６", "6") for line in read[0]]


@needs_ocr
@pytest.mark.slow
@pytest.mark.parametrize("seed", [8, 12])
def test_generated_prose_pages_with_large_and_letter_spaced_titles_are_read_as_printed(tmp_path, seed):
    """Generated prose pages neither tuned nor reported on (seed 8: a 28 pt title letter-spaced in a
    box; seed 12: a 20 pt title, two columns), scanned noisy."""
    vector = tmp_path / "prose.pdf"
    pages = heldout_prose(vector, seed)
    truth = _vector(vector, "all")
    scan = scan_copy(vector, tmp_path / "noisy.pdf", dpi=200, kind="noisy", seed=seed)
    read = _read(scan)
    assert len(read) == len(pages)
    s = _pooled([score_prose_page(t, r) for t, r in zip(truth, read)])
    assert s["match"] / s["chars"] >= 0.995, s
    assert s["ins"] / s["chars"] <= 0.002, s
    assert s["tabs"] == 0
    assert truth[0][1] in read[0] or truth[0][0] in read[0]  # the title (after the running head, if any)
