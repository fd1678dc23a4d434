"""``python -m pipeline text FILE``: each page's visible text as sesaku reads it."""

from __future__ import annotations

import pytest
from synth import make_not_a_pdf, make_text_pages, make_truncated

from pipeline.orchestration.cli import main
from pipeline.reading.text import join_line, page_text
from pipeline.settings import DEFAULT

PAGE1 = ["施策計画の評価", "KPI 2024 年度 達成率 95.5%", "第2期実行計画"]
PAGE2 = ["二ページ目の文章です。", "ABC  def"]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    # Line 0 is drawn twice, 0.3 pt apart: fake bold, which must print once.
    return make_text_pages(tmp_path_factory.mktemp("text") / "two.pdf", [PAGE1, PAGE2], bold_line=0)


def run(capsys, *argv):
    code = main(["text", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_japanese_lines_pages_separated_by_form_feed(pdf, capsys):
    code, out, err = run(capsys, pdf)
    assert code == 0, err
    pages = out.split("\f")
    assert pages[-1] == ""  # every page ends with \f, like pdftotext
    assert pages[:-1] == [
        "施策計画の評価\nKPI 2024年度達成率95.5%\n第2期実行計画\n",
        "二ページ目の文章です。\nABC def\n",
    ]


@pytest.mark.parametrize("reader", ["auto", "pdfium", "pdfminer"])
def test_readers_agree_on_the_text(pdf, capsys, reader):
    code, out, _ = run(capsys, pdf, "--reader", reader)
    assert code == 0
    assert out.startswith("施策計画の評価\n") and "二ページ目の文章です。" in out


def test_pages_2_prints_only_page_2(pdf, capsys):
    code, out, _ = run(capsys, pdf, "--pages", "2")
    assert code == 0
    assert out == "二ページ目の文章です。\nABC def\n\f"


def test_pages_selecting_nothing_is_one_error_line(pdf, capsys):
    code, out, err = run(capsys, pdf, "--pages", "9")
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("bad", ["truncated", "not_a_pdf", "missing", "bad_pages"])
def test_corrupt_file_is_one_line_on_stderr(pdf, tmp_path, capsys, bad):
    path = tmp_path / "bad.pdf"
    extra = []
    if bad == "truncated":
        make_truncated(path, pdf)
    elif bad == "not_a_pdf":
        make_not_a_pdf(path)
    elif bad == "bad_pages":
        path, extra = pdf, ["--pages", "x-y"]
    code, out, err = run(capsys, path, *extra)
    assert code != 0
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err


def _glyph(text, x0, x1, top=10.0, size=10.0):
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + size, "size": size}


def test_join_line_spaces_only_between_non_cjk_words():
    assert join_line([_glyph("施", 0, 10), _glyph("策", 30, 40)], settings=DEFAULT) == "施策"  # letter-spaced CJK
    assert join_line([_glyph("A", 0, 6), _glyph("B", 6, 12), _glyph("C", 15, 21)], settings=DEFAULT) == "AB C"
    assert join_line([_glyph("2", 0, 5), _glyph("年", 9, 19)], settings=DEFAULT) == "2年"


def test_page_text_orders_lines_top_to_bottom_and_glyphs_by_x():
    chars = [_glyph("下", 0, 10, top=50), _glyph("き", 10, 20, top=10), _glyph("上", 0, 10, top=11)]
    assert page_text(chars, settings=DEFAULT) == ["上き", "下"]
