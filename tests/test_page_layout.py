"""Two pages printed side by side are read as two, and tables go on only where they do.

Drawn here (reportlab, non-embedded CID fonts): A3 landscape sheets each
holding two A4 pages (jp_setagaya_yosan_r8 prints all its 408 pages so),
facing pages whose left pages carry one table and right pages another,
and forms whose blocks follow one another over pages (yokohama-r7-001).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from synth import Sheet, build_sheets

from normalizers.width import squash
from pipeline.options import Options
from pipeline.orchestration.tables import tables_to_records
from pipeline.reading.document import DocumentReader
from pipeline.reading.layout import split_two_up
from pipeline.settings import DEFAULT

A3 = (1190.55, 841.89)
HALF = A3[0] / 2


def _tables(path: Path):
    report, _, tables = tables_to_records(str(path), Options())
    assert report.status == "ok", report.error
    return tables, report


def _texts(table) -> list[list[str]]:
    rows: dict[int, dict[int, str]] = {}
    for c in table.cells:
        rows.setdefault(c.row, {})[c.col] = squash(c.text)
    return [[row[k] for k in sorted(row)] for _, row in sorted(rows.items())]


def _table(sheet: Sheet, x0: float, top: float, widths, rows, row_h=22.0):
    """A plain ruled table at (x0, top), one row per list of texts."""
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [top + i * row_h for i in range(len(rows) + 1)]
    sheet.grid(xs, ys)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            sheet.text(xs[c] + 4, ys[r] + 6, text)
    return ys[-1]


HEADER = ["区分", "本年度", "前年度"]
OTHER = ["節", "金額", "説明"]


def _half(sheet: Sheet, left: bool, header, rows, page_no: int, caption: str | None = None,
          widths=(200, 120, 120)):
    x0 = 40.0 if left else HALF + 40.0
    if caption:
        sheet.text(x0, 50, caption)
    _table(sheet, x0, 80, widths, [header] + rows)
    sheet.text(x0 + (20 if left else 420), 790, str(page_no))


def test_a_two_up_sheet_is_read_as_its_two_halves_left_first(tmp_path):
    sheet = Sheet(*A3)
    _half(sheet, True, HEADER, [["人件費", "1,200", "1,100"], ["委託料", "300", "280"]], 14)
    _half(sheet, False, HEADER, [["補助金", "4,000", "3,900"], ["広報費", "80", "75"]], 15)
    path = build_sheets(tmp_path / "twoup.pdf", [sheet])
    with DocumentReader(path, Options()) as doc:
        view = doc.read_page(1)
    left, right = split_two_up(view, settings=DEFAULT)
    assert "14" in {squash(line.text) for line in left.lines} and "15" in {squash(line.text) for line in right.lines}
    assert all(c["x1"] < HALF for c in left.chars) and all(c["x0"] > HALF for c in right.chars)
    # One table going on from the left page to the right one, its header once.
    tables, report = _tables(path)
    assert len(tables) == 1
    assert _texts(tables[0]) == [HEADER, ["人件費", "1,200", "1,100"], ["委託料", "300", "280"],
                                 ["補助金", "4,000", "3,900"], ["広報費", "80", "75"]]
    assert report.accounting["leftover_chars"] == 0


def test_a_landscape_page_with_a_centred_page_number_is_one_page(tmp_path):
    sheet = Sheet(*A3)
    _table(sheet, 40, 80, [200, 120, 120], [HEADER, ["人件費", "1,200", "1,100"]])
    _table(sheet, HALF + 40, 80, [200, 120, 120], [OTHER, ["委託料", "300", "280"]])
    sheet.text(HALF - 10, 790, "- 3 -")
    path = build_sheets(tmp_path / "wide.pdf", [sheet])
    with DocumentReader(path, Options()) as doc:
        assert len(split_two_up(doc.read_page(1), settings=DEFAULT)) == 1
    tables, _ = _tables(path)
    assert [_texts(t)[0] for t in tables] == [HEADER, OTHER]


def test_facing_pages_continue_left_to_left_and_right_to_right(tmp_path):
    # Budget books' 事項別明細書: the left pages hold 款・項 and their amounts,
    # the right pages the 節 and 説明, each going on over the sheets.
    sheets = []
    for n in range(2):
        sheet = Sheet(*A3)
        _half(sheet, True, HEADER, [[f"項目{n}{i}", f"{n}{i},000", "100"] for i in range(2)], 20 + 2 * n,
              caption="（款）14 都支出金")
        _half(sheet, False, OTHER, [[f"節{n}{i}", f"{n}{i}00", "説明文"] for i in range(2)], 21 + 2 * n,
              widths=(80, 100, 300))
        sheets.append(sheet)
    tables, _ = _tables(build_sheets(tmp_path / "facing.pdf", sheets))
    assert [t.pages for t in tables] == [(1, 2), (1, 2)]
    assert [_texts(t)[0] for t in tables] == [HEADER, OTHER]
    assert [row[0] for row in _texts(tables[0])[1:]] == ["項目00", "項目01", "項目10", "項目11"]
    assert [row[0] for row in _texts(tables[1])[1:]] == ["節00", "節01", "節10", "節11"]


def test_a_new_caption_over_the_left_page_starts_new_tables_on_both_halves(tmp_path):
    sheets = []
    for n, caption in enumerate(("（款）14 都支出金", "（款）15 財産収入")):
        sheet = Sheet(*A3)
        _half(sheet, True, HEADER, [[f"項目{n}", "1,000", "100"]], 20 + 2 * n, caption=caption)
        _half(sheet, False, OTHER, [[f"節{n}", "100", "説明文"]], 21 + 2 * n, widths=(80, 100, 300))
        sheets.append(sheet)
    tables, _ = _tables(build_sheets(tmp_path / "sections.pdf", sheets))
    assert [t.pages for t in tables] == [(1,), (1,), (2,), (2,)]


def _form_block(sheet: Sheet, top: float, no: str, name: str, title: str | None) -> float:
    """A form's block: a number cell down the block's rows beside label/value rows."""
    xs = [60.0, 80.0, 200.0, 520.0]
    y = top
    if title:
        sheet.grid([xs[0], xs[-1]], [y, y + 20])
        sheet.text(250, y + 5, title)
        y += 20
    rows = [("細事業名称", name), ("細事業概要", "運営経費"), ("決算", "7,710")]
    ys = [y + 22 * i for i in range(len(rows) + 1)]
    for x in xs:
        sheet.line(x, ys[0], x, ys[-1])
    sheet.line(xs[0], ys[0], xs[-1], ys[0])
    sheet.line(xs[0], ys[-1], xs[-1], ys[-1])
    for yy in ys[1:-1]:
        sheet.line(xs[1], yy, xs[-1], yy)
    sheet.text(64, ys[0] + 6, no)
    for i, (label, value) in enumerate(rows):
        sheet.text(xs[1] + 4, ys[i] + 6, label).text(xs[2] + 4, ys[i] + 6, value)
    return ys[-1]


def test_a_block_under_its_own_title_does_not_go_on_into_the_next_pages_block(tmp_path):
    # yokohama-r7-001: 細事業の分析 over block 1; block 2 on the next page without the title.
    first, second = Sheet(), Sheet()
    _form_block(first, 100, "1", "人件費", "細事業の分析")
    _form_block(second, 60, "2", "物件費", None)
    tables, _ = _tables(build_sheets(tmp_path / "blocks.pdf", [first, second]))
    assert [t.pages for t in tables] == [(1,), (2,)]


def test_column_titles_printed_on_the_first_page_only_still_go_on(tmp_path):
    # jp_nobeoka_gian_kekka_r6_09: 議案番号等 / 件名 / 審議結果 / 議決日 on page 1 only.
    first, second = Sheet(), Sheet()
    _table(first, 60, 700, [100, 200, 100], [["議案番号等", "件名", "審議結果"], ["議案第28号", "決算の認定", "認定"]])
    _table(second, 60, 60, [100, 200, 100], [["議案第49号", "計画の変更", "原案可決"]])
    tables, _ = _tables(build_sheets(tmp_path / "bills.pdf", [first, second]))
    assert [t.pages for t in tables] == [(1, 2)]
    assert _texts(tables[0])[-1] == ["議案第49号", "計画の変更", "原案可決"]


@pytest.mark.parametrize("with_title", [True, False])
def test_a_header_of_other_column_titles_never_goes_on(tmp_path, with_title):
    first, second = Sheet(), Sheet()
    _table(first, 60, 700, [100, 200, 100], [HEADER, ["人件費", "1,200", "1,100"]])
    _table(second, 60, 60, [100, 200, 100], [OTHER, ["委託料", "300", "説明"]] if with_title else
           [HEADER, ["委託料", "300", "280"]])
    tables, _ = _tables(build_sheets(tmp_path / "other.pdf", [first, second]))
    assert len(tables) == (2 if with_title else 1)
