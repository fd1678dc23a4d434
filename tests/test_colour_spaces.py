"""Whether ink is visible is judged in its colour space, not by the number alone."""

from __future__ import annotations

import pdfplumber
import pytest
from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from pipeline.reading.glyphs import is_invisible, is_white, visible_chars
from pipeline.settings import DEFAULT


@pytest.mark.parametrize(
    "colour, space, white",
    [
        ((1.0,), "DeviceGray", True),
        ((0.0,), "DeviceGray", False),
        ((1.0,), "Separation", False),  # full tint of a spot ink is black text
        ((0.0,), "Separation", True),
        ((1.0, 0.0), "DeviceN", False),
        ((0.0, 0.0), "DeviceN", True),
        ((0.0, 0.0, 0.0, 0.0), "DeviceCMYK", True),
        ((0.0, 0.0, 0.0, 1.0), "DeviceCMYK", False),
        ((1.0, 1.0, 1.0), "DeviceRGB", True),
        ((1.0,), "Pattern", False),
        (("P0",), "Pattern", False),
        ((1.0, 1.0, 1.0), None, True),
        (None, None, False),
    ],
)
def test_colour_is_judged_in_its_space(colour, space, white):
    assert is_white(colour, space) is white


def _spot_black_pdf(path, tint: float):
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    c = canvas.Canvas(str(path))
    c.setFont("HeiseiMin-W3", 12)
    c.setFillColor(CMYKColorSep(0, 0, 0, 1, spotName="Black", density=tint))
    c.drawString(72, 700, "入札説明書")
    c.setFillColor(CMYKColor(0, 0, 0, 0))
    c.drawString(72, 650, "白い文字")
    c.save()


def test_black_spot_ink_at_full_tint_is_kept_and_white_cmyk_is_dropped(tmp_path):
    pdf = tmp_path / "spot.pdf"
    _spot_black_pdf(pdf, 1.0)
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    spaces = {ch["ncs"] for ch in chars}
    assert "Separation" in spaces
    assert "".join(ch["text"] for ch in visible_chars(chars, settings=DEFAULT)) == "入札説明書"
    white = [ch for ch in chars if ch["text"] in "白い文字"]
    assert len(white) == 4 and all(is_invisible(ch) for ch in white)
