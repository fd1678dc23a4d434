"""One ``Options``: everything a command, the API or a batch worker asks of a document.

It is made once at an entry point — the command line (``orchestration.cli``),
the API (``read_pdf(path, **options)``, ``extract_document``) — validated
there (``__post_init__``), and travels whole, pickled to a batch worker,
to the page stage (``reading.stage``) and the models; nothing below the
entry points takes a default of its own.  ``Limits`` are the guards against
absurd inputs, ``Settings`` (``settings.py``) the tolerances a page is read
with; both live inside it, and the cache key hashes all of it.

The coded fields are ``Literal`` types whose values are listed once here
(``OCR_MODES``, ``READERS``, ``ENGINE_NAMES``); the modules that implement
them (``reading.ocr``, ``reading.document``, ``understanding.table.engines``)
use these lists, and tests/test_options.py checks they agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Literal, Optional, get_args

from .errors import UsageError
from .settings import DEFAULT, Settings

OcrMode = Literal["auto", "always", "never"]
Reader = Literal["auto", "pdfium", "pdfminer"]
EngineName = Literal["pdfplumber", "camelot", "both"]
# Who the messages speak to: the command line names ``--max-pages``, the API ``max_pages=``.
Speaker = Literal["api", "cli"]

OCR_MODES: tuple[str, ...] = get_args(OcrMode)
READERS: tuple[str, ...] = get_args(Reader)
ENGINE_NAMES: tuple[str, ...] = get_args(EngineName)
# The engines ``--prefer`` may name where ``both`` disagree; the first is the default.
PREFER: tuple[str, ...] = ("pdfplumber", "camelot")


# Options whose command-line flag is not their field's name.
_CLI_NAMES = {"max_bytes": "max-mb"}


def flag(name: str, speaks: Speaker) -> str:
    """An option as the caller knows it: ``--max-pages`` on the command line,
    ``limits.max_pages`` / ``pages=`` in Python."""
    if speaks == "cli":
        return "--" + _CLI_NAMES.get(name, name.replace("_", "-"))
    return f"limits.{name}" if name in _LIMIT_NAMES else f"{name}="


def given(name: str, value: object, speaks: Speaker, quoted: bool = False) -> str:
    """An option with its value as the caller wrote it: ``--pages 5-9`` or ``pages='5-9'``."""
    if speaks == "cli":
        return f"{flag(name, speaks)} {value!r}" if quoted else f"{flag(name, speaks)} {value}"
    return f"{flag(name, speaks)}{value!r}"


@dataclass(frozen=True)
class Limits:
    """Guards against absurd inputs; every one is configurable on the CLI.  Validated on construction."""

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

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise UsageError(f"limit {f.name} must be a finite number, not {value!r}")
        for name in ("max_bytes", "max_pages", "seconds_per_page"):
            if not getattr(self, name) > 0:
                raise UsageError(f"limit {name} must be more than 0, not {getattr(self, name)!r}")
        if self.max_memory_mb < 0:
            raise UsageError(f"limit max_memory_mb must be 0 (no limit) or more, not {self.max_memory_mb!r}")
        if not 0 <= self.max_cid_share <= 1:
            raise UsageError(f"limit max_cid_share is a share of 0..1, not {self.max_cid_share!r}")


_LIMIT_NAMES = frozenset(f.name for f in fields(Limits))


@dataclass(frozen=True)
class Options:
    """Everything that decides what a document's records are (the cache key hashes all of it)."""

    engine: EngineName = "pdfplumber"
    prefer: str = "pdfplumber"
    pages: Optional[str] = None
    password: Optional[str] = None
    limits: Limits = field(default_factory=Limits)
    settings: Settings = DEFAULT
    # (value, label) pairs replacing the default 達成状況区分 legend where
    # the document prints none (--rating-legend FILE).
    rating_legend: tuple[tuple[int, str], ...] = ()
    # --ocr as it takes effect here: "auto" without the ocr extra is "never"
    # (``orchestration.extract.ocr_mode``), so a cached result says which it was.
    ocr: OcrMode = "never"
    # The reader of every page: "auto" (PDFium where it maps the page as
    # pdfminer would, else pdfminer), or "pdfium" / "pdfminer" forced
    # (``text --reader``, comparisons).
    reader: Reader = "auto"
    # Whom the messages name options for (``flag``); not part of what is read.
    speaks: Speaker = field(default="api", compare=False)

    def __post_init__(self) -> None:
        choices = (("engine", ENGINE_NAMES), ("prefer", PREFER), ("ocr", OCR_MODES), ("reader", READERS),
                   ("speaks", get_args(Speaker)))
        for name, allowed in choices:
            value = getattr(self, name)
            if value not in allowed:
                raise UsageError(f"{self.flag(name)} must be one of {', '.join(allowed)}, not {value!r}")
        if not isinstance(self.limits, Limits):
            raise UsageError(f"{self.flag('limits')} must be a Limits, not {type(self.limits).__name__}")
        if not isinstance(self.settings, Settings):
            raise UsageError(f"{self.flag('settings')} must be a Settings, not {type(self.settings).__name__}")

    def flag(self, name: str) -> str:
        """The option ``name`` as this run's caller knows it (``--max-pages`` or ``max_pages=``)."""
        return flag(name, self.speaks)

    def given(self, name: str, quoted: bool = False) -> str:
        """The option ``name`` with this run's value, as its caller wrote it (``--pages 5-9`` or ``pages='5-9'``)."""
        return given(name, getattr(self, name), self.speaks, quoted)


__all__ = ["ENGINE_NAMES", "OCR_MODES", "PREFER", "READERS", "Limits", "OcrMode", "Options", "Reader", "Speaker",
           "flag", "given"]
