"""Cell text to items: bullets split, sub-points kept, page breaks healed.

A cell holds several items, one per bullet (``●``, ``・``); circled
sub-points (``①②``) belong to the item above them; a line without a
bullet (``事業推進``, ``(LABEL)``, a lead sentence) is an item of its own.
A fragment continued on the next page carries on the item it broke off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from normalizers.width import field_text as clean_text

from ...models import Fragment, Item
from ...vocabulary import BLOCK_TITLE, CIRCLED, result_block_kind, strip_bullet


def _lines(fragments: Sequence[Fragment]) -> Iterable[tuple[int, int, Fragment, str]]:
    """(fragment index, line number, fragment, line) for every non-blank line."""
    for index, fragment in enumerate(fragments):
        for line_no, line in enumerate(fragment.text.split("\n")):
            if line.strip():
                yield index, line_no, fragment, line.strip()


def lines_to_items(lines: Iterable[tuple[int, int, Fragment, str]]) -> list[Item]:
    items: list[list] = []  # [text, fragment the item starts in]
    for index, line_no, fragment, line in lines:
        text, bulleted = strip_bullet(line)
        if not text:
            continue
        carries_on = items and not bulleted and (
            text[0] in CIRCLED or (line_no == 0 and index > 0)
        )
        if carries_on:
            items[-1][0] += text
        else:
            items.append([text, fragment])
    return [Item(no, clean_text(text), f.page, f.bbox) for no, (text, f) in enumerate(items, 1)]


def fragments_to_items(fragments: Sequence[Fragment]) -> list[Item]:
    return lines_to_items(_lines(fragments))


def fragments_to_blocks(fragments: Sequence[Fragment]) -> dict[str, list[Item]]:
    """Result text to its blocks: outcomes, then 【…変化・課題…】 and 【変更後の目標】."""
    blocks: dict[str, list] = {"outcomes": [], "changes": [], "revised_targets": []}
    current = "outcomes"
    for line in _lines(fragments):
        header = BLOCK_TITLE.match(line[3].replace(" ", ""))
        if header:
            current = result_block_kind(header.group(1))
            continue
        blocks[current].append(line)
    return {name: lines_to_items(lines) for name, lines in blocks.items()}
