"""Smoke tests for tests/synth.py: the synthetic PDFs are what other tests assume they are."""
import re
import sys
from pathlib import Path

import pdfplumber
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from synth import (
    Measure,
    Program,
    SubRow,
    Target,
    build_table_pdf,
    make_cid_without_unicode,
    make_empty,
    make_encrypted,
    make_not_a_pdf,
    make_prose_only,
    make_scanned,
    make_truncated,
    plan_grid,
    plan_truth,
    year_labels,
)


def _nows(s):
    return re.sub(r"\s+", "", s or "")


def two_measures(n_years=3):
    return [Program("国際的視点に基づく産業振興", "3*", [
        Measure("アジア起業家村構想の推進", "アジアからベンチャーや企業を誘致・育成します。",
                [SubRow(["アジアからの誘致促進(起業家村へ5社進出)", "ベトナムシティセールス"],
                        [Target(0, ["入居企業に対する支援の実施"]), Target(1, ["交流事業"], span=n_years - 2),
                         Target(n_years - 1, "事業推進", all_rows=True)]),
                 SubRow(["研修生の受入"], [Target(0, ["受入体制の充実"], span=n_years - 1)], label="研修")],
                rating="3*", reference_rating="3", outcomes=["起業家村に11社が新規入居しました。"],
                changes=["研修生受入ニーズが高まっています。"], revised_targets=["優先順位に応じて対応します。"]),
        Measure("海外企業との交流推進", "市内企業のビジネスの国際化を支援します。",
                [SubRow(["シティ・プロモート活動の実施"], [Target(0, ["商談会の開催"], span=n_years)])],
                outcomes=["業務連携を促進しました。"]),
    ])]


@pytest.fixture(scope="module")
def grid():
    return plan_grid(year_labels(2008, 3), two_measures())


def test_plan_grid_shape(grid):
    assert [c["text"] for c in grid[0]] == ["施策計画名", "現状", "目標"]
    assert grid[0][2]["colspan"] == 3
    measure_cell = grid[3][0]
    assert measure_cell["rowspan"] == 2 and measure_cell["text"].startswith("○ アジア起業家村構想の推進\n")
    assert grid[4][0]["text"].startswith("(研修)\n●研修生の受入")
    assert grid[5][1]["text"] == "達成状況区分\n3*\n(参考)当初の目標に対する達成状況\n達成状況区分\n3"
    assert "【環境等の変化・課題等】\n・研修生" in grid[5][2]["text"]
    assert all(cell["r"] == i for i, row in enumerate(grid) for cell in row)
    truth = plan_truth(year_labels(2008, 3), two_measures())[0]["measures"][0]
    assert truth["rows"][0]["targets"][2] == {"years": [2010], "items": ["事業推進"], "all_rows": True}
    assert truth["rows"][1]["label"] == "研修" and truth["result"]["reference_rating"] == "3"


def test_table_pdf_cells_match_pdfplumber(tmp_path, grid):
    drawn = build_table_pdf(tmp_path / "t.pdf", grid)
    with pdfplumber.open(drawn.path) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert "施策計画名" in _nows(page.extract_text())
        tables = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
        assert len(tables) == 1
        found = sorted(tuple(round(v) for v in c) for c in tables[0].cells)
        assert found == sorted(tuple(round(v) for v in c.bbox) for c in drawn.pages[0].cells)
        for c in drawn.pages[0].cells:  # every cell's text lands inside its drawn box
            assert _nows(page.within_bbox(c.bbox).extract_text()) == _nows(c.text)


def test_letter_spaced_rects_rotated(tmp_path, grid):
    plain = build_table_pdf(tmp_path / "a.pdf", grid)
    drawn = build_table_pdf(tmp_path / "b.pdf", grid, letter_spaced_header=True, rotate=90,
                            line_style="rects", prose_pages=["前文のページです。"])
    assert drawn.prose_pages == [0] and drawn.pages[0].index == 1
    with pdfplumber.open(plain.path) as a, pdfplumber.open(drawn.path) as b:
        page = b.pages[1]
        assert page.rotation == 90 and page.width > page.height
        text = page.extract_text()
        assert "施 策 計 画 名" in text and "施 策 計 画" in text.splitlines()[0]
        assert _nows(text) == _nows(a.pages[0].extract_text())
        assert not page.lines and page.rects  # borders are filled boxes only
        assert len(page.find_tables()[0].cells) == len(drawn.pages[0].cells)
        assert "前文" in b.pages[0].extract_text()


def test_page_breaks_repeat_header_and_continue_rowspan(tmp_path, grid):
    drawn = build_table_pdf(tmp_path / "t.pdf", grid, break_before=[4])
    assert [p.body_rows for p in drawn.pages] == [[2, 3], [4, 5, 6, 7]]
    cont = [c for c in drawn.pages[1].cells if c.continuation]
    assert {(c.r, c.c) for c in cont} == {(3, 0), (3, 4)} and all(c.text == "" for c in cont)
    with pdfplumber.open(drawn.path) as pdf:
        assert all("施策計画名" in _nows(p.extract_text()) for p in pdf.pages)
    assert len(build_table_pdf(tmp_path / "r.pdf", grid, rows_per_page=1).pages) == 6


def test_reiwa_five_years(tmp_path):
    labels = year_labels(2019, 5)
    assert labels[0] == "2019(令和元)年度" and labels[-1] == "2023(令和5)年度以降"
    grid = plan_grid(labels, two_measures(5))
    assert len(grid[1]) == 5 and grid[3][3]["colspan"] == 3
    drawn = build_table_pdf(tmp_path / "t.pdf", grid, font="HeiseiKakuGo-W5")
    with pdfplumber.open(drawn.path) as pdf:
        text = _nows(pdf.pages[0].extract_text())
    assert all(_nows(label) in text for label in labels)


def test_bad_inputs(tmp_path):
    for make in (make_not_a_pdf, make_empty):
        make(tmp_path / f"{make.__name__}.pdf")
        with pytest.raises(Exception):
            pdfplumber.open(tmp_path / f"{make.__name__}.pdf").pages[0].chars
    src = build_table_pdf(tmp_path / "src.pdf", plan_grid(year_labels(2008, 3), two_measures())).path
    make_truncated(tmp_path / "trunc.pdf", src)
    assert (tmp_path / "trunc.pdf").stat().st_size == int(src.stat().st_size * 0.6)
    with pytest.raises(Exception):  # xref and trailer are in the cut-off tail
        pdfplumber.open(tmp_path / "trunc.pdf").pages[0].chars

    make_encrypted(tmp_path / "enc.pdf")
    with pytest.raises(Exception):
        pdfplumber.open(tmp_path / "enc.pdf").pages[0].chars
    with pdfplumber.open(tmp_path / "enc.pdf", password="secret") as pdf:
        assert "施策計画名" in _nows(pdf.pages[0].extract_text())

    make_scanned(tmp_path / "scan.pdf")
    with pdfplumber.open(tmp_path / "scan.pdf") as pdf:
        assert not pdf.pages[0].chars and len(pdf.pages[0].images) == 1

    make_prose_only(tmp_path / "prose.pdf")
    with pdfplumber.open(tmp_path / "prose.pdf") as pdf:
        text = "".join(p.extract_text() for p in pdf.pages)
        assert "主な実施結果" in text and "施策計画" not in text
        assert not any(p.find_tables() for p in pdf.pages)

    make_cid_without_unicode(tmp_path / "cid.pdf")
    with pdfplumber.open(tmp_path / "cid.pdf") as pdf:
        text = pdf.pages[0].extract_text()
        assert "(cid:" in text and "施" not in text
