"""The analyst's tables: measure × fiscal year, the documents catalogue, rating labels."""

from __future__ import annotations

from collections import defaultdict

import pytest
from conftest import PDFS, extracted
from synth import Measure, Program, SubRow, Target, build_table_pdf, plan_grid, year_labels

from pipeline.orchestration.extract import extract_document
from pipeline.publishing.records import document_to_records
from pipeline.understanding.legend import lines_to_legend
from pipeline.vocabulary import DEFAULT_RATING_LEGEND


@pytest.mark.parametrize("pdf", PDFS)
def test_one_row_per_measure_and_plan_year_with_the_targets_of_the_targets_table(pdf):
    _, records = extracted(pdf)
    rows = records["measure_years"]
    assert len(rows) == 18 * 4
    assert {(r["measure_no"], r["fiscal_year"]) for r in rows} == {(m, y) for m in range(1, 19) for y in range(2008, 2012)}
    printed = defaultdict(list)
    for t in records["targets"]:
        printed[(t["measure_no"], t["fiscal_year"])].append(t["text"])
    for r in rows:
        want = printed[(r["measure_no"], r["fiscal_year"])]
        assert r["target_count"] == len(want)
        assert (r["targets"] or "") == "\n".join(want)
    last = [r for r in rows if r["fiscal_year"] == 2011]
    assert all(r["and_after"] and r["fiscal_year_label"] == "2011(平成23)年度以降" for r in last)


def test_revised_targets_apply_the_city_revisions():
    _, records = extracted("plan6.pdf")
    by = {(r["measure_no"], r["fiscal_year"]): r for r in records["measure_years"]}
    # Removed from FY2009: one fewer, the named one gone.
    m1 = by[(1, 2009)]
    assert m1["target_count_revised"] == m1["target_count"] - 1
    assert "新規拠点形成のシンポジウム開催" in m1["targets"] and "新規拠点形成のシンポジウム開催" not in m1["targets_revised"]
    # Moved from FY2009 to FY2010.
    moved = "「工業用水道事業の中長期展望」及び「工業用水道事業の再構築計画」の改訂"
    assert moved in by[(6, 2009)]["targets"] and moved not in by[(6, 2009)]["targets_revised"]
    assert moved in by[(6, 2010)]["targets_revised"]
    # Two items added to FY2009 and to FY2010.
    for year in (2009, 2010):
        assert by[(7, year)]["target_count_revised"] == by[(7, year)]["target_count"] + 2
    # The FY2010 replacement rewrites the one target it continues (新たな融資制度…), not all nine.
    m8 = by[(8, 2010)]
    assert m8["target_count_revised"] == m8["target_count"] == 9
    assert "新たな融資制度などの具体化" not in m8["targets_revised"].split("\n")
    assert "新たな融資制度の創出に向けた関係機関との調整と、市内定着を図るための支援(平成22年度)" in m8["targets_revised"]
    changed = {k for k, r in by.items() if r["revised"]}
    assert changed == {(1, 2009), (4, 2010), (6, 2009), (6, 2010), (7, 2009), (7, 2010), (8, 2010)}


def test_rating_labels_say_they_are_the_assumed_default_when_the_document_prints_no_legend():
    _, records = extracted("plan6.pdf")
    legend = dict(DEFAULT_RATING_LEGEND)
    for r in records["measure_years"]:
        assert r["rating_label"] == legend[r["rating"]]
        assert r["rating_label_source"] == "default"
    assert records["documents"][0]["rating_legend_source"] == "default"


def test_a_printed_legend_is_read_and_wins():
    lines = ["【達成状況区分】", "1：目標を大幅に上回った", "2：目標を上回った", "3：目標どおり", "4：目標を下回った", "※＊は目標を変更したもの"]
    assert lines_to_legend(lines) == ((1, "目標を大幅に上回った"), (2, "目標を上回った"), (3, "目標どおり"), (4, "目標を下回った"))
    assert lines_to_legend(["達成状況区分", "1：一つだけ", "本文"]) == ()
    assert lines_to_legend(["1：目標を達成", "2：未達成", "3：中止"]) == ()  # no 達成状況区分 line above


def test_a_legend_on_a_prose_page_labels_the_ratings(tmp_path):
    pdf = tmp_path / "legend.pdf"
    programs = [Program("産業の振興", "3", [
        Measure("起業の支援", "起業を支援します。", rating="2", outcomes=["開催しました。"],
                rows=[SubRow(["窓口"], [Target(0, ["運営"]), Target(1, ["拡充"]), Target(2, ["推進"]), Target(3, ["推進"])])]),
    ])]
    legend_page = "達成状況区分の説明\n1：目標を大幅に上回った\n2：目標を上回った\n3：目標どおり\n4：目標を下回った"
    build_table_pdf(pdf, plan_grid(year_labels(2019, 4), programs), prose_pages=[legend_page])
    records = document_to_records(extract_document(pdf), configured_legend=((2, "設定された凡例"),))
    row = records["measure_years"][0]
    assert (row["rating"], row["rating_label"], row["rating_label_source"]) == (2, "目標を上回った", "document")
    # Without a printed legend the configured one replaces the default.
    plain = tmp_path / "plain.pdf"
    build_table_pdf(plain, plan_grid(year_labels(2019, 4), programs))
    row = document_to_records(extract_document(plain), configured_legend=((2, "設定された凡例"),))["measure_years"][0]
    assert (row["rating_label"], row["rating_label_source"]) == ("設定された凡例", "configured")


def test_the_documents_catalogue_describes_each_pdf_from_its_own_metadata():
    _, records = extracted("plan6-excel.pdf")
    (doc,) = records["documents"]
    assert (doc["doc_id"], doc["file_name"], doc["pages"]) == ("plan6-excel", "plan6-excel.pdf", 11)
    assert (doc["plan_no"], doc["period"], doc["first_year"], doc["last_year"], doc["open_ended"]) == (6, "第2期実行計画", 2008, 2011, True)
    assert (doc["creator"], doc["producer"], doc["author"]) == ("Calc", "LibreOffice 7.4", "川崎市")
    assert doc["created"].startswith("20") and doc["created"][4] == "-"
    assert len(doc["sha256"]) == 64
    # Every table's rows point at it.
    for name, rows in records.items():
        assert {r["doc_id"] for r in rows} <= {"plan6-excel"}, name
