"""Find the regions of a page that hold the 施策計画 table.

A table page is recognised by its header words, never by page number:
施策計画名, 現状 and 目標 printed inside one ruled table.  Letter-spaced
headers (``施 策 計 画 名``) match because layout spaces are ignored.
"""

from __future__ import annotations

from typing import Sequence

from normalizers.ocrforms import contains_read_as
from normalizers.width import squash

from ...geometry import BBox, centre_in
from ...models import Line
from ...vocabulary import HEADER_WORDS


def lines_have_table_header(lines: Sequence[Line]) -> bool:
    texts = [squash(line.text) for line in lines]
    # A look-alike glyph (日標 for 目標, as OCR reads it) does not hide the header.
    return all(any(contains_read_as(t, word) for t in texts) for word in HEADER_WORDS)


def _box(line: Line) -> BBox:
    return (line.x0, line.top, line.x1, line.bottom)


def page_to_regions(lines: Sequence[Line], table_bboxes: Sequence[BBox], continuing: bool) -> list[BBox]:
    """The table regions of one page that belong to the 施策計画 table.

    A region qualifies when the header words are printed inside it, or,
    on a page right after a table page (``continuing``), when it has no
    header at all: some writers print the header on the first page only.
    """
    regions = []
    for bbox in table_bboxes:
        inside = [line for line in lines if centre_in(_box(line), bbox)]
        if lines_have_table_header(inside):
            regions.append(bbox)
        elif continuing and not regions:
            regions.append(bbox)
    return regions
