"""What kind of figure a label names (目標, 実績, 見込, 予算, 決算 …), and labels of a year and a kind.

Evaluation sheets of every city label their figures with the same few
words: a target (目標・想定・計画), an actual (実績), a forecast (見込・
見通し), a budget (予算・当初予算・予算現額), a settlement (決算), or
something else a year describes (差引・増減・達成率).  This module is the
one vocabulary of those words (``KIND_WORDS``); the sheet model reads a
label's kind only through it.

A kind label is made of these words and nothing else (brackets, spaces,
・ and a unit such as ``（千円）`` aside): ``差引（増減）`` is ``other``,
``当初予算額`` is ``budget``, while ``取組予定`` or ``事業費`` are no kind at
all.  ``parse_year_kind`` reads a label that is a fiscal year, a kind, or
both (``R6実績``, ``令和5年度予算現額``, ``20年度決算`` with the document's
era), and refuses a label with any other text: ``上記要素に係るR６年度取組予定``
names a year but is a question, not an axis label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .era import find_year_in_label
from .errors import Errors, NormalizeError, fail, normaliser
from .units import split_unit
from .width import to_halfwidth_ascii

KINDS = ("target", "actual", "forecast", "budget", "settlement", "other")

# Every word is listed in full (no stemming): a word not here is no kind.
# 見込 / 見通し next to 決算 make a forecast of the settlement (決算見込).
KIND_WORDS: dict[str, str] = {
    # target
    "目標": "target", "目標値": "target", "目標額": "target", "想定": "target", "想定値": "target",
    "計画": "target", "計画値": "target", "計画額": "target",
    # actual
    "実績": "actual", "実績値": "actual", "実績額": "actual",
    # forecast
    "見込": "forecast", "見込み": "forecast", "見込値": "forecast", "見込額": "forecast",
    "見通し": "forecast", "決算見込": "forecast", "決算見込み": "forecast", "決算見込額": "forecast",
    # budget
    "予算": "budget", "当初予算": "budget", "予算額": "budget", "予算現額": "budget", "予算案": "budget",
    "当初予算額": "budget", "当初予算案": "budget", "補正予算": "budget", "補正後予算": "budget",
    "最終予算": "budget", "予算現額計": "budget",
    # settlement
    "決算": "settlement", "決算額": "settlement",
    # other figures a year describes
    "差引": "other", "差額": "other", "増減": "other", "増減額": "other", "達成率": "other", "達成度": "other",
    "前年比": "other", "前年度比": "other", "対前年比": "other", "対前年度比": "other", "伸び率": "other",
    "執行率": "other", "比較": "other",
}
_BY_LENGTH = sorted(KIND_WORDS, key=len, reverse=True)
# Typography between the words of a kind label: brackets, separators, spaces.
_NOISE = re.compile(r"[\s\u3000()（）［］\[\]【】〈〉<>「」・/／、,，:：]+")


@dataclass(frozen=True)
class YearKind:
    """A label read as an axis label: its fiscal year and its kind (either may be absent).

    ``year_text`` and ``kind_text`` are the parts as printed (width-folded),
    ``unit`` a unit printed in the label (``決算額（千円）``).
    """

    fiscal_year: Optional[int]
    kind: Optional[str]
    year_text: str = ""
    kind_text: str = ""
    unit: Optional[str] = None
    era_given: bool = False


def _words(text: str) -> Optional[list[str]]:
    """``text`` cut into kind words, longest first; None when something else is left."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        word = next((w for w in _BY_LENGTH if text.startswith(w, pos)), None)
        if word is None:
            return None
        out.append(word)
        pos += len(word)
    return out


def _kind_of_words(words: list[str]) -> Optional[str]:
    kinds = {KIND_WORDS[w] for w in words}
    if len(kinds) == 1:
        return kinds.pop()
    if "forecast" in kinds and kinds <= {"forecast", "settlement", "budget", "target", "actual"} and len(kinds) == 2:
        return "forecast"  # 決算 見込 printed apart: a forecast of the settlement
    return None


def _kind_text(text: str) -> tuple[Optional[str], str]:
    flat = _NOISE.sub("", text)
    if not flat:
        return None, ""
    words = _words(flat)
    if not words:
        raise NormalizeError(text, "not a kind label")
    kind = _kind_of_words(words)
    if kind is None:
        raise NormalizeError(text, f"the label names several kinds ({', '.join(words)})")
    return kind, flat


@normaliser("kind label")
def label_kind(s: str, *, errors: Errors = "raise") -> Optional[str]:
    """The kind a label names: ``label_kind("当初予算") == "budget"``, ``label_kind("差引（増減）") == "other"``."""
    _unit, rest = split_unit(s)
    try:
        kind, _ = _kind_text(to_halfwidth_ascii(rest, katakana=False) or "")
    except NormalizeError as exc:
        return fail(s, exc.reason, errors)
    if kind is None:
        return fail(s, "not a kind label", errors)
    return kind


@normaliser("year/kind label")
def parse_year_kind(s: str, *, era: Optional[str] = None, errors: Errors = "raise") -> Optional[YearKind]:
    """A label that is a fiscal year, a kind, or a year and a kind, and nothing else.

    ``parse_year_kind("R6実績") == YearKind(2024, "actual", "R6", "実績")``;
    ``parse_year_kind("５年度", era="令和").fiscal_year == 2023``.  Fails on
    any other text (``事業費``, ``年度``, ``R6年度取組予定``).
    """
    unit, rest = split_unit(s)
    folded = to_halfwidth_ascii(rest, katakana=False) or ""
    year = find_year_in_label(folded, era=era, errors="null")
    try:
        if year is None:
            kind, kind_text = _kind_text(folded)
            if kind is None:
                return fail(s, "neither a fiscal year nor a kind", errors)
            return YearKind(None, kind, "", kind_text, unit)
        kind, kind_text = _kind_text(year.before + " " + year.after)
    except NormalizeError as exc:
        return fail(s, exc.reason, errors)
    return YearKind(year.fiscal_year, kind, year.year_text, kind_text, unit, year.era_given)
