"""When the first row of a table page carries on the last row of the page before.

One rule for every table sesaku stitches over a page break (the
施策計画 table in ``stitch``, any ruled table in ``ruled``): writers
that cut a row at the page break leave the cell naming the row blank on
the next page and let the other cells' text run on.  A row whose leading
cell has text starts a new row; so does one whose text opens an item (a
bullet, ①, 【…): an item never begins in the middle of a wrapped line.
"""

from __future__ import annotations

from collections.abc import Iterable

from normalizers.width import squash

from ...reading.glyphs import is_latin
from ...vocabulary import starts_item


def row_continues(lead: str, texts: Iterable[str]) -> bool:
    """Does a page's first row (leading cell ``lead``, cell texts ``texts``) carry on the row above?

    Blank cells say nothing either way; a row of blank cells only is no
    continuation of text (it may be a merged cell cut by the break, which
    the caller decides from geometry).
    """
    if lead.strip():
        return False  # a new row is named here
    first_lines = [t.lstrip().split("\n", 1)[0] for t in texts if t.strip()]
    return bool(first_lines) and not any(starts_item(line) for line in first_lines)


def only_repeats(text: str, previous: str) -> bool:
    """A continuation cell that adds nothing: blank, or the label above printed again
    (layout spaces ignored, as letter-spaced labels differ only in them)."""
    return not text.strip() or squash(text) == squash(previous)


def join_run_on(head: str, tail: str) -> str:
    """The text of a cell cut by a page break: ``tail`` runs on from ``head``.

    Joined like a soft wrap inside a cell (``celltext``): nothing between
    Japanese characters, which have no word spaces to restore, and one
    space between two Latin words.
    """
    if not head:
        return tail
    if not tail:
        return head
    if is_latin(head[-1]) and is_latin(tail[0]):
        return head + " " + tail
    return head + tail
