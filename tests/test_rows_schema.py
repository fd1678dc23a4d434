"""Rows are checked against the schema when they are made (issue 26): a misspelt
or missing column fails, never becomes a silently null column."""

from __future__ import annotations

import pytest

from pipeline.errors import InternalError
from pipeline.publishing.records import RowsBreakSchema, check_columns, column_problems
from pipeline.publishing.ruled import tables_to_rows
from pipeline.publishing.schema import RULED_TABLES, TABLES


def _row(table: str) -> dict:
    return dict.fromkeys(TABLES[table].names)


def test_a_row_with_exactly_the_schemas_columns_passes():
    check_columns({"programs": [_row("programs")], "cells": [_row("cells")]}, TABLES)


def test_a_misspelt_column_fails_naming_it():
    row = _row("programs")
    row["progam"] = row.pop("program")
    with pytest.raises(RowsBreakSchema, match=r"programs row 1: unknown column\(s\) progam; missing column\(s\) program$"):
        check_columns({"programs": [_row("programs"), row][1:]}, TABLES)


def test_a_missing_column_and_an_unknown_table_fail():
    row = _row("targets")
    del row["page"]
    assert column_problems({"targets": [row], "programmes": []}, TABLES) == [
        "programmes: no such table in the schema", "targets row 1: missing column(s) page"]


def test_a_defect_not_bad_input():
    assert issubclass(RowsBreakSchema, InternalError)


def test_ruled_rows_match_their_schema():
    assert tables_to_rows("d", []) == []
    assert set(RULED_TABLES) == {"tables"}
