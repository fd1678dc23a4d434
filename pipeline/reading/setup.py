"""The readers' one-time setup, done explicitly (never on import) and idempotent.

- PDFium draws non-embedded fonts from the project's font folder only
  (``fonts.configure``), so a page renders the same on every machine; it
  must run before the first PDFium document is opened in the process.
- pdfminer reports each glyph's render mode and each path's colour spaces
  (``careful.install``, which extends pdfminer's layout analyser and
  pdfplumber's attribute list).

The page stage (``stage.PageStage``) and ``document.DocumentReader`` call
``setup_readers()`` before opening a document; so does the audit before it
renders pages, and the test session before any test opens a PDF.
"""

from __future__ import annotations

from . import careful, fonts


def setup_readers() -> None:
    """Configure PDFium's fonts and pdfminer's glyph attributes; later calls do nothing."""
    fonts.configure()
    careful.install()


__all__ = ["setup_readers"]
