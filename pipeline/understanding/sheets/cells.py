"""What one cell of a sheet holds, read from its text alone.

Every later step asks the same few questions of a cell: is it empty, a
figure (``1,234``, ``▲ 39``, ``３``, ``43/100``), a nil mark (―), a lone
mark (○, ■), an axis label (a fiscal year and/or a kind), or other text.
They are answered here once (``CellReading``), with the normalisers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from normalizers.kinds import YearKind, parse_year_kind
from normalizers.numbers import parse_number
from normalizers.width import squash, to_halfwidth_ascii

from ...models import Cell
from ...settings import Settings
from ...vocabulary import ANSWER_BULLETS, BULLETS, GRID_MARKS, NIL_MARKS

# A figure as a value cell prints it: a number with separators, a sign
# (△ ▲ -), a decimal point, an optional % or a short counter after it.
_FIGURE = re.compile(r"^[△▲▽\-−－+]?\s*(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:[.．]\d+)?$")
_FRACTION = re.compile(r"^\d+\s*/\s*\d+$")
# Two figures, the second in brackets: 663,000（0） is 経費 and, in brackets, 一財.
_PAIR = re.compile(r"^(?P<a>[△▲\-]?[\d,，.．]+)\s*[（(]\s*(?P<b>[△▲\-]?[\d,，.．]+)\s*[)）]$")
_PERCENT = "%％"


@dataclass(frozen=True)
class CellReading:
    """One cell and what its text is."""

    cell: Cell
    flat: str  # the text without whitespace
    kind: str  # empty | nil | figure | pair | mark | axis | text
    number: Optional[float] = None  # a figure's value (None for a fraction)
    axis: Optional[YearKind] = None  # an axis label's year and kind

    @property
    def is_value_like(self) -> bool:
        """A cell a row or column of figures may hold: walks across the body pass over it."""
        return self.kind in ("empty", "nil", "figure", "pair", "mark")

    @property
    def text(self) -> str:
        return self.cell.text


def figure_value(flat: str) -> tuple[bool, Optional[float]]:
    """(is it a figure, its number): ``▲39`` -> (True, -39); ``43/100`` -> (True, None)."""
    folded = to_halfwidth_ascii(flat, katakana=False) or ""
    body = folded.rstrip(_PERCENT)
    if _FRACTION.match(body):
        return True, None
    if not _FIGURE.match(body):
        return False, None
    value = parse_number(body, errors="null")
    if value is None:
        return False, None
    return True, value


def pair_values(flat: str) -> Optional[tuple[float, float]]:
    """``663,000（0）`` -> (663000, 0): a figure and a second one in brackets."""
    m = _PAIR.match(to_halfwidth_ascii(flat, katakana=False) or "")
    if not m:
        return None
    a, b = parse_number(m.group("a"), errors="null"), parse_number(m.group("b"), errors="null")
    if a is None or b is None:
        return None
    return a, b


def read_cell(cell: Cell, era: Optional[str]) -> CellReading:
    flat = squash(cell.text)
    if not flat:
        return CellReading(cell, flat, "empty")
    if flat in NIL_MARKS or set(flat) <= NIL_MARKS:
        return CellReading(cell, flat, "nil")
    if len(flat) == 1 and flat in GRID_MARKS:
        return CellReading(cell, flat, "mark")
    is_figure, number = figure_value(flat)
    if is_figure:
        return CellReading(cell, flat, "figure", number)
    if pair_values(flat) is not None:
        return CellReading(cell, flat, "pair")
    axis = parse_year_kind(label_text(cell.text), era=era, errors="null")
    if axis is not None:
        return CellReading(cell, flat, "axis", axis=axis)
    return CellReading(cell, flat, "text")


# ---------------------------------------------------------------- labels


def label_text(text: str) -> str:
    """A label as one line: wrapped lines joined, a ※ note line left out.

    Labels wrap in narrow cells and vertical labels put one glyph per line
    (事\\n業\\n概\\n要): neither line break is part of the label.  A note
    under a label (※１つ以上に○, ※該当する場合のみ) says how to fill the
    form in and is not part of its name.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    kept = [line for line in lines if not line.startswith("※")] or lines
    return "".join(kept)


def value_text(text: str) -> str:
    """A field's value as printed: lines kept, surrounding space gone."""
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def is_label_like(reading: CellReading, settings: Settings) -> bool:
    """Could this cell be the label of a value beside or under it?

    A label is words: not a figure, not a mark, not a sentence (。), not
    a bulleted item, and short.  Evidence: the longest labels of the
    family sheets are 27 characters (上記要素に係るR６年度取組予定,
    R6年度における「その他」財源の主な内容 with its note left out);
    values run to hundreds of characters (``Settings.sheet_max_label_chars``).
    """
    if reading.kind not in ("text", "axis"):
        return False
    label = squash(label_text(reading.cell.text))
    if not label or len(label) > settings.sheet_max_label_chars:
        return False
    if label[0] in BULLETS or label[0] in ANSWER_BULLETS:
        return False
    return not label.endswith("。")


def is_short_answer(text: str, settings: Settings) -> bool:
    """One short line: what a choice's option or a counter label prints."""
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) == 1 and len(squash(lines[0])) <= settings.sheet_max_label_chars
