import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers import NormalizeError, parse_number

FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@pytest.mark.parametrize("raw, expected", [
    ("242", 242),
    ("10,000", 10000),
    ("88.9", 88.9),
    ("１１", 11),
    ("△10.7", -10.7),
    ("▲3", -3),
    ("－3", -3),
    ("-3", -3),
    ("二十一", 21),
    ("三百", 300),
    ("二〇一九", 2019),
    ("1万2千", 12000),
    ("3.5万", 35000.0),
    ("1.1万", 11000.0),
    ("12億", 1_200_000_000),
    ("千", 1000),
])
def test_parse_number_reads_printed_forms(raw, expected):
    got = parse_number(raw)
    assert got == expected
    assert type(got) is type(expected)


def test_parse_number_is_float_only_with_a_decimal_point():
    assert isinstance(parse_number("10"), int)
    assert isinstance(parse_number("10.0"), float)


@pytest.mark.parametrize("bad", ["abc", "1,00", "12三", "十百", "△", "1.2.3"])
def test_parse_number_rejects_garbage_naming_it(bad):
    with pytest.raises(NormalizeError, match=rf"not a number: '{bad}'"):
        parse_number(bad)


def test_parse_number_null_mode():
    assert parse_number("abc", errors="null") is None
    assert parse_number(None) is None
    assert parse_number("") is None


@given(st.integers(min_value=-10**9, max_value=10**9), st.booleans(), st.booleans())
def test_formatted_integers_parse_back(n, fullwidth, triangle):
    body = f"{abs(n):,}"
    if fullwidth:
        body = body.translate(FULLWIDTH)
    sign = ("△" if triangle else "-") if n < 0 else ""
    assert parse_number(sign + body) == n


@given(st.integers(min_value=-10**7, max_value=10**7), st.integers(min_value=1, max_value=3))
def test_formatted_decimals_parse_back(cents, places):
    value = cents / 10**places
    text = f"{abs(value):,.{places}f}"
    sign = "△" if value < 0 else ""
    assert parse_number(sign + text) == pytest.approx(value)
