"""Fiscal-year, kind and unit labels of evaluation sheets (normalizers.era / kinds / units)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers import NormalizeError
from normalizers.era import ERAS, document_era, find_year_in_label, fiscal_year, to_era
from normalizers.kinds import KIND_WORDS, KINDS, YearKind, label_kind, parse_year_kind
from normalizers.units import split_unit, unit_in
from normalizers.width import to_halfwidth_ascii


@pytest.mark.parametrize("raw, era, year, kind", [
    ("令和5年度", None, 2023, None),
    ("R5", None, 2023, None),
    ("Ｒ５年度", None, 2023, None),
    ("2023年度", None, 2023, None),
    ("H25", None, 2013, None),
    ("平成20年度", None, 2008, None),
    ("R6実績", None, 2024, "actual"),
    ("令和5年度予算現額", None, 2023, "budget"),
    ("令和６年度当初予算", None, 2024, "budget"),
    ("R９年度見込", None, 2027, "forecast"),
    ("Ｒ４年度 決算", None, 2022, "settlement"),
    ("2019(令和元)年度 目標値", None, 2019, "target"),
    ("５年度", "令和", 2023, None),
    ("５年度", "R", 2023, None),
    ("20年度決算", "平成", 2008, "settlement"),
    ("20年度決算", "令和", 2038, "settlement"),
    ("元年度 実績", "令和", 2019, "actual"),
])
def test_year_and_kind_labels_in_any_form(raw, era, year, kind):
    got = parse_year_kind(raw, era=era)
    assert (got.fiscal_year, got.kind) == (year, kind)


@pytest.mark.parametrize("raw", ["５年度", "20年度決算", "元年度"])
def test_a_year_without_its_era_is_not_guessed(raw):
    with pytest.raises(NormalizeError, match="without its era"):
        find_year_in_label(raw)
    assert parse_year_kind(raw, errors="null") is None
    assert fiscal_year(raw, errors="null") is None


def test_the_same_era_less_label_reads_by_the_documents_era():
    heisei = document_era(["平成30年度事務事業評価シート", "平成29年度決算"])
    reiwa = document_era(["令和７年度事業評価書（令和６年度事業）"])
    assert (heisei, reiwa) == ("平成", "令和")
    assert parse_year_kind("29年度 決算", era=heisei).fiscal_year == 2017
    assert parse_year_kind("６年度 決算", era=reiwa).fiscal_year == 2024


def test_document_era_counts_eras_with_a_year_and_prefers_the_later_on_ties():
    assert document_era(["平成30年度から令和2年度まで"]) == "令和"
    assert document_era(["平成30年度", "平成31年度", "令和元年度"]) == "平成"
    assert document_era(["令和の時代", "R6"]) is None


@pytest.mark.parametrize("label, kind", [
    ("目標", "target"), ("目標値", "target"), ("想定", "target"), ("計画", "target"), ("計画値", "target"),
    ("実績", "actual"), ("実績値", "actual"),
    ("見込", "forecast"), ("見込み", "forecast"), ("見通し", "forecast"), ("決算見込", "forecast"),
    ("予算", "budget"), ("当初予算", "budget"), ("予算額", "budget"), ("予算現額", "budget"), ("予算案", "budget"),
    ("決算", "settlement"), ("決算額", "settlement"), ("決算額（千円）", "settlement"),
    ("差引", "other"), ("増減", "other"), ("差引（増減）", "other"), ("達成率", "other"), ("達成率（％）", "other"),
])
def test_kind_vocabulary(label, kind):
    assert label_kind(label) == kind


@pytest.mark.parametrize("label", ["事業費", "年度", "区分", "R６年度取組予定", "上記要素に係るR６年度取組実績",
                                   "予算・決算", "2014～2016年度", "R5～R6", "令和5年度と令和6年度"])
def test_labels_that_are_no_axis_label(label):
    assert parse_year_kind(label, errors="null") is None


def test_errors_policy_is_shared():
    with pytest.raises(NormalizeError, match="not a kind label: '事業費'"):
        label_kind("事業費")
    assert label_kind("事業費", errors="null") is None
    assert parse_year_kind(None) is None and label_kind("") is None
    assert parse_year_kind(5, errors="null") is None
    with pytest.raises(ValueError, match="errors must be"):
        parse_year_kind("R5", errors="ignore")
    with pytest.raises(ValueError, match="unknown era"):
        parse_year_kind("5年度", era="大化")


@pytest.mark.parametrize("label, unit, rest", [
    ("事業費（千円）", "千円", "事業費"),
    ("単位：人", "人", ""),
    ("単位（千円）", "千円", ""),
    ("単位 件", "件", ""),
    ("達成率（％）", "％", "達成率"),
    ("（４）事業費等(千円単位。千円未満は四捨五入)", "千円", "（４）事業費等(。千円未満は四捨五入)"),
    ("経費（一財）", None, "経費（一財）"),
    ("実施期間（令和5～9年度の間で設定）", None, "実施期間（令和5～9年度の間で設定）"),
])
def test_units_in_labels(label, unit, rest):
    assert unit_in(label) == unit
    assert split_unit(label) == (unit, rest)


# ------------------------------------------------------------------ properties

_ERA_YEARS = st.sampled_from([(name, initial, first) for name, initial, first in ERAS if first >= 1926])


@given(st.integers(min_value=1926, max_value=2060), st.sampled_from(sorted(KIND_WORDS)), st.booleans(),
       st.sampled_from(["", " ", "\u3000"]))
def test_any_era_form_with_any_kind_word_reads_back(year, word, full_width, space):
    name, n = to_era(year)
    initial = next(i for nm, i, _ in ERAS if nm == name)
    for written in (f"{name}{n}年度", f"{initial}{n}", f"{year}年度"):
        label = written + space + word
        if full_width:
            label = label.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
        got = parse_year_kind(label)
        assert got == YearKind(year, KIND_WORDS[word], to_halfwidth_ascii(written), word)


@given(_ERA_YEARS, st.integers(min_value=1, max_value=60), st.sampled_from(sorted(KIND_WORDS)))
def test_era_less_years_take_exactly_the_given_era(era, n, word):
    name, initial, first = era
    label = f"{n}年度{word}"
    assert parse_year_kind(label, era=name).fiscal_year == first + n - 1
    assert parse_year_kind(label, era=initial).fiscal_year == first + n - 1
    assert parse_year_kind(label, errors="null") is None


@given(st.text(alphabet="事業費区分内容年度合計予定取組上記要素係る", min_size=1, max_size=12))
def test_words_outside_the_vocabulary_are_never_a_kind(text):
    got = parse_year_kind(text, errors="null")
    assert got is None or got.kind is None or got.kind in KINDS
    if not any(w in text for w in KIND_WORDS):
        assert label_kind(text, errors="null") is None
