"""The prose pages of the three plan6 fixtures against plan6.truth.json."""

import json
import re
from pathlib import Path

import pytest
from helpers import page_views

from normalizers.ratings import format_rating
from pipeline.models import Line, PageView, Rating
from pipeline.settings import DEFAULT
from pipeline.understanding.prose.narrative import (
    lines_to_plan_title,
    pages_to_narrative,
    pages_to_running_lines,
)

FIXTURES = Path(__file__).parent / "fixtures"
PDFS = ["plan6.pdf", "plan6-excel.pdf", "plan6-quirks.pdf"]
TRUTH = json.loads((FIXTURES / "plan6.truth.json").read_text(encoding="utf-8"))


def _squash(text):
    return re.sub(r"\s+", "", text or "")


def _prose_views(path):
    """Page views before the first 施策計画 page, as the caller passes them."""
    views = []
    for view in page_views(path):
        if "施策計画名" in _squash("".join(line.text for line in view.lines)):
            break
        views.append(view)
    return views


@pytest.fixture(scope="module", params=PDFS)
def doc(request):
    views = _prose_views(FIXTURES / request.param)
    return request.param, views, pages_to_narrative(views, settings=DEFAULT)


def _as_truth(narrative):
    """The narrative in plan6.truth.json's shape, texts without whitespace."""
    out = []
    for program in narrative.programs:
        mine = [it for it in narrative.items if it.program_no == program.no]
        results = []
        for it in mine:
            if it.section != "results":
                continue
            if not results or results[-1]["heading"] != _squash(it.heading):
                results.append({"heading": _squash(it.heading), "bullets": []})
            results[-1]["bullets"].append(_squash(it.text))
        rating = program.rating
        out.append({
            "no": program.no,
            "program": _squash(program.name),
            "rating": format_rating(rating.value, rating.revised) if rating else None,
            "results": results,
            "next_steps": [_squash(it.text) for it in mine if it.section == "next_steps"],
        })
    return out


def _truth_squashed():
    return [
        {
            "no": p["no"],
            "program": _squash(p["program"]),
            "rating": p["rating"],
            "results": [
                {"heading": _squash(r["heading"]), "bullets": [_squash(b) for b in r["bullets"]]}
                for r in p["results"]
            ],
            "next_steps": [_squash(s) for s in p["next_steps"]],
        }
        for p in TRUTH["narrative"]
    ]


def test_narrative_matches_truth(doc):
    _, _, narrative = doc
    got, want = _as_truth(narrative), _truth_squashed()
    # Per program first, so a failure names the program that differs.
    for g, w in zip(got, want):
        assert g == w, f"program {w['no']}"
    assert got == want


def test_counts(doc):
    _, _, narrative = doc
    results = [it for it in narrative.items if it.section == "results"]
    assert len(narrative.programs) == 4
    assert len({(it.program_no, it.heading) for it in results}) == 12
    assert len(results) == 33
    assert sum(it.section == "next_steps" for it in narrative.items) == 16


def test_item_numbers_restart_per_heading(doc):
    _, _, narrative = doc
    seen = {}
    for it in narrative.items:
        key = (it.program_no, it.section, it.heading)
        seen[key] = seen.get(key, 0) + 1
        assert it.item_no == seen[key], it
        assert it.program == narrative.programs[it.program_no - 1].name


def test_ratings_keep_revised_mark_and_raw_as_printed(doc):
    name, _, narrative = doc
    assert [(p.rating.value, p.rating.revised) for p in narrative.programs] == [
        (3, True), (3, True), (3, True), (3, False)
    ]
    # plan6-quirks prints program 2's mark full-width.
    raw2 = "3＊" if name == "plan6-quirks.pdf" else "3*"
    assert narrative.programs[1].rating.raw == raw2


def test_running_headers_and_footers_are_not_content(doc):
    _, views, narrative = doc
    # In every fixture the first line of a page is its running header and
    # the last its page number (checked on the rendered pages).
    margin = {(v.number, v.lines[0]) for v in views} | {(v.number, v.lines[-1]) for v in views}
    assert pages_to_running_lines(views, settings=DEFAULT) == margin
    texts = [it.text for it in narrative.items] + [it.heading or "" for it in narrative.items]
    for _, line in margin:
        assert not any(line.text in t for t in texts), line.text
    assert not any(re.search(r"-\s*\d+\s*-", t) for t in texts)


# Where items start, read off the rendered pages; an item continued over a
# page break belongs to the page it starts on.
PAGE_SPOTS = {
    "plan6.pdf": {
        "NPO法人産業・環境リエゾンセンター": 1,  # runs on to page 2
        "神奈川県と連携して": 2,
        "かわさき新産業創造センター": 3,
        "コミュニティビジネス支援融資については、NPO": 4,
    },
    "plan6-excel.pdf": {
        "神奈川県と連携して": 2,
        "かわさき新産業創造センター": 2,
        "先端産業創出支援制度（イノベート川崎）等": 3,
        "明治大学黒川新農場": 4,
    },
    "plan6-quirks.pdf": {
        "科学技術サロンや知的財産戦略": 2,
        "コミュニティビジネスの振興のため": 2,  # runs on to page 3
        "平成20年度策定した商業振興ビジョン": 3,  # runs on to page 4
        "明治大学黒川新農場": 5,
        "このほか、緊急雇用創出事業": 5,  # printed without its bullet
    },
}
PROGRAM_PAGES = {
    "plan6.pdf": [1, 1, 1, 4],
    "plan6-excel.pdf": [1, 1, 1, 4],
    "plan6-quirks.pdf": [1, 1, 2, 5],
}


def test_item_pages_are_where_they_start(doc):
    name, _, narrative = doc
    for start, page in PAGE_SPOTS[name].items():
        hits = [it for it in narrative.items if it.text.startswith(start)]
        assert len(hits) == 1, start
        assert hits[0].page == page, start
    assert [p.page for p in narrative.programs] == PROGRAM_PAGES[name]


def test_full_width_digits_come_out_half_width(doc):
    _, _, narrative = doc
    texts = "".join(it.text for it in narrative.items)
    assert not re.search("[０-９]", texts)
    assert "約10,000人" in texts


def test_plan_title(doc):
    _, views, _ = doc
    assert lines_to_plan_title(views[0].lines) == (6, "川崎の活力を生み出す産業イノベーション")


# ------------------------------------------------------------ synthetic layouts

RIGHT = 530.0
BODY, HEAD = "Mincho", "Gothic"


def _line(text, x0, top, *, full=True, font=BODY, size=10.5):
    x1 = RIGHT if full else x0 + size * len(text)
    return Line(text=text, x0=x0, top=top, x1=x1, bottom=top + size, size=size, font=font)


def _view(number, lines):
    return PageView(number=number, width=595.0, height=842.0, chars=(), lines=tuple(lines))


def _page_of(lines, number=1, header="第2期実行計画", footer=None):
    top = [_line(header, 60, 25, full=False, size=7.5)]
    bottom = [_line(footer or f"- {number} -", 290, 810, full=False, size=9)]
    return _view(number, top + lines + bottom)


def test_flush_continuation_lines_in_one_typeface():
    """A writer without hanging indents or a bold heading face: wraps are told
    from sub-headings by where the line above ended."""
    x = 62.0
    page1 = _page_of([
        _line("１ 計画名【達成状況区分 ２＊】", x, 80, full=False, size=12),
        _line("【主な実施結果】", x, 100, full=False),
        _line("見出しがとても長いので二行に", x, 115),
        _line("わたります", x, 128, full=False),
        _line("・一つ目の箇条は長くて", x, 141),
        _line("続きます。", x, 154, full=False),
        _line("短い見出し", x, 167, full=False),
        _line("・二つ目の箇条は", x, 180),
    ])
    page2 = _page_of([
        _line("ページをまたぎます。", x, 70, full=False),
        _line("【課題と第4期実行計画における取組】", x, 90, full=False),
        _line("・次の一手です。", x, 105, full=False),
    ], number=2)
    narrative = pages_to_narrative([page1, page2], settings=DEFAULT)
    (program,) = narrative.programs
    assert (program.no, program.name, program.rating) == (1, "計画名", Rating(2, True, "２＊"))
    got = [(it.section, it.heading, it.item_no, it.text, it.page) for it in narrative.items]
    assert got == [
        ("results", "見出しがとても長いので二行にわたります", 1, "一つ目の箇条は長くて続きます。", 1),
        ("results", "短い見出し", 1, "二つ目の箇条はページをまたぎます。", 1),
        ("next_steps", None, 1, "次の一手です。", 2),
    ]


def test_page_number_alone_is_running_on_a_single_page():
    page = _page_of([_line("1 計画名【達成状況区分 3】", 62, 80, full=False, size=12)])
    assert {line.text for _, line in pages_to_running_lines([page], settings=DEFAULT)} == {"- 1 -"}


def test_plan_title_tolerates_spaces_and_full_width_digits():
    assert lines_to_plan_title([_line("プラン　１２　まちづくり", 62, 70)]) == (12, "まちづくり")
    assert lines_to_plan_title([_line("アクションプログラム", 62, 70)]) == (None, None)
