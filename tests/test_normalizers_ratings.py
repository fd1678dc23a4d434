import re

import pytest

from normalizers import NormalizeError, Rating, format_rating, parse_rating


@pytest.mark.parametrize("raw, value, revised", [
    ("3", 3, False),
    ("3*", 3, True),
    ("3＊", 3, True),
    ("３＊", 3, True),
    ("3 *", 3, True),
    (" 2 ", 2, False),
])
def test_parse_rating_accepts_printed_variants(raw, value, revised):
    assert parse_rating(raw) == Rating(value=value, revised=revised, raw=raw)


@pytest.mark.parametrize("bad", ["33", "3**", "*3", "a", "三", "3.0", "0", "6"])
def test_parse_rating_rejects_other_text_naming_it(bad):
    with pytest.raises(NormalizeError, match=rf"rating.*: {re.escape(repr(bad))}$"):
        parse_rating(bad)


def test_parse_rating_null_mode_returns_none():
    assert parse_rating("x", errors="null") is None


@pytest.mark.parametrize("empty", [None, ""])
def test_parse_rating_passes_empty_through(empty):
    assert parse_rating(empty) is None


def test_format_rating_writes_canonical_form():
    assert format_rating(3, True) == "3*"
    assert format_rating(2) == "2"


def test_format_then_parse_round_trips():
    for value in range(1, 6):
        for revised in (False, True):
            r = parse_rating(format_rating(value, revised))
            assert (r.value, r.revised) == (value, revised)


def test_format_rating_rejects_out_of_scale_value():
    with pytest.raises(ValueError, match=r"rating outside 1..5: 9"):
        format_rating(9)
