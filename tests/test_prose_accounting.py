"""Nothing lost on prose pages: every character ends in a narrative field, is
explained (marks, block titles, running heads), or is a ``leftovers`` row (issue 25)."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import FIXTURES, PDFS, extracted
from helpers import page_views
from synth import flush_sentence, make_plain_prose

from pipeline.models import Narrative
from pipeline.settings import DEFAULT
from pipeline.understanding.accounting import PROSE_CATEGORIES, account, account_prose
from pipeline.understanding.document import OUTSIDE_SECTIONS, with_unread_prose
from pipeline.understanding.prose.narrative import UNUSED_HEADING, pages_to_narrative

WIDTH = 40
PROGRAM = "1計画名【達成状況区分3】"
RESULTS = "【主な実施結果】"
NEXT = "【課題と第3期実行計画における取組】"


def _bullet(head: str) -> str:
    """A bullet three full lines long: the page's right edge is where its lines end."""
    return flush_sentence(head, 3, WIDTH, tail="を行いました。")


def _prose(tmp_path, paragraphs, name="prose.pdf"):
    path = tmp_path / name
    make_plain_prose(path, paragraphs, width_em=WIDTH)
    return page_views(path)


def _check_sums(summary):
    assert sum(summary[k] for k in PROSE_CATEGORIES) == summary["prose_chars"]


@pytest.mark.parametrize("name", PDFS)
def test_the_sample_loses_no_prose_character(name):
    doc, _ = extracted(name)
    result = account(doc)
    s = result.summary
    assert result.rows == () and s["prose_leftover"] == 0
    _check_sums(s)
    # The word-processor, spreadsheet and quirks copies print the same prose:
    # the same characters reach a field; the rest are marks, block titles and
    # running heads (the quirks copy repeats more of them).
    assert s["prose_fields"] == 6456 and s["prose_running"] > 0
    prose_pages = {line.page for line in doc.narrative.lines}
    assert prose_pages == {p for p in range(1, doc.page_count + 1) if p not in {g.page for g in doc.grids}}


@pytest.mark.parametrize("name", ["plan6-browser-prose.pdf", "browser-prose.pdf"])
def test_browser_printed_prose_loses_no_character(name):
    views = page_views(FIXTURES / name)
    narrative = pages_to_narrative(views, settings=DEFAULT)
    summary, rows = account_prose("doc", narrative.lines, {i for i in _outputs(narrative)})
    assert rows == [] and summary["prose_leftover"] == 0
    _check_sums(summary)
    # Every line of every page is accounted, once.
    assert sorted((ln.page, ln.bbox[1]) for ln in narrative.lines) == sorted(
        (v.number, round(line.top, 2)) for v in views for line in v.lines)


def _outputs(narrative):
    from normalizers.width import field_text, squash

    return {squash(field_text(t)) for it in narrative.items for t in (it.text, it.heading) if t}


def _short(head: str) -> str:
    """A bullet whose sentence ends three glyphs short of the margin."""
    return _bullet(head)[:-3] + "ました。"


# A heading the width of the column but for a word that did not fit: a browser
# breaks before the Latin word (KAWASAKI, about 4em wide at 0.5em a letter) or
# before an opening bracket with the glyph after it, leaving 2em or 1em of
# room that a glyph-by-glyph measure takes for a paragraph's end.
TWO_LINE_HEADINGS = {
    "latin": ("環境・エネルギー・ライフサイエンス分野の先端産業の創出と集積に向けた新産業の", "KAWASAKIイノベーションパークの整備"),
    "bracket": ("環境・エネルギー・ライフサイエンス分野の先端産業の創出と集積に向けた新川崎地区", "「創造のもり」の整備"),
}


@pytest.mark.parametrize("kind", sorted(TWO_LINE_HEADINGS))
@pytest.mark.parametrize("before", [_bullet, _short], ids=["flush", "short"])
def test_a_two_line_heading_is_kept_whole(tmp_path, kind, before):
    """Its first line went into the bullet above (after a flush sentence) or was
    taken over by the second line read as a heading of its own (after a short
    one): in no output field either way."""
    first, second = TWO_LINE_HEADINGS[kind]
    assert WIDTH - len(first) == {"latin": 2, "bracket": 1}[kind]
    above = before("・京浜港については、")
    views = _prose(tmp_path, [
        PROGRAM, RESULTS, "港湾物流機能の強化", before("・港湾物流拠点については、"), above,
        first + "\n" + second, _bullet("・先端産業創出支援制度については、"), NEXT, _bullet("・次の取組については、"),
    ])
    narrative = pages_to_narrative(views, settings=DEFAULT)
    results = [(it.heading, it.text) for it in narrative.items if it.section == "results"]
    assert [h for h, _ in results] == ["港湾物流機能の強化", "港湾物流機能の強化", first + second]
    assert results[1][1] == above[1:]  # nothing glued onto the bullet above
    assert narrative.warnings == ()
    summary, rows = account_prose("doc", narrative.lines, _outputs(narrative))
    assert rows == [] and summary["prose_leftover"] == 0
    # Both lines of the heading are accounted to it, and its box holds both.
    (box,) = {it.heading_bbox for it in narrative.items if it.heading == first + second}
    lines = [ln for ln in narrative.lines if ln.role == "heading" and ln.fields == (first + second,)]
    assert [ln.text for ln in lines] == [first, second]
    assert box[1] == lines[0].bbox[1] and box[3] == lines[1].bbox[3]


def test_two_headings_in_a_row_are_one_heading_with_a_warning(tmp_path):
    """Where no cue tells the second line for a wrap (the first ends far short of
    the margin), a heading with no item under it is never followed by another
    unnumbered one: the second is the rest of it, and the run report says so."""
    first, second = "ライフサイエンス分野の先端産業の創出と集積に向けた", "KAWASAKIイノベーションパークの整備"
    views = _prose(tmp_path, [
        PROGRAM, RESULTS, "港湾物流機能の強化", _short("・港湾物流拠点については、"),
        first + "\n" + second, _bullet("・先端産業創出支援制度については、"), NEXT, _bullet("・次の取組については、"),
    ])
    narrative = pages_to_narrative(views, settings=DEFAULT)
    assert [it.heading for it in narrative.items if it.section == "results"] == ["港湾物流機能の強化", first + second]
    (note,) = narrative.warnings
    assert note.startswith(f"prose page 1: read {second!r} as the rest of the sub-heading above it")
    summary, rows = account_prose("doc", narrative.lines, _outputs(narrative))
    assert rows == [] and summary["prose_leftover"] == 0


def test_a_heading_without_items_is_a_leftover_where_it_is_printed(tmp_path):
    """A heading followed by a numbered heading is a heading of its own: with no
    item under it, it reaches no field and is listed with its page and box."""
    views = _prose(tmp_path, [
        PROGRAM, RESULTS, "産業の振興", "(1)起業・創業環境の整備", _bullet("・起業支援については、"),
        NEXT, _bullet("・次の取組については、"),
    ])
    narrative = pages_to_narrative(views, settings=DEFAULT)
    assert [it.heading for it in narrative.items if it.section == "results"] == ["(1)起業・創業環境の整備"]
    summary, rows = account_prose("doc", narrative.lines, _outputs(narrative))
    (row,) = rows
    assert (row["text"], row["reason"], row["page"]) == ("産業の振興", UNUSED_HEADING, 1)
    (line,) = [ln for ln in views[0].lines if ln.text == "産業の振興"]
    assert (row["x0"], row["top"], row["x1"], row["bottom"]) == tuple(round(v, 2) for v in (line.x0, line.top, line.x1, line.bottom))
    assert summary["prose_leftover"] == len("産業の振興")
    _check_sums(summary)


def test_a_lost_narrative_item_is_listed_line_by_line():
    doc, _ = extracted("plan6.pdf")
    lost = doc.narrative.items[0]
    damaged = dataclasses.replace(doc, narrative=dataclasses.replace(doc.narrative, items=doc.narrative.items[1:]))
    result = account(damaged)
    # The item was its sub-heading's only one: the heading went with it.
    assert [it.heading for it in doc.narrative.items].count(lost.heading) == 1
    heading, *item = result.rows
    assert (heading["text"], heading["reason"]) == (lost.heading, "prose heading line: not in the output field it was read into")
    assert (heading["x0"], heading["top"], heading["x1"], heading["bottom"]) == lost.heading_bbox
    assert "".join(r["text"] for r in item) == lost.text.replace(" ", "")
    assert {r["reason"] for r in item} == {"prose item line: not in the output field it was read into"}
    # The item's rows lie inside its paragraph box, on its page.
    x0, top, x1, bottom = lost.bbox
    assert all(r["page"] == lost.page and x0 <= r["x0"] and r["x1"] <= x1 and top <= r["top"] and r["bottom"] <= bottom
               for r in item)
    assert result.summary["prose_leftover"] == len(lost.heading) + len(lost.text.replace(" ", ""))


def test_prose_pages_of_no_section_are_left_over_line_by_line(tmp_path):
    """A back cover or an appendix after the tables holds no program heading: no
    narrative reads it, and its lines are listed, not dropped."""
    views = _prose(tmp_path, ["お問い合わせ先", "川崎市総務企画局", "電話044-200-2111"], name="cover.pdf")
    narrative = with_unread_prose(Narrative((), ()), views)
    summary, rows = account_prose("doc", narrative.lines)
    assert [(r["text"], r["reason"]) for r in rows] == [
        (t, OUTSIDE_SECTIONS) for t in ("お問い合わせ先", "川崎市総務企画局", "電話044-200-2111")]
    assert summary["prose_leftover"] == len("お問い合わせ先川崎市総務企画局電話044-200-2111")
    assert summary["prose_running"] == len("-1-")  # the page number is explained as such
    _check_sums(summary)
