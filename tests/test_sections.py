"""A report holding several plan sections: prose, tables, prose, tables."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, squash
from helpers import records_to_truth_programs
from pypdf import PdfReader, PdfWriter

from pipeline.orchestration.extract import extract_document
from pipeline.publishing.records import document_to_records


@pytest.fixture(scope="module")
def two_sections(tmp_path_factory):
    """The word-processor rendering followed by the spreadsheet one, as one report."""
    writer = PdfWriter()
    for name in ("plan6.pdf", "plan6-excel.pdf"):
        for page in PdfReader(str(FIXTURES / name)).pages:
            writer.add_page(page)
    path = tmp_path_factory.mktemp("sections") / "report.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    doc = extract_document(path)
    return doc, document_to_records(doc)


def test_each_section_is_read_whole(two_sections, truth):
    _, records = two_sections
    programs = records_to_truth_programs(records)
    assert len(programs) == 8
    assert squash(programs[:4]) == squash(truth["programs"])
    assert squash(programs[4:]) == squash(truth["programs"])


def test_programs_and_measures_are_numbered_through_the_document(two_sections):
    _, records = two_sections
    assert [p["program_no"] for p in records["programs"]] == list(range(1, 9))
    assert [m["measure_no"] for m in records["measures"]] == list(range(1, 37))
    assert {(p["plan_no"], p["plan_name"]) for p in records["programs"]} == {(6, "川崎の活力を生み出す産業イノベーション")}
    second = [m for m in records["measures"] if m["program_no"] >= 5]
    assert min(m["page_start"] for m in second) == 16  # page 5 of the second rendering


def test_each_sections_prose_is_read_and_matched_to_its_programs(two_sections, truth):
    doc, records = two_sections
    assert len(records["narrative"]) == 2 * 49
    later = [r for r in records["narrative"] if r["program_no"] == 5]
    assert later and later[0]["program"] == truth["narrative"][0]["program"] and later[0]["page"] == 12
    assert not [w for w in doc.warnings if "differs from the prose rating" in w or "no heading" in w]
    assert any("2 plan sections" in w for w in doc.warnings)
