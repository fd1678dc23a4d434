"""A document's glyph ledger: the census of each page against what was read.

The run report carries it so a lost glyph is visible there, counted
against a figure no reader produced (``census``): per document the
glyphs the pages show, the ones the readers gave, and of those the kept
ones and the ones left out by reason.  A page where the census and the
readers disagree is named in a warning, and so is a page whose glyphs
PDFium placed wrong (``placement``), read again with pdfminer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..models import GlyphTally, page_ranges

LEDGER_KEYS = ("shown", "painted", "kept", "white", "doubles", "unmapped", "merged_by_reader", "unaccounted",
               "misplaced_by_reader")


def tallies_to_summary(tallies: Iterable[tuple[int, GlyphTally]]) -> dict:
    """Totals over the pages read; ``shown`` and ``unaccounted`` over the
    pages the census could count, the others listed as ``uncounted_pages``."""
    totals: dict[str, Any] = dict.fromkeys(LEDGER_KEYS, 0)
    uncounted: list[int] = []
    misplaced: list[int] = []
    for number, t in tallies:
        for key in ("painted", "kept", "white", "doubles", "unmapped", "merged_by_reader", "misplaced_by_reader"):
            totals[key] += getattr(t, key)
        if t.misplaced_by_reader:
            misplaced.append(number)
        if t.shown is None:
            uncounted.append(number)
        else:
            totals["shown"] += t.shown
            totals["unaccounted"] += t.unaccounted
    totals["uncounted_pages"] = page_ranges(uncounted)
    totals["misplaced_pages"] = page_ranges(misplaced)
    return totals


def tallies_to_warnings(tallies: Sequence[tuple[int, GlyphTally]]) -> list[str]:
    """One warning for pages read again because PDFium misplaced their
    glyphs, one for pages whose text operators show glyphs no reader
    returned, one for pages where a reader returned more than they show."""
    short = [(n, t.unaccounted or 0) for n, t in tallies if (t.unaccounted or 0) > 0]
    extra = [(n, -(t.unaccounted or 0)) for n, t in tallies if (t.unaccounted or 0) < 0]
    misplaced = [(n, t.misplaced_by_reader) for n, t in tallies if t.misplaced_by_reader]
    notes = []
    if misplaced:
        notes.append(
            f"pages {page_ranges([n for n, _ in misplaced])}: PDFium placed {sum(k for _, k in misplaced)} glyph(s) "
            "where they overlap the lines around them and its lines differ from pdfminer's; "
            "those pages were read with pdfminer instead"
        )
    if short:
        notes.append(
            f"pages {page_ranges([n for n, _ in short])}: the text operators show {sum(k for _, k in short)} glyph(s) "
            "that no reader returned; those characters are missing from the output"
        )
    if extra:
        notes.append(
            f"pages {page_ranges([n for n, _ in extra])}: the readers returned {sum(k for _, k in extra)} glyph(s) more "
            "than the text operators show (a glyph mapped to several characters, or text given as /ActualText)"
        )
    return notes


__all__ = ["LEDGER_KEYS", "tallies_to_summary", "tallies_to_warnings"]
