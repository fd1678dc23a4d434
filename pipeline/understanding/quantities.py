"""Find counted quantities in Japanese prose: ``約500人``, ``△3.2%``, ``20社程度``.

A regex finds the number (it is exact about signs, thousands separators and
万/億 multipliers, which the tagger splits into pieces); the tagger decides
what follows it, because whether ``3港`` or ``3回`` is a count depends on the
word, not the characters.

Counter policy -- why an allow-list *and* POS:
unidic tags true counters inconsistently.  ``件 回 社 円`` come out as
名詞-普通名詞-助数詞可能 and are trusted on POS alone, but ``人`` and ``港``
are both 接尾辞-名詞的-一般 and ``機関 企業 施設`` are plain nouns.  POS alone
would either miss 人/機関 or accept 港 in a place name such as "阪神2港".
So: the counter POS is trusted except for the time/address/ordinal counters
in ``NON_QUANTITY_COUNTERS``; any other word must be in ``KNOWN_COUNTERS``.
Kanji-only numerals (一部, 三者, 一体) are not scanned: in prose they are
almost always part of a word.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Optional

from normalizers.numbers import parse_number
from normalizers.width import to_halfwidth_ascii

from ..models import Item, Measure, Narrative, Plan, Quantity
from .tokenize import Token, tokenize

# Nouns used as counters in administrative reports that unidic does not tag
# as 助数詞.  Extend here when a new document shows a new one.
KNOWN_COUNTERS = frozenset({
    "人", "名", "者", "社", "件", "回", "度", "機関", "企業", "施設", "団体",
    "区画", "箇所", "か所", "ヶ所", "カ所", "ヵ所", "校", "店", "店舗", "戸",
    "世帯", "棟", "室", "台", "本", "枚", "冊", "基", "隻", "路線", "地区",
    "事業", "講座", "項目", "品目", "種類", "円", "歳", "日間", "時間",
    "か月", "ヶ月", "カ月", "ヵ月", "週間", "人日", "箇月", "コース",
})
# Counters that mark dates, years, addresses and ordinals, not amounts.
# Years and durations in 年 are excluded on purpose: "2009年", "100年に一度",
# "3周年" and "2年目" all read as numbers but are not counted quantities.
NON_QUANTITY_COUNTERS = frozenset({
    "年", "年度", "年間", "年目", "周年", "か年", "ヶ年", "カ年", "箇年",
    "月", "日", "時", "分", "秒", "丁目", "番", "番地", "号", "期", "次", "位",
    "条", "項", "章", "節", "目",
})
_COUNTER_POS = {
    ("名詞", "普通名詞", "助数詞可能"),
    ("接尾辞", "名詞的", "助数詞"),
}
# Regex-level units: symbols and Latin abbreviations the tagger splits or
# leaves untagged.  Longest first so "km2" wins over "km".
_UNITS = sorted(
    ["%", "％", "㎡", "㎢", "㎞", "㎏", "㏊", "ha", "km2", "km²", "m2", "m²",
     "m3", "m³", "km", "kg", "kWh", "kW", "MW", "t"],
    key=len, reverse=True,
)
_APPROX_BEFORE = ("およそ", "おおよそ", "おおむね", "概ね", "約")
_APPROX_AFTER = ("程度", "前後", "ほど", "くらい", "ぐらい")
_QUALIFIERS_AFTER = ("以上", "以下", "未満", "以内", "超", "余", "強", "弱")
_ERA_NAMES = ("明治", "大正", "昭和", "平成", "令和")

_SIGN = "△▲−-"
_NUMBER = re.compile(
    rf"(?<![0-9A-Za-z_.,])(?P<sign>[{_SIGN}])?"
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:[万億兆千百](?:\d+(?:\.\d+)?[万億兆千百]?)*)?)"
    r"(?![0-9])"
)
_UNIT = re.compile("|".join(re.escape(u) for u in _UNITS) + r"(?![A-Za-z0-9])")
# Enough characters to hold any counter word after a number.
_LOOKAHEAD = 12
_LATIN = re.compile(r"[A-Za-z]")


def _is_counter_token(tok: Token) -> bool:
    if tok.surface in NON_QUANTITY_COUNTERS:
        return False
    if tok.surface in KNOWN_COUNTERS:
        return True
    return tok.pos[:3] in _COUNTER_POS


def _is_noun(tok: Token) -> bool:
    return tok.pos[0] == "名詞" and tok.pos[1] in ("普通名詞", "固有名詞")


def _counter_after(tokens: list[Token], by_start: dict[int, int], pos: int) -> Optional[tuple[str, int]]:
    """(counter, end offset) for the word starting at ``pos``, if it counts."""
    i = by_start.get(pos)
    if i is None:
        return None  # no word boundary here: the number is inside a longer word
    first = tokens[i]
    if first.surface in NON_QUANTITY_COUNTERS:
        return None
    if _is_counter_token(first):
        return first.surface, first.end
    # Compound counter "3研究機関": tagger gives 研究+機関; take the whole word,
    # but only when its head is a known counter (not "2大学ネットワーク").
    if _is_noun(first) and i + 1 < len(tokens):
        head = tokens[i + 1]
        if head.start == first.end and head.surface in KNOWN_COUNTERS \
                and head.surface not in NON_QUANTITY_COUNTERS:
            return first.surface + head.surface, head.end
    return None


def find_quantities(text: Optional[str]) -> list[Quantity]:
    """Every counted or measured number in ``text``, in order of appearance."""
    if not text:
        return []
    # One-to-one fold so offsets in the folded text are offsets in ``text``.
    folded = to_halfwidth_ascii(text, katakana=False) or ""
    tokens: Optional[list[Token]] = None
    by_start: dict[int, int] = {}
    out: list[Quantity] = []
    for m in _NUMBER.finditer(folded):
        start, end = m.start(), m.end()
        before = folded[:start]
        if before.endswith("第") or before.endswith(_ERA_NAMES):
            continue  # ordinal (第3回) or era year (平成21)
        if m.group("sign") == "-" and before[-1:].isalnum():
            continue  # a hyphen joining codes, not a minus
        qualifier = None
        if folded.startswith("余", end):
            qualifier, end = "余", end + 1  # "100余人"
        unit_m = _UNIT.match(folded, end)
        if unit_m:
            unit, end = unit_m.group().replace("％", "%"), unit_m.end()
        else:
            if _LATIN.match(folded, end):
                continue  # "3D", "5G": number inside a Latin token
            if tokens is None:
                tokens = tokenize(text)
                by_start = {t.start: k for k, t in enumerate(tokens)}
            if qualifier == "余" and end not in by_start:
                # unidic reads "余人" as one word; re-tag what follows 余 alone.
                tail = tokenize(text[end:end + _LOOKAHEAD])
                found = _counter_after(tail, {t.start: k for k, t in enumerate(tail)}, 0)
                found = found and (found[0], found[1] + end)
            else:
                found = _counter_after(tokens, by_start, end)
            if found is None:
                continue
            unit, end = found
        approx = False
        for prefix in _APPROX_BEFORE:
            if before.endswith(prefix):
                approx, start = True, start - len(prefix)
                break
        for suffix in _APPROX_AFTER:
            if folded.startswith(suffix, end):
                approx, end = True, end + len(suffix)
                break
        if qualifier is None:
            for suffix in _QUALIFIERS_AFTER:
                if folded.startswith(suffix, end):
                    qualifier, end = suffix, end + len(suffix)
                    break
        number = (m.group("sign") or "") + m.group("num")
        out.append(Quantity(
            text=text[start:end],
            value=float(parse_number(number) or 0),
            unit=unit,
            approx=approx,
            qualifier=qualifier,
            start=start,
            end=end,
        ))
    return out


# ---------------------------------------------------------------- attaching


def _with_quantities(item: Item) -> Item:
    return dataclasses.replace(item, quantities=tuple(find_quantities(item.text)))


def _measure_with_quantities(m: Measure) -> Measure:
    rows = tuple(
        dataclasses.replace(
            row,
            current=tuple(map(_with_quantities, row.current)),
            targets=tuple(dataclasses.replace(c, items=tuple(map(_with_quantities, c.items))) for c in row.targets),
        )
        for row in m.rows
    )
    result = m.result and dataclasses.replace(
        m.result,
        outcomes=tuple(map(_with_quantities, m.result.outcomes)),
        changes=tuple(map(_with_quantities, m.result.changes)),
        revised_targets=tuple(map(_with_quantities, m.result.revised_targets)),
    )
    return dataclasses.replace(
        m, rows=rows, result=result, description_quantities=tuple(find_quantities(m.description))
    )


def attach_quantities(plan: Plan, narrative: Narrative) -> tuple[Plan, Narrative]:
    """Every item, description and bullet with the quantities found in its text."""
    programs = tuple(
        dataclasses.replace(p, measures=tuple(map(_measure_with_quantities, p.measures))) for p in plan.programs
    )
    items = tuple(dataclasses.replace(i, quantities=tuple(find_quantities(i.text))) for i in narrative.items)
    return dataclasses.replace(plan, programs=programs), dataclasses.replace(narrative, items=items)
