"""sesaku's own OCR route: a page with no usable text layer, read from its image.

Optional (``pip install 'sesaku[ocr]'``): RapidOCR runs PP-OCR models
shipped inside its wheel on onnxruntime, so nothing is downloaded at run
time.  The page is rendered by PDFium, the table borders are found in the
image (``imagerules``) and the recognised characters become glyphs with
boxes in page coordinates, so the grid, stitching and interpretation run
unchanged.  Each glyph is marked ``ocr`` and carries the model's
confidence; ``normalizers.ocrforms`` maps the Chinese forms the model
writes for Japanese kanji back.

Measured on the family's report rendered as a scan (issue 15): RapidOCR
on the whole page gives 98.7-99.1 % of characters right at 200-300 dpi
(tesseract 80-89 %), at 7-12 s and ~1 GB per page on 2 cores.
"""

from __future__ import annotations

import functools
import threading
from typing import Optional

import numpy as np

from normalizers.ocrforms import japanese_forms

MODES = ("auto", "always", "never")
# 200 dpi: the measurement gives the same accuracy as 300 dpi
# (98.7-99.1 %) at under half the pixels and time.
DPI = 200
# Lines the model is less sure of than this are listed for review in the
# run report.  On the fixture's scan, lines below 0.9 held 3 of every 4
# misread characters while making up under a tenth of the lines.
REVIEW_SCORE = 0.9
_LOCK = threading.Lock()


class OcrUnavailable(RuntimeError):
    """RapidOCR (the ``ocr`` extra) is not installed."""


def available() -> bool:
    try:
        import rapidocr  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _engine():
    try:
        from rapidocr import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable("OCR needs the ocr extra: pip install 'sesaku[ocr]'") from exc
    return RapidOCR(params={"Global.log_level": "error", "Det.lang_type": "japan", "Rec.lang_type": "japan"})


def _quad_box(quad, scale: float, dx: float) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return min(xs) * scale + dx, min(ys) * scale, max(xs) * scale + dx, max(ys) * scale


def recognise(rgb: np.ndarray, dpi: float = DPI, dx: float = 0.0) -> tuple[list[dict], list[tuple[str, float]]]:
    """Glyph dicts (pt, top-based, reader-style) and (line text, confidence) per recognised line."""
    with _LOCK:  # one model in memory; onnxruntime uses both cores for a page already
        result = _engine()(rgb, return_word_box=True, return_single_char_box=True)
    if not result or result.txts is None:
        return [], []
    scale = 72.0 / dpi
    gray = rgb.mean(axis=2).astype(np.uint8)
    chars: list[dict] = []
    lines: list[tuple[str, float]] = []
    for quad, text, score, words in zip(result.boxes, result.txts, result.scores, result.word_results):
        x0, top, x1, bottom = _quad_box(quad, scale, dx)
        glyphs = [(w[0], w[2]) for w in words if w and w[0] and w[0].strip() and w[2] is not None]
        if not glyphs:
            continue
        corrected = japanese_forms("".join(g for g, _ in glyphs))
        pieces = _split_like(corrected, [g for g, _ in glyphs])
        placed = [(piece, _quad_box(box, scale, dx)) for piece, (_, box) in zip(pieces, glyphs)]
        mark = None if pieces[0][:1] in BULLET_MARKS else _mark_before(gray, placed[0][1], scale, dx)
        if mark is not None:
            placed.insert(0, mark)
            corrected = mark[0] + corrected
        lines.append((corrected, float(score)))
        # One line's glyphs share its top and bottom (a reader's line), each
        # its own left and right from the model's character boxes.
        size = bottom - top
        for piece, (gx0, _, gx1, _) in placed:
            chars.append({
                "object_type": "char", "text": piece, "x0": gx0, "x1": max(gx1, gx0 + 0.1),
                "top": top, "bottom": bottom, "size": size, "fontname": "OCR",
                "non_stroking_color": (0.0,), "ncs": "DeviceGray", "render_mode": 0, "upright": True,
                "ocr": True, "ocr_score": float(score),
            })
    return chars, lines


# The marks a line of the form starts with that the model drops: ○ opens a
# measure name (without it the table has no measures), ● and ◎ items.
BULLET_MARKS = "○●◎・"


def _mark_before(gray: np.ndarray, first: tuple, scale: float, dx: float):
    """A round mark just left of a line's first glyph, as ("○" | "●", box), or None.

    The model's text detector cuts lines at the gap after a bullet and
    often drops it.  The mark is looked for as a shape: one dark component
    in the em before the first glyph, about as wide as high (a circle),
    half an em to an em across; a hole in it makes it ○, none ●.
    """
    import cv2

    x0, top, x1, bottom = first
    em = bottom - top
    if em <= 0:
        return None
    px = lambda v: int(round(v / scale))  # noqa: E731
    left, right = max(0, px(x0 - dx - 1.3 * em)), max(0, px(x0 - dx) - 1)
    y0, y1 = max(0, px(top)), min(gray.shape[0], px(bottom))
    if right - left < 3 or y1 - y0 < 3:
        return None
    # A cell's border can run through the strip (a straightened scan shifts
    # it by a pixel or two) and would join the mark into one L-shaped blob,
    # so borders are taken out first, looked for in a strip half an em
    # taller each way.  Grain and JPEG break a rule into dashes and blur
    # makes it wander by a pixel, so each is measured over three rows or
    # columns: a row holding ink over 70 % of the strip's width is a
    # horizontal rule (a mark, at most 1.05 em across, fills at most ~80 %
    # of the 1.3 em width, and only on its middle row); a column whose ink,
    # gaps of up to 4 px bridged, runs longer than any mark (1.1 em) is a
    # vertical one.  A share would not do down the strip: the bullets of the
    # lines above and below stack there.
    pad = px(em / 2)
    t0, t1 = max(0, y0 - pad), min(gray.shape[0], y1 + pad)
    tall = (gray[t0:t1, left:right] < 128).astype(np.uint8)
    rule_rows = cv2.dilate(tall, np.ones((3, 1), np.uint8)).mean(axis=1) >= 0.7
    paper = dict(borderType=cv2.BORDER_CONSTANT, borderValue=0)  # outside the strip is paper, not ink
    down = cv2.morphologyEx(cv2.dilate(tall, np.ones((1, 3), np.uint8)), cv2.MORPH_CLOSE, np.ones((5, 1), np.uint8), **paper)
    down = cv2.morphologyEx(down, cv2.MORPH_OPEN, np.ones((max(3, int(1.1 * em / scale)), 1), np.uint8), **paper)
    rule_cols = down.any(axis=0)
    tall[rule_rows, :] = 0
    tall[:, rule_cols] = 0
    crop = tall[y0 - t0:y1 - t0]
    stats = _shapes(crop)
    # What is left of a rule is thin; a mark is a round shape.
    is_round = [0.75 <= s[2] / max(s[3], 1) <= 1.33 and 0.35 * em <= s[3] * scale <= 1.05 * em for s in stats]
    others = [s for s, r in zip(stats, is_round) if not r and min(s[2], s[3]) * scale > 0.2 * em]
    if sum(is_round) != 1 or others:  # nothing, or more than a lone mark
        return None
    x, y, w, h, area = stats[is_round.index(True)]
    fill = area / float(w * h)
    # A filled disc covers π/4 ≈ 0.79 of its box, a ring of a text face's
    # ○ 0.25-0.45; 0.6 lies between both with room for blur.
    glyph = "●" if fill >= 0.6 else "○"
    box = ((left + x) * scale + dx, (y0 + y) * scale, (left + x + w) * scale + dx, (y0 + y + h) * scale)
    return glyph, box


def _shapes(ink: np.ndarray) -> list[tuple[int, int, int, int, int]]:
    """(x, y, w, h, pixels) of each shape in a 0/1 image, a shape's pieces
    within a pixel of one another taken together.

    Blur, grain and JPEG break a ring's thin stroke into pieces (seen on a
    noisy 200 dpi scan of the sample); the pieces are grouped on a copy
    grown by one pixel, and measured on the ink itself, so a ring keeps
    its hole and its size."""
    import cv2

    n, labels = cv2.connectedComponents(cv2.dilate(ink, np.ones((3, 3), np.uint8)), connectivity=8)
    shapes = []
    for i in range(1, n):
        ys, xs = np.nonzero((labels == i) & (ink > 0))
        if len(xs):
            x, y = int(xs.min()), int(ys.min())
            shapes.append((x, y, int(xs.max()) - x + 1, int(ys.max()) - y + 1, len(xs)))
    return shapes


def _split_like(text: str, parts: list[str]) -> list[str]:
    """``text`` cut into pieces as long as ``parts`` (the correction keeps lengths)."""
    out, i = [], 0
    for p in parts:
        out.append(text[i:i + len(p)])
        i += len(p)
    return out


ENGINE = "rapidocr"
REVIEW_LIST = 20  # the lowest-confidence lines the run report lists


def engine_version() -> Optional[str]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(ENGINE)
    except PackageNotFoundError:
        return None


def ocr_summary(pages: list[int], lines: list[tuple[int, str, float]]) -> dict:
    """The run report's account of the OCR: engine, pages, mean confidence and
    the lines to check by eye first (the least sure, at most ``REVIEW_LIST``)."""
    if not pages:
        return {}
    review = sorted((ln for ln in lines if ln[2] < REVIEW_SCORE), key=lambda ln: (ln[2], ln[0]))[:REVIEW_LIST]
    return {
        "engine": ENGINE, "version": engine_version(), "dpi": DPI, "pages": len(pages),
        "lines": len(lines),
        "mean_confidence": round(sum(s for _, _, s in lines) / len(lines), 3) if lines else None,
        "below_review_score": sum(1 for ln in lines if ln[2] < REVIEW_SCORE), "review_score": REVIEW_SCORE,
        "review": [{"page": p, "text": t, "confidence": round(s, 3)} for p, t, s in review],
    }


def review_note(number: int, lines: list[tuple[str, float]]) -> Optional[str]:
    """The run report's line on a page read by OCR, naming the lines to check."""
    doubtful = [(t, s) for t, s in lines if s < REVIEW_SCORE]
    head = f"page {number}: read by OCR (RapidOCR, {DPI} dpi), {len(lines)} line(s)"
    if not doubtful:
        return head + "; check the characters, OCR misreads some"
    sample = "; ".join(f"{t[:20]} ({s:.2f})" for t, s in doubtful[:3])
    return head + f", {len(doubtful)} below confidence {REVIEW_SCORE}: {sample}"
