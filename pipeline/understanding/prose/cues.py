"""Is a prose line a new heading, a new bullet, or the continuation of the
paragraph above?  One scored decision over every cue a reader uses.

A reader is never confused by a bullet whose last line ends flush at the
right margin above a sub-heading set in the same face, size and indent:
the sentence ended with 「。」, the next line opens no sentence, is a noun
phrase, is short and is followed by a bullet.  No single cue decides; each
adds evidence to one of three readings and the best-scored reading wins:

* ``continuation``: the line carries on the paragraph above;
* ``heading``: the line opens a sub-heading (a noun phrase, no sentence);
* ``bullet``: the line opens an item (a bullet glyph, or an item printed
  without one).

Break evidence (the line above closed its paragraph) counts for both
``heading`` and ``bullet``.  When the cues disagree, the reading that keeps
every sentence whole wins: a break after a full line that ended no
sentence would cut it (a rule over the scores, reported as a warning with
the page and line, as is a bullet glyph the scores read into the sentence
above), and a continuation that would end a bullet on a noun phrase after
its last sentence would leave a fragment (a weight against continuing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Optional

from ...vocabulary import BULLETS, CIRCLED, HEADING_MARKS, HEADING_NUMBER
from ..tokenize import tokenize

SENTENCE_END = re.compile(r"[。．！？!?][」』）)]*$")

# A heavier weight of the face, as font names spell it (IPAexGothic over
# IPAexMincho, MS-Gothic, Meiryo-Bold, HiraKakuPro-W6, NotoSansCJK-Black).
_HEAVY_FONT = re.compile(r"gothic|bold|black|heavy|semibold|demi|[-_]w[5-9]\b|kaku|sans", re.I)
# What a noun phrase may end with after its last word: closing brackets
# and quotes (「…技術展」, (仮称)).
_TRAILING = "」』）)】］]〕"


@dataclass(frozen=True)
class LineCues:
    """What a reader sees about one line, relative to the paragraph above."""

    glyph: Optional[str]  # the bullet or heading mark the line opens with
    numbered: bool  # opens with a heading numbering scheme (1 / (1) / ① / ア / (ア) / ■ / 【…】)
    lone_glyph_above: bool  # the line above is a bullet glyph and nothing else
    above_wraps: bool  # the line above is full and ended no sentence
    above_stop_short: bool  # the line above ended a sentence short of the right edge
    above_stop_flush: bool  # the line above ended a sentence at the right edge
    above_short_open: bool  # the line above is short and ended no sentence
    open_kind: Optional[str]  # kind of the paragraph above ("bullet", "plain", ...)
    open_is_heading: bool  # the paragraph above is a plain paragraph without a sentence
    typeface_change: bool
    heavier: bool  # set in a heavier face than the body text
    size_change: bool
    wide_gap: bool  # more space above than the paragraph's line pitch
    tight_gap: bool  # less space above than the line pitch (a heading's own wrap)
    hanging: bool  # indented under the first line of the paragraph above
    outdented: bool  # left of the line above
    noun_phrase: bool  # the line (with its wrap) ends in a noun: a heading's shape
    run_stop: bool  # the line (with its wrap) ends a sentence
    has_comma: bool
    bullet_below: bool  # the line after it (and its wrap) opens with another bullet glyph
    subpoint: bool  # ②… after ①… inside the open bullet, or ①… opening a sentence in it


@dataclass(frozen=True)
class CueWeights:
    """Evidence each cue adds to a reading.  Scores are sums; only their
    order matters, so the weights say how cues rank against each other."""

    # -- break evidence: the paragraph above is closed (heading and bullet)
    # A sentence end short of the edge is how every fixture ends a paragraph.
    stop_short: float = 3.5
    # A sentence end flush at the edge ends a paragraph about as often as it
    # is a sentence wrapped exactly at the margin: barely evidence.
    stop_flush: float = 0.5
    # Headings are short lines without a stop; one that ended short is done
    # (a heading never wraps short of the margin).
    heading_ended: float = 2.0
    # Word-processor headings are set in another face or size; a change of
    # either inside a paragraph never happens in the fixtures.
    typeface: float = 2.0
    size: float = 2.0
    # Writers add space before paragraphs (all three fixtures: 1.25-1.8 times
    # the line pitch), never inside one.
    wide_gap: float = 1.0
    # A line starting left of the line above leaves a hanging block.
    outdent: float = 0.5

    # -- continuation evidence
    # A full line that ended no sentence wraps: breaking after it would cut
    # a sentence (or a heading) in two.  Beats every break cue but a glyph
    # on a line that does not hang (which needs the sentence veto).
    wraps: float = 4.0
    # A bullet's short line without a stop is a wrap forced by an
    # unbreakable word (spreadsheet fixture: 「…強化に努」+「め、NPO…」).
    forced_wrap: float = 1.0
    # Wrapped lines of a bullet hang one glyph right of the bullet.
    hanging: float = 2.0
    # A heading's two lines sit closer than body lines (word-processor fixture).
    tight_gap: float = 1.0
    # A glyph alone on its line: its text is on the next line.
    lone_glyph: float = 10.0
    # ①, ② numbering sub-points of one bullet stays in that bullet.
    subpoint: float = 4.0
    # Continuing would end a bullet on a noun phrase after its last whole
    # sentence: the glued 「…行いました。港湾物流機能の充実」.
    fragment: float = -2.0

    # -- heading evidence
    numbered: float = 1.5
    noun_phrase: float = 1.0
    # A heading ends in a noun; one ending in a verb or auxiliary is a clause.
    predicate: float = -1.5
    # A heading is what the bullets below it are about.
    bullet_below: float = 1.0
    # A heading is never a sentence.
    heading_stop: float = -3.0
    # Headings rarely hold 「、」.
    comma: float = -0.5
    heavier: float = 1.0
    # A plain bullet glyph (・, ●) marks an item, not a heading.
    bullet_glyph: float = -3.0

    # -- bullet evidence
    glyph: float = 3.0
    # An item printed without its glyph is rarer than a wrapped sentence.
    unmarked: float = -1.0
    # An item is a sentence.
    item_stop: float = 0.5


WEIGHTS = CueWeights()


@dataclass(frozen=True)
class Reading:
    kind: str  # "continuation" | "heading" | "bullet"
    scores: tuple[tuple[str, float], ...]
    cues: tuple[str, ...]  # the cues that fired, for the warning
    override: Optional[str] = None  # why the sentence rule overrode the scores


def fired(cues: LineCues) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cues) if f.name not in ("glyph", "open_kind") and getattr(cues, f.name))


def cues_to_reading(c: LineCues, w: CueWeights = WEIGHTS) -> Reading:
    """The best-scored reading of a line; ties go to continuation, which
    never splits a paragraph on no evidence."""
    plain_glyph = c.glyph is not None and c.glyph not in HEADING_MARKS
    sentence_paragraph = c.open_kind == "bullet" or (c.open_kind == "plain" and not c.open_is_heading)

    brk = (
        w.stop_short * c.above_stop_short
        + w.stop_flush * c.above_stop_flush
        + w.heading_ended * (c.open_is_heading and c.above_short_open)
        + w.typeface * c.typeface_change
        + w.size * c.size_change
        + w.wide_gap * c.wide_gap
        + w.outdent * c.outdented
    )
    fragment = sentence_paragraph and c.above_stop_flush and not c.run_stop and c.bullet_below
    cont = (
        w.wraps * c.above_wraps
        + w.forced_wrap * (c.open_kind == "bullet" and c.above_short_open)
        + w.hanging * c.hanging
        + w.tight_gap * c.tight_gap
        + w.lone_glyph * c.lone_glyph_above
        + w.subpoint * (c.subpoint and c.open_kind == "bullet")
        + w.fragment * fragment
    )
    heading = (
        brk
        + w.numbered * c.numbered
        + (w.noun_phrase if c.noun_phrase else w.predicate)
        + w.bullet_below * c.bullet_below
        + w.heading_stop * c.run_stop
        + w.comma * c.has_comma
        + w.heavier * c.heavier
        + w.bullet_glyph * plain_glyph
    )
    bullet = brk + (w.glyph if c.glyph else w.unmarked) + w.item_stop * c.run_stop
    scores = (("continuation", cont), ("heading", heading), ("bullet", bullet))
    kind = max(scores, key=lambda s: s[1])[0] if max(heading, bullet) > cont else "continuation"
    override = None
    # The sentence rule: a full line above that ended no sentence goes on
    # here, whatever else the line looks like, unless that sentence is in a
    # heading that the line's own glyph closes.
    if kind != "continuation" and c.above_wraps and sentence_paragraph and not c.lone_glyph_above:
        kind, override = "continuation", "a break here would cut the sentence above"
    elif kind == "continuation" and c.glyph and not c.hanging and not c.lone_glyph_above:
        # Scores kept the sentence whole against a glyph that no indent
        # explains (「協議・調整」 broken at the dot looks like a new bullet).
        override = "the glyph at the line head would cut the sentence above"
    return Reading(kind, tuple((k, round(v, 2)) for k, v in scores), fired(c), override)


# ---------------------------------------------------------------- text cues


def starts_numbered(text: str) -> bool:
    return bool(HEADING_NUMBER.match(text))


def leading_circled(text: str) -> Optional[int]:
    """1 for a line opening with ①, 2 for ②, ...; None otherwise."""
    return CIRCLED.index(text[0]) + 1 if text[:1] and text[0] in CIRCLED else None


@lru_cache(maxsize=4096)
def is_noun_phrase(text: str) -> bool:
    """Ends in a noun (…の推進, 「…技術展」の開催), not in a verb, auxiliary or particle."""
    body = text.rstrip(_TRAILING + " \u3000")
    if not body or SENTENCE_END.search(body):
        return False
    tokens = [t for t in tokenize(body) if not t.pos[0].startswith("補助記号")]
    if not tokens:
        return False
    return tokens[-1].pos[0] in ("名詞", "代名詞", "接尾辞", "記号")


def is_heavy(font: str) -> bool:
    return bool(font and _HEAVY_FONT.search(font))


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def opens_with_glyph(text: str) -> Optional[str]:
    head = text[:1]
    return head if head and (head in BULLETS or head in HEADING_MARKS) else None
