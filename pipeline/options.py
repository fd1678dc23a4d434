"""One ``Options``: everything a command, the API or a batch worker asks of a document.

It travels whole from the command line (``orchestration.cli``), the API
(``read_pdf(path, **options)``) and a batch worker to the page stage
(``reading.stage``) and the models; nothing below the entry points takes a
default of its own.  ``Limits`` are the guards against absurd inputs,
``Settings`` (``settings.py``) the tolerances a page is read with; both
live inside it, and the cache key hashes all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .settings import DEFAULT, Settings


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
    # The reader of every page: "auto" (PDFium where it maps the page as
    # pdfminer would, else pdfminer), or "pdfium" / "pdfminer" forced
    # (``text --reader``, comparisons).
    reader: str = "auto"


__all__ = ["Limits", "Options"]
