"""The careful reader: pdfminer (through pdfplumber), for what PDFium cannot map.

pdfminer interprets every content stream in Python: slow, but it reports
what PDFium hides (``(cid:NN)`` for glyphs without a Unicode map) and
reads pages whose boxes PDFium places differently.  This module opens
the file, maps pdfminer's failures to one-line errors, and gives a page's
glyphs and graphics as plain dicts.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Optional

import pdfplumber
import pdfplumber.page
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.cmapdb import PyUnicodeMap
from pdfminer.layout import LTChar
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdffont import PDFCIDFont
from pdfminer.pdftypes import resolve1
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import CorruptPdf, EncryptedPdf
from . import cidmaps


def _record_render_modes() -> None:
    """Put the text render mode on pdfminer's glyphs as ``render_mode``.

    pdfminer draws render mode 3 (invisible: the text layer of an OCR'd
    scan) like any other text and does not report the mode, so without
    this the careful reader would call text content that PDFium knows is
    invisible.  The mode lives in the text state, which only
    ``render_string`` sees; the glyphs it adds are tagged there, and
    pdfplumber copies the attribute because it is in its attribute list.
    """
    original = PDFLayoutAnalyzer.render_string
    if getattr(original, "_sesaku_render_mode", False):
        return

    def render_string(self, textstate, seq, ncs, graphicstate):
        complete_collection_map(textstate.font)
        before = len(self.cur_item._objs)
        original(self, textstate, seq, ncs, graphicstate)
        mode = textstate.render
        for item in self.cur_item._objs[before:]:
            if isinstance(item, LTChar):
                item.render_mode = mode

    render_string._sesaku_render_mode = True
    PDFLayoutAnalyzer.render_string = render_string
    pdfplumber.page.ALL_ATTRS.add("render_mode")


def complete_collection_map(font) -> None:
    """Give a CID font of a known collection without ToUnicode the collection's full table.

    pdfminer maps such a font through its own table of the collection
    (``PyUnicodeMap``), which lacks every character outside the BMP
    (``cidmaps``); the full table keeps all it maps and adds those.  A font
    with its own ToUnicode (or an Identity collection) is left as it is.
    Fonts are cached per document by pdfminer, so this runs once per font.
    """
    if font is None or getattr(font, "_sesaku_collection", False):
        return
    with contextlib.suppress(AttributeError, TypeError):  # a font object pdfminer could not fill in
        font._sesaku_collection = True
        if not isinstance(font, PDFCIDFont) or not cidmaps.is_known(font.cidcoding):
            return
        if font.unicode_map is None or isinstance(font.unicode_map, PyUnicodeMap):
            full = cidmaps.unicode_map(font.cidcoding, font.vertical)
            if full is not None:
                font.unicode_map = full


_record_render_modes()


def open_pdf(path: Path, password: Optional[str]):
    try:
        return pdfplumber.open(path, password=password or "")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            if password:
                raise EncryptedPdf(path, "the password given with --password is wrong") from None
            raise EncryptedPdf(path, "the PDF is encrypted; give its password with --password") from None
        raise CorruptPdf(path, f"the PDF is damaged and cannot be read ({type(cause).__name__}); download it again") from None
    except Exception as exc:  # pdfminer raises many types on garbage
        raise CorruptPdf(path, f"the PDF is damaged and cannot be read ({type(exc).__name__}); download it again") from None


def close_pdf(pdf) -> None:
    # pdfplumber's close() walks the page tree again, which raises on the
    # very damage that made us stop: it must not replace the real error.
    with contextlib.suppress(Exception):
        pdf.close()


def page_graphics(page) -> list[dict]:
    return [*page.lines, *page.rects, *page.curves]


def page_images(page) -> list[dict]:
    try:
        return list(page.images)
    except Exception:  # a damaged image dictionary: no image to speak of
        return []


def has_images(page) -> bool:
    try:
        return bool(page.images)
    except Exception:  # a damaged image dictionary: still no text on the page
        return False


def has_unmapped_fonts(page) -> bool:
    """Does the page use an Identity-encoded composite font without ToUnicode?

    Either it has no way back to Unicode (an Identity collection: PDFium
    silently drops or invents glyphs where pdfminer says (cid:NN), which the
    unmapped-font check must see), or it is a known collection whose CIDs
    PDFium maps through its own UCS-2 table, not the published one (吉 for
    Adobe-Japan1's 𠮷, ～ for 〜: ``cidmaps``).  Such pages are read by pdfminer.
    """
    try:
        fonts = resolve1(resolve1(page.page_obj.resources or {}).get("Font") or {})
        for font in fonts.values():
            font = resolve1(font)
            encoding = getattr(resolve1(font.get("Encoding")), "name", "")
            if getattr(resolve1(font.get("Subtype")), "name", "") == "Type0" and "ToUnicode" not in font \
                    and str(encoding).startswith("Identity"):
                return True
    except Exception:  # unreadable resources: let the careful reader decide
        return True
    return False
