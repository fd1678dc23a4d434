"""Look-alike code points some PDF writers put in ToUnicode, mapped to the character a reader sees.

Chromium/Skia writes Kangxi radicals (``⼈`` U+2F08 for 人) and CJK Radicals Supplement forms
(``⺠`` U+2EA0 for 民) and keeps the real text only in ``/ActualText``; other writers use CJK
compatibility ideographs.  Readers search for 人, not ⼈.  Only these three blocks are touched:
NFKC is applied to a Kangxi radical alone and NFC to a compatibility ideograph alone, so ``①``,
full-width brackets and every other character stay exactly as printed.
"""

from __future__ import annotations

import unicodedata

# CJK Radicals Supplement has no Unicode decomposition; these are the forms that stand for a
# whole character in running text (the others are components that never print alone).
_RADICALS_SUPPLEMENT = {
    "⺟": "母", "⺠": "民", "⻄": "西", "⻑": "長", "⻝": "食", "⻘": "青", "⻤": "鬼", "⻯": "竜",
    "⻲": "亀", "⻩": "黄", "⻫": "斉", "⻭": "歯", "⻌": "辶", "⺅": "亻", "⺡": "氵", "⺾": "艹",
}


# Kangxi radicals whose decomposition is the traditional form of a character Japanese writes
# in its own form: a Japanese font draws ⿊ as 黒, and Skia's ToUnicode picks ⿊ for that glyph
# (seen in a Chromium print of the sample's prose: 黒川 came back as ⿊川).  龍 stays 龍,
# which Japanese names use beside 竜.
_KANGXI_JAPANESE = {"⿊": "黒", "⿈": "黄", "⾭": "青", "⿑": "斉", "⿒": "歯", "⿔": "亀", "⿆": "麦"}


def _mapped(ch: str) -> str:
    cp = ord(ch)
    if 0x2F00 <= cp <= 0x2FD5:  # Kangxi Radicals: each decomposes (NFKC) to its ideograph
        return _KANGXI_JAPANESE.get(ch) or unicodedata.normalize("NFKC", ch)
    if 0x2E80 <= cp <= 0x2EFF:
        return _RADICALS_SUPPLEMENT.get(ch, ch)
    if 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F:  # compatibility ideographs
        return unicodedata.normalize("NFC", ch)
    return ch


def unlookalike(text: str) -> str:
    """``⼈⺠`` → ``人民``; any other character is returned unchanged."""
    if text.isascii():
        return text
    return "".join(_mapped(ch) for ch in text)
