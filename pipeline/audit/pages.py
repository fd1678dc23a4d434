"""Page images for the audit report, rendered with PDFium."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..reading.setup import setup_readers

# 2x (144 dpi) keeps 7-pt Japanese glyphs legible when zooming into a cell;
# one landscape A4 page is then ~1684x1190 px, a few hundred KB as PNG.
DEFAULT_SCALE = 2.0


@dataclass(frozen=True)
class PageImage:
    number: int
    file: str
    px_width: int
    px_height: int
    view_box: tuple[float, float, float, float]  # in pdfplumber coordinates (pt)


def render_pages(pdf: Path, out_dir: Path, scale: float, password: str | None = None) -> list[PageImage]:
    import pypdfium2 as pdfium
    from PIL import Image

    setup_readers()  # the page images draw non-embedded fonts from the project's fonts, as reading does
    images = []
    document = pdfium.PdfDocument(str(pdf), password=password)
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=scale)
                image = bitmap.to_pil()
                name = f"page-{index + 1:03d}.png"
                # 64 colours keep anti-aliased text and shading readable at a
                # third of the size of a full-colour PNG.
                image.quantize(64, method=Image.Quantize.FASTOCTREE).save(out_dir / name)
                width, height = page.get_size()
                ml, _mb, _mr, mt = page.get_mediabox()
                cl, cb, cr, ct = page.get_cropbox()
                if page.get_rotation() == 0:
                    # pdfium draws the crop box; pdfplumber measures from the
                    # media box's top-left, so the view box starts at the crop
                    # box's offset inside it.
                    view_box = (cl - ml, mt - ct, cr - cl, ct - cb)
                else:  # rotated pages: both tools report the page as displayed
                    view_box = (0.0, 0.0, width, height)
                images.append(PageImage(index + 1, name, image.width, image.height, view_box))
            finally:
                page.close()
    finally:
        document.close()
    return images


