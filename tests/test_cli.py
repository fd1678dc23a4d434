"""The command line as a user meets it: messages, exit statuses, what is written."""

from __future__ import annotations

import shutil

import pandas as pd
from conftest import FIXTURES
from synth import make_prose_only

from pipeline.orchestration.cli import main


def test_pdf_without_a_plan_table_fails_with_one_clear_line(tmp_path, capsys):
    pdf = tmp_path / "prose.pdf"
    make_prose_only(pdf)
    out = tmp_path / "out"
    status = main(["extract", str(pdf), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    failure = [line for line in err.splitlines() if "prose.pdf" in line and "施策計画" in line]
    assert len(failure) == 1
    assert "no 施策計画 table found" in failure[0]
    assert "Traceback" not in err
    # Only the run report: no table files for a document that failed.
    assert sorted(p.name for p in out.iterdir()) == ["_run.json"]


def test_a_bad_file_in_a_batch_is_reported_and_the_good_one_extracted(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "plan6.pdf", folder / "good.pdf")
    (folder / "broken.pdf").write_bytes(b"<html>not found</html>")
    out = tmp_path / "out"
    status = main(["extract", str(folder), "--out", str(out), "--workers", "1"])
    err = capsys.readouterr().err
    assert status == 1
    assert "broken.pdf: not a PDF" in err
    measures = pd.read_parquet(out / "measures.parquet")
    assert set(measures["doc_id"]) == {"good"}
    assert len(measures) == 18
    report = (out / "_run.json").read_text(encoding="utf-8")
    assert '"status": "failed"' in report and '"error_kind": "not_a_pdf"' in report


def test_unknown_engine_is_a_usage_error_listing_the_choices(tmp_path, capsys):
    status = main(["extract", str(FIXTURES / "plan6.pdf"), "--out", str(tmp_path), "--engine", "tabula"])
    err = capsys.readouterr().err
    assert status == 2
    assert "invalid choice: 'tabula'" in err and "pdfplumber" in err


def test_pages_option_reads_only_the_named_pages(tmp_path, capsys):
    out = tmp_path / "out"
    # The first table page alone: programs and measures printed there only.
    status = main(["extract", str(FIXTURES / "plan6.pdf"), "--out", str(out), "--pages", "5"])
    assert status == 0, capsys.readouterr().err
    cells = pd.read_parquet(out / "cells.parquet")
    assert set(cells["page"]) == {5}
    measures = pd.read_parquet(out / "measures.parquet")
    assert list(measures["measure"]) == ["アジア起業家村構想の推進", "海外企業との交流推進", "知的財産戦略等の推進"]


def test_bad_page_range_is_reported(tmp_path, capsys):
    status = main(["extract", str(FIXTURES / "plan6.pdf"), "--out", str(tmp_path / "o"), "--pages", "x-y"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.strip() == "error: --pages 'x-y': use page numbers and ranges such as 1-3,7 or 5-end, or all"
