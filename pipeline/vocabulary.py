"""The form's own words and glyphs, defined once.

A 施策計画 report prints the same labels and marks on every page: the
header words, the ○ before a measure name, the bullets before items, the
【…】 block titles, 達成状況区分 before a rating.  Every stage that reads
them (locate, stitch, interpret, items, narrative, accounting, audit)
takes them from here, so a glyph added for one document is known to all.
Only words and glyphs live here, plus the small predicates that test a
line for them; typography and geometry belong to the stages.
"""

from __future__ import annotations

import re
from typing import Optional

# ---------------------------------------------------------------- table header

NAME_HEADER = "施策計画名"
CURRENT_HEADER = "現状"
TARGET_HEADER = "目標"
HEADER_WORDS = (NAME_HEADER, CURRENT_HEADER, TARGET_HEADER)

# ---------------------------------------------------------------- marks

# ○ before a measure name in the first column.
MEASURE_MARKS = "○◯〇"

# Glyphs that open an item (in a cell) or a bullet (in prose) and are not
# part of its text.  ``・`` and ``●`` are what these reports use; the others
# are what word processors offer in their bullet menus.
BULLETS = "●・○◯〇◎■□◆◇▪▫•◦"

# ※ opens a note: a new item, but the mark is part of what it says.
NOTE_MARK = "※"

# ①..⑳: sub-points, kept inside the item they belong to.
CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))

# "- item" with a hyphen-like dash and a space: a bullet typed by hand.
DASH_BULLET = re.compile(r"^[-－‐]\s+")

# A line that is one 【…】 block title.
BLOCK_TITLE = re.compile(r"^【(.+)】$")

# ---------------------------------------------------------------- result rows

RESULT_WORD = "実施結果"  # "<period> 実施結果" labels a measure's result row
RATING_WORD = "達成状況区分"
PROGRAM_WORD = "アクションプログラム"
REFERENCE = re.compile(r"[(（]参考[)）]")  # (参考)当初の目標に対する達成状況

# "アクションプログラム：NAME【達成状況区分：R】" across the whole table.
PROGRAM_ROW = re.compile(
    r"^(?:(?P<kind>[^：:【]*)[：:])?(?P<name>.+?)(?:【\s*達成状況区分\s*[：:]?\s*(?P<rating>[^】]+)】.*)?$"
)
# "達成状況区分 3*" inside a rating cell.
RATING_AFTER = re.compile(r"達成状況区分\s*[：:]?\s*([0-9０-９][\s*＊]*)")


def result_block_kind(title: str) -> str:
    """Which result block a 【…】 title opens: 【変更後の目標】 or 【環境等の変化・課題等】."""
    if "変更後" in title or TARGET_HEADER in title:
        return "revised_targets"
    return "changes"


# ---------------------------------------------------------------- prose

# "1 NAME【達成状況区分 3*】": a program heading of the prose pages.
PROGRAM_HEADING = re.compile(
    r"^([0-9０-９]{1,2})(?![0-9０-９])\s*(.+?)\s*(?:【\s*達成状況区分\s*[:：]?\s*([^】]*?)\s*】)?$"
)
HAS_RATING_BLOCK = re.compile(r"【\s*達成状況区分")

# Marks that open a sub-heading in other cities' reports as often as a
# bullet: the line's shape (a noun phrase above bullets, or a sentence)
# tells which.  ・ and ● only ever open items.
HEADING_MARKS = "■◆◇□○◯〇"

# How real reports number their sub-headings: 1 / (1) / ① / ア / (ア) /
# ■ ◆ ○ / 【…】.  Layout spaces are gone by the time a line is read, so a
# bare number or katakana is only a hint (「4大学…」 and 「ア育成…」 are
# wrapped lines); the stage weighs it against the sentence around it.
HEADING_NUMBER = re.compile(
    r"^(?:"
    r"[0-9０-９]{1,2}(?![0-9０-９,，.．%％])"  # 1 / 1. / 1、
    r"|[(（][0-9０-９]{1,2}[)）]"  # (1)
    r"|[\u2460-\u2473]"  # ①..⑳
    r"|[ア-ン](?![ァ-ヶー])"  # ア then no more katakana
    r"|[(（][ア-ン][)）]"  # (ア)
    r"|[" + HEADING_MARKS + r"]"
    r"|【[^】]+】$"
    r")"
)
PLAN_TITLE = re.compile(r"^プラン\s*(\d+)\s*(.*)$")


def prose_block(title_inner: str) -> Optional[str]:
    """Which prose section a 【…】 title opens: 主な実施結果 or 課題と…取組.

    The period named between 課題と and 取組 changes every plan cycle.
    """
    if title_inner.startswith("課題") and "取組" in title_inner:
        return "next_steps"
    if RESULT_WORD in title_inner:
        return "results"
    return None


# ---------------------------------------------------------------- form labels

# Labels the form prints around its data; they carry no value of their own
# (the character accounting counts them as form, not as leftovers).
FORM_LABELS = re.compile(
    PROGRAM_WORD + r"[：:]?"
    r"|【?\s*" + RATING_WORD + r"\s*[：:]?"
    r"|[(（]参考[)）]\D*?(?=" + RATING_WORD + r")"
    r"|" + RESULT_WORD +
    r"|】"
)

# ---------------------------------------------------------------- line predicates

_STARTS_ITEM = re.compile(rf"^([{re.escape(BULLETS + NOTE_MARK)}{CIRCLED}【]|[(（]参考[)）])")


def label_of(text: str) -> Optional[str]:
    """The LABEL of a line that is one bracketed label, ``(LABEL)``; else None.

    Brackets may nest (``(融資(仮称))``): the opening bracket must close at
    the very end of the line, so ``(仮称)センター(A)`` is not a label.
    """
    text = text.strip()
    if len(text) < 3 or text[0] not in "(（" or text[-1] not in ")）":
        return None
    depth = 0
    for i, c in enumerate(text):
        depth += 1 if c in "(（" else -1 if c in ")）" else 0
        if depth == 0 and i < len(text) - 1:
            return None
    if depth != 0:
        return None
    return text[1:-1].strip() or None


def starts_item(text: str) -> bool:
    """Does this line open an item: a bullet, ※, ①, 【, (参考) or a (LABEL) line?"""
    return bool(_STARTS_ITEM.match(text)) or label_of(text) is not None


def strip_bullet(line: str) -> tuple[str, bool]:
    """The line without its bullet glyph, and whether it had one."""
    line = line.strip()
    if line and line[0] in BULLETS:
        return line[1:].strip(), True
    m = DASH_BULLET.match(line)
    if m:
        return line[m.end():], True
    return line, False


def unbalanced(text: str) -> bool:
    """More opening than closing brackets: the line continues on the next one."""
    return text.count("(") + text.count("（") > text.count(")") + text.count("）")


# ---------------------------------------------------------------- 【変更後の目標】

# The verb (a サ変 noun, as unidic tags it) that ends a revision phrase, and
# what it does to the targets of the years the phrase names.  ``change``
# is resolved by the years: from one year to another is a move, within one
# year (…の目標を、以下の項目に変更) a replacement.  Gathered from the
# fixture and the wording of other cities' 実施結果 reports; a verb not
# listed makes the line a note with a warning, never a guess.
REVISION_VERBS = {
    "削除": "remove", "廃止": "remove", "中止": "remove", "取りやめ": "remove", "取り止め": "remove",
    "追加": "add", "策定": "add", "新設": "add", "設定": "add", "新規設定": "add",
    "変更": "change", "見直し": "change", "修正": "change",
    "延期": "move", "前倒し": "move", "繰り延べ": "move", "繰越し": "move", "繰越": "move", "移行": "move",
    "統合": "replace", "置き換え": "replace",
}
# Words that point at the lines after the phrase: 以下の項目 / 次の目標 / 下記.
LIST_WORDS = ("以下", "次", "下記")
# A phrase talks about targets: "平成22年度の目標に…", "…の項目を追加".
TARGET_WORDS = ("目標", "項目")


# ---------------------------------------------------------------- 達成状況区分 legend

# What a rating means when the document prints no legend.  This is the
# wording of the 5-step scale of Kawasaki's 実行計画 reports as this
# project understands it, not read from the fixture (which prints none):
# the data dictionary states it as an assumption, the ``rating_label_source``
# column says where each label came from, and ``--rating-legend FILE``
# replaces it.
DEFAULT_RATING_LEGEND: tuple[tuple[int, str], ...] = (
    (1, "目標を大きく上回って達成"),
    (2, "目標を達成"),
    (3, "目標をほぼ達成"),
    (4, "目標を下回った"),
    (5, "目標を大きく下回った"),
)
# One legend entry as printed: "1：目標を達成", "２．目標を…", "(3) …", "③ …".
LEGEND_ENTRY = re.compile(r"^\s*[(（]?(?P<value>[1-9１-９])[)）]?\s*[：:．.、)）]\s*(?P<label>\S.*?)\s*$")
CIRCLED_LEGEND_ENTRY = re.compile(r"^\s*(?P<mark>[①-⑨])\s*(?P<label>\S.*?)\s*$")


# ---------------------------------------------------------------- evaluation sheets
#
# The words and marks of evaluation sheets (事務事業評価シート, 事業評価書 …)
# that the sheet model reads by (``understanding.sheets``).  The kinds of
# figures (目標, 実績, 予算, 決算 …) are normalizers.kinds.KIND_WORDS, the
# units normalizers.units: both are read by normalisers usable alone.

# Marks that answer a question: each family has its marked and unmarked form.
# A cell mixing both forms of one family, or using checkboxes only, is a
# choice; ● or ○ alone down a cell are bullets of a list.
MARK_FAMILIES: tuple[tuple[str, str], ...] = (
    ("●◉", "○◯〇"),  # radio buttons
    ("■", "□"),  # checkboxes as squares
    ("☑☒✓✔", "☐"),  # checkboxes as boxes, ticks
)
SELECTED_MARKS = "".join(marked for marked, _ in MARK_FAMILIES)
UNSELECTED_MARKS = "".join(unmarked for _, unmarked in MARK_FAMILIES)
CHECKBOX_MARKS = "■□☑☒☐"
# A ring glyph drawn over an option (far larger than the text) circles it.
RING_MARKS = "◯○〇"
# A mark alone in a cell beside or under an option says it is chosen.
GRID_MARKS = "○◯〇●◉✓✔☑■"

# A letter answer printed with its place on the scale: A.順調に推移している, Ｂ：横ばい.
LETTER_ANSWER = re.compile(r"^[A-EＡ-Ｅa-eａ-ｅ]\s*[.．、:：)）]\s*\S")

# Labels whose value is chosen from a printed list (拡充 / 現状維持 / 縮小 / 廃止 …).
DIRECTION_WORDS = ("方向性", "今後の方向", "事業の方向")

# A selection answer printed under its question (・該当なし): the bullet before
# one short answer, in a row of such answers.
ANSWER_BULLETS = "・"

# The label that heads a unit column or precedes a unit.
UNIT_WORD = "単位"

# A cell printing only one of these holds no figure (a nil mark, not a value).
NIL_MARKS = frozenset({"-", "－", "―", "—", "‐", "ー", "─", "…", "／", "/", "＊", "*", "×"})

# The label of a sheet's own name: 事業名, 事務事業名, 施策名, 事業の名称 (also
# printed with a year: 令和６年度事業名, 事業名（令和６年度）).  A 細事業 (a
# sub-program listed inside the sheet) is not the sheet's name.
TITLE_WORDS = ("事業名", "施策名", "事業の名称", "施策の名称")
SUB_PROGRAM_WORD = "細事業"
# The sheet's own number, and its department.
NUMBER_LABELS = ("No", "NO", "no", "番号", "整理番号", "事業番号", "評価書番号", "シート番号")
DEPARTMENT_WORDS = ("所管", "担当", "主管")
# "No. 1" printed in a title line outside the tables.
NUMBER_IN_LINE = re.compile(r"(?<![A-Za-zＡ-Ｚａ-ｚ])(?P<label>[NＮ][OoＯｏ]\s*[.．]?)\s*(?P<value>[0-9０-９]+)\s*$")
