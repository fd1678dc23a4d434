"""Progress of a batch on a terminal: one overall bar, the per-document lines above it.

The bar (tqdm) counts documents done of the total and pages per second,
whatever runs them (this process, worker processes, Dask, the cache), so
a default parallel batch is never a blank terminal.  When stderr is not
a terminal (a log, CI, a pipe) there is no bar, only the lines.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator
from typing import TextIO

from .reports import DocumentReport


class OverallProgress:
    def __init__(self, stream: TextIO, total: int):
        self.stream = stream
        self.active = bool(getattr(stream, "isatty", lambda: False)())
        self.pages = 0
        self.started = time.perf_counter()
        self.bar = None
        if self.active:
            from tqdm import tqdm

            # shutil reads COLUMNS/LINES and falls back to 80×24 where the
            # terminal reports no size (a fresh pseudo-terminal, some CI
            # consoles say 0×0, and tqdm then draws nothing at all).
            size = shutil.get_terminal_size((80, 24))
            self.bar = tqdm(total=total, unit="doc", desc="documents", file=stream,
                            ncols=size.columns or 80, nrows=size.lines or 24,
                            bar_format="{desc} {n_fmt}/{total_fmt} |{bar}| {elapsed}<{remaining}{postfix}")
            self.bar.refresh()

    def done(self, report: DocumentReport, line: str) -> None:
        self.pages += report.pages or 0
        if self.bar is None:
            print(line, file=self.stream)
            return
        self.bar.write(line, file=self.stream)
        seconds = max(time.perf_counter() - self.started, 1e-6)
        self.bar.set_postfix_str(f"{self.pages} pages, {self.pages / seconds:.1f} pages/s", refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextlib.contextmanager
def overall_progress(stream: TextIO, total: int) -> Iterator[OverallProgress]:
    progress = OverallProgress(stream, total)
    try:
        yield progress
    finally:
        progress.close()
