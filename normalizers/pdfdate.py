"""PDF date strings (``D:20261128214448+09'00'``) to ISO 8601."""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from .errors import Errors, fail, normaliser

# PDF 32000-1 §7.9.4: D:YYYYMMDDHHmmSSOHH'mm, every part after the year
# optional; writers add a stray trailing apostrophe or drop the D: prefix.
_PDF_DATE = re.compile(
    r"^(?:D:)?(?P<y>\d{4})(?P<mo>\d{2})?(?P<d>\d{2})?(?P<h>\d{2})?(?P<mi>\d{2})?(?P<s>\d{2})?"
    r"(?P<tz>Z|[+-]\d{2}(?:'?\d{2})?)?'?\s*$"
)


@normaliser("PDF date")
def pdf_date(s: str, *, errors: Errors = "raise") -> Optional[str]:
    """``D:20261128214448Z`` -> ``2026-11-28T21:44:48Z``; a date alone -> ``2026-11-28``."""
    m = _PDF_DATE.match(s.strip())
    if not m:
        return fail(s, "not a PDF date", errors)
    parts = {k: int(v) for k, v in m.groupdict().items() if v and k != "tz"}
    try:
        when = dt.datetime(parts["y"], parts.get("mo", 1), parts.get("d", 1),
                           parts.get("h", 0), parts.get("mi", 0), parts.get("s", 0))
    except ValueError:
        return fail(s, "not a calendar date", errors)
    if m.group("h") is None:
        return when.date().isoformat()
    tz = m.group("tz")
    suffix = "" if tz is None else "Z" if tz == "Z" else f"{tz[:3]}:{tz.replace(chr(39), '')[3:5] or '00'}"
    return when.isoformat() + suffix
