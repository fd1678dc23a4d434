"""【変更後の目標】 read into structured changes: the fixture's revisions exactly,
and phrasings the fixture does not use, on PDFs drawn here."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from synth import Measure, Program, SubRow, Target, build_table_pdf, plan_grid, year_labels

from pipeline.orchestration.extract import extract_document
from pipeline.publishing.records import document_to_records
from pipeline.understanding.revisions import Phrase, Unreadable, read_phrase

# What the fixture's 【変更後の目標】 blocks say, read by a person from the
# printed text (not from sesaku's output): (measure_no, action, from, to,
# item text, the printed target it names or rewrites as (row_no, first_year,
# item_no)).
FIXTURE_CHANGES = [
    (1, "note", None, None, "研修生受入は、当面、", None),
    (1, "note", None, None, "起業家等アジア人材を育成支援する", None),
    (1, "remove", 2009, None, "新規拠点形成のシンポジウム開催", (1, 2009, 3)),
    (4, "add", None, 2010, "第3期事業の実施に向けた基本計画の策定します。", None),
    (6, "move", 2009, 2010, "「工業用水道事業の中長期展望」及び「工業用水道事業の再構築計画」の改訂します。", (2, 2009, 1)),
    (7, "add", None, 2009, "長寿命化計画の策定", None),
    (7, "add", None, 2010, "長寿命化計画の策定", None),
    (7, "add", None, 2009, "京浜三港(川崎・東京・横浜港)の連携強化の推進", None),
    (7, "add", None, 2010, "京浜三港(川崎・東京・横浜港)の連携強化の推進", None),
    (8, "replace", 2010, 2010, "新たな融資制度の創出に向けた関係機関との調整と、市内定着を図るための支援(平成22年度)", (5, 2010, 1)),
    (12, "note", None, None, "早野地区の活性化に向けた地元との協議・調整", None),
]


def _changes(path):
    rows = document_to_records(extract_document(path))["target_changes"]
    return rows


@pytest.mark.parametrize("name", ["plan6", "plan6-excel", "plan6-quirks"])
def test_the_fixture_revisions_are_read_as_the_city_wrote_them(name):
    rows = _changes(FIXTURES / f"{name}.pdf")
    got = [
        (r["measure_no"], r["action"], r["from_year"], r["to_year"], r["text"],
         None if r["target_row_no"] is None else (r["target_row_no"], r["target_first_year"], r["target_item_no"]))
        for r in rows
    ]
    assert len(got) == len(FIXTURE_CHANGES)
    for g, want in zip(got, FIXTURE_CHANGES):
        assert g[:4] == want[:4]
        assert g[4].startswith(want[4]) if want[1] == "note" else g[4] == want[4]
        assert g[5] == want[5]
    actions = [r["action"] for r in rows]
    assert actions.count("remove") == 1 and actions.count("move") == 1 and actions.count("replace") == 1
    assert actions.count("note") == 3
    # Two items added to two years each: one change, four rows.
    added = [r for r in rows if r["measure_no"] == 7]
    assert {(r["item_no"], r["year_no"]) for r in added} == {(1, 1), (1, 2), (2, 1), (2, 2)}
    assert all(r["phrase"] == "平成21、22年度の目標として、以下の項目を策定" for r in added)


@pytest.mark.parametrize(
    "line, action, sources, destinations, quoted",
    [
        ("令和2年度の目標を令和3年度に延期", "move", (2020,), (2021,), ()),
        ("2011年度の「中間評価の実施」を2010年度に前倒し", "move", (2011,), (2010,), ("中間評価の実施",)),
        ("R2～R3年度の目標に次の項目を追加します。", "add", (), (2020, 2021), ()),
        ("平成21～22年度の目標から「説明会の開催」を削除します。", "remove", (2009, 2010), (), ("説明会の開催",)),
        ("平成２３年度の目標を、以下の項目に見直し", "replace", (2011,), (2011,), ()),
        ("「基本構想の策定」を平成22年度の目標に追加", "add", (), (2010,), ("基本構想の策定",)),
        ("2009(平成21)年度の「施設の改修」を廃止", "remove", (2009,), (), ("施設の改修",)),
    ],
)
def test_revision_phrases_the_fixture_does_not_use(line, action, sources, destinations, quoted):
    phrase = read_phrase(line)
    assert isinstance(phrase, Phrase)
    assert (phrase.action, phrase.sources, phrase.destinations, phrase.quoted) == (action, sources, destinations, quoted)


def test_policy_text_with_no_year_is_not_a_revision():
    assert read_phrase("市内企業のビジネスチャンスの拡大を図ります。") is None
    # A year inside a sentence that revises nothing is policy text too.
    assert read_phrase("平成22年度には施設の利用者が増加しました。") is None


def test_a_revision_this_reader_cannot_resolve_is_said_not_guessed():
    unclear = read_phrase("平成22年度の目標を延期")  # postponed to when?
    assert isinstance(unclear, Unreadable)
    assert "come from" in unclear.reason
    assert isinstance(read_phrase("平成22年度の目標を再検討"), Unreadable)


def _plan(revised):
    return [
        Program("産業の振興", "3*", [
            Measure("起業の支援", "起業を支援します。", rating="3*", reference_rating="2",
                    outcomes=["説明会を3回開催しました。"],
                    rows=[SubRow(["相談窓口の設置"], [Target(0, ["相談窓口の運営"]), Target(1, ["説明会の開催", "事例集の作成"]),
                                                   Target(2, ["中間評価の実施"]), Target(3, ["制度の拡充"])])],
                    revised_targets=revised),
        ]),
    ]


def test_revisions_in_reiwa_and_western_years_on_a_drawn_report(tmp_path):
    pdf = tmp_path / "reiwa.pdf"
    revised = [
        "令和2年度の目標から、「説明会の開催」を削除",
        "2021年度の「中間評価の実施」を2020年度に前倒し",
        "事業の周知に努めます。",
        "令和4年度の目標を延期",
        "R3～R4年度の目標に次の項目を追加",
        "利用者アンケートの実施",
    ]
    build_table_pdf(pdf, plan_grid(year_labels(2019, 4), _plan(revised)))
    doc = extract_document(pdf)
    rows = document_to_records(doc)["target_changes"]
    got = [(r["change_no"], r["action"], r["from_year"], r["to_year"], r["text"],
            r["target_row_no"], r["target_first_year"], r["target_item_no"]) for r in rows]
    assert got == [
        (1, "remove", 2020, None, "説明会の開催", 1, 2020, 1),
        (2, "move", 2021, 2020, "中間評価の実施", 1, 2021, 1),
        (3, "note", None, None, "事業の周知に努めます。", None, None, None),
        (4, "note", None, None, "令和4年度の目標を延期", None, None, None),
        (5, "add", None, 2021, "利用者アンケートの実施", None, None, None),
        (5, "add", None, 2022, "利用者アンケートの実施", None, None, None),
    ]
    assert any("令和4年度の目標を延期" in w and "kept as a note" in w for w in doc.warnings)
