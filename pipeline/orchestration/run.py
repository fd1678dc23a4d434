"""One document end to end, never raising past ``extract_to_records``.

``extract_document`` runs the phases for one PDF — reading each page
(``reading``), understanding the pages (``understanding``) — and returns a
Document or raises a SesakuError whose one-line message names the file,
the page where relevant, what is wrong and what to do.
``extract_to_records`` turns every outcome into a DocumentReport plus the
rows of every output table (``publishing``), so a batch isolates
documents from each other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from ..errors import (
    BadOption,
    CorruptPdf,
    LimitExceeded,
    NoPagesSelected,
    NoPlanTable,
    NoTextLayer,
    SesakuError,
    UnmappedFont,
)
from ..models import Document, SourceRef, page_ranges
from ..publishing.records import document_to_records, schema_problems
from ..reading import ocr
from ..reading.document import DocumentReader
from ..reading.guards import Limits, check_file, file_sha256, memory_limit, parser_warnings, time_limit
from ..reading.ledger import tallies_to_summary, tallies_to_warnings
from ..reading.text import view_text
from ..settings import DEFAULT, Settings
from ..understanding.accounting import account
from ..understanding.document import DocumentUnderstanding
from ..understanding.table.agreement import grids_to_agreement_counts
from ..understanding.table.engines import EngineSource, check_engine, make_engine
from .docids import stem_doc_id

ProgressFn = Callable[[int, int], None]

# Parsers raise these (and only these) on damaged bytes; anything else from
# a stage is a bug and is reported as one.
_DAMAGE = (PSException, PdfminerException, MalformedPDFException, zlib.error, RecursionError)


_LAST_PAGE = ("end", "last")


def parse_pages(value: Optional[str], page_count: int) -> list[int]:
    """``--pages 1-3,7`` to page numbers (1-based).

    ``all``; ``end`` (or ``last``) for the last page, also in ranges
    (``5-end``); an open range (``5-``, ``-3``) runs to the last / from the
    first page.  Pages past the end are ignored here; the caller says so
    when none is left.
    """
    if not value or value.strip().lower() == "all":
        return list(range(1, page_count + 1))
    usage = f"--pages {value!r}: use page numbers and ranges such as 1-3,7 or 5-end, or all"

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
                    raise ValueError(f"--pages {value!r}: the range {part} runs backwards")
                pages.update(range(first, last + 1))
            elif part:
                pages.add(number(part, 1))
        except ValueError as exc:
            raise ValueError(str(exc) if str(exc).startswith("--pages") else usage) from None
    return sorted(p for p in pages if 1 <= p <= page_count)


@dataclass(frozen=True)
class Options:
    """Everything that decides what a document's records are (the cache key hashes all of it)."""

    engine: str = "pdfplumber"
    prefer: str = "pdfplumber"
    pages: Optional[str] = None
    password: Optional[str] = None
    limits: Limits = Limits()
    settings: Settings = DEFAULT
    # (value, label) pairs replacing the default 達成状況区分 legend where
    # the document prints none (--rating-legend FILE).
    rating_legend: tuple[tuple[int, str], ...] = ()
    # --ocr as it takes effect here: "auto" without the ocr extra is "never"
    # (``ocr_mode``), so a cached result says which it was.
    ocr: str = "never"


def ocr_mode(requested: str) -> str:
    """The OCR mode a run can honour: ``auto`` needs the ocr extra, else nothing is OCR'd.

    Raises ValueError for an unknown mode and for ``always`` without the extra."""
    if requested not in ocr.MODES:
        raise ValueError(f"--ocr must be one of {', '.join(ocr.MODES)}, not {requested!r}")
    if requested == "never" or ocr.available():
        return requested
    if requested == "always":
        raise ValueError("--ocr always needs the OCR extra: pip install 'sesaku[ocr]'")
    return "never"


def _scan_advice(options: Options) -> str:
    if options.ocr != "never":
        return "OCR found no text in it"
    if ocr.available():
        return "read it with --ocr auto, or OCR it first (ocrmypdf -l jpn)"
    return "install the OCR extra (pip install 'sesaku[ocr]') to read it, or OCR it first (ocrmypdf -l jpn)"


def _unmapped_advice(mode: str) -> str:
    """What to do with a page whose font has no Unicode map (``reading.document``)."""
    if mode != "never":
        # OCR was on, but the page cannot be rendered where its glyphs are
        # (a crop box unlike the media box): sesaku's OCR cannot place it.
        return "sesaku cannot render this page for OCR; OCR it first (ocrmypdf -l jpn --force-ocr)"
    if ocr.available():
        return "sesaku reads such pages by OCR: read it with --ocr auto"
    return "install the OCR extra (pip install 'sesaku[ocr]') and sesaku reads such pages by OCR"


@contextlib.contextmanager
def font_advice(mode: str) -> Iterator[None]:
    """A page of glyph ids fails with what to do about it, which depends on the OCR mode."""
    try:
        yield
    except UnmappedFont as exc:
        raise UnmappedFont(exc.path, f"{exc.problem}; {_unmapped_advice(mode)}", exc.page) from None


def extract_document(
    path: Path | str,
    *,
    engine: str = "pdfplumber",
    prefer: str = "pdfplumber",
    pages: Optional[str] = None,
    password: Optional[str] = None,
    limits: Limits = Limits(),
    settings: Settings = DEFAULT,
    progress: Optional[ProgressFn] = None,
    doc_id: Optional[str] = None,
    ocr: str = "auto",
    log: Optional[ReadingLog] = None,
) -> Document:
    """The whole pipeline for one PDF.  Raises a SesakuError for bad input.

    ``doc_id`` defaults to the file stem (a batch assigns unique ones,
    ``orchestration.docids``).  ``log``, if given, is filled as pages are
    read, so a document that fails still says what was read of it.
    """
    path = Path(path)
    check_file(path, limits)
    sha = file_sha256(path)
    check_engine(engine, prefer)  # an unknown engine fails before any work
    try:
        mode = ocr_mode(ocr)
    except ValueError as exc:
        raise BadOption(path, str(exc)) from None
    options = Options(engine, prefer, pages, password, limits, settings, ocr=mode)
    damage: list[str] = []
    with parser_warnings(damage):
        try:
            document = _extract(path, sha, options, progress, doc_id or stem_doc_id(path), log or ReadingLog())
        except _DAMAGE as exc:
            raise CorruptPdf(path, f"the PDF is damaged and cannot be read ({type(exc).__name__}); download it again") from None
    if damage:
        unique = list(dict.fromkeys(damage))
        notes = [f"the PDF is damaged and was repaired while reading: {m}" for m in unique[:5]]
        if len(unique) > 5:
            notes.append(f"... and {len(unique) - 5} more repair message(s)")
        document = dataclasses.replace(document, warnings=tuple(notes) + document.warnings)
    return document


def read_text(
    path: Path, pages: Optional[str] = None, password: Optional[str] = None, reader: str = "auto",
    limits: Limits = Limits(), settings: Settings = DEFAULT, warnings: Optional[list[str]] = None,
    layout: bool = False,
    ocr: str = "never",
) -> Iterator[tuple[int, list[str]]]:
    """(page number, text lines) of each selected page, as sesaku reads it;
    a line's cells are separated by a tab, or with ``layout`` placed at
    columns proportional to their x (``reading.text``).

    ``ocr`` is the mode as ``ocr_mode`` gives it: pages read by OCR in
    ``extract`` (images without text, fonts without a Unicode map) are read
    by OCR here too.  Raises a SesakuError for bad input, like ``extract_document``.
    """
    path = Path(path)
    check_file(path, limits)
    notes = warnings if warnings is not None else []
    with parser_warnings(notes), font_advice(ocr):
        try:
            with DocumentReader(path, password, limits, settings, ocr_mode=ocr) as doc:
                try:
                    wanted = parse_pages(pages, doc.page_count)
                except ValueError as exc:
                    raise BadOption(path, str(exc)) from None
                if not wanted:
                    raise NoPagesSelected(path, f"--pages {pages} selects none of its {doc.page_count} page(s)")
                for number in wanted:
                    with time_limit(limits.seconds_per_page, path, number):
                        view = doc.read_page(number, notes, reader=reader)
                    yield number, view_text(view, settings, layout)
        except _DAMAGE as exc:
            raise CorruptPdf(path, f"the PDF is damaged and cannot be read ({type(exc).__name__}); download it again") from None


def selected_pages(path: Path, options: Options, page_count: int) -> list[int]:
    """The pages ``--pages`` selects of a document, within the page limit; raises for bad input."""
    limits = options.limits
    if page_count > limits.max_pages:
        raise LimitExceeded(path, f"{page_count} pages, over the {limits.max_pages}-page limit; raise --max-pages to allow it")
    try:
        wanted = parse_pages(options.pages, page_count)
    except ValueError as exc:
        raise BadOption(path, str(exc)) from None
    if not wanted:
        raise NoPagesSelected(path, f"--pages {options.pages} selects none of its {page_count} page(s)")
    return wanted


@dataclass
class ReadingLog:
    """What was read of a document so far: its page count and each page's glyph tally."""

    page_count: Optional[int] = None
    tallies: list = field(default_factory=list)
    ocr_pages: list = field(default_factory=list)  # pages sesaku read by OCR
    ocr_lines: list = field(default_factory=list)  # (page, line text, confidence)


def _extract(path: Path, sha: str, options: Options, progress: Optional[ProgressFn], doc_id: str,
             log: ReadingLog, reread_ocr_layers: bool = False) -> Document:
    limits = options.limits
    with font_advice(options.ocr), DocumentReader(path, options.password, limits, options.settings,
                                                  ocr_mode=options.ocr, reread_ocr_layers=reread_ocr_layers) as reader:
        page_count = log.page_count = reader.page_count
        metadata = reader.metadata
        wanted = selected_pages(path, options, page_count)
        engine = make_engine(options.engine, EngineSource(path, options.password), options.settings, prefer=options.prefer)
        understanding = DocumentUnderstanding(path, engine, options.settings)
        notes: list[str] = []
        text_pages = 0
        scanned: list[int] = []
        ocr_pages: list[int] = []  # text recognised, not typeset: the PDF's OCR layer or sesaku's OCR
        ocr_layer_pages: list[int] = []
        with memory_limit(limits, path) as check_memory:
            for done, number in enumerate(wanted, 1):
                with time_limit(limits.seconds_per_page, path, number):
                    view = reader.read_page(number, notes)
                    log.tallies.append((number, view.tally))
                    if view.text_layer == "ocr":
                        log.ocr_pages.append(number)
                        log.ocr_lines.extend((number, text, score) for text, score in view.ocr_lines)
                    if view.has_text:
                        text_pages += 1
                    if view.text_layer == "ocr_layer":
                        ocr_layer_pages.append(number)
                    if view.text_layer in ("ocr", "ocr_layer"):
                        ocr_pages.append(number)
                    elif view.has_images:
                        scanned.append(number)
                    understanding.add_page(view)
                check_memory(number)
                if progress:
                    progress(done, len(wanted))
    if text_pages == 0:
        which = "no page has" if len(wanted) == page_count else "none of the pages read has"
        raise NoTextLayer(path, f"{which} a text layer (a scan?); {_scan_advice(options)}")
    if not understanding.grids and scanned:
        raise NoTextLayer(
            path, f"no 施策計画 table in the text, and pages {page_ranges(scanned)} are images without a text layer "
            f"(a scan?); {_scan_advice(options)}",
        )
    if ocr_layer_pages:
        notes.append(f"pages {page_ranges(ocr_layer_pages)}: the text is the OCR layer of a scan (invisible text over the page image) "
                     "and table borders were found in the image; OCR misreads characters, so check these pages")
    if scanned:
        notes.append(f"pages {page_ranges(scanned)} are images without a text layer (a scan?) and were skipped; {_scan_advice(options)}")
    notes.extend(tallies_to_warnings(log.tallies))
    # Stitching and interpretation are linear in the pages read and far
    # cheaper per page than reading one (~0.01 s against ~0.2 s), so the
    # pages' own allowance bounds them with room to spare.
    with time_limit(limits.seconds_per_page * len(wanted), path, what="assembling the table"):
        try:
            plan, narrative, warnings = understanding.finish(notes)
        except NoPlanTable as exc:
            # An OCR layer can be too garbled to find the table by (tesseract
            # reads 目標 as "=" or 日標): under --ocr auto sesaku reads those
            # pages again itself before giving up.
            if not ocr_layer_pages or options.ocr != "auto" or reread_ocr_layers:
                raise
            for pages_read in (log.tallies, log.ocr_pages, log.ocr_lines):
                pages_read.clear()  # the second reading is the one the report gives
            document = _extract(path, sha, options, progress, doc_id, log, reread_ocr_layers=True)
            why = f"pages {page_ranges(ocr_layer_pages)}: the PDF's OCR layer was too poor to read ({exc.problem}); sesaku's OCR read them again"
            return dataclasses.replace(document, warnings=(why,) + document.warnings)
    return Document(
        doc_id=doc_id,
        source=SourceRef(path.name, sha),
        page_count=page_count,
        plan=plan,
        narrative=narrative,
        grids=tuple(understanding.grids),
        warnings=tuple(warnings),
        metadata=metadata,
        ocr_pages=tuple(ocr_pages),
        glyphs=tuple(log.tallies),
    )


@dataclass
class DocumentReport:
    path: str
    doc_id: str
    sha256: Optional[str] = None
    status: str = "ok"  # ok | failed
    error: Optional[str] = None
    error_kind: Optional[str] = None
    pages: Optional[int] = None
    rows: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    seconds: float = 0.0
    # Where the characters inside the table regions and of the prose pages went
    # (understanding.accounting): into fields, explained as headings, labels,
    # bullets or running heads, or left over (the prose's keys start with prose_).
    accounting: dict = field(default_factory=dict)
    # With --engine both: how many cells the two engines agree on.
    agreement: dict = field(default_factory=dict)
    # The glyph ledger of the pages read (reading.ledger): what the pages'
    # text operators show against what the readers gave and sesaku kept.
    glyphs: dict = field(default_factory=dict)
    # Pages read by sesaku's OCR: engine and version, mean confidence and the
    # least sure lines and, per table, the values to check by eye first (reading.ocr.ocr_summary).
    ocr: dict = field(default_factory=dict)
    cached: bool = False  # taken from the cache of an earlier run (same bytes, code, options)


class _RowsBreakSchema(Exception):
    pass


def failure_of(exc: Exception, path, limits: Limits) -> tuple[str, str]:
    """(one-line error, kind) for a document that failed: the same words for every command."""
    if isinstance(exc, SesakuError):
        return str(exc), exc.kind
    if isinstance(exc, MemoryError):
        return (f"{path}: ran out of memory (limit {limits.max_memory_mb:g} MB); "
                "raise --max-memory-mb or free memory"), "limit"
    detail = " ".join(str(exc).split())[:200]
    return f"{path}: internal error {type(exc).__name__}: {detail} (please report this with the PDF)", "internal"


def extract_to_records(
    path: str, options: Options, progress: Optional[ProgressFn] = None, doc_id: Optional[str] = None,
) -> tuple[DocumentReport, Optional[dict]]:
    """Extract one document into table rows, never raising: failures become a report."""
    started = time.perf_counter()
    report = DocumentReport(path=str(path), doc_id=doc_id or stem_doc_id(Path(path)))
    log = ReadingLog()
    try:
        doc = extract_document(
            path, engine=options.engine, prefer=options.prefer, pages=options.pages, password=options.password,
            limits=options.limits, settings=options.settings, progress=progress, doc_id=report.doc_id,
            ocr=options.ocr, log=log,
        )
        accounting = account(doc)
        records = document_to_records(doc, accounting, configured_legend=options.rating_legend or None)
        problems = schema_problems(records)
        if problems:
            # A bug to report, found here so that this document fails alone
            # and writing the batch's tables never does.
            raise _RowsBreakSchema("; ".join(problems))
        report.sha256 = doc.source.sha256
        report.pages = doc.page_count
        report.rows = {name: len(rows) for name, rows in records.items()}
        report.warnings = list(doc.warnings)
        report.accounting = accounting.summary
        report.agreement = grids_to_agreement_counts(doc.grids)
    except _RowsBreakSchema as exc:
        records = None
        report.status, report.error_kind = "failed", "internal"
        report.error = f"{path}: internal error: the extracted rows break the output schema ({exc}); please report this with the PDF"
    except Exception as exc:  # bad input, or a bug: it must not take the batch down; it is reported
        records = None
        report.status = "failed"
        report.error, report.error_kind = failure_of(exc, path, options.limits)
    if report.pages is None:
        report.pages = log.page_count
    report.glyphs = tallies_to_summary(log.tallies)
    report.ocr = ocr.ocr_summary(log.ocr_pages, log.ocr_lines, records["cells"] if records else None)
    if report.sha256 is None and Path(path).is_file():
        with contextlib.suppress(OSError):
            report.sha256 = file_sha256(Path(path))
    report.seconds = round(time.perf_counter() - started, 3)
    return report, records


__all__ = ["DocumentReport", "Limits", "Options", "extract_document", "extract_to_records", "parse_pages"]
