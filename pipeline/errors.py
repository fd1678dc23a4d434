"""Every error sesaku raises on purpose: bad input, or a defect of its own.

Two roots, as docling's ``exceptions.py`` keeps them apart:

- ``SesakuError``: something the user can act on (a file, an option, an
  output folder).  Its message names the file (and page where relevant),
  says what is wrong and what to do about it, and fits on one line.  A
  document that fails with one is reported with the class's ``kind``.
- ``InternalError``: sesaku broke its own rules (e.g. rows that break the
  output schema); to be reported with the PDF, never the user's fault.

Options are named as the caller knows them: the command line passes
``Options(speaks="cli")`` and the messages say ``--pages``; the API says
``pages=`` (``options.Options.flag``).
"""

from __future__ import annotations

import os
from typing import Optional


class SesakuError(Exception):
    """Base class: an error the user's input or options cause, with what to do about it."""

    kind = "error"

    def __init__(self, path: Optional[str | os.PathLike[str]], problem: str, page: int | None = None) -> None:
        self.path = None if path is None else str(path)
        self.page = page
        self.problem = problem
        where = f"{self.path}, page {page}" if page and self.path else self.path
        super().__init__(f"{where}: {problem}" if where else problem)


# ---------------------------------------------------------------- one document


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


# ---------------------------------------------------------------- a run


class UsageError(SesakuError):
    """A command or API call that cannot work, found before any document is read
    (an unknown engine, a malformed page selection, no PDF in the paths, Dask absent)."""

    kind = "usage"

    def __init__(self, problem: str) -> None:
        super().__init__(None, problem)


class OutputError(SesakuError):
    """An output folder that cannot be read or written as asked (``publishing``, ``audit``)."""

    kind = "output"

    def __init__(self, problem: str) -> None:
        super().__init__(None, problem)


# ---------------------------------------------------------------- sesaku's own defects


class InternalError(Exception):
    """sesaku broke its own rules: a defect to report with the PDF, never bad input."""

    kind = "internal"


# Every kind a failed document can report; "internal" (a bug) is not among them.
KINDS = frozenset(
    cls.kind for cls in (NotAPdf, MissingFile, EmptyFile, CorruptPdf, EncryptedPdf, NoTextLayer, UnmappedFont,
                         NoPlanTable, LimitExceeded, NoPagesSelected, BadOption)
)
