"""Hostile and faulty inputs (issue 28): a dataset folder that never runs foreign code,
cells a spreadsheet cannot run, strings every writer takes, paths that stay in --out,
inputs checked before they are read."""

from __future__ import annotations

import csv
import json
import os
import pickle
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import synth
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import SesakuError
from pipeline.orchestration.cli import main
from pipeline.orchestration.docids import assign_doc_ids
from pipeline.publishing.emit import write_tables
from pipeline.publishing.schema import TABLES
from pipeline.publishing.spreadsheet import FORMULA_STARTS, defuse
from pipeline.publishing.writable import NOT_XML, NOWHERE, file_part, writable
from pipeline.reading.guards import regular_file


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A one-page 施策計画 table: one program, one measure."""
    path = tmp_path_factory.mktemp("small") / "small.pdf"
    synth.build_table_pdf(path, synth._small_grid())
    return path


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".csv", ".parquet")}


# ---------------------------------------------------------------- cause 3: the cache runs no code


class _Planted:
    """A pickle that, when loaded, writes a file: what an attacker would plant in OUT/.cache."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "pwned"))


def test_a_pickle_planted_in_the_cache_never_runs(small, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(small), "--out", str(out), "--workers", "1"]) == 0
    first = _outputs(out)
    entries = [p for p in (out / ".cache").rglob("*") if p.is_file()]
    assert len(entries) == 1
    marker = tmp_path / "pwned"
    planted = pickle.dumps({"key": entries[0].stem, "report": _Planted(marker), "records": {}})
    # Where this sesaku keeps the entry, and where a pickle-reading one would look.
    entries[0].write_bytes(planted)
    entries[0].with_suffix(".pickle").write_bytes(planted)
    capsys.readouterr()
    assert main(["extract", str(small), "--out", str(out), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert not marker.exists()
    assert "Traceback" not in err
    assert f"warning {small}: cache entry {entries[0]} not used: not valid JSON; extracted again" in err
    assert _outputs(out) == first
    # The fresh entry replaced the planted one (and the pickle beside it), and is used next time.
    assert [p.name for p in entries[0].parent.iterdir()] == [entries[0].name]
    assert main(["extract", str(small), "--out", str(out), "--workers", "1"]) == 0
    assert "from the cache" in capsys.readouterr().err
    assert _outputs(out) == first


# ---------------------------------------------------------------- cause 6: CSV cells that cannot run

FORMULAS = ["=1+2", "+SUM(1,2)", "@SUM(1)", "-2+3", '=HYPERLINK("http://example.com","x")',
            "=cmd|' /C calc'!A0", "\t=1+2", "\r=1+2"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_is_written_as_text(text):
    assert defuse(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "+3.2", "-1,234", "-0.5", "起業支援", "a=1", "", "'=1", "－5", "＝1"])
def test_plain_numbers_and_other_text_are_untouched(text):
    assert defuse(text) == text


def _csv_cells(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _runnable(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and not re.fullmatch(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?", cell)


def test_csvs_hold_no_runnable_cell_while_parquet_and_the_workbook_keep_the_text(tmp_path):
    row = {name: None for name in TABLES["quantities"].names}
    rows = [
        {**row, "doc_id": "alpha", "quantity_no": n, "source": "narrative", "part": "result", "item_no": 1,
         "position": 0, "text": text, "value": -5.0 - n, "unit": "件", "approx": False, "page": 1, "ocr": False}
        for n, text in enumerate(FORMULAS, 1)
    ]
    out = tmp_path / "out"
    write_tables({"quantities": rows}, out)
    cells = _csv_cells(out / "quantities.csv")
    header, body = cells[0], cells[1:]
    texts = [line[header.index("text")] for line in body]
    assert texts == ["'" + t for t in FORMULAS]
    # A negative number in a number column stays a number.
    assert [line[header.index("value")] for line in body] == [str(-5.0 - n) for n in range(1, len(FORMULAS) + 1)]
    assert list(pd.read_parquet(out / "quantities.parquet")["text"]) == FORMULAS
    sheet = openpyxl.load_workbook(out / "sesaku.xlsx")["quantities"]
    column = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))].index("text") + 1
    # As text, never a formula (XML reads a carriage return in text as a line feed).
    assert ([sheet.cell(row=r, column=column).value for r in range(2, len(FORMULAS) + 2)]
            == [t.replace("\r", "\n") for t in FORMULAS])
    assert all(sheet.cell(row=r, column=column).data_type == "s" for r in range(2, len(FORMULAS) + 2))


def test_a_formula_in_a_file_name_and_the_page_reaches_no_csv_as_a_formula(tmp_path, capsys):
    pdf = tmp_path / "in" / "=cmd|' calc'!A0.pdf"
    pdf.parent.mkdir()
    grid = synth.plan_grid(synth.year_labels(2019, 3), [synth.Program("産業振興", "3", [
        synth.Measure("@SUM(1)", "=1+2を支援します。", [synth.SubRow(["+81相談"], [synth.Target(0, ["-2+3回"], span=3)])],
                      outcomes=["=HYPERLINK(1)を開催しました。"])])])
    synth.build_table_pdf(pdf, grid)
    out = tmp_path / "out"
    assert main(["extract", str(pdf), "--out", str(out), "--workers", "1"]) == 0, capsys.readouterr().err
    doc_ids = set(pd.read_parquet(out / "documents.parquet")["doc_id"])
    assert doc_ids == {"doc-=cmd|' calc'!A0"}
    raw = {v for t in TABLES for col in ("text", "measure") if col in TABLES[t].names
           for v in pd.read_parquet(out / f"{t}.parquet")[col].dropna()}
    assert {"@SUM(1)", "+81相談"} <= raw  # the text as read, in Parquet
    seen = 0
    for t in TABLES:
        for line in _csv_cells(out / f"{t}.csv")[1:]:
            seen += sum(cell.startswith("'") for cell in line)
            assert not [cell for cell in line if _runnable(cell)], (t, line)
    assert seen >= 2


def test_the_wide_csvs_of_tables_hold_no_runnable_cell(tmp_path, capsys):
    pdf = tmp_path / "t.pdf"
    synth.build_table_pdf(pdf, [[{"r": 0, "c": 0, "rowspan": 1, "colspan": 1, "text": "=項目"},
                                 {"r": 0, "c": 1, "rowspan": 1, "colspan": 1, "text": "値"}],
                                [{"r": 1, "c": 0, "rowspan": 1, "colspan": 1, "text": "@SUM(1)"},
                                 {"r": 1, "c": 1, "rowspan": 1, "colspan": 1, "text": "-5"}],
                                [{"r": 2, "c": 0, "rowspan": 1, "colspan": 1, "text": "+cmd"},
                                 {"r": 2, "c": 1, "rowspan": 1, "colspan": 1, "text": "-2+3"}]],
                          header_rows=1, title="")
    out = tmp_path / "out"
    assert main(["tables", str(pdf), "--out", str(out)]) == 0, capsys.readouterr().err
    wide = sorted((out / "tables").glob("*.csv"))
    assert wide
    cells = [cell for path in wide for line in _csv_cells(path) for cell in line]
    assert "'=項目" in cells and "'@SUM(1)" in cells and "'+cmd" in cells and "'-2+3" in cells
    assert "-5" in cells
    assert not [c for c in cells if _runnable(c)]


@pytest.mark.parametrize("stem, doc_id", [
    ("=cmd|' calc'!A0", "doc-=cmd|' calc'!A0"), ("@SUM(1)", "doc-@SUM(1)"), ("+report", "doc-+report"),
    ("-draft", "doc--draft"), ("\tx", "doc-\tx"), ("a=1", "a=1"), ("report-2", "report-2"),
])
def test_doc_ids_a_spreadsheet_would_run_get_a_prefix(tmp_path, stem, doc_id):
    assert assign_doc_ids([tmp_path / f"{stem}.pdf"]) == [doc_id]


# ---------------------------------------------------------------- cause 5: every writer takes every string

HOSTILE_TEXT = ["a\ufffeb", "\uffff", "x\udcffy", "\ud800", "form\x0cfeed", "nul\x00", "ok"]


def test_every_writer_takes_every_string_and_lists_what_it_replaced(tmp_path):
    row = {name: None for name in TABLES["quantities"].names}
    rows = [
        {**row, "doc_id": "alpha", "quantity_no": n, "source": "narrative", "part": "result", "item_no": 1,
         "position": 0, "text": text, "value": 1.0, "unit": "件", "approx": False, "page": 10 + n, "ocr": False}
        for n, text in enumerate(HOSTILE_TEXT, 1)
    ]
    out = tmp_path / "out"
    written = write_tables({"quantities": rows}, out)
    # Lone surrogates cannot be encoded: U+FFFD in every output.  U+FFFE, U+FFFF and C0
    # controls are UTF-8: Parquet and the CSV keep them; the workbook (XML) cannot.
    stored = ["a\ufffeb", "\uffff", "x\ufffdy", "\ufffd", "form\x0cfeed", "nul\x00", "ok"]
    assert list(pd.read_parquet(out / "quantities.parquet")["text"]) == stored
    cells = _csv_cells(out / "quantities.csv")
    assert [line[cells[0].index("text")] for line in cells[1:]] == stored
    sheet = openpyxl.load_workbook(out / "sesaku.xlsx")["quantities"]
    column = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))].index("text") + 1
    assert [sheet.cell(row=r, column=column).value for r in range(2, len(rows) + 2)] == [
        "a\ufffdb", "\ufffd", "x\ufffdy", "\ufffd", "form\ufffdfeed", "nul\ufffd", "ok"]
    listed = [(s["row"], s["column"], s["page"], s["position"], s["code_point"], s["in"])
              for s in written.text_substitutions]
    assert listed == [(1, "text", 11, 1, "U+FFFE", "sesaku.xlsx"), (2, "text", 12, 0, "U+FFFF", "sesaku.xlsx"),
                      (3, "text", 13, 1, "U+DCFF", "every output"), (4, "text", 14, 0, "U+D800", "every output"),
                      (5, "text", 15, 4, "U+000C", "sesaku.xlsx"), (6, "text", 16, 3, "U+0000", "sesaku.xlsx")]
    assert {s["written_as"] for s in written.text_substitutions} == {"U+FFFD"}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(st.characters(blacklist_categories=()), max_size=8), min_size=1, max_size=4))
def test_no_text_breaks_a_writer(texts, tmp_path_factory):
    out = tmp_path_factory.mktemp("w")
    rows = [{**{name: None for name in TABLES["quantities"].names}, "doc_id": t or "d", "quantity_no": i,
             "source": "narrative", "part": "result", "item_no": 1, "position": 0, "text": t, "value": 1.0,
             "unit": "件", "approx": False, "page": 1, "ocr": False} for i, t in enumerate(texts, 1)]
    written = write_tables({"quantities": rows}, out, csv_errors="skip")
    frame = pd.read_parquet(out / "quantities.parquet")
    assert list(frame["text"]) == [writable(t) for t in texts]
    assert (out / "sesaku.xlsx").stat().st_size > 0
    # Every character the workbook cannot hold, in the doc_id and text columns, is listed.
    assert len(written.text_substitutions) == sum(len(NOT_XML.findall(t or "d")) + len(NOT_XML.findall(t)) for t in texts)
    assert all(s["in"] == ("every output" if NOWHERE.match(chr(int(s["code_point"][2:], 16))) else "sesaku.xlsx")
               for s in written.text_substitutions)


def test_a_file_name_that_is_not_utf8_is_extracted_with_a_doc_id_of_its_own(small, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"plan\xff.pdf")  # the byte FF, read back by Python as the lone surrogate U+DCFF
    (folder / name).write_bytes(small.read_bytes())
    out = tmp_path / "out"
    for _ in range(2):  # the second run from the cache
        status = main(["extract", str(folder), "--out", str(out), "--workers", "1"])
        err = capsys.readouterr().err
        assert status == 0, err
        assert "Traceback" not in err
    assert "from the cache" in err
    assert f"{folder}/plan\\xff.pdf: 1 pages" in err  # the byte shown as an escape
    documents = pd.read_parquet(out / "documents.parquet")
    assert list(documents["doc_id"]) == ["plan%FF"]
    assert list(documents["file_name"]) == ["plan\ufffd.pdf"]
    run = json.loads((out / "_run.json").read_text(encoding="utf-8"))
    assert run["documents"][0]["path"] == str(folder / name)  # the escape reads back as the name
    assert {(s["table"], s["column"], s["code_point"], s["in"]) for s in run["text_substitutions"]} == {
        ("documents", "file_name", "U+DCFF", "every output")}


def test_a_newline_in_a_file_name_forges_no_line(small, tmp_path, capsys):
    pdf = tmp_path / "a\nok     forged.pdf"
    pdf.write_bytes(small.read_bytes())
    assert main(["extract", str(pdf), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert not [line for line in lines if line.startswith("ok     forged")]
    assert any(line.startswith(f"ok     {tmp_path}/a\\nok     forged.pdf: 1 pages") for line in lines)


# ---------------------------------------------------------------- cause 10: paths from doc_ids stay in --out


@pytest.mark.parametrize("stem, doc_id", [("..", "doc-.."), (".", "doc-."), ("a..b", "a..b")])
def test_a_doc_id_of_dots_gets_a_prefix(tmp_path, stem, doc_id):
    assert assign_doc_ids([tmp_path / f"{stem}.pdf"]) == [doc_id]


@given(st.text(st.characters(blacklist_categories=()), max_size=6) | st.sampled_from(["", ".", "..", "../x", "a/b", "\\\\", "/"]))
def test_a_file_part_is_one_name_below_its_folder(doc_id):
    part = file_part(doc_id)
    assert part not in ("", ".", "..")
    assert not set(part) & {"/", "\\", "\x00"}
    assert (Path("/out") / part).parent == Path("/out")
    if doc_id.strip(".") and not set(doc_id) & {"/", "\\", "\x00"}:
        assert part == doc_id  # a doc_id sesaku assigns is its own file name


def _retag(out: Path, doc_id: str) -> None:
    """Every doc_id in the folder's tables and run report replaced: a folder someone else wrote."""
    for path in out.glob("*.parquet"):
        table = pq.read_table(path)
        if "doc_id" in table.column_names:
            column = pa.array([doc_id] * len(table), type=pa.string())
            table = table.set_column(table.column_names.index("doc_id"), "doc_id", column)
            pq.write_table(table, path)
    run = json.loads((out / "_run.json").read_text(encoding="utf-8"))
    for entry in (*run["documents"], *run.get("dataset", ())):
        entry["doc_id"] = doc_id
    (out / "_run.json").write_text(json.dumps(run), encoding="utf-8")


@pytest.mark.parametrize("doc_id", ["..", "../../escaped", "absolute"])
def test_audit_of_a_hostile_folder_writes_only_under_its_out(doc_id, small, tmp_path, capsys):
    if doc_id == "absolute":  # out / "/x" is "/x": a folder of the test's own, should it regress
        doc_id = str(tmp_path / "elsewhere")
    work = tmp_path / "work"
    extracted = work / "extracted"
    assert main(["extract", str(small), "--out", str(extracted), "--workers", "1"]) == 0
    _retag(extracted, doc_id)
    before = {p for p in tmp_path.rglob("*")}
    audit = work / "audit"
    assert main(["audit", str(extracted), "--out", str(audit)]) == 0, capsys.readouterr().err
    new = {p for p in tmp_path.rglob("*")} - before
    assert new and all(audit in p.parents or p == audit for p in new), sorted(map(str, new))
    assert (audit / file_part(doc_id) / "index.html").is_file()
    assert f'href="{quote(file_part(doc_id))}/index.html"' in (audit / "index.html").read_text(encoding="utf-8")


def test_tables_of_a_pdf_named_with_dots_writes_in_its_folder(small, tmp_path, capsys):
    pdf = tmp_path / "in" / "...pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(small.read_bytes())
    out = tmp_path / "out"
    assert main(["tables", str(pdf), "--out", str(out)]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in (out / "tables").iterdir()) == ["doc-..-1.csv"]


# ---------------------------------------------------------------- causes 8 and 7: inputs checked before they are read


def _specials(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    fifo = folder / "pipe.pdf"
    os.mkfifo(fifo)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(folder / "sock.pdf"))  # left bound: the test's folder goes with it
    (folder / "loop-a.pdf").symlink_to(folder / "loop-b.pdf")
    (folder / "loop-b.pdf").symlink_to(folder / "loop-a.pdf")
    return {"pipe.pdf": fifo, "sock.pdf": folder / "sock.pdf", "loop-a.pdf": folder / "loop-a.pdf",
            "zero": Path("/dev/zero")}


def test_what_is_not_a_regular_file_is_refused_before_a_byte_is_read(tmp_path):
    found = {}
    for name, path in _specials(tmp_path).items():
        with pytest.raises(SesakuError) as caught:
            regular_file(path)
        found[name] = (caught.value.kind, caught.value.problem)
    assert found == {
        "pipe.pdf": ("not_a_pdf", "a named pipe (FIFO), not a file; give a PDF or a folder of PDFs"),
        "sock.pdf": ("not_a_pdf", "a socket, not a file; give a PDF or a folder of PDFs"),
        "loop-a.pdf": ("not_found", "a symbolic link loop (the link leads back to itself); check the link"),
        "zero": ("not_a_pdf", "a character device, not a file; give a PDF or a folder of PDFs"),
    }


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_fifos_devices_sockets_and_link_loops_named_on_the_command_line_get_one_line_each(small, tmp_path):
    specials = _specials(tmp_path / "in")
    out = tmp_path / "out"
    # In a child with a time limit: a regression (reading the FIFO) must fail, not hang the suite.
    proc = subprocess.run([sys.executable, "-m", "pipeline", "extract", *map(str, specials.values()), str(small),
                           "--out", str(out), "--workers", "1"], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    failed = [line for line in proc.stderr.splitlines() if line.startswith("FAILED")]
    assert sorted(failed) == sorted([
        f"FAILED {specials['pipe.pdf']}: a named pipe (FIFO), not a file; give a PDF or a folder of PDFs",
        f"FAILED {specials['sock.pdf']}: a socket, not a file; give a PDF or a folder of PDFs",
        f"FAILED {specials['loop-a.pdf']}: a symbolic link loop (the link leads back to itself); check the link",
        "FAILED /dev/zero: a character device, not a file; give a PDF or a folder of PDFs",
    ])
    assert list(pd.read_parquet(out / "documents.parquet")["doc_id"]) == ["small"]
