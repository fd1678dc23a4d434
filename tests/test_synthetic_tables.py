"""Edge cases on small PDFs drawn inside the tests (tests/synth.py).

Each test draws a 施策計画 table from a compact description, extracts it
with the full pipeline and compares the output tables with what was drawn.
"""

from __future__ import annotations

import pytest
from conftest import squash
from helpers import records_to_truth_programs
from synth import Measure, Program, SubRow, Target, build_table_pdf, plan_grid, plan_truth, year_labels

from pipeline.orchestration.extract import extract_document
from pipeline.publishing.records import document_to_records


def extract_programs(path):
    doc = extract_document(path)
    records = document_to_records(doc)
    return doc, records, records_to_truth_programs(records)


HEISEI = year_labels(2008, 4)
REIWA = year_labels(2019, 5)


def one_measure(rows, **result) -> list[Program]:
    return [
        Program(
            "産業の振興",
            "3*",
            [Measure("起業の支援", "起業を支援します。", rows=rows, rating="3*", reference_rating="2",
                     outcomes=result.get("outcomes", ["説明会を3回開催しました。"]),
                     changes=result.get("changes", []), revised_targets=result.get("revised_targets", []))],
        )
    ]


def test_target_cell_merged_over_three_year_columns_covers_each_year(tmp_path):
    programs = one_measure([SubRow(["相談窓口の運営"], [Target(0, ["セミナーの開催", "相談会の実施"], span=3), Target(3, "事業推進")])])
    build_table_pdf(tmp_path / "merged.pdf", plan_grid(HEISEI, programs))
    _, records, got = extract_programs(tmp_path / "merged.pdf")
    assert squash(got) == squash(plan_truth(HEISEI, programs))
    seminar = [t for t in records["targets"] if t["text"] == "セミナーの開催"]
    assert [t["fiscal_year"] for t in seminar] == [2008, 2009, 2010]
    assert {(t["first_year"], t["last_year"]) for t in seminar} == {(2008, 2010)}
    assert [t["and_after"] for t in records["targets"] if t["text"] == "事業推進"] == [True]


def test_result_row_on_the_next_page_stays_with_its_measure(tmp_path):
    programs = [
        Program("産業の振興", "3", [
            Measure("起業の支援", "起業を支援します。", rows=[SubRow(["窓口の運営"], [Target(0, ["セミナーの開催"], span=4)])],
                    outcomes=["セミナーを開催しました。"]),
            Measure("販路の開拓", "販路開拓を支援します。", rows=[SubRow(["展示会"], [Target(0, ["出展支援"], span=4)])],
                    outcomes=["出展を支援しました。"]),
        ])
    ]
    grid = plan_grid(HEISEI, programs)
    # rows: 2 header, program, measure, result, measure, result -> break before the first result
    drawing = build_table_pdf(tmp_path / "break.pdf", grid, break_before=(4,))
    assert len(drawing.pages) == 2
    _, records, got = extract_programs(tmp_path / "break.pdf")
    assert squash(got) == squash(plan_truth(HEISEI, programs))
    first = records["measures"][0]
    assert (first["page_start"], first["page_end"]) == (1, 2)
    assert [r["page"] for r in records["results"] if r["measure_no"] == 1] == [2]


def test_five_reiwa_year_columns_become_fiscal_years(tmp_path):
    programs = one_measure(
        [SubRow(["計画の策定"], [Target(0, ["調査"]), Target(1, ["計画策定"], span=2), Target(3, ["実施"]), Target(4, "事業推進")])]
    )
    build_table_pdf(tmp_path / "reiwa.pdf", plan_grid(REIWA, programs, period="第1期実施計画"), font="HeiseiKakuGo-W5")
    doc, records, got = extract_programs(tmp_path / "reiwa.pdf")
    assert [(c.fiscal_year, c.and_after) for c in doc.plan.columns if c.role == "target"] == [
        (2019, False), (2020, False), (2021, False), (2022, False), (2023, True)
    ]
    assert squash(got) == squash(plan_truth(REIWA, programs))
    assert {t["fiscal_year_label"] for t in records["targets"] if t["text"] == "調査"} == {"2019(令和元)年度"}
    assert records["measures"][0]["period"] == "第1期実施計画"


def test_letter_spaced_header_and_rectangle_borders_are_recognised(tmp_path):
    programs = one_measure(
        [
            SubRow(["融資制度の見直し"], [Target(0, ["制度の充実"]), Target(1, ["活性化"], span=2), Target(3, "事業推進", all_rows=True)],
                   label="融資"),
            SubRow(["セミナーの開催"], [Target(0, ["セミナー"], span=3)], label="振興"),
        ],
        changes=["需要が高まっています。"],
        revised_targets=["窓口を拡充します。"],
    )
    build_table_pdf(tmp_path / "spaced.pdf", plan_grid(HEISEI, programs), letter_spaced_header=True, line_style="rects")
    _, records, got = extract_programs(tmp_path / "spaced.pdf")
    assert squash(got) == squash(plan_truth(HEISEI, programs))
    merged = [t for t in records["targets"] if t["text"] == "事業推進"]
    assert [(t["all_rows"], t["row_no"], t["row_label"]) for t in merged] == [(True, 0, None)]
    assert [r["row_label"] for r in records["current_items"]] == ["融資", "振興"]


def test_measure_rows_split_over_a_page_break_keep_their_sub_rows(tmp_path):
    programs = one_measure(
        [
            SubRow(["制度の見直し"], [Target(0, ["制度の充実"], span=3), Target(3, "事業推進", all_rows=True)], label="融資"),
            SubRow(["セミナー"], [Target(0, ["セミナーの開催"], span=3)], label="振興"),
        ]
    )
    # rows: 2 header, program, sub-row 1, sub-row 2, result -> break between the sub-rows
    build_table_pdf(tmp_path / "subrows.pdf", plan_grid(HEISEI, programs), break_before=(4,))
    _, records, got = extract_programs(tmp_path / "subrows.pdf")
    assert squash(got) == squash(plan_truth(HEISEI, programs))
    assert [(r["row_no"], r["page"]) for r in records["current_items"]] == [(1, 1), (2, 2)]


@pytest.mark.parametrize("line_style", ["lines", "rects"])
def test_ratings_and_blocks_of_the_result_row(tmp_path, line_style):
    programs = one_measure(
        [SubRow(["現況"], [Target(0, ["目標"], span=4)])],
        outcomes=["成果A", "成果B"],
        changes=["変化"],
        revised_targets=["新目標1", "新目標2"],
    )
    build_table_pdf(tmp_path / "r.pdf", plan_grid(HEISEI, programs), line_style=line_style)
    _, records, _ = extract_programs(tmp_path / "r.pdf")
    measure = records["measures"][0]
    assert (measure["rating"], measure["rating_revised"], measure["rating_raw"], measure["reference_rating"]) == (3, True, "3*", 2)
    assert [(r["block"], r["item_no"], r["text"]) for r in records["results"]] == [
        ("outcomes", 1, "成果A"), ("outcomes", 2, "成果B"), ("changes", 1, "変化"),
        ("revised_targets", 1, "新目標1"), ("revised_targets", 2, "新目標2"),
    ]
    program = records["programs"][0]
    assert (program["program"], program["rating"], program["rating_revised"]) == ("産業の振興", 3, True)


def test_header_printed_on_the_first_page_only_still_gives_every_page(tmp_path):
    programs = [
        Program("産業の振興", "3", [
            Measure(f"施策{n}の推進", "推進します。", rows=[SubRow([f"現況{n}"], [Target(0, [f"目標{n}"], span=4)])],
                    outcomes=[f"成果{n}を得ました。"])
            for n in range(1, 5)
        ])
    ]
    drawing = build_table_pdf(tmp_path / "once.pdf", plan_grid(HEISEI, programs), rows_per_page=3, repeat_header=False)
    assert len(drawing.pages) >= 3
    _, records, got = extract_programs(tmp_path / "once.pdf")
    assert squash(got) == squash(plan_truth(HEISEI, programs))
    assert sorted({c["page"] for c in records["cells"]}) == [p.index + 1 for p in drawing.pages]


def test_a_year_column_covering_several_years_gives_a_row_per_year(tmp_path):
    labels = ["2014(平成26)～2016(平成28)年度", "2017(平成29)年度", "2018(平成30)年度以降"]
    programs = one_measure([SubRow(["現況"], [Target(0, ["基盤整備"]), Target(1, ["本格実施"], span=2)])])
    build_table_pdf(tmp_path / "range.pdf", plan_grid(labels, programs))
    doc, records, _ = extract_programs(tmp_path / "range.pdf")
    assert [c.years for c in doc.plan.columns if c.role == "target"] == [(2014, 2015, 2016), (2017,), (2018,)]
    rows = [(t["text"], t["fiscal_year"], t["first_year"], t["last_year"], t["and_after"]) for t in records["targets"]]
    assert rows == [
        ("基盤整備", 2014, 2014, 2016, False),
        ("基盤整備", 2015, 2014, 2016, False),
        ("基盤整備", 2016, 2014, 2016, False),
        ("本格実施", 2017, 2017, 2018, False),
        ("本格実施", 2018, 2017, 2018, True),
    ]
    # The label as printed: the writer's wave dash (〜 or ～) is kept.
    (label,) = {t["fiscal_year_label"] for t in records["targets"] if t["text"] == "基盤整備"}
    assert label[:10] == "2014(平成26)" and label[11:] == "2016(平成28)年度" and label[10] in "〜～~"
