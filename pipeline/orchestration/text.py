"""``text``: each selected page's text as sesaku reads it, from the page stage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..options import Options
from ..reading.stage import PageStage
from ..reading.text import view_text


def read_text(path: Path | str, options: Options, layout: bool = False) -> Iterator[tuple[int, list[str], list[str]]]:
    """(page number, text lines, notes) of each selected page, as sesaku reads it;
    a line's cells are separated by a tab, or with ``layout`` placed at
    columns proportional to their x (``reading.text``).  ``notes`` is what
    the reading says about the page (read by OCR and why, glyphs left out,
    a damaged file repaired).

    ``options.ocr`` is the mode in effect (``extract.resolved``): pages read
    by OCR in ``extract`` (images without text, fonts without a Unicode map)
    are read by OCR here too; ``options.reader`` forces a reader.  Raises a
    SesakuError for bad input, like ``extract_document``.
    """
    with PageStage(Path(path), options) as stage:
        told = 0
        for page in stage.pages():
            repairs = stage.repairs
            yield page.number, view_text(page.view, options.settings, layout), [*repairs[told:], *page.notes]
            told = len(repairs)


__all__ = ["read_text"]
