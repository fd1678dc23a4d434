"""Japanese era years (和暦) and the fiscal-year labels of plan tables."""

from __future__ import annotations

import re
from collections.abc import Iterable
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


_BARE_FY = re.compile(r"(?P<n>元|\d{1,2})年度?")


@normaliser("year")
def fiscal_year(s: str, *, era: Optional[str] = None, errors: Errors = "raise") -> Optional[int]:
    """``平成21年度`` / ``H21`` / ``令和元年度`` / ``2011年度`` -> Gregorian start year.

    ``era`` (令和 / R …) is the document's era, taken by a year printed
    without one (``fiscal_year("５年度", era="令和") == 2023``); without it
    such a year is not read.
    """
    m = _FY.fullmatch(_clean(s))
    if not m:
        bare = _BARE_FY.fullmatch(_clean(s))
        if bare and era is not None:
            name = era_name(era)
            if name is None:
                raise ValueError(f"unknown era {era!r}; give one of: {', '.join(n for n, _, _ in ERAS)}")
            try:
                return _era_to_year(name, bare.group("n"), s)
            except NormalizeError as exc:
                return fail(s, exc.reason, errors)
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
def parse_year_label(s: str, *, errors: Errors = "raise") -> Optional[YearLabel]:
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
        named = _ERA_YEAR.search(era_of)
        if named:
            part = named.group("era") + part
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


# ---------------------------------------------------------------- evaluation-sheet labels
#
# Evaluation sheets print a fiscal year inside a column or row label, often
# with the kind of the figure beside it (R6実績, 令和5年度予算現額, 20年度決算)
# and often without its era (５年度, ３年度…９年度): the era is then the
# document's own, which the caller takes from the document's era-dated
# labels (``document_era``) and passes in.  Without it an era-less year is
# not read: it is never guessed.

_ERA_INITIALS = {initial: name for name, initial, _ in ERAS}
_ERA_ALIASES = {**{name: name for name, _, _ in ERAS}, **_ERA_INITIALS, **{i.lower(): n for i, n in _ERA_INITIALS.items()}}

# One fiscal year written inside a label, on width-folded text without spaces:
# 2019(令和元)年度 | 2023年度 | 令和5年度 | 令和元 | R6 | H.25年度 | (era-less) 5年度.
_IN_LABEL = re.compile(
    rf"(?P<west>(?<!\d)\d{{4}}(?:\((?:{_ERA_NAMES})(?:元|\d{{1,2}})\))?(?:年度|年))"
    rf"|(?P<era>(?:{_ERA_NAMES})(?:{_NUM})(?:\((?:\d{{4}}|(?:{_ERA_NAMES})(?:{_NUM}))\))?(?:年度|年)?)"
    r"|(?P<ini>(?<![A-Za-z])[MTSHR]\.?\d{1,2}(?!\d)(?:年度|年)?)"
    r"|(?P<bare>(?<![\d.])(?:元|\d{1,2})年度)"
)


@dataclass(frozen=True)
class YearInLabel:
    """The one fiscal year a label names, and what the label prints around it.

    ``before`` / ``after`` are the rest of the label (width-folded, spaces
    removed): ``R6実績`` -> ``YearInLabel(2024, "R6", "", "実績", era_given=False)``.
    ``era_given`` says the year was printed without an era and took the
    caller's.
    """

    fiscal_year: int
    year_text: str
    before: str
    after: str
    era_given: bool = False


def era_name(s: Optional[str]) -> Optional[str]:
    """``令和`` / ``R`` / ``r`` -> ``令和``; anything else None."""
    return _ERA_ALIASES.get(_clean(s or ""))


def _mention_year(kind: str, text: str, era: Optional[str], original: str) -> int:
    if kind == "bare":
        if era is None:
            raise NormalizeError(original, "a year printed without its era, and no era given")
        return _era_to_year(era, text[: -len("年度")], original)
    if kind == "ini" and not text.endswith("年"):
        value = fiscal_year(text, errors="raise")
        assert value is not None
        return value
    head = text[: -len("年度")] if text.endswith("年度") else text[:-1] if text.endswith("年") else text
    year = _one_year(head, original)
    if year is None:
        raise NormalizeError(original, "not a fiscal year")
    return year


@normaliser("year label")
def find_year_in_label(s: str, *, era: Optional[str] = None, errors: Errors = "raise") -> Optional[YearInLabel]:
    """The single fiscal year a short label names, wherever it stands in it.

    ``find_year_in_label("令和5年度予算現額").fiscal_year == 2023``;
    ``find_year_in_label("20年度決算", era="平成").fiscal_year == 2008``.
    ``era`` (a name or initial: 令和, R) is the document's era, taken only
    by a year printed without one.  A label naming no year, or two
    different ones (a range: 2014～2016年度), fails.
    """
    era_full = era_name(era) if era is not None else None
    if era is not None and era_full is None:
        raise ValueError(f"unknown era {era!r}; give one of: {', '.join(n for n, _, _ in ERAS)}")
    label = _clean(s)
    found: list[tuple[re.Match, int]] = []
    try:
        for m in _IN_LABEL.finditer(label):
            kind = m.lastgroup or ""
            found.append((m, _mention_year(kind, m.group(), era_full, s)))
    except NormalizeError as exc:
        return fail(s, exc.reason, errors)
    years = {year for _, year in found}
    if not found:
        return fail(s, "no fiscal year in the label", errors)
    if len(years) > 1:
        return fail(s, f"the label names more than one year ({', '.join(map(str, sorted(years)))})", errors)
    first, last = found[0][0], found[-1][0]
    if _RANGE_MARK.match(label[last.end():last.end() + 1]) or _RANGE_MARK.match(label[first.start() - 1: first.start()]):
        return fail(s, "the label names a range of years", errors)
    between = label[first.end():last.start()]
    if len(found) > 1 and between.strip("()（）・/／") != "":
        return fail(s, "the label names its year twice apart", errors)
    return YearInLabel(
        fiscal_year=found[0][1], year_text=label[first.start():last.end()],
        before=label[: first.start()], after=label[last.end():],
        era_given=first.lastgroup == "bare",
    )


def document_era(texts: Iterable[str]) -> Optional[str]:
    """The era a document dates itself in: the era named most often in ``texts``.

    Only era names followed by a year count (令和7年度, 平成30年): an
    initial (R6) is left out, as a Latin letter before a digit is too often
    something else.  Ties go to the later era (a 令和 report looks back on
    平成 years as often as on its own only when it is new).  None when no
    text names an era.
    """
    counts: dict[str, int] = {}
    for text in texts:
        for m in _ERA_YEAR.finditer(to_halfwidth_ascii(text or "", katakana=False) or ""):
            counts[m.group("era")] = counts.get(m.group("era"), 0) + 1
    if not counts:
        return None
    order = {name: i for i, (name, _, _) in enumerate(ERAS)}
    return max(counts, key=lambda name: (counts[name], order[name]))
