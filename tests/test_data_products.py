"""Data products: typed Parquet, portal CSV, the Frictionless data package,
the portal bundle, the notebook and the data dictionary, on the plan6 fixture."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import frictionless
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.orchestration.cli import main as cli_main
from pipeline.publishing.datapackage import datapackage, datapackage_json, field_description
from pipeline.publishing.dictionary import _field_row, tables_to_markdown
from pipeline.publishing.emit import CsvEncodingError, rows_to_frame, write_csv, write_tables
from pipeline.publishing.schema import TABLES, arrow_schema, pandas_dtypes

ROOT = Path(__file__).resolve().parent.parent
PLAN6 = ROOT / "tests" / "fixtures" / "plan6.pdf"
NOTEBOOK = ROOT / "notebooks" / "01-targets-by-fiscal-year"
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """plan6.pdf extracted once through the CLI, with its datapackage.json."""
    out = tmp_path_factory.mktemp("extracted")
    assert cli_main(["extract", str(PLAN6), "--out", str(out), "--workers", "1"]) == 0
    # The CLI writes the data package itself; the tests read what it wrote.
    assert (out / "datapackage.json").read_text(encoding="utf-8") == datapackage_json()
    return out


@pytest.fixture(scope="module")
def frames(extracted) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(extracted / f"{name}.parquet") for name in TABLES}


def _rows(frame: pd.DataFrame) -> list[dict]:
    """DataFrame back to the row mappings write_tables takes (nulls as None)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _errors(report: frictionless.Report) -> list[tuple]:
    return [(task.name, e.get("rowNumber"), e.get("fieldName"), e["type"], e["note"]) for task in report.tasks for e in task.to_descriptor()["errors"]]


# Parquet


def test_parquet_keeps_every_type_and_its_documentation(extracted):
    for name, table in TABLES.items():
        expected = arrow_schema(table)
        got = pq.read_schema(extracted / f"{name}.parquet")
        assert got.equals(expected, check_metadata=False), name
        for field in expected:
            assert got.field(field.name).metadata == field.metadata, (name, field.name)
        for key, value in expected.metadata.items():
            assert got.metadata[key] == value, (name, key)
        frame = pd.read_parquet(extracted / f"{name}.parquet")
        assert {c: str(t) for c, t in frame.dtypes.items()} == pandas_dtypes(table), name
        assert not any(t is object or t == "object" for t in frame.dtypes), name
    targets = pq.read_table(extracted / "targets.parquet")
    assert targets.schema.field("fiscal_year").metadata[b"title_ja"] == "年度".encode()
    assert targets.schema.metadata[b"primary_key"] == b"doc_id,measure_no,row_no,first_year,fiscal_year,item_no"


def test_rows_have_unique_keys_and_document_order(frames):
    counts = {name: len(frame) for name, frame in frames.items()}
    assert counts == {
        "documents": 1, "measure_years": 72,
        "programs": 4, "measures": 18, "current_items": 57, "targets": 175, "results": 73, "target_changes": 11,
        "narrative": 49, "quantities": 45, "cells": 229, "leftovers": 0,
        # A 施策計画 report is no evaluation sheet: its sheet tables are empty.
        "sheets": 0, "sheet_fields": 0, "sheet_values": 0, "sheet_choices": 0, "sheet_unplaced": 0,
    }
    for name, table in TABLES.items():
        keys = frames[name][list(table.primary_key)]
        assert not keys.duplicated().any(), name
    # Document order: measures in print order, and every table that hangs off them with it.
    for name in ("measures", "current_items", "targets", "results"):
        assert frames[name]["measure_no"].is_monotonic_increasing, name
    assert frames["narrative"]["program_no"].is_monotonic_increasing


def test_same_rows_give_byte_identical_files(frames, tmp_path):
    rows = {name: _rows(frame) for name, frame in frames.items()}
    write_tables(rows, tmp_path / "a")
    write_tables(rows, tmp_path / "b")
    for name in TABLES:
        for ext in ("parquet", "csv"):
            assert (tmp_path / "a" / f"{name}.{ext}").read_bytes() == (tmp_path / "b" / f"{name}.{ext}").read_bytes()


def test_keys_join_within_a_document(frames):
    programs, measures = frames["programs"], frames["measures"]
    by_measure = ["doc_id", "measure_no"]
    for child in ("current_items", "targets", "results"):
        joined = frames[child].merge(measures[by_measure], on=by_measure, how="left", indicator=True)
        assert (joined["_merge"] == "both").all(), child
    for child in ("measures", "narrative"):
        joined = frames[child].merge(programs[["doc_id", "program_no"]], on=["doc_id", "program_no"], how="left", indicator=True)
        assert (joined["_merge"] == "both").all(), child
    # quantities carry measure_no (table sources) and program_no (all but descriptions) when known.
    quantities = frames["quantities"]
    with_measure = quantities.dropna(subset=["measure_no"])
    assert len(with_measure) == 26
    assert with_measure.merge(measures[by_measure], on=by_measure).shape[0] == len(with_measure)
    with_program = quantities.dropna(subset=["program_no"])
    assert with_program.merge(programs[["doc_id", "program_no"]], on=["doc_id", "program_no"]).shape[0] == len(with_program)

    per_program = measures.groupby("program_no").size().to_dict()
    assert per_program == {1: 2, 2: 3, 3: 7, 4: 6}
    target = (
        frames["targets"].merge(measures, on=by_measure, suffixes=("", "_m"))
        .merge(programs, on=["doc_id", "program_no"], suffixes=("", "_p"))
        .query("fiscal_year == 2008 and measure_no == 1 and item_no == 1")
    )
    assert target[["text", "measure", "program"]].values.tolist() == [
        ["アジア起業家村入居企業に対する支援の実施", "アジア起業家村構想の推進", "国際的視点に基づく産業振興"]
    ]


# CSV


def test_csv_has_bom_and_rereads_to_the_parquet_values(extracted, frames):
    for name, table in TABLES.items():
        raw = (extracted / f"{name}.csv").read_bytes()
        assert raw.startswith(BOM), name
        assert raw[len(BOM):].split(b"\n", 1)[0].decode() == ",".join(table.names)
        # Empty cells are nulls, except in required text columns where they are "".
        optional = {f.name: [""] for f in table.fields if not (f.required and f.type == "string")}
        back = pd.read_csv(
            io.BytesIO(raw), encoding="utf-8-sig", dtype=pandas_dtypes(table), keep_default_na=False, na_values=optional
        )
        pd.testing.assert_frame_equal(back, frames[name], check_dtype=True, obj=name)
    cells = frames["cells"]
    assert (cells["text"] == "").sum() == 7  # empty ruled cells survive as "", not null


def test_csv_headers_ja_writes_japanese_titles(frames, tmp_path):
    table = TABLES["targets"]
    write_csv(table, frames["targets"], tmp_path / "targets.csv", "utf-8-sig", "ja")
    header = (tmp_path / "targets.csv").read_text(encoding="utf-8-sig").split("\n", 1)[0]
    assert header.split(",")[:6] == ["文書ID", "施策番号", "行番号", "行ラベル", "全行共通", "年度"]
    assert header.split(",") == [f.title_ja for f in table.fields]


def test_cp932_export_names_table_row_column_and_character(tmp_path):
    # 𠮷 (つちよし) is outside JIS X 0208 and cp932's NEC/IBM extensions.
    rows = [
        {"doc_id": "d", "program_no": 1, "program": "産業", "measure_no": 1, "measure": "①㈱の支援", "rows": 1, "page_start": 1, "page_end": 1},
        {"doc_id": "d", "program_no": 1, "program": "産業", "measure_no": 2, "measure": "𠮷野の振興", "rows": 1, "page_start": 1, "page_end": 1},
    ]
    with pytest.raises(CsvEncodingError) as info:
        write_tables({"measures": rows}, tmp_path / "out", csv_encoding="cp932")
    assert str(info.value) == (
        "measures.csv row 2, column measure: character '𠮷' (U+20BB7) cannot be encoded as cp932; "
        "use --csv-encoding utf-8-sig"
    )
    assert list((tmp_path / "out").iterdir()) == []  # nothing half-written, no staging left
    # ① and ㈱ are in cp932 (NEC special characters): written and read back, not replaced.
    write_csv(TABLES["measures"], rows_to_frame(TABLES["measures"], rows[:1]), tmp_path / "m.csv", "cp932")
    assert "①㈱の支援" in (tmp_path / "m.csv").read_text(encoding="cp932")


def test_cp932_export_of_the_fixture_fails_on_subscript_two(frames, tmp_path):
    # The prose writes CO₂ with U+2082, which Shift_JIS lacks.
    with pytest.raises(CsvEncodingError, match=r"^narrative\.csv row 35, column text: character '₂' \(U\+2082\)"):
        write_csv(TABLES["narrative"], frames["narrative"], tmp_path / "narrative.csv", "cp932")
    assert "CO₂" in frames["narrative"]["text"].iloc[34]  # row N counts data rows from 1


# Data package


def test_datapackage_validates_with_frictionless(extracted, frames):
    report = frictionless.validate(extracted / "datapackage.json")
    assert report.valid, _errors(report)
    assert [task.name for task in report.tasks] == list(TABLES)
    # A table without rows has no "rows" stat.
    assert {task.name: task.stats.get("rows", 0) for task in report.tasks} == {n: len(f) for n, f in frames.items()}
    resources = {r["name"]: r for r in datapackage()["resources"]}
    targets = resources["targets"]
    assert targets["path"] == "targets.csv" and targets["encoding"] == "utf-8-sig"
    assert targets["schema"]["foreignKeys"] == [
        {"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}},
        {"fields": ["doc_id", "measure_no"], "reference": {"resource": "measures", "fields": ["doc_id", "measure_no"]}},
    ]
    assert targets["schema"]["primaryKey"] == list(TABLES["targets"].primary_key)
    assert targets["schema"]["missingValues"] == [""]


def test_datapackage_enforces_foreign_keys(extracted, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(extracted, broken)
    lines = (broken / "targets.csv").read_text(encoding="utf-8-sig").split("\n")
    assert lines[1].startswith("plan6,1,")
    lines[1] = lines[1].replace("plan6,1,", "plan6,99,", 1)
    (broken / "targets.csv").write_text("\n".join(lines), encoding="utf-8-sig")
    report = frictionless.validate(broken / "datapackage.json")
    assert [(e[0], e[1], e[3]) for e in _errors(report)] == [("targets", 2, "foreign-key")]


def test_datapackage_describes_japanese_headers_and_cp932(frames, tmp_path):
    # narrative holds CO₂, which cp932 cannot write; the other tables all fit.
    rows = {name: _rows(frame) for name, frame in frames.items() if name != "narrative"}
    write_tables(
        rows, tmp_path, csv_encoding="cp932", csv_headers="ja",
        extra_files={"datapackage.json": datapackage_json("cp932", "ja")},
    )
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, _errors(report)
    measures = next(r for r in datapackage("cp932", "ja")["resources"] if r["name"] == "measures")
    assert measures["schema"]["primaryKey"] == ["文書ID", "施策番号"]
    assert measures["schema"]["foreignKeys"][0]["fields"] == ["文書ID"]
    assert measures["schema"]["foreignKeys"][1]["fields"] == ["文書ID", "プログラム番号"]
    assert measures["schema"]["fields"][4]["x-name-en"] == "measure"


# Documentation


def test_every_column_is_documented_the_same_everywhere(extracted):
    package = {r["name"]: r for r in json.loads((extracted / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    dictionary = tables_to_markdown()
    for name, table in TABLES.items():
        parquet = pq.read_schema(extracted / f"{name}.parquet")
        described = package[name]["schema"]["fields"]
        assert [f["name"] for f in described] == table.names
        assert package[name]["title"] == table.title_ja
        assert f"## `{name}` — {table.title_ja}" in dictionary
        for field, entry in zip(table.fields, described):
            assert field.title_ja and field.description and field.description_ja, (name, field.name)
            meta = parquet.field(field.name).metadata
            assert meta[b"title_ja"].decode() == entry["title"] == field.title_ja
            assert meta[b"description"].decode() == field.description
            assert meta[b"description_ja"].decode() == field.description_ja
            assert entry["description"] == field_description(field)
            assert entry["type"] == field.type
            assert entry.get("constraints", {}).get("required", False) == field.required
            assert _field_row(field) in dictionary, (name, field.name)


def test_committed_data_dictionary_is_generated():
    committed = (ROOT / "docs" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert committed == tables_to_markdown(), "run `python -m pipeline.dictionary` and commit docs/DATA_DICTIONARY.md"
    assert "| `fiscal_year` | 年度 | integer | yes | 対象年度(西暦) | Fiscal year (西暦) this row applies to |" in committed


# Portal bundle


PORTAL_CONFIG = """
[dataset]
name = "test-plan-results"
title = "テスト施策評価データ"
notes = "テスト用の説明。"
tags = ["施策評価", "テスト"]
language = "ja"
[publisher]
name = "テスト市 総務局"
url = "https://example.jp/"
organization = "test-city"
[contact]
name = "テスト市 情報管理課"
email = "opendata@example.jp"
[license]
id = "CC-BY-4.0"
title = "CC BY 4.0"
url = "https://creativecommons.org/licenses/by/4.0/"
"""


def test_package_writes_a_valid_deterministic_bundle(extracted, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    config = tmp_path / "portal.toml"
    config.write_text(PORTAL_CONFIG, encoding="utf-8")
    args = ["package", "--from", str(extracted), "--out", str(tmp_path / "dist"), "--config", str(config)]
    assert cli_main(args) == 0
    assert "warning" not in capsys.readouterr().err
    folder, archive = tmp_path / "dist" / "test-plan-results", tmp_path / "dist" / "test-plan-results.zip"
    files = sorted(p.name for p in folder.iterdir())
    assert files == sorted([f"{n}.csv" for n in TABLES] + ["datapackage.json", "ckan_package.json", "DATA_DICTIONARY.md"])
    for name in TABLES:  # re-exported from Parquet: the same bytes as extract's default CSVs
        assert (folder / f"{name}.csv").read_bytes() == (extracted / f"{name}.csv").read_bytes()
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid, _errors(report)

    ckan = json.loads((folder / "ckan_package.json").read_text(encoding="utf-8"))
    assert ckan["name"] == "test-plan-results" and ckan["title"] == "テスト施策評価データ"
    assert ckan["license_id"] == "cc-by" and ckan["owner_org"] == "test-city"
    assert (ckan["author"], ckan["maintainer_email"]) == ("テスト市 総務局", "opendata@example.jp")
    assert [t["name"] for t in ckan["tags"]] == ["施策評価", "テスト"]
    extras = {e["key"]: e["value"] for e in ckan["extras"]}
    # 2011年度以降 has no end: no temporal_end, an explicit marker instead.
    assert (extras["temporal_start"], extras["対象期間"], extras["temporal_open_ended"]) == ("2008-04-01", "2008年度〜2011年度以降", "true")
    assert "temporal_end" not in extras and "temporal_end" in ckan["notes"]
    assert "対象期間: 2008年度〜2011年度以降" in ckan["notes"] and "plan6.pdf(11ページ" in ckan["notes"]
    assert [r["url"] for r in ckan["resources"]] == [f"{n}.csv" for n in TABLES]
    targets = ckan["resources"][list(TABLES).index("targets")]
    assert targets["name"] == "目標(targets.csv)" and "175行" in targets["description"]
    assert targets["format"] == "CSV" and targets["last_modified"] == "2023-11-14T22:13:20"
    assert targets["size"] == (folder / "targets.csv").stat().st_size

    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == sorted(f"test-plan-results/{f}" for f in files)
        assert z.read("test-plan-results/ckan_package.json") == (folder / "ckan_package.json").read_bytes()
    first = archive.read_bytes()
    assert cli_main(args) == 0
    assert archive.read_bytes() == first  # a rerun gives the same zip


def test_package_defaults_and_errors(extracted, tmp_path, capsys):
    # The repo's sesaku-portal.toml: no slug configured, so one is made from the doc ids.
    assert cli_main(["package", "--from", str(extracted), "--out", str(tmp_path / "dist")]) == 0
    err = capsys.readouterr().err
    assert (tmp_path / "dist" / "sesaku-plan6.zip").is_file()
    assert "warning: no [publisher] name" in err and "warning: no [publisher] organization" in err

    assert cli_main(["package", "--from", str(tmp_path / "empty"), "--out", str(tmp_path / "d2")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has no extraction (no _run.json)" in err
    assert not (tmp_path / "d2").exists()

    bad = tmp_path / "bad.toml"
    bad.write_text(PORTAL_CONFIG.replace('id = "CC-BY-4.0"\n', ""), encoding="utf-8")
    assert cli_main(["package", "--from", str(extracted), "--out", str(tmp_path / "d3"), "--config", str(bad)]) == 2
    assert capsys.readouterr().err == f"error: config {bad}: missing key 'id' in [license]\n"
    bad.write_text(PORTAL_CONFIG.replace("test-plan-results", "施策"), encoding="utf-8")
    assert cli_main(["package", "--from", str(extracted), "--out", str(tmp_path / "d3"), "--config", str(bad)]) == 2
    assert "must be 2-100 lowercase ASCII letters" in capsys.readouterr().err


# Notebook


def test_notebook_pair_is_in_sync():
    jupytext = pytest.importorskip("jupytext")
    from_py = jupytext.read(NOTEBOOK.with_suffix(".py"))
    from_ipynb = jupytext.read(NOTEBOOK.with_suffix(".ipynb"))
    assert [(c.cell_type, c.source) for c in from_ipynb.cells] == [(c.cell_type, c.source) for c in from_py.cells]


@pytest.mark.slow
def test_notebook_runs_on_the_extraction_with_japanese_plots(extracted, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("SESAKU_EXTRACTED", str(extracted))
    notebook = nbformat.read(NOTEBOOK.with_suffix(".ipynb"), as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # matplotlib warns "Glyph ... missing from font(s)" when a Japanese label falls back to boxes.
    streams = "".join(o.text for o in outputs if o.output_type == "stream")
    assert "missing from" not in streams and "findfont" not in streams, streams
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 2
    tables = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "2011年度以降" in tables and "川崎の特徴を活かした産業の活性化" in tables
    assert "当初" in tables and "変更後" in tables and "目標をほぼ達成" in tables
    # The notebook's read_pdf cell reads raw_pdfs/plan6.pdf and finds the extraction's rows.
    assert "plan6.pdf: 72 measure-year rows; same as extracted/: True" in streams
