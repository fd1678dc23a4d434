"""The 施策計画 header is found by what its columns hold, not by one city's words.

The plan6 grid drawn with its header words changed (施策名 / 現況 / 計画, 取組 /
現状と課題 / 目標値) extracts exactly as the same grid with 施策計画名 / 現状 / 目標;
a group over the years that names no target (目的, 予算) is still no table.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES
from synth import build_table_pdf

from pipeline.errors import NoPlanTable
from pipeline.orchestration.extract import extract_document
from pipeline.publishing.records import document_to_records

ORIGINAL = ("施策計画名", "現状", "目標")


def _grid(words: tuple[str, str, str]) -> list:
    grid = json.loads((FIXTURES / "plan6.grid.json").read_text(encoding="utf-8"))
    swap = dict(zip(ORIGINAL, words))
    for cell in grid[0]:
        cell["text"] = swap.get(cell["text"], cell["text"])
    return grid


def _records(path) -> dict:
    records = document_to_records(extract_document(path, ocr="never"))
    # The run's own facts (file, hash, timings) differ between two files; what was read must not.
    records.pop("documents", None)
    return records


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    path = build_table_pdf(tmp_path_factory.mktemp("orig") / "plan.pdf", _grid(ORIGINAL)).path
    return _records(path)


@pytest.mark.parametrize("words", [("施策名", "現況", "計画"), ("取組", "現状と課題", "目標値"), ("事業名", "現状", "計画値")])
def test_other_header_words_extract_exactly_as_before(tmp_path, original, words):
    path = build_table_pdf(tmp_path / "plan.pdf", _grid(words)).path
    got = _records(path)
    # The cells table prints every header cell as printed: the new words, in the same places.
    back = dict(zip(words, ORIGINAL))
    header = [c for c in got["cells"] if c["role"] == "header" and c["text"] in back]
    assert sorted(c["text"] for c in header) == sorted(words * (len(header) // 3))
    for c in header:
        c["text"] = back[c["text"]]
    assert got.keys() == original.keys()
    assert len(original["measures"]) == 18 and len(original["targets"]) == 175
    for table in original:
        assert got[table] == original[table], table


@pytest.mark.parametrize("target", ["目的", "予算"])
def test_a_group_over_the_years_that_names_no_target_is_no_table(tmp_path, target):
    path = build_table_pdf(tmp_path / "plan.pdf", _grid(("施策名", "現況", target))).path
    with pytest.raises(NoPlanTable):
        extract_document(path, ocr="never")
