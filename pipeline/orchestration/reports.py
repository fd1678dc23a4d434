"""What one document's run says: its report, and the one-line error of a document that failed.

``extract`` and ``tables`` give one ``DocumentReport`` per document; the
batch, the cache and the run report (``_run.json``) carry it.
"""

from __future__ import annotations

import re
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


# What a message line must not carry as is: a control character (a newline in a
# file name would start a forged line) and the lone surrogates a file name that
# is not UTF-8 is read as (no stream can encode them).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if match.group() in _NAMED:
        return _NAMED[match.group()]
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is not UTF-8: shown as that byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` as one printable line: control characters and undecodable bytes escaped (``\\n``, ``\\xff``)."""
    return _UNPRINTABLE.sub(_escape, text)


def failure_of(exc: BaseException, path: object, options: Options) -> tuple[str, str]:
    """(one-line error, kind) for a document that failed: the same words for every command."""
    if isinstance(exc, SesakuError):
        return str(exc), exc.kind
    if isinstance(exc, MemoryError):
        return (f"{path}: ran out of memory (limit {options.limits.max_memory_mb:g} MB); "
                f"raise {options.flag('max_memory_mb')} or free memory"), "limit"
    detail = " ".join(str(exc).split())[:200]
    return f"{path}: internal error {type(exc).__name__}: {detail} (please report this with the PDF)", "internal"


__all__ = ["DocumentReport", "failure_of", "one_line"]
