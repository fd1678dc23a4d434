"""What the placement check (``reading.placement``) costs per page.

Not part of ``make test``.  Reads the pages of a PDF as ``extract`` does
(``DocumentReader.read_page``, the default reader) with the check and with
it switched off, alternating runs so that a machine's changing load falls
on both alike, and times the check's own calls.

    .venv/bin/python bench/placement_cost.py ../shared/real/jp_fuji_city_r6_budget.pdf --pages 300 --runs 2
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path


def read_all(path: Path, pages: int) -> float:
    from pipeline.options import Options
    from pipeline.reading.document import DocumentReader

    started = time.perf_counter()
    with DocumentReader(path, Options()) as doc:
        for number in range(1, min(pages, doc.page_count) + 1):
            doc.read_page(number)
    return time.perf_counter() - started


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf", type=Path)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args(argv)
    from pipeline.reading import placement

    signal = placement.misplaced_signal
    spent: list[float] = []
    fired: list[int] = []

    def timed(chars, settings=placement.DEFAULT):
        t0 = time.perf_counter()
        out = signal(chars, settings)
        spent.append(time.perf_counter() - t0)
        fired.append(out)
        return out

    on, off = [], []
    for _ in range(args.runs):
        placement.misplaced_signal = timed
        on.append(read_all(args.pdf, args.pages))
        placement.misplaced_signal = lambda chars, settings=None: False
        off.append(read_all(args.pdf, args.pages))
    placement.misplaced_signal = signal
    n = min(args.pages, len(spent) // args.runs or 1)
    print(f"{args.pdf.name}: {n} pages x {args.runs} runs")
    print(f"  with the check    {statistics.median(on):7.2f} s  ({1000 * statistics.median(on) / n:.1f} ms/page)")
    print(f"  without the check {statistics.median(off):7.2f} s  ({1000 * statistics.median(off) / n:.1f} ms/page)")
    print(f"  the check's own calls: {1000 * sum(spent) / len(spent):.2f} ms/page on average "
          f"(max {1000 * max(spent):.1f} ms); it fired on {sum(fired)} of {len(fired)} page readings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
