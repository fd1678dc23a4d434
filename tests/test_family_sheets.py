"""The sheet core on the shared family of evaluation sheets (../shared/family), scored against its hand-read truth.

Skipped where the folder is absent (CI).  The scorer is the family's own
score.py, run on the four tables bench/sheets_dev.py writes.  On main with
the final reader and grid (dashed rules, two-cell boxes, vertical labels read
in their own cells) the eight sheets score titles 1.0, values 1.0, fields
0.98, choices 1.0.  The fields missed are labels printed outside every
table beside a lone ruled box of one cell (Kyoto's No. over its number box,
所管局 beside its box; Ikeda's ※備考 over its box): the grid makes no table
of one cell, so those lines reach the sheet core as free text.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FAMILY = ROOT.parent / "shared" / "family"
TRUTH = sorted((FAMILY / "truth").glob("*.truth.json")) if FAMILY.is_dir() else []

pytestmark = pytest.mark.skipif(not TRUTH, reason="the shared family folder (../shared/family) is not on this machine")


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    dev = _load("sheets_dev", ROOT / "bench" / "sheets_dev.py")
    score = _load("family_score", FAMILY / "score.py")
    out = tmp_path_factory.mktemp("sheets")
    pdfs = [FAMILY / (t.name[: -len(".truth.json")] + ".pdf") for t in TRUTH]
    assert dev.main([str(p) for p in pdfs] + ["--out", str(out)]) == 0
    per = {}
    total: dict[str, list[int]] = {}
    for t in TRUTH:
        doc = t.name[: -len(".truth.json")]
        per[doc] = score.score_doc(json.loads(t.read_text(encoding="utf-8")), out, doc)
        for k, v in per[doc].items():
            acc = total.setdefault(k, [0, 0, 0])
            acc[0] += v["hit"]
            acc[1] += v["truth"]
            acc[2] += v["got"]
    return per, {k: score.f1(*v)["f1"] for k, v in total.items()}, score, out


def test_every_sheet_is_found_and_titled(scores):
    _, overall, _, _ = scores
    assert overall["titles"] == 1.0


def test_sheets_whose_tables_the_grid_reads_are_read_in_full(scores):
    per, _, _, _ = scores
    for doc, r in per.items():
        assert r["values"]["f1"] == 1.0, doc
        assert r["choices"]["f1"] == 1.0, doc
        # Kyoto's No. and 所管局 stand beside lone one-cell boxes (see the module's note): 6 of 8.
        assert r["fields"]["f1"] >= 0.85, doc


def test_overall_figures(scores):
    _, overall, _, _ = scores
    assert overall["values"] == 1.0
    assert overall["choices"] == 1.0
    assert overall["fields"] >= 0.975  # 122 of 127: 0.980


def test_every_value_found_has_the_unit_and_labels_printed(scores):
    # score.py matches values by item, year, kind and number; the unit (a 単位 cell,
    # an item's （千円）, a caption over the table or in its own heading row) and the
    # labels the year and kind were read from are checked here against the same truth.
    _, _, score, out = scores
    got = score.load(out, "sheet_values")
    checked = 0
    for t in TRUTH:
        doc = t.name[: -len(".truth.json")]
        rows = [r for _, r in got[got["doc_id"] == doc].iterrows()]
        used: set[int] = set()
        for sheet in json.loads(t.read_text(encoding="utf-8"))["sheets"]:
            for v in sheet["values"]:
                want = (int(v["fiscal_year"]), v["kind"], score.vkey(v.get("value"), v.get("text")))
                for i, r in enumerate(rows):
                    if i in used or not score.contains(score.norm(v["item"]), score.norm(r["item"])):
                        continue
                    if (int(float(r["fiscal_year"])), r["kind"], score.vkey(r["value"], r["text"])) == want:
                        used.add(i)
                        assert score.norm(r["unit"]) == score.norm(v["unit"]), (doc, v)
                        assert score.norm(r["label"]) == score.norm(v["label"]), (doc, v)
                        checked += 1
                        break
    assert checked == sum(len(s["values"]) for t in TRUTH for s in json.loads(t.read_text(encoding="utf-8"))["sheets"])
