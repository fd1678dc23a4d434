"""Nothing lost: every character of a table region is in a field, explained, or listed."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import PDFS, extracted

from pipeline.models import Leftover
from pipeline.understanding.accounting import account

CATEGORIES = ("fields", "continued", "headers", "form", "leftover")


@pytest.mark.parametrize("name", PDFS)
def test_fixtures_lose_nothing(name):
    doc, _ = extracted(name)
    result = account(doc)
    s = result.summary
    assert result.rows == ()
    assert s["leftover"] == 0 and s["leftover_rows"] == 0
    assert sum(s[k] for k in CATEGORIES) == s["table_chars"]  # every character counted once
    # Most of a table is data; the rest is explained: the header rows of
    # every page, bullets and the form's printed labels.
    assert s["fields"] > 0.85 * s["table_chars"]
    assert s["headers"] > 0 and s["form"] > 0


def test_quirks_rows_split_over_pages_count_as_continued():
    doc, _ = extracted("plan6-quirks.pdf")
    assert account(doc).summary["continued"] > 0


def _drop_first_current_item(doc):
    """The document as if interpretation had lost one 現状 item."""
    program = doc.plan.programs[0]
    measure = program.measures[0]
    row = measure.rows[0]
    lost = row.current[0]
    row = dataclasses.replace(row, current=row.current[1:])
    measure = dataclasses.replace(measure, rows=(row,) + measure.rows[1:])
    program = dataclasses.replace(program, measures=(measure,) + program.measures[1:])
    plan = dataclasses.replace(doc.plan, programs=(program,) + doc.plan.programs[1:])
    return dataclasses.replace(doc, plan=plan), lost


def test_a_lost_item_is_listed_where_it_is_printed():
    doc, _ = extracted("plan6.pdf")
    damaged, lost = _drop_first_current_item(doc)
    result = account(damaged)
    (row,) = result.rows
    assert row["text"] == lost.text.replace(" ", "")
    assert row["page"] == lost.page
    assert (row["x0"], row["top"], row["x1"], row["bottom"]) == lost.bbox  # the cell it was read from
    assert row["reason"].endswith(": in no output field") and row["doc_id"] == doc.doc_id
    assert result.summary["leftover"] == len(row["text"])


def test_glyphs_outside_every_cell_are_listed():
    doc, _ = extracted("plan6.pdf")
    stray = Leftover(doc.grids[0].page, "※注", (50.0, 500.0, 62.0, 507.0), "outside every cell")
    grids = (dataclasses.replace(doc.grids[0], leftovers=(stray,)),) + doc.grids[1:]
    result = account(dataclasses.replace(doc, grids=grids))
    assert result.rows == (
        {"doc_id": doc.doc_id, "page": stray.page, "text": "※注", "reason": "outside every cell",
         "x0": 50.0, "top": 500.0, "x1": 62.0, "bottom": 507.0},
    )
    assert result.summary["leftover"] == 2


def test_unknown_words_in_a_label_cell_are_not_explained_away():
    """Only the form's own labels are explained: anything else in a cell shows."""
    doc, _ = extracted("plan6.pdf")
    grid = doc.grids[0]
    cells = list(grid.cells)
    target = next(i for i, c in enumerate(cells) if "実施結果" in c.text)
    cells[target] = dataclasses.replace(cells[target], text=cells[target].text + "\n余白の書き込み")
    doc = dataclasses.replace(doc, grids=(dataclasses.replace(grid, cells=tuple(cells)),) + doc.grids[1:])
    (row,) = account(doc).rows
    assert row["text"] == "余白の書き込み" and row["page"] == grid.page
    assert row["top"] == cells[target].bbox[1]
