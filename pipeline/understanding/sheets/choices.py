"""Answers given by marking: a question, its printed options, which are marked.

Four printed forms are read here, by their marks and their geometry:

- **marks in the text** of one cell: ``■政策的… \\n□経常業務…`` or
  ``●拡充 ○現状維持 ○縮小``: each mark opens an option.  A cell is a
  choice when it mixes the marked and unmarked form of one family (●/○,
  ■/□, ☑/☐) or uses checkboxes only; ● or ○ alone down a cell are a
  bulleted list, not a choice;
- **a mark in its own cell** beside each option (``○ | ４質の高い教育…``):
  a narrow cell holding a mark or nothing, left of the option's cell, in
  a group of such pairs under one question (the label left of them that
  spans the most of their rows: sub-group labels between it and the marks,
  such as 「…」の視点, are structure of the question);
- **an answer row**: under a row of questions, a row of single short
  answers each opened by ``・`` (``・該当なし``): each is the one chosen
  option of the question printed over it (its group header first:
  ``効率性・経済性 (1)実施主体``);
- a **letter answer** (``A.順調に推移している``) or a **direction**
  (方向性 → 現状維持) beside its label: classified from a label → value
  pair by ``pair_to_choice``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median
from typing import Optional, Sequence

from normalizers.width import squash

from ...geometry import centre_in
from ...models import Cell, SheetChoice, SheetOption
from ...settings import Settings
from ...vocabulary import (
    ANSWER_BULLETS,
    CHECKBOX_MARKS,
    DIRECTION_WORDS,
    LETTER_ANSWER,
    MARK_FAMILIES,
    RING_MARKS,
    SELECTED_MARKS,
    UNSELECTED_MARKS,
)
from .cells import CellReading, figure_value, is_label_like, is_short_answer, label_text, pair_values
from .layout import GridLayout, covers_cols, covers_rows

Key = tuple[int, int]
_MARKS = SELECTED_MARKS + UNSELECTED_MARKS
# Every mark opens an option: the reader removes the layout spaces between
# options printed on one line (■拡充　□現状維持 reads ■拡充□現状維持).
_OPTION_START = re.compile(rf"(?P<mark>[{re.escape(_MARKS)}])")


def key(cell: Cell) -> Key:
    return (cell.row, cell.col)


# ---------------------------------------------------------------- marks in the text


@dataclass(frozen=True)
class InlineOptions:
    prefix: str  # text before the first mark (a question printed in the cell), may be ""
    options: tuple[tuple[str, bool], ...]
    form: str  # radio | checkbox


def inline_options(text: str) -> Optional[InlineOptions]:
    """The options a cell marks in its text, or None when its marks are bullets or absent."""
    starts = list(_OPTION_START.finditer(text))
    if not starts:
        return None
    marks = "".join(m.group("mark") for m in starts)
    families = [i for i, (on, off) in enumerate(MARK_FAMILIES) if any(ch in on + off for ch in marks)]
    if len(families) != 1:
        return None
    on, off = MARK_FAMILIES[families[0]]
    mixed = any(ch in on for ch in marks) and any(ch in off for ch in marks)
    checkboxes = all(ch in CHECKBOX_MARKS for ch in marks)
    if not (mixed or (checkboxes and len(starts) >= 2)):
        return None
    options = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        option = label_text(text[m.end():end]).strip(" \u3000・、,")
        if not option:
            return None  # a mark with nothing after it is not an option list
        options.append((option, m.group("mark") in on))
    form = "checkbox" if checkboxes else "radio"
    return InlineOptions(label_text(text[: starts[0].start()]).strip(" \u3000:："), tuple(options), form)


# ---------------------------------------------------------------- a ring drawn over an option

# Options printed in one cell are parted by these (拡充・現状維持・縮小).
_OPTION_SEPARATORS = re.compile(r"[・、,，/／\s\u3000|｜]+")


def circled_options(cell: Cell, chars: Sequence[dict], settings: Settings) -> Optional[tuple[tuple[str, bool], ...]]:
    """Options printed in a cell with a ring glyph drawn over one of them (◯ around 現状維持).

    The ring is a ring glyph at least ``Settings.sheet_ring_size_ratio`` times the size of
    the cell's text; the option circled is the one holding the glyphs whose
    centres lie inside the ring.  None when the cell has no such ring.
    """
    inside = [ch for ch in chars if centre_in(ch, cell.bbox)]
    text_sizes = [ch["size"] for ch in inside if ch["text"] not in RING_MARKS]
    if not text_sizes:
        return None
    typical = median(text_sizes)
    rings = [ch for ch in inside if ch["text"] in RING_MARKS and ch["size"] >= settings.sheet_ring_size_ratio * typical]
    if not rings:
        return None
    text = cell.text
    for ring in rings:
        text = text.replace(ring["text"], "", 1)
    options = [o for o in _OPTION_SEPARATORS.split(text) if o]
    if len(options) < 2:
        return None
    chosen = set()
    for ring in rings:
        circled = "".join(ch["text"] for ch in sorted(inside, key=lambda c: c["x0"])
                          if ch not in rings and centre_in(ch, ring))
        best = max(range(len(options)), key=lambda i: sum(1 for g in circled if g in options[i]))
        if circled and any(g in options[best] for g in circled):
            chosen.add(best)
    if not chosen:
        return None
    return tuple((o, i in chosen) for i, o in enumerate(options))


# ---------------------------------------------------------------- label → value pairs


def pair_to_choice(label: str, value_cell: Cell, page: int,
                   label_bbox: Optional[tuple[float, float, float, float]], settings: Settings,
                   chars: Sequence[dict] = ()) -> Optional[SheetChoice]:
    """A label → value pair that is an answer by marking, a letter answer or a direction."""
    text = value_cell.text.strip()
    circled = circled_options(value_cell, chars, settings) if chars else None
    if circled is not None:
        options = tuple(SheetOption(t, s, page, value_cell.bbox) for t, s in circled)
        return SheetChoice(label, options, "circled", page, label_bbox or value_cell.bbox)
    inline = inline_options(text)
    if inline is not None:
        question = " ".join(part for part in (label, inline.prefix) if part)
        options = tuple(SheetOption(t, s, page, value_cell.bbox) for t, s in inline.options)
        return SheetChoice(question, options, inline.form, page, label_bbox or value_cell.bbox)
    if not is_short_answer(text, settings) or figure_value(squash(text))[0] or pair_values(squash(text)) is not None:
        return None  # a figure is no answer chosen from a list
    answer = label_text(text)
    if LETTER_ANSWER.match(squash(answer)):
        return SheetChoice(label, (SheetOption(answer, True, page, value_cell.bbox),), "letter", page,
                           label_bbox or value_cell.bbox)
    if any(word in squash(label) for word in DIRECTION_WORDS):
        return SheetChoice(label, (SheetOption(answer, True, page, value_cell.bbox),), "direction", page,
                           label_bbox or value_cell.bbox)
    return None


# ---------------------------------------------------------------- marks in their own cells


def _mark_pairs(layout: GridLayout, readings: dict[Key, CellReading], free: set[Key],
                settings: Settings) -> list[tuple[Cell, Cell]]:
    pairs = []
    for cell in layout.cells:
        if key(cell) not in free or readings[key(cell)].kind not in ("mark", "empty"):
            continue
        right = layout.right_of(cell)
        if not right:
            continue
        option = right[0]
        if (key(option) not in free or option.col != cell.col + cell.colspan or option.row != cell.row
                or option.rowspan != cell.rowspan or readings[key(option)].kind not in ("text", "axis")
                or not is_short_answer(option.text, settings)):
            continue
        # A mark's cell is narrow beside its option: ikeda's SDG marks are
        # 18pt wide beside 124pt options; an empty value cell before the
        # next label is as wide as the values of its row (``Settings.sheet_mark_cell_ratio``).
        if (cell.bbox[2] - cell.bbox[0]) * settings.sheet_mark_cell_ratio > option.bbox[2] - option.bbox[0]:
            continue
        pairs.append((cell, option))
    return pairs


def mark_grid_choices(page: int, layout: GridLayout, readings: dict[Key, CellReading],
                      free: set[Key], settings: Settings) -> tuple[list[SheetChoice], set[Key]]:
    """Choices printed as a mark in a narrow cell left of each option; the cells they took."""
    pairs = _mark_pairs(layout, readings, free, settings)
    in_pairs = {key(c) for pair in pairs for c in pair}
    groups: dict[Optional[Key], list[tuple[Cell, Cell]]] = {}
    for mark, option in pairs:
        labels = [c for c in layout.left_of(mark) if key(c) in free and key(c) not in in_pairs
                  and readings[key(c)].kind in ("text", "axis")]
        question = max(labels, key=lambda c: (sum(covers_rows(c, m) for m, _ in pairs), -labels.index(c)), default=None)
        groups.setdefault(key(question) if question else None, []).append((mark, option))
    choices: list[SheetChoice] = []
    taken: set[Key] = set()
    for qkey, group in groups.items():
        if len(group) < 2 or not any(readings[key(m)].kind == "mark" for m, _ in group):
            continue
        question = next((c for c in layout.cells if key(c) == qkey), None) if qkey else None
        options = tuple(SheetOption(label_text(o.text), readings[key(m)].kind == "mark", page, o.bbox)
                        for m, o in sorted(group, key=lambda p: (p[1].col, p[1].row)))
        box = question.bbox if question else group[0][1].bbox
        choices.append(SheetChoice(label_text(question.text) if question else "", options, "grid", page, box))
        taken.update(key(c) for pair in group for c in pair)
        if question is not None:
            taken.add(qkey)  # type: ignore[arg-type]
            # Sub-group labels between the question and its marks are its structure.
            for mark, _ in group:
                for c in layout.left_of(mark):
                    if c is question:
                        break
                    if key(c) in free and key(c) not in in_pairs:
                        taken.add(key(c))
    return choices, taken


# ---------------------------------------------------------------- answer rows


def _answer(reading: CellReading, settings: Settings) -> bool:
    flat = reading.flat
    return reading.kind == "text" and flat[:1] in ANSWER_BULLETS and is_short_answer(reading.cell.text, settings)


def _question_over(layout: GridLayout, readings: dict[Key, CellReading], cell: Cell, free: set[Key],
                   settings: Settings) -> list[Cell]:
    """The label cells over ``cell`` that span it, top first (group header, then question)."""
    path: list[Cell] = []
    for level in layout.above_levels(cell):
        if len(level) != 1 or not covers_cols(level[0], cell) or key(level[0]) not in free:
            break
        head = level[0]
        if not is_label_like(readings[key(head)], settings) or layout.full_width(head):
            break
        path.append(head)
    return path[::-1]


def answer_row_choices(page: int, layout: GridLayout, readings: dict[Key, CellReading],
                       free: set[Key], settings: Settings) -> tuple[list[SheetChoice], set[Key], list[Cell]]:
    """Rows of ・answers under their questions: (choices, cells taken, headings among them)."""
    choices: list[SheetChoice] = []
    taken: set[Key] = set()
    headings: list[Cell] = []
    for row in range(layout.n_rows):
        cells = [c for c in layout.starting_in(row) if key(c) in free and readings[key(c)].kind != "empty"]
        answers = [c for c in cells if _answer(readings[key(c)], settings)]
        # Every cell of the row but a first one (the row's own label) is an answer.
        if len(answers) < 2 or len(answers) < len(cells) - 1:
            continue
        stub = [c for c in cells if c not in answers]
        if stub and stub[0].col > answers[0].col:
            continue
        found = []
        for cell in answers:
            path = _question_over(layout, readings, cell, free, settings)
            if not path:
                break
            found.append((cell, path))
        else:
            first = min(c.col for c in answers)
            top = min(c.row for _, path in found for c in path)
            # Labels left of the block spanning all its rows name the part of the
            # sheet it answers for (a numbered 細事業 repeating the same questions).
            groups = sorted((c for c in layout.cells if key(c) in free and c.col < first and c.row <= top
                             and c.row + c.rowspan > row and readings[key(c)].kind != "empty"), key=lambda c: c.col)
            for cell, path in found:
                question = " ".join(label_text(c.text) for c in groups + path)
                answer = label_text(cell.text).lstrip(ANSWER_BULLETS).strip()
                choices.append(SheetChoice(question, (SheetOption(answer, True, page, cell.bbox),), "answer", page,
                                           path[-1].bbox))
                taken.add(key(cell))
                taken.update(key(c) for c in path)
            taken.update(key(c) for c in groups)
            # The row's own label and its header are the block's structure.
            for c in layout.cells:
                if key(c) in free and key(c) not in taken and c.col < first and c.row + c.rowspan > top and c.row <= row:
                    if readings[key(c)].kind != "empty":
                        headings.append(c)
                    taken.add(key(c))
    return choices, taken, headings
