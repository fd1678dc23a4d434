"""Evaluation sheets on generated PDFs: every axis form, every mark, fields, sheets over pages.

The PDFs are drawn with reportlab's non-embedded CID fonts (tests/sheetsynth.py)
and read by the page reader and the pdfplumber grid engine, as extract reads them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetsynth import Block, C, Page, Text, build_sheet_pdf

from pipeline.models import Cell, Sheet
from pipeline.settings import DEFAULT
from pipeline.reading.document import DocumentReader
from pipeline.options import Options
from pipeline.understanding.sheets import pages_to_sheets
from pipeline.understanding.sheets.fields import inner_labels
from pipeline.understanding.table.engines import EngineSource, make_engine
from pipeline.understanding.table.ruled import view_to_grids


def read_sheets(path: Path) -> tuple[Sheet, ...]:
    engine = make_engine("pdfplumber", EngineSource(path), settings=DEFAULT)
    pages = []
    with DocumentReader(path, Options()) as reader:
        for number in range(1, reader.page_count + 1):
            view = reader.read_page(number)
            pages.append((number, view.lines, view_to_grids(view, engine), view.chars))
    return pages_to_sheets(pages, DEFAULT)


def one_sheet(tmp_path: Path, *pages: Page) -> Sheet:
    (sheet,) = read_sheets(build_sheet_pdf(tmp_path / "sheet.pdf", list(pages)))
    return sheet


def values(sheet: Sheet) -> set[tuple]:
    return {(v.item, v.unit, v.fiscal_year, v.kind, v.value) for v in sheet.values}


def fields(sheet: Sheet) -> dict[str, str]:
    return {f.label: f.value for f in sheet.fields}


def choices(sheet: Sheet) -> dict[str, tuple[list[str], list[str], str]]:
    return {c.question: ([o.text for o in c.options], list(c.selected), c.form) for c in sheet.choices}


TITLE_R = Text(40, 30, "令和７年度事業評価書")
TITLE_H = Text(40, 30, "平成29年度事務事業評価シート")


def _volume_block(top: float = 80) -> Block:
    """事業量 titled by its indicator, era-less year columns, 想定 / 実績 rows."""
    return Block(40, top, [70, 70, 70, 70, 70], [18, 18, 18, 18], [
        C(0, 0, "事業量"), C(0, 1, "研修受講者数", colspan=2), C(0, 3, "単位"), C(0, 4, "人"),
        C(1, 0, "年度"), C(1, 1, "５年度"), C(1, 2, "６年度"), C(1, 3, "７年度"), C(1, 4, "８年度"),
        C(2, 0, "想定"), C(2, 1, "1,000"), C(2, 2, "1,200"), C(2, 3, "1,400"), C(2, 4, "1,600"),
        C(3, 0, "実績"), C(3, 1, "950"), C(3, 2, "1,250"), C(3, 3, ""), C(3, 4, ""),
    ])


# ---------------------------------------------------------------- axes


@pytest.mark.parametrize("title, first", [(TITLE_R, 2023), (TITLE_H, 1993)])
def test_years_across_with_kind_rows_take_the_documents_era(tmp_path, title, first):
    # ５年度 is 令和5 (2023) in a 令和 document and 平成5 (1993) in a 平成 one: the era is the document's.
    sheet = one_sheet(tmp_path, Page([_volume_block()], [title]))
    item = "研修受講者数"
    assert values(sheet) == {
        (item, "人", first, "target", 1000), (item, "人", first + 1, "target", 1200),
        (item, "人", first + 2, "target", 1400), (item, "人", first + 3, "target", 1600),
        (item, "人", first, "actual", 950), (item, "人", first + 1, "actual", 1250),
    }
    by_value = {v.value: v for v in sheet.values}
    assert by_value[950].label == "５年度 実績" and by_value[950].text == "950"
    # The title row of the block is a field too: the item and its unit as printed.
    assert fields(sheet) == {"事業量": item, "単位": "人"}
    assert sheet.unplaced == ()


def test_era_less_years_without_an_era_in_the_document_are_not_guessed(tmp_path):
    sheet = one_sheet(tmp_path, Page([_volume_block()], [Text(40, 30, "事業評価書")]))
    assert sheet.values == ()
    # Not lost either: the figures are read as what they are printed beside.
    kept = {f.value for f in sheet.fields} | {u.text for u in sheet.unplaced}
    assert {"1,000", "1,200", "950", "1,250"} <= kept


def test_kind_and_year_in_one_header_label_with_unit_and_item_columns(tmp_path):
    block = Block(40, 80, [100, 40, 70, 70, 70], [18, 18, 18], [
        C(0, 0, "成果指標"), C(0, 1, "単位"), C(0, 2, "R5年度実績"), C(0, 3, "R6年度見込"), C(0, 4, "R9年度目標"),
        C(1, 0, "出前授業の実施回数"), C(1, 1, "回"), C(1, 2, "27"), C(1, 3, "30"), C(1, 4, "35"),
        C(2, 0, "参加者の満足度"), C(2, 1, "％"), C(2, 2, "80.5"), C(2, 3, "43/100"), C(2, 4, "90"),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    assert values(sheet) == {
        ("出前授業の実施回数", "回", 2023, "actual", 27), ("出前授業の実施回数", "回", 2024, "forecast", 30),
        ("出前授業の実施回数", "回", 2027, "target", 35),
        ("参加者の満足度", "％", 2023, "actual", 80.5), ("参加者の満足度", "％", 2024, "forecast", None),
        ("参加者の満足度", "％", 2027, "target", 90),
    }
    fraction = next(v for v in sheet.values if v.value is None)
    assert fraction.text == "43/100" and fraction.label == "R6年度見込"
    assert sheet.fields == () and sheet.unplaced == ()


def test_years_down_with_kinds_across(tmp_path):
    block = Block(40, 80, [90, 70, 70], [18, 18, 18, 18], [
        C(0, 0, "年度"), C(0, 1, "目標"), C(0, 2, "実績"),
        C(1, 0, "令和4年度"), C(1, 1, "100"), C(1, 2, "90"),
        C(2, 0, "令和5年度"), C(2, 1, "110"), C(2, 2, "120"),
        C(3, 0, "令和6年度"), C(3, 1, "120"), C(3, 2, "―"),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    assert values(sheet) == {
        (None, None, 2022, "target", 100), (None, None, 2022, "actual", 90),
        (None, None, 2023, "target", 110), (None, None, 2023, "actual", 120),
        (None, None, 2024, "target", 120),
    }
    assert sheet.fields == ()


def test_a_two_row_header_money_table_with_negatives(tmp_path):
    block = Block(40, 80, [90, 60, 60, 60], [16, 16, 18, 18], [
        C(0, 0, "区分", rowspan=2), C(0, 1, "R5年度"), C(0, 2, "R6年度", colspan=2),
        C(1, 1, "決算"), C(1, 2, "予算"), C(1, 3, "決算"),
        C(2, 0, "事業費（千円）"), C(2, 1, "5,690"), C(2, 2, "5,700"), C(2, 3, "△120"),
        C(3, 0, "一般財源"), C(3, 1, "0"), C(3, 2, "▲ 3"), C(3, 3, "0"),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    assert values(sheet) == {
        ("事業費", "千円", 2023, "settlement", 5690), ("事業費", "千円", 2024, "budget", 5700),
        ("事業費", "千円", 2024, "settlement", -120),
        ("一般財源", None, 2023, "settlement", 0), ("一般財源", None, 2024, "budget", -3),
        ("一般財源", None, 2024, "settlement", 0),
    }
    assert {v.label for v in sheet.values} == {"R5年度 決算", "R6年度 予算", "R6年度 決算"}
    # 区分 is the block's corner: read as structure, no field.
    assert sheet.fields == () and sheet.unplaced == ()


def test_a_change_column_is_the_latest_years_change(tmp_path):
    block = Block(40, 80, [90, 40, 60, 60, 70], [18, 18], [
        C(0, 0, "事業費（千円）", rowspan=2), C(0, 1, "年度"), C(0, 2, "５年度"), C(0, 3, "６年度"), C(0, 4, "差引（増減）"),
        C(1, 1, "決算"), C(1, 2, "36,247"), C(1, 3, "36,208"), C(1, 4, "▲39"),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    assert values(sheet) == {
        ("事業費", "千円", 2023, "settlement", 36247), ("事業費", "千円", 2024, "settlement", 36208),
        ("事業費", "千円", 2024, "other", -39),
    }
    assert next(v for v in sheet.values if v.kind == "other").label == "差引（増減） 決算"


def test_a_section_label_down_several_blocks_is_no_rows_item(tmp_path):
    # A vertical section label (事業実績) printed down a money block and a 事業量 block
    # stands left of every row of both: the rows' items are the money line and the
    # indicator named over the 事業量 header, not the section.
    block = Block(40, 80, [16, 70, 40, 60, 60, 60, 60], [16, 18, 30, 18, 16, 18, 18], [
        C(0, 0, "事業実績", rowspan=7, vertical=True),
        C(0, 1, "細事業費（千円）", rowspan=2), C(0, 2, "年度"), C(0, 3, "５年度"), C(0, 4, "６年度"),
        C(0, 5, "差引（増減）"), C(0, 6, ""),
        C(1, 2, "決算"), C(1, 3, "6,268"), C(1, 4, "21,778"), C(1, 5, "15,510"), C(1, 6, ""),
        C(2, 1, "増減説明"), C(2, 2, "システム更新による増", colspan=5),
        C(3, 1, "事業量"), C(3, 2, "診断実施件数", colspan=3), C(3, 5, "単位"), C(3, 6, "件"),
        C(4, 1, "年度"), C(4, 2, "３年度"), C(4, 3, "４年度"), C(4, 4, "５年度"), C(4, 5, "６年度"), C(4, 6, "７年度"),
        C(5, 1, "想定"), C(5, 2, "100"), C(5, 3, "100"), C(5, 4, "110"), C(5, 5, "120"), C(5, 6, "130"),
        C(6, 1, "実績"), C(6, 2, "116"), C(6, 3, "157"), C(6, 4, "102"), C(6, 5, "55"), C(6, 6, ""),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    money, volume = "細事業費", "診断実施件数"
    assert values(sheet) == {
        (money, "千円", 2023, "settlement", 6268), (money, "千円", 2024, "settlement", 21778),
        (money, "千円", 2024, "other", 15510),
        (volume, "件", 2021, "target", 100), (volume, "件", 2022, "target", 100), (volume, "件", 2023, "target", 110),
        (volume, "件", 2024, "target", 120), (volume, "件", 2025, "target", 130),
        (volume, "件", 2021, "actual", 116), (volume, "件", 2022, "actual", 157), (volume, "件", 2023, "actual", 102),
        (volume, "件", 2024, "actual", 55),
    }
    # The section label groups the labels of the rows it spans.
    assert fields(sheet) == {"事業実績 増減説明": "システム更新による増", "事業実績 事業量": volume, "事業実績 単位": "件"}
    assert sheet.unplaced == ()


def test_an_indicator_name_beside_its_own_note_header_and_rows_is_their_item(tmp_path):
    # The indicator's name spans a note row over its block as well as the block:
    # it stands beside no other block's header, so it is the rows' item.
    block = Block(40, 80, [90, 70, 60, 60, 60], [18, 16, 18, 18], [
        C(0, 0, "研修受講率（％）", rowspan=4), C(0, 1, "指標の説明"), C(0, 2, "研修を受けた職員", colspan=3),
        C(1, 1, "年度"), C(1, 2, "R4年度"), C(1, 3, "R5年度"), C(1, 4, "R6年度"),
        C(2, 1, "目標"), C(2, 2, "100"), C(2, 3, "110"), C(2, 4, "120"),
        C(3, 1, "実績"), C(3, 2, "90"), C(3, 3, "115"), C(3, 4, ""),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    item = "研修受講率"
    assert values(sheet) == {
        (item, "％", 2022, "target", 100), (item, "％", 2023, "target", 110), (item, "％", 2024, "target", 120),
        (item, "％", 2022, "actual", 90), (item, "％", 2023, "actual", 115),
    }
    assert fields(sheet) == {"指標の説明": "研修を受けた職員"}


def test_a_header_word_after_year_headers_is_no_value_of_the_header_row(tmp_path):
    # 増減率 printed after 7年度 | 8年度 | 増減額 is a column's header: the year and
    # change headers left of it head figures of their own, so they are no row's labels.
    block = Block(40, 80, [90, 60, 60, 60, 50], [18, 18], [
        C(0, 0, "会計区分"), C(0, 1, "7年度"), C(0, 2, "8年度"), C(0, 3, "増減額"), C(0, 4, "増減率"),
        C(1, 0, "一般会計"), C(1, 1, "399,617"), C(1, 2, "431,353"), C(1, 3, "31,736"), C(1, 4, "7.9%"),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    assert values(sheet) == {("一般会計", None, 2026, "other", 31736)}
    # The years name no kind: their figures are listed, not guessed.
    assert {u.text for u in sheet.unplaced} >= {"399,617", "431,353"}


def test_a_caption_drawn_as_the_grids_own_row_gives_the_unit(tmp_path):
    # The caption of a money block printed in a ruled row over its header
    # (not as a line above the grid) names the block's unit.
    block = Block(40, 80, [60, 110, 110, 110], [16, 16, 16], [
        C(0, 0, "３経費（千円）", colspan=4),
        C(1, 0, "年度"), C(1, 1, "令和５年度予算現額"), C(1, 2, "令和５年度決算"), C(1, 3, "令和６年度当初予算"),
        C(2, 0, "事業費"), C(2, 1, "326,800"), C(2, 2, "197,770"), C(2, 3, "478,067"),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    assert values(sheet) == {
        ("事業費", "千円", 2023, "budget", 326800), ("事業費", "千円", 2023, "settlement", 197770),
        ("事業費", "千円", 2024, "budget", 478067),
    }
    assert sheet.fields == () and sheet.unplaced == ()
    assert [h.text for h in sheet.headings if h.reason == "a heading of the table"] == ["３経費（千円）"]


def test_a_year_with_no_kind_is_listed_unplaced_not_guessed(tmp_path):
    block = Block(40, 80, [90, 70, 70], [18, 18], [
        C(0, 0, "指標"), C(0, 1, "令和5年度"), C(0, 2, "令和6年度"),
        C(1, 0, "相談件数"), C(1, 1, "10"), C(1, 2, "12"),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    assert sheet.values == ()
    assert sorted(u.text for u in sheet.unplaced) == ["10", "12"]
    assert all("no kind" in u.reason for u in sheet.unplaced)


# ---------------------------------------------------------------- choices


def _pairs_block(rows: list[tuple[str, str]], top: float = 80, ring: str | None = None) -> Block:
    cells = []
    for r, (label, value) in enumerate(rows):
        cells += [C(r, 0, label), C(r, 1, value, ring=ring if r == len(rows) - 1 else None)]
    return Block(40, top, [90, 260], [22] * len(rows), cells)


@pytest.mark.parametrize("printed, options, selected, form", [
    ("●拡充 ○現状維持 ○縮小", ["拡充", "現状維持", "縮小"], ["拡充"], "radio"),
    ("○拡充 ◉現状維持 ○縮小", ["拡充", "現状維持", "縮小"], ["現状維持"], "radio"),
    ("□市が実施 ■民間へ委託", ["市が実施", "民間へ委託"], ["民間へ委託"], "checkbox"),
    ("☐拡充 ☑継続 ☑改善 ☐廃止", ["拡充", "継続", "改善", "廃止"], ["継続", "改善"], "checkbox"),
    ("□日常生活に必要なサービス\n■日常生活に必要でないサービス", ["日常生活に必要なサービス", "日常生活に必要でないサービス"],
     ["日常生活に必要でないサービス"], "checkbox"),
])
def test_marks_in_the_text_of_a_cell(tmp_path, printed, options, selected, form):
    sheet = one_sheet(tmp_path, Page([_pairs_block([("事業名", "環境学習推進事業"), ("今後の方針", printed)])], [TITLE_R]))
    assert choices(sheet) == {"今後の方針": (options, selected, form)}
    assert fields(sheet) == {"事業名": "環境学習推進事業"}
    assert sheet.title == "環境学習推進事業"


def test_a_bulleted_list_is_a_field_not_a_choice(tmp_path):
    sheet = one_sheet(tmp_path, Page([_pairs_block([("事業名", "相談事業"), ("取組内容", "●研修の実施\n●相談窓口の設置")])],
                                     [TITLE_R]))
    assert sheet.choices == ()
    assert fields(sheet)["取組内容"] == "●研修の実施\n●相談窓口の設置"


def test_a_ring_drawn_over_one_option(tmp_path):
    block = _pairs_block([("事業名", "相談事業"), ("今後の方向", "拡充・現状維持・縮小・廃止")], ring="現状維持")
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    assert choices(sheet) == {"今後の方向": (["拡充", "現状維持", "縮小", "廃止"], ["現状維持"], "circled")}


def test_letter_answers_and_directions_beside_their_labels(tmp_path):
    block = _pairs_block([("事業名", "相談事業"), ("成果指標の達成状況", "B.順調に推移していない"),
                          ("R7年度以降の事業の方向性", "現状維持")])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    assert choices(sheet) == {
        "成果指標の達成状況": (["B.順調に推移していない"], ["B.順調に推移していない"], "letter"),
        "R7年度以降の事業の方向性": (["現状維持"], ["現状維持"], "direction"),
    }


def test_marks_in_their_own_cells_beside_the_options(tmp_path):
    block = Block(40, 80, [90, 18, 120, 18, 120], [17, 17, 17], [
        C(0, 0, "関連するSDGsのゴール\n※１つ以上に○", rowspan=3),
        C(0, 1, ""), C(0, 2, "１貧困をなくそう"), C(0, 3, "○"), C(0, 4, "４質の高い教育"),
        C(1, 1, "○"), C(1, 2, "２飢餓をゼロに"), C(1, 3, ""), C(1, 4, "５ジェンダー平等"),
        C(2, 1, ""), C(2, 2, "３健康と福祉"), C(2, 3, "○"), C(2, 4, "６安全な水"),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    ((question, (options, selected, form)),) = choices(sheet).items()
    assert question == "関連するSDGsのゴール"  # the ※ note says how to fill the form in
    assert sorted(options) == sorted(["１貧困をなくそう", "２飢餓をゼロに", "３健康と福祉", "４質の高い教育",
                                      "５ジェンダー平等", "６安全な水"])
    assert sorted(selected) == ["２飢餓をゼロに", "４質の高い教育", "６安全な水"]
    assert form == "grid"
    assert sheet.fields == () and sheet.unplaced == ()


def test_an_answer_row_under_its_questions(tmp_path):
    block = Block(40, 80, [70, 70, 70, 70, 70], [16, 16, 30], [
        C(0, 0, "指標", rowspan=2), C(0, 1, "市民ニーズ", rowspan=2), C(0, 2, "妥当性", rowspan=2),
        C(0, 3, "効率性・経済性", colspan=2), C(1, 3, "(1)実施主体"), C(1, 4, "(2)実施手法"),
        C(2, 0, "分析結果"), C(2, 1, "・高い"), C(2, 2, "・該当なし"), C(2, 3, "・委託等不可"), C(2, 4, "・該当なし"),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    assert choices(sheet) == {
        "市民ニーズ": (["高い"], ["高い"], "answer"),
        "妥当性": (["該当なし"], ["該当なし"], "answer"),
        "効率性・経済性 (1)実施主体": (["委託等不可"], ["委託等不可"], "answer"),
        "効率性・経済性 (2)実施手法": (["該当なし"], ["該当なし"], "answer"),
    }
    assert sheet.fields == ()


# ---------------------------------------------------------------- fields


def test_fields_beside_their_labels_a_vertical_label_and_a_counter_after_its_figure(tmp_path):
    block = Block(40, 80, [60, 150, 60, 30, 20, 30, 20], [18, 18, 40], [
        C(0, 0, "事業名"), C(0, 1, "環境学習推進事業", colspan=6),
        C(1, 0, "所管"), C(1, 1, "環境政策課"), C(1, 2, "予算科目"), C(1, 3, "02"), C(1, 4, "款"), C(1, 5, "05"),
        C(1, 6, "項"),
        C(2, 0, "事業概要", vertical=True), C(2, 1, "市民向けの環境学習を実施する。", colspan=6),
    ])
    sheet = one_sheet(tmp_path, Page([block], [Text(40, 30, "令和７年度事務事業評価シート NO. 12")]))
    assert fields(sheet) == {
        "NO.": "12", "事業名": "環境学習推進事業", "所管": "環境政策課", "予算科目 款": "02", "予算科目 項": "05",
        "事業概要": "市民向けの環境学習を実施する。",
    }
    assert (sheet.title, sheet.number, sheet.department) == ("環境学習推進事業", "12", "環境政策課")


# ---------------------------------------------------------------- sheets


def _title_block(name: str, top: float = 60) -> Block:
    return Block(40, top, [70, 180, 60, 120], [18, 18], [
        C(0, 0, "事業名"), C(0, 1, name, colspan=3),
        C(1, 0, "所管局"), C(1, 1, "環境政策局"), C(1, 2, "事業期間"), C(1, 3, "令和5年度～9年度"),
    ])


def _text_block(top: float, label: str, text: str) -> Block:
    return Block(40, top, [90, 340], [40, 40], [
        C(0, 0, label), C(0, 1, text), C(1, 0, "評価"), C(1, 1, "概ね順調に進んでいる。"),
    ])


def test_a_sheet_over_two_pages_and_the_next_sheet(tmp_path):
    pages = [
        Page([_title_block("脱炭素推進事業"), _volume_block(140)], [TITLE_R]),
        # The second page repeats the title block with the same name: the sheet goes on.
        Page([_title_block("脱炭素推進事業"), _text_block(140, "取組実績", "補助制度を創設した。")], [TITLE_R]),
        Page([_text_block(60, "課題", "申請の増加に対応する。")]),
        Page([_title_block("中小事業者支援事業"), _text_block(140, "取組実績", "説明会を開催した。")], [TITLE_R]),
    ]
    first, second = read_sheets(build_sheet_pdf(tmp_path / "two.pdf", pages))
    assert (first.no, first.title, first.pages, first.department) == (1, "脱炭素推進事業", (1, 2, 3), "環境政策局")
    assert (second.no, second.title, second.pages) == (2, "中小事業者支援事業", (4,))
    assert len(first.values) == 6 and second.values == ()
    assert fields(first)["取組実績"] == "補助制度を創設した。" and fields(first)["課題"] == "申請の増加に対応する。"
    assert fields(second)["取組実績"] == "説明会を開催した。"
    assert {f.page for f in first.fields} == {1, 2, 3}
    # The title block printed again on page 2 is read once.
    assert [f.label for f in first.fields].count("事業名") == 1
    assert any(h.reason == "repeats the sheet's title block" and h.page == 2 for h in first.headings)


def test_a_label_printed_inside_a_values_cell_with_its_own_value_under_it(tmp_path):
    block = Block(40, 80, [80, 360], [30, 18], [
        C(0, 0, "事業名（令和６年度）"), C(0, 1, "脱炭素先行地域創出事業", corner=("【事業実施期間】", "令和5年度～9年度")),
        C(1, 0, "所管局"), C(1, 1, "環境政策局"),
    ])
    sheet = one_sheet(tmp_path, Page([block], [TITLE_R]))
    assert fields(sheet) == {"事業名（令和６年度）": "脱炭素先行地域創出事業", "【事業実施期間】": "令和5年度～9年度",
                             "所管局": "環境政策局"}
    assert sheet.title == "脱炭素先行地域創出事業"


# ---------------------------------------------------------------- a corner label, glyph by glyph


def _glyphs(text: str, x: float, top: float, size: float) -> list[dict]:
    out = []
    for ch in text:
        width = size if ord(ch) > 0x2000 else size * 0.55
        out.append({"text": ch, "x0": x, "x1": x + width, "top": top, "bottom": top + size, "size": size})
        x += width
    return out


def test_a_corner_label_joined_into_a_line_of_the_cells_own_text_is_found_by_the_white_around_it():
    # Kyoto's 事業名 cell: a name of two lines, and in the cell's corner a small
    # 【事業実施期間】 over its period, 3pt lower than the name's first line: the
    # reader joined the label into that line.
    name1 = _glyphs("京都の文化力を活かした事業", 125, 97.6, 10.6)
    name2 = _glyphs("（子どもたちの機会の創出）", 125, 109.0, 10.6)
    label = _glyphs("【事業実施期間】", 481, 100.8, 6.7)
    period = _glyphs("令和5年度～令和7年度", 474, 109.5, 6.7)
    cell = Cell(page=1, row=0, col=1, rowspan=1, colspan=1, bbox=(123.0, 94.0, 566.0, 124.0),
                text="京都の文化力を活かした事業【事業実施期間】\n（子どもたちの機会の創出）令和5年度～令和7年度")
    own, found = inner_labels(cell, name1 + name2 + label + period, DEFAULT)
    assert own == "京都の文化力を活かした事業\n（子どもたちの機会の創出）"
    assert [(lab, value) for lab, value, _ in found] == [("【事業実施期間】", "令和5年度～令和7年度")]


def test_a_bracketed_heading_in_a_text_box_is_no_corner_label():
    # Inside a text box, 【…】 runs on in its line or has the box's next lines
    # running past it: the box stays one value.
    inline = _glyphs("・指標：導入量【数値目標：8,339kW】", 70, 320, 9)
    heading = _glyphs("【アウトカム】", 70, 332, 9)
    under = _glyphs("・指標：温室効果ガス排出量の削減", 70, 344, 9)
    cell = Cell(page=1, row=3, col=0, rowspan=1, colspan=4, bbox=(66.0, 312.0, 566.0, 415.0),
                text="・指標：導入量【数値目標：8,339kW】\n【アウトカム】\n・指標：温室効果ガス排出量の削減")
    assert inner_labels(cell, inline + heading + under, DEFAULT) is None
