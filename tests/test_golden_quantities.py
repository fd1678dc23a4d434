"""Golden tests for the Japanese layer on the extracted outputs of all three renderings."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, PDFS, extracted, squash

SOURCE_TO_WHERE = {"current_items": "current", "targets": "targets", "results": "outcomes"}


def quantities_as_truth(records) -> list[tuple]:
    names = {m["measure_no"]: m["measure"] for m in records["measures"]}
    out = []
    for q in records["quantities"]:
        if q["source"] == "narrative":
            where = f"narrative/{q['program_no']}"
        else:
            where = f"measure/{names[q['measure_no']]}/{SOURCE_TO_WHERE.get(q['source'], q['source'])}"
        out.append((where, q["text"], q["value"], q["unit"], q["approx"]))
    return out


@pytest.mark.parametrize("pdf", PDFS)
def test_quantities_equal_the_fixture_list(pdf):
    _, records = extracted(pdf)
    want = [
        (q["where"], q["text"], q["value"], q["unit"], q["approx"])
        for q in json.loads((FIXTURES / "plan6.quantities.json").read_text(encoding="utf-8"))
    ]
    assert quantities_as_truth(records) == want


def test_headline_quantities_are_typed():
    _, records = extracted("plan6.pdf")
    by_text = {(q["source"], q["text"]): q for q in records["quantities"]}
    assert by_text[("narrative", "242機関")]["value"] == 242 and by_text[("narrative", "242機関")]["unit"] == "機関"
    minus = by_text[("narrative", "△10.7%")]
    assert (minus["value"], minus["unit"], minus["approx"]) == (-10.7, "%", False)
    approx = by_text[("narrative", "約10,000人")]
    assert (approx["value"], approx["unit"], approx["approx"]) == (10000, "人", True)


@pytest.mark.parametrize("pdf", PDFS)
def test_narrative_equals_truth(pdf, truth):
    _, records = extracted(pdf)
    got = []
    for program in truth["narrative"]:
        rows = [r for r in records["narrative"] if r["program_no"] == program["no"]]
        results = []
        for heading in dict.fromkeys(r["heading"] for r in rows if r["section"] == "results"):
            results.append({"heading": heading, "bullets": [r["text"] for r in rows if r["section"] == "results" and r["heading"] == heading]})
        got.append({
            "no": program["no"],
            "program": rows[0]["program"],
            "results": results,
            "next_steps": [r["text"] for r in rows if r["section"] == "next_steps"],
        })
    want = [{k: p[k] for k in ("no", "program", "results", "next_steps")} for p in truth["narrative"]]
    assert squash(got) == squash(want)


@pytest.mark.parametrize("pdf", PDFS)
def test_programs_carry_the_prose_rating_and_agree_with_the_table(pdf, truth):
    doc, records = extracted(pdf)
    prose = {p["no"]: p["rating"] for p in truth["narrative"]}
    for row in records["programs"]:
        expected = prose[row["program_no"]]
        assert f"{row['narrative_rating']}{'*' if row['narrative_rating_revised'] else ''}" == expected
    assert not [w for w in doc.warnings if "differs from the prose rating" in w]


def test_a_prose_rating_that_differs_from_the_table_is_reported():
    from dataclasses import replace

    from pipeline.models import Rating
    from pipeline.understanding.document import rating_mismatches as _rating_mismatches

    doc, _ = extracted("plan6.pdf")
    first = doc.narrative.programs[0]
    narrative = replace(doc.narrative, programs=(replace(first, rating=Rating(2, False, "2")),) + doc.narrative.programs[1:])
    warnings = _rating_mismatches(doc.plan, narrative)
    assert warnings == [
        f"program 1 ({doc.plan.programs[0].name}): table rating 3* differs from the prose rating 2"
    ]
