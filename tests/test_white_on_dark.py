"""White text is content where it is printed on a dark fill, and only there."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from pipeline.options import Options
from pipeline.orchestration.text import read_text

FONT = "HeiseiKakuGo-W5"  # not embedded: the real-world case


def _page(path: Path) -> Path:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 11)
    # A header band printed white on dark red, as report tables do.
    c.setFillColorRGB(0.8, 0.13, 0.16)
    c.rect(60, 700, 300, 24, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.drawString(70, 707, "事業名 令和5年度")
    # White text on light shading and on the bare page is not seen.
    c.setFillColorRGB(0.92, 0.92, 0.92)
    c.rect(60, 600, 300, 24, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.drawString(70, 607, "隠し文字")
    c.drawString(70, 500, "白い文字")
    c.setFillColorRGB(0, 0, 0)
    c.drawString(70, 400, "本文")
    c.showPage()
    c.save()
    return path


def test_white_text_on_a_dark_band_is_read_and_white_text_elsewhere_is_not(tmp_path):
    path = _page(tmp_path / "white.pdf")
    for reader in ("auto", "pdfminer"):
        (_, lines, _), = read_text(path, Options(reader=reader))
        text = [line.replace("\t", " ") for line in lines]
        assert text == ["事業名令和5年度", "本文"], reader  # layout spaces between CJK go
