"""The form's glyphs, defined once, mean the same in every stage that reads them."""

from __future__ import annotations

import pytest

from pipeline.models import Fragment, Line
from pipeline.settings import DEFAULT
from pipeline.understanding.prose.narrative import content_to_layout, content_to_paragraphs, paragraph_to_text
from pipeline.understanding.table.celltext import lines_to_text
from pipeline.understanding.table.items import fragments_to_items
from pipeline.vocabulary import BULLETS, CIRCLED, starts_item, strip_bullet

RIGHT = 200.0


def _line(text: str, top: float, x1: float = RIGHT, x0: float = 10.0) -> Line:
    return Line(text=text, x0=x0, top=top, x1=x1, bottom=top + 8, size=8.0, font="IPAexMincho")


@pytest.mark.parametrize("glyph", list(BULLETS))
def test_every_bullet_starts_a_new_item_after_a_full_line(glyph):
    # The first item fills its line, so only the glyph can say that a new item starts.
    lines = [_line(f"{glyph}相談窓口の設置と運営を行い、企業の", 0), _line(f"{glyph}セミナーの開催", 10, x1=80)]
    text = lines_to_text(lines, 8.0, RIGHT + 2, settings=DEFAULT)
    assert text == f"{glyph}相談窓口の設置と運営を行い、企業の\n{glyph}セミナーの開催"


def test_a_middle_dot_wrapped_inside_a_filled_circle_list_continues_the_word():
    # 協議・調整 broken at the dot: the ・ opens the wrapped line, not an item.
    lines = [_line("●関係機関との協議", 0), _line("・調整を行う", 10, x1=80)]
    assert lines_to_text(lines, 8.0, RIGHT + 2, settings=DEFAULT) == "●関係機関との協議・調整を行う"


@pytest.mark.parametrize("glyph", list(BULLETS))
def test_no_bullet_survives_in_item_text(glyph):
    items = fragments_to_items([Fragment(5, f"{glyph}相談窓口の設置\n{glyph}セミナーの開催", (0, 0, 1, 1))])
    assert [i.text for i in items] == ["相談窓口の設置", "セミナーの開催"]


@pytest.mark.parametrize("glyph", list(BULLETS))
def test_every_bullet_opens_a_prose_bullet(glyph):
    content = [(1, _line("【主な実施結果】", 0, x1=80)), (1, _line(f"{glyph}説明会を開催しました。", 12, x1=120)),
               (1, _line(f"{glyph}相談を受けました。", 24, x1=110))]
    paragraphs = content_to_paragraphs(content, content_to_layout(content, settings=DEFAULT))
    bullets = [p for p in paragraphs if p.kind == "bullet"]
    assert [paragraph_to_text(p) for p in bullets] == ["説明会を開催しました。", "相談を受けました。"]


def test_circled_numbers_start_a_line_but_stay_in_their_item():
    assert all(starts_item(c + "調査") for c in CIRCLED)
    items = fragments_to_items([Fragment(5, "●調査の実施\n①市場調査\n②需要調査", (0, 0, 1, 1))])
    assert [i.text for i in items] == ["調査の実施①市場調査②需要調査"]


def test_a_note_mark_starts_an_item_and_stays_in_its_text():
    assert starts_item("※注記") and strip_bullet("※注記") == ("※注記", False)


def test_a_hyphen_bullet_needs_a_space():
    assert strip_bullet("- 相談") == ("相談", True)
    assert strip_bullet("-5%") == ("-5%", False)
