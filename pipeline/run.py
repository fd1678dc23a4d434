"""One document end to end, and batches of them with a run report.

``extract_document`` is the whole pipeline for one PDF (open → pages →
locate → grid → stitch → interpret, narrative) and returns a Document or
raises a SesakuError.  ``run_batch`` isolates documents from each other:
one bad file is reported and never stops or corrupts the others.
"""

from __future__ import annotations

import contextlib
import hashlib
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from .engines import ENGINES, get_engine, region_to_grid
from .errors import (
    CorruptPdf,
    EmptyFile,
    EncryptedPdf,
    LimitExceeded,
    NoPlanTable,
    NotAPdf,
    NoTextLayer,
    SesakuError,
    UnmappedFont,
)
from .interpret import table_to_plan
from .locate import page_to_regions
from .models import Document, Grid, Narrative, Plan, SourceRef
from .narrative import lines_to_plan_title, pages_to_narrative
from .pages import PageView, pdf_page_to_view
from .records import document_to_records
from .stitch import NoTableHeader, grids_to_table


@dataclass(frozen=True)
class Limits:
    """Guards against absurd inputs; every one is configurable on the CLI."""

    max_bytes: int = 200 * 1024 * 1024  # the largest real report seen is ~30 MB
    max_pages: int = 3000
    seconds_per_page: float = 60.0  # a dense table page takes ~0.2 s here
    # A page whose glyphs are mostly unmapped (cid:NN) is unreadable; a few
    # stray symbols from a dingbat font are tolerated.
    max_cid_share: float = 0.2


ProgressFn = Callable[[int, int], None]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_file(path: Path, limits: Limits) -> None:
    """Cheap checks before any parsing: exists, not empty, a PDF, not absurd."""
    if not path.exists():
        raise NotAPdf(path, "file not found")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(path, "the file is empty (0 bytes); download it again")
    if size > limits.max_bytes:
        raise LimitExceeded(
            path, f"file is {size / 1e6:.0f} MB, over the {limits.max_bytes / 1e6:.0f} MB limit; raise --max-mb to allow it"
        )
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise NotAPdf(path, "not a PDF (no %PDF- header); check that the download is the PDF and not an HTML page")


@contextlib.contextmanager
def time_limit(seconds: float, path: Path, page: int):
    """Abort a page that takes absurdly long (only where signals are usable)."""
    usable = hasattr(signal, "setitimer") and _in_main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def on_alarm(signum, frame):
        raise LimitExceeded(path, f"took longer than {seconds:g} s; raise --seconds-per-page to allow it", page)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


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


def _cid_share(view: PageView) -> float:
    if not view.chars:
        return 0.0
    return sum(1 for c in view.chars if c["text"].startswith("(cid:")) / len(view.chars)


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
    with _open(path, password) as pdf:
        try:
            page_count = len(pdf.pages)
        except Exception as exc:
            raise CorruptPdf(path, f"the page tree is damaged ({type(exc).__name__}); download it again") from None
        if page_count > limits.max_pages:
            raise LimitExceeded(path, f"{page_count} pages, over the {limits.max_pages}-page limit; raise --max-pages")
        wanted = parse_pages(pages, page_count)
        prose: list[PageView] = []
        grids: list[Grid] = []
        text_pages = 0
        continuing = False
        for done, number in enumerate(wanted, 1):
            with time_limit(limits.seconds_per_page, path, number):
                try:
                    page = pdf.pages[number - 1]
                    view = pdf_page_to_view(page)
                except SesakuError:
                    raise
                except Exception as exc:
                    raise CorruptPdf(path, f"the page cannot be read ({type(exc).__name__})", number) from None
                if view.has_text:
                    text_pages += 1
                    if _cid_share(view) > limits.max_cid_share:
                        raise UnmappedFont(
                            path,
                            "text uses a font without a Unicode map and extracts as (cid:NN); "
                            "re-export the PDF with embedded Unicode fonts or OCR it",
                            number,
                        )
                regions = page_to_regions(view.lines, view.table_bboxes, continuing)
                for table_no, bbox in enumerate(regions, 1):
                    grids.append(region_to_grid(engine, path, page, bbox, view.chars, number, table_no))
                if not regions and not grids:
                    prose.append(view)
                continuing = bool(regions)
                page.close()  # drop pdfplumber's per-page caches: memory stays flat
            if progress:
                progress(done, len(wanted))
        if text_pages == 0:
            raise NoTextLayer(path, "no page has a text layer (a scan?); run OCR first, e.g. ocrmypdf -l jpn")
        if not grids:
            raise NoPlanTable(path, "no 施策計画 table found (no ruled table with the header 施策計画名 / 現状 / 目標)")
        try:
            table = grids_to_table(grids)
        except NoTableHeader as exc:
            raise NoPlanTable(path, str(exc)) from None
        plan = table_to_plan(table)
        if not any(p.measures for p in plan.programs):
            raise NoPlanTable(path, "a 施策計画 header was found but no measure (○ NAME) under it")
        narrative = pages_to_narrative(prose) if prose else Narrative((), ())
        plan_no, plan_name = lines_to_plan_title([line for view in prose for line in view.lines])
        plan = Plan(plan_no, plan_name, plan.columns, plan.programs, plan.warnings)
    warnings = list(plan.warnings) + _rating_mismatches(plan, narrative)
    return Document(
        doc_id=path.stem,
        source=SourceRef(path.name, sha, 0),
        page_count=page_count,
        plan=plan,
        narrative=narrative,
        grids=tuple(grids),
        warnings=tuple(warnings),
    )


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


@dataclass(frozen=True)
class Options:
    engine: str = "pdfplumber"
    pages: Optional[str] = None
    password: Optional[str] = None
    limits: Limits = Limits()


def extract_to_records(path: str, options: Options, progress: Optional[ProgressFn] = None) -> tuple[DocumentReport, Optional[dict]]:
    """Extract one document into table rows, never raising: failures become a report."""
    started = time.perf_counter()
    report = DocumentReport(path=str(path), doc_id=Path(path).stem)
    try:
        doc = extract_document(
            path, engine=options.engine, pages=options.pages, password=options.password,
            limits=options.limits, progress=progress,
        )
        records = document_to_records(doc)
        report.sha256 = doc.source.sha256
        report.pages = doc.page_count
        report.rows = {name: len(rows) for name, rows in records.items()}
        report.warnings = list(doc.warnings)
    except SesakuError as exc:
        records = None
        report.status, report.error, report.error_kind = "failed", str(exc), exc.kind
    except MemoryError:
        records = None
        report.status, report.error, report.error_kind = "failed", f"{path}: ran out of memory", "limit"
    except Exception as exc:  # a bug must not take the batch down; it is reported
        records = None
        report.status = "failed"
        report.error = f"{path}: internal error {type(exc).__name__}: {exc} (please report this with the PDF)"
        report.error_kind = "internal"
    if report.sha256 is None and Path(path).is_file():
        with contextlib.suppress(OSError):
            report.sha256 = file_sha256(Path(path))
    report.seconds = round(time.perf_counter() - started, 3)
    return report, records


__all__ = ["ENGINES", "extract_document", "extract_to_records", "Limits", "Options", "DocumentReport"]
