from hypothesis import given
from hypothesis import strategies as st

from normalizers.lookalikes import unlookalike


def test_kangxi_and_supplement_radicals_read_as_their_ideographs():
    assert unlookalike("⼈⺠の⽣活") == "人民の生活"


def test_compatibility_ideographs_read_as_their_unified_form():
    # U+F900 (CJK COMPATIBILITY IDEOGRAPH-F900) is the unified U+8C48 豈.
    assert unlookalike("\uf900") == "\u8c48"


def test_circled_numbers_full_width_brackets_and_kana_are_untouched():
    text = "①（平成20）ｱ＊㎡ー"
    assert unlookalike(text) == text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)).filter(
    lambda c: not (0x2E80 <= ord(c) <= 0x2FDF or 0xF900 <= ord(c) <= 0xFAFF or 0x2F800 <= ord(c) <= 0x2FA1F))))
def test_text_outside_the_lookalike_blocks_is_never_changed(text):
    assert unlookalike(text) == text


@given(st.text(alphabet=st.characters(min_codepoint=0x2F00, max_codepoint=0x2FD5)))
def test_every_kangxi_radical_becomes_a_unified_ideograph(text):
    assert all(0x4E00 <= ord(c) <= 0x9FFF for c in unlookalike(text))


def test_a_page_view_carries_the_ideograph_not_the_radical():
    from pipeline.reading.page import page_to_view
    from pipeline.settings import DEFAULT

    chars = [{"text": t, "x0": 10.0 * i, "x1": 10.0 * i + 9, "top": 10.0, "bottom": 19.0, "size": 9.0,
              "fontname": "F", "upright": True, "non_stroking_color": (0.0,)} for i, t in enumerate("⼈⺠①")]
    view = page_to_view(1, 100, 100, chars, [], settings=DEFAULT)
    assert "".join(ch["text"] for ch in view.chars) == "人民①"


def test_kangxi_radicals_of_characters_with_a_japanese_form_read_in_that_form():
    # A Japanese font draws ⿊ as 黒; Chromium's ToUnicode names that glyph ⿊ (黒川 → ⿊川).
    assert unlookalike("⿊川の⿈色い⿒と⾭") == "黒川の黄色い歯と青"
    assert unlookalike("⿓") == "龍"
