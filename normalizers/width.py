"""Character-width normalisation that never changes what a character *means*.

NFKC is deliberately avoided: it turns ``①`` into ``1``, ``㎡`` into ``m2``
and lets ``－5`` drift into a long-vowel mark after kana folding, all of
which lose information the printed document carries.  Only the full-width
ASCII block (U+FF01..U+FF5E) and half-width katakana are touched.
"""

from __future__ import annotations

import re
from typing import Optional

import jaconv

from .errors import Errors, normaliser

_FW_FIRST, _FW_LAST = 0xFF01, 0xFF5E
_FW_OFFSET = 0xFF01 - 0x21


def _halfwidth_table(symbols: bool) -> dict[int, int]:
    table = {}
    for cp in range(_FW_FIRST, _FW_LAST + 1):
        ascii_cp = cp - _FW_OFFSET
        if symbols or chr(ascii_cp).isalnum():
            table[cp] = ascii_cp
    return table


_TABLE_ALL = _halfwidth_table(symbols=True)
_TABLE_ALNUM = _halfwidth_table(symbols=False)
_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]")


@normaliser("text")
def to_halfwidth_ascii(
    s: str,
    *,
    symbols: bool = True,
    katakana: bool = True,
    errors: Errors = "raise",
) -> Optional[str]:
    """Fold full-width ASCII to half-width and half-width katakana to full-width.

    ``symbols=False`` folds only letters and digits, so text can keep its
    printed full-width brackets ``（）`` and ``＊``.  ``katakana=False`` skips the
    katakana step, which is the only one that can change the string's length
    (``ｶﾞ`` -> ``ガ``); callers mapping offsets back to the input need that.
    """
    out = s.translate(_TABLE_ALL if symbols else _TABLE_ALNUM)
    if katakana and _HALFWIDTH_KANA.search(out):
        out = jaconv.h2z(out, kana=True, ascii=False, digit=False)
    return out


# --- layout spaces -------------------------------------------------------

_SPACE_CHARS = " \u3000\u00a0\t"
_SPACE_RUN = re.compile(f"[{_SPACE_CHARS}]+")

_CJK_RANGES = (
    (0x2460, 0x24FF),  # enclosed alphanumerics (①) print as Japanese glyphs
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK punctuation
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x33FF),  # enclosed CJK, compatibility units (㎡)
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF01, 0xFFEF),  # full-width forms: set on the CJK grid
    (0x20000, 0x3FFFF),
)


def is_cjk(ch: str) -> bool:
    """True for characters typeset on the Japanese full-width grid."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and not is_cjk(ch)


def _side_class(s: str, i: int, step: int) -> str:
    # Look through ASCII brackets and punctuation: in "2008 (平成" the space
    # belongs between 8 and 平, which decides whether it is layout.
    while 0 <= i < len(s):
        ch = s[i]
        if ch in _SPACE_CHARS or ch == "\n":
            return "edge"
        if is_cjk(ch):
            return "cjk"
        if _is_word_char(ch):
            return "latin"
        i += step
    return "edge"


def _latin_words(s: str, i: int, step: int) -> list[str]:
    """Space-separated non-CJK words running from s[i] away from a space."""
    j = i
    while 0 <= j < len(s) and s[j] != "\n" and not is_cjk(s[j]):
        j += step
    run = s[i:j] if step > 0 else s[j + 1 : i + 1]
    return [w for w in _SPACE_RUN.split(run) if w]


def _is_phrase(words: list[str]) -> bool:
    # A foreign phrase set into Japanese ("セミナー in TOKYO") is spaced
    # on purpose; single letters are what letter-spacing produces.
    return sum(1 for w in words if len(w) >= 2) >= 2


def _collapse_latin(s: str) -> str:
    def repl(m: re.Match[str]) -> str:
        left = s[m.start() - 1] if m.start() > 0 else ""
        right = s[m.end()] if m.end() < len(s) else ""
        if not left or not right or is_cjk(left) or is_cjk(right):
            return m.group()
        lw = _latin_words(s, m.start() - 1, -1)
        rw = _latin_words(s, m.end(), 1)
        if lw and rw and len(lw[-1]) == 1 and len(rw[0]) == 1 \
                and _is_word_char(left) and _is_word_char(right):
            return ""  # "K 2" / "2 0": glyphs spread by character spacing
        return " "

    return _SPACE_RUN.sub(repl, s)


@normaliser("text")
def remove_layout_spaces(s: str, *, errors: Errors = "raise") -> Optional[str]:
    """Drop spaces that only come from layout, keep spaces between Latin words.

    A space next to a CJK character (looking through ASCII brackets) is
    layout: justification, letter-spacing or a run boundary.  A space between
    two Latin words or numbers is text and is collapsed to one.  The one
    exception is a multi-word Latin phrase beside Japanese, whose surrounding
    space is kept.  Leading and trailing spaces of each line go, and a
    string of only spaces becomes None.  Newlines
    are item breaks and are kept.
    """
    s = _collapse_latin(s)

    def repl(m: re.Match) -> str:
        a, b = m.start(), m.end()
        left = _side_class(s, a - 1, -1)
        right = _side_class(s, b, 1)
        if left == "edge" or right == "edge":
            if (a == 0 or s[a - 1] == "\n") or (b == len(s) or s[b] == "\n"):
                return ""
        if left == "cjk" and right == "cjk":
            return ""
        if left == "cjk" or right == "cjk":
            latin_words = (
                _latin_words(s, b, 1) if left == "cjk" else _latin_words(s, a - 1, -1)
            )
            return " " if _is_phrase(latin_words) else ""
        return " "

    # Whitespace-only input carries no text: same answer as for "".
    return _SPACE_RUN.sub(repl, s) or None


_ANY_SPACE = re.compile(r"\s+")


def squash(s: Optional[str]) -> str:
    """Text with every whitespace character removed: the form in which
    printed labels are compared, whatever letter-spacing or line wrapping
    put into them (``施 策 計 画 名`` is ``施策計画名``).  None gives ""."""
    return _ANY_SPACE.sub("", s or "")


_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[，．](?=\d)")
_ASCII_SEPARATOR = {"，": ",", "．": "."}


def field_text(s: Optional[str]) -> str:
    """Text of an output field as a reader sees it: ASCII letters and digits
    half-width, surrounding space gone; brackets and other symbols stay as
    printed.  None gives "".

    A full-width comma or point between digits is part of the number
    (``１０，０００`` is 10,000), so it goes half-width with them.
    """
    text = to_halfwidth_ascii((s or "").strip(), symbols=False) or ""
    return _DIGIT_SEPARATOR.sub(lambda m: _ASCII_SEPARATOR[m.group(0)], text)
