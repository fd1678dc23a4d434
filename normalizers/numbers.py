"""Numbers as printed in Japanese reports: ``10,000``, ``△10.7``, ``1万2千``, ``二十一``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional, Union

from .errors import Errors, fail, normaliser
from .width import to_halfwidth_ascii

Number = Union[int, float]

# △/▲ are the accounting convention for negatives in Japanese tables.
NEGATIVE_SIGNS = "△▲-−－‐"
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4,
                 "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}

_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_PLAIN = re.compile(_ARABIC)
_PIECE = re.compile(
    rf"(?P<arabic>{_ARABIC})|(?P<kdigits>[〇零一二三四五六七八九]+)"
    r"|(?P<small>[十百千])|(?P<big>[万億兆])"
)


def _kanji_value(body: str) -> Optional[Decimal]:
    """Combine digits with 十百千 / 万億兆 multipliers; None if ill-formed."""
    total = Decimal(0)
    section = Decimal(0)
    current: Optional[Decimal] = None
    last_small = last_big = None
    pos = 0
    while pos < len(body):
        m = _PIECE.match(body, pos)
        if not m:
            return None
        pos = m.end()
        if m.group("arabic") or m.group("kdigits"):
            if current is not None:
                return None  # two numerals with no multiplier between them
            if m.group("arabic"):
                current = Decimal(m.group("arabic").replace(",", ""))
            else:
                # "二〇一九" is positional; "二" alone is a single digit.
                current = Decimal("".join(str(_KANJI_DIGITS[c]) for c in m.group("kdigits")))
        elif m.group("small"):
            unit = _SMALL_UNITS[m.group("small")]
            if last_small is not None and unit >= last_small:
                return None
            section += (current if current is not None else 1) * unit
            current, last_small = None, unit
        else:
            unit = _BIG_UNITS[m.group("big")]
            if last_big is not None and unit >= last_big:
                return None
            section += current if current is not None else 0
            total += (section if section else 1) * unit
            section, current, last_small, last_big = Decimal(0), None, None, unit
    return total + section + (current if current is not None else 0)


@normaliser("number")
def parse_number(s: str, *, errors: Errors = "raise") -> Optional[Number]:
    """Parse one printed number; float only when a decimal point is written.

    ``parse_number("△10.7") == -10.7``, ``parse_number("1万2千") == 12000``,
    ``parse_number("３．５万") == 35000.0``.
    """
    text = (to_halfwidth_ascii(s, katakana=False) or "").strip(" \u3000\u00a0\t\n")
    negative = False
    if text[:1] in NEGATIVE_SIGNS or text[:1] == "+":
        negative = text[0] != "+"
        text = text[1:].lstrip(" \u3000")
    if not text:
        return fail(s, "not a number", errors)
    if _PLAIN.fullmatch(text):
        value = Decimal(text.replace(",", ""))
    else:
        kanji = _kanji_value(text)
        if kanji is None:
            return fail(s, "not a number", errors)
        value = kanji
    if negative:
        value = -value
    if "." in text:
        return float(value)
    return int(value)
