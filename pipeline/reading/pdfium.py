"""Glyphs and path graphics read with PDFium (pypdfium2), in pdfplumber's shape.

pdfminer interprets content streams in pure Python; reading a page is ~80%
of sesaku's time (bench/RESULTS.md).  PDFium reads the same glyph boxes
and paths ~10x faster.  This module returns them as the dicts pdfplumber
would give (``text, x0, x1, top, bottom, size, fontname,
non_stroking_color`` for glyphs; ``curve`` objects with ``pts`` for paths)
so every later stage is unchanged.  /Rotate is applied as pdfplumber
does.  Which pages PDFium may read is decided by ``reading.document``.
"""

from __future__ import annotations

import ctypes
import functools
import math
import threading
from collections.abc import Callable
from typing import Optional, ParamSpec, TypeVar

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ..settings import Settings
from .glyphs import INVISIBLE_RENDER_MODES, glyph_direction

# PDFium is not thread-safe; Dask workers run documents in threads.
_LOCK = threading.RLock()


P = ParamSpec("P")
T = TypeVar("T")


def _serialised(fn: Callable[P, T]) -> Callable[P, T]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with _LOCK:
            return fn(*args, **kwargs)

    return wrapper


@_serialised
def open_document(path, password: Optional[str] = None):
    return pdfium.PdfDocument(str(path), password=password or None)


@_serialised
def close_document(pdoc) -> None:
    pdoc.close()


@_serialised
def usable(pdoc, index: int) -> bool:
    """Pages whose display PDFium's user-space coordinates map onto as pdfplumber's do."""
    page = pdoc[index]
    try:
        box = tuple(page.get_mediabox())
        rotation = page.get_rotation()
        if tuple(page.get_cropbox()) != box or rotation not in (0, 90, 180, 270):
            return False
        return rotation == 0 or box[:2] == (0, 0)
    finally:
        page.close()


@_serialised
def media_box(pdoc, index: int) -> tuple[float, ...]:
    """The page's media box as PDFium reads it."""
    page = pdoc[index]
    try:
        return tuple(page.get_mediabox())
    finally:
        page.close()


def _to_display(page):
    """User space -> pdfplumber's displayed coordinates (x, top), /Rotate applied.

    pdfplumber keeps x as it is and measures top from the media box's
    height, even when the media box does not start at the origin; the same
    convention is kept here so every engine and threshold sees one space.
    """
    x0, y0, x1, y1 = page.get_mediabox()
    w, h = x1 - x0, y1 - y0
    rotation = page.get_rotation()
    if rotation == 90:
        return lambda x, y: (y, x)
    if rotation == 180:
        return lambda x, y: (w - x, y)
    if rotation == 270:
        return lambda x, y: (h - y, w - x)
    return lambda x, y: (x, h - y)


def _colour(getter, handle, index=None) -> tuple[float, float, float]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    ok = getter(handle, index, r, g, b, a) if index is not None else getter(handle, r, g, b, a)
    if not ok:
        return (0.0, 0.0, 0.0)
    return (r.value / 255, g.value / 255, b.value / 255)




def _address(pointer) -> Optional[int]:
    # the pointer's own bytes read as an address: a quarter of ctypes.cast's
    # time, which is asked twice a glyph (None for NULL, as cast gives)
    return ctypes.c_void_p.from_buffer(pointer).value


def _unmapped(code: int) -> bool:
    """Codes PDFium gives glyphs it has no Unicode for (pdfminer says (cid:NN)),
    and halves of a surrogate pair: PDFium splits a character outside the BMP
    written through a UTF-16 CMap (UniJIS-UTF16-H's 𠮷, D842 DFB7) into two
    glyphs of one advance each, shifting the rest of the line, where pdfminer
    reads one glyph and maps it through the collection's table (``cidmaps``)."""
    return code in (0xFFFD, 0xFFFE) or code < 0x20 or 0xE000 <= code <= 0xF8FF or 0xD800 <= code <= 0xDFFF


@_serialised
def page_chars(pdoc, index: int, settings: Settings) -> Optional[list[dict]]:
    """The page's glyphs, or None when some have no Unicode mapping: then
    pdfplumber reads the page so the unmapped-font check sees (cid:NN).

    Each glyph carries its ``render_mode``: those in a mode that paints are
    what ``census`` counts (``painted_count``), which the colour alone
    cannot tell apart from white text."""
    page = pdoc[index]
    to_display = _to_display(page)
    text = page.get_textpage()
    chars = []
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    nx, ny = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    rotation = page.get_rotation()
    styles: dict[int, tuple[int, tuple[float, float, float], str]] = {}
    try:
        count = text.count_chars()
        for i in range(count):
            if raw.FPDFText_IsGenerated(text.raw, i):
                continue  # spaces and line breaks PDFium invents
            code = raw.FPDFText_GetUnicode(text.raw, i)
            if code in (0x0D, 0x0A) or chr(code).isspace():
                continue
            if _unmapped(code):
                return None
            # The printed size is the font-size operand scaled by the glyph's
            # matrix (text matrix x CTM): report generators write ``/F1 50 Tf``
            # and draw through a 0.18 scale (Yokohama's and Kyoto's sheets,
            # 9pt printed), and camelot's test PDFs write ``1 Tf`` under a 10x
            # matrix.  The operand alone made 50pt boxes spanning three lines.
            raw.FPDFText_GetMatrix(text.raw, i, matrix)
            # The glyph's turn as displayed (counter-clockwise): its matrix's
            # less what /Rotate turns the page.
            direction = glyph_direction(math.degrees(math.atan2(matrix.b, matrix.a)) - rotation)
            size = raw.FPDFText_GetFontSize(text.raw, i) * (math.hypot(matrix.c, matrix.d) or 1.0)
            left, bottom, right, top = text.get_charbox(i, loose=True)
            obj = raw.FPDFText_GetTextObject(text.raw, i)
            key = _address(obj)
            (ax, at), (bx, bt) = to_display(left, bottom), to_display(right, top)
            if direction is not None:
                # PDFium's loose boxes vary in height glyph by glyph; like
                # pdfminer's, the box here is one em across the line from
                # just under the baseline, in the glyph's own direction
                # (level for every glyph of a line, whichever way it runs),
                # and along the line as PDFium's box.
                raw.FPDFText_GetCharOrigin(text.raw, i, ox, oy)
                origin_x, baseline = to_display(ox.value, oy.value)
                under, over = settings.descent_em * size, (1 - settings.descent_em) * size
                if direction == 0:
                    at, bt = baseline + under - size, baseline + under
                    # Along the line the box is the glyph's advance, as
                    # pdfminer's: PDFium's loose box reaches to the ink where
                    # a glyph overhangs it ('f' in Times, 1.3pt at 12pt, which
                    # ate the word space of "of these" in camelot's us-030).
                    # The next glyph drawn by the same text object on the same
                    # baseline starts where the advance ends.
                    if i + 1 < count and _address(raw.FPDFText_GetTextObject(text.raw, i + 1)) == key \
                            and raw.FPDFText_GetCharOrigin(text.raw, i + 1, nx, ny):
                        end, base = to_display(nx.value, ny.value)
                        if abs(base - baseline) < 0.01 and min(ax, bx) < end < max(ax, bx):
                            ax, bx = min(ax, bx), end
                elif direction == 180:
                    at, bt = baseline - under, baseline + over
                elif direction == 90:  # reads upwards: the glyph's top points left
                    ax, bx = origin_x - over, origin_x + under
                else:  # 270, reads downwards: its top points right
                    ax, bx = origin_x - under, origin_x + over
            # Render mode, fill colour and font belong to the glyph's text
            # object (PDFium reads them from it for each glyph): asked once per
            # object, they cost a quarter of the page's read when asked per glyph.
            style = styles.get(key) if key is not None else None
            if style is None:
                raw.FPDFText_GetFontInfo(text.raw, i, name, len(name), flags)
                style = (raw.FPDFTextObj_GetTextRenderMode(obj) if obj else 0,
                         _colour(raw.FPDFText_GetFillColor, text.raw, i),
                         name.value.decode("latin-1", "replace"))
                if key is not None:
                    styles[key] = style
            mode, colour, fontname = style
            chars.append(
                {
                    "object_type": "char",
                    "text": chr(code),
                    "x0": min(ax, bx),
                    "x1": max(ax, bx),
                    "top": min(at, bt),
                    "bottom": max(at, bt),
                    "size": size,
                    "fontname": fontname,
                    "non_stroking_color": colour,
                    "render_mode": mode,
                    "upright": direction == 0,
                    "direction": direction,
                }
            )
    finally:
        text.close()
        page.close()
    return chars


def painted_count(chars: list[dict]) -> int:
    """How many of ``page_chars``' glyphs are in a render mode that paints (what ``census`` counts)."""
    return sum(1 for c in chars if c["render_mode"] not in INVISIBLE_RENDER_MODES)


def _matrix(obj) -> tuple[float, ...]:
    m = obj.get_matrix()
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple, outer: tuple) -> tuple:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


@_serialised
def page_paths(pdoc, index: int) -> list[dict]:
    """Every path as a pdfplumber-like ``curve`` dict (points in top-based coordinates)."""
    page = pdoc[index]
    to_display = _to_display(page)
    x, y = ctypes.c_float(), ctypes.c_float()
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    out = []
    forms: list[tuple] = []  # matrices of the enclosing form objects, by level
    try:
        for obj in page.get_objects(max_depth=8):
            del forms[obj.level:]
            matrix = _matrix(obj)
            for outer in reversed(forms):
                matrix = _compose(matrix, outer)
            if obj.type == raw.FPDF_PAGEOBJ_FORM:
                forms.append(_matrix(obj))
                continue
            if obj.type != raw.FPDF_PAGEOBJ_PATH:
                continue
            raw.FPDFPath_GetDrawMode(obj.raw, fill_mode, stroke)
            a, b, c, d, e, f = matrix
            subpaths: list[list[tuple[float, float]]] = []
            for i in range(raw.FPDFPath_CountSegments(obj.raw)):
                seg = raw.FPDFPath_GetPathSegment(obj.raw, i)
                raw.FPDFPathSegment_GetPoint(seg, x, y)
                point = to_display(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
                if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO or not subpaths:
                    subpaths.append([point])
                else:
                    subpaths[-1].append(point)
                if raw.FPDFPathSegment_GetClose(seg):
                    subpaths[-1].append(subpaths[-1][0])
            stroke_colour = _colour(raw.FPDFPageObj_GetStrokeColor, obj.raw)
            fill_colour = _colour(raw.FPDFPageObj_GetFillColor, obj.raw)
            for pts in subpaths:
                if len(pts) < 2:
                    continue
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                out.append(
                    {
                        "object_type": "curve",
                        "pts": pts,
                        "x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys),
                        "width": max(xs) - min(xs), "height": max(ys) - min(ys),
                        "stroke": bool(stroke.value),
                        "fill": fill_mode.value != 0,
                        "stroking_color": stroke_colour,
                        "non_stroking_color": fill_colour,
                    }
                )
    finally:
        page.close()
    return out


def _render(pdoc, index: int, dpi: float, grey: bool):
    page = pdoc[index]
    try:
        bitmap = page.render(scale=dpi / 72.0, grayscale=grey, rev_byteorder=not grey)
        try:
            image = bitmap.to_numpy()
            if grey:
                return image[:, :, 0].copy() if image.ndim == 3 else image.copy()
            return image[:, :, :3].copy()
        finally:
            bitmap.close()
    finally:
        page.close()


@_serialised
def render_gray(pdoc, index: int, dpi: float):
    """The page as displayed (rotation applied), 8-bit grey, one pixel per 72/dpi pt."""
    return _render(pdoc, index, dpi, grey=True)


@_serialised
def render_rgb(pdoc, index: int, dpi: float):
    """The page as displayed (rotation applied), 8-bit RGB, one pixel per 72/dpi pt."""
    return _render(pdoc, index, dpi, grey=False)
