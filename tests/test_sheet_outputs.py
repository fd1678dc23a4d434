"""Evaluation sheets to rows and to the character accounting, on generated PDFs.

The sheet model is fed page by page (``SheetUnderstanding``), as ``extract``
feeds it; its sheets become the rows of the five sheet tables
(``records.sheet_records``) and every character of their pages is counted
(``accounting.account_sheets``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sheetsynth import Block, C, Page, Text, build_sheet_pdf

from pipeline.options import Options
from pipeline.publishing.records import SHEET_TABLES, schema_problems, sheet_records
from pipeline.publishing.schema import CODES, TABLES
from pipeline.reading.document import DocumentReader
from pipeline.settings import DEFAULT
from pipeline.understanding.accounting import SHEET_CATEGORIES, account_sheets
from pipeline.understanding.sheets.model import SheetReading, SheetUnderstanding
from pipeline.understanding.table.engines import EngineSource, make_engine

TITLE = Text(40, 30, "令和７年度事務事業評価シート")


def read(path: Path, skip: tuple[int, ...] = ()) -> SheetReading:
    model = SheetUnderstanding(make_engine("pdfplumber", EngineSource(path), settings=DEFAULT), DEFAULT)
    with DocumentReader(path, Options()) as reader:
        for number in range(1, reader.page_count + 1):
            model.add_page(reader.read_page(number))
    return model.finish(skip)


def _head(name: str) -> Block:
    return Block(40, 50, [80, 300], [20, 20], [
        C(0, 0, "事業名"), C(0, 1, name),
        C(1, 0, "所管"), C(1, 1, "市民局地域振興課"),
    ])


def _kinds(top: float = 110) -> Block:
    return Block(40, top, [90, 40, 70, 70], [18, 18, 18], [
        C(0, 0, "指標"), C(0, 1, "単位"), C(0, 2, "R5年度目標"), C(0, 3, "R5年度実績"),
        C(1, 0, "相談件数"), C(1, 1, "件"), C(1, 2, "120"), C(1, 3, "98"),
        C(2, 0, "満足度"), C(2, 1, "％"), C(2, 2, "80"), C(2, 3, "43/100"),
    ])


def _choice(top: float = 190) -> Block:
    return Block(40, top, [90, 260], [22, 22], [
        C(0, 0, "今後の方向性"), C(0, 1, "●拡充 ○現状維持 ○縮小"),
        C(1, 0, "備考"), C(1, 1, "特になし"),
    ])


def test_a_sheet_becomes_rows_of_the_five_tables_with_keys_pages_and_boxes(tmp_path):
    pdf = build_sheet_pdf(tmp_path / "s.pdf", [Page([_head("地域交流推進事業"), _kinds(), _choice()], [TITLE])])
    reading = read(pdf)
    rows = sheet_records("doc", reading.sheets)
    assert set(rows) == set(SHEET_TABLES)
    (sheet,) = rows["sheets"]
    assert (sheet["sheet_no"], sheet["title"], sheet["department"], sheet["page_start"], sheet["page_end"]) == \
        (1, "地域交流推進事業", "市民局地域振興課", 1, 1)
    values = {(v["item"], v["unit"], v["fiscal_year"], v["kind"], v["value"], v["text"]) for v in rows["sheet_values"]}
    assert values == {
        ("相談件数", "件", 2023, "target", 120, "120"), ("相談件数", "件", 2023, "actual", 98, "98"),
        ("満足度", "％", 2023, "target", 80, "80"), ("満足度", "％", 2023, "actual", None, "43/100"),
    }
    assert [v["value_no"] for v in rows["sheet_values"]] == [1, 2, 3, 4]
    options = [(c["question_no"], c["option_no"], c["option"], c["selected"], c["form"]) for c in rows["sheet_choices"]]
    assert options == [(1, 1, "拡充", True, "radio"), (1, 2, "現状維持", False, "radio"), (1, 3, "縮小", False, "radio")]
    fields = {f["label"]: f["value"] for f in rows["sheet_fields"]}
    assert fields == {"事業名": "地域交流推進事業", "所管": "市民局地域振興課", "備考": "特になし"}
    assert sheet["fields"] == 3 and sheet["values"] == 4 and sheet["choices"] == 1 and sheet["unplaced"] == 0
    for name in SHEET_TABLES:
        for row in rows[name]:
            # ``ocr`` is set by document_to_records from the document's OCR'd pages.
            assert set(row) | {"ocr"} == set(TABLES[name].names) | {"ocr"}, name
            if "page" in row:
                assert row["page"] == 1 and row["x0"] < row["x1"] and row["top"] < row["bottom"], name
    # Every kind and form written is one of the coded values the dictionary explains.
    assert {v["kind"] for v in rows["sheet_values"]} <= {code for code, _ in CODES["kind"]}
    assert {c["form"] for c in rows["sheet_choices"]} <= {code for code, _ in CODES["form"]}
    marked = {name: [{**row, "ocr": False} if "ocr" in TABLES[name].names else row for row in table]
              for name, table in rows.items()}
    assert schema_problems(marked) == []


def test_a_table_of_labels_and_values_without_a_title_block_or_figures_is_no_sheet(tmp_path):
    # A council list or a budget's notes: labels beside values on every page, but
    # no 事業名 and nothing by year and kind, so no sheet (and no thousands of fields).
    listing = Block(40, 50, [90, 300], [20] * 4, [
        C(0, 0, "議案番号"), C(0, 1, "第45号"), C(1, 0, "件名"), C(1, 1, "市道の認定について"),
        C(2, 0, "議決日"), C(2, 1, "9月20日"), C(3, 0, "結果"), C(3, 1, "原案可決"),
    ])
    reading = read(build_sheet_pdf(tmp_path / "list.pdf", [Page([listing], [Text(40, 30, "議案審議結果")])] * 2))
    assert reading.sheets == () and reading.pages == ()
    # A title block alone (no value by year and kind, no choice) is no sheet either.
    head_only = read(build_sheet_pdf(tmp_path / "head.pdf", [Page([_head("地域交流推進事業")], [TITLE])]))
    assert head_only.sheets == ()


def test_a_title_block_and_words_under_years_are_no_sheet_without_a_figure_or_a_marked_answer(tmp_path):
    # As a 施策計画 table whose year columns stand under 予算 (tests/test_plan_header_words.py):
    # a 施策名 and its value, words under the years, nothing counted, nothing marked.
    def words(first: str) -> Block:
        return Block(40, 110, [90, 120, 120], [18, 18], [
            C(0, 0, "区分"), C(0, 1, "R5年度予算"), C(0, 2, "R6年度予算"),
            C(1, 0, "主な取組"), C(1, 1, first), C(1, 2, "計画の改定"),
        ])

    reading = read(build_sheet_pdf(tmp_path / "plan.pdf", [Page([_head("地域商業の振興"), words("調査の実施")], [TITLE])]))
    assert reading.sheets == () and reading.pages == ()
    # One figure in a year × kind cell makes it a sheet, its words values too.
    (sheet,) = read(build_sheet_pdf(tmp_path / "sheet.pdf", [Page([_head("地域商業の振興"), words("1,200")], [TITLE])])).sheets
    assert {(v.item, v.fiscal_year, v.kind, v.text, v.value) for v in sheet.values} == {
        ("主な取組", 2023, "budget", "1,200", 1200), ("主な取組", 2024, "budget", "計画の改定", None)}


def test_sheets_are_numbered_after_the_pages_that_are_no_sheets_are_left_out(tmp_path):
    listing = Block(40, 50, [90, 300], [20, 20], [C(0, 0, "件名"), C(0, 1, "概要"), C(1, 0, "担当"), C(1, 1, "総務課")])
    pages = [Page([listing], [Text(40, 30, "目次")]),
             Page([_head("地域交流推進事業"), _kinds()], [TITLE]),
             Page([_head("子育て支援事業"), _kinds()], [TITLE])]
    reading = read(build_sheet_pdf(tmp_path / "many.pdf", pages))
    rows = sheet_records("doc", reading.sheets)
    assert [(s["sheet_no"], s["title"], s["page_start"], s["page_end"]) for s in rows["sheets"]] == \
        [(1, "地域交流推進事業", 2, 2), (2, "子育て支援事業", 3, 3)]
    assert [p.page for p in reading.pages] == [2, 3]
    by_sheet = {no: [(v["page"], v["value_no"]) for v in rows["sheet_values"] if v["sheet_no"] == no] for no in (1, 2)}
    assert by_sheet == {1: [(2, 1), (2, 2), (2, 3), (2, 4)], 2: [(3, 1), (3, 2), (3, 3), (3, 4)]}


def test_pages_another_model_read_are_no_sheets(tmp_path):
    pdf = build_sheet_pdf(tmp_path / "s.pdf", [Page([_head("地域交流推進事業"), _kinds(), _choice()], [TITLE])])
    assert read(pdf, skip=(1,)).sheets == ()


def test_every_character_of_a_sheet_page_is_counted_once(tmp_path):
    pdf = build_sheet_pdf(tmp_path / "s.pdf", [Page([_head("地域交流推進事業"), _kinds(), _choice()], [TITLE])])
    reading = read(pdf)
    counts, rows = account_sheets("doc", reading.sheets, reading.pages)
    assert counts["sheet_chars"] == sum(counts[c] for c in SHEET_CATEGORIES)
    # The header words (指標, 単位, the year and kind labels) and the marks are the form's
    # or the values' labels; the title line outside the tables is a heading.
    assert counts["sheet_leftover"] == 0 and rows == []
    assert counts["sheet_fields"] > counts["sheet_form"] > 0


def test_a_figure_that_could_not_be_placed_is_counted_as_unplaced_not_lost(tmp_path):
    no_kind = Block(40, 110, [90, 70, 70], [18, 18], [
        C(0, 0, "指標"), C(0, 1, "令和5年度"), C(0, 2, "令和6年度"),
        C(1, 0, "相談件数"), C(1, 1, "10"), C(1, 2, "12"),
    ])
    pdf = build_sheet_pdf(tmp_path / "s.pdf", [Page([_head("地域交流推進事業"), no_kind, _choice()], [TITLE])])
    reading = read(pdf)
    rows = sheet_records("doc", reading.sheets)
    assert sorted(u["text"] for u in rows["sheet_unplaced"]) == ["10", "12"]
    assert all("no kind" in u["reason"] for u in rows["sheet_unplaced"])
    counts, _ = account_sheets("doc", reading.sheets, reading.pages)
    assert counts["sheet_unplaced"] == 4  # 1, 0, 1, 2


def test_text_no_output_took_is_a_leftover_row_with_its_page_and_box(tmp_path):
    pdf = build_sheet_pdf(tmp_path / "s.pdf", [Page([_head("地域交流推進事業"), _kinds(), _choice()], [TITLE])])
    reading = read(pdf)
    # Drop the 備考 field from the outputs: its characters are then in no output.
    sheet = reading.sheets[0]
    kept = tuple(f for f in sheet.fields if f.label != "備考")
    counts, rows = account_sheets("doc", (dataclasses.replace(sheet, fields=kept),), reading.pages)
    assert counts["sheet_leftover"] == len("備考特になし")
    assert [r["text"] for r in rows] == ["備考", "特になし"]
    assert all(r["page"] == 1 and "in no sheet field" in r["reason"] for r in rows)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(min_value=-99999, max_value=99999), min_size=4, max_size=4))
def test_any_figures_are_written_as_printed_and_counted(tmp_path_factory, numbers):
    printed = [f"△{-n:,}" if n < 0 else f"{n:,}" for n in numbers]
    block = Block(40, 110, [90, 40, 70, 70], [18, 18, 18], [
        C(0, 0, "区分"), C(0, 1, "単位"), C(0, 2, "R5年度予算"), C(0, 3, "R5年度決算"),
        C(1, 0, "事業費"), C(1, 1, "千円"), C(1, 2, printed[0]), C(1, 3, printed[1]),
        C(2, 0, "一般財源"), C(2, 1, "千円"), C(2, 2, printed[2]), C(2, 3, printed[3]),
    ])
    pdf = build_sheet_pdf(tmp_path_factory.mktemp("h") / "s.pdf", [Page([_head("地域交流推進事業"), block], [TITLE])])
    reading = read(pdf)
    rows = sheet_records("doc", reading.sheets)["sheet_values"]
    assert sorted((r["text"], r["value"]) for r in rows) == sorted(zip(printed, map(float, numbers)))
    counts, leftovers = account_sheets("doc", reading.sheets, reading.pages)
    assert counts["sheet_chars"] == sum(counts[c] for c in SHEET_CATEGORIES)
    assert counts["sheet_leftover"] == 0, leftovers


@pytest.mark.parametrize("name", list(SHEET_TABLES))
def test_the_sheet_tables_are_in_the_schema_with_japanese_titles_and_keys_to_their_sheet(name):
    table = TABLES[name]
    assert table.title_ja and all(f.title_ja and f.description_ja for f in table.fields)
    assert {"doc_id", "sheet_no"} <= set(table.primary_key)
    if name != "sheets":
        assert (("doc_id", "sheet_no"), "sheets", ("doc_id", "sheet_no")) in table.foreign_keys
        assert {"page", "x0", "top", "x1", "bottom"} <= set(table.names)


def test_the_audit_outlines_sheet_values_by_kind_and_links_them_to_their_rows(tmp_path):
    from pipeline.audit.html import HtmlReport
    from pipeline.audit.model import SHEET_ROLES, Model

    pdf = build_sheet_pdf(tmp_path / "s.pdf", [Page([_head("地域交流推進事業"), _kinds(), _choice()], [TITLE])])
    rows = sheet_records("doc", read(pdf).sheets)
    tables = {name: rows.get(name, []) for name in TABLES}
    model = Model("doc", tables)
    regions = {r.id: r for r in model.regions_on(1)}
    by_kind: dict[str, set[str]] = {}
    for row in model.rows_of("sheet_values"):
        (rid,) = row.targets
        assert row.id in regions[rid].rows
        by_kind.setdefault(row.data["kind"], set()).update(regions[rid].roles)
    assert by_kind == {"target": {"kind_target"}, "actual": {"kind_actual"}}
    assert SHEET_ROLES["kind_target"][0] != SHEET_ROLES["kind_actual"][0]
    # The three options of one cell share its box; the selected one gives it its role first.
    (choice_region,) = {rid for row in model.rows_of("sheet_choices") for rid in row.targets}
    assert regions[choice_region].roles == ["sheet_selected", "sheet_option"]
    page = HtmlReport(model, {"rows": {}}, {}, [], []).render()
    assert "評価シートの数値 sheet values" in page and "シート数値: 目標" in page
    for row in model.rows_of("sheet_values"):
        assert f'id="{row.id}"' in page and f'data-target="{row.targets[0]}"' in page


def test_the_model_keeps_the_glyphs_a_ring_or_a_corner_label_needs_and_reads_them(tmp_path):
    # The model lets a page's glyphs go, but those of cells printing a ring or a
    # 【label】: the circled option and the corner field are still read.
    block = Block(40, 50, [80, 360], [30, 22, 18], [
        C(0, 0, "事業名"), C(0, 1, "脱炭素先行地域創出事業", corner=("【事業実施期間】", "令和5年度～9年度")),
        C(1, 0, "今後の方向"), C(1, 1, "拡充・現状維持・縮小・廃止", ring="現状維持"),
        C(2, 0, "所管局"), C(2, 1, "環境政策局"),
    ])
    reading = read(build_sheet_pdf(tmp_path / "s.pdf", [Page([block], [TITLE])]))
    (sheet,) = reading.sheets
    assert {f.label: f.value for f in sheet.fields}["【事業実施期間】"] == "令和5年度～9年度"
    (choice,) = sheet.choices
    assert (choice.form, choice.selected) == ("circled", ("現状維持",))
