"""Golden tests: the output tables of all three renderings equal plan6.truth.json."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from conftest import FIXTURES, PDFS, extracted, squash
from helpers import records_to_truth_programs


@pytest.mark.parametrize("pdf", PDFS)
def test_tables_equal_truth_field_by_field(pdf, truth):
    _, records = extracted(pdf)
    got = squash(records_to_truth_programs(records))
    want = squash(truth["programs"])
    assert [p["name"] for p in got] == [p["name"] for p in want]
    for gp, wp in zip(got, want):
        assert gp["rating"] == wp["rating"], gp["name"]
        assert [m["name"] for m in gp["measures"]] == [m["name"] for m in wp["measures"]]
        for gm, wm in zip(gp["measures"], wp["measures"]):
            for key in ("description", "rows", "result"):
                assert gm[key] == wm[key], f"{pdf}: {wm['name']} {key}"


@pytest.mark.parametrize("pdf", PDFS)
def test_counts_match_the_fixture_readme(pdf):
    _, records = extracted(pdf)
    assert len(records["programs"]) == 4
    assert len(records["measures"]) == 18
    assert sum(m["rows"] for m in records["measures"]) == 25
    assert len(records["current_items"]) == 57
    assert len({(t["measure_no"], t["row_no"], t["first_year"], t["item_no"]) for t in records["targets"]}) == 143
    assert len(records["targets"]) == 175
    assert len(records["results"]) == 73


@pytest.mark.parametrize("pdf", PDFS)
def test_every_row_carries_doc_id_and_page(pdf):
    doc, records = extracted(pdf)
    for name, rows in records.items():
        for row in rows:
            assert row["doc_id"] == doc.doc_id, name
            if "page" in row:
                assert 1 <= row["page"] <= doc.page_count, name


def test_items_carry_the_page_they_are_printed_on():
    _, records = extracted("plan6-quirks.pdf")
    # The result row of 起業・創業 is split over pages 10-11 in the quirks
    # rendering: its last outcome starts on page 10, the changes on page 11.
    measure = next(m for m in records["measures"] if m["measure"] == "起業・創業の環境整備")
    pages = {(r["block"], r["item_no"]): r["page"] for r in records["results"] if r["measure_no"] == measure["measure_no"]}
    assert pages[("outcomes", 1)] == 10
    assert pages[("changes", 1)] == 11
    assert (measure["page_start"], measure["page_end"]) == (10, 11)


@pytest.mark.parametrize("pdf,grid", [("plan6.pdf", "plan6.grid.json"), ("plan6-quirks.pdf", "plan6-quirks.grid.json")])
def test_cells_hold_every_nonempty_grid_cell(pdf, grid):
    _, records = extracted(pdf)
    logical = json.loads((FIXTURES / grid).read_text(encoding="utf-8"))
    have = {squash(c["text"]) for c in records["cells"]}
    missing = [
        c["text"] for row in logical for c in row
        if c["text"].strip() and squash(c["text"]) not in have
    ]
    # A result row split over a page break is one logical cell, printed as two.
    by_column = defaultdict(str)
    for c in records["cells"]:
        if c["row"] >= 2:  # below the two header rows of each page
            by_column[(c["col"], c["colspan"])] += squash(c["text"])
    missing = [t for t in missing if not any(squash(t) in joined for joined in by_column.values())]
    assert missing == []


def _truth_target_rows(truth: dict) -> list[tuple]:
    """The targets table the truth implies: one row per target item and per fiscal year its cell covers."""
    columns = {c["fiscal_year"]: c for c in truth["doc"]["year_columns"]}
    rows, measure_no = [], 0
    for program in truth["programs"]:
        for measure in program["measures"]:
            measure_no += 1
            for row_no, row in enumerate(measure["rows"], 1):
                for cell in row["targets"]:
                    all_rows = bool(cell.get("all_rows"))
                    years = cell["years"]
                    for year in years:
                        for item_no, text in enumerate(cell["items"], 1):
                            rows.append((
                                measure_no, 0 if all_rows else row_no, all_rows, year, columns[year]["label"],
                                columns[year]["and_after"] and year == years[-1], years[0], years[-1], item_no,
                                squash(text),
                            ))
    return sorted(rows, key=repr)


@pytest.mark.parametrize("pdf", PDFS)
def test_targets_per_fiscal_year_equal_truth(pdf, truth):
    """Every row of the targets table, derived from the truth, not from an earlier output."""
    _, records = extracted(pdf)
    got = sorted(
        ((r["measure_no"], r["row_no"], r["all_rows"], r["fiscal_year"], r["fiscal_year_label"], r["and_after"],
          r["first_year"], r["last_year"], r["item_no"], squash(r["text"])) for r in records["targets"]),
        key=repr,
    )
    assert got == _truth_target_rows(truth)
    assert len(got) == 175
