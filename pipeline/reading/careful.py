"""The careful reader: pdfminer (through pdfplumber), for what PDFium cannot map.

pdfminer interprets every content stream in Python: slow, but it reports
what PDFium hides (``(cid:NN)`` for glyphs without a Unicode map) and
reads pages whose boxes PDFium places differently.  This module opens
the file, maps pdfminer's failures to one-line errors, and gives a page's
glyphs and graphics as plain dicts.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Optional

import pdfplumber
import pdfplumber.page
from pdfminer.cmapdb import PyUnicodeMap
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTChar
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdffont import PDFCIDFont
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import EncryptedPdf
from ..options import Speaker, flag
from . import cidmaps
from .glyphs import glyph_direction
from .guards import damaged


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
                item.render_mode = mode  # type: ignore[attr-defined]

    render_string._sesaku_render_mode = True  # type: ignore[attr-defined]
    PDFLayoutAnalyzer.render_string = render_string  # type: ignore[method-assign]
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



def _record_path_colour_spaces() -> None:
    """Put the colour spaces a path is painted in on pdfminer's graphics
    (``ncs``, ``scs``, which pdfplumber gives by name), as pdfminer does for glyphs.

    pdfminer reports a path's colour as bare components: tint 1.0 of a
    Separation ink (full black, Setagaya's budget: every rule of its table
    pages) looks like DeviceGray 1.0 (white), and those rules vanished from
    the pages pdfminer reads while PDFium, which converts colours, saw them.
    """
    original = PDFLayoutAnalyzer.paint_path
    if getattr(original, "_sesaku_colour_spaces", False):
        return

    def paint_path(self, gstate, stroke, fill, evenodd, path):
        before = len(self.cur_item._objs)
        original(self, gstate, stroke, fill, evenodd, path)
        for item in self.cur_item._objs[before:]:
            item.ncs, item.scs = gstate.ncs, gstate.scs  # pdfplumber gives their names

    paint_path._sesaku_colour_spaces = True  # type: ignore[attr-defined]
    PDFLayoutAnalyzer.paint_path = paint_path  # type: ignore[method-assign]
    pdfplumber.page.ALL_ATTRS.update(("ncs", "scs"))


def install() -> None:
    """Extend pdfminer and pdfplumber as the careful reader needs (``setup.setup_readers``); idempotent."""
    _record_render_modes()
    _record_path_colour_spaces()


def _as_seen(colour, space: Optional[str]):
    """A tint of ink (Separation, DeviceN) as the grey it prints: tint 1.0 is
    full ink, grey 0.0, so colour checks that know no colour space
    (``rules.is_rule``) judge it right."""
    if not space or not str(space).lstrip("/").startswith(("Separation", "DeviceN")):
        return colour
    try:
        tints = [float(v) for v in (colour if isinstance(colour, (list, tuple)) else (colour,))]
    except (TypeError, ValueError):
        return colour
    return (1.0 - max(tints, default=0.0),)


def open_pdf(path: Path, password: Optional[str], speaks: Speaker):
    try:
        return pdfplumber.open(path, password=password or "")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            if password:
                raise EncryptedPdf(path, f"the password given with {flag('password', speaks)} is wrong") from None
            raise EncryptedPdf(path, f"the PDF is encrypted; give its password with {flag('password', speaks)}") from None
        raise damaged(path, cause) from None
    except Exception as exc:  # pdfminer raises many types on garbage
        raise damaged(path, exc) from None


def close_pdf(pdf) -> None:
    # pdfplumber's close() walks the page tree again, which raises on the
    # very damage that made us stop: it must not replace the real error.
    with contextlib.suppress(Exception):
        pdf.close()


def page_chars(page) -> list[dict]:
    """The page's glyphs with their turn as displayed (``direction``, as PDFium's
    reader gives it) and their printed size.

    pdfminer's matrix has /Rotate applied already.  Its ``size`` is the box
    height, which for a glyph turned 90° is its advance (2.8 for a 10pt
    space on camelot's clockwise table); the box is one em across the line
    in every direction, so a turned glyph's size is its box width."""
    out = []
    for ch in page.chars:
        m = ch.get("matrix")
        if not m:
            out.append(ch)
            continue
        direction = glyph_direction(math.degrees(math.atan2(m[1], m[0])))
        extra = {"direction": direction, "upright": direction == 0}
        if direction in (90, 270):
            extra["size"] = ch["x1"] - ch["x0"]
        out.append({**ch, **extra})
    return out


def page_graphics(page) -> list[dict]:
    out = []
    for obj in (*page.lines, *page.rects, *page.curves):
        fill, stroke = _as_seen(obj.get("non_stroking_color"), obj.get("ncs")), \
            _as_seen(obj.get("stroking_color"), obj.get("scs"))
        if fill is not obj.get("non_stroking_color") or stroke is not obj.get("stroking_color"):
            obj = {**obj, "non_stroking_color": fill, "stroking_color": stroke}
        out.append(obj)
    return out


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


def _encoding_name(font) -> str:
    encoding = resolve1(font.get("Encoding"))
    name = getattr(encoding, "name", None)
    if name is not None:
        return str(name)
    if isinstance(encoding, PDFStream):  # an embedded CMap: its name and writing mode
        wmode = resolve1(encoding.get("WMode"))
        if wmode == 1:
            return "-V"
        return str(getattr(resolve1(encoding.get("CMapName")), "name", ""))
    return ""


def has_vertical_fonts(page) -> bool:
    """Does the page draw text with a vertical-writing CMap (``…-V``, WMode 1)?

    PDFium's loose box of such a glyph is the font-size operand wide before
    the text matrix scales it (Yokohama's 事業計画 label, drawn ``50 Tf``
    through a 0.18 matrix: 50pt wide at 9pt printed, so it swallowed the
    cells beside it), and its origin is not pdfminer's (dvipdfmx's and
    pdfdiff's 縦書き pages); pdfminer boxes them one em square as printed,
    so these pages are read by pdfminer (9 of Setagaya's first 60 pages,
    every Yokohama sheet, pages of 8 files of ../shared/real).
    """
    try:
        fonts = resolve1(resolve1(page.page_obj.resources or {}).get("Font") or {})
        for font in fonts.values():
            font = resolve1(font)
            if getattr(resolve1(font.get("Subtype")), "name", "") == "Type0" and _encoding_name(font).endswith("-V"):
                return True
    except Exception:  # unreadable resources: let the careful reader decide
        return True
    return False


def same_media_box(page, box) -> bool:
    """Whether ``box`` (as another reader took it) is the page's media box as
    pdfminer reads it (inherited from the page tree where the page has none)."""
    try:
        ours = [float(v) for v in resolve1(page.page_obj.mediabox)]
    except Exception:  # no readable media box: the readers cannot be compared
        return False
    return len(ours) == 4 and all(abs(a - b) <= 0.5 for a, b in zip(ours, box))
