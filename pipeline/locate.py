"""Find the pages and regions that hold 施策計画 tables.

A table page is recognised by its header words, never by page number:
施策計画名, 現状 and 目標 printed inside one ruled table.  Letter-spaced
headers (``施 策 計 画 名``) match because layout spaces are ignored.
"""

from __future__ import annotations

import re
from typing import Sequence

from .models import BBox, Line

HEADER_WORDS = ("施策計画名", "現状", "目標")

_SPACES = re.compile(r"\s+")


def compact(text: str) -> str:
    return _SPACES.sub("", text)


def lines_have_table_header(lines: Sequence[Line]) -> bool:
    texts = [compact(line.text) for line in lines]
    return all(any(word in t for t in texts) for word in HEADER_WORDS)


def _inside(line: Line, bbox: BBox) -> bool:
    cx, cy = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def page_to_regions(lines: Sequence[Line], table_bboxes: Sequence[BBox], continuing: bool) -> list[BBox]:
    """The table regions of one page that belong to the 施策計画 table.

    A region qualifies when the header words are printed inside it, or,
    on a page right after a table page (``continuing``), when it has no
    header at all: some writers print the header on the first page only.
    """
    regions = []
    for bbox in table_bboxes:
        inside = [line for line in lines if _inside(line, bbox)]
        if lines_have_table_header(inside):
            regions.append(bbox)
        elif continuing and not regions:
            regions.append(bbox)
    return regions
