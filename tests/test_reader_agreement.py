"""sesaku's default reading against pdfminer's: the same lines, glyphs at the same boxes.

tests/fixtures/pages/ holds one Yokohama and one Kyoto sheet page (text drawn
``50 Tf`` through a 0.18 matrix); until f75c893 PDFium read them as interleaved
lines.  The sweep over ../shared/family and ../shared/real (skipped where the
folder is absent) uses bench/compare_readers.py, the figures' own tool.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline.options import Options
from pipeline.reading.document import DocumentReader
from pipeline.reading.text import view_text
from pipeline.settings import DEFAULT

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "fixtures" / "pages"
SHARED = ROOT.parent / "shared"


def compare_readers():
    import sys

    if "compare_readers" not in sys.modules:
        spec = importlib.util.spec_from_file_location("compare_readers", ROOT / "bench" / "compare_readers.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["compare_readers"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules["compare_readers"]


def lines(path: Path, reader: str) -> list[str]:
    with DocumentReader(path, Options()) as doc:
        return view_text(doc.read_page(1, reader=reader), settings=DEFAULT)


def test_every_sheet_page_has_its_manifest_line():
    import csv

    with open(PAGES / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        listed = sorted(row["file"] for row in csv.DictReader(fh, delimiter="\t"))
    assert listed == sorted(p.name for p in PAGES.glob("*.pdf"))


@pytest.mark.parametrize("reader", ["auto", "pdfium", "pdfminer"])
def test_a_yokohama_sheet_reads_line_by_line(reader):
    got = lines(PAGES / "yokohama-r7-001-p1.pdf", reader)
    assert got[0] == "令和７年度事業評価書"
    assert "令和６年度事業名\tデジタル企画調整費" in got
    assert "事業概要" in got
    assert "デジタル統括本部の運営に必要な物品やサービス等の調達等を行います。" in got
    assert "事業費\t年度\t５年度\t６年度\t差引（増減）" in got
    assert "（千円）\t決算\t24,225\t26,718\t2,493" in got


@pytest.mark.parametrize("reader", ["auto", "pdfium", "pdfminer"])
def test_a_kyoto_sheet_reads_line_by_line(reader):
    got = lines(PAGES / "kyoto-r6-001-p1.pdf", reader)
    assert got[:2] == ["令和５年度新規・充実事業の取組状況と令和７年度当初予算（案）への反映状況について", "Ｎｏ．"]
    assert "京都市脱炭素先行地域創出事業" in got
    assert "（令和６年度）\t令和5年度～9年度" in got
    assert "年度\t令和５年度予算現額\t令和５年度決算\t令和６年度当初予算" in got
    assert "経費（一財）\t326,800（0）\t197,770(１)\t478,067(0)" in got


def test_the_default_reading_equals_pdfminers_on_the_sheet_pages():
    for path in sorted(PAGES.glob("*.pdf")):
        assert lines(path, "auto") == lines(path, "pdfminer"), path.name


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["family", "real"])
def test_shared_pages_read_as_pdfminer_reads_them(folder):
    """On every page pdfminer maps fully: >= 99 % of pdfminer's lines given identically,
    and every glyph of a page PDFium reads at pdfminer's box (vertical text included:
    pdfminer_jo_vertical, pdfdiff_VerticalText, pdfjs_vertical_dvipdfmx,
    pdfjs_issue11555_kozmin_rksj_v are in ../shared/real)."""
    path = SHARED / folder
    if not path.is_dir():
        pytest.skip(f"{path} is not on this machine")
    cr = compare_readers()
    total = cr.Score()
    for pdf in cr.pdfs(path):
        total.add(cr.compare_pdf(pdf, boxes=True))
    assert total.pages > 0
    # pdfminer is no reference where the rendered page shows it misplacing glyphs
    # (Setagaya's budget: glyphs after a half-width space of a CID font 0.5 em left
    # of their ink); those pages are left out of the line score.
    assert total.share_checked >= 0.99, (
        f"{folder}: {total.share_checked:.2%} of pdfminer's lines; least alike {total.worst[:5]}")
    # A glyph PDFium starts elsewhere than pdfminer is only allowed where the
    # rendered page sides with PDFium.  (A box that only ends elsewhere is the
    # advance: PDFium's ends where the next glyph starts, as TJ-tightened
    # punctuation is printed; pdfminer's at the font's width.)  Glyphs whose
    # text the readers give differently (ligatures such as 'fi', Arabic
    # presentation forms) have no counterpart at all: a handful at most.
    assert total.ink_pdfminer == 0, f"{folder}: PDFium misplaces glyphs on {total.pdfium_wrong_pages[:5]}"
    unmatched = total.box_misses - total.box_misplaced - total.box_sized
    assert unmatched <= 0.001 * total.glyphs, f"{folder}: {unmatched} of {total.glyphs} glyphs unmatched"


CAMELOT = SHARED / "peers" / "camelot-lattice"


@pytest.mark.parametrize("name", ["clockwise_table_1.pdf", "anticlockwise_table_1.pdf"])
def test_camelots_turned_tables_read_upright(name):
    if not (CAMELOT / name).is_file():
        pytest.skip(f"{CAMELOT} is not on this machine")
    with DocumentReader(CAMELOT / name, Options()) as doc:
        view = doc.read_page(1)
    assert view.turned in (90, 270)
    got = view_text(view, settings=DEFAULT)
    assert got[0] == "Table 1 : STATE WISE COVERAGE PARTICULARS BY PERIOD OF SURVEY (Contd...)"
    assert "Kerala\t5738\t6633\t8864\t8297\t245\t2161\t3195\t1645\t2391" in got
    assert not any("S t a t e" in line for line in got)


def test_camelots_small_and_kerned_latin_text_keeps_its_letters_and_spaces():
    if not CAMELOT.is_dir():
        pytest.skip(f"{CAMELOT} is not on this machine")
    text = "\n".join(line for pdf in sorted(CAMELOT.glob("*.pdf")) for line in _all_lines(pdf))
    assert "dhanviinformatics" in text and "dhanvi nformatics" not in text  # 4pt text, fake-bold tolerance
    assert "Two-Plan" in text and "Tw o-Plan" not in text  # size 1.0 operand under a 10x matrix
    assert "Men (≥ 18yrs)" in text and "Men(≥18yrs)" not in text


def _all_lines(path: Path) -> list[str]:
    with DocumentReader(path, Options()) as doc:
        return [line for n in range(1, doc.page_count + 1) for line in view_text(doc.read_page(n), settings=DEFAULT)]
