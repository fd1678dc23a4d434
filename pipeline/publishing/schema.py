"""The output tables, defined once.

These definitions feed the Parquet schema and its metadata, the CSV
headers (English or Japanese), the Frictionless data package and the
data dictionary, so the four can never drift apart.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "string" | "integer" | "number" | "boolean"
    title_ja: str
    description: str  # English
    description_ja: str
    required: bool = False
    # A coded text field's values with their Japanese labels, in order;
    # the data package's enum, the dictionary's code list.
    codes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TableSchema:
    name: str
    title_ja: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def _f(name: str, type_: str, title_ja: str, description: str, description_ja: str, required: bool = False) -> Field:
    return Field(name, type_, title_ja, description, description_ja, required)


DOC_ID = _f("doc_id", "string", "文書ID", "Source PDF file stem", "元PDFのファイル名(拡張子なし)", True)
PAGE = _f("page", "integer", "ページ", "1-based page where the text is printed", "記載ページ(1始まり)", True)
# Next to every page: whether that page's text was recognised from its image
# (sesaku's OCR, or the PDF's own OCR layer over a scan) rather than typeset.
OCR = _f("ocr", "boolean", "OCR", "True where the page's text was recognised from its image (OCR) rather than typeset: check the value against the page",
         "OCRで読み取ったページの値(原本と照合してください)", True)
PROGRAM_NO = _f("program_no", "integer", "プログラム番号", "1-based action program number within the document", "アクションプログラムの通し番号", True)
MEASURE_NO = _f("measure_no", "integer", "施策番号", "1-based measure number within the document", "施策の通し番号", True)
ITEM_NO = _f("item_no", "integer", "項目番号", "1-based item number within its cell or block", "セル・ブロック内の項目番号", True)
TEXT = _f("text", "string", "本文", "Item text as printed, without bullet glyphs", "項目の本文(行頭記号なし)", True)
ROW_NO = _f("row_no", "integer", "行番号", "1-based sub-row of the measure; 0 for a target cell merged over all sub-rows", "施策内の行番号(全行結合セルは0)", True)
ROW_LABEL = _f("row_label", "string", "行ラベル", "Sub-row label printed as (LABEL) at the top of 現状; null if none", "サブ行のラベル((…)で記載)")

BOX = (
    _f("x0", "number", "左", "Left edge (pt) of the cell or paragraph the text was read from, on its page", "読み取り元セル・段落の左端(pt)"),
    _f("top", "number", "上", "Top edge (pt, from the page top)", "上端(pt、ページ上端から)"),
    _f("x1", "number", "右", "Right edge (pt)", "右端(pt)"),
    _f("bottom", "number", "下", "Bottom edge (pt)", "下端(pt)"),
)

TABLES: dict[str, TableSchema] = {}


def _table(schema: TableSchema) -> None:
    TABLES[schema.name] = schema


_table(TableSchema(
    "measure_years", "施策×年度", "One row per measure and fiscal year of the plan: the targets as printed and after the revisions of 【変更後の目標】, with the measure's rating",
    (
        DOC_ID,
        _f("plan_no", "integer", "プラン番号", "Plan number from the prose title (プラン N)", "プラン番号"),
        PROGRAM_NO,
        _f("program", "string", "アクションプログラム名", "Program name", "アクションプログラム名", True),
        MEASURE_NO,
        _f("measure", "string", "施策名", "Measure name", "施策名", True),
        _f("fiscal_year", "integer", "年度", "Fiscal year (西暦) of the plan's 目標 columns", "対象年度(西暦)", True),
        _f("fiscal_year_label", "string", "年度(表記)", "Year column header as printed", "年度列の見出し", True),
        _f("and_after", "boolean", "以降", "The year column is open-ended (…年度以降)", "「以降」の年度列", True),
        _f("targets", "string", "目標", "The printed targets of the year, sub-row by sub-row, one per line; null if none", "その年度の目標(1行に1項目)"),
        _f("target_count", "integer", "目標数", "Number of printed targets of the year", "目標の数", True),
        _f("targets_revised", "string", "変更後の目標", "The targets after applying target_changes, one per line; null if none", "変更後の目標(1行に1項目)"),
        _f("target_count_revised", "integer", "変更後の目標数", "Number of targets after the revisions", "変更後の目標の数", True),
        _f("revised", "boolean", "変更あり", "The revisions changed this year's targets", "この年度の目標に変更がある", True),
        _f("rating", "integer", "達成状況区分", "The measure's rating in its result row", "実施結果の達成状況区分"),
        _f("rating_revised", "boolean", "目標変更", "True when the rating carries * (targets were revised)", "達成状況区分に*がある"),
        _f("reference_rating", "integer", "当初目標に対する達成状況区分", "(参考)当初の目標に対する達成状況 rating", "(参考)当初の目標に対する達成状況区分"),
        _f("rating_label", "string", "達成状況", "What the rating means, from the legend named in rating_label_source", "達成状況区分の意味"),
        _f("rating_label_source", "string", "凡例の出典", "document (the legend printed in the PDF) | configured (--rating-legend) | default (sesaku's assumed legend, see the data dictionary)", "凡例の出典(文書・指定・既定値)"),
    ),
    ("doc_id", "measure_no", "fiscal_year"),
    ((("doc_id", "measure_no"), "measures", ("doc_id", "measure_no")),),
))

_table(TableSchema(
    "documents", "文書", "One row per extracted PDF: which plan and period it is, where it came from",
    (
        DOC_ID,
        _f("file_name", "string", "ファイル名", "PDF file name", "PDFのファイル名", True),
        _f("sha256", "string", "SHA-256", "SHA-256 of the PDF's bytes", "PDFのSHA-256", True),
        _f("pages", "integer", "ページ数", "Pages in the PDF", "ページ数", True),
        _f("title", "string", "表題", "Title in the PDF's document information", "PDFの文書情報の表題"),
        _f("plan_no", "integer", "プラン番号", "Plan number of the first plan section", "最初のプラン番号"),
        _f("plan_name", "string", "プラン名", "Plan name of the first plan section", "最初のプラン名"),
        _f("period", "string", "計画期間", "Period named in the result rows (第2期実行計画)", "計画期間"),
        _f("first_year", "integer", "開始年度", "First fiscal year of the 目標 columns", "目標の最初の年度"),
        _f("last_year", "integer", "終了年度", "Last fiscal year of the 目標 columns", "目標の最後の年度"),
        _f("open_ended", "boolean", "以降", "The last year column is open-ended (…年度以降)", "最後の年度列が「以降」", True),
        _f("author", "string", "作成者", "Author in the PDF's document information", "PDFの作成者"),
        _f("creator", "string", "作成アプリケーション", "Creator (the application the document was written in)", "作成アプリケーション"),
        _f("producer", "string", "PDF変換", "Producer (the PDF writer)", "PDF変換ソフト"),
        _f("created", "string", "作成日時", "Creation date, ISO 8601", "作成日時(ISO 8601)"),
        _f("modified", "string", "更新日時", "Modification date, ISO 8601", "更新日時(ISO 8601)"),
        _f("rating_legend_source", "string", "凡例の出典", "document | configured | default: where rating labels come from", "達成状況区分の凡例の出典", True),
        _f("source_url", "string", "出典URL", "Where the PDF was published, from the folder's MANIFEST", "公開元URL(MANIFESTより)"),
        _f("source_note", "string", "出典", "The MANIFEST's note on the PDF", "MANIFESTの記載"),
        _f("ocr_pages", "string", "OCRページ", "Pages whose text is the OCR layer of a scan (e.g. 1-3,7): recognised, not typeset, text; null if none", "スキャン画像のOCRテキストを読んだページ"),
    ),
    ("doc_id",),
))

_table(TableSchema(
    "programs", "アクションプログラム", "One row per action program (アクションプログラム) of the 施策計画 table",
    (
        DOC_ID,
        _f("plan_no", "integer", "プラン番号", "Plan number from the prose title (プラン N)", "プラン番号"),
        _f("plan_name", "string", "プラン名", "Plan name from the prose title", "プラン名"),
        PROGRAM_NO,
        _f("program", "string", "アクションプログラム名", "Program name", "アクションプログラム名", True),
        _f("rating", "integer", "達成状況区分", "Achievement rating in the table's program row", "施策計画表の達成状況区分"),
        _f("rating_revised", "boolean", "目標変更", "True when the rating carries * (targets were revised)", "達成状況区分に*(目標変更)がある"),
        _f("rating_raw", "string", "達成状況区分(表記)", "Rating as printed", "達成状況区分の表記"),
        _f("narrative_rating", "integer", "達成状況区分(本文)", "Rating in the prose heading of the same program", "本文見出しの達成状況区分"),
        _f("narrative_rating_revised", "boolean", "目標変更(本文)", "True when the prose rating carries *", "本文の達成状況区分に*がある"),
        PAGE, OCR,
    ),
    ("doc_id", "program_no"),
))

_table(TableSchema(
    "measures", "施策", "One row per measure (施策) with its result ratings",
    (
        DOC_ID, PROGRAM_NO,
        _f("program", "string", "アクションプログラム名", "Program name (repeated from programs, for spreadsheet users)", "アクションプログラム名", True),
        MEASURE_NO,
        _f("measure", "string", "施策名", "Measure name (after ○)", "施策名(○の後)", True),
        _f("description", "string", "施策の説明", "Description under the measure name", "施策名の下の説明文"),
        _f("period", "string", "計画期間", "Period named in the result row (<period> 実施結果)", "実施結果行の計画期間"),
        _f("rating", "integer", "達成状況区分", "Rating in the result row", "実施結果の達成状況区分"),
        _f("rating_revised", "boolean", "目標変更", "True when the result rating carries *", "達成状況区分に*がある"),
        _f("rating_raw", "string", "達成状況区分(表記)", "Result rating as printed", "達成状況区分の表記"),
        _f("reference_rating", "integer", "当初目標に対する達成状況区分", "(参考)当初の目標に対する達成状況 rating; null if absent", "(参考)当初の目標に対する達成状況区分"),
        _f("rows", "integer", "行数", "Number of sub-rows", "サブ行の数", True),
        _f("page_start", "integer", "開始ページ", "First page the measure is printed on", "記載開始ページ", True),
        _f("page_end", "integer", "終了ページ", "Last page the measure (with its result) is printed on", "記載終了ページ", True),
    ),
    ("doc_id", "measure_no"),
    ((("doc_id", "program_no"), "programs", ("doc_id", "program_no")),),
))

_table(TableSchema(
    "current_items", "現状", "One row per 現状 (current state) item",
    (DOC_ID, MEASURE_NO, ROW_NO, ROW_LABEL, ITEM_NO, TEXT, PAGE, OCR, *BOX),
    ("doc_id", "measure_no", "row_no", "item_no"),
    ((("doc_id", "measure_no"), "measures", ("doc_id", "measure_no")),),
))

_table(TableSchema(
    "targets", "目標", "One row per target item and per fiscal year its cell covers",
    (
        DOC_ID, MEASURE_NO, ROW_NO, ROW_LABEL,
        _f("all_rows", "boolean", "全行共通", "The cell is merged down over every sub-row of the measure", "施策の全行に共通の目標", True),
        _f("fiscal_year", "integer", "年度", "Fiscal year (西暦) this row applies to", "対象年度(西暦)", True),
        _f("fiscal_year_label", "string", "年度(表記)", "Year column header as printed", "年度列の見出し", True),
        _f("and_after", "boolean", "以降", "The year column is open-ended (…年度以降)", "「以降」の年度列", True),
        _f("first_year", "integer", "開始年度", "First fiscal year the target cell covers", "目標セルの最初の年度", True),
        _f("last_year", "integer", "終了年度", "Last fiscal year the target cell covers", "目標セルの最後の年度", True),
        ITEM_NO, TEXT, PAGE, OCR, *BOX,
    ),
    ("doc_id", "measure_no", "row_no", "first_year", "fiscal_year", "item_no"),
    ((("doc_id", "measure_no"), "measures", ("doc_id", "measure_no")),),
))

_table(TableSchema(
    "results", "実施結果", "One row per item of a measure's result: outcomes, changes, revised targets",
    (
        DOC_ID, MEASURE_NO,
        _f("block", "string", "区分", "outcomes | changes (【環境等の変化・課題等】) | revised_targets (【変更後の目標】)", "実施結果 / 環境等の変化・課題等 / 変更後の目標", True),
        ITEM_NO, TEXT, PAGE, OCR, *BOX,
    ),
    ("doc_id", "measure_no", "block", "item_no"),
    ((("doc_id", "measure_no"), "measures", ("doc_id", "measure_no")),),
))

_table(TableSchema(
    "target_changes", "目標の変更", "One row per item and affected fiscal year of each revision in 【変更後の目標】",
    (
        DOC_ID, MEASURE_NO,
        _f("change_no", "integer", "変更番号", "1-based revision line (or note) within the measure's 【変更後の目標】", "変更後の目標内の変更の番号", True),
        _f("action", "string", "変更内容", "add | remove | move | replace | note (policy text, no year)", "追加 / 削除 / 移動 / 置換 / 記述(年度なし)", True),
        _f("from_year", "integer", "変更前の年度", "Fiscal year the target is removed or moved from (replace: the year replaced); null for add and note", "削除・移動元の年度(置換はその年度)"),
        _f("to_year", "integer", "変更後の年度", "Fiscal year the target is added or moved to (replace: the year replaced); null for remove and note", "追加・移動先の年度(置換はその年度)"),
        ITEM_NO,
        _f("year_no", "integer", "年度番号", "1-based affected year within the change (平成21、22年度 gives 1 and 2 for each item)", "変更内の対象年度の番号", True),
        _f("text", "string", "本文", "The item as printed, without bullet glyphs; null when the revision names no item (all of the year's targets)", "項目の本文(項目名がない場合は空:その年度の目標全体)"),
        _f("phrase", "string", "変更の記述", "The revision line as printed; null for a note", "変更を述べた行"),
        PAGE, OCR,
        _f("target_row_no", "integer", "対象の行番号", "row_no of the printed target a removed, moved or replaced item was matched to (0: a cell merged over all sub-rows); null if none matched", "削除・移動・置換した目標の行番号(全行共通は0)"),
        _f("target_first_year", "integer", "対象の開始年度", "first_year of that printed target", "削除・移動した目標の開始年度"),
        _f("target_item_no", "integer", "対象の項目番号", "item_no of that printed target", "削除・移動した目標の項目番号"),
    ),
    ("doc_id", "measure_no", "change_no", "item_no", "year_no"),
    ((("doc_id", "measure_no"), "measures", ("doc_id", "measure_no")),),
))

_table(TableSchema(
    "narrative", "主な実施結果・課題", "One row per bullet of the prose pages before the tables",
    (
        DOC_ID, PROGRAM_NO,
        _f("program", "string", "アクションプログラム名", "Program name as in the prose heading", "本文のアクションプログラム名", True),
        _f("section", "string", "区分", "results (【主な実施結果】) | next_steps (【課題と…取組】)", "主な実施結果 / 課題と取組", True),
        _f("heading_no", "integer", "小見出し番号", "1-based sub-heading within the program's section; 0 for bullets under none (next_steps)", "小見出しの番号(小見出しなしは0)", True),
        _f("heading", "string", "小見出し", "Sub-heading of the results; null for next_steps", "主な実施結果の小見出し"),
        ITEM_NO, TEXT, PAGE, OCR, *BOX,
        _f("heading_x0", "number", "小見出し左", "Left edge (pt) of the sub-heading when it is printed on this row's page", "小見出しの左端(同じページのときのみ)"),
        _f("heading_top", "number", "小見出し上", "Top edge (pt) of the sub-heading on this row's page", "小見出しの上端(pt)"),
        _f("heading_x1", "number", "小見出し右", "Right edge (pt) of the sub-heading on this row's page", "小見出しの右端(pt)"),
        _f("heading_bottom", "number", "小見出し下", "Bottom edge (pt) of the sub-heading on this row's page", "小見出しの下端(pt)"),
    ),
    ("doc_id", "program_no", "section", "heading_no", "item_no"),
    ((("doc_id", "program_no"), "programs", ("doc_id", "program_no")),),
))

_table(TableSchema(
    "quantities", "数量", "One row per counted quantity (number + counter/unit) found in any text field",
    (
        DOC_ID,
        _f("quantity_no", "integer", "数量番号", "1-based number of the quantity within the document, in document order", "文書内の数量の通し番号", True),
        _f("source", "string", "出典表", "Table the text came from: measures | current_items | targets | results | narrative", "数量を含む表(施策・現状・目標・実施結果・本文)", True),
        _f("part", "string", "区分", "Which text of that table: description | current | target | outcomes | changes | revised_targets | results | next_steps", "本文の区分(説明・現状・目標・実施結果・環境等の変化・変更後の目標・主な実施結果・課題と取組)", True),
        _f("program_no", "integer", "プログラム番号", "Program of the text", "アクションプログラム番号"),
        _f("measure_no", "integer", "施策番号", "Measure of the text (table sources)", "施策番号"),
        _f("row_no", "integer", "行番号", "Sub-row of a current or target text (0: a target merged over all sub-rows)", "現状・目標の行番号(全行共通は0)"),
        _f("first_year", "integer", "開始年度", "first_year of a target text's cell", "目標セルの最初の年度"),
        _f("heading_no", "integer", "小見出し番号", "heading_no of a narrative text", "本文の小見出し番号"),
        ITEM_NO,
        _f("position", "integer", "位置", "0-based character offset of the quantity in the item text", "本文中の文字位置", True),
        _f("text", "string", "表記", "The quantity as printed (e.g. △10.7%)", "数量の表記", True),
        _f("value", "number", "値", "Numeric value (negative for △/▲)", "数値", True),
        _f("unit", "string", "単位", "Counter or unit (社, 機関, %, ㎡ …)", "助数詞・単位", True),
        _f("approx", "boolean", "概数", "Approximate (約, 程度 …)", "概数(約・程度)", True),
        _f("qualifier", "string", "限定", "超 / 以上 / 以下 / 未満 / 余; null if none", "超・以上・以下・未満"),
        PAGE, OCR,
    ),
    ("doc_id", "quantity_no"),
))

_table(TableSchema(
    "cells", "セル", "The grid as read: one row per ruled cell per page, for audit",
    (
        DOC_ID, PAGE, OCR,
        _f("table_no", "integer", "表番号", "1-based table on the page", "ページ内の表番号", True),
        _f("row", "integer", "行", "0-based row band on the page", "行位置(0始まり)", True),
        _f("col", "integer", "列", "0-based column band on the page", "列位置(0始まり)", True),
        _f("rowspan", "integer", "行結合", "Row bands covered", "結合行数", True),
        _f("colspan", "integer", "列結合", "Column bands covered", "結合列数", True),
        _f("text", "string", "本文", "Cell text; \\n keeps item breaks", "セルの文字列", True),
        _f("x0", "number", "左", "Left edge (pt)", "左端(pt)", True),
        _f("top", "number", "上", "Top edge from the page top (pt)", "上端(pt)", True),
        _f("x1", "number", "右", "Right edge (pt)", "右端(pt)", True),
        _f("bottom", "number", "下", "Bottom edge (pt)", "下端(pt)", True),
        _f("ocr_confidence", "number", "OCR確信度", "OCR cells: the recognition model's mean confidence (0-1) for the lines of the cell; null for typeset text",
           "OCRのセル: 認識モデルの確信度(0〜1、セル内の行の平均)。活字は空"),
        _f("agreement", "string", "エンジン一致", "With --engine both: both | pdfplumber_only | camelot_only | differ; null with one engine", "2エンジンの一致状況"),
        _f("role", "string", "役割", "What the cell is in the plan: header | program | measure | current | target | period | rating | result | empty | other", "表内の役割(見出し・プログラム・施策名・現状・目標・期間・達成状況区分・実施結果・空欄・その他)", True),
        _f("program_no", "integer", "プログラム番号", "Program the cell belongs to", "アクションプログラム番号"),
        _f("measure_no", "integer", "施策番号", "Measure the cell belongs to", "施策番号"),
        _f("row_no", "integer", "行番号", "Sub-row of the measure (現状 and 目標 cells); null for a cell merged over all sub-rows", "施策内の行番号"),
        _f("first_year", "integer", "開始年度", "First fiscal year of a target cell or a year header", "目標セル・年度見出しの最初の年度"),
        _f("last_year", "integer", "終了年度", "Last fiscal year of a target cell or a year header", "目標セル・年度見出しの最後の年度"),
    ),
    ("doc_id", "page", "table_no", "row", "col"),
))

_table(TableSchema(
    "leftovers", "取り残し", "Text inside a table region or on a prose page that no output field took",
    (
        DOC_ID, PAGE, OCR,
        _f("text", "string", "本文", "The text", "文字列", True),
        _f("reason", "string", "理由", "Why it went nowhere", "理由", True),
        _f("x0", "number", "左", "Left edge (pt)", "左端(pt)", True),
        _f("top", "number", "上", "Top edge (pt)", "上端(pt)", True),
        _f("x1", "number", "右", "Right edge (pt)", "右端(pt)", True),
        _f("bottom", "number", "下", "Bottom edge (pt)", "下端(pt)", True),
    ),
    ("doc_id", "page", "x0", "top"),
))

# ---------------------------------------------------------------- evaluation sheets
# (``understanding.sheets``): one table per kind of fact a sheet prints, each
# row with its sheet, its page and the box it was read from.

SHEET_NO = _f("sheet_no", "integer", "シート番号", "1-based evaluation sheet (one 事業 or 施策) within the document", "文書内の評価シートの通し番号", True)
_SHEET_FK = ((("doc_id", "sheet_no"), "sheets", ("doc_id", "sheet_no")),)
LABEL_BOX = (
    _f("label_x0", "number", "ラベル左", "Left edge (pt) of the label's cell", "ラベルのセルの左端(pt)"),
    _f("label_top", "number", "ラベル上", "Top edge (pt) of the label's cell", "ラベルのセルの上端(pt)"),
    _f("label_x1", "number", "ラベル右", "Right edge (pt) of the label's cell", "ラベルのセルの右端(pt)"),
    _f("label_bottom", "number", "ラベル下", "Bottom edge (pt) of the label's cell", "ラベルのセルの下端(pt)"),
)

_table(TableSchema(
    "sheets", "評価シート", "One row per evaluation sheet (事務事業評価シート, 施策評価シート, 事業評価書 …): a 事業 or 施策 and the pages it is printed on",
    (
        DOC_ID, SHEET_NO,
        _f("title", "string", "事業名", "The sheet's title: the value of its 事業名 / 施策名 label", "シートの名称(事業名・施策名の値)", True),
        _f("number", "string", "番号", "The sheet's own number where printed (No. / 番号 / 事業番号)", "シートの番号(記載がある場合)"),
        _f("department", "string", "所管", "The department where printed (所管 / 担当 / 主管)", "所管・担当(記載がある場合)"),
        _f("page_start", "integer", "開始ページ", "First page of the sheet", "シートの最初のページ", True),
        _f("page_end", "integer", "終了ページ", "Last page of the sheet (a sheet runs until the next sheet's title block)", "シートの最後のページ", True),
        _f("fields", "integer", "項目数", "Rows of sheet_fields for this sheet", "sheet_fieldsの行数", True),
        _f("values", "integer", "数値数", "Rows of sheet_values for this sheet", "sheet_valuesの行数", True),
        _f("choices", "integer", "選択肢の設問数", "Questions answered by marking (sheet_choices' question_no)", "選択式の設問の数", True),
        _f("unplaced", "integer", "未配置数", "Rows of sheet_unplaced for this sheet: text the model could not place", "sheet_unplacedの行数(読み取れなかった文字列)", True),
    ),
    ("doc_id", "sheet_no"),
))

_table(TableSchema(
    "sheet_fields", "評価シートの項目", "One row per label printed beside or above its value on a sheet (事業名 → …, 所管 → …, a text box's title → its text)",
    (
        DOC_ID, SHEET_NO,
        _f("field_no", "integer", "項目番号", "1-based field within the sheet, in reading order", "シート内の項目の番号", True),
        _f("label", "string", "ラベル", "The label as printed, lines joined; a group label over it comes first (政策・施策 政策番号)", "ラベル(上位の見出しを前に付けたもの)", True),
        _f("value", "string", "値", "The value as printed (line breaks kept)", "値(記載のとおり、改行を保持)", True),
        PAGE, OCR, *BOX, *LABEL_BOX,
    ),
    ("doc_id", "sheet_no", "field_no"),
    _SHEET_FK,
))

_table(TableSchema(
    "sheet_values", "評価シートの数値", "One row per figure of a sheet that a fiscal year and a kind describe: indicators' targets and actuals, money by year",
    (
        DOC_ID, SHEET_NO,
        _f("value_no", "integer", "数値番号", "1-based value within the sheet, in reading order", "シート内の数値の番号", True),
        _f("item", "string", "項目", "The row's name: the indicator, or the money line (事業費, 一般財源 …); null when none is printed", "指標名・費目(行の名称)"),
        _f("unit", "string", "単位", "Unit from a 単位 cell, the item's （千円）, a header or the caption over the table; null when none is printed", "単位"),
        _f("fiscal_year", "integer", "年度", "Fiscal year (西暦) the figure is for; an era-less 5年度 takes the era the document dates itself in", "対象年度(西暦)", True),
        _f("kind", "string", "種別", "target | actual | forecast | budget | settlement | other (差引・増減・達成率 …), from the labels the figure was read by", "目標・実績・見込・予算・決算・その他", True),
        _f("label", "string", "見出し", "The year and kind labels the figure was read by, as printed (Ｒ４年度 決算)", "年度・種別の見出し(記載のとおり)", True),
        _f("text", "string", "表記", "The cell as printed", "セルの記載", True),
        _f("value", "number", "値", "The number (△/▲ as minus); null for words and fractions such as 43/100", "数値(△・▲は負数、文字・分数は空)"),
        PAGE, OCR, *BOX,
    ),
    ("doc_id", "sheet_no", "value_no"),
    _SHEET_FK,
))

_table(TableSchema(
    "sheet_choices", "評価シートの選択", "One row per printed option of a question answered by marking (●/○, ■/□, ☑/☐, a ring, a mark in its own cell, a letter answer, a direction)",
    (
        DOC_ID, SHEET_NO,
        _f("question_no", "integer", "設問番号", "1-based question within the sheet", "シート内の設問の番号", True),
        _f("question", "string", "設問", "The question (its label as printed; a group label first)", "設問(ラベル)", True),
        _f("option_no", "integer", "選択肢番号", "1-based option within the question, as printed", "設問内の選択肢の番号", True),
        _f("option", "string", "選択肢", "The option as printed, without its mark", "選択肢(記号なし)", True),
        _f("selected", "boolean", "選択", "The option is marked (for a letter answer, an answer row or a direction: the one option printed)", "選択されている", True),
        _f("form", "string", "形式", "How the answer is printed", "回答の形式", True),
        PAGE, OCR, *BOX,
    ),
    ("doc_id", "sheet_no", "question_no", "option_no"),
    _SHEET_FK,
))

_table(TableSchema(
    "sheet_unplaced", "評価シートの未配置", "What the sheet model could not place, with why: a figure with a year but no kind, a value without a label, a label without a value … Nothing here was guessed",
    (
        DOC_ID, SHEET_NO,
        _f("unplaced_no", "integer", "未配置番号", "1-based within the sheet", "シート内の番号", True),
        _f("text", "string", "本文", "The text as printed", "文字列", True),
        _f("reason", "string", "理由", "Why it could not be placed", "配置できなかった理由", True),
        PAGE, OCR, *BOX,
    ),
    ("doc_id", "sheet_no", "unplaced_no"),
    _SHEET_FK,
))

# Every table's doc_id points at the catalogue of documents.
for _name, _schema in list(TABLES.items()):
    if _name != "documents":
        TABLES[_name] = dataclasses.replace(
            _schema, foreign_keys=((("doc_id",), "documents", ("doc_id",)),) + _schema.foreign_keys
        )

# Coded values stay short English identifiers in every output (stable for
# code that filters on them); their Japanese labels are published here,
# in the data dictionary and the data package, for --csv-headers ja users.
_LEGEND_SOURCES = (("document", "文書に記載の凡例"), ("configured", "指定の凡例(--rating-legend)"),
                   ("default", "sesakuの既定の凡例(仮定)"))
CODES: dict[str, tuple[tuple[str, str], ...]] = {
    "rating_label_source": _LEGEND_SOURCES,
    "rating_legend_source": _LEGEND_SOURCES,
    "block": (("outcomes", "実施結果"), ("changes", "環境等の変化・課題等"), ("revised_targets", "変更後の目標")),
    "action": (("add", "追加"), ("remove", "削除"), ("move", "移動(年度変更)"), ("replace", "置換"),
               ("note", "記述(年度なし)")),
    "section": (("results", "主な実施結果"), ("next_steps", "課題と取組")),
    "source": (("measures", "施策"), ("current_items", "現状"), ("targets", "目標"), ("results", "実施結果"),
               ("narrative", "本文")),
    "part": (("description", "施策の説明"), ("current", "現状"), ("target", "目標"), ("outcomes", "実施結果"),
             ("changes", "環境等の変化・課題等"), ("revised_targets", "変更後の目標"), ("results", "主な実施結果"),
             ("next_steps", "課題と取組")),
    "agreement": (("both", "両エンジン一致"), ("pdfplumber_only", "pdfplumberのみ"), ("camelot_only", "camelotのみ"),
                  ("differ", "不一致")),
    "kind": (("target", "目標"), ("actual", "実績"), ("forecast", "見込"), ("budget", "予算"), ("settlement", "決算"),
             ("other", "その他(差引・増減・達成率など)")),
    "form": (("radio", "●/○"), ("checkbox", "■/□・☑/☐"), ("grid", "記号欄(○を付ける)"), ("circled", "○で囲む"),
             ("letter", "記号で回答(A.…)"), ("answer", "回答を記載(・…)"), ("direction", "方向性")),
    "role": (("header", "見出し"), ("program", "プログラム"), ("measure", "施策名"), ("current", "現状"),
             ("target", "目標"), ("period", "期間"), ("rating", "達成状況区分"), ("result", "実施結果"),
             ("empty", "空欄"), ("other", "その他")),
}
for _name, _schema in list(TABLES.items()):
    TABLES[_name] = dataclasses.replace(_schema, fields=tuple(
        dataclasses.replace(f, codes=CODES[f.name]) if f.name in CODES and f.type == "string" else f
        for f in _schema.fields
    ))

# The ``tables`` command's output (any ruled table, ``understanding.table.ruled``):
# written into its own folder, never mixed into extract's dataset, so it is
# kept apart from TABLES (which every extract output, the data package and
# the workbook are built from) but defined with the same fields here.
RULED_TABLES: dict[str, TableSchema] = {
    "tables": TableSchema(
        "tables", "罫線表", "One row per cell of every ruled table (the tables command); a table running over pages is one table_no",
        (
            DOC_ID,
            _f("page", "integer", "ページ", "1-based page where the cell is printed (a cell cut by a page break: its first part)", "セルの記載ページ(ページをまたぐセルは最初の部分)", True),
            _f("table_no", "integer", "表番号", "1-based logical table within the document; a table continued over pages keeps its number", "文書内の表番号(ページをまたぐ表は1つ)", True),
            _f("row", "integer", "行", "0-based row in the logical table, counted over all its pages (a repeated header counted once)", "表内の行位置(0始まり、ページをまたいで通し)", True),
            _f("col", "integer", "列", "0-based column band", "列位置(0始まり)", True),
            _f("rowspan", "integer", "行結合", "Rows covered (over a page break too)", "結合行数", True),
            _f("colspan", "integer", "列結合", "Column bands covered", "結合列数", True),
            _f("text", "string", "本文", "Cell text; \\n keeps item breaks; a cell cut by a page break holds both parts", "セルの文字列", True),
            _f("x0", "number", "左", "Left edge (pt) on page", "左端(pt)", True),
            _f("top", "number", "上", "Top edge from the page top (pt)", "上端(pt)", True),
            _f("x1", "number", "右", "Right edge (pt)", "右端(pt)", True),
            _f("bottom", "number", "下", "Bottom edge (pt)", "下端(pt)", True),
            _f("header", "boolean", "見出し", "The cell is in the table's header rows (printed once per logical table)", "見出し行のセル", True),
        ),
        ("doc_id", "table_no", "row", "col"),
    ),
}

_ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
_PANDAS = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


def arrow_schema(table: TableSchema) -> pa.Schema:
    fields = [
        pa.field(
            f.name,
            _ARROW[f.type],
            nullable=not f.required,
            metadata={"title_ja": f.title_ja, "description": f.description, "description_ja": f.description_ja},
        )
        for f in table.fields
    ]
    return pa.schema(
        fields,
        metadata={
            "table": table.name,
            "title_ja": table.title_ja,
            "description": table.description,
            "primary_key": ",".join(table.primary_key),
            "foreign_keys": json.dumps(
                [{"fields": list(f), "reference": {"resource": r, "fields": list(rf)}} for f, r, rf in table.foreign_keys],
                ensure_ascii=False,
            ),
        },
    )


def pandas_dtypes(table: TableSchema) -> dict[str, str]:
    return {f.name: _PANDAS[f.type] for f in table.fields}
