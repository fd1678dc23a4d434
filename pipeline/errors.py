"""Every problem a user's input can cause, each with a message saying what to do.

Messages name the file (and page where relevant), say what is wrong and
what to do about it, and fit on one line.
"""

from __future__ import annotations

import os


class SesakuError(Exception):
    """Base class: a document could not be extracted, for a reason the user can act on."""

    kind = "error"

    def __init__(self, path: str | os.PathLike[str], problem: str, page: int | None = None) -> None:
        self.path = str(path)
        self.page = page
        self.problem = problem
        where = f"{self.path}, page {page}" if page else self.path
        super().__init__(f"{where}: {problem}")


class NotAPdf(SesakuError):
    kind = "not_a_pdf"


class MissingFile(SesakuError):
    """A path that names no file (mistyped, moved, or removed during the batch)."""

    kind = "not_found"


class EmptyFile(SesakuError):
    kind = "empty"


class CorruptPdf(SesakuError):
    kind = "corrupt"


class EncryptedPdf(SesakuError):
    kind = "encrypted"


class NoTextLayer(SesakuError):
    kind = "no_text_layer"


class UnmappedFont(SesakuError):
    kind = "cid_font"


class NoPlanTable(SesakuError):
    kind = "no_table"


class LimitExceeded(SesakuError):
    kind = "limit"


class NoPagesSelected(SesakuError):
    kind = "no_pages"


class BadOption(SesakuError):
    """An option that cannot apply to this document (e.g. a malformed --pages)."""

    kind = "usage"


# Every kind a failed document can report; "internal" (a bug) is not among them.
KINDS = frozenset(
    cls.kind for cls in (NotAPdf, MissingFile, EmptyFile, CorruptPdf, EncryptedPdf, NoTextLayer, UnmappedFont,
                         NoPlanTable, LimitExceeded, NoPagesSelected, BadOption)
)
