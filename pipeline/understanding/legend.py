"""The 達成状況区分 legend, when the document prints one.

Reports that print the scale put it under a line naming 達成状況区分,
one value per line (``1：目標を大きく上回って達成`` …).  Only a run of at
least three consecutive values starting at 1 counts as a legend: a lone
"1：…" line is an ordinary numbered sentence.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..vocabulary import CIRCLED_LEGEND_ENTRY, LEGEND_ENTRY, RATING_WORD

# Three steps is the shortest rating scale in use (○△×); two numbered
# lines after a 達成状況区分 heading are too weak a sign of a legend.
MIN_LEGEND_ENTRIES = 3


def _entry(line: str) -> tuple[int, str] | None:
    m = LEGEND_ENTRY.match(line)
    if m:
        return int(m.group("value").translate(str.maketrans("１２３４５６７８９", "123456789"))), m.group("label")
    m = CIRCLED_LEGEND_ENTRY.match(line)
    if m:
        return ord(m.group("mark")) - 0x2460 + 1, m.group("label")
    return None


def lines_to_legend(lines: Iterable[str]) -> tuple[tuple[int, str], ...]:
    """The first printed legend (value, label) in ``lines``, or ``()``."""
    lines = list(lines)
    for i, line in enumerate(lines):
        if RATING_WORD not in line:
            continue
        entries: list[tuple[int, str]] = []
        for following in lines[i + 1:]:
            entry = _entry(following)
            if entry is None or entry[0] != len(entries) + 1:
                break
            entries.append(entry)
        if len(entries) >= MIN_LEGEND_ENTRIES:
            return tuple(entries)
    return ()


def text_to_configured_legend(text: str) -> tuple[tuple[int, str], ...]:
    """A legend a user writes in a file, one ``VALUE：LABEL`` line each.

    The same entry forms as a printed legend (``1：…``, ``(2) …``, ``③ …``);
    blank lines and ``#`` comments are skipped.  Raises ValueError naming
    the first line that is not an entry, or when a value repeats.
    """
    entries: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = _entry(line)
        if entry is None:
            raise ValueError(f"line {number} is not 'VALUE：LABEL' (e.g. '1：目標を達成'): {line.strip()[:40]!r}")
        if entry[0] in entries:
            raise ValueError(f"line {number} gives rating {entry[0]} a second label")
        entries[entry[0]] = entry[1]
    if not entries:
        raise ValueError("holds no 'VALUE：LABEL' line")
    return tuple(sorted(entries.items()))
