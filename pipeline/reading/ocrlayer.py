"""OCR text layers: invisible text over a scanned page is the page's text.

ocrmypdf, Acrobat's テキスト認識 and scanner firmware all write what they
recognise as text in render mode 3 (painting nothing) over the page
image, so that the page looks like the scan and still has text to search
and copy.  On such a page the invisible text is the only text there is;
on a page drawn from vectors, invisible text is a writer's leftover (a
hidden copy, a watermark) and not content.  The two are told apart by
what else the page holds: an OCR layer covers a page that is essentially
one image, and most of its glyphs are invisible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .glyphs import INVISIBLE_RENDER_MODES

# Share of the page one image must cover for its invisible text to be an
# OCR layer.  Scanned pages are one image of the whole sheet (cover 1.0;
# ocrmypdf keeps the page size, copiers add at most a few mm of margin,
# ≥0.9 of A4); report pages drawn from vectors carry logos, photos and
# maps well below half the page.  0.6 leaves room for a scan placed on a
# larger page without taking a page with a half-page photo.
MIN_IMAGE_COVER = 0.6


def _painting(char: dict) -> bool:
    text = char.get("text") or ""
    return bool(text) and not text.isspace()


def invisible_share(chars: Sequence[dict]) -> float:
    """Share of the page's (non-space) glyphs in a render mode that paints nothing."""
    glyphs = [c for c in chars if _painting(c)]
    if not glyphs:
        return 0.0
    return sum(1 for c in glyphs if c.get("render_mode") in INVISIBLE_RENDER_MODES) / len(glyphs)


def image_cover(images: Iterable[dict], width: float, height: float) -> float:
    """Share of the page the largest image covers (pdfplumber-style boxes, clipped to the page)."""
    area = width * height
    if area <= 0:
        return 0.0
    best = 0.0
    for im in images:
        w = max(0.0, min(im["x1"], width) - max(im["x0"], 0.0))
        h = max(0.0, min(im["bottom"], height) - max(im["top"], 0.0))
        best = max(best, w * h / area)
    return best


def is_ocr_layer(chars: Sequence[dict], images: Iterable[dict], width: float, height: float) -> bool:
    """Invisible text makes up most of the page's text, over one page-sized image."""
    return invisible_share(chars) > 0.5 and image_cover(images, width, height) >= MIN_IMAGE_COVER


def as_content(chars: Iterable[dict]) -> list[dict]:
    """The layer's glyphs as visible text, each marked ``ocr`` (it was recognised, not typeset)."""
    out = []
    for c in chars:
        if c.get("render_mode") in INVISIBLE_RENDER_MODES:
            # Writers colour the layer anyhow (it is never painted);
            # as content it is black text.
            c = {**c, "render_mode": 0, "non_stroking_color": (0.0,), "ncs": "DeviceGray", "ocr": True}
        out.append(c)
    return out
