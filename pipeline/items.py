"""Cell text to items: bullets split, sub-points kept, page breaks healed.

A cell holds several items, one per bullet (``●``, ``・``); circled
sub-points (``①②``) belong to the item above them; a line without a
bullet (``事業推進``, ``(LABEL)``, a lead sentence) is an item of its own.
A fragment continued on the next page carries on the item it broke off.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from normalizers.width import to_halfwidth_ascii

from .models import Fragment, Item

BULLETS = "●・■◆◇□•◦▪○◯〇"
_CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))
_DASH_BULLET = re.compile(r"^[-－‐]\s+")
_BLOCK_HEADER = re.compile(r"^【(.+)】$")


_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[，．](?=\d)")
_ASCII_SEPARATOR = {"，": ",", "．": "."}


def clean_text(text: str) -> str:
    """Field text as a reader sees it: ASCII letters/digits half-width, spaces
    only between Latin words; brackets and other symbols stay as printed.

    A full-width comma or point between digits is part of the number
    (``１０，０００`` is 10,000), so it goes half-width with them.
    """
    text = to_halfwidth_ascii(text.strip(), symbols=False) or ""
    return _DIGIT_SEPARATOR.sub(lambda m: _ASCII_SEPARATOR[m.group(0)], text)


def strip_bullet(line: str) -> tuple[str, bool]:
    line = line.strip()
    if line and line[0] in BULLETS:
        return line[1:].strip(), True
    m = _DASH_BULLET.match(line)
    if m:
        return line[m.end():], True
    return line, False


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
            text[0] in _CIRCLED or (line_no == 0 and index > 0)
        )
        if carries_on:
            items[-1][0] += text
        else:
            items.append([text, fragment])
    return [Item(no, clean_text(text), f.page, f.bbox) for no, (text, f) in enumerate(items, 1)]


def fragments_to_items(fragments: Sequence[Fragment]) -> list[Item]:
    return lines_to_items(_lines(fragments))


def block_kind(header: str) -> str:
    """Which result block a 【…】 header opens."""
    if "変更後" in header or "目標" in header:
        return "revised_targets"
    return "changes"


def fragments_to_blocks(fragments: Sequence[Fragment]) -> dict[str, list[Item]]:
    """Result text to its blocks: outcomes, then 【…変化・課題…】 and 【変更後の目標】."""
    blocks: dict[str, list] = {"outcomes": [], "changes": [], "revised_targets": []}
    current = "outcomes"
    for line in _lines(fragments):
        header = _BLOCK_HEADER.match(line[3].replace(" ", ""))
        if header:
            current = block_kind(header.group(1))
            continue
        blocks[current].append(line)
    return {name: lines_to_items(lines) for name, lines in blocks.items()}
