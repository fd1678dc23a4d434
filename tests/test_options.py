"""One Options, validated once; messages name options as the caller knows them (issue 26)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from synth import make_text_pages

from pipeline import read_pdf
from pipeline.errors import NoPagesSelected, SesakuError, UsageError
from pipeline.options import ENGINE_NAMES, OCR_MODES, PREFER, READERS, Limits, Options, flag, given
from pipeline.orchestration.cli import main
from pipeline.orchestration.extract import extract_document
from pipeline.reading import document, ocr
from pipeline.understanding.table import engines


def test_the_coded_values_are_listed_once_and_agree_with_their_implementations():
    assert OCR_MODES == ocr.MODES
    assert document.READERS == READERS
    assert set(ENGINE_NAMES) == set(engines.ENGINES)
    assert PREFER == engines.PREFER


@pytest.mark.parametrize("field, value", [
    ("max_pages", 0), ("max_bytes", -1), ("seconds_per_page", 0.0), ("seconds_per_page", math.inf),
    ("max_memory_mb", -1.0), ("max_memory_mb", math.nan), ("max_cid_share", 1.5), ("max_pages", "10"),
])
def test_limits_are_finite_and_positive(field, value):
    with pytest.raises(UsageError, match=f"limit {field}"):
        Limits(**{field: value})


def test_limits_accept_zero_memory_meaning_no_limit():
    assert Limits(max_memory_mb=0).max_memory_mb == 0


@pytest.mark.parametrize("field, value", [("engine", "tabula"), ("ocr", "sometimes"), ("reader", "mupdf"),
                                          ("prefer", "both")])
def test_options_accept_only_known_values(field, value):
    with pytest.raises(UsageError, match=f"{field}= must be one of"):
        Options(**{field: value})
    with pytest.raises(UsageError, match=f"--{field} must be one of"):
        Options(speaks="cli", **{field: value})


def test_options_name_flags_for_the_command_line_and_keywords_for_python():
    assert flag("max_bytes", "cli") == "--max-mb"
    assert flag("max_bytes", "api") == "limits.max_bytes"
    assert flag("seconds_per_page", "cli") == "--seconds-per-page"
    assert flag("pages", "api") == "pages="
    assert given("pages", "5-9", "cli") == "--pages 5-9"
    assert given("pages", "5-9", "api") == "pages='5-9'"


def test_speaking_is_not_part_of_what_is_read():
    assert Options(speaks="cli") == Options(speaks="api")


def test_the_api_names_keywords_and_the_cli_names_flags(tmp_path: Path, capsys):
    pdf = tmp_path / "one.pdf"
    make_text_pages(pdf, [["令和5年度 施策"]])
    with pytest.raises(NoPagesSelected, match=r"one\.pdf: pages='5-9' selects none of its 1 page\(s\)"):
        read_pdf(pdf, pages="5-9")
    with pytest.raises(NoPagesSelected, match=r"pages='5-9'"):
        extract_document(pdf, pages="5-9")
    assert main(["text", str(pdf), "--pages", "5-9"]) == 2
    assert "one.pdf: --pages 5-9 selects none of its 1 page(s)" in capsys.readouterr().err


def test_read_pdf_refuses_an_unknown_option(tmp_path: Path):
    with pytest.raises(UsageError, match=r"unknown option.*page_range"):
        read_pdf(tmp_path / "x.pdf", page_range="1")
    with pytest.raises(SesakuError):  # one base for every error a user can cause
        read_pdf(tmp_path / "x.pdf", engine="tabula")
