"""The page stage: one PDF to its pages, read once, for every command and model.

::

    PDF ─ guards (exists, not empty, a PDF, --max-mb) ─ sha256 ─ open (PDFium + pdfminer)
        ─ --max-pages ─ --pages ─┬─ page 1 ─ route ─ PageView (+ notes, glyph tally) ─▶ consumer
                                 ├─ page 2 ─ ...          (time limit per page, memory between pages)
                                 └─ ...

Routing (``document.DocumentReader``): PDFium where it maps the page as
pdfminer would, else the careful pdfminer reader; a page whose PDFium
glyphs overlap like no printed page's is re-read by pdfminer (placement);
an invisible OCR layer over a scan is read as text with the borders found
in the image; a page that is only an image, or set in a font without a
Unicode map, is read by sesaku's OCR when OCR is on.  Two pages printed side
by side are offered as halves (``StagePage.halves``, ``layout.split_two_up``).

A consumer (``extract``'s 施策計画 model, ``tables``, ``text``, the
evaluation-sheet model) never opens the PDF itself::

    with PageStage(path, options) as stage:
        for page in stage.pages():
            model.add_page(page.view)          # under the page's time limit
        ...                                    # stage.reading: what was read
    # damaged bytes, a page over its time, a font without a Unicode map:
    # one SesakuError each, raised on leaving the ``with``.

What was read (glyph tallies, OCR'd pages and lines, pages without text)
is ``stage.reading``, kept when a later step fails, so the run report
still says what was read.  A consumer that finds the PDF's own OCR layer
too poor asks for the pages again with ``pages(reocr_layers=True)``:
those pages are then read by sesaku's OCR (a routing decision made here,
not a second run of the command).
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Optional

from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from ..errors import BadOption, LimitExceeded, NoPagesSelected, NoTextLayer, UnmappedFont
from ..models import GlyphTally, PageView, page_ranges
from ..options import Options, Speaker, given
from ..settings import Settings
from . import ocr
from .document import DocumentReader
from .guards import Timeout, check_file, damaged, file_sha256, memory_limit, parser_warnings, time_limit, timed_out
from .layout import split_two_up
from .setup import setup_readers

ProgressFn = Callable[[int, int], None]

# Parsers raise these (and only these) on damaged bytes; anything else from
# a stage is a bug and is reported as one.
DAMAGE = (PSException, PdfminerException, MalformedPDFException, zlib.error, RecursionError)

# Repair messages pdfminer logs for one document, listed at most this many
# times (a damaged cross-reference table logs one per object).
MAX_REPAIR_NOTES = 5

_LAST_PAGE = ("end", "last")


def parse_pages(value: Optional[str], page_count: int, speaks: Speaker = "api") -> list[int]:
    """``--pages 1-3,7`` to page numbers (1-based).

    ``all``; ``end`` (or ``last``) for the last page, also in ranges
    (``5-end``); an open range (``5-``, ``-3``) runs to the last / from the
    first page.  Pages past the end are ignored here; the caller says so
    when none is left.  A malformed value raises ValueError, whatever the
    page count (so ``parse_pages(value, 1)`` checks a value before any
    document is open); its message names the option as ``speaks`` to
    (``--pages '1-x'`` or ``pages='1-x'``).
    """
    if not value or value.strip().lower() == "all":
        return list(range(1, page_count + 1))
    name = given("pages", value, speaks, quoted=True)
    usage = f"{name}: use page numbers and ranges such as 1-3,7 or 5-end, or all"

    def number(text: str, default: int) -> int:
        text = text.strip().lower()
        if not text:
            return default
        if text in _LAST_PAGE:
            return page_count
        n = int(text)
        if n < 1:
            raise ValueError
        return n

    pages: set[int] = set()
    for part in value.split(","):
        part = part.strip()
        try:
            if "-" in part:
                lo, hi = part.split("-", 1)
                first, last = number(lo, 1), number(hi, page_count)
                explicit = hi.strip().isdigit() and lo.strip().isdigit()
                if explicit and first > last:
                    raise ValueError(f"{name}: the range {part} runs backwards")
                pages.update(range(first, last + 1))
            elif part:
                pages.add(number(part, 1))
        except ValueError as exc:
            raise ValueError(str(exc) if str(exc).startswith(name) else usage) from None
    return sorted(p for p in pages if 1 <= p <= page_count)


def select_pages(path: Path, options: Options, page_count: int) -> list[int]:
    """The pages ``options.pages`` selects of a document, within the page limit; raises for bad input."""
    limits = options.limits
    if page_count > limits.max_pages:
        raise LimitExceeded(path, f"{page_count} pages, over the {limits.max_pages}-page limit; "
                                  f"raise {options.flag('max_pages')} to allow it")
    try:
        wanted = parse_pages(options.pages, page_count, options.speaks)
    except ValueError as exc:
        raise BadOption(path, str(exc)) from None
    if not wanted:
        raise NoPagesSelected(path, f"{options.given('pages')} selects none of its {page_count} page(s)")
    return wanted


def scan_advice(options: Options) -> str:
    """What to do about pages that are images without text, given the OCR mode in effect."""
    if options.ocr != "never":
        return "OCR found no text in it"
    if ocr.available():
        return f"read it with {options.flag('ocr')} auto, or OCR it first (ocrmypdf -l jpn)"
    return "install the OCR extra (pip install 'sesaku[ocr]') to read it, or OCR it first (ocrmypdf -l jpn)"


def unmapped_advice(options: Options) -> str:
    """What to do with a page whose font has no Unicode map (``document``)."""
    if options.ocr != "never":
        # OCR was on, but the page cannot be rendered where its glyphs are
        # (a crop box unlike the media box): sesaku's OCR cannot place it.
        return "sesaku cannot render this page for OCR; OCR it first (ocrmypdf -l jpn --force-ocr)"
    if ocr.available():
        return f"sesaku reads such pages by OCR: read it with {options.flag('ocr')} auto"
    return "install the OCR extra (pip install 'sesaku[ocr]') and sesaku reads such pages by OCR"


def repair_notes(messages: Sequence[str]) -> list[str]:
    """pdfminer's repair messages as the document's warnings: each once, at most ``MAX_REPAIR_NOTES``."""
    unique = list(dict.fromkeys(messages))
    notes = [f"the PDF is damaged and was repaired while reading: {m}" for m in unique[:MAX_REPAIR_NOTES]]
    if len(unique) > MAX_REPAIR_NOTES:
        notes.append(f"... and {len(unique) - MAX_REPAIR_NOTES} more repair message(s)")
    return notes


@dataclass(frozen=True)
class StagePage:
    """One page as the stage read it."""

    view: PageView
    settings: Settings = field(repr=False, compare=False)

    @property
    def number(self) -> int:
        return self.view.number

    @property
    def notes(self) -> tuple[str, ...]:
        return self.view.notes

    @cached_property
    def halves(self) -> tuple[PageView, ...]:
        """The page, or its two halves when two pages are printed side by side (``layout``)."""
        return tuple(split_two_up(self.view, self.settings))


@dataclass
class Reading:
    """What one pass over the selected pages read, page by page."""

    tallies: list[tuple[int, GlyphTally]] = field(default_factory=list)
    text_pages: int = 0
    scanned: list[int] = field(default_factory=list)  # images without a text layer, not OCR'd
    ocr_layer_pages: list[int] = field(default_factory=list)  # the PDF's own OCR layer
    recognised: list[int] = field(default_factory=list)  # text recognised, not typeset: OCR layer or sesaku's OCR
    ocr_pages: list[int] = field(default_factory=list)  # read by sesaku's OCR
    ocr_lines: list[tuple[int, str, float]] = field(default_factory=list)  # (page, line, confidence)

    def add(self, view: PageView) -> None:
        number = view.number
        self.tallies.append((number, view.tally))
        if view.text_layer == "ocr":
            self.ocr_pages.append(number)
            self.ocr_lines.extend((number, text, score) for text, score in view.ocr_lines)
        if view.has_text:
            self.text_pages += 1
        if view.text_layer == "ocr_layer":
            self.ocr_layer_pages.append(number)
        if view.text_layer in ("ocr", "ocr_layer"):
            self.recognised.append(number)
        elif view.has_images:
            self.scanned.append(number)


class PageStage:
    """A PDF opened for its consumers: ``with PageStage(path, options) as stage``.

    ``options.ocr`` is the mode in effect (``orchestration`` resolves
    "auto" without the OCR extra to "never" before it gets here).
    """

    def __init__(self, path: Path | str, options: Options, progress: Optional[ProgressFn] = None):
        self.path = Path(path)
        self.options = options
        self.progress = progress
        self.page_count: Optional[int] = None
        self.sha256: Optional[str] = None
        self.metadata: tuple[tuple[str, str], ...] = ()
        self.wanted: list[int] = []
        self.reading = Reading()
        self._repairs: list[str] = []  # pdfminer's log, gathered while the stage is open
        self._reader: Optional[DocumentReader] = None
        self._pass: Optional[Iterator[StagePage]] = None
        self._page: Optional[int] = None  # the page being read or consumed
        self._exit = contextlib.ExitStack()

    # ------------------------------------------------------------ open, close

    def __enter__(self) -> PageStage:
        options = self.options
        setup_readers()
        check_file(self.path, options)
        self.sha256 = file_sha256(self.path)
        self._exit.enter_context(parser_warnings(self._repairs))
        try:
            self._reader = self._exit.enter_context(
                DocumentReader(self.path, options))
            self.page_count = self._reader.page_count
            self.metadata = self._reader.metadata
            self.wanted = select_pages(self.path, options, self.page_count)
        except BaseException as exc:
            self._exit.close()
            raise self._translated(exc) from None
        return self

    def __exit__(self, kind: Optional[type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        # A pass left open (an error in the consumer's loop) is closed first,
        # so its page time limit is disarmed before anything else runs.
        if self._pass is not None:
            self._pass.close()  # type: ignore[attr-defined]
            self._pass = None
        self._exit.close()
        if exc is not None:
            translated = self._translated(exc)
            if translated is not exc:
                raise translated from None

    def _translated(self, exc: BaseException) -> BaseException:
        """The user's one-line error for what went wrong inside the stage or its consumer."""
        if isinstance(exc, DAMAGE):
            return damaged(self.path, exc)
        if isinstance(exc, Timeout):  # a consumer's work on a page ran past the page's time
            return timed_out(self.path, self.options.limits.seconds_per_page, self._page, speaks=self.options.speaks)
        if isinstance(exc, UnmappedFont):
            return UnmappedFont(exc.path, f"{exc.problem}; {unmapped_advice(self.options)}", exc.page)
        return exc

    # ------------------------------------------------------------ pages

    def pages(self, *, reocr_layers: bool = False) -> Iterator[StagePage]:
        """The selected pages, read in order; each is yielded under its page time limit.

        A new pass starts a new ``reading``.  ``reocr_layers``: pages whose
        text is the PDF's own OCR layer are read by sesaku's OCR instead.
        """
        if self._pass is not None:
            self._pass.close()  # type: ignore[attr-defined]
        self._pass = self._read_pages(reocr_layers)
        return self._pass

    def _read_pages(self, reocr_layers: bool) -> Iterator[StagePage]:
        assert self._reader is not None, "open the stage with `with PageStage(...)` first"
        limits, settings = self.options.limits, self.options.settings
        self.reading = reading = Reading()
        with memory_limit(self.options, self.path) as check_memory:
            for done, number in enumerate(self.wanted, 1):
                self._page = number
                with time_limit(limits.seconds_per_page, self.path, number, speaks=self.options.speaks):
                    view = self._reader.read_page(number, self.options.reader, reocr_layer=reocr_layers)
                    reading.add(view)
                    yield StagePage(view, settings)
                check_memory(number)
                if self.progress:
                    self.progress(done, len(self.wanted))
        self._page = None

    # ------------------------------------------------------------ what was read

    @property
    def repairs(self) -> list[str]:
        """pdfminer's repair messages so far, as the document's warnings (``repair_notes``)."""
        return repair_notes(self._repairs)

    @property
    def all_selected(self) -> bool:
        return len(self.wanted) == self.page_count

    def require_text(self) -> None:
        """Raise NoTextLayer when no page read has text."""
        if self.reading.text_pages == 0:
            which = "no page has" if self.all_selected else "none of the pages read has"
            raise NoTextLayer(self.path, f"{which} a text layer (a scan?); {scan_advice(self.options)}")

    def scanned_note(self) -> Optional[str]:
        """The warning for pages that are images without a text layer, skipped."""
        scanned = self.reading.scanned
        if not scanned:
            return None
        return (f"pages {page_ranges(scanned)} are images without a text layer (a scan?) and were skipped; "
                f"{scan_advice(self.options)}")


__all__ = ["DAMAGE", "PageStage", "Reading", "StagePage", "parse_pages", "repair_notes", "scan_advice",
           "select_pages", "unmapped_advice"]
