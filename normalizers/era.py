"""Japanese era years (和暦) and the fiscal-year labels of plan tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .errors import Errors, NormalizeError, fail, normaliser
from .numbers import parse_number
from .width import to_halfwidth_ascii

# (name, initial, first Gregorian year).  An era year N maps to first + N - 1
# with no upper bound: plans written under 平成 name 平成32年度 (= 2020) as a
# target even though 令和 began in 2019, and such targets stay valid.
ERAS: tuple[tuple[str, str, int], ...] = (
    ("明治", "M", 1868),
    ("大正", "T", 1912),
    ("昭和", "S", 1926),
    ("平成", "H", 1989),
    ("令和", "R", 2019),
)
_BY_NAME = {name: first for name, _, first in ERAS}

# Era years above this are misreads (a digit picked up from a neighbour),
# not targets written far ahead.
MAX_ERA_YEAR = 99
MIN_YEAR, MAX_YEAR = 1868, 2199

_ERA_NAMES = "|".join(name for name, _, _ in ERAS)
_NUM = r"元|\d{1,3}|[〇一二三四五六七八九十百]+"
_ERA_YEAR = re.compile(rf"(?P<era>{_ERA_NAMES})(?P<n>{_NUM})")
_FY = re.compile(
    rf"(?:(?P<era>{_ERA_NAMES})(?P<n>{_NUM})|(?P<ini>[MTSHRmtshr])\.?(?P<ni>\d{{1,2}})"
    r"|(?P<west>\d{4}))(?:年度?)?"
)
# One year written one way: 2011 | 平成23 | H23.  A label prints one or more
# of them for the same year ("2019(令和元)", "平成31(令和元)").
_YEAR_TOKEN = re.compile(
    rf"(?P<west>\d{{4}})|(?P<era>{_ERA_NAMES})(?P<n>{_NUM})|(?P<ini>[MTSHR])\.?(?P<ni>\d{{1,2}})"
)
_LABEL_TAIL = re.compile(r"年度?(?P<after>以降)?$")
_WS = re.compile("[ \u3000\u00a0\t\n]+")


@dataclass(frozen=True)
class YearLabel:
    fiscal_year: int
    and_after: bool
    label: str  # half-width, spaces removed: "2011(平成23)年度以降"
    last_year: Optional[int] = None  # a column covering several years: "2014～2016年度"

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.fiscal_year, (self.last_year or self.fiscal_year) + 1))


def _clean(s: str) -> str:
    return _WS.sub("", to_halfwidth_ascii(s, katakana=False) or "")


def _era_to_year(era: str, n: str, original: str) -> int:
    num = 1 if n == "元" else parse_number(n, errors="null")
    if not isinstance(num, int) or not 1 <= num <= MAX_ERA_YEAR:
        raise NormalizeError(original, f"era year out of range in {era}{n}")
    return _BY_NAME[era] + num - 1


def _check_west(year: int, original: str) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise NormalizeError(original, f"year outside {MIN_YEAR}..{MAX_YEAR}")
    return year


@normaliser("year")
def fiscal_year(s: Optional[str], *, errors: Errors = "raise") -> Optional[int]:
    """``平成21年度`` / ``H21`` / ``令和元年度`` / ``2011年度`` -> Gregorian start year."""
    m = _FY.fullmatch(_clean(s))
    if not m:
        return fail(s, "not a fiscal year", errors)
    try:
        if m.group("era"):
            return _era_to_year(m.group("era"), m.group("n"), s)
        if m.group("ini"):
            era = next(n for n, i, _ in ERAS if i == m.group("ini").upper())
            return _era_to_year(era, m.group("ni"), s)
        return _check_west(int(m.group("west")), s)
    except NormalizeError as exc:
        return fail(s, exc.reason, errors)


@normaliser("year label")
def parse_year_label(s: Optional[str], *, errors: Errors = "raise") -> Optional[YearLabel]:
    """A 目標 column header: ``2011(平成23)年度以降`` -> ``YearLabel(2011, True, ...)``.

    When both a Gregorian and an era year are printed they must agree; a
    mismatch means a misread digit and is an error, not a guess.
    """
    label = _clean(s)
    tail = _LABEL_TAIL.search(label)
    head = label[: tail.start()] if tail else ""
    if not tail or not head:
        return fail(s, "not a fiscal-year label", errors)
    first_part, sep, last_part = _split_range(head)
    try:
        first = _one_year(first_part, s)
        last = _one_year(last_part, s, era_of=first_part) if sep else None
    except NormalizeError as exc:
        return fail(s, exc.reason, errors)
    if first is None or (sep and last is None):
        return fail(s, "not a fiscal-year label", errors)
    if last is not None and last <= first:
        return fail(s, f"the year range runs backwards ({first}～{last})", errors)
    return YearLabel(fiscal_year=first, and_after=tail.group("after") is not None, label=label, last_year=last)


# The mark between the two ends of a range column ("2014～2016年度").
_RANGE_MARK = re.compile(r"[～〜~‐－―-]")


def _split_range(head: str) -> tuple[str, str, str]:
    m = _RANGE_MARK.search(head)
    return (head, "", "") if not m else (head[: m.start()], m.group(), head[m.end():])


def _one_year(part: str, original: str, era_of: str = "") -> Optional[int]:
    """One year written one or more agreeing ways; None if ``part`` is not that.

    ``era_of`` lets the end of a range borrow the era of its start
    (平成26～28年度).
    """
    if era_of and re.fullmatch(r"\d{1,2}", part):
        era = _ERA_YEAR.search(era_of)
        if era:
            part = era.group("era") + part
    tokens = list(_YEAR_TOKEN.finditer(part))
    # Whatever is not a year must be the brackets around the second way of
    # writing it; free text is not a year.
    if not tokens or _YEAR_TOKEN.sub("", part).strip("()") != "":
        return None
    years = []
    for t in tokens:
        if t.group("west"):
            years.append(_check_west(int(t.group("west")), original))
        elif t.group("era"):
            years.append(_era_to_year(t.group("era"), t.group("n"), original))
        else:
            era = next(n for n, i, _ in ERAS if i == t.group("ini"))
            years.append(_era_to_year(era, t.group("ni"), original))
    if len(set(years)) > 1:
        raise NormalizeError(original, f"the years written in it disagree ({', '.join(map(str, years))})")
    return years[0]


def to_era(year: int) -> tuple[str, int]:
    """The era in force from April of ``year`` (a fiscal year): ``2019 -> ("令和", 1)``."""
    for name, _, first in reversed(ERAS):
        if year >= first:
            return name, year - first + 1
    raise ValueError(f"year before {ERAS[0][0]}: {year!r}")


def format_era_year(year: int, suffix: str = "年度") -> str:
    """``format_era_year(2019) == "令和元年度"`` (元 for an era's first year)."""
    name, n = to_era(year)
    return f"{name}{'元' if n == 1 else n}{suffix}"


@dataclass(frozen=True)
class YearSpan:
    """Fiscal years named together in running text: ``平成21、22年度`` -> (2009, 2010)."""

    start: int  # offsets into the text searched
    end: int
    years: tuple[int, ...]


_ONE_YEAR = rf"(?:(?:{_ERA_NAMES})|[MTSHR]\.?)?(?:元|\d{{1,4}})"
# A list or range of years sharing one 年度: 平成21、22年度 / 平成21～23年度 /
# R2～R3年度 / 2009・2010年度.  A bare one- or two-digit number borrows the
# era written before it; with no era before it it is not a year.
# 2010(平成22)年度 prints one year two ways: the bracketed one must agree.
_YEAR_WRITTEN = rf"{_ONE_YEAR}(?:\s*[(（]\s*{_ONE_YEAR}\s*[)）])?"
_YEARS_SPAN = re.compile(rf"{_YEAR_WRITTEN}(?:\s*[、,，・～〜~\-－]\s*{_YEAR_WRITTEN})*\s*年度")
_YEAR_PART = re.compile(rf"(?P<era>{_ERA_NAMES})?(?P<ini>[MTSHR])?\.?(?P<n>元|\d{{1,4}})")
_RANGE_SEP = re.compile(r"\s*[～〜~\-－]\s*$")


def find_fiscal_years(text: Optional[str]) -> list[YearSpan]:
    """Every fiscal-year mention in ``text``, in order, with its offsets.

    Width is folded one character to one, so offsets index ``text`` itself.
    A mention that does not resolve to plausible years (``30年度`` with no
    era, ``平成120年度``) is left out rather than guessed.
    """
    folded = to_halfwidth_ascii(text or "", katakana=False) or ""
    spans = []
    for m in _YEARS_SPAN.finditer(folded):
        years = _span_years(folded, m)
        if years:
            spans.append(YearSpan(m.start(), m.end(), years))
    return spans


def _span_years(text: str, m: re.Match) -> tuple[int, ...]:
    era: Optional[str] = None
    years: list[int] = []
    previous_end = m.start()
    for part in _YEAR_PART.finditer(text, m.start(), m.end()):
        between = text[previous_end:part.start()]
        previous_end = part.end()
        name = part.group("era") or (
            next(n for n, i, _ in ERAS if i == part.group("ini")) if part.group("ini") else None
        )
        era = name or era
        n = part.group("n")
        try:
            if len(n) == 4 and not name:
                year = _check_west(int(n), n)
            elif era:
                year = _era_to_year(era, n, part.group())
            else:
                return ()
        except NormalizeError:
            return ()
        if years and between.rstrip().endswith(("(", "（")):
            if year != years[-1]:
                return ()  # the two ways disagree: a misread digit, not a year
            continue
        if years and _RANGE_SEP.search(between):
            if year <= years[-1]:
                return ()
            years.extend(range(years[-1] + 1, year + 1))
        else:
            years.append(year)
    return tuple(dict.fromkeys(years))
