"""A header an OCR engine misread by one look-alike glyph still opens the 施策計画 table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers.ocrforms import contains_read_as, reads_as
from pipeline.orchestration.extract import extract_document
from synth import Measure, Program, SubRow, Target, build_table_pdf, plan_grid, year_labels

WORDS = ("施策計画名", "現状", "目標")


@pytest.mark.parametrize("misread, word", [("日標", "目標"), ("現伏", "現状"), ("施策計両名", "施策計画名"), ("旆策計画名", "施策計画名")])
def test_look_alike_glyphs_read_as_the_header_word(misread, word):
    assert reads_as(misread, word)
    assert contains_read_as(f"【{misread}】", word)


@pytest.mark.parametrize("text, word", [
    ("目的", "目標"),  # 的 is no look-alike of 標
    ("日漂", "目標"),  # two glyphs of two swapped
    ("施策計画", "施策計画名"),  # a glyph missing is not a misreading
    ("旆笨計両名", "施策計画名"),  # three of five swapped
])
def test_other_words_are_not_taken_for_header_words(text, word):
    assert not reads_as(text, word)


@given(st.text(min_size=1, max_size=8))
def test_every_word_reads_as_itself_and_never_as_one_of_another_length(text):
    assert reads_as(text, text)
    assert not reads_as(text + "字", text)


def _plan(tmp_path, replace: dict[str, str]):
    grid = plan_grid(year_labels(2008, 4), [Program("産業振興", "3", [
        Measure("起業支援", "起業を支援します。", rows=[SubRow(["相談窓口"], [Target(0, ["窓口の開設"], span=4)])],
                outcomes=["開設しました。"])])])
    for row in grid:
        for cell in row:
            cell["text"] = replace.get(cell["text"], cell["text"])
    return build_table_pdf(tmp_path / "ocrd.pdf", grid).path


def test_a_table_whose_header_ocr_misread_is_still_found(tmp_path):
    doc = extract_document(_plan(tmp_path, {"目標": "日標", "現状": "現伏"}), ocr="never")
    (program,) = doc.plan.programs
    (measure,) = program.measures
    assert measure.name == "起業支援"
    assert [it.text for cell in measure.rows[0].targets for it in cell.items] == ["窓口の開設"]


def test_a_header_with_a_word_that_is_no_misreading_is_still_no_table(tmp_path):
    from pipeline.errors import NoPlanTable

    with pytest.raises(NoPlanTable, match="no 施策計画 table found"):
        extract_document(_plan(tmp_path, {"目標": "目的"}), ocr="never")
