"""How well the OCR route reads scans it was never tuned on: F1 per table, seconds and MB per page.

Not part of ``make test``.  Documents (``SETS``):

  report   held back: generated 施策計画 reports (tests/ocr_scans.py ``heldout_plan``, seeds 101-106:
           other words, ratings, page sizes A4/B4/A3, fonts, sizes, column widths) and the
           spreadsheet-made fixture plan6-excel.pdf (the sample's content, another producer's layout)
  tune     generated reports, seeds 1-10: what the route's thresholds were set on
  sample   the sample, tests/fixtures/plan6.pdf, for comparison with the figures it was built on

Each document's table pages are rendered as a scanner would (``tests/ocr_scans.py``: clean, noisy
copier, dark copier edge, 1-bit fax, faint borders; at 150/200/300 dpi), written as image-only PDFs,
and extracted with ``--ocr always`` in a child process (its wall time and peak RSS are the route's).
The result is compared with the source: the grid the PDF was drawn from (``plan_truth``) or the
fixture's truth file.

Per table, F1 of the rows (precision: rows read that are right; recall: printed rows read right):
  programs       (name, rating)
  measures       (name, rating, reference rating)
  current_items  (measure, sub-row, item text)
  targets        (measure, sub-row, years, item text)
  results        (measure, block, item text)
An item belongs to the measure it was read under: read measures are paired with printed ones in
order by name, so one misread glyph of a measure name costs that measure's row in ``measures``,
not its items; items read under the wrong measure (a row outside any measure) count as wrong.
``chars`` is the character accuracy of all item texts (matching / printed characters).

    .venv/bin/python bench/ocr_accuracy.py                       # report + sample, clean and noisy 200 dpi
    .venv/bin/python bench/ocr_accuracy.py --sets report --kinds clean,noisy,edge,fax,faint --dpis 150,200,300
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
TABLES = ("programs", "measures", "current_items", "targets", "results")
SETS = {
    "report": [f"gen-{s}" for s in range(101, 107)] + ["plan6-excel.pdf"],
    "tune": [f"gen-{s}" for s in range(1, 11)],
    "sample": ["plan6.pdf"],
}
TABLE_PAGES = {"plan6.pdf": range(5, 12), "plan6-excel.pdf": range(5, 12)}


# ---------------------------------------------------------------- documents


def make_document(name: str, folder: Path) -> tuple[Path, list[dict], list[int]]:
    """(vector PDF, printed programs in the truth's shape, table pages) of one document."""
    if name.startswith("gen-"):
        sys.path.insert(0, str(TESTS))
        from ocr_scans import heldout_plan
        from synth import build_table_pdf, plan_grid, plan_truth

        labels, programs, drawing = heldout_plan(int(name[4:]))
        pdf = folder / f"{name}.pdf"
        drawn = build_table_pdf(pdf, plan_grid(labels, programs), **drawing)
        return pdf, plan_truth(labels, programs), [p.index + 1 for p in drawn.pages]
    truth = json.loads((FIXTURES / "plan6.truth.json").read_text(encoding="utf-8"))
    return FIXTURES / name, truth["programs"], list(TABLE_PAGES[name])


# ---------------------------------------------------------------- scoring


def _squash(text) -> str:
    return "".join(str(text).split()) if text is not None else ""


def _rating(text) -> str:
    """A rating as its value and revision mark: ``４＊`` and ``4*`` are one rating."""
    return unicodedata.normalize("NFKC", _squash(text))


def _items(items) -> list[str]:
    return [_squash(x) for x in items if _squash(x)]


def flatten(programs: list[dict]) -> tuple[list[str], dict[str, list[tuple]]]:
    """Measure names in order, and per table its rows; item rows carry the measure's index."""
    names: list[str] = []
    rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
    for p in programs:
        rows["programs"].append((_squash(p["name"]), _rating(p["rating"])))
        for m in p["measures"]:
            i = len(names)
            names.append(_squash(m["name"]))
            result = m["result"]
            rows["measures"].append((i, names[-1], _rating(result["rating"]), _rating(result["reference_rating"])))
            for row_no, row in enumerate(m["rows"], 1):
                for item in _items(row["current"] if isinstance(row["current"], list) else [row["current"]]):
                    rows["current_items"].append((i, row_no, item))
                for cell in row["targets"]:
                    items = cell["items"] if isinstance(cell["items"], list) else [cell["items"]]
                    for item in _items(items):
                        rows["targets"].append((i, row_no, tuple(cell["years"]), item))
            for block in ("outcomes", "changes", "revised_targets"):
                for item in _items(result.get(block) or []):
                    rows["results"].append((i, block, item))
    return names, rows


def pair_measures(printed: list[str], read: list[str]) -> dict[int, int]:
    """Read measure index -> printed measure index, aligned in order by name similarity."""
    n, m = len(printed), len(read)
    sim = [[difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() for b in read] for a in printed]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = best[i + 1][j + 1] + (sim[i][j] if sim[i][j] >= 0.5 else -1.0)
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = {}, 0, 0
    while i < n and j < m:
        if sim[i][j] >= 0.5 and best[i][j] == best[i + 1][j + 1] + sim[i][j]:
            pairs[j] = i
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def score(printed_programs: list[dict], read_programs: list[dict]) -> dict:
    printed_names, printed = flatten(printed_programs)
    read_names, read = flatten(read_programs)
    pairs = pair_measures(printed_names, read_names)
    out = {}
    for table in TABLES:
        want = Counter(printed[table])
        if table == "programs":
            got = Counter(read[table])
        else:  # the read measure's index becomes its printed partner's (or -1: no partner)
            got = Counter((pairs.get(r[0], -1 - r[0]),) + r[1:] for r in read[table])
        hit = sum((want & got).values())
        p = hit / max(sum(got.values()), 1)
        r = hit / max(sum(want.values()), 1)
        out[table] = {"printed": sum(want.values()), "read": sum(got.values()), "right": hit,
                      "f1": 0.0 if not hit else 2 * p * r / (p + r),
                      # what went wrong, for a reader of the JSON: printed rows not read, rows read wrongly
                      "missed": [list(map(str, r)) for r in (want - got).elements()][:40],
                      "wrong": [list(map(str, r)) for r in (got - want).elements()][:40]}
    good = total = 0
    for table in ("current_items", "targets", "results"):
        a = "".join(r[-1] for r in printed[table])
        b = "".join(r[-1] for r in read[table])
        good += sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
        total += len(a)
    out["chars"] = good / max(total, 1)
    return out


# ---------------------------------------------------------------- extracting


def _child(pdf: str, out: str) -> None:
    """Extract ``pdf`` with --ocr always; write its programs (truth shape), counts and warnings."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(TESTS))
    from helpers import records_to_truth_programs
    from pipeline.orchestration.extract import extract_document
    from pipeline.publishing.records import document_to_records

    from pipeline.errors import SesakuError

    from pipeline.options import Limits

    started = time.perf_counter()
    try:
        # A shared machine's load must not fail a page: the time limit is lifted (the
        # default 60 s a page failed the unchanged route's pages under load 8).
        doc = extract_document(pdf, ocr="always", limits=Limits(seconds_per_page=1800.0))
    except SesakuError as exc:  # a document not read at all scores nothing
        Path(out).write_text(json.dumps({"seconds": time.perf_counter() - started, "programs": [],
                                         "leftover_chars": 0, "warnings": [f"failed: {exc}"]}), encoding="utf-8")
        return
    seconds = time.perf_counter() - started
    records = document_to_records(doc)
    Path(out).write_text(json.dumps({
        "seconds": seconds, "programs": records_to_truth_programs(records),
        "leftover_chars": sum(len(_squash(r.get("text"))) for r in records.get("leftovers", [])),
        "warnings": list(doc.warnings),
    }, ensure_ascii=False), encoding="utf-8")


def extract(pdf: Path, scratch: Path) -> dict:
    """The child's result plus its wall time and peak RSS (``os.wait4``: exactly that process)."""
    result = scratch / f"{pdf.stem}.json"
    log = scratch / f"{pdf.stem}.log"
    started = time.perf_counter()
    with open(log, "wb") as fh:
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "_child", str(pdf), str(result)],
                                cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not result.exists():
        raise SystemExit(f"{pdf}: " + log.read_text(errors="replace")[-1500:])
    data = json.loads(result.read_text(encoding="utf-8"))
    data.update(wall=time.perf_counter() - started, rss_mb=usage.ru_maxrss / 1024)
    return data


def _load() -> str:
    try:
        return " ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "?"


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="report,sample", help="comma-separated: " + ", ".join(SETS))
    parser.add_argument("--kinds", default="clean,noisy", help="scan kinds (tests/ocr_scans.py KINDS)")
    parser.add_argument("--dpis", default="200")
    parser.add_argument("--docs", default=None, help="only these documents (names as in SETS), comma-separated")
    parser.add_argument("--out", type=Path, default=HERE / "OCR_ACCURACY.md")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure as JSON here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(TESTS))
    from ocr_scans import scan_copy

    sets = args.sets.split(",")
    kinds = args.kinds.split(",")
    dpis = [int(d) for d in args.dpis.split(",")]
    began, load_start = time.strftime("%Y-%m-%d %H:%M %Z"), _load()
    figures: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="ocr-accuracy-") as tmp:
        tmp = Path(tmp)
        for set_name in sets:
            for name in SETS[set_name]:
                if args.docs and name not in args.docs.split(","):
                    continue
                vector, printed, pages = make_document(name, tmp)
                for kind in kinds:
                    for dpi in dpis:
                        scan = tmp / f"{Path(name).stem}-{kind}-{dpi}.pdf"
                        scan_copy(vector, scan, dpi=dpi, kind=kind, pages=pages, seed=len(figures))
                        got = extract(scan, tmp)
                        s = score(printed, got["programs"])
                        figures.append({"set": set_name, "doc": name, "kind": kind, "dpi": dpi, "pages": len(pages),
                                        "score": s, "seconds": got["seconds"], "wall": got["wall"],
                                        "rss_mb": got["rss_mb"], "leftover_chars": got["leftover_chars"],
                                        "warnings": got["warnings"]})
                        print(f"{set_name} {name} {kind} {dpi}: " + " ".join(
                            f"{t} {s[t]['f1']:.3f}" for t in TABLES) + f" chars {s['chars']:.4f} "
                            f"{got['seconds'] / len(pages):.1f} s/page {got['rss_mb']:.0f} MB", file=sys.stderr, flush=True)
    text = report(figures, began, load_start, args)
    args.out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    print(text)
    return 0


def report(figures: list[dict], began: str, load_start: str, args) -> str:
    lines = [
        "# OCR route accuracy on scans it was not tuned on", "",
        f"Produced by `bench/ocr_accuracy.py --sets {args.sets} --kinds {args.kinds} --dpis {args.dpis}` on {began}, "
        f"{os.cpu_count()} cores, load average {load_start} at start and {_load()} at the end (a shared machine: "
        "seconds carry that load). Held-back documents (`report`) were not looked at while tuning; `tune` were; "
        "`sample` is tests/fixtures/plan6.pdf. F1 per table of the rows read against the rows printed (see the "
        "script's docstring); `chars` character accuracy of the item texts; seconds of the extraction and peak RSS "
        "of its process, per page of the scan.", "",
        "## Per set (pooled: rows of every document of the set counted together)", "",
        "| set | scan | dpi | pages | " + " | ".join(TABLES) + " | chars | s/page | MB |",
        "|---|---|---:|---:|" + "---:|" * len(TABLES) + "---:|---:|---:|",
    ]
    groups: dict[tuple, list[dict]] = {}
    for f in figures:
        groups.setdefault((f["set"], f["kind"], f["dpi"]), []).append(f)
    for (set_name, kind, dpi), fs in groups.items():
        cells = []
        for t in TABLES:
            right = sum(f["score"][t]["right"] for f in fs)
            printed = sum(f["score"][t]["printed"] for f in fs)
            read = sum(f["score"][t]["read"] for f in fs)
            p, r = right / max(read, 1), right / max(printed, 1)
            cells.append(f"{(2 * p * r / (p + r)) if right else 0.0:.3f}")
        pages = sum(f["pages"] for f in fs)
        lines.append(f"| {set_name} | {kind} | {dpi} | {pages} | " + " | ".join(cells) +
                     f" | {_mean(f['score']['chars'] for f in fs):.4f} | "
                     f"{sum(f['seconds'] for f in fs) / pages:.1f} | {max(f['rss_mb'] for f in fs):.0f} |")
    lines += ["", "## Per document", "",
              "| set | document | scan | dpi | pages | " + " | ".join(TABLES) + " | chars | leftover chars | s/page | MB |",
              "|---|---|---|---:|---:|" + "---:|" * len(TABLES) + "---:|---:|---:|---:|"]
    for f in figures:
        lines.append(f"| {f['set']} | {f['doc']} | {f['kind']} | {f['dpi']} | {f['pages']} | " +
                     " | ".join(f"{f['score'][t]['f1']:.3f}" for t in TABLES) +
                     f" | {f['score']['chars']:.4f} | {f['leftover_chars']} | {f['seconds'] / f['pages']:.1f} | "
                     f"{f['rss_mb']:.0f} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _child(sys.argv[2], sys.argv[3])
        sys.exit(0)
    sys.exit(main())
