"""How well the OCR route reads the sample as a scan: accuracy per table, seconds and MB per page.

Not part of ``make test``.  The table pages of tests/fixtures/plan6.pdf are
rendered as a scanner would (150/200/300 dpi; clean, or noisy: blur,
grain, a 0.4° skew and JPEG at quality 60), written as image-only PDFs,
and extracted with ``--ocr always``; each table is compared with the same
pages extracted from the vector PDF (which the golden tests hold equal to
the fixture's truth).  Per table: rows found against rows printed, the
share of values read exactly, and the character accuracy (matching
characters / printed characters).

    .venv/bin/python bench/ocr_accuracy.py [--pages 5-6] [--out bench/OCR_ACCURACY.md]
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURE = ROOT / "tests" / "fixtures" / "plan6.pdf"
CONFIGS = (("clean", 150), ("clean", 200), ("clean", 300), ("noisy", 200))
TABLES = {
    "measures": (["measure_no"], "measure"),
    "targets": (["measure_no", "row_no", "first_year", "fiscal_year", "item_no"], "text"),
    "current_items": (["measure_no", "row_no", "item_no"], "text"),
    "results": (["measure_no", "block", "item_no"], "text"),
}


def make_scan(out: Path, pages: list[int], dpi: int, noisy: bool) -> None:
    import numpy as np
    import pypdfium2
    from PIL import Image, ImageFilter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    doc = pypdfium2.PdfDocument(str(FIXTURE))
    c = canvas.Canvas(str(out))
    rng = np.random.default_rng(6)
    for number in pages:
        page = doc[number - 1]
        width, height = page.get_size()
        image = page.render(scale=dpi / 72).to_pil().convert("L")
        fmt = "PNG"
        if noisy:
            image = image.rotate(0.4, resample=Image.BILINEAR, fillcolor=255).filter(ImageFilter.GaussianBlur(0.7))
            grain = rng.normal(0, 12, (image.height, image.width))
            image = Image.fromarray(np.clip(np.asarray(image, float) + grain, 0, 255).astype("uint8"))
            fmt = "JPEG"
        buf = io.BytesIO()
        image.save(buf, format=fmt, **({"quality": 60} if fmt == "JPEG" else {}))
        c.setPageSize((width, height))
        c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, width, height)
        c.showPage()
    c.save()
    doc.close()


def _extract(pdf: Path, out: Path, extra: list[str]) -> dict:
    """Extract in a child process: its wall time and peak RSS are the route's own."""
    started = time.perf_counter()
    with open(out.parent / f"{out.name}.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(pdf), "--out", str(out), "--force",
                                 "--workers", "1", *extra], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{pdf}: " + (out.parent / f"{out.name}.log").read_text(errors="replace")[-500:])
    return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024}


def compare(printed: Path, read: Path) -> dict:
    import pandas as pd

    out = {}
    for table, (key, column) in TABLES.items():
        a = pd.read_parquet(printed / f"{table}.parquet")
        b = pd.read_parquet(read / f"{table}.parquet")
        both = a.merge(b, on=key, how="left", suffixes=("", "_ocr"))
        good = total = exact = 0
        for x, y in zip(both[column], both[column + "_ocr"]):
            y = "" if pd.isna(y) else y
            sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
            good += sum(m.size for m in sm.get_matching_blocks())
            total += len(x)
            exact += x == y
        out[table] = {"printed": len(a), "read": len(b), "exact": exact / max(len(a), 1), "chars": good / max(total, 1)}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", default="5-6")
    parser.add_argument("--out", type=Path, default=HERE / "OCR_ACCURACY.md")
    args = parser.parse_args(argv)
    first, _, last = args.pages.partition("-")
    pages = list(range(int(first), int(last or first) + 1))
    lines = [
        "# OCR route accuracy on the sample rendered as a scan", "",
        f"Produced by `bench/ocr_accuracy.py --pages {args.pages}` on {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"{os.cpu_count()} cores. Each configuration: the table pages {args.pages} of plan6.pdf as an image-only "
        "PDF, extracted with `--ocr always` (sesaku renders at 200 dpi whatever the scan's resolution), "
        "compared with the vector PDF's extraction of the same pages. `rows` read / printed; `exact` share of "
        "values read exactly; `chars` character accuracy. Seconds and peak RSS of the extracting process, per page.",
        "", "| scan | dpi | table | rows | exact | chars | s/page | MB |", "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        _extract(FIXTURE, tmp / "printed", ["--pages", args.pages, "--ocr", "never"])
        for kind, dpi in CONFIGS:
            scan = tmp / f"{kind}-{dpi}.pdf"
            make_scan(scan, pages, dpi, kind == "noisy")
            cost = _extract(scan, tmp / scan.stem, ["--ocr", "always"])
            figures = compare(tmp / "printed", tmp / scan.stem)
            results[f"{kind}-{dpi}"] = {"cost": cost, "tables": figures}
            for table, f in figures.items():
                lines.append(f"| {kind} | {dpi} | {table} | {f['read']}/{f['printed']} | {100 * f['exact']:.1f} % | "
                             f"{100 * f['chars']:.2f} % | {cost['seconds'] / len(pages):.1f} | {cost['rss_mb']:.0f} |")
            print(kind, dpi, json.dumps(figures), file=sys.stderr, flush=True)
    lines.append("")
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
