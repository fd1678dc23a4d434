"""One PDF opened for reading: its page count and each page as a PageView.

Each reader opens the file once.  A page is read with PDFium where PDFium
maps it as pdfminer would (same boxes, every glyph mapped to Unicode),
else with pdfminer.  PDFium's glyphs are checked against a count taken
from the page's own content streams (``census``); a page where PDFium
returned fewer is read again with pdfminer, with a warning.  A CID font of
a known collection (Adobe-Japan1, -GB1, -CNS1, -Korea1) without ToUnicode is
mapped through the collection's published table (``cidmaps``, applied by
the careful reader).  Glyphs with no Unicode map at all, ``(cid:NN)``,
never reach a field: a page made mostly of them is read by OCR when OCR is
on (with a warning saying why), else fails the document; a few are
dropped with a warning.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

from ..errors import CorruptPdf, UnmappedFont
from ..models import PageView
from ..options import READERS, Options
from ..settings import Settings
from . import careful, census, imagerules, ocr, ocrlayer, pdfium, placement
from .glyphs import chars_to_lines
from .guards import time_limit
from .page import page_to_view
from .rules import rule
from .setup import setup_readers
from .text import view_text

# How many glyphs PDFium may return below the census before the page is
# read again.  None: across the fixtures and the first 40 pages of every
# file of the shared real-PDF collection, PDFium's painted glyphs equal
# the census exactly on every page PDFium is allowed to read, except where
# a writer paints glyphs twice (fake bold), which PDFium merges; spaces
# are left out of both counts and control glyphs make PDFium give the
# page up altogether (``pdfium.page_chars``), so neither needs room here.
PDFIUM_SHORTFALL_TOLERANCE = 0


# What a page mostly of glyph ids is; the caller adds what to do (it knows
# whether sesaku's OCR could read it).
UNMAPPED_PROBLEM = "text uses a font without a Unicode map (glyph ids only) and extracts as (cid:NN)"


class DocumentReader:
    """Open with ``with DocumentReader(path, options) as reader`` (the page stage does; tests may)."""

    def __init__(self, path: Path, options: Options):
        setup_readers()
        self.path = Path(path)
        self.options = options
        # "auto": pages that are images without text are read by OCR;
        # "always": every page is; "never": none (the caller checks that
        # the ocr extra is installed before asking for either).
        self.ocr_mode = options.ocr
        self.limits = options.limits
        self.settings = options.settings
        self._census = census.Census()
        with time_limit(self.limits.seconds_per_page, self.path, what="opening the PDF (its cross-reference table)",
                        speaks=options.speaks):
            self._pdf = careful.open_pdf(self.path, options.password, options.speaks)
            try:
                self.page_count = len(self._pdf.pages)
            except Exception as exc:
                careful.close_pdf(self._pdf)
                raise CorruptPdf(self.path, f"the page tree is damaged ({type(exc).__name__}); download it again") from None
        try:
            self._fast = pdfium.open_document(self.path, options.password)
        except Exception:  # pdfminer has opened it already; its errors are the clear ones
            self._fast = None

    # The Info entries a catalogue of documents shows; others (custom keys,
    # XMP) are left out.
    METADATA_KEYS = ("Title", "Author", "Subject", "Creator", "Producer", "CreationDate", "ModDate")

    @property
    def metadata(self) -> tuple[tuple[str, str], ...]:
        """The Info dictionary's text entries, as pdfminer decodes them."""
        try:
            info = self._pdf.metadata or {}
        except Exception:  # a damaged Info dictionary costs the catalogue entry, not the document
            return ()
        out = []
        for key in self.METADATA_KEYS:
            value = info.get(key)
            if isinstance(value, bytes):
                value = value.decode("latin-1", "replace")
            if isinstance(value, str) and value.strip():
                out.append((key, " ".join(value.split())))
        return tuple(out)

    def __enter__(self) -> DocumentReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        careful.close_pdf(self._pdf)
        if self._fast is not None:
            pdfium.close_document(self._fast)
            self._fast = None

    def read_page(self, number: int, reader: str = "auto", reocr_layer: bool = False) -> PageView:
        """Page ``number`` (1-based) as a view, with what reading says about it in ``view.notes``.

        ``reader`` is "auto" (PDFium where it maps the page as pdfminer
        would), or "pdfium" / "pdfminer" to force one (tests, comparisons).
        ``reocr_layer``: with OCR on, a page whose text is the PDF's own OCR
        layer is read by sesaku's OCR instead (the caller found the layer
        too poor to use; ``stage``).
        """
        if reader not in READERS:
            raise ValueError(f"unknown reader {reader!r}; choose one of: {', '.join(READERS)}")
        try:
            page = self._pdf.pages[number - 1]
            try:
                view = self._view(page, number - 1, reader)
                if self._wants_ocr(view, reocr_layer):
                    view = self._ocr_view(view)
                elif self._unreadable_fonts(view):
                    unmapped = sum(1 for c in view.chars if _unmapped(c))
                    view = _noted(view, f"page {number}: {unmapped} of its {len(view.chars)} glyphs are set in a font "
                                        "without a Unicode map (glyph ids only, shown as (cid:NN)), so the page was read by OCR")
                    view = self._ocr_view(view)
            finally:
                page.close()  # drop pdfplumber's per-page caches: memory stays flat
        except (UnmappedFont, CorruptPdf):
            raise
        except Exception as exc:
            raise CorruptPdf(self.path, f"the page cannot be read ({type(exc).__name__}); download the PDF again", number) from None
        if view.chars:
            if _cid_share(view) > self.limits.max_cid_share:
                # The caller says how to read it (OCR, or the extra to install).
                raise UnmappedFont(self.path, UNMAPPED_PROBLEM, number)
            view = drop_unmapped(view, self.settings)
        return view

    def _unreadable_fonts(self, view: PageView) -> bool:
        """A page mostly of glyph ids, and OCR on: the image is the only way to its text.

        Fonts of a known collection (Adobe-Japan1 ...) are mapped by the
        careful reader (``cidmaps``) and never come here; what is left has
        no Unicode map at all (a subset TrueType font without ToUnicode or
        cmap, as Distiller writes from PScript5: ``(cid:NN)`` for every glyph).
        """
        if self.ocr_mode == "never" or self._fast is None or not pdfium.usable(self._fast, view.number - 1):
            return False
        return bool(view.chars) and _cid_share(view) > self.limits.max_cid_share

    def _shown_glyphs(self, page):
        try:
            return self._census.page_glyphs(page.page_obj)
        except Exception:  # streams the census cannot parse: the readers' own checks still apply
            return None

    def _view(self, page, index: int, reader: str) -> PageView:
        """Read a page with PDFium where it can, else with pdfminer."""
        shown = self._shown_glyphs(page)
        view = self._read(page, index, reader, shown)
        if view.text_layer == "ocr_layer":
            shown = None  # the census leaves out invisible text, which an OCR layer is
        return dataclasses.replace(view, tally=dataclasses.replace(view.tally, shown=shown))

    def _read(self, page, index: int, reader: str, shown) -> PageView:
        geometry = dict(
            number=page.page_number, width=page.width, height=page.height,
            origin=(float(page.mediabox[0]), float(page.mediabox[1])), settings=self.settings,
        )
        if reader == "pdfium":
            chars = pdfium.page_chars(self._fast, index, self.settings) or []
            return self._make_view(page, chars, pdfium.page_paths(self._fast, index), geometry)
        if self._fast is not None and reader == "auto":
            try:
                if self.pdfium_may_read(page, index):
                    fast_chars = pdfium.page_chars(self._fast, index, self.settings)
                    if fast_chars is not None:
                        painted = pdfium.painted_count(fast_chars)
                        view = self._make_view(page, fast_chars, pdfium.page_paths(self._fast, index), geometry)
                        view = self._check_placement(page, view, geometry)
                        # A page read again by pdfminer for placement has pdfminer's count.
                        if not view.tally.misplaced_by_reader and shown is not None \
                                and painted + PDFIUM_SHORTFALL_TOLERANCE < shown:
                            view = self._recheck(page, view, painted, shown, geometry)
                        return view if view.chars else dataclasses.replace(view, has_images=careful.has_images(page))
            except Exception:  # a page PDFium cannot read is read the slow way
                pass
        view = self._make_view(page, careful.page_chars(page), careful.page_graphics(page), geometry)
        return view if view.chars else dataclasses.replace(view, has_images=careful.has_images(page))

    def pdfium_may_read(self, page, index: int) -> bool:
        """Whether PDFium maps this page as pdfminer would: its boxes, every glyph
        mapped to Unicode, no vertical writing (``careful.has_vertical_fonts``).

        The media box must be the one pdfminer reads: on a court judgment FPDF
        wrote with pages of mixed sizes PDFium takes Letter where the page is
        A4, and every glyph of the page landed 48pt above its ink."""
        if self._fast is None or not pdfium.usable(self._fast, index):
            return False
        if not careful.same_media_box(page, pdfium.media_box(self._fast, index)):
            return False
        return not careful.has_unmapped_fonts(page) and not careful.has_vertical_fonts(page)

    def _make_view(self, page, chars, graphics, geometry: dict) -> PageView:
        """The view of the glyphs a reader gave; an OCR layer's invisible text counts as
        text, and the borders in the scan as rules."""
        chars = list(chars)
        # Only pages with mostly invisible text pay for finding the images.
        if ocrlayer.invisible_share(chars) > 0.5 and ocrlayer.is_ocr_layer(
            chars, careful.page_images(page), geometry["width"], geometry["height"]
        ):
            view = page_to_view(chars=ocrlayer.as_content(chars), graphics=graphics,
                                image_rules=self._image_rules(page, geometry), **geometry)
            return dataclasses.replace(view, text_layer="ocr_layer")
        return page_to_view(chars=chars, graphics=graphics, **geometry)

    def _wants_ocr(self, view: PageView, reocr_layer: bool) -> bool:
        if self.ocr_mode == "never" or self._fast is None or not pdfium.usable(self._fast, view.number - 1):
            return False
        if reocr_layer and view.text_layer == "ocr_layer":
            return True
        return self.ocr_mode == "always" or (not view.has_text and view.has_images)

    def _ocr_view(self, view: PageView) -> PageView:
        """The page read from its image: OCR'd glyphs and the borders in the image
        (the notes on the page as first read are kept)."""
        page = ocr.read_page(self._fast, view.number - 1, view.origin[0])
        notes = list(view.notes)
        if page.angle:
            notes.append(f"page {view.number}: the scan was {abs(page.angle):.2f}° askew and was straightened before it was read")
        chars, lines = page.chars, page.lines
        note = ocr.review_note(view.number, lines)
        if note:
            notes.append(note)
        read = page_to_view(
            number=view.number, width=view.width, height=view.height, chars=chars, graphics=[],
            origin=view.origin, settings=self.settings, has_images=True,
            image_rules=(page.horizontal, page.vertical),
        )
        return dataclasses.replace(read, text_layer="ocr", tally=dataclasses.replace(read.tally, shown=None),
                                   ocr_lines=tuple(lines), notes=tuple(notes))

    def _image_rules(self, page, geometry: dict) -> tuple[list[dict], list[dict]]:
        if self._fast is None or not pdfium.usable(self._fast, page.page_number - 1):
            return [], []
        gray = pdfium.render_gray(self._fast, page.page_number - 1, imagerules.DPI)
        horizontal, vertical = imagerules.image_to_rules(gray, imagerules.DPI)
        # The rendered page starts at the media box's left edge; pdfplumber's x does not.
        dx = geometry["origin"][0]
        shift = lambda r: rule(r["x0"] + dx, r["top"], r["x1"] + dx, r["bottom"])  # noqa: E731
        return [shift(r) for r in horizontal], [shift(r) for r in vertical]

    def _check_placement(self, page, fast: PageView, geometry: dict) -> PageView:
        """PDFium's glyphs overlap like no printed page's (``placement``): compare
        the page's lines with pdfminer's, and where they differ take pdfminer's
        view; the ledger counts PDFium's glyphs as misplaced and warns."""
        if not placement.misplaced_signal(fast.chars, self.settings):
            return fast
        slow = self._make_view(page, careful.page_chars(page), careful.page_graphics(page), geometry)
        agreement = placement.same_lines_share(view_text(fast, self.settings), view_text(slow, self.settings))
        if agreement >= self.settings.placement_agreement_share:
            return fast  # the page's glyphs do overlap: both readers see it so
        return dataclasses.replace(slow, tally=dataclasses.replace(slow.tally, misplaced_by_reader=fast.tally.kept))

    def _recheck(self, page, fast: PageView, painted: int, shown: int, geometry: dict) -> PageView:
        """PDFium returned fewer glyphs than the page shows: let pdfminer read it too.

        A writer painting each glyph twice (fake bold) also gives PDFium
        fewer glyphs, as PDFium merges the copies, and sesaku drops the
        copies from both readers' glyphs anyway (``visible_chars``).  So
        only characters pdfminer's view has beyond PDFium's count as lost;
        without any, PDFium's view is kept and nothing is said.
        """
        slow = self._make_view(page, careful.page_chars(page), careful.page_graphics(page), geometry)
        lost = Counter(c["text"] for c in slow.chars) - Counter(c["text"] for c in fast.chars)
        if not lost:
            # pdfminer's count of the painted glyphs is then what the census
            # is checked against: the copies PDFium merged are accounted.
            merged = max(0, slow.tally.painted - fast.tally.painted)
            return dataclasses.replace(fast, tally=dataclasses.replace(fast.tally, merged_by_reader=merged))
        sample = "".join(sorted(lost.elements()))[:20]
        return _noted(slow, f"page {fast.number}: PDFium returned {painted} glyph(s) where the page's text operators "
                            f"show {shown}; read with pdfminer instead, which recovers {sum(lost.values())} character(s) "
                            f"({sample})")


def _unmapped(char: dict) -> bool:
    return char["text"].startswith("(cid:")


def _cid_share(view: PageView) -> float:
    if not view.chars:
        return 0.0
    return sum(1 for c in view.chars if _unmapped(c)) / len(view.chars)


def _noted(view: PageView, note: str) -> PageView:
    return dataclasses.replace(view, notes=(*view.notes, note))


def drop_unmapped(view: PageView, settings: Settings) -> PageView:
    """``(cid:NN)`` is a glyph id, not text: never let it reach a field."""
    unmapped = [c for c in view.chars if _unmapped(c)]
    if not unmapped:
        return view
    first = unmapped[0]
    view = _noted(view, f"page {view.number}: {len(unmapped)} glyph(s) of a font without a Unicode map, shown as "
                        f"(cid:NN), were left out (first at x={first['x0']:.0f}, top={first['top']:.0f}); the text "
                        "around them may be incomplete")
    chars = tuple(c for c in view.chars if not _unmapped(c))
    return dataclasses.replace(view, chars=chars, lines=tuple(chars_to_lines(chars, settings)),
                               tally=dataclasses.replace(view.tally, unmapped=len(unmapped)))
