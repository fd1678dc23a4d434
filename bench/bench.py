"""sesaku against camelot, pdfplumber and the character-parse floor, on the same pages.

    .venv/bin/python bench/bench.py            # full run (~15 min), writes bench/RESULTS.md
    .venv/bin/python bench/bench.py --quick    # one run, a ~110-page document (~3 min)

Rows (each measurement is a fresh child process of this script):

  sesaku      the whole pipeline incl. emit: ``pipeline.orchestration.cli.main(["extract", PDF,
              "--out", TMP, "--force", "--workers", "1"])``
  camelot     ``camelot.read_pdf(PDF, flavor="lattice", pages="all")`` (Ghostscript
              backend when ``gs`` is installed, else camelot 2.x's pdfium backend)
  pdfplumber  ``page.extract_tables()`` on every page
  floor       pdfplumber/pdfminer character parsing only: ``page.chars`` on every page
  pdfium      reference, not a target: pypdfium2 char boxes + page objects on every
              page (what a pdfium-based page reader would start from)
  sesaku-ocr  sesaku with ``--ocr always`` on a scan of the sample (image-only pages)
  rapidocr    the OCR engine's own pipeline on the same scan: each page rendered at the
              same 200 dpi and given whole to ``RapidOCR()(image)`` (text detection, angle
              classifier, recognition; model loading included, as sesaku's run includes its own)

``--ocr-only`` runs just the last two rows (interleaved, so both see the same load) and
writes bench/OCR_SPEED.md; the full run puts them in RESULTS.md with the issue 30 targets.

Documents: the three fixtures and one large document built here from plan6.pdf
repeated with pypdf to >= 300 pages (bench/_work/, git-ignored).  Each copy is
read with a fresh PdfReader so that every page keeps its own content stream,
as in a real long report (pypdf would otherwise share identical objects).

Per measurement: wall time of the child process, its CPU time (user + sys) and
its peak RSS, both from ``os.wait4`` (the rusage of exactly that child, which is
what ``getrusage(RUSAGE_CHILDREN)`` sums over all children), plus the seconds
the child spent on the work itself (after its imports), which the ratios use:
interpreter start-up and imports (~1-2 s, more for camelot's OpenCV) are a
per-process constant, not a cost per page.  Runs are interleaved (every tool
once per round) so that drifting background load hits all tools alike; the
table reports medians.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURES = ROOT / "tests" / "fixtures"
WORK = HERE / "_work"
FIXTURE_PDFS = ("plan6.pdf", "plan6-excel.pdf", "plan6-quirks.pdf")
TOOLS = ("sesaku", "camelot", "pdfplumber", "floor", "pdfium", "sesaku-camelot", "sesaku-both", "sesaku-ocr",
         "rapidocr")
# sesaku with its other grid engines: one row per engine, on the fixtures
# only (camelot's page rendering makes them ~4x slower than the default, so
# on the large document they would double the bench's run time).
FIXTURE_ONLY = ("sesaku-camelot", "sesaku-both")
# The OCR route reads a scan of the fixture (``build_scan``) and nothing
# else: at seconds a page it would take hours on the large document, and the
# other tools find nothing in a scan.  Beside it, the OCR engine's own
# pipeline on the same page images.
SCAN_ONLY = ("sesaku-ocr", "rapidocr")
SCAN_PAGES = (1, 5, 6)  # a prose page and two table pages of plan6.pdf
SCAN_DPI = 200  # what --ocr renders at (pipeline.reading.ocr.DPI)
CHILD_TIMEOUT = 1800  # s; camelot needs ~0.6 s/page here, 300 pages ~3-6 min

# Issue 30 targets for the OCR route, against the plain RapidOCR call.
TARGET_OCR_RATIO = 0.5  # sesaku-ocr / rapidocr work time at most
TARGET_OCR_MB = 600  # sesaku-ocr peak RSS at most

# Issue 6 targets on the large document.
TARGET_FLOOR_RATIO = 1.5  # sesaku / floor at most
TARGET_CAMELOT_SPEEDUP = 3.0  # camelot / sesaku at least
TARGET_RSS_RATIO = 1.5  # sesaku peak RSS, large / 11-page fixture, at most


# ---------------------------------------------------------------- children


def _child(tool: str, pdf: str, scratch: str) -> dict:
    """Run one tool once on one PDF in this (fresh) process; imports are not timed."""
    if tool.startswith("sesaku"):
        sys.path.insert(0, str(ROOT))
        from pipeline.orchestration.cli import main

        engine = tool.partition("-")[2] or "pdfplumber"
        extra = ["--ocr", "always"] if engine == "ocr" else []
        engine = "pdfplumber" if engine == "ocr" else engine
        out = Path(scratch) / "out"
        started = time.perf_counter()
        code = main(["extract", pdf, "--out", str(out), "--force", "--workers", "1", "--engine", engine, *extra])
        work = time.perf_counter() - started
        run = json.loads((out / "_run.json").read_text(encoding="utf-8"))["documents"][0]
        if code != 0 or run["status"] != "ok":
            raise SystemExit(f"sesaku failed on {pdf}: {run.get('error')}")
        return {"work": work, "pages": run["pages"], "found": sum(run["rows"].values()), "unit": "rows"}
    if tool == "rapidocr":
        import numpy as np
        import pypdfium2
        from rapidocr import RapidOCR

        doc = pypdfium2.PdfDocument(pdf)
        found = 0
        started = time.perf_counter()
        engine = RapidOCR(params={"Global.log_level": "error"})
        for i in range(len(doc)):
            image = np.asarray(doc[i].render(scale=SCAN_DPI / 72).to_pil().convert("RGB"))
            result = engine(image)
            found += len(result.txts or ())
        work = time.perf_counter() - started
        pages = len(doc)
        doc.close()
        return {"work": work, "pages": pages, "found": found, "unit": "lines"}
    if tool == "camelot":
        import inspect

        import camelot
        from camelot.parsers import Lattice

        kwargs = {}
        if "backend" in inspect.signature(Lattice.__init__).parameters:
            kwargs["backend"] = "ghostscript" if shutil.which("gs") else "pdfium"
        started = time.perf_counter()
        tables = camelot.read_pdf(pdf, flavor="lattice", pages="all", **kwargs)
        work = time.perf_counter() - started
        return {"work": work, "pages": _page_count(pdf), "found": len(tables), "unit": "tables",
                "backend": kwargs.get("backend", "default")}
    if tool in ("pdfplumber", "floor"):
        import pdfplumber

        found = pages = 0
        started = time.perf_counter()
        with pdfplumber.open(pdf) as doc:
            for page in doc.pages:
                found += len(page.extract_tables()) if tool == "pdfplumber" else len(page.chars)
                pages += 1
                page.close()  # as sesaku does: keeps memory flat
        work = time.perf_counter() - started
        return {"work": work, "pages": pages, "found": found, "unit": "tables" if tool == "pdfplumber" else "chars"}
    if tool == "pdfium":
        import pypdfium2 as pdfium

        found = 0
        started = time.perf_counter()
        doc = pdfium.PdfDocument(pdf)
        pages = len(doc)
        for i in range(pages):
            page = doc[i]
            text = page.get_textpage()
            for j in range(text.count_chars()):
                text.get_charbox(j)
                found += 1
            for _ in page.get_objects():  # rules and rectangles, as a table finder needs
                pass
            text.close()
            page.close()
        doc.close()
        work = time.perf_counter() - started
        return {"work": work, "pages": pages, "found": found, "unit": "chars"}
    raise SystemExit(f"unknown tool {tool}")


def _page_count(pdf: str) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


# ---------------------------------------------------------------- measuring


def measure(tool: str, pdf: Path) -> dict:
    """One child process: wall, CPU and peak RSS of exactly that child, plus its work time."""
    with tempfile.TemporaryDirectory(prefix=f"{tool}-", dir=WORK) as scratch:
        result_file = Path(scratch) / "result.json"
        log = open(Path(scratch) / "log.txt", "wb")
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "_child", tool, str(pdf), scratch, str(result_file)],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        )
        timer = threading.Timer(CHILD_TIMEOUT, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            log.close()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0 or not result_file.exists():
            tail = (Path(scratch) / "log.txt").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{tool} on {pdf.name} exited with {proc.returncode}:\n{tail}")
        result = json.loads(result_file.read_text())
    result.update(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_mb=usage.ru_maxrss / 1024,  # KiB on Linux
    )
    return result


def build_large(min_pages: int) -> Path:
    """plan6.pdf repeated to at least ``min_pages`` pages (kept in bench/_work/).

    Built in a child process: a child's peak RSS includes what its parent
    held when it forked (Linux keeps the high-water mark across exec), so
    this process must stay small for the children's figures to be theirs.
    """
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "_build", str(min_pages)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )
    return Path(out.stdout.strip())


def _build_child(min_pages: int) -> Path:
    from pypdf import PdfReader, PdfWriter

    source = FIXTURES / "plan6.pdf"
    per_copy = len(PdfReader(source).pages)
    copies = math.ceil(min_pages / per_copy)
    target = WORK / f"plan6-x{copies}.pdf"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    writer = PdfWriter()
    for _ in range(copies):
        writer.append(PdfReader(source))  # a fresh reader: no objects shared between copies
    tmp = target.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    os.replace(tmp, target)
    return target


def build_scan() -> Path:
    """Pages ``SCAN_PAGES`` of plan6.pdf as images only (no text layer), built in a child."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "_build_scan"],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )
    return Path(out.stdout.strip())


def _build_scan_child() -> Path:
    import io

    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    source = FIXTURES / "plan6.pdf"
    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / f"plan6-scan-{'-'.join(map(str, SCAN_PAGES))}.pdf"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    doc = pypdfium2.PdfDocument(str(source))
    tmp = target.with_suffix(".tmp")
    c = canvas.Canvas(str(tmp))
    for number in SCAN_PAGES:
        page = doc[number - 1]
        width, height = page.get_size()
        png = io.BytesIO()
        page.render(scale=SCAN_DPI / 72).to_pil().convert("L").save(png, format="PNG")
        c.setPageSize((width, height))
        c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, width, height)
        c.showPage()
    c.save()
    doc.close()
    os.replace(tmp, target)
    return target


# ---------------------------------------------------------------- describing


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def _versions() -> str:
    sys.path.insert(0, str(ROOT))
    from pipeline import __version__

    names = ("pdfplumber", "pdfminer.six", "camelot-py", "opencv-python-headless", "pypdfium2", "pypdf",
             "fugashi", "unidic-lite", "pandas", "pyarrow")
    parts = [f"sesaku {__version__}"]
    for name in names:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts)


def _load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "?"


# ---------------------------------------------------------------- profile


def profile_stages(pdf: Path, pages: str) -> list[tuple[str, float]]:
    """Where sesaku's time goes: cumulative seconds per stage under cProfile (child process)."""
    with tempfile.TemporaryDirectory(prefix="profile-", dir=WORK) as scratch:
        out = Path(scratch) / "stages.json"
        subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "_profile", str(pdf), pages, scratch, str(out)],
            check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=CHILD_TIMEOUT,
        )
        return [tuple(x) for x in json.loads(out.read_text())]


# (label, file suffix, function name): cumulative time of these functions.
STAGES = (
    ("whole run: cli.main", "pipeline/orchestration/cli.py", "main"),
    ("  reading: PDFium glyphs", "pipeline/reading/pdfium.py", "page_chars"),
    ("  reading: PDFium paths", "pipeline/reading/pdfium.py", "page_paths"),
    ("  reading: pdfminer fallback (the floor's parse)", "pdfplumber/page.py", "parse_objects"),
    ("  reading: glyphs.visible_chars", "pipeline/reading/glyphs.py", "visible_chars"),
    ("  reading: rules to ruled tables", "pipeline/reading/rules.py", "rules_to_tables"),
    ("  table.grid.cell_boxes_to_grid", "pipeline/understanding/table/grid.py", "cell_boxes_to_grid"),
    ("    of which grid.assign_chars", "pipeline/understanding/table/grid.py", "assign_chars"),
    ("  glyphs.chars_to_lines (all callers)", "pipeline/reading/glyphs.py", "chars_to_lines"),
    ("  table.stitch.grids_to_table", "pipeline/understanding/table/stitch.py", "grids_to_table"),
    ("  table.interpret.table_to_plan", "pipeline/understanding/table/interpret.py", "table_to_plan"),
    ("  prose.narrative.pages_to_narrative", "pipeline/understanding/prose/narrative.py", "pages_to_narrative"),
    ("  quantities.attach_quantities", "pipeline/understanding/quantities.py", "attach_quantities"),
    ("  records.document_to_records", "pipeline/publishing/records.py", "document_to_records"),
    ("  emit.write_tables", "pipeline/publishing/emit.py", "write_tables"),
)


def _profile_child(pdf: str, pages: str, scratch: str, out: str) -> None:
    import cProfile
    import pstats

    sys.path.insert(0, str(ROOT))
    from pipeline.orchestration.cli import main

    profiler = cProfile.Profile()
    profiler.enable()
    main(["extract", pdf, "--out", str(Path(scratch) / "out"), "--force", "--workers", "1", "--pages", pages])
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    rows = []
    for label, suffix, name in STAGES:
        total = sum(v[3] for (file, _, func), v in stats.items() if file.endswith(suffix) and func == name)
        rows.append((label, total))
    Path(out).write_text(json.dumps(rows))


# ---------------------------------------------------------------- report


def _median(results: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in results)


def ocr_section(measured: dict, scan: Path) -> list[str]:
    """The OCR route beside the OCR engine's own pipeline on the same scan (issue 30)."""
    ours, plain = measured.get((scan.name, "sesaku-ocr")), measured.get((scan.name, "rapidocr"))
    if not ours or not plain:
        return []
    pages = ours[0]["pages"]
    work, cpu = _median(ours, "work") / _median(plain, "work"), _median(ours, "cpu") / _median(plain, "cpu")
    rss = _median(ours, "rss_mb")

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines = [
        "",
        f"## OCR route against the OCR engine's own pipeline ({scan.name}, {pages} pages at {SCAN_DPI} dpi; issue 30)",
        "",
        "Both read the same page images in the same run, interleaved (one run of each per round). `rapidocr` is "
        "`RapidOCR()(image)` per page: its detection model over the whole page, angle classifier and recognition. "
        "sesaku's time is its whole extraction (rendering, straightening, borders, text lines, recognition, the "
        "table, the outputs).",
        "",
        "| tool | runs | work s/page | CPU s/page | peak RSS MB | raw runs (work s) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for tool, res in (("sesaku-ocr", ours), ("rapidocr", plain)):
        raw = ", ".join(f"{r['work']:.1f}" for r in res)
        lines.append(f"| {tool} | {len(res)} | {_median(res, 'work') / pages:.2f} | {_median(res, 'cpu') / pages:.2f} | "
                     f"{_median(res, 'rss_mb'):.0f} | {raw} |")
    lines += [
        "",
        "| target | measured | verdict |",
        "|---|---:|---|",
        f"| sesaku-ocr ≤ {TARGET_OCR_RATIO}× the plain RapidOCR call (work time; CPU time in brackets) | "
        f"{work:.2f}× ({cpu:.2f}×) | {verdict(work <= TARGET_OCR_RATIO)} |",
        f"| sesaku-ocr peak RSS ≤ {TARGET_OCR_MB} MB | {rss:.0f} MB | {verdict(rss <= TARGET_OCR_MB)} |",
    ]
    return lines


def write_results(path: Path, docs: list[Path], measured: dict, machine: dict, stages, quick: bool) -> str:
    lines = [
        "# sesaku benchmark",
        "",
        f"Produced by `bench/bench.py{' --quick' if quick else ''}` on {machine['date']} "
        f"(wall {machine['elapsed']:.0f} s). Regenerate with `make bench`.",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} logical cores; RAM {machine['ram']}",
        f"- {machine['os']}; Python {machine['python']}",
        f"- {machine['versions']}",
        f"- camelot backend: {machine['camelot_backend']}",
        f"- load average (1/5/15 min) at start: {machine['load_start']}; at end: {machine['load_end']} "
        "(other jobs were running on this machine: wall times carry that noise, CPU times much less)",
        "",
        "## Results (medians)",
        "",
        "`work s` = seconds the tool spent on the document inside its process (after imports); "
        "`wall s` / `CPU s` / `peak RSS` = the whole child process (interpreter start and imports included). "
        "Ratios divide sesaku's median by the row's (work time; CPU time in brackets). "
        "`found` = rows written (sesaku), tables (camelot, pdfplumber), glyphs (floor, pdfium).",
        "",
        "| document | pages | tool | runs | work s | pages/s | wall s | CPU s | peak RSS MB | sesaku ÷ tool | found |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for doc in docs:
        base = measured.get((doc.name, "sesaku"))
        for tool in TOOLS:
            res = measured.get((doc.name, tool))
            if not res:
                continue
            pages = res[0]["pages"]
            work, wall, cpu, rss = (_median(res, k) for k in ("work", "wall", "cpu", "rss_mb"))
            if tool == "sesaku":
                ratio = "1"
            elif base is None:
                ratio = ""
            else:
                ratio = f"{_median(base, 'work') / work:.2f} ({_median(base, 'cpu') / cpu:.2f})"
            lines.append(
                f"| {doc.name} | {pages} | {tool} | {len(res)} | {work:.2f} | {pages / work:.{1 if pages >= work else 2}f} | {wall:.2f} | "
                f"{cpu:.2f} | {rss:.0f} | {ratio} | {res[0]['found']} {res[0]['unit']} |"
            )
    large = next(d for d in docs if d.name.startswith("plan6-x"))
    m = {tool: measured[(large.name, tool)] for tool in TOOLS if (large.name, tool) in measured}
    small = measured[(FIXTURE_PDFS[0], "sesaku")]
    floor_ratio = _median(m["sesaku"], "work") / _median(m["floor"], "work")
    floor_cpu = _median(m["sesaku"], "cpu") / _median(m["floor"], "cpu")
    speedup = _median(m["camelot"], "work") / _median(m["sesaku"], "work")
    speedup_cpu = _median(m["camelot"], "cpu") / _median(m["sesaku"], "cpu")
    rss_ratio = _median(m["sesaku"], "rss_mb") / _median(small, "rss_mb")
    pages = m["sesaku"][0]["pages"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines += [
        "",
        f"## Targets on the {pages}-page document (issue 6)",
        "",
        "| target | measured (work time) | measured (CPU time) | verdict |",
        "|---|---:|---:|---|",
        f"| sesaku ≤ {TARGET_FLOOR_RATIO}× the character-parse floor | {floor_ratio:.2f}× | {floor_cpu:.2f}× | "
        f"{verdict(floor_ratio <= TARGET_FLOOR_RATIO)} |",
        f"| sesaku ≥ {TARGET_CAMELOT_SPEEDUP}× faster than camelot lattice | {speedup:.2f}× | {speedup_cpu:.2f}× | "
        f"{verdict(speedup >= TARGET_CAMELOT_SPEEDUP)} |",
        f"| sesaku peak RSS on {pages} pages ≤ {TARGET_RSS_RATIO}× that on the 11-page plan6.pdf | "
        f"{_median(m['sesaku'], 'rss_mb'):.0f} / {_median(small, 'rss_mb'):.0f} MB = {rss_ratio:.2f}× | | "
        f"{verdict(rss_ratio <= TARGET_RSS_RATIO)} |",
    ]
    scan = next((d for d in docs if d.name.startswith("plan6-scan")), None)
    if scan is not None:
        lines += ocr_section(measured, scan)
    if stages:
        total = stages[0][1] or 1.0
        lines += [
            "",
            f"## Where sesaku's time goes (cProfile, {large.name} pages {stages_pages(large, quick)})",
            "",
            "Cumulative seconds under the profiler. cProfile's per-call overhead inflates call-heavy code, "
            "pdfminer's tokenizer most of all, so these shares overstate the parse; a py-spy sampling run "
            "(no such overhead) put the parse at ~78 % of sesaku's time on all 308 pages. "
            "Stages overlap where one calls another.",
            "",
            "| stage | s | share |",
            "|---|---:|---:|",
        ]
        for label, seconds in stages:
            lines.append(f"| {label.strip()} | {seconds:.2f} | {100 * seconds / total:.1f} % |")
    lines += ["", "## Raw runs", "", "```"]
    for (doc_name, tool), res in measured.items():
        cells = ", ".join(f"work {r['work']:.2f} wall {r['wall']:.2f} cpu {r['cpu']:.2f} rss {r['rss_mb']:.0f}" for r in res)
        lines.append(f"{doc_name:24} {tool:10} {cells}")
    lines += ["```", ""]
    text = "\n".join(lines)
    path.write_text(text, encoding="utf-8")
    return text


def stages_pages(large: Path, quick: bool) -> str:
    # Five copies of plan6 are enough for stable shares; the profiler
    # slows the run ~1.5x, so the whole large document would cost minutes.
    return "1-55"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run each, a ~110-page large document")
    parser.add_argument("--runs", type=int, default=None, help="runs per tool on the fixtures (default 3, quick 1)")
    parser.add_argument("--large-runs", type=int, default=None, help="runs per tool on the large document (default 2, quick 1)")
    parser.add_argument("--large-pages", type=int, default=None, help="pages of the large document (default 300, quick 110)")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset of " + ",".join(TOOLS))
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile stage breakdown")
    parser.add_argument("--ocr-only", action="store_true",
                        help="only the OCR rows (sesaku-ocr beside a plain RapidOCR call on the same scan); "
                             "writes bench/OCR_SPEED.md unless --out is given")
    parser.add_argument("--out", type=Path, default=None, help="default bench/RESULTS.md")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    if args.ocr_only:
        return ocr_only(args.out or HERE / "OCR_SPEED.md", runs)
    args.out = args.out or HERE / "RESULTS.md"
    # The large document dominates the run time (camelot ~3-6 min per run
    # at 300 pages here), so it gets fewer rounds to stay within ~15 min.
    large_runs = args.large_runs or (1 if args.quick else 2)
    large_pages = args.large_pages or (110 if args.quick else 300)
    tools = [t for t in TOOLS if t in args.tools.split(",")]
    if args.quick and args.tools == ",".join(TOOLS):
        tools = [t for t in tools if t not in FIXTURE_ONLY]
    for needed in ("sesaku", "camelot", "floor"):
        if needed not in tools:
            parser.error(f"--tools must include {needed} (the targets need it)")

    WORK.mkdir(parents=True, exist_ok=True)
    began = time.time()
    machine = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram": _ram_gb(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": _versions(),
        "camelot_backend": "ghostscript" if shutil.which("gs") else "pdfium (Ghostscript not installed)",
        "load_start": _load(),
    }
    large = build_large(large_pages)
    docs = [FIXTURES / name for name in FIXTURE_PDFS] + [large]
    if any(t in SCAN_ONLY for t in tools):
        docs.append(build_scan())
    scan = docs[-1] if docs[-1] is not large else None
    measured: dict = {}
    plan = [(doc, runs if doc is not large else large_runs) for doc in docs]
    for round_no in range(max(runs, large_runs)):
        for doc, wanted in plan:
            if round_no >= wanted:
                continue
            for tool in tools:
                if doc is large and tool in FIXTURE_ONLY:
                    continue
                if (doc is scan) != (tool in SCAN_ONLY):
                    continue
                res = measure(tool, doc)
                measured.setdefault((doc.name, tool), []).append(res)
                print(
                    f"round {round_no + 1} {doc.name:24} {tool:10} work {res['work']:7.2f}s "
                    f"wall {res['wall']:7.2f}s cpu {res['cpu']:7.2f}s rss {res['rss_mb']:6.0f}MB",
                    file=sys.stderr, flush=True,
                )
    stages = None
    if not args.no_profile:
        stages = profile_stages(large, stages_pages(large, args.quick))
    machine["load_end"] = _load()
    machine["elapsed"] = time.time() - began
    text = write_results(args.out, docs, measured, machine, stages, args.quick)
    print(text)
    return 0


def _machine() -> dict:
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "cpu": _cpu_model(), "cores": os.cpu_count(), "ram": _ram_gb(),
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(), "load_start": _load(),
    }


def ocr_only(out: Path, runs: int) -> int:
    """The OCR rows alone: sesaku-ocr and the plain RapidOCR call on the same scan, interleaved."""
    WORK.mkdir(parents=True, exist_ok=True)
    began = time.time()
    machine = _machine()
    scan = build_scan()
    measured: dict = {}
    for round_no in range(runs):
        for tool in SCAN_ONLY:
            res = measure(tool, scan)
            measured.setdefault((scan.name, tool), []).append(res)
            print(f"round {round_no + 1} {tool:10} work {res['work']:7.2f}s cpu {res['cpu']:7.2f}s "
                  f"rss {res['rss_mb']:6.0f}MB load {_load()}", file=sys.stderr, flush=True)
    try:
        versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("rapidocr", "onnxruntime"))
    except metadata.PackageNotFoundError:
        versions = "rapidocr or onnxruntime not installed"
    lines = [
        "# sesaku's OCR route against the OCR engine's own pipeline",
        "",
        f"Produced by `bench/bench.py --ocr-only --runs {runs}` on {machine['date']} (wall {time.time() - began:.0f} s); "
        "`make bench` puts the same rows into RESULTS.md.",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} logical cores; RAM {machine['ram']}; {versions}",
        f"- load average (1/5/15 min) at start: {machine['load_start']}; at end: {_load()} (a shared machine: the "
        "two tools ran interleaved, so both carry the same load; their ratio is the figure to read)",
    ]
    lines += ocr_section(measured, scan) + [""]
    text = "\n".join(lines)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _, _, tool, pdf, scratch, result = sys.argv[:6]
        Path(result).write_text(json.dumps(_child(tool, pdf, scratch)))
        sys.exit(0)
    if len(sys.argv) > 1 and sys.argv[1] == "_build_scan":
        print(_build_scan_child())
        sys.exit(0)
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        print(_build_child(int(sys.argv[2])))
        sys.exit(0)
    if len(sys.argv) > 1 and sys.argv[1] == "_profile":
        _profile_child(*sys.argv[2:6])
        sys.exit(0)
    sys.exit(main())
