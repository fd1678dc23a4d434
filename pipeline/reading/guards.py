"""Guards around reading a file: cheap checks before parsing, and limits while reading.

``check_file`` refuses what is not worth parsing (missing, empty, not a
PDF, too large); ``time_limit`` and ``memory_limit`` stop a document that
takes absurdly long or grows without bound; ``parser_warnings`` keeps what
pdfminer logs about repairs off stderr and hands it to the document's
warnings.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Optional

from ..errors import CorruptPdf, EmptyFile, LimitExceeded, MissingFile, NotAPdf
from ..options import Options, Speaker, flag

try:  # POSIX only; elsewhere the memory limit is the per-page check alone
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def damaged(path: Path, exc: BaseException) -> CorruptPdf:
    """The one error for bytes the parsers cannot read."""
    return CorruptPdf(path, f"the PDF is damaged and cannot be read ({type(exc).__name__}); download it again")


def _mb(size: float) -> str:
    # Enough digits that a 0.1 MB limit and a 0.4 MB file do not both read "0 MB".
    mb = size / 1024 / 1024
    return f"{mb:.0f}" if mb >= 10 else f"{mb:.2g}"


def check_file(path: Path, options: Options) -> None:
    """Cheap checks before any parsing: exists, not empty, a PDF, not absurd."""
    limits = options.limits
    if not path.exists():
        raise MissingFile(path, "no such file; check the path")
    if not path.is_file():
        raise NotAPdf(path, "not a file; give a PDF or a folder of PDFs")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(path, "the file is empty (0 bytes); download it again")
    if size > limits.max_bytes:
        raise LimitExceeded(
            path, f"file is {_mb(size)} MB, over the {_mb(limits.max_bytes)} MB limit; raise {options.flag('max_bytes')} to allow it"
        )
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head and not _HEADERLESS_PDF.match(head):
        raise NotAPdf(path, "not a PDF (no %PDF- header); check that the download is the PDF and not an HTML page")


# Some writers leave the %PDF- line out altogether (pdf.js bug 1606566): the
# file opens with comments and then its first indirect object.  pdfminer
# reads such a file (PDFium does not; the careful reader takes every page).
# Only that shape passes, so an HTML page or random bytes still do not.
_HEADERLESS_PDF = re.compile(rb"\s*(?:%[^\r\n]*[\r\n]+\s*)*\d+\s+\d+\s+obj\b")


class Timeout(BaseException):
    """Raised from SIGALRM.  A BaseException, so that no ``except Exception``
    inside a parser can swallow it and carry on past the limit."""


@contextlib.contextmanager
def time_limit(seconds: float, path: Path, page: Optional[int] = None, what: str = "the page", *,
               speaks: Speaker) -> Iterator[None]:
    """Abort work that takes absurdly long (where signals are usable: the
    main thread of a POSIX process, which includes every batch worker)."""
    usable = hasattr(signal, "setitimer") and _in_main_thread()
    if not usable or seconds <= 0:
        yield
        return
    armed = [True]

    def on_alarm(signum: int, frame: object) -> None:
        if armed[0]:
            raise Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    except Timeout:
        raise timed_out(path, seconds, page, what, speaks=speaks) from None
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed_out(path: Path, seconds: float, page: Optional[int] = None, what: str = "the page", *,
              speaks: Speaker) -> LimitExceeded:
    """The error for work stopped by ``time_limit``."""
    return LimitExceeded(path, f"{what} took longer than {seconds:g} s; raise {flag('seconds_per_page', speaks)} "
                               "to allow it", page)


def _in_main_thread() -> bool:
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
def memory_limit(options: Options, path: Path) -> Iterator[Callable[[int], None]]:
    """Yields ``check(page)``, raising LimitExceeded once the document has
    grown the process by more than ``max_memory_mb``.

    The check runs between pages.  Inside a worker process (never in the
    caller's own process, where it would cap unrelated work) the address
    space is also capped with RLIMIT_AS for the document's duration, so a
    single runaway allocation fails with MemoryError instead of swapping.
    """
    limits = options.limits
    budget = int(limits.max_memory_mb * 1024 * 1024)
    start = _rss_bytes()

    def check(page: int) -> None:
        now = _rss_bytes()
        if budget > 0 and start is not None and now is not None and now - start > budget:
            raise LimitExceeded(
                path, f"used {(now - start) / 1024 / 1024:.0f} MB, over the {limits.max_memory_mb:g} MB memory limit; "
                f"raise {options.flag('max_memory_mb')} to allow it", page,
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


