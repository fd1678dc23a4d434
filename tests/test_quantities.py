import json
from pathlib import Path

import pytest

from pipeline.models import Quantity
from pipeline.understanding.quantities import find_quantities

FIXTURES = Path(__file__).parent / "fixtures"


def _truth_texts(truth):
    """(where, text) for every text that may hold a quantity, in document order."""
    for n in truth["narrative"]:
        where = f"narrative/{n['no']}"
        for block in n["results"]:
            for bullet in block["bullets"]:
                yield where, bullet
        for step in n["next_steps"]:
            yield where, step
    for program in truth["programs"]:
        for m in program["measures"]:
            base = f"measure/{m['name']}"
            yield f"{base}/description", m["description"]
            for row in m["rows"]:
                for item in row["current"]:
                    yield f"{base}/current", item
                for cell in row["targets"]:  # each cell once, however many years it spans
                    for item in cell["items"]:
                        yield f"{base}/targets", item
            result = m["result"]
            for key in ("outcomes", "changes", "revised_targets"):
                for item in result[key]:
                    yield f"{base}/outcomes", item


def test_plan6_quantities_match_golden_list_exactly():
    truth = json.loads((FIXTURES / "plan6.truth.json").read_text(encoding="utf-8"))
    expected = json.loads((FIXTURES / "plan6.quantities.json").read_text(encoding="utf-8"))
    got = [
        {"where": where, "text": q.text, "value": q.value, "unit": q.unit, "approx": q.approx}
        for where, text in _truth_texts(truth)
        for q in find_quantities(text)
    ]
    assert got == expected


def test_approx_prefix_is_part_of_the_span():
    assert find_quantities("毎年約10,000人の来場者") == [
        Quantity(text="約10,000人", value=10000.0, unit="人", approx=True,
                      qualifier=None, start=2, end=10)]


def test_approx_suffix_teido_is_part_of_the_span():
    [q] = find_quantities("毎回30人程度が集まる")
    assert (q.text, q.value, q.unit, q.approx) == ("30人程度", 30.0, "人", True)


@pytest.mark.parametrize("text, span, qualifier", [
    ("100人以上が参加", "100人以上", "以上"),
    ("50件超の相談", "50件超", "超"),
    ("10社未満", "10社未満", "未満"),
    ("100余人", "100余人", "余"),
])
def test_qualifiers_after_the_counter(text, span, qualifier):
    [q] = find_quantities(text)
    assert (q.text, q.qualifier, q.approx) == (span, qualifier, False)


def test_fullwidth_digits_keep_printed_text_and_offsets():
    [q] = find_quantities("企業１５社が")
    assert (q.text, q.value, q.unit, q.start, q.end) == ("１５社", 15.0, "社", 2, 5)


@pytest.mark.parametrize("text, span, value", [
    ("改定率△10.7%", "△10.7%", -10.7),
    ("▲3％の減", "▲3％", -3.0),
    ("－5%", "－5%", -5.0),
])
def test_triangle_and_minus_signs_are_negative(text, span, value):
    [q] = find_quantities(text)
    assert (q.text, q.value, q.unit) == (span, value, "%")


def test_units_taken_by_regex():
    assert [(q.text, q.unit) for q in find_quantities("約10haの用地と18,413㎡と3.5万人")] == [
        ("約10ha", "ha"), ("18,413㎡", "㎡"), ("3.5万人", "人")]


def test_compound_counter_is_taken_whole():
    [q] = find_quantities("取扱金融機関を4金融機関にする")
    assert (q.text, q.unit) == ("4金融機関", "金融機関")


def test_count_then_count_in_one_phrase():
    assert [q.text for q in find_quantities("10区画中8区画に進出")] == ["10区画", "8区画"]


@pytest.mark.parametrize("text", [
    "平成21年8月から",
    "2009年から開催",
    "2012年度",
    "平成22年4月1日から適用",
    "100年に一度の不況",
    "2年目から",
    "平成21、22年度の目標",
])
def test_dates_years_and_durations_in_years_are_not_quantities(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize("text", ["第2期計画", "第3回定例会", "第1次分譲", "第1回は"])
def test_ordinals_are_not_quantities(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize("text", [
    "K2タウンキャンパス",
    "CO2の削減",
    "殿町3丁目地区",
    "京浜3港が連携",
    "4大学コンソーシアム",
    "3周年シンポジウム",
    "3Dプリンタ",
    "1対1の関係",
    "シンポジウム2009が開催",
])
def test_numbers_inside_names_are_not_quantities(text):
    assert find_quantities(text) == []


def test_ordinal_and_count_in_same_sentence():
    assert [q.text for q in find_quantities("年3回開催のうち第1回は講演")] == ["3回"]


def test_empty_text_has_no_quantities():
    assert find_quantities("") == []
    assert find_quantities(None) == []
