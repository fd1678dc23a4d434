"""``text``: each selected page's text as sesaku reads it, from the page stage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from ..options import Limits, Options
from ..reading.stage import PageStage
from ..reading.text import view_text
from ..settings import DEFAULT, Settings


def read_text(
    path: Path, pages: Optional[str] = None, password: Optional[str] = None, reader: str = "auto",
    limits: Limits = Limits(), settings: Settings = DEFAULT, layout: bool = False, ocr: str = "never",
) -> Iterator[tuple[int, list[str], list[str]]]:
    """(page number, text lines, notes) of each selected page, as sesaku reads it;
    a line's cells are separated by a tab, or with ``layout`` placed at
    columns proportional to their x (``reading.text``).  ``notes`` is what
    the reading says about the page (read by OCR and why, glyphs left out,
    a damaged file repaired).

    ``ocr`` is the mode as ``extract.ocr_mode`` gives it: pages read by OCR
    in ``extract`` (images without text, fonts without a Unicode map) are
    read by OCR here too.  Raises a SesakuError for bad input, like ``extract_document``.
    """
    options = Options(pages=pages, password=password, limits=limits, settings=settings, ocr=ocr, reader=reader)
    with PageStage(Path(path), options) as stage:
        told = 0
        for page in stage.pages():
            repairs = stage.repairs
            yield page.number, view_text(page.view, settings, layout), [*repairs[told:], *page.notes]
            told = len(repairs)


__all__ = ["read_text"]
