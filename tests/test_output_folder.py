"""An output folder is a dataset: runs add and replace documents, never drop them unasked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import synth

from pipeline.orchestration.cli import main
from pipeline.publishing.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]


def _small(path: Path, name: str, outcome: str = "セミナーを3回開催しました。") -> Path:
    grid = synth.plan_grid(synth.year_labels(2019, 3), [synth.Program("産業振興", "3", [
        synth.Measure(name, "支援します。", [synth.SubRow(["相談"], [synth.Target(0, ["セミナー開催"], span=3)])],
                      outcomes=[outcome])])])
    path.parent.mkdir(parents=True, exist_ok=True)
    synth.build_table_pdf(path, grid)
    return path


def _tables(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (".csv", ".parquet", ".xlsx")}


def _doc_ids(out: Path, table: str) -> set[str]:
    return set(pd.read_parquet(out / f"{table}.parquet")["doc_id"])


def _run(out: Path) -> dict:
    return json.loads((out / "_run.json").read_text(encoding="utf-8"))


@pytest.fixture()
def pdfs(tmp_path) -> dict[str, Path]:
    return {"a": _small(tmp_path / "in" / "a.pdf", "施策エー"), "b": _small(tmp_path / "in2" / "b.pdf", "施策ビー")}


def test_second_document_is_added_and_a_changed_one_replaced(pdfs, tmp_path, capsys):
    out = tmp_path / "X"
    assert main(["extract", str(pdfs["a"]), "--out", str(out), "--workers", "1"]) == 0
    assert main(["extract", str(pdfs["b"]), "--out", str(out), "--workers", "1"]) == 0
    assert "(it holds 2 document(s))" in capsys.readouterr().err
    for table in ("documents", "programs", "measures", "targets", "measure_years", "cells"):
        assert _doc_ids(out, table) == {"a", "b"}, table
    run = _run(out)
    assert [e["doc_id"] for e in run["dataset"]] == ["a", "b"]
    assert [d["doc_id"] for d in run["documents"]] == ["b"]  # what this run did
    assert len(run["history"]) == 2 and run["dataset"][0]["run"] == run["history"][0]["run"]

    # The folder holds exactly what extracting both at once writes.
    together = tmp_path / "together"
    assert main(["extract", str(pdfs["a"]), str(pdfs["b"]), "--out", str(together), "--workers", "1"]) == 0
    assert _tables(out) == _tables(together)

    # A changed at the same path: A's rows replaced, B's kept.
    _small(pdfs["a"], "施策エー改訂", outcome="セミナーを5回開催しました。")
    assert main(["extract", str(pdfs["a"]), "--out", str(out), "--workers", "1"]) == 0
    measures = pd.read_parquet(out / "measures.parquet").set_index("doc_id")["measure"]
    assert measures.to_dict() == {"a": "施策エー改訂", "b": "施策ビー"}
    results = pd.read_parquet(out / "results.parquet")
    assert results.loc[results["doc_id"] == "a", "text"].tolist() == ["セミナーを5回開催しました。"]


def test_replace_all_starts_the_folder_afresh(pdfs, tmp_path):
    out = tmp_path / "X"
    assert main(["extract", str(pdfs["a"]), "--out", str(out), "--workers", "1"]) == 0
    assert main(["extract", str(pdfs["b"]), "--out", str(out), "--workers", "1", "--replace-all"]) == 0
    for table in TABLES:
        frame = pd.read_parquet(out / f"{table}.parquet")
        assert set(frame["doc_id"]) <= {"b"}, table
    assert [e["doc_id"] for e in _run(out)["dataset"]] == ["b"]


def test_another_file_with_a_stem_already_in_the_folder_gets_its_own_doc_id(tmp_path):
    out = tmp_path / "X"
    first = _small(tmp_path / "2023" / "report.pdf", "前年度")
    second = _small(tmp_path / "2024" / "report.pdf", "今年度")
    assert main(["extract", str(first), "--out", str(out), "--workers", "1"]) == 0
    assert main(["extract", str(second), "--out", str(out), "--workers", "1"]) == 0
    measures = pd.read_parquet(out / "measures.parquet").set_index("doc_id")["measure"]
    assert measures.to_dict() == {"report": "前年度", "2024-report": "今年度"}
    # Extracting the first again keeps its doc_id: ids never move between runs.
    assert main(["extract", str(first), str(second), "--out", str(out), "--workers", "1"]) == 0
    assert set(pd.read_parquet(out / "documents.parquet")["doc_id"]) == {"report", "2024-report"}


def test_a_document_failing_now_keeps_its_earlier_rows(pdfs, tmp_path, capsys):
    out = tmp_path / "X"
    assert main(["extract", str(pdfs["a"]), str(pdfs["b"]), "--out", str(out), "--workers", "1"]) == 0
    synth.make_not_a_pdf(pdfs["a"])
    assert main(["extract", str(pdfs["a"]), str(pdfs["b"]), "--out", str(out), "--workers", "1"]) == 1
    assert _doc_ids(out, "measures") == {"a", "b"}
    entry = next(e for e in _run(out)["dataset"] if e["doc_id"] == "a")
    assert "kept_after_failure" in entry


def test_tables_of_another_version_are_not_merged_into(pdfs, tmp_path, capsys):
    out = tmp_path / "X"
    assert main(["extract", str(pdfs["a"]), "--out", str(out), "--workers", "1"]) == 0
    frame = pd.read_parquet(out / "measures.parquet").drop(columns=["program"])
    frame.to_parquet(out / "measures.parquet")
    capsys.readouterr()
    assert main(["extract", str(pdfs["b"]), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "measures.parquet has other columns" in err[0] and "--replace-all" in err[0]


@pytest.mark.slow
def test_killed_during_the_second_run_leaves_the_first(pdfs, tmp_path, capsys):
    out = tmp_path / "X"
    assert main(["extract", str(pdfs["a"]), "--out", str(out), "--workers", "1"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    proc = subprocess.Popen([sys.executable, "-c", _holding_script(pdfs["b"], out)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr.readline() == "holding\n"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def _holding_script(pdf: Path, out: Path, *extra: str) -> str:
    # Holds inside the first page of the PDF and says so, so that the run
    # is stopped mid-extraction however fast or slow the machine is.
    return (
        "import sys, time\n"
        "from pipeline.reading.document import DocumentReader\n"
        "read = DocumentReader.read_page\n"
        "def held(self, number, *a, **k):\n"
        f"    if self.path.name == {pdf.name!r}:\n"
        "        print('holding', file=sys.stderr, flush=True)\n"
        "        time.sleep(600)\n"
        "    return read(self, number, *a, **k)\n"
        "DocumentReader.read_page = held\n"
        "from pipeline.orchestration.cli import main\n"
        f"sys.exit(main(['extract', {str(pdf)!r}, '--out', {str(out)!r}, '--force', *{list(extra)!r}]))"
    )
