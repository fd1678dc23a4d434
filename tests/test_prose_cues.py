"""Prose pages without any typographic cue: headings, bullets and wraps told
apart as a reader tells them (issue 13).

Every page is drawn by reportlab in one non-embedded CID font, one size, at
one indent and one line pitch, with no space between paragraphs, so only
punctuation, morphology, line length and what follows can decide.
"""

from __future__ import annotations

import pytest
from helpers import page_views
from synth import flush_sentence, make_plain_prose

from pipeline.settings import DEFAULT
from pipeline.understanding.prose.cues import LineCues, cues_to_reading, is_noun_phrase
from pipeline.understanding.prose.narrative import pages_to_narrative

WIDTH = 40  # glyphs per line
PROGRAM = "1計画名【達成状況区分3】"
RESULTS = "【主な実施結果】"
NEXT = "【課題と第3期実行計画における取組】"


def _read(tmp_path, paragraphs, name="prose.pdf"):
    path = tmp_path / name
    make_plain_prose(path, paragraphs, width_em=WIDTH)
    return pages_to_narrative(page_views(path), settings=DEFAULT)


def _results(narrative):
    """[(heading, [bullet, ...]), ...] of the results section, in order."""
    out = []
    for it in narrative.items:
        if it.section != "results":
            continue
        if not out or out[-1][0] != it.heading:
            out.append((it.heading, []))
        out[-1][1].append(it.text)
    return out


def _flush(head, lines=2):
    """A bullet whose last line ends exactly at the right margin."""
    return flush_sentence("・" + head, lines, WIDTH)


def test_flush_bullet_before_a_same_face_heading_is_not_glued(tmp_path):
    a1 = _flush("港湾物流拠点については、")
    b1 = _flush("京浜港共同ビジョンを策定し、", 3)
    b2 = "・千鳥町再整備事業の調整会議を開催しました。"
    c1 = _flush("起業化総合支援として、")
    narrative = _read(tmp_path, [
        PROGRAM, RESULTS,
        "港湾物流機能の強化", a1,
        "港湾物流機能の充実", b1, b2,
        "起業・創業環境の整備", c1,
        NEXT, "・次の取組を進めます。",
    ])
    assert len(narrative.programs) == 1
    assert _results(narrative) == [
        ("港湾物流機能の強化", [a1[1:]]),
        ("港湾物流機能の充実", [b1[1:], b2[1:]]),
        ("起業・創業環境の整備", [c1[1:]]),
    ]
    assert [it.text for it in narrative.items if it.section == "next_steps"] == ["次の取組を進めます。"]
    assert all(it.text.endswith("。") for it in narrative.items)


def test_heading_wrapped_over_two_lines_is_one_heading(tmp_path):
    long_heading = "環境・エネルギー・ライフサイエンス分野の先端産業の創出と集積に向けた先端産業創出支援制度と関連する施策の一体的な活用"
    assert len(long_heading) > WIDTH
    a1 = _flush("港湾物流拠点については、")
    b1 = "・先端産業の企業誘致を展開しました。"
    narrative = _read(tmp_path, [PROGRAM, RESULTS, "港湾物流機能の強化", a1, long_heading, b1, NEXT, "・次です。"])
    assert _results(narrative) == [("港湾物流機能の強化", [a1[1:]]), (long_heading, [b1[1:]])]


def test_a_glyph_alone_on_its_line_is_one_bullet(tmp_path):
    lone = "・\n相談窓口を開設し、創業の支援を行いました。"
    after = _flush("セミナーについては、")
    narrative = _read(tmp_path, [PROGRAM, RESULTS, "起業・創業環境の整備", lone, after, "港湾物流機能の強化",
                                 "・公募を行いました。", NEXT, "・次です。"])
    assert _results(narrative) == [
        ("起業・創業環境の整備", ["相談窓口を開設し、創業の支援を行いました。", after[1:]]),
        ("港湾物流機能の強化", ["公募を行いました。"]),
    ]


def test_circled_sub_points_stay_in_their_bullet(tmp_path):
    # ② opens a wrapped line mid-sentence, and ①/② open lines of their own.
    first = ("・次の二点を行いました。①市内の中小企業を対象とした経営セミナーを開催し地域の商店街と連携して")[:WIDTH]
    assert len(first) == WIDTH and not first.endswith("。")
    inline = first + "②相談会を実施しました。"
    own_lines = "・次の二点を行いました。\n①セミナーを開催しました。\n②相談会を実施しました。"
    narrative = _read(tmp_path, [PROGRAM, RESULTS, "起業・創業環境の整備", inline, own_lines,
                                 "港湾物流機能の強化", "・公募を行いました。", NEXT, "・次です。"])
    assert _results(narrative) == [
        ("起業・創業環境の整備", [inline[1:], own_lines[1:].replace("\n", "")]),
        ("港湾物流機能の強化", ["公募を行いました。"]),
    ]


SCHEMES = {
    "1": ["1", "2", "3"],
    "(1)": ["(1)", "(2)", "(3)"],
    "①": ["①", "②", "③"],
    "ア": ["ア", "イ", "ウ"],
    "(ア)": ["(ア)", "(イ)", "(ウ)"],
    "■": ["■", "■", "■"],
    "◆": ["◆", "◆", "◆"],
    "○": ["○", "○", "○"],
    "【…】": ["【", "【", "【"],
}
NAMES = ["港湾物流機能の充実", "起業・創業環境の整備", "都市農業の振興"]


def _heading(mark, name):
    return f"【{name}】" if mark == "【" else mark + name


def _printed(mark, name):
    """The heading as a researcher quotes it: decorative marks go, numbers stay."""
    return name if mark in "■◆○" else _heading(mark, name)


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_numbered_headings_each_keep_their_bullets(tmp_path, scheme):
    marks = SCHEMES[scheme]
    bullets = [
        [_flush("港湾物流拠点については、")],
        ["・起業家塾の支援を行いました。", _flush("新産業創造支援として、")],
        [_flush("農業技術支援センターでは、", 3)],
    ]
    paragraphs = [PROGRAM, RESULTS]
    for mark, name, items in zip(marks, NAMES, bullets):
        paragraphs += [_heading(mark, name)] + items
    paragraphs += [NEXT, "・次の取組を進めます。"]
    narrative = _read(tmp_path, paragraphs)
    assert _results(narrative) == [
        (_printed(mark, name), [b[1:] for b in items]) for mark, name, items in zip(marks, NAMES, bullets)
    ]


def test_fixtures_like_layout_reads_without_warnings(tmp_path):
    narrative = _read(tmp_path, [PROGRAM, RESULTS, "港湾物流機能の強化", _flush("港湾物流拠点については、"),
                                 "港湾物流機能の充実", "・公募を行いました。", NEXT, "・次です。"])
    assert narrative.warnings == ()


# ------------------------------------------------------------ the decision itself


def _cues(**on):
    base = {f: False for f in LineCues.__dataclass_fields__}
    base.update(glyph=None, open_kind="bullet")
    base.update(on)
    return LineCues(**base)


def test_a_full_line_without_a_stop_is_never_cut_and_says_so():
    # A bullet glyph and a change of face would open a bullet, but the line
    # above is mid-sentence: the sentence stays whole and a warning says why.
    reading = cues_to_reading(_cues(glyph="・", above_wraps=True, typeface_change=True, wide_gap=True))
    assert reading.kind == "continuation"
    assert reading.override


def test_a_noun_phrase_between_a_flush_sentence_and_a_bullet_is_a_heading():
    reading = cues_to_reading(_cues(above_stop_flush=True, noun_phrase=True, bullet_below=True))
    assert reading.kind == "heading" and reading.override is None


def test_a_sentence_after_a_flush_stop_continues_its_bullet():
    assert cues_to_reading(_cues(above_stop_flush=True, run_stop=True)).kind == "continuation"


def test_noun_phrases():
    assert is_noun_phrase("港湾物流機能の充実")
    assert is_noun_phrase("「川崎国際環境技術展」の開催")
    assert not is_noun_phrase("検討を行いました。")
    assert not is_noun_phrase("連携課題の検討を行い")


# ------------------------------------------------------------ producers


def _reading(narrative):
    programs = [(p.no, p.name, p.rating) for p in narrative.programs]
    items = [(it.program_no, it.section, it.heading, it.item_no, it.text) for it in narrative.items]
    return programs, items


def test_a_browser_printed_page_reads_as_the_same_page_drawn_by_reportlab(tmp_path):
    """tests/fixtures/browser-prose.pdf is BROWSER_PROSE printed by headless
    chromium (make_browser_prose.py: one font, size and indent throughout,
    the font from a pip wheel); here reportlab draws the same paragraphs."""
    from conftest import FIXTURES
    from synth import BROWSER_PROSE, BROWSER_PROSE_WIDTH

    path = tmp_path / "reportlab.pdf"
    make_plain_prose(path, BROWSER_PROSE, width_em=BROWSER_PROSE_WIDTH)
    drawn = pages_to_narrative(page_views(path), settings=DEFAULT)
    printed = pages_to_narrative(page_views(FIXTURES / "browser-prose.pdf"), settings=DEFAULT)
    assert _reading(printed) == _reading(drawn)
    headings = [h for h, _ in _results(printed)]
    assert headings == [p for p in BROWSER_PROSE if not p.startswith(("・", "【", "1計画名"))]
    bullets = [b for _, bs in _results(printed) for b in bs]
    assert bullets == [p[1:] for p in BROWSER_PROSE[:BROWSER_PROSE.index("【課題と第3期実行計画における取組】")]
                       if p.startswith("・")]
    assert printed.warnings == drawn.warnings == ()


def test_the_sample_reads_alike_from_a_word_processor_a_spreadsheet_and_a_browser():
    """plan6-browser-prose.pdf is the sample's prose printed by headless chromium
    (make_browser_prose.py): one font, one size, no indent, its own line breaks
    and page breaks, no page furniture but the first title."""
    from conftest import FIXTURES

    def prose(name):
        return pages_to_narrative([v for v in page_views(FIXTURES / name) if not v.table_bboxes], settings=DEFAULT)

    word, sheet, browser = (prose(n) for n in ("plan6.pdf", "plan6-excel.pdf", "plan6-browser-prose.pdf"))
    assert _reading(browser) == _reading(word) == _reading(sheet)
    assert len(_reading(browser)[1]) == 49
    assert browser.warnings == word.warnings == ()


def test_a_sentence_cut_by_a_glyph_is_kept_whole_with_a_warning(tmp_path):
    # 「協議・調整」 broken at the dot, with no hanging indent to tell: the
    # line above is full and ended no sentence, so the sentence goes on.
    first = "・関係機関との連携を強化するため、地域の企業や大学、国の研究機関や県の部局と協議"
    assert len(first) == WIDTH and not first.endswith("。")
    narrative = _read(tmp_path, [PROGRAM, RESULTS, "港湾物流機能の強化", first + "・調整を行いました。", NEXT, "・次です。"])
    assert _results(narrative) == [("港湾物流機能の強化", [first[1:] + "・調整を行いました。"])]
    (warning,) = narrative.warnings
    assert "page 1 line 5" in warning and "cut the sentence" in warning


def test_prose_warnings_survive_merging_plan_sections():
    """Document.warnings (the run report) takes the narrative's warnings from
    merge_sections; with several sections none may be dropped."""
    from pipeline.models import Narrative, Plan
    from pipeline.understanding.sections import merge_sections

    plan = Plan(None, None, (), ())
    parts = [(plan, Narrative((), (), ("prose page 1 line 4: a",))), (plan, Narrative((), (), ("prose page 3 line 2: b",)))]
    assert merge_sections(parts)[1].warnings == ("prose page 1 line 4: a", "prose page 3 line 2: b")
    assert merge_sections(parts[:1])[1].warnings == ("prose page 1 line 4: a",)
