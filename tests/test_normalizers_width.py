import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers import NormalizeError, remove_layout_spaces, to_halfwidth_ascii

KANA_KANJI = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x3041, max_codepoint=0x3096),  # hiragana
        st.characters(min_codepoint=0x30A1, max_codepoint=0x30FA),  # katakana
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # kanji
    ),
)
ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF9F),
        st.characters(min_codepoint=0x3000, max_codepoint=0x30FF),
        st.sampled_from("漢字川崎①㎡△ \u3000\u00a0\n"),
    ),
)


def test_fullwidth_letters_digits_and_symbols_become_ascii():
    assert to_halfwidth_ascii("ＡＢＣ１２３（）＊％") == "ABC123()*%"


def test_symbols_false_keeps_printed_brackets_and_asterisk():
    assert to_halfwidth_ascii("（ＫＩＳ）３＊", symbols=False) == "（KIS）3＊"


def test_halfwidth_katakana_becomes_fullwidth_with_voicing_merged():
    assert to_halfwidth_ascii("ｶﾞｲﾄﾞ") == "ガイド"


def test_katakana_false_preserves_length():
    s = "ｶﾞ１２"
    assert to_halfwidth_ascii(s, katakana=False) == "ｶﾞ12"


@pytest.mark.parametrize("s", ["①", "㎡", "△", "「」", "、。", "※"])
def test_non_ascii_symbols_are_untouched(s):
    assert to_halfwidth_ascii(s) == s


def test_fullwidth_minus_becomes_hyphen_not_long_vowel():
    assert to_halfwidth_ascii("－5") == "-5"


@pytest.mark.parametrize("empty", [None, ""])
def test_width_passes_empty_through(empty):
    assert to_halfwidth_ascii(empty) is None
    assert remove_layout_spaces(empty) is None


def test_width_rejects_non_string_naming_it():
    with pytest.raises(NormalizeError, match=r"text is not a string: 12"):
        to_halfwidth_ascii(12)
    assert to_halfwidth_ascii(12, errors="null") is None


def test_unknown_errors_mode_is_rejected():
    with pytest.raises(ValueError, match="errors must be 'raise' or 'null', not 'ignore'"):
        to_halfwidth_ascii("a", errors="ignore")


@given(ANY_TEXT)
def test_halfwidth_is_idempotent(s):
    once = to_halfwidth_ascii(s)
    assert to_halfwidth_ascii(once) == once


@given(KANA_KANJI)
def test_halfwidth_leaves_kana_and_kanji_unchanged(s):
    assert to_halfwidth_ascii(s) == (s or None)


@pytest.mark.parametrize("raw, expected", [
    ("平 成 2 0 年 度", "平成20年度"),
    ("目\u3000標", "目標"),
    ("川崎\u00a0市", "川崎市"),
    ("2008 (平成 20) 年度", "2008(平成20)年度"),
    ("K 2 タウン", "K2タウン"),
    ("Science   Park", "Science Park"),
    ("フォーラム in KAWASAKIを開催", "フォーラム in KAWASAKIを開催"),
    ("NPO 法人", "NPO法人"),
    ("  先頭\n  次の行  ", "先頭\n次の行"),
])
def test_layout_spaces_removed_between_cjk_but_kept_between_latin_words(raw, expected):
    assert remove_layout_spaces(raw) == expected


@given(ANY_TEXT)
def test_remove_layout_spaces_is_idempotent(s):
    once = remove_layout_spaces(s)
    assert remove_layout_spaces(once) == once


@given(KANA_KANJI)
def test_remove_layout_spaces_leaves_unspaced_kana_kanji_unchanged(s):
    assert remove_layout_spaces(s) == (s or None)


def test_whitespace_only_text_becomes_none():
    assert remove_layout_spaces(" \u3000 ") is None
