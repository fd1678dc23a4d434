"""達成状況区分 (achievement rating) cells: ``3``, ``3*``, ``３＊``.

The asterisk marks a rating judged against a revised target; it is printed
half- or full-width, sometimes detached by letter-spacing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .errors import Errors, fail, normaliser
from .width import to_halfwidth_ascii

# The published scale runs 1 (well above target) .. 5; anything outside is a
# misread cell, so it is rejected rather than passed on.
RATING_MIN, RATING_MAX = 1, 5

_RATING = re.compile(r"(\d)\s*(\*)?")


@dataclass(frozen=True)
class Rating:
    value: int
    revised: bool
    raw: str


@normaliser("rating")
def parse_rating(s: str, *, errors: Errors = "raise") -> Optional[Rating]:
    """``" 3 ＊"`` -> ``Rating(3, True, " 3 ＊")``; None/"" -> None."""
    text = to_halfwidth_ascii(s, katakana=False) or ""
    m = _RATING.fullmatch(text.strip(" \u3000\u00a0\t\n"))
    if not m:
        return fail(s, "not a rating (digit with optional *)", errors)
    value = int(m.group(1))
    if not RATING_MIN <= value <= RATING_MAX:
        return fail(s, f"rating outside {RATING_MIN}..{RATING_MAX}", errors)
    return Rating(value=value, revised=m.group(2) is not None, raw=s)


def format_rating(value: int, revised: bool = False) -> str:
    """The canonical printed form: ``format_rating(3, True) == "3*"``."""
    if isinstance(value, bool) or not isinstance(value, int) \
            or not RATING_MIN <= value <= RATING_MAX:
        raise ValueError(f"rating outside {RATING_MIN}..{RATING_MAX}: {value!r}")
    return f"{value}*" if revised else str(value)
