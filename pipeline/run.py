"""One document end to end, never raising past ``extract_to_records``.

``extract_document`` is the whole pipeline for one PDF (open → pages →
locate → grid → stitch → interpret, narrative) and returns a Document or
raises a SesakuError whose one-line message names the file, the page
where relevant, what is wrong and what to do.  ``extract_to_records``
turns every outcome into a DocumentReport, so a batch (``batch.py``)
isolates documents from each other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import multiprocessing
import os
import signal
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from normalizers.errors import NormalizeError

from .agreement import grids_to_agreement_counts
from .engines import ENGINES, get_engine, region_to_grid
from .errors import (
    BadOption,
    CorruptPdf,
    EmptyFile,
    EncryptedPdf,
    LimitExceeded,
    NoPagesSelected,
    NoPlanTable,
    NotAPdf,
    NoTextLayer,
    SesakuError,
    UnmappedFont,
)
from .leftovers import account
from .locate import page_to_regions
from .models import Document, Grid, Narrative, Plan, SourceRef
from . import pdfium_reader
from .pages import PageView, pdf_page_to_view
from .records import document_to_records
from .sections import PageItem, merge_sections, pages_to_sections, section_to_plan
from .stitch import NoTableHeader
from .text import chars_to_lines

try:  # POSIX only; elsewhere the memory limit is the per-page check alone
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Limits:
    """Guards against absurd inputs; every one is configurable on the CLI."""

    max_bytes: int = 200 * 1024 * 1024  # the largest real report seen is ~30 MB
    max_pages: int = 3000
    seconds_per_page: float = 60.0  # a dense table page takes ~0.2 s here
    # Memory one document may add to the process.  Pages are closed after
    # reading, so use stays flat: the three 11-14 page fixtures peak at
    # ~66 MB RSS for the whole interpreter.  0 disables the limit.
    max_memory_mb: float = 2048.0
    # A page whose glyphs are mostly unmapped (cid:NN) is unreadable; a few
    # stray symbols from a dingbat font are tolerated (and left out).
    max_cid_share: float = 0.2


ProgressFn = Callable[[int, int], None]

# Parsers raise these (and only these) on damaged bytes; anything else from
# a stage is a bug and is reported as one.
_DAMAGE = (PSException, PdfminerException, MalformedPDFException, zlib.error, RecursionError)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_file(path: Path, limits: Limits) -> None:
    """Cheap checks before any parsing: exists, not empty, a PDF, not absurd."""
    if not path.exists():
        raise NotAPdf(path, "file not found; check the path")
    if not path.is_file():
        raise NotAPdf(path, "not a file; give a PDF or a folder of PDFs")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(path, "the file is empty (0 bytes); download it again")
    if size > limits.max_bytes:
        raise LimitExceeded(
            path, f"file is {size / 1024 / 1024:.0f} MB, over the {limits.max_bytes / 1024 / 1024:.0f} MB limit; raise --max-mb to allow it"
        )
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise NotAPdf(path, "not a PDF (no %PDF- header); check that the download is the PDF and not an HTML page")


class _Timeout(BaseException):
    """Raised from SIGALRM.  A BaseException, so that no ``except Exception``
    inside a parser can swallow it and carry on past the limit."""


@contextlib.contextmanager
def time_limit(seconds: float, path: Path, page: Optional[int] = None, what: str = "the page") -> Iterator[None]:
    """Abort work that takes absurdly long (where signals are usable: the
    main thread of a POSIX process, which includes every batch worker)."""
    usable = hasattr(signal, "setitimer") and _in_main_thread()
    if not usable or seconds <= 0:
        yield
        return
    armed = [True]

    def on_alarm(signum, frame):
        if armed[0]:
            raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    except _Timeout:
        raise LimitExceeded(path, f"{what} took longer than {seconds:g} s; raise --seconds-per-page to allow it", page) from None
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _statm(field_no: int) -> Optional[int]:
    """Bytes from /proc/self/statm (0: virtual size, 1: resident); None off Linux."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[field_no]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _rss_bytes() -> Optional[int]:
    return _statm(1)


@contextlib.contextmanager
def memory_limit(limits: Limits, path: Path) -> Iterator[Callable[[int], None]]:
    """Yields ``check(page)``, raising LimitExceeded once the document has
    grown the process by more than ``max_memory_mb``.

    The check runs between pages.  Inside a worker process (never in the
    caller's own process, where it would cap unrelated work) the address
    space is also capped with RLIMIT_AS for the document's duration, so a
    single runaway allocation fails with MemoryError instead of swapping.
    """
    budget = int(limits.max_memory_mb * 1024 * 1024)
    start = _rss_bytes()

    def check(page: int) -> None:
        now = _rss_bytes()
        if budget > 0 and start is not None and now is not None and now - start > budget:
            raise LimitExceeded(
                path, f"used {(now - start) / 1024 / 1024:.0f} MB, over the {limits.max_memory_mb:g} MB memory limit; "
                "raise --max-memory-mb to allow it", page,
            )

    capped = None
    vm = _statm(0)
    if budget > 0 and resource is not None and vm is not None and multiprocessing.parent_process() is not None:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = vm + budget
        if hard == resource.RLIM_INFINITY or cap < hard:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
                capped = (soft, hard)
    try:
        yield check
    finally:
        if capped is not None:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_AS, capped)


class _Collect(logging.Handler):
    def __init__(self, out: list[str]):
        super().__init__(logging.WARNING)
        self.out = out

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            self.out.append(record.getMessage())


@contextlib.contextmanager
def parser_warnings(out: list[str]) -> Iterator[None]:
    """pdfminer logs what it repairs in a damaged file; keep it off stderr
    (one summary line per document is the CLI's contract) and hand it to
    the document's warnings instead."""
    logger = logging.getLogger("pdfminer")
    handler = _Collect(out)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _open(path: Path, password: Optional[str]):
    try:
        return pdfplumber.open(path, password=password or "")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            if password:
                raise EncryptedPdf(path, "the password given with --password is wrong") from None
            raise EncryptedPdf(path, "the PDF is encrypted; give its password with --password") from None
        raise CorruptPdf(path, f"the PDF is damaged and cannot be read ({type(cause).__name__}); download it again") from None
    except Exception as exc:  # pdfminer raises many types on garbage
        raise CorruptPdf(path, f"the PDF is damaged and cannot be read ({type(exc).__name__}); download it again") from None


def _close(pdf) -> None:
    # pdfplumber's close() walks the page tree again, which raises on the
    # very damage that made us stop: it must not replace the real error.
    with contextlib.suppress(Exception):
        pdf.close()


def _cid_share(view: PageView) -> float:
    if not view.chars:
        return 0.0
    return sum(1 for c in view.chars if _unmapped(c)) / len(view.chars)


def _unmapped(char: dict) -> bool:
    return char["text"].startswith("(cid:")


def _drop_unmapped(view: PageView, warnings: list[str]) -> PageView:
    """``(cid:NN)`` is a glyph id, not text: never let it reach a field."""
    unmapped = [c for c in view.chars if _unmapped(c)]
    if not unmapped:
        return view
    first = unmapped[0]
    warnings.append(
        f"page {view.number}: {len(unmapped)} glyph(s) of a font without a Unicode map, shown as (cid:NN), were "
        f"left out (first at x={first['x0']:.0f}, top={first['top']:.0f}); the text around them may be incomplete"
    )
    chars = tuple(c for c in view.chars if not _unmapped(c))
    return dataclasses.replace(view, chars=chars, lines=tuple(chars_to_lines(chars)))


def _page_ranges(pages: list[int]) -> str:
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def parse_pages(value: Optional[str], page_count: int) -> list[int]:
    """``--pages 1-3,7`` to page numbers (1-based)."""
    if not value:
        return list(range(1, page_count + 1))
    pages: set[int] = set()
    for part in value.split(","):
        part = part.strip()
        try:
            if "-" in part:
                lo, hi = part.split("-", 1)
                pages.update(range(int(lo), int(hi or page_count) + 1))
            elif part:
                pages.add(int(part))
        except ValueError:
            raise ValueError(f"--pages {value!r}: use page numbers and ranges such as 1-3,7") from None
    return sorted(p for p in pages if 1 <= p <= page_count)


def extract_document(
    path: Path | str,
    *,
    engine: str = "pdfplumber",
    prefer: str = "pdfplumber",
    pages: Optional[str] = None,
    password: Optional[str] = None,
    limits: Limits = Limits(),
    progress: Optional[ProgressFn] = None,
) -> Document:
    """The whole pipeline for one PDF.  Raises a SesakuError for bad input."""
    path = Path(path)
    check_file(path, limits)
    sha = file_sha256(path)
    get_engine(engine)  # an unknown engine fails before any work
    damage: list[str] = []
    with parser_warnings(damage):
        try:
            document = _extract(path, sha, (engine, prefer), pages, password, limits, progress)
        except _DAMAGE as exc:
            raise CorruptPdf(path, f"the PDF is damaged and cannot be read ({type(exc).__name__}); download it again") from None
    if damage:
        unique = list(dict.fromkeys(damage))
        notes = [f"the PDF is damaged and was repaired while reading: {m}" for m in unique[:5]]
        if len(unique) > 5:
            notes.append(f"... and {len(unique) - 5} more repair message(s)")
        document = dataclasses.replace(document, warnings=tuple(notes) + document.warnings)
    return document


def _extract(path, sha, engine: tuple[str, str], pages, password, limits, progress) -> Document:
    """``engine`` is (engine name, preferred engine where two disagree)."""
    with time_limit(limits.seconds_per_page, path, what="opening the PDF (its cross-reference table)"):
        pdf = _open(path, password)
        try:
            page_count = len(pdf.pages)
        except Exception as exc:
            _close(pdf)
            raise CorruptPdf(path, f"the page tree is damaged ({type(exc).__name__}); download it again") from None
    fast = _open_fast(path, password)
    try:
        return _read(pdf, path, sha, engine, pages, limits, progress, page_count, fast)
    finally:
        _close(pdf)
        if fast is not None:
            pdfium_reader.close_document(fast)


def _open_fast(path, password):
    """PDFium's view of the same file, or None (pdfplumber then reads every page)."""
    try:
        return pdfium_reader.open_document(path, password)
    except Exception:  # pdfplumber has already opened it; its errors are the clear ones
        return None


def _page_view(page, fast, index: int) -> PageView:
    """Read a page with PDFium where it can, else with pdfplumber (pdfminer)."""
    if fast is not None:
        try:
            if pdfium_reader.usable(fast, index) and not pdfium_reader.has_unmapped_fonts(page.page_obj):
                chars = pdfium_reader.page_chars(fast, index)
                if chars is not None:
                    return pdf_page_to_view(page, chars, pdfium_reader.page_paths(fast, index))
        except Exception:  # a page PDFium cannot read is read the slow way
            pass
    return pdf_page_to_view(page)


def _read(pdf, path, sha, engine: tuple[str, str], pages, limits, progress, page_count, fast=None) -> Document:
    if page_count > limits.max_pages:
        raise LimitExceeded(path, f"{page_count} pages, over the {limits.max_pages}-page limit; raise --max-pages to allow it")
    try:
        wanted = parse_pages(pages, page_count)
    except ValueError as exc:
        raise BadOption(path, str(exc)) from None
    if not wanted:
        raise NoPagesSelected(path, f"--pages {pages} selects none of its {page_count} page(s)")
    items: list[PageItem] = []  # prose views and table grids, in page order
    grids: list[Grid] = []
    notes: list[str] = []
    text_pages = 0
    scanned: list[int] = []
    continuing = False
    with memory_limit(limits, path) as check_memory:
        for done, number in enumerate(wanted, 1):
            with time_limit(limits.seconds_per_page, path, number):
                try:
                    page = pdf.pages[number - 1]
                    view = _page_view(page, fast, number - 1)
                except SesakuError:
                    raise
                except Exception as exc:
                    raise CorruptPdf(path, f"the page cannot be read ({type(exc).__name__}); download the PDF again", number) from None
                if view.has_text:
                    text_pages += 1
                    if _cid_share(view) > limits.max_cid_share:
                        raise UnmappedFont(
                            path,
                            "text uses a font without a Unicode map and extracts as (cid:NN); "
                            "re-export the PDF with embedded Unicode fonts or OCR it",
                            number,
                        )
                    view = _drop_unmapped(view, notes)
                elif _has_images(page):
                    scanned.append(number)
                regions = page_to_regions(view.lines, view.table_bboxes, continuing)
                for table_no, bbox in enumerate(regions, 1):
                    grids.append(
                        region_to_grid(engine[0], path, page, bbox, view.chars, number, table_no, prefer=engine[1])
                    )
                    items.append(grids[-1])
                if not regions and view.has_text:
                    # Prose needs only its lines: dropping the glyphs keeps
                    # memory flat over a long report's many prose pages.
                    items.append(dataclasses.replace(view, chars=(), page=None))
                continuing = bool(regions)
                page.close()  # drop pdfplumber's per-page caches: memory stays flat
            check_memory(number)
            if progress:
                progress(done, len(wanted))
    if text_pages == 0:
        which = "no page has" if len(wanted) == page_count else "none of the pages read has"
        raise NoTextLayer(path, f"{which} a text layer (a scan?); run OCR first, e.g. ocrmypdf -l jpn")
    if not grids and scanned:
        raise NoTextLayer(
            path, f"no 施策計画 table in the text, and pages {_page_ranges(scanned)} are images without a text layer "
            "(a scan?); run OCR first, e.g. ocrmypdf -l jpn",
        )
    if not grids:
        raise NoPlanTable(path, "no 施策計画 table found (no ruled table with the header 施策計画名 / 現状 / 目標)")
    if scanned:
        notes.append(f"pages {_page_ranges(scanned)} are images without a text layer (a scan?) and were skipped; OCR them to include them")
    # Stitching and interpretation are linear in the pages read and far
    # cheaper per page than reading one (~0.01 s against ~0.2 s), so the
    # pages' own allowance bounds them with room to spare.
    with time_limit(limits.seconds_per_page * len(wanted), path, what="assembling the table"):
        try:
            parts = [section_to_plan(section) for section in pages_to_sections(items)]
        except NoTableHeader as exc:
            raise NoPlanTable(path, str(exc)) from None
        except NormalizeError as exc:
            raise NoPlanTable(path, f"the 施策計画 table header cannot be read ({exc}); check the year columns of 目標") from None
        if not parts:
            raise NoPlanTable(path, "no 施策計画 table header found (施策計画名 / 現状 / 目標)")
        plan, narrative = merge_sections(parts)
        if not any(p.measures for p in plan.programs):
            raise NoPlanTable(path, "a 施策計画 header was found but no measure (○ NAME) under it")
        if len(parts) > 1:
            notes.append(f"{len(parts)} plan sections (prose then tables) read; programs and measures are numbered through the document")
    warnings = list(plan.warnings) + _rating_mismatches(plan, narrative) + notes
    return Document(
        doc_id=path.stem,
        source=SourceRef(path.name, sha, 0),
        page_count=page_count,
        plan=plan,
        narrative=narrative,
        grids=tuple(grids),
        warnings=tuple(warnings),
    )


def _has_images(page) -> bool:
    try:
        return bool(page.images)
    except Exception:  # a damaged image dictionary: still no text on the page
        return False


def _rating_mismatches(plan: Plan, narrative: Narrative) -> list[str]:
    """The prose heading and the table row rate the same program: say when they differ."""
    out = []
    prose = {p.no: p for p in narrative.programs}
    for program in plan.programs:
        other = prose.get(program.no)
        if other is None:
            if narrative.programs:
                out.append(f"program {program.no} ({program.name}) has no heading in the prose pages")
            continue
        a, b = program.rating, other.rating
        if (a and (a.value, a.revised)) != (b and (b.value, b.revised)):
            out.append(
                f"program {program.no} ({program.name}): table rating {a.raw if a else None} "
                f"differs from the prose rating {b.raw if b else None}"
            )
    return out


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
    # Where the characters inside the table regions went (leftovers.account):
    # into fields, explained as headings/labels/bullets, or left over.
    accounting: dict = field(default_factory=dict)
    # With --engine both: how many cells the two engines agree on.
    agreement: dict = field(default_factory=dict)
    cached: bool = False  # taken from the cache of an earlier run (same bytes, code, options)


@dataclass(frozen=True)
class Options:
    engine: str = "pdfplumber"
    prefer: str = "pdfplumber"
    pages: Optional[str] = None
    password: Optional[str] = None
    limits: Limits = Limits()


def extract_to_records(path: str, options: Options, progress: Optional[ProgressFn] = None) -> tuple[DocumentReport, Optional[dict]]:
    """Extract one document into table rows, never raising: failures become a report."""
    started = time.perf_counter()
    report = DocumentReport(path=str(path), doc_id=Path(path).stem)
    try:
        doc = extract_document(
            path, engine=options.engine, prefer=options.prefer, pages=options.pages, password=options.password,
            limits=options.limits, progress=progress,
        )
        accounting = account(doc)
        records = document_to_records(doc, accounting)
        report.sha256 = doc.source.sha256
        report.pages = doc.page_count
        report.rows = {name: len(rows) for name, rows in records.items()}
        report.warnings = list(doc.warnings)
        report.accounting = accounting.summary
        report.agreement = grids_to_agreement_counts(doc.grids)
    except SesakuError as exc:
        records = None
        report.status, report.error, report.error_kind = "failed", str(exc), exc.kind
    except MemoryError:
        records = None
        report.status, report.error_kind = "failed", "limit"
        report.error = (
            f"{path}: ran out of memory (limit {options.limits.max_memory_mb:g} MB); "
            "raise --max-memory-mb or free memory"
        )
    except Exception as exc:  # a bug must not take the batch down; it is reported
        records = None
        report.status = "failed"
        detail = " ".join(str(exc).split())[:200]
        report.error = f"{path}: internal error {type(exc).__name__}: {detail} (please report this with the PDF)"
        report.error_kind = "internal"
    if report.sha256 is None and Path(path).is_file():
        with contextlib.suppress(OSError):
            report.sha256 = file_sha256(Path(path))
    report.seconds = round(time.perf_counter() - started, 3)
    return report, records


__all__ = ["ENGINES", "extract_document", "extract_to_records", "Limits", "Options", "DocumentReport", "parse_pages"]
