"""Helpers shared by test modules (test modules never import each other)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from conftest import FIXTURES, squash

from pipeline.models import PageView
from pipeline.options import Options
from pipeline.orchestration.extract import extract_document
from pipeline.publishing.records import document_to_records
from pipeline.reading.document import DocumentReader


def page_views(path: Path, reader: str = "auto", pages=None) -> list[PageView]:
    """Every page (or ``pages``, 1-based) of a PDF as sesaku reads it."""
    with DocumentReader(Path(path), Options()) as doc:
        numbers = pages or range(1, doc.page_count + 1)
        return [doc.read_page(n, reader=reader) for n in numbers]


def _rating(value, revised):
    return None if value is None else f"{value}{'*' if revised else ''}"


def records_to_truth_programs(records: dict) -> list[dict]:
    """Rebuild the truth's nested shape from the flat output tables."""
    current = defaultdict(list)
    for r in records["current_items"]:
        current[(r["measure_no"], r["row_no"])].append(r["text"])
    labels = {}
    for r in records["current_items"]:
        labels[(r["measure_no"], r["row_no"])] = r["row_label"]
    targets = defaultdict(dict)  # (measure, row) -> first_year -> cell
    for r in records["targets"]:
        row_no = r["row_no"]
        if r["all_rows"]:
            row_no = 1  # the truth keeps merged-down cells on the first row
        cell = targets[(r["measure_no"], row_no)].setdefault(
            (r["first_year"], r["last_year"]), {"years": [], "items": [], "all_rows": r["all_rows"]}
        )
        if r["fiscal_year"] not in cell["years"]:
            cell["years"].append(r["fiscal_year"])
        if r["fiscal_year"] == r["first_year"]:
            cell["items"].append(r["text"])
        if r["row_label"] is not None:
            labels[(r["measure_no"], r["row_no"])] = r["row_label"]
    results = defaultdict(lambda: {"outcomes": [], "changes": [], "revised_targets": []})
    for r in records["results"]:
        results[r["measure_no"]][r["block"]].append(r["text"])
    programs = []
    for p in records["programs"]:
        measures = []
        for m in (m for m in records["measures"] if m["program_no"] == p["program_no"]):
            rows = []
            for row_no in range(1, m["rows"] + 1):
                cells = []
                for _years, cell in sorted(targets[(m["measure_no"], row_no)].items()):
                    entry = {"years": cell["years"], "items": cell["items"]}
                    if cell["all_rows"]:
                        entry["all_rows"] = True
                    cells.append(entry)
                rows.append(
                    {
                        "label": labels.get((m["measure_no"], row_no)),
                        "current": current[(m["measure_no"], row_no)],
                        "targets": cells,
                    }
                )
            measures.append(
                {
                    "name": m["measure"],
                    "description": m["description"],
                    "rows": rows,
                    "result": {
                        "rating": _rating(m["rating"], m["rating_revised"]),
                        "reference_rating": None if m["reference_rating"] is None else str(m["reference_rating"]),
                        **results[m["measure_no"]],
                    },
                }
            )
        programs.append({"name": p["program"], "rating": _rating(p["rating"], p["rating_revised"]), "measures": measures})
    return programs


_RUNS: dict = {}


def run_engine(name: str, engine: str):
    """(Document, records) of a fixture read by ``engine``, once per session."""
    key = (name, engine)
    if key not in _RUNS:
        doc = extract_document(FIXTURES / name, engine=engine)
        _RUNS[key] = (doc, document_to_records(doc))
    return _RUNS[key]


def assert_equals_truth(records: dict, truth: dict, label: str) -> None:
    got = squash(records_to_truth_programs(records))
    want = squash(truth["programs"])
    assert [p["name"] for p in got] == [p["name"] for p in want], label
    for gp, wp in zip(got, want):
        assert gp["rating"] == wp["rating"], f"{label}: {gp['name']}"
        assert [m["name"] for m in gp["measures"]] == [m["name"] for m in wp["measures"]], label
        for gm, wm in zip(gp["measures"], wp["measures"]):
            for key in ("description", "rows", "result"):
                assert gm[key] == wm[key], f"{label}: {wm['name']} {key}"


