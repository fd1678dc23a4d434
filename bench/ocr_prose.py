"""How well the OCR route reads pages without table borders: prose, titles, pages of plain text.

Not part of ``make test``.  Each document's pages are printed and scanned as tests/ocr_scans.py does
(clean; noisy copier: grain, blur, JPEG, a slight skew), written as image-only PDFs and read by
``sesaku text --ocr always`` in a child process; its lines are compared with the vector PDF's own
text (``sesaku text`` of the source, the typeset glyphs).  Documents (``SETS``):

  sample   tests/fixtures/plan6.pdf pages 1-4: the sample's prose pages (a 16 pt title over a rule,
           program headings on a grey band, block titles, bullets, wrapped sentences, page numbers)
  report   held back: generated prose pages (tests/ocr_scans.py ``heldout_prose``, seeds 201-206:
           other fonts, body sizes 9-12 pt, titles 14-28 pt, letter-spaced headings, two-column
           pages, underlined and boxed titles) - not looked at while the route was tuned
  tune     generated prose pages, seeds 1-6: what thresholds were checked on
  glyphids the glyph-id page of tests/test_cid_collections.py (two lines at 20 pt)

Per page, the texts are compared without white space and under NFKC (the model writes ２ for a
typeset 2; widths are normalised per field later, not here), by the edit distance's alignment:
  recognised  characters of the vector text read right, as a share of them
  invented    characters read that the page does not print (a ● or 一 made of specks), as a share
  lines       vector lines read exactly (white space, tabs included, and NFKC aside)
  tabs        tabs (cell gaps) read beyond those of the vector text: gaps invented inside a line

    .venv/bin/python bench/ocr_prose.py                         # sample + report, clean and noisy
    .venv/bin/python bench/ocr_prose.py --checkout /tmp/old     # another checkout's route, same scans
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
SETS = {
    "sample": ["plan6.pdf"],
    "report": [f"prose-{s}" for s in range(201, 207)],
    "tune": [f"prose-{s}" for s in range(1, 7)],
    "glyphids": ["glyph-ids"],
}
PAGES = {"plan6.pdf": [1, 2, 3, 4]}
GLYPH_ID_LINES = ["入札説明書", "令和5年度の工事について説明します。"]


def make_document(name: str, folder: Path) -> tuple[Path, list[int]]:
    """(vector PDF, pages to scan) of one document."""
    sys.path.insert(0, str(TESTS))
    if name.startswith("prose-"):
        from ocr_scans import heldout_prose

        pdf = folder / f"{name}.pdf"
        pages = heldout_prose(pdf, int(name[6:]))
        return pdf, list(range(1, len(pages) + 1))
    if name == "glyph-ids":
        from synth import make_glyph_id_text

        return make_glyph_id_text(folder / "glyph-ids.pdf", GLYPH_ID_LINES), [1]
    return FIXTURES / name, PAGES[name]


def _pages(text: str) -> list[list[str]]:
    return [page.split("\n") for page in text.split("\f")]


OLD_TEXT = """
import sys
from pathlib import Path
from pipeline.reading.document import DocumentReader
from pipeline.reading.text import page_text
notes = []
with DocumentReader(Path(sys.argv[1]), ocr_mode=sys.argv[2]) as doc:
    for number in range(1, doc.page_count + 1):
        view = doc.read_page(number, notes)
        sys.stdout.write("".join(line + "\\n" for line in page_text(view.chars)) + "\\f")
"""


def run_text(pdf: Path, checkout: Path, scratch: Path, ocr: str = "always") -> dict:
    """``sesaku text`` of ``pdf`` from ``checkout`` in a child: its pages, wall time and peak RSS."""
    out, err = scratch / f"{pdf.stem}.out", scratch / f"{pdf.stem}.err"
    env = dict(os.environ, PYTHONPATH=str(checkout))
    command = [sys.executable, "-m", "pipeline", "text", str(pdf), "--ocr", ocr]
    usage = subprocess.run([sys.executable, "-m", "pipeline", "text", "--help"], cwd=checkout, env=env,
                           capture_output=True, text=True).stdout
    if "--ocr" not in usage:
        # an older checkout (f75c893, the detection-model route) whose `text` has no --ocr: its reader
        # in the OCR mode asked for, its lines as its `text` printed them, no page time limit
        command = [sys.executable, "-c", OLD_TEXT, str(pdf), ocr]
    started = time.perf_counter()
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(command, cwd=checkout, env=env, stdout=fo, stderr=fe)
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{pdf}: " + err.read_text(errors="replace")[-1500:])
    return {"pages": _pages(out.read_text(encoding="utf-8")), "wall": time.perf_counter() - started,
            "rss_mb": usage.ru_maxrss / 1024, "notes": err.read_text(encoding="utf-8", errors="replace")}


def _load() -> str:
    try:
        return " ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "?"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="sample,report", help="comma-separated: " + ", ".join(SETS))
    parser.add_argument("--kinds", default="clean,noisy", help="scan kinds (tests/ocr_scans.py KINDS)")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the sesaku checkout whose route reads the scans")
    parser.add_argument("--label", default=None, help="the route's name in the report (default: the checkout)")
    parser.add_argument("--out", type=Path, default=None, help="write the report (markdown) here")
    parser.add_argument("--json", type=Path, default=None, help="write every figure as JSON here")
    parser.add_argument("--show", action="store_true", help="print each page's lines read beside the vector's")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(TESTS))
    from ocr_scans import prose_norm, scan_copy, score_prose_page

    began, load_start = time.strftime("%Y-%m-%d %H:%M %Z"), _load()
    figures: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="ocr-prose-") as tmp:
        tmp = Path(tmp)
        for set_name in args.sets.split(","):
            for name in SETS[set_name]:
                vector, pages = make_document(name, tmp)
                # the vector text, read by this checkout (the glyph-id page has none: its lines are known)
                if name == "glyph-ids":
                    truth = [GLYPH_ID_LINES]
                else:
                    whole = run_text(vector, ROOT, tmp, ocr="never")["pages"]
                    truth = [whole[p - 1] for p in pages]
                for kind in args.kinds.split(","):
                    scan = tmp / f"{Path(name).stem}-{kind}.pdf"
                    # the same noise whatever else is run
                    scan_copy(vector, scan, dpi=args.dpi, kind=kind, pages=pages, seed=zlib.crc32(scan.name.encode()))
                    got = run_text(scan, args.checkout, tmp)
                    for number, (want, read) in enumerate(zip(truth, got["pages"]), 1):
                        s = score_prose_page(want, read)
                        figures.append({"set": set_name, "doc": name, "kind": kind, "page": pages[number - 1], **s})
                        if args.show:
                            print(f"--- {name} {kind} p{pages[number - 1]}", file=sys.stderr)
                            for line in read:
                                print(("   " if prose_norm(line) in {prose_norm(t) for t in want} else " ✗ ") + line,
                                      file=sys.stderr)
                    n = len(pages)
                    mine = figures[-n:]
                    figures[-1]["seconds_doc"] = got["wall"]
                    figures[-1]["rss_mb"] = got["rss_mb"]
                    print(f"{set_name} {name} {kind}: recognised {_share(mine, 'match'):.4f} "
                          f"invented {_share(mine, 'ins'):.4f} lines {_lines(mine):.3f} tabs "
                          f"{sum(f['tabs'] for f in mine)} {got['wall'] / n:.1f} s/page {got['rss_mb']:.0f} MB",
                          file=sys.stderr, flush=True)
    text = report(figures, began, load_start, args)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    print(text)
    return 0


def _share(fs: list[dict], key: str) -> float:
    return sum(f[key] for f in fs) / max(1, sum(f["chars"] for f in fs))


def _lines(fs: list[dict]) -> float:
    return sum(f["lines_exact"] for f in fs) / max(1, sum(f["lines"] for f in fs))


def report(figures: list[dict], began: str, load_start: str, args) -> str:
    label = args.label or str(args.checkout)
    lines = [
        f"Route: {label}. `bench/ocr_prose.py --sets {args.sets} --kinds {args.kinds} --dpi {args.dpi}` on {began}, "
        f"{os.cpu_count()} cores, load average {load_start} at start and {_load()} at the end.", "",
        "| set | document | scan | pages | chars | recognised | invented | lines exact | tabs | s/page | MB |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    groups: dict[tuple, list[dict]] = {}
    for f in figures:
        groups.setdefault((f["set"], f["doc"], f["kind"]), []).append(f)
    for (set_name, doc, kind), fs in groups.items():
        seconds = sum(f.get("seconds_doc", 0.0) for f in fs)
        rss = max(f.get("rss_mb", 0.0) for f in fs)
        lines.append(f"| {set_name} | {doc} | {kind} | {len(fs)} | {sum(f['chars'] for f in fs)} | "
                     f"{_share(fs, 'match'):.4f} | {_share(fs, 'ins'):.4f} | {_lines(fs):.3f} | "
                     f"{sum(f['tabs'] for f in fs)} | {seconds / len(fs):.1f} | {rss:.0f} |")
    sets: dict[tuple, list[dict]] = {}
    for f in figures:
        sets.setdefault((f["set"], f["kind"]), []).append(f)
    lines += ["", "| set | scan | pages | chars | recognised | invented | lines exact | tabs |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for (set_name, kind), fs in sets.items():
        lines.append(f"| {set_name} | {kind} | {len(fs)} | {sum(f['chars'] for f in fs)} | {_share(fs, 'match'):.4f} | "
                     f"{_share(fs, 'ins'):.4f} | {_lines(fs):.3f} | {sum(f['tabs'] for f in fs)} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
