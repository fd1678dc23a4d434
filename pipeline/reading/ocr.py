"""sesaku's own OCR route: a page with no usable text layer, read from its image.

Optional (``pip install 'sesaku[ocr]'``): the PP-OCR recognition model
shipped inside the RapidOCR wheel runs on onnxruntime, so nothing is
downloaded at run time.  The page is rendered by PDFium and straightened
(``deskew``); the table borders are found in the image (``imagerules``)
and taken out; the text lines are found between them as ink (``text_lines``:
no detection model), each line is cut out on its own, scaled to the model's
48 px and recognised in batches; the characters' places come from the
model's own time steps.  The recognised characters become glyphs with boxes
in page coordinates, so the grid, stitching and interpretation run
unchanged.  Each glyph is marked ``ocr`` and carries its line's confidence
and its own; ``normalizers.ocrforms`` maps the Chinese forms the model
writes for Japanese kanji back, and kana/kanji look-alikes by context.

Why not RapidOCR's own pipeline (a text-detection model over the whole page,
an angle classifier, then recognition): on a table page the borders already
say where text can be, the detection model took a sixth of the time and
~1 GB, the classifier is only for text turned upside down, and the
detector's boxes are padded (the line's ink fills ~70 % of their height),
which makes the recognition model, whose cost grows with the width of what
it reads at 48 px high, read every line wider than it needs.  Measured in
bench/bench.py against a plain whole-page RapidOCR call on the same pages.
"""

from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from normalizers.ocrforms import HALF_WIDTH, SIMPLIFIED_TO_JAPANESE, japanese_forms, lexicon_forms

MODES = ("auto", "always", "never")
# 200 dpi: the measurement gives the same accuracy as 300 dpi
# (98.7-99.1 %) at under half the pixels and time.
DPI = 200
# Lines the model is less sure of than this are listed for review in the
# run report.  On the fixture's scan, lines below 0.9 held 3 of every 4
# misread characters while making up under a tenth of the lines.
REVIEW_SCORE = 0.9
_LOCK = threading.Lock()

# The recognition model (PP-OCRv6 small, multilingual, in the rapidocr
# wheel): input 3 x 48 x W, one prediction per 8 px of W.
MODEL_FILE = "PP-OCRv6_rec_small.onnx"
REC_HEIGHT = 48
STEP_PX = 8
# How much of the 48 px a line's ink fills.  The model's cost is its input
# width; at a lower fill the same line is narrower.  RapidOCR's detector
# boxes give ~0.72; at 0.5 the held-back tune set read as well (see
# bench/OCR_ACCURACY.md) at 0.7x the width.
FILL = 0.5
# Long lines are narrowed by this much besides (glyphs 0.85 as wide as high):
# the model reads condensed faces, and its cost is the width.
SQUEEZE = 1.0
# Short lines (at most SHORT_EMS ems: ratings such as 3*, year labels,
# header words) are read larger: their small marks (the asterisk of 3*)
# were lost at FILL, and they cost little.  A lone glyph (at most LONE_EMS,
# the end of a word wrapped at a cell's edge) larger still: the プ of
# ワークショッ|プ on a noisy tune scan read 1 at 0.5, 7 at 0.75, プ at 0.9.
SHORT_FILL = 0.75
SHORT_EMS = 3.5
LONE_FILL = 0.9
LONE_EMS = 1.6
# onnxruntime threads for the model: two cores (the machine sesaku is
# measured on); spinning off, so waiting threads do not burn a shared CPU.
THREADS = 2
# Batches: lines of similar width together (sorted), at most this many
# columns of 48 px input and lines per batch.  The model's activations grow
# with the batch: on two noisy pages of a tune report, 12,000 columns peaked
# at 1,024 MB, 4,000 at 450 MB, 1,500-2,000 at 300-330 MB and ran no slower
# (smaller batches stay in cache).
BATCH_COLUMNS = 1600
BATCH_LINES = 8


class OcrUnavailable(RuntimeError):
    """RapidOCR (the ``ocr`` extra) is not installed."""


def available() -> bool:
    try:
        import rapidocr  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class _Model:
    session: Any  # onnxruntime.InferenceSession (untyped library)
    input_name: str
    characters: tuple[str, ...]  # index 0 is CTC's blank
    name: str = MODEL_FILE


@functools.lru_cache(maxsize=1)
def _model() -> _Model:
    try:
        import onnxruntime as ort
        from importlib.resources import files

        models = files("rapidocr") / "models"
    except ImportError as exc:
        raise OcrUnavailable("OCR needs the ocr extra: pip install 'sesaku[ocr]'") from exc
    # The model the wheel ships; another rapidocr 3.x may ship another recognition model.
    shipped = sorted(m.name for m in models.iterdir() if m.name.endswith(".onnx") and "rec" in m.name)
    if not shipped:
        raise OcrUnavailable("the rapidocr wheel holds no recognition model; reinstall: pip install 'sesaku[ocr]'")
    path = models / (MODEL_FILE if MODEL_FILE in shipped else shipped[0])
    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = False  # batches vary in width; an arena keeps the largest
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    characters = ("",) + tuple(meta["character"].splitlines()) + (" ",)
    return _Model(session, session.get_inputs()[0].name, characters, path.name)


# ----------------------------------------------------------------------- the page


@dataclass(frozen=True)
class PageRead:
    """A page image read: glyph dicts (pt, top-based, reader-style), (text, confidence) per
    line, the rules found in the image (pt), and the angle the scan was turned by."""
    chars: list
    lines: list
    horizontal: list
    vertical: list
    angle: float


def read_page(pdoc, index: int, dx: float = 0.0) -> PageRead:
    """Page ``index`` (0-based) of an open PDFium document, rendered at ``DPI`` and read."""
    from . import deskew, imagerules, pdfium
    from .rules import rule

    gray, angle = deskew.deskew(pdfium.render_gray(pdoc, index, DPI))
    horizontal, vertical, not_text = imagerules.rules_and_masks(gray, DPI)
    chars, lines = recognise(gray, not_text, DPI, dx)
    shift = lambda r: rule(r["x0"] + dx, r["top"], r["x1"] + dx, r["bottom"])  # noqa: E731
    read = PageRead(chars, lines, [shift(r) for r in horizontal], [shift(r) for r in vertical], angle)
    del gray, not_text
    _release_memory()
    return read


def _release_memory() -> None:
    """Hand the page's freed buffers back to the system.  glibc keeps them in its arenas:
    without this a process reading the sample's seven scanned pages grew ~25 MB a page
    (413 → 558 MB); with it it stays at ~220 MB between pages (peak 434 MB)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def recognise(gray: np.ndarray, not_text: Optional[np.ndarray] = None, dpi: float = DPI,
              dx: float = 0.0) -> tuple[list[dict], list[tuple[str, float]]]:
    """Glyph dicts (pt, top-based, reader-style) and (line text, confidence) per recognised line
    of a grey page image; ``not_text`` marks the pixels of rules and filled areas."""
    if gray.ndim == 3:
        gray = gray.mean(axis=2).astype(np.uint8)
    found = text_lines(gray, not_text, dpi)
    with _LOCK:  # one model in memory; its two threads use both cores already
        recognised = _recognise_lines(found)
    kept = [(line, glyphs) for line, (glyphs, _) in zip(found, recognised) if glyphs]
    texts = _corrected([line for line, _ in kept], ["".join(g[0] for g in glyphs) for _, glyphs in kept], not_text)
    scale = 72.0 / dpi
    chars: list[dict] = []
    lines: list[tuple[str, float]] = []
    for (line, glyphs), text in zip(kept, texts):
        # A look-alike the context put right counts at half the model's confidence:
        # the model read another glyph there, so its value is one to check.
        probs = [p / 2 if t != SIMPLIFIED_TO_JAPANESE.get(g, g) else p for t, (g, _, _, p) in zip(text, glyphs)]
        score = round(float(np.mean(probs)), 5)
        text, glyphs, probs = _raised_asterisks(line, text, glyphs, probs)
        placed = [(t, (x0 * scale + dx, line.top * scale, x1 * scale + dx, line.bottom * scale), p)
                  for t, (_, x0, x1, _), p in zip(text, glyphs, probs)]
        mark = _leading_mark(line, glyphs) if line.bottom - line.top >= MARK_LINE_PT * dpi / 72.0 else None
        if mark is not None:
            box = (mark[1] * scale + dx, line.top * scale, mark[2] * scale + dx, line.bottom * scale)
            if (glyphs[0][1] + glyphs[0][2]) / 2 < mark[2] + 0.1 * (line.bottom - line.top):
                # the model's first glyph was the mark, misread
                placed[0] = (mark[0], box, placed[0][2])
                text = mark[0] + text[1:]
            else:
                placed.insert(0, (mark[0], box, score))
                text = mark[0] + text
        lines.append((text, score))
        # One line's glyphs share its top and bottom (a reader's line), each
        # its own left and right from the model's time steps and the ink.
        top, bottom = line.top * scale, line.bottom * scale
        for piece, (gx0, _, gx1, _), p in placed:
            chars.append({
                "object_type": "char", "text": piece, "x0": gx0, "x1": max(gx1, gx0 + 0.1),
                "top": top, "bottom": bottom, "size": bottom - top, "fontname": "OCR",
                "non_stroking_color": (0.0,), "ncs": "DeviceGray", "render_mode": 0, "upright": True,
                "ocr": True, "ocr_score": score, "ocr_char_score": round(float(p), 4),
            })
    return chars, lines


def _corrected(lines: list["TextLine"], texts: list[str], not_text: Optional[np.ndarray]) -> list[str]:
    """The lines' texts with the model's Chinese forms and look-alikes put right, judged over
    the paragraph each line belongs to: a word wrapped at a cell's edge (センタ / 一啓発) is
    read whole."""
    following = _paragraphs(lines, not_text)
    out = list(texts)
    seen: set[int] = set()
    for first in range(len(lines)):
        if first in seen:
            continue
        chain = [first]
        while (after := following[chain[-1]]) is not None and after not in seen:
            chain.append(after)
        seen.update(chain)
        joined = "".join(texts[i] for i in chain)
        fixed = lexicon_forms(japanese_forms(joined), read=joined)
        if len(fixed) != len(joined):  # both keep lengths; never cut a line apart wrongly
            continue
        at = 0
        for i in chain:
            out[i] = fixed[at:at + len(texts[i])]
            at += len(texts[i])
    return out


def _paragraphs(lines: list["TextLine"], not_text: Optional[np.ndarray]) -> list[Optional[int]]:
    """For each line, the line that carries its text on (the next line of its paragraph), or None:
    the nearest line below starting within an em of its left, less than an em below, with no
    border between."""
    following: list[Optional[int]] = [None] * len(lines)
    taken: set[int] = set()
    for i, a in enumerate(lines):
        em = a.bottom - a.top
        best = None
        for j, b in enumerate(lines):
            if j == i or j in taken or abs(b.left - a.left) > em or not 0 <= b.top - a.bottom <= em:
                continue
            if best is None or b.top < lines[best].top:
                best = j
        if best is None:
            continue
        b = lines[best]
        x0, x1 = max(a.left, b.left), min(a.right, b.right)
        if not_text is not None and x1 > x0 and b.top > a.bottom:
            between = not_text[a.bottom:b.top, x0:x1]
            if (between.mean(axis=1) > 0.5).any():  # a border runs between them
                continue
        following[i] = best
        taken.add(best)
    return following


# ----------------------------------------------------------------------- text lines

# Pixels darker than this are a glyph's ink (as imagerules.INK_LEVEL).  At
# a lighter level (190) blur joined the glyphs of lines set close (the
# sample's results, 2-3 px apart at 200 dpi) into one line; the thin strokes
# of small glyphs (。, the dots of ：, the raised * of 3*) that grain breaks
# into pieces at this level are kept by SPECK_NEAR_PT instead.
INK_LEVEL = 160
# Glyphs of one line are joined across gaps up to this (pt) first: inside a
# word Japanese glyphs stand 0-1.5 pt apart at 7-10 pt; the padding between
# a cell's text and its border is >= 2 pt each side, and the border itself
# is taken out, so no line reaches into the next cell.
JOIN_PT = 2.5
# Pieces of a line further apart than that are joined when they share its
# band (overlap >= half the smaller height) and stand at most this many
# line heights apart with no border between: letter-spaced titles (施 策 計
# 画 名: 0.6 em gaps; a title spaced by one full-width space, 入 札 説 明 書
# of a ministry tender notice at 12 pt: 1.25 ink heights, where at 1.2 each glyph was a
# line and 書 fell apart into 聿 and 曰), a ・ or 、 standing free.  Two
# columns of a prose page stand > 2 em apart.  At 1.6 the sample scan's
# cells were read more loosely joined (its low-confidence review emptied).
JOIN_EMS = 1.4
# Ink smaller than this (pt, its longer side) standing alone is a speck
# (a fax's flipped pixel, JPEG noise), not a glyph: the smallest printed
# glyph, the dot of a 6 pt ・, is ~1.2 pt, and grain on scanned paper (~240,
# σ 12) never reaches INK_LEVEL.  Within SPECK_NEAR_PT of other ink it is
# kept whatever its size: the raised * of 3* at 7 pt, pieces of a broken 。.
SPECK_PT = 0.6
SPECK_NEAR_PT = 4.0
# A straight run of ink this long (pt) is a border, also where it was
# printed too faint (toner running out) to be found as one at the borders'
# ink level: it is taken out and keeps lines of two cells apart.  No glyph
# stroke is half as long.
RULE_PT = 30.0
RULE_THICK_PT = 1.8  # printed borders are 0.25-1 pt, ~3 px after a scanner's blur at 200 dpi


@dataclass(frozen=True)
class TextLine:
    """One line of text in the image (px): its ink box, and its pixels cut out on white."""
    left: int
    top: int
    right: int
    bottom: int
    image: np.ndarray  # grey, the line's own ink only (neighbours' ink whited out)


def text_lines(gray: np.ndarray, not_text: Optional[np.ndarray] = None, dpi: float = DPI) -> list[TextLine]:
    """The text lines of a page image, top to bottom: ink that is not a rule, joined along a line."""
    import cv2

    px = dpi / 72.0
    ink = (gray < INK_LEVEL).astype(np.uint8)
    run = max(3, int(round(RULE_PT * px)))
    faint = cv2.bitwise_or(cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, run), np.uint8)),
                           cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8)))
    # only thin runs: a filled area (a bar, a dark band) is no border
    thick = max(2, int(round(RULE_THICK_PT * px)))
    faint[cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((thick, thick), np.uint8)) > 0] = 0
    barrier = faint if not_text is None else cv2.bitwise_or(faint, not_text)
    barrier = cv2.dilate(barrier, np.ones((3, 3), np.uint8))
    ink[barrier > 0] = 0
    paper = barrier > 0  # what the lines' images show white: borders, and specks (below)
    # Specks are judged with the ink around them: grain and JPEG break a 。 or
    # the dots of ： and * into pieces a pixel apart, which together are a glyph.
    n, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(ink, np.ones((3, 3), np.uint8)), connectivity=8)
    specks = np.nonzero(np.maximum(stats[1:, 2], stats[1:, 3]) < SPECK_PT * px + 2)[0] + 1
    if len(specks):
        small = np.isin(labels, specks) & (ink > 0)
        reach = int(round(SPECK_NEAR_PT * px))
        near = cv2.dilate((ink & ~small).astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1)))
        lone = specks[np.bincount(labels[small & (near > 0)], minlength=n)[specks] == 0]
        ink[np.isin(labels, lone) & (ink > 0)] = 0
        paper[np.isin(labels, lone)] = True
    joined = cv2.dilate(ink, np.ones((1, max(1, int(round(JOIN_PT * px)))), np.uint8))
    joined[barrier > 0] = 0
    n, pieces, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        inside = ink[y:y + h, x:x + w] * (pieces[y:y + h, x:x + w] == i)
        rows, cols = np.nonzero(inside.any(axis=1))[0], np.nonzero(inside.any(axis=0))[0]
        if len(rows):
            boxes.append([x + int(cols[0]), y + int(rows[0]), x + int(cols[-1]) + 1, y + int(rows[-1]) + 1, i])
    groups = _join_pieces(boxes, barrier, JOIN_EMS)
    groups = _faint_ends(groups, gray, barrier, max(1, int(round(JOIN_PT * px))))
    out = []
    for members in groups:
        left = min(b[0] for b in members)
        top = min(b[1] for b in members)
        right = max(b[2] for b in members)
        bottom = max(b[3] for b in members)
        region = pieces[top:bottom, left:right]
        # The line's box as scanned, but for other lines' ink (and its blurred edge) and the
        # borders and specks taken out: the faint parts of its own glyphs (a ゜ or 。 grain
        # broke up, the edge of a stroke) stay in, as the model was trained on them.
        others = ((region > 0) & ~np.isin(region, [b[4] for b in members])).astype(np.uint8)
        blank = (cv2.dilate(others, np.ones((3, 3), np.uint8)) > 0) | paper[top:bottom, left:right]
        image = np.where(blank, 255, gray[top:bottom, left:right]).astype(np.uint8)
        out.append(TextLine(left, top, right, bottom, image))
    typical = _typical_height(out)
    out = [part for t in out for part in (_split_tall(t, typical) if t.bottom - t.top > TALL * typical > 0 else [t])]
    out.sort(key=lambda t: (t.top, t.left))
    return out


# A "line" this many times the body's line height is lines set so close that
# blur joined their glyphs (the sample's cells at 200 dpi: two lines read as
# one, the model's reading of it garbage): it is cut between them ...
TALL = 1.6
# ... where a row holds at most this share of the line's usual ink in a row
# (the median of its inked rows): lines joined by blur touch at a few points
# (0.011-0.013 of the median at the cut on the sample's clean table scans),
# while a line of larger glyphs is ink all the way down (the sample's 16 pt
# title and the 施 策 計 画 over each table, 0.67-0.77 at the emptiest row:
# cut, both were read as garbage).
VALLEY = 0.25


def _split_tall(line: TextLine, typical: float) -> list[TextLine]:
    """A group of lines touching one another, cut at the emptiest row near each line height, where
    that row is nearly empty (``VALLEY``)."""
    ink = (line.image < INK_LEVEL).sum(axis=1)
    cuts, at = [], 0
    while len(ink) - at > TALL * typical:
        lo, hi = at + int(0.7 * typical), min(len(ink) - 1, at + int(1.4 * typical))
        if hi <= lo:
            break
        cut = lo + int(np.argmin(ink[lo:hi + 1]))
        if ink[cut] > VALLEY * np.median(ink[ink > 0]):
            break  # no gap between lines here: taller glyphs
        cuts.append(cut)
        at = cut
    parts = []
    for a, b in zip([0] + cuts, cuts + [len(ink)]):
        piece = line.image[a:b]
        rows = np.nonzero((piece < INK_LEVEL).any(axis=1))[0]
        cols = np.nonzero((piece < INK_LEVEL).any(axis=0))[0]
        if not len(rows):
            continue
        r0, r1, c0, c1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
        parts.append(TextLine(line.left + c0, line.top + a + r0, line.left + c1, line.top + a + r1,
                              np.ascontiguousarray(piece[r0:r1, c0:c1])))
    return parts or [line]


# Thin strokes blur lighter than INK_LEVEL on a copier's scan: the 1 px
# horizontals of a Mincho 三, 一 or ー at 10.5 pt, 130-150 on a clean 200 dpi
# scan of the sample, are 171-180 on the noisy copy (blur, grain), and the
# sample's さらに、三港が lost its 三 (two lines either side of it, read
# さらに、 and 港が).  Ink this dark in the middle of a line's band, reaching
# on from its end, is taken into the line; grain on the paper (240, σ 12)
# reaches it in one pixel of two thousand.
FAINT_INK = 200
# How far (line heights) a line reaches on through such ink: one glyph and
# the space either side.
FAINT_REACH = 1.5
# The faint ink must make a stroke: at least this share of a line height in
# pixels (a speck of grain is one or two) ...
FAINT_STROKE = 0.3
# ... on paper: a band shaded lighter than this (median) is no faint glyph.
FAINT_PAPER = 225


def _faint_ends(groups: list[list[list[int]]], gray: np.ndarray, barrier: np.ndarray,
                join: int) -> list[list[list[int]]]:
    """The lines reaching on from either end through faint ink in the middle of their band (a
    box of no piece added to the group), then joined again as ``_join_pieces`` joins them."""
    boxes = [(min(b[0] for b in g), min(b[1] for b in g), max(b[2] for b in g), max(b[3] for b in g)) for g in groups]
    width = gray.shape[1]
    out = []
    for i, (left, top, right, bottom) in enumerate(boxes):
        height = bottom - top
        margin = height // 5
        rows = slice(top + margin, max(top + margin + 1, bottom - margin))
        reach = int(FAINT_REACH * height)
        lo, hi = max(0, left - reach), min(width, right + reach)
        faint = (gray[rows, lo:hi] < FAINT_INK) & (barrier[rows, lo:hi] == 0)
        columns = faint.any(axis=0)
        # the walk stops at the nearest other line on the band (its ink is dark too)
        band = [b for j, b in enumerate(boxes) if j != i and min(bottom, b[3]) - max(top, b[1])
                >= 0.5 * min(height, b[3] - b[1])]
        ends = []
        for step in (1, -1):
            if step == 1:
                x, stop = right, min([b[0] for b in band if b[0] >= right] + [hi])
            else:
                x, stop = left - 1, max([b[2] - 1 for b in band if b[2] <= left] + [lo - 1])
            last = x - step
            while x != stop and abs(x - last) <= join:
                if columns[x - lo]:
                    last = x
                x += step
            a, b = (right, last + 1) if step == 1 else (last, left)
            if b > a and faint[:, a - lo:b - lo].sum() >= FAINT_STROKE * height \
                    and np.median(gray[top:bottom, a:b]) >= FAINT_PAPER:
                ends.append([a, top, b, bottom, -1])
        out.append(groups[i] + ends)
    return _union(out, barrier, JOIN_EMS)


def _join_pieces(boxes: list[list[int]], barrier: np.ndarray, ems: float) -> list[list[list[int]]]:
    """Pieces sharing a line's band, near enough and with no border between, as groups: joined
    by overlap, then the strokes stacked in a glyph attached, then the groups joined again (the
    ○ of ○ 二ーズ reaches the name only through 二's thin strokes)."""
    groups = _union([[b] for b in boxes], barrier, ems)
    return _union(_attach_strokes(groups, barrier), barrier, ems)


def _union(units: list[list[list[int]]], barrier: np.ndarray, ems: float) -> list[list[list[int]]]:
    """Units (groups of piece boxes) joined when they share a band, stand at most ``ems`` line
    heights apart and no border runs between them."""
    boxes = [(min(b[0] for b in u), min(b[1] for b in u), max(b[2] for b in u), max(b[3] for b in u)) for u in units]
    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
    for a_pos, a in enumerate(order):
        ax0, ay0, ax1, ay1 = boxes[a]
        for b in order[a_pos + 1:]:
            bx0, by0, bx1, by1 = boxes[b]
            height = max(ay1 - ay0, by1 - by0)
            if bx0 - ax1 > ems * height:
                if bx0 - ax1 > ems * 3 * height:
                    break
                continue
            overlap = min(ay1, by1) - max(ay0, by0)
            if overlap < 0.5 * min(ay1 - ay0, by1 - by0):
                continue
            mid = (max(ay0, by0) + min(ay1, by1)) // 2
            if bx0 > ax1 and barrier[mid, ax1:bx0].any():
                continue
            parent[find(b)] = find(a)
    groups: dict[int, list[list[int]]] = {}
    for i, unit in enumerate(units):
        groups.setdefault(find(i), []).extend(unit)
    return list(groups.values())


def _attach_strokes(groups: list[list[list[int]]], barrier: np.ndarray) -> list[list[list[int]]]:
    """Groups lying inside another line's band, within an em of its extent: the strokes of a
    glyph stacked above one another (ミ, テ, ニ and small kana) and a bullet's dot (・), which
    share too little of the band with their neighbours to be joined by overlap, go to that line."""
    def box(g):
        return (min(b[0] for b in g), min(b[1] for b in g), max(b[2] for b in g), max(b[3] for b in g))

    boxes = [box(g) for g in groups]
    target = list(range(len(groups)))
    # Smallest first, and again until nothing moves: a stroke joins a line once
    # the strokes between it and the line have (・ ニーズ: the dot, then ニ's strokes).
    for _ in range(4):
        moved = False
        for i in sorted(range(len(groups)), key=lambda i: boxes[i][3] - boxes[i][1]):
            if target[i] != i:
                continue
            x0, y0, x1, y1 = boxes[i]
            best = None
            for j, (bx0, by0, bx1, by1) in enumerate(boxes):
                height = by1 - by0
                if j == i or target[j] != j or height < 1.6 * (y1 - y0):
                    continue
                if not (by0 - 1 <= y0 and y1 <= by1 + 1) or x0 > bx1 + height or x1 < bx0 - height:
                    continue
                mid = (y0 + y1) // 2
                gap = (bx1, x0) if x0 > bx1 else (x1, bx0) if x1 < bx0 else None
                if gap and barrier[mid, gap[0]:gap[1]].any():
                    continue
                if best is None or height > boxes[best][3] - boxes[best][1]:
                    best = j
            if best is not None:
                target[i] = best
                groups[best] = groups[best] + groups[i]
                bx0, by0, bx1, by1 = boxes[best]
                boxes[best] = (min(bx0, x0), by0, max(bx1, x1), by1)
                moved = True
        if not moved:
            break
    # A piece grain broke off a glyph at the edge of its line (the base of the 2 of a noisy
    # copy's "- 2 -", read as a line of its own: "● L") sticks out of the line's band: an
    # orphan at most half a line high, within the line's extent, touching its band (within a
    # tenth of its height) and sticking out of it by at most half of it goes to that line.
    for i in sorted(range(len(groups)), key=lambda i: boxes[i][3] - boxes[i][1]):
        if target[i] != i:
            continue
        x0, y0, x1, y1 = boxes[i]
        best, nearest = None, math.inf
        for j, (bx0, by0, bx1, by1) in enumerate(boxes):
            height = by1 - by0
            if j == i or target[j] != j or height < 2 * (y1 - y0) or not (bx0 <= x0 and x1 <= bx1):
                continue
            gap = y0 - by1 if y1 > by1 else by0 - y1 if y0 < by0 else None
            edge = max(2.0, EDGE_SHARE * height)
            if gap is None or gap > edge or max(by0 - y0, y1 - by1) > 0.5 * height:
                continue
            if gap < nearest:
                best, nearest = j, gap
        if best is not None:
            target[i] = best
            groups[best] = groups[best] + groups[i]
    return [g for i, g in enumerate(groups) if target[i] == i]


EDGE_SHARE = 0.1


# ----------------------------------------------------------------------- recognition


def _typical_height(lines: list[TextLine]) -> float:
    """The body text's line height (px): the median of lines at least two ems long."""
    heights = sorted(t.bottom - t.top for t in lines if t.right - t.left >= 2 * (t.bottom - t.top))
    return float(heights[len(heights) // 2]) if heights else 0.0


def _model_input(line: TextLine, typical: float) -> tuple[np.ndarray, float, int]:
    """The line scaled to 48 px high at its fill, on white: (image, horizontal scale, left padding px)."""
    import cv2

    height = line.bottom - line.top
    width = line.right - line.left
    em = max(float(height), 0.8 * typical)  # a line of small marks (ーー, ・・) keeps the body's size
    fill = LONE_FILL if width <= LONE_EMS * em else SHORT_FILL if width <= SHORT_EMS * em else FILL
    scale = REC_HEIGHT * fill / em
    across = scale * (SQUEEZE if fill == FILL else 1.0)  # long lines are narrowed as well
    pad = int(round(0.25 * em * across))
    w = max(1, int(round(width * across)))
    h = max(1, min(REC_HEIGHT, int(round(height * scale))))
    glyphs = cv2.resize(line.image, (w, h), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    canvas = np.full((REC_HEIGHT, w + 2 * pad), 255, np.uint8)
    y = (REC_HEIGHT - h) // 2
    canvas[y:y + h, pad:pad + w] = glyphs
    return canvas, across, pad


def _recognise_lines(lines: list[TextLine]) -> list[tuple[list[tuple[str, float, float, float]], float]]:
    """Per line: its glyphs as (text, left px, right px, confidence) and the line's confidence."""
    if not lines:
        return []
    model = _model()
    typical = _typical_height(lines)
    inputs = [_model_input(t, typical) for t in lines]
    order = sorted(range(len(lines)), key=lambda i: inputs[i][0].shape[1])
    out: list = [None] * len(lines)
    start = 0
    while start < len(order):
        end = start + 1
        while (end < len(order) and end - start < BATCH_LINES
               and inputs[order[end]][0].shape[1] * (end + 1 - start) <= BATCH_COLUMNS):
            end += 1
        batch = order[start:end]
        width = max(inputs[i][0].shape[1] for i in batch)
        width = int(math.ceil(width / STEP_PX) * STEP_PX)
        x = np.zeros((len(batch), 3, REC_HEIGHT, width), np.float32)  # 0: PP-OCR's own padding value
        for k, i in enumerate(batch):
            img = inputs[i][0]
            x[k, :, :, :img.shape[1]] = (img.astype(np.float32) / 127.5 - 1.0)[None]
        probs = model.session.run(None, {model.input_name: x})[0]
        for k, i in enumerate(batch):
            img, scale, pad = inputs[i]
            steps = int(math.ceil(img.shape[1] / STEP_PX))
            out[i] = _decode(probs[k, :steps], model.characters, lines[i], scale, pad)
        start = end
    return out


def _decode(probs: np.ndarray, characters: tuple[str, ...], line: TextLine, scale: float, pad: int):
    """CTC's best path: each glyph with its place on the line (px) and its confidence."""
    best = probs.argmax(axis=1)
    conf = probs.max(axis=1)
    runs: list[tuple[int, int, int]] = []  # (class, first step, last step)
    for t, c in enumerate(best):
        if runs and runs[-1][0] == c and runs[-1][2] == t - 1:
            runs[-1] = (c, runs[-1][1], t)
        elif c != 0:
            runs.append((int(c), t, t))
    runs = [r for r in runs if r[0] != 0]
    glyphs = [(HALF_WIDTH.get(characters[c], characters[c]), float(conf[a:b + 1].max()), (a + b + 1) / 2 * STEP_PX)
              for c, a, b in runs if c < len(characters)]
    if not glyphs:
        return [], 0.0
    score = round(float(np.mean([p for _, p, _ in glyphs])), 5)
    centres = [line.left + (c - pad) / scale for _, _, c in glyphs]
    em = line.bottom - line.top
    ink_cols: np.ndarray = np.asarray((line.image < INK_LEVEL).any(axis=0))
    placed: list = []
    spaced = False  # did the model read a space since the last glyph placed?
    for k, ((text, p, _), c) in enumerate(zip(glyphs, centres)):
        lo = max(c - 0.5 * em, (centres[k - 1] + c) / 2 if k else -math.inf)
        hi = min(c + 0.5 * em, (c + centres[k + 1]) / 2 if k + 1 < len(centres) else math.inf)
        if text.isascii():
            # A half-width glyph's box is its ink (a word space is a gap between inks) ...
            a, b = int(max(line.left, math.floor(lo))), int(min(line.right, math.ceil(hi)))
            cols = np.nonzero(ink_cols[a - line.left:b - line.left])[0] if b > a else np.empty(0, int)
            if len(cols):
                lo, hi = a + int(cols[0]), a + int(cols[-1]) + 1
        # ... a full-width glyph's its em, as a typeset glyph's box is: 「 and ( leave the
        # left of theirs blank, and a line opening with one is no indented line.
        if not text.strip():
            spaced = True
            continue
        if placed and not spaced and text.isascii() and placed[-1][0].isascii() and lo - placed[-1][2] < em:
            # Latin glyphs the model read as one word touch: the ink of a narrow glyph (the
            # 1s of 11) leaves gaps a reader would take for a word space (1 1社).
            mid = (placed[-1][2] + lo) / 2
            placed[-1] = placed[-1][:2] + (mid,) + placed[-1][3:]
            lo = mid
        placed.append((text, float(lo), float(hi), p))
        spaced = False
    return _gaps_from_ink(placed, ink_cols, line.left), score


def _gaps_from_ink(placed: list, ink_cols: np.ndarray, left: int) -> list:
    """The glyphs' boxes with a gap between two only where the line's ink is blank: the longest
    blank stretch between them, or none (the boxes meet halfway).

    The model's time steps place a glyph within about half an em, and a glyph it dropped
    or placed late leaves a gap its neighbours' boxes do not cover: on the glyph-id page
    read as 令和5\\t年\\t度の工\\t事…, gaps of two ems inside one line, which ``text`` and the
    grid take for a cell gap.  A recognised line is ink joined across gaps of at most
    ``JOIN_EMS`` line heights, so its glyphs' gaps, blank ink, stay under a cell gap; the
    gaps between lines are the ink's own.  (Spreading the glyphs evenly over the line
    would lose the word spaces of Latin text and where a glyph stands in a line that runs
    across a border found only in other rows.)"""
    out = [list(g) for g in placed]
    for k in range(1, len(out)):
        a, b = out[k - 1][2], out[k][1]
        if b <= a:
            continue
        first = max(0, int(math.ceil(a)) - left)
        blank = np.concatenate(([False], ~ink_cols[first:max(first, int(math.floor(b)) - left)], [False]))
        edges = np.flatnonzero(np.diff(blank.astype(np.int8)))  # starts and ends of blank stretches
        if len(edges):
            starts, ends = edges[0::2], edges[1::2]
            i = int(np.argmax(ends - starts))
            out[k - 1][2], out[k][1] = float(left + first + starts[i]), float(left + first + ends[i])
        else:
            out[k - 1][2] = out[k][1] = (a + b) / 2
    return [tuple(g) for g in out]


# The marks a line of the form starts with that the model drops: ○ opens a
# measure name (without it the table has no measures), ● and ◎ items.
BULLET_MARKS = "○●◎・"
# A line less high than this (pt) is given no mark: the shapes are judged in
# ems of the line, and the smallest text a report prints (6 pt) stands ~5 pt
# high, whereas a 4 px piece of a glyph grain broke off (the base of a noisy
# copy's 2) got a ● (a quarter of its height is one pixel).
MARK_LINE_PT = 3.0


def _leading_mark(line: "TextLine", glyphs: list) -> Optional[tuple[str, float, float]]:
    """A round mark opening the line that the model dropped or read as a letter, as
    ("○" | "●", left px, right px), or None.

    The model reads a line's ○ at the start of a measure name badly: it drops
    it, or writes 〇, O or 0, most of all when grain and blur break the ring (a
    noisy copier scan of a generated report lost every measure so).  The mark
    is looked for as a shape, in the line's own ink (borders and other lines
    are not in it): its first shape, within the first 1.2 ems, about as wide as
    high, half an em to an em across, standing apart from what follows; a hole
    in it makes it ○, none ●.
    """
    import cv2

    em = line.bottom - line.top
    ink = (line.image < INK_LEVEL).astype(np.uint8)
    head = ink[:, :max(1, int(1.2 * em))]
    first = glyphs[0] if glyphs else None
    # A filled disc (●) opening the line, found by how deep its ink is: a disc of
    # 0.6-1 em has points a quarter em from any paper, no glyph stroke does.  Blur
    # can join it to the glyph after it (a noisy scan's ●啓発観光: the model dropped
    # the ●, and as one shape with 啓 it was no disc).
    depth = cv2.distanceTransform(np.pad(head, 1), cv2.DIST_L2, 3)[1:-1, 1:-1]
    if depth.size and depth.max() >= 0.25 * em:
        cy, cx = np.unravel_index(int(depth.argmax()), depth.shape)
        radius = float(depth.max()) + 1
        if cx <= 0.7 * em and 0.3 * em <= cy <= 0.7 * em:
            left, right = line.left + max(0.0, cx - radius), line.left + cx + radius
            if first is not None and first[0] == "●" and (first[1] + first[2]) / 2 < right + em:
                return None  # read
            if first is None or (first[1] + first[2]) / 2 >= right:
                return "●", float(left), float(right)
            if first[0] in BULLET_MARKS + ROUND_LOOKALIKES:
                return "●", float(left), float(right)
            return None
    shapes = sorted(_shapes(head), key=lambda s: s[0])
    if not shapes:
        return None
    x, y, w, h, area = shapes[0]
    if any(s[0] <= x + w for s in shapes[1:]):  # something beside or inside it: a glyph, not a mark
        return None
    left, right = line.left + x, line.left + x + w
    if (0.1 * em <= max(w, h) <= 0.4 * em and 0.6 <= w / max(h, 1) <= 1.6 and area >= 0.5 * w * h
            and 0.25 * em <= y + h / 2 <= 0.75 * em):
        # A small filled dot in the middle of the line's height, a quarter em and more
        # before what follows (the ・ of a full-width bullet stands in the middle of its
        # em): the ・ opening an item, which the model drops at times on a noisy scan (the
        # sample's results ran into one another without it).  A glyph's own short stroke
        # (the left dot of 実) stands closer and is no disc.
        if any(s[0] < x + w + 0.25 * em for s in shapes[1:]):
            return None
        if first is not None and first[0] in BULLET_MARKS and (first[1] + first[2]) / 2 < right + em:
            return None  # read as ・ (its centre a little late, as the model's steps often are)
        if first is not None and (first[1] + first[2]) / 2 < right + 0.1 * em and first[0] not in DOT_LOOKALIKES:
            return None  # read as a glyph of its own: no lone dot then
        return "・", float(left), float(right)
    if not (0.75 <= w / max(h, 1) <= 1.33 and 0.45 * em <= h <= 1.05 * em):
        return None
    if first is not None and (first[1] + first[2]) / 2 < right:
        # The model read the shape as its first glyph: a mark already, or a letter / digit
        # that looks round (O, 0, 〇) before a Japanese glyph.
        follows = glyphs[1][0] if len(glyphs) > 1 else ""
        if first[0] in BULLET_MARKS or first[0] not in ROUND_LOOKALIKES or not follows or follows.isascii():
            return None
    if first is not None and first[0] in BULLET_MARKS and (first[1] + first[2]) / 2 < right + em:
        return None  # read as a mark already
    # A filled disc covers π/4 ≈ 0.79 of its box, a ring of a text face's
    # ○ 0.25-0.45; 0.6 lies between both with room for blur.
    return ("●" if area / float(w * h) >= 0.6 else "○"), float(left), float(right)


# What the model writes for the small raised asterisk after a digit (3* at
# 7 pt: ~1.2 pt across, at the top of the line): an apostrophe, a quote, a
# dot, a degree sign, an ordinal's ª (noisy scans of a generated report),
# or nothing at all.
RAISED_LOOKALIKES = "'`\"*＊·•°^´‘’”“゜.,ªº˙˚‧⁎∗"


def _raised_asterisks(line: "TextLine", text: str, glyphs: list, probs: list):
    """A digit's raised asterisk (3*, 4*), read as a look-alike or dropped, put right: a small
    mark standing in the top part of the line right after a digit is *.

    The rating of a measure judged against a revised target is printed so; the
    model reads the mark as ' or drops it, most of all on a noisy scan, and the
    rating loses its revision."""
    em = line.bottom - line.top
    ink = line.image < INK_LEVEL
    out_text, out_glyphs, out_probs = list(text), list(glyphs), list(probs)
    k = 0
    while k < len(out_text):
        if not out_text[k].isdigit():
            k += 1
            continue
        right = out_glyphs[k][2]
        nxt = k + 1 if k + 1 < len(out_text) else None
        if nxt is not None and (out_text[nxt] in "*＊" or (out_text[nxt].isalnum()
                                                             and out_text[nxt] not in RAISED_LOOKALIKES)):
            # marked already, or a word goes on (20年度, 第1期: no rating's asterisk there)
            k += 1
            continue
        end = out_glyphs[nxt][1] if nxt is not None and out_text[nxt] not in RAISED_LOOKALIKES else line.right
        if nxt is not None and out_text[nxt] in RAISED_LOOKALIKES:
            end = out_glyphs[nxt][2]
        a, b = int(right) - line.left + 1, min(int(end) - line.left, int(right + 0.8 * em) - line.left)
        region = ink[:, max(0, a):max(0, b)]
        rows, cols = np.nonzero(region.any(axis=1))[0], np.nonzero(region.any(axis=0))[0]
        raised = (len(rows) and rows[-1] - rows[0] + 1 <= 0.6 * em and rows[-1] <= 0.65 * em
                  and cols[-1] - cols[0] + 1 <= 0.6 * em)
        if raised:
            box = ("*", float(line.left + a + cols[0]), float(line.left + a + cols[-1] + 1), 0.0)
            if nxt is not None and out_text[nxt] in RAISED_LOOKALIKES:
                out_text[nxt], out_glyphs[nxt] = "*", box[:3] + (out_glyphs[nxt][3],)
            else:
                out_text.insert(k + 1, "*")
                out_glyphs.insert(k + 1, box)
                out_probs.insert(k + 1, out_probs[k] / 2)  # the model did not see it: one to check
        k += 1
    return "".join(out_text), out_glyphs, out_probs


# What the model writes for a small dot it did see (・ is right already).
DOT_LOOKALIKES = "·•.,、。'`"

# What the model writes for a round mark it did see.
ROUND_LOOKALIKES = "〇◯OoＯｏ0０Q"


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


ENGINE = "rapidocr"
REVIEW_LIST = 20  # the lowest-confidence lines the run report lists
# The values the run report lists per table to check first: the least sure
# OCR'd cells of each table, those under REVIEW_SCORE, at most this many.
REVIEW_VALUES = 5
# Which table a cell's role fills (pipeline.models.CellRole roles).
REVIEW_TABLES = {"program": "programs", "measure": "measures", "rating": "measures", "current": "current_items",
                 "target": "targets", "result": "results"}


def engine_version() -> Optional[str]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(ENGINE)
    except PackageNotFoundError:
        return None


def ocr_summary(pages: list[int], lines: list[tuple[int, str, float]], cells: Optional[list[dict]] = None) -> dict:
    """The run report's account of the OCR: engine, model, pages, mean confidence, the lines
    to check by eye first (the least sure, at most ``REVIEW_LIST``) and, given the ``cells``
    rows, per table the values to check first (``review_values``)."""
    if not pages:
        return {}
    review = sorted((ln for ln in lines if ln[2] < REVIEW_SCORE), key=lambda ln: (ln[2], ln[0]))[:REVIEW_LIST]
    summary: dict[str, Any] = {
        "engine": ENGINE, "version": engine_version(), "dpi": DPI, "pages": len(pages),
        "model": _model().name if _model.cache_info().currsize else MODEL_FILE,
        "lines": len(lines),
        "mean_confidence": round(sum(s for _, _, s in lines) / len(lines), 3) if lines else None,
        "below_review_score": sum(1 for ln in lines if ln[2] < REVIEW_SCORE), "review_score": REVIEW_SCORE,
        "review": [{"page": p, "text": t, "confidence": round(s, 3)} for p, t, s in review],
    }
    if cells is not None:
        summary["review_values"] = review_values(cells)
    return summary


def review_values(cells: list[dict]) -> dict:
    """Per table, the OCR'd values least likely to be right: the cells of its role whose
    confidence is under ``REVIEW_SCORE``, least sure first, at most ``REVIEW_VALUES``, each with
    where it is (page, measure) and how many more are under it.  A glyph the context put right
    counts at half the model's confidence in its line (``recognise``), so such values come up."""
    out: dict = {}
    for table in dict.fromkeys(REVIEW_TABLES.values()):
        doubtful = sorted(
            (c for c in cells if REVIEW_TABLES.get(c.get("role") or "") == table and c.get("ocr_confidence") is not None
             and c["ocr_confidence"] < REVIEW_SCORE and (c.get("text") or "").strip()),
            key=lambda c: (c["ocr_confidence"], c["page"], c.get("row") or 0, c.get("col") or 0))
        out[table] = {
            "below_review_score": len(doubtful),
            "check": [{"page": c["page"], "measure_no": c.get("measure_no"), "row_no": c.get("row_no"),
                       "first_year": c.get("first_year"), "text": " ".join((c.get("text") or "").split())[:60],
                       "confidence": c["ocr_confidence"]} for c in doubtful[:REVIEW_VALUES]],
        }
    return out


def review_note(number: int, lines: list[tuple[str, float]]) -> Optional[str]:
    """The run report's line on a page read by OCR, naming the lines to check."""
    doubtful = [(t, s) for t, s in lines if s < REVIEW_SCORE]
    head = f"page {number}: read by OCR (RapidOCR, {DPI} dpi), {len(lines)} line(s)"
    if not doubtful:
        return head + "; check the characters, OCR misreads some"
    sample = "; ".join(f"{t[:20]} ({s:.2f})" for t, s in doubtful[:3])
    return head + f", {len(doubtful)} below confidence {REVIEW_SCORE}: {sample}"
