"""What an analyst opens tomorrow: the Excel workbook, read_pdf, doc_ids, sources, legends."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import synth

from pipeline import read_pdf
from pipeline.errors import NotAPdf
from pipeline.orchestration.cli import main
from pipeline.orchestration.docids import assign_doc_ids
from pipeline.publishing.datapackage import datapackage
from pipeline.publishing.schema import TABLES, pandas_dtypes
from pipeline.publishing.workbook import sheet_order, write_workbook

ROOT = Path(__file__).resolve().parent.parent
PLAN6 = ROOT / "tests" / "fixtures" / "plan6.pdf"


def _small(path: Path, name: str = "起業支援", rating: str = "2") -> Path:
    grid = synth.plan_grid(synth.year_labels(2019, 3), [synth.Program("産業振興", "3", [
        synth.Measure(name, "起業を支援します。", [synth.SubRow(["相談"], [synth.Target(0, ["セミナー開催"], span=3)])],
                      rating=rating, outcomes=["セミナーを3回開催しました。"])])])
    path.parent.mkdir(parents=True, exist_ok=True)
    synth.build_table_pdf(path, grid)
    return path


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsx")
    assert main(["extract", str(PLAN6), "--out", str(out), "--workers", "1", "--force"]) == 0
    return out


def _csv(folder: Path, name: str) -> pd.DataFrame:
    table = TABLES[name]
    frame = pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return _typed(table, frame)


def _blank(v) -> bool:
    return v is None or v is pd.NA or v == "" or (isinstance(v, float) and v != v)


def _typed(table, frame: pd.DataFrame) -> pd.DataFrame:
    """Text as read from a CSV or a sheet → the schema's dtypes; empty is null except in required text."""
    out = {}
    for f in table.fields:
        values = frame[f.name].tolist()
        if f.type == "string":
            empty = "" if f.required else None
            out[f.name] = pd.array([empty if _blank(v) else str(v) for v in values], dtype="string")
        elif f.type == "boolean":
            out[f.name] = pd.array([None if _blank(v) else v in (True, "True", "TRUE") for v in values], dtype="boolean")
        elif f.type == "integer":
            out[f.name] = pd.array([None if _blank(v) else int(v) for v in values], dtype="Int64")
        else:
            out[f.name] = pd.array([None if _blank(v) else float(v) for v in values], dtype="Float64")
    return pd.DataFrame(out)


def test_workbook_has_every_table_as_a_sheet_matching_its_csv(extracted):
    path = extracted / "sesaku.xlsx"
    book = openpyxl.load_workbook(path, read_only=False)
    assert book.sheetnames == sheet_order() and book.sheetnames[0] == "measure_years"
    assert set(book.sheetnames) == set(TABLES)
    for name in TABLES:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert [c.value for c in sheet[1]] == TABLES[name].names
        assert not any(isinstance(c.value, str) and c.data_type == "f" for row in sheet.iter_rows() for c in row)
        from_sheet = _typed(TABLES[name], pd.read_excel(path, sheet_name=name, dtype=object))
        pd.testing.assert_frame_equal(from_sheet, _csv(extracted, name), check_dtype=True, obj=name)
    years = book["measure_years"]
    col = TABLES["measure_years"].names.index("fiscal_year") + 1
    assert {years.cell(row=r, column=col).value for r in range(2, years.max_row + 1)} == {2008, 2009, 2010, 2011}
    assert len(pd.read_excel(path, sheet_name="measure_years")) == 72


def test_workbook_keeps_text_as_text_and_is_reproducible(tmp_path):
    table = TABLES["documents"]
    row = {f.name: None for f in table.fields}
    row.update(doc_id="000123", file_name="=HYPERLINK(\"x\")", sha256="ab", pages=3, rating_legend_source="default",
               open_ended=True, title="改行\nあり\x0c")
    frames = {name: pd.DataFrame(columns=TABLES[name].names).astype(pandas_dtypes(TABLES[name])) for name in TABLES}
    frames["documents"] = pd.DataFrame([row], columns=table.names).astype(pandas_dtypes(table))
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    write_workbook(frames, one, headers="ja")
    write_workbook(frames, two, headers="ja")
    assert one.read_bytes() == two.read_bytes()
    sheet = openpyxl.load_workbook(one)["documents"]
    assert [c.value for c in sheet[1]][:3] == [f.title_ja for f in table.fields][:3]
    cells = {table.names[i]: c for i, c in enumerate(sheet[2])}
    assert cells["doc_id"].value == "000123" and cells["doc_id"].data_type == "s"
    assert cells["file_name"].value == '=HYPERLINK("x")' and cells["file_name"].data_type == "s"
    assert cells["pages"].value == 3 and cells["open_ended"].value is True
    # XML cannot hold a form feed; it is shown as U+FFFD, never silently dropped.
    assert cells["title"].value == "改行\nあり\ufffd"
    with zipfile.ZipFile(one) as z:
        assert b"dcterms:created" not in z.read("docProps/core.xml")


def test_read_pdf_returns_the_parquet_tables_without_writing(extracted, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tables = read_pdf(PLAN6)
    assert list(tables) == list(TABLES)
    assert list(tmp_path.iterdir()) == []
    for name, frame in tables.items():
        parquet = pd.read_parquet(extracted / f"{name}.parquet")
        pd.testing.assert_frame_equal(frame, parquet, obj=name)
    assert len(tables["measure_years"]) == 72


def test_read_pdf_raises_the_one_line_error(tmp_path):
    bad = tmp_path / "notes.pdf"
    synth.make_not_a_pdf(bad)
    with pytest.raises(NotAPdf, match=r"notes\.pdf: .*not a PDF"):
        read_pdf(bad)


def test_same_stem_in_two_folders_keeps_both_documents(tmp_path):
    a = _small(tmp_path / "in" / "2023" / "report.pdf", name="前年度の施策")
    b = _small(tmp_path / "in" / "2024" / "report.pdf", name="今年度の施策")
    _small(tmp_path / "in" / "2024" / "nested" / "deep" / "other.pdf")
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "in"), "--out", str(out), "--workers", "1"]) == 0
    documents = pd.read_parquet(out / "documents.parquet")
    assert documents["doc_id"].tolist() == ["2023-report", "2024-report", "other"]
    measures = pd.read_parquet(out / "measures.parquet").set_index("doc_id")["measure"]
    assert measures["2023-report"] == "前年度の施策" and measures["2024-report"] == "今年度の施策"
    assert assign_doc_ids([a, b]) == ["2023-report", "2024-report"]


def test_doc_ids_take_as_few_parent_folders_as_tell_files_apart(tmp_path):
    paths = [tmp_path / "city" / "2023" / "r.pdf", tmp_path / "town" / "2023" / "r.pdf",
             tmp_path / "x" / "plan.pdf", tmp_path / "y" / "plan.PDF"]
    assert assign_doc_ids(paths) == ["city-2023-r", "town-2023-r", "x-plan", "y-plan"]
    assert assign_doc_ids([tmp_path / "a.pdf", tmp_path / "a.PDF"]) == ["a-1", "a-2"]


def test_manifest_source_reaches_the_documents_table(tmp_path):
    pdf = _small(tmp_path / "in" / "r2.pdf")
    import hashlib
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    (tmp_path / "in" / "MANIFEST").write_text(
        "# name\tsha256\tsource\n"
        f"r2.pdf\t{sha}\t○○市「実行計画 実施結果」 https://www.city.example.lg.jp/plan/r2.pdf (2021-06 公開)\n",
        encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "in"), "--out", str(out), "--workers", "1"]) == 0
    row = pd.read_parquet(out / "documents.parquet").iloc[0]
    assert row["source_url"] == "https://www.city.example.lg.jp/plan/r2.pdf"
    assert row["source_note"].startswith("○○市「実行計画 実施結果」")
    assert read_pdf(pdf)["documents"].iloc[0]["source_url"] == row["source_url"]


def test_rating_legend_file_labels_documents_without_a_printed_legend(tmp_path, capsys):
    pdf = _small(tmp_path / "r.pdf", rating="2")
    legend = tmp_path / "legend.txt"
    legend.write_text("# 当市の区分\n1：順調\n2：概ね順調\n3：遅れ\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(pdf), "--out", str(out), "--rating-legend", str(legend), "--workers", "1"]) == 0
    years = pd.read_parquet(out / "measure_years.parquet")
    rated = years[years["rating"].notna()]
    assert len(rated) and set(rated["rating_label"]) == {"概ね順調"}
    assert set(rated["rating_label_source"]) == {"configured"}
    without = read_pdf(pdf)["measure_years"]
    assert set(without.loc[without["rating"].notna(), "rating_label_source"]) == {"default"}


def test_bad_rating_legend_file_is_one_line_before_any_work(tmp_path, capsys):
    legend = tmp_path / "legend.txt"
    legend.write_text("1：順調\n順調でない\n", encoding="utf-8")
    assert main(["extract", str(PLAN6), "--out", str(tmp_path / "out"), "--rating-legend", str(legend)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "legend.txt: line 2 is not 'VALUE：LABEL'" in err[0]
    assert not (tmp_path / "out").exists()


def test_coded_columns_publish_their_japanese_labels():
    resources = {r["name"]: r for r in datapackage()["resources"]}
    action = next(f for f in resources["target_changes"]["schema"]["fields"] if f["name"] == "action")
    assert action["constraints"]["enum"] == ["add", "remove", "move", "replace", "note"]
    assert action["x-code-labels-ja"]["remove"] == "削除"
    dictionary = (ROOT / "docs" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "`remove` = 削除" in dictionary and "an assumption" in dictionary


def test_rows_breaking_the_schema_fail_their_document_not_the_writing(tmp_path, monkeypatch, capsys):
    from pipeline.orchestration import extract
    from pipeline.publishing import records

    _small(tmp_path / "in" / "good.pdf")
    _small(tmp_path / "in" / "bad.pdf", name="壊れた施策")
    real = records.document_to_records

    def broken(doc, *a, **k):
        out = real(doc, *a, **k)
        if doc.doc_id == "bad":
            out["programs"][0]["program"] = None  # as an unreadable program cell once gave
        return out

    monkeypatch.setattr(extract, "document_to_records", broken)
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "in"), "--out", str(out), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "bad.pdf: internal error: the extracted rows break the output schema (programs row 1: program is empty)" in err
    assert set(pd.read_parquet(out / "programs.parquet")["doc_id"]) == {"good"}


def test_programs_named_only_in_the_prose_get_a_row_the_narrative_can_join(tmp_path, capsys):
    import frictionless

    out = tmp_path / "out"
    # Pages 1-5: all the prose, but only the first table page (programs 1 and 2).
    assert main(["extract", str(PLAN6), "--out", str(out), "--pages", "1-5", "--workers", "1"]) == 0
    programs = pd.read_parquet(out / "programs.parquet")
    assert programs["program_no"].tolist() == [1, 2, 3, 4]
    prose_only = programs[programs["program_no"] >= 3]
    assert prose_only["program"].tolist() == ["川崎の特徴を活かした産業の活性化", "環境・福祉・健康・医療分野における産業の振興"]
    assert prose_only["rating"].isna().all() and prose_only["narrative_rating"].notna().all()
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, [e for t in report.tasks for e in t.errors][:3]


@pytest.mark.parametrize("stem, doc_id", [
    ("000123", "doc-000123"), ("2023-04", "doc-2023-04"), ("1e5", "doc-1e5"), ("３１", "doc-３１"),
    ("12:30", "doc-12:30"), ("report", "report"), ("2023-report", "2023-report"), ("e", "e"),
])
def test_doc_ids_a_spreadsheet_would_read_as_numbers_get_a_prefix(tmp_path, stem, doc_id):
    assert assign_doc_ids([tmp_path / f"{stem}.pdf"]) == [doc_id]


def test_a_parent_folder_that_makes_the_doc_id_a_date_still_gets_the_prefix(tmp_path):
    paths = [tmp_path / "2023" / "04.pdf", tmp_path / "2024" / "04.pdf"]
    assert assign_doc_ids(paths) == ["doc-2023-04", "doc-2024-04"]
