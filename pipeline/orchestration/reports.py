"""What one document's run says: its report, and the one-line error of a document that failed.

``extract`` and ``tables`` give one ``DocumentReport`` per document; the
batch, the cache and the run report (``_run.json``) carry it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

from ..errors import SesakuError
from ..options import Options


@dataclass
class DocumentReport:
    path: str
    doc_id: str
    sha256: Optional[str] = None
    status: Literal["ok", "failed"] = "ok"
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


def failure_of(exc: BaseException, path: object, options: Options) -> tuple[str, str]:
    """(one-line error, kind) for a document that failed: the same words for every command."""
    if isinstance(exc, SesakuError):
        return str(exc), exc.kind
    if isinstance(exc, MemoryError):
        return (f"{path}: ran out of memory (limit {options.limits.max_memory_mb:g} MB); "
                f"raise {options.flag('max_memory_mb')} or free memory"), "limit"
    detail = " ".join(str(exc).split())[:200]
    return f"{path}: internal error {type(exc).__name__}: {detail} (please report this with the PDF)", "internal"


__all__ = ["DocumentReport", "failure_of"]
