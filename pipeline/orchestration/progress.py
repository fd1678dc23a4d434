"""Progress of a run on a terminal: one bar counting pages, the documents alongside.

The bar (tqdm) counts the pages read of all the run's documents, with a
rate in pages per second and the time left, and the documents done of
the total beside it, whatever reads the pages: this process, worker
processes (they send each page through a queue, ``batch``), the cache.
A page read by OCR (~10 s) or a 612-page book (~18 s) moves the bar page
by page, so a long run never looks hung; the clock is redrawn every
second between pages.  The per-document lines are written above it.
When the stream is not a terminal (a log, CI, a pipe) there is no bar,
only the lines.

The total is each document's selected page count, told by PDFium's page
tree before any page is read (``stage.selected_page_count``); a document
that fails or comes from the cache takes its unread pages out of the
total, so the rate and the time left are those of pages actually read.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Optional, TextIO

from ..options import Options
from ..reading.stage import ProgressFn, selected_page_count
from .reports import DocumentReport

# Seconds between redraws while a page is being read, so that the elapsed
# time and the rate keep moving during a 10-second OCR page.
REDRAW_SECONDS = 1.0


class OverallProgress:
    def __init__(self, stream: TextIO, pdfs: Sequence[Path], options: Options):
        self.stream = stream
        self.active = bool(getattr(stream, "isatty", lambda: False)())
        self.documents = len(pdfs)
        self.finished = 0
        self.bar: Any = None
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._ticker: Optional[threading.Thread] = None
        if not self.active:
            return
        from tqdm import tqdm

        self.expected = [selected_page_count(p, options) or 0 for p in pdfs]
        self.seen = [0] * len(pdfs)
        # shutil reads COLUMNS/LINES and falls back to 80×24 where the
        # terminal reports no size (a fresh pseudo-terminal, some CI
        # consoles say 0×0, and tqdm then draws nothing at all).
        size = shutil.get_terminal_size((80, 24))
        self.bar = tqdm(total=sum(self.expected), unit=" pages", desc=self._desc(), file=stream,
                        ncols=size.columns or 80, nrows=size.lines or 24, mininterval=0.2,
                        bar_format="{desc}, pages {n_fmt}/{total_fmt} |{bar}| {elapsed}<{remaining}, {rate_fmt}")
        self.bar.refresh()
        self._ticker = threading.Thread(target=self._tick, name="sesaku-progress", daemon=True)
        self._ticker.start()

    def _desc(self) -> str:
        return f"documents {self.finished}/{self.documents}"

    def _tick(self) -> None:
        while not self._stop.wait(REDRAW_SECONDS):
            with self._lock:
                if self.bar is not None:
                    self.bar.refresh()

    # ------------------------------------------------------------ events

    def page(self, index: int, done: int, total: int) -> None:
        """Document ``index`` has read ``done`` of its ``total`` selected pages.

        A second pass over the same pages (OCR layers read again) counts
        nothing until it passes the first."""
        if self.bar is None or not 0 <= index < len(self.seen):
            return
        with self._lock:
            if total != self.expected[index]:  # the stage knows better than the page tree
                self.bar.total += total - self.expected[index]
                self.expected[index] = total
            step = done - self.seen[index]
            if step > 0:
                self.seen[index] = done
                self.bar.update(step)

    def pages_of(self, index: int) -> Optional[ProgressFn]:
        """The stage's progress callback for document ``index``; None when there is no bar."""
        if self.bar is None:
            return None
        return lambda done, total: self.page(index, done, total)

    def say(self, line: str) -> None:
        """A message line, above the bar on a terminal."""
        if self.bar is None:
            print(line, file=self.stream)
            return
        with self._lock:
            self.bar.write(line, file=self.stream)

    def done(self, report: DocumentReport, line: str) -> None:
        """The next document (in input order) is finished; ``line`` is its summary."""
        index = self.finished
        self.finished += 1
        if self.bar is None:
            print(line, file=self.stream)
            return
        with self._lock:
            self.bar.write(line, file=self.stream)
            if 0 <= index < len(self.seen):
                unread = self.expected[index] - self.seen[index]
                if report.status == "ok" and not report.cached:
                    # Read where no page was reported (a Dask worker): all its pages.
                    self.bar.update(max(unread, 0))
                else:
                    self.bar.total -= unread
                self.seen[index] = self.expected[index]
            self.bar.set_description_str(self._desc(), refresh=False)
            self.bar.refresh()

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=5)
        with self._lock:
            if self.bar is not None:
                self.bar.close()
                self.bar = None


@contextlib.contextmanager
def overall_progress(stream: TextIO, pdfs: Sequence[Path], options: Options) -> Iterator[OverallProgress]:
    progress = OverallProgress(stream, pdfs, options)
    try:
        yield progress
    finally:
        progress.close()
