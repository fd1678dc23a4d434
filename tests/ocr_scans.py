"""Scans the OCR route was never tuned on: generated 施策計画 reports, rendered as scanners render them.

Used by the OCR tests (tests/test_ocr_*.py) and by bench/ocr_accuracy.py, which measures the route
per table on documents it was not tuned on.

    labels, programs, drawing = heldout_plan(101)
    build_table_pdf(vector, plan_grid(labels, programs), **drawing)
    scan_copy(vector, scan, dpi=200, kind="noisy")     # an image-only PDF, no text layer

``heldout_plan`` draws other content than the sample and tests/test_random_plans.py: other words
(katakana words holding the glyphs OCR takes for kanji: ト ロ カ エ タ ニ ハ ー, and kanji words
holding the kanji: 人口, 協力, 工業), ratings printed ``3*`` / ``4＊`` with the asterisk small, other
page sizes (A4, B4, A3), fonts, sizes, column widths and border styles.

``scan_copy`` kinds (``KINDS``):
Pages are rendered by PDFium with the project's Japanese font (``pipeline.reading.fonts``), the
only one it may draw non-embedded text from.

  clean  the page rendered in grey at ``dpi``, stored losslessly
  noisy  a copier: fed askew (0.2-0.5°), blurred, grain, JPEG at quality 60
  edge   clean, plus the dark band a copier's lid leaves along the page edge
  fax    a fax-like page: 1-bit, thresholded after a slight blur, a few specks
  faint  noisy, and some table borders printed faint (light grey, gaps), as toner runs out
"""

from __future__ import annotations

import io
import random
import unicodedata
from pathlib import Path

from reportlab.lib.pagesizes import A3, A4, B4, landscape
from synth import Measure, Program, Target, random_sub_rows, year_labels

KINDS = ("clean", "noisy", "edge", "fax", "faint")

# Katakana words that hold a glyph the model reads as a kanji (ト/卜, ロ/口, カ/力, エ/工, タ/夕, ニ/二,
# ハ/八, ー/一), and kanji words that hold the kanji, which must stay.
KATAKANA = (
    "プロジェクト", "ロボット", "カフェ", "エネルギー", "データ", "ニーズ", "ハード", "コミュニティ",
    "イベント", "ネットワーク", "センター", "ワークショップ", "ガイドライン", "マネジメント",
    "タウンミーティング", "ハンドブック", "パトロール", "エリア", "スポーツ", "ボランティア", "デジタル",
    "プラットフォーム", "モニタリング", "カーボン", "インターネット", "サポート", "ニュータウン", "ハローワーク",
)
KANJI = (
    "人口", "協力", "工業", "一体的", "窓口", "二次", "八つ", "夕方", "地域", "福祉", "子育て", "防災",
    "観光", "教育", "医療", "交通", "住宅", "環境", "産業", "雇用", "文化", "農業", "安全", "支援",
    "推進", "整備", "連携", "強化", "充実", "検討", "実施", "運営", "促進", "拠点", "相談", "啓発",
)
COUNTED = ("(4回)", "(12件)", "(約300人)", "(2か所)", "(延べ45団体)")
RATINGS = ("1", "2", "3", "4", "5", "3*", "4＊", "2*", "3＊", "4*")


def _phrase(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(KATAKANA if rng.random() < 0.35 else KANJI) for _ in range(rng.randint(low, high))]
    text = "".join(words)
    if rng.random() < 0.2:
        text += rng.choice(COUNTED)
    return text


def _items(rng: random.Random, most: int) -> list[str]:
    return [_phrase(rng, 2, 5) for _ in range(rng.randint(1, most))]


def _sentence(rng: random.Random) -> str:
    return _phrase(rng, 4, 10) + rng.choice(("を実施しました。", "に取り組みました。", "を進めました。"))


def _targets(rng: random.Random, n_years: int, first_row: bool, multi_row: bool) -> list[Target]:
    out, col = [], 0
    while col < n_years:
        span = rng.randint(1, n_years - col)
        if rng.random() < 0.15:
            col += span
            continue
        merged = first_row and multi_row and col + span == n_years and rng.random() < 0.5
        out.append(Target(col, "事業推進" if merged else _items(rng, 3), span=span, all_rows=merged))
        col += span
    return out


PAGES = {"A4": landscape(A4), "B4": landscape(B4), "A3": landscape(A3)}


def heldout_plan(seed: int):
    """(year labels, programs, build_table_pdf options) of a report nobody tuned on."""
    rng = random.Random(seed)
    n_years = rng.randint(3, 6)
    labels = year_labels(rng.choice((2011, 2014, 2016, 2019, 2021)), n_years, and_after=rng.random() < 0.6)
    page = rng.choice(tuple(PAGES))
    programs = []
    for _ in range(rng.randint(2, 3)):
        measures = []
        for _ in range(rng.randint(2, 3)):
            rows = random_sub_rows(rng, n_years, rng.choice((1, 1, 2, 3)), targets=_targets,
                                   items=lambda rng: _items(rng, 3),
                                   label=lambda rng: _phrase(rng, 1, 2) if rng.random() < 0.6 else None)
            measures.append(Measure(
                _phrase(rng, 2, 4) + rng.choice(("の推進", "の充実", "事業", "")),
                _phrase(rng, 1, 2) + "します。",
                rows=rows, rating=rng.choice(RATINGS),
                reference_rating=rng.choice((None, None, "2", "3", "4")),
                outcomes=[_sentence(rng) for _ in range(rng.randint(1, 3))],
                changes=[_sentence(rng) for _ in range(rng.randint(0, 2))],
                revised_targets=[_sentence(rng) for _ in range(rng.randint(0, 1))],
            ))
        programs.append(Program(_phrase(rng, 2, 3) + "の振興", rng.choice(RATINGS), measures))
    size = {"A4": (7, 8), "B4": (7.5, 9), "A3": (8, 10)}[page]
    width = PAGES[page][0] - 2 * 28.0
    shares = [rng.uniform(1.2, 2.0), rng.uniform(1.0, 1.8)] + [rng.uniform(0.7, 1.3) for _ in range(n_years)]
    drawing = {
        "page_size": PAGES[page],
        "font": rng.choice(("HeiseiMin-W3", "HeiseiKakuGo-W5")),
        "font_size": rng.choice(size),
        "line_style": rng.choice(("lines", "rects")),
        "letter_spaced_header": rng.random() < 0.5,
        # The name cell is drawn whole on its first page (synth), so no forced breaks.
        "col_widths": None if rng.random() < 0.4 else [width * s / sum(shares) for s in shares],
    }
    return labels, programs, drawing


# ------------------------------------------------------------------------------------- prose pages

TITLE_WORDS = ("アクションプログラム", "実行計画", "実施結果報告", "施策の評価", "行政評価", "総合計画")
LATIN = ("NPO法人", "ICT", "in KAWASAKI", "PDCA", "Wi-Fi", "SDGs", "DX推進")


def _prose_sentence(rng: random.Random) -> str:
    text = _phrase(rng, 3, 8)
    if rng.random() < 0.3:
        text += "は" + str(rng.randint(2, 480)) + rng.choice(("件", "人", "か所", "回", "％")) + "となり、"
    if rng.random() < 0.25:
        text += rng.choice(LATIN) + "と" + _phrase(rng, 1, 3)
    if rng.random() < 0.2:
        text += "（" + _phrase(rng, 1, 2) + "）"
    return text + rng.choice(("を実施しました。", "に取り組みました。", "を進めました。", "を行います。",
                              "の充実を図ります。"))


def heldout_prose(path, seed: int) -> list[list[str]]:
    """Prose pages nobody tuned on, drawn to ``path``: the lines drawn, per page.

    What a report's pages without tables hold, drawn with other sizes and layouts than the sample:
    a title 14-28 pt (letter-spaced, underlined or boxed at times), headings a size or two above the
    body, a heading on a grey band, 【…】 block titles, ・ and ○ items wrapped at the column, body text
    9-12 pt at a pitch of 1.4-1.8, two columns at times, Latin words and half-width numbers, a
    running head over a rule and a page number."""
    from reportlab.lib.pagesizes import A4, B5
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas
    from synth import _font, _wrap

    rng = random.Random(seed)
    W, H = rng.choice((A4, A4, B5))
    font = _font(rng.choice(("HeiseiMin-W3", "HeiseiKakuGo-W5")))
    body = rng.choice((9.0, 10.0, 10.5, 11.0, 12.0))
    pitch = rng.uniform(1.4, 1.8)
    columns = 2 if rng.random() < 0.3 else 1
    margin = rng.uniform(45, 70)
    gutter = 2.5 * body
    col_w = (W - 2 * margin - (columns - 1) * gutter) / columns
    c = canvas.Canvas(str(path), pagesize=(W, H), invariant=1)
    pages: list[list[str]] = []
    for number in range(1, rng.randint(1, 2) + 1):
        drawn: list[str] = []
        y = H - margin
        head = rng.choice(TITLE_WORDS)
        if rng.random() < 0.6:  # a running head over a rule
            c.setFont(font, 9)
            c.drawRightString(W - margin, y, head)
            c.setLineWidth(0.75)
            c.line(margin, y - 4, W - margin, y - 4)
            drawn.append(head)
            y -= 30
        if number == 1:  # the title
            size = rng.choice((14.0, 16.0, 18.0, 20.0, 24.0, 28.0))
            title = rng.choice(("プラン", "第", "基本目標")) + str(rng.randint(1, 9)) + _phrase(rng, 2, 4)
            gap = size * rng.choice((0.0, 0.0, 0.3, 0.6))
            c.setFont(font, size)
            x = margin
            for ch in title:
                c.drawString(x, y - size, ch)
                x += pdfmetrics.stringWidth(ch, font, size) + gap
            style = rng.choice(("plain", "underline", "box"))
            c.setLineWidth(rng.choice((0.75, 1.5, 2.5)))
            if style == "underline":
                c.line(margin, y - size - 0.35 * size, W - margin, y - size - 0.35 * size)
            elif style == "box":
                c.rect(margin - 6, y - size - 0.4 * size, x - gap - margin + 12, 1.6 * size)
            drawn.append(title)
            y -= size * 2.4
        col, top = 0, y
        x0 = margin
        while True:
            kind = rng.random()
            size = body
            if kind < 0.12:
                text = str(rng.randint(1, 9)) + _phrase(rng, 2, 4) + "の推進【達成状況区分" + rng.choice(RATINGS) + "】"
                size = body + rng.choice((0, 1, 2))
            elif kind < 0.22:
                text = rng.choice(("【主な実施結果】", "【課題と今後の取組】", "【環境等の変化・課題等】"))
            elif kind < 0.32:
                text = "○" + _phrase(rng, 2, 4)
            else:
                text = "・" + "".join(_prose_sentence(rng) for _ in range(rng.randint(1, 3)))
            lines = _wrap(text, col_w, font, size)
            need = len(lines) * size * pitch
            if y - need < margin + 30:
                if col + 1 < columns:
                    col, y, x0 = col + 1, top, margin + (col + 1) * (col_w + gutter)
                    continue
                break
            band = kind < 0.12 and rng.random() < 0.5
            for line in lines:
                if band:  # a heading on a light grey band
                    c.setFillGray(0.88)
                    c.rect(x0 - 2, y - size * 1.25, col_w + 4, size * 1.45, stroke=0, fill=1)
                    c.setFillGray(0)
                c.setFont(font, size)
                c.drawString(x0, y - size, line)
                drawn.append(line)
                y -= size * pitch
        c.setFont(font, 9)
        c.drawCentredString(W / 2, margin * 0.5, f"- {number} -")
        drawn.append(f"- {number} -")
        c.showPage()
        pages.append(drawn)
    c.save()
    return pages


# ------------------------------------------------------------------------------------- prose scores
# A page's lines read by OCR against its vector text (bench/ocr_prose.py, tests/test_ocr_prose.py).


def prose_norm(text: str) -> str:
    """Text as compared: NFKC (the model writes ２ for a printed 2), no white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def align(truth: str, read: str) -> tuple[int, int, int, int]:
    """(matches, substitutions, deletions, insertions) of a least-cost alignment of two strings."""
    import numpy as np

    n, m = len(truth), len(read)
    cost = np.zeros((n + 1, m + 1), np.int32)
    cost[:, 0] = np.arange(n + 1)
    cost[0, :] = np.arange(m + 1)
    b = np.frombuffer(read.encode("utf-32-le"), np.uint32) if m else np.zeros(0, np.uint32)
    for i in range(1, n + 1):
        same = b == ord(truth[i - 1])
        row = np.concatenate(([i], np.minimum(cost[i - 1, 1:] + 1, cost[i - 1, :-1] + np.where(same, 0, 1))))
        # insertions run along the row: cost[i, j] = min over k <= j of row[k] + (j - k)
        idx = np.arange(m + 1)
        cost[i] = np.minimum.accumulate(row - idx) + idx
    i, j, match, sub, dele, ins = n, m, 0, 0, 0, 0
    while i or j:
        if i and j and cost[i, j] == cost[i - 1, j - 1] + (truth[i - 1] != read[j - 1]):
            if truth[i - 1] == read[j - 1]:
                match += 1
            else:
                sub += 1
            i, j = i - 1, j - 1
        elif i and cost[i, j] == cost[i - 1, j] + 1:
            dele, i = dele + 1, i - 1
        else:
            ins, j = ins + 1, j - 1
    return match, sub, dele, ins


def _cells(lines: list[str]) -> list[str]:
    return [n for line in lines for cell in line.split("\t") if (n := prose_norm(cell))]


def _in_truth_order(truth: list[str], read: list[str]) -> list[str]:
    """The read cells in the order of the printed cells they share most character pairs with (a
    two-column page's lines pair up across the gutter a little differently on a skewed scan; the
    characters are what is measured here, not the order).  A short cell, or one sharing none, stays
    after the one before it."""
    pairs = [{t[k:k + 2] for k in range(len(t) - 1)} | set(t) for t in truth]
    keyed, last = [], 0
    for k, cell in enumerate(read):
        mine = {cell[i:i + 2] for i in range(len(cell) - 1)} | set(cell)
        shared = [len(mine & p) for p in pairs]
        if len(cell) > 4 and shared and max(shared) > 0:
            # among the cells sharing about as much, the one nearest after the last placed (a short
            # line's した。 shares as much with many lines)
            near = [i for i, n in enumerate(shared) if n >= 0.8 * max(shared)]
            last = min(near, key=lambda i: abs(i - (last + 1)))
        keyed.append((last, k, cell))
    return [cell for _, _, cell in sorted(keyed)]


def score_prose_page(truth_lines: list[str], read_lines: list[str]) -> dict:
    """A page read (its ``text`` lines) against the vector text's lines: characters of the vector
    text read right (``match``), misread (``sub``), missed (``del``), read where nothing is
    printed (``ins``); lines read exactly; tabs read beyond the vector text's."""
    truth_cells, read_cells = _cells(truth_lines), _cells(read_lines)
    truth, read = "".join(truth_cells), "".join(_in_truth_order(truth_cells, read_cells))
    match, sub, dele, ins = align(truth, read)
    wanted, got = {n for t in truth_lines if (n := prose_norm(t))}, {n for r in read_lines if (n := prose_norm(r))}
    tabs = max(0, sum(r.count("\t") for r in read_lines) - sum(t.count("\t") for t in truth_lines))
    return {"chars": len(truth), "read": len(read), "match": match, "sub": sub, "del": dele, "ins": ins,
            "lines": len(wanted), "lines_exact": len(wanted & got), "tabs": tabs}


# ------------------------------------------------------------------------------------- scanning


def degrade(image, kind: str, dpi: int, rng):
    """A grey PIL page image as the scanner ``kind`` leaves it: (image, format to store it in)."""
    import numpy as np
    from PIL import Image, ImageFilter

    if kind not in KINDS:
        raise ValueError(f"unknown scan kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "clean":
        return image, "PNG"
    px = dpi / 200.0  # effects are sized for 200 dpi and scale with the resolution
    if kind == "edge":
        a = np.asarray(image, float)
        h, w = a.shape
        band = max(4, int(rng.uniform(0.02, 0.05) * w))
        ramp = np.clip(np.linspace(-0.6, 1.0, band), 0, 1)  # black at the edge (column 0), fading into the page
        shade = 30 + rng.normal(0, 10, (h, band))
        side = a[:, :band] if rng.random() < 0.5 else a[:, ::-1][:, :band]
        side[:] = side * ramp + shade * (1 - ramp)
        top = max(3, int(rng.uniform(0.01, 0.03) * h))
        a[:top, :] = np.minimum(a[:top, :], 40 + rng.normal(0, 10, (top, w)))
        return Image.fromarray(np.clip(a, 0, 255).astype("uint8")), "PNG"
    if kind == "fax":
        a = np.asarray(image.filter(ImageFilter.GaussianBlur(0.5 * px)), float)
        a = a + rng.normal(0, 8, a.shape)
        bits = a > 150
        specks = rng.random(a.shape) < 0.0004
        bits[specks] = ~bits[specks]
        return Image.fromarray((bits * 255).astype("uint8")).convert("1"), "PNG"
    if kind == "faint":
        image = _faint_borders(image, rng)
    image = image.rotate(rng.uniform(0.2, 0.5) * rng.choice((-1, 1)), resample=Image.BILINEAR, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(0.7 * px))
    grain = rng.normal(0, 12, (image.height, image.width))
    image = Image.fromarray(np.clip(np.asarray(image, float) + grain, 0, 255).astype("uint8"))
    return image, "JPEG"


def _faint_borders(image, rng):
    """Some horizontal table borders printed light grey with gaps (toner running out)."""
    import cv2
    import numpy as np
    from PIL import Image

    a = np.asarray(image).copy()
    ink = (a < 160).astype(np.uint8)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(40, a.shape[1] // 20)), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    for i in range(1, n):
        if rng.random() < 0.5:
            continue
        x, y, w, h = (int(v) for v in stats[i, :4])
        region = labels[y:y + h, x:x + w] == i
        grey = np.full(region.shape, rng.uniform(175, 215))
        # gaps: short stretches where the rule is not printed at all
        for _ in range(int(rng.integers(0, 5))):
            g0 = rng.integers(0, max(1, w - 20))
            grey[:, g0:g0 + rng.integers(8, 30)] = 255
        patch = a[y:y + h, x:x + w]
        patch[region] = np.maximum(patch[region], grey[region]).astype(np.uint8)
    return Image.fromarray(a)


def scan_copy(source_pdf, out_pdf, *, dpi: int = 200, kind: str = "clean", pages=None, seed: int = 0) -> Path:
    """``source_pdf`` printed and scanned: an image-only PDF of the pages (1-based ``pages``, default all)."""
    import numpy as np
    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from pipeline.reading import fonts

    # Generated reports do not embed their fonts: PDFium draws them from the project's own
    # Japanese font (without it, from nothing: the scan would hold no text at all).
    fonts.configure()
    rng = np.random.default_rng(seed)
    doc = pypdfium2.PdfDocument(str(source_pdf))
    c = canvas.Canvas(str(out_pdf), invariant=1)
    for number in pages or range(1, len(doc) + 1):
        page = doc[number - 1]
        width, height = page.get_size()
        image = page.render(scale=dpi / 72).to_pil().convert("L")
        image, fmt = degrade(image, kind, dpi, rng)
        buf = io.BytesIO()
        image.save(buf, format=fmt, **({"quality": 60} if fmt == "JPEG" else {}))
        c.setPageSize((width, height))
        c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, width, height)
        c.showPage()
    c.save()
    doc.close()
    return Path(out_pdf)
