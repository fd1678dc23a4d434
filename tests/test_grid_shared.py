"""The grid on the shared real documents and on camelot's lattice suite (skipped when absent).

Figures are read from the pages, never copied from sesaku's output: the
texts asserted are what the page prints (checked by eye on its rendering).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tools.grid_overlaps import covered_twice, measure
from tools.lattice_peer import FOLDER as PEER
from tools.lattice_peer import FOUND, mean, score_cases

from normalizers.width import squash
from pipeline.options import Options
from pipeline.orchestration.tables import tables_to_records

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FAMILY, REAL = SHARED / "family", SHARED / "real"


def _tables(path: Path, pages: str | None = None):
    if not path.exists():
        pytest.skip(f"{path} is not here")
    report, _, tables = tables_to_records(str(path), Options(pages=pages))
    assert report.status == "ok", report.error
    return tables


def _rows(table) -> dict[int, dict[int, str]]:
    rows: dict[int, dict[int, str]] = {}
    for c in table.cells:
        rows.setdefault(c.row, {})[c.col] = squash(c.text)
    return rows


@pytest.mark.slow
@pytest.mark.parametrize("folder", [FAMILY, REAL], ids=["family", "real"])
def test_no_grid_position_is_covered_twice_in_any_table(folder):
    if not folder.exists():
        pytest.skip(f"{folder} is not here")
    result = measure(folder)
    assert result["tables"] > 0
    assert result["positions_covered_twice"] == 0, {
        name: d for name, d in result["per_document"].items() if d.get("positions_covered_twice")
    }


def test_a_dashed_rule_leaves_both_tables_of_the_kyoto_sheet():
    tables = _tables(FAMILY / "kyoto-r6-001.pdf", "1")
    assert len(tables) == 2
    name, frame = tables
    assert list(_rows(name)[0].values()) == ["事業名（令和６年度）", "【事業実施期間】京都市脱炭素先行地域創出事業令和5年度～9年度"]
    assert _rows(frame)[0] == {0: "１事業概要（令和６年度）"}


def test_the_budget_books_sub_rows_each_have_their_own_cell():
    tables = _tables(REAL / "jp_fuji_city_r6_budget.pdf", "4")
    rows = _rows(tables[0])
    assert covered_twice(tables[0]) == 0
    label = next(r for r, row in rows.items() if row.get(0) == "1市税")
    assert rows[label + 1] == {1: "1市民税", 2: "16,739,000"}
    assert rows[label + 5] == {1: "5都市計画税", 2: "3,707,000"}


def test_nobeokas_group_label_total_and_two_cell_box():
    tables = _tables(FAMILY / "jp_nobeoka_hosei_gaiyo_r8_06.pdf", "1")
    by_text = {squash(c.text): (t.table_no, c.row, c.col) for t in tables for c in t.cells}
    # Every row of the 企業会計 table keeps its label beside its values.
    for label, value in (("水道事業（議案第６号）", "4,168,178"), ("下水道事業（議案第７号）", "7,019,698"),
                         ("合計", "11,187,876")):
        assert by_text[label][:2] == by_text[value][:2]
    assert by_text["企業会計"][2] == 0
    # 補正額合計 beside its value: a table of its own.
    box = [t for t in tables if any(squash(c.text) == "補正額合計" for c in t.cells)]
    assert len(box) == 1 and {squash(c.text) for c in box[0].cells} == {"補正額合計", "604,855"}


@pytest.mark.parametrize("page, nested", [("248", "一般職(人)"), ("319", "297,945"), ("320", "支給対象地域")])
def test_setagaya_frames_hold_their_nested_tables_once(page, nested):
    # Pages framed whole, tables inside the frame: each table once, its text in its own cells only.
    tables = _tables(FAMILY / "jp_setagaya_yosan_r8.pdf", page)
    boxes = [tuple(c.bbox) for t in tables for c in t.cells]
    assert len(boxes) == len(set(boxes)), "a cell emitted twice"
    holding = [(t.table_no, c.row, c.col) for t in tables for c in t.cells if nested in squash(c.text)]
    assert len(holding) == 1 and squash(next(
        c.text for t in tables for c in t.cells if (t.table_no, c.row, c.col) == holding[0])) == nested


def test_setagaya_sheets_are_read_as_two_pages():
    tables = _tables(FAMILY / "jp_setagaya_yosan_r8.pdf", "101")
    # Page 194's 款・項 table on the left half, 195's 節 table on the right: never one table.
    for t in tables:
        xs = {c.bbox[0] < 595 for c in t.cells}
        assert len(xs) == 1


def test_yokohamas_blocks_on_two_pages_are_two_tables():
    tables = _tables(FAMILY / "yokohama-r7-001.pdf")
    assert all(len(t.pages) == 1 for t in tables)


@pytest.mark.slow
def test_lattice_peer_every_table_found_and_at_least_camelots_score():
    if not PEER.exists():
        pytest.skip(f"{PEER} is not here")
    scores = {s.case: s for s in score_cases(PEER)}
    assert [case for case, s in scores.items() if s.sesaku < FOUND] == []
    like = [s for s in scores.values() if s.like_for_like]
    assert mean([s.sesaku for s in like]) >= mean([s.camelot for s in like])
    assert scores["table_regions"].sesaku == 1.0  # the nested table, not the frame around it
    assert scores["two_tables_1"].sesaku == scores["two_tables_2"].sesaku == 1.0
    assert scores["rotated_cw"].sesaku == scores["rotated_acw"].sesaku == 1.0
    # Presentation cases: the same text, laid out as the option asks from sesaku's spans.
    assert scores["copy_text_v"].sesaku_presented >= 0.99
