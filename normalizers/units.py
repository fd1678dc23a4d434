"""The unit a label prints: ``単位：千円``, ``事業費（千円）``, ``(千円単位。千円未満は四捨五入)``.

A unit is read from three printed forms and no other:
- ``単位`` followed by the unit (``単位：人``, ``単位（千円）``, ``単位 件``): any short text;
- a money unit or a percent sign in brackets (``（千円）``, ``(百万円)``, ``（％）``);
- a money unit followed by 単位 (``千円単位``), as notes above money tables say.
Brackets holding anything else (``経費（一財）``, ``実施期間（第７次…）``) are no unit.
A unit cell (the cell under a ``単位`` header) is the unit as a whole; the
sheet model reads those itself.
"""

from __future__ import annotations

import re
from typing import Optional

_MONEY = r"(?:千|百万|万|億|十億)?円"
# 単位 then the unit: up to a bracket, a separator or the end.
_AFTER_WORD = re.compile(r"単位\s*[:：]?\s*[（(]?\s*(?P<unit>[^\s()（）、,，。:：]{1,8}?)\s*[)）]?(?=$|[\s、,，。)）])")
_BRACKETED = re.compile(rf"[（(]\s*(?P<unit>{_MONEY}|[%％])\s*[)）]")
_MONEY_UNIT = re.compile(rf"(?P<unit>{_MONEY})単位")


def _find(text: str) -> Optional[re.Match]:
    for pattern in (_AFTER_WORD, _BRACKETED, _MONEY_UNIT):
        m = pattern.search(text)
        if m:
            return m
    return None


def unit_in(s: Optional[str]) -> Optional[str]:
    """The unit printed in a label, as printed; None when it prints none.

    ``unit_in("事業費（千円）") == "千円"``, ``unit_in("単位：人") == "人"``,
    ``unit_in("経費（一財）") is None``.  Never raises: a label without a
    unit is the common case, not an error.
    """
    m = _find(s or "")
    return m.group("unit") if m else None


def split_unit(s: Optional[str]) -> tuple[Optional[str], str]:
    """(the unit, the label without it): ``("千円", "事業費")`` for ``事業費（千円）``."""
    text = s or ""
    m = _find(text)
    if not m:
        return None, text
    return m.group("unit"), (text[: m.start()] + text[m.end():]).strip()
