"""Every tolerance sesaku reads a page with, in one validated value.

Each field carries the evidence for its value: which fixture or real
document needed it and what broke without it.  Stages take a ``Settings``
(``DEFAULT`` unless a caller says otherwise); the cache key hashes the
whole of it, so records read with other settings are never reused.
Lengths are in points unless the name says ``_em`` (a multiple of the
glyph's font size) or ``_share`` (a fraction).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    # ------------------------------------------------------------ reading
    # A glyph repeated within this distance is fake bold, not content: the
    # quirks fixture draws the copy +0.3pt off, word processors 0.2-0.5pt,
    # while two genuine neighbours are at least ~4pt apart at 8pt.
    fake_bold_tolerance: float = 1.0
    # Glyph boxes reach this far below the baseline.  pdfminer takes each
    # font's own descent, but subset fonts report different ones (the
    # spreadsheet fixture: one line's glyphs landed 2pt apart and split).
    descent_em: float = 0.12
    # Glyphs of one line share a vertical centre to within this share of
    # their height; mixed fonts and sizes shift baselines slightly, never
    # that much (all three fixtures).
    line_centre_share: float = 0.4
    # Between two Latin glyphs, a gap this much wider than the line's usual
    # gap is a word space (a word space is ~0.25-0.33em; "in KAWASAKI").
    word_space_em: float = 0.2
    # A filled rectangle at most this thick is a drawn rule (0.5pt in the
    # fixtures, up to ~1.5pt from spreadsheet exporters, 2.16pt for the
    # thick outer frame Ichitaro draws: the shared real jp_mlit_84, whose
    # 4-column tables lost both outer columns at 2.0); thicker ones are
    # cell shading.  Over the fixtures and the first 60 pages of each file
    # of the shared real collection, no filled rectangle but those frames
    # is 2.0-2.5pt thick, and the thinnest other fill is 2.8pt (fuji budget).
    rule_max_thickness: float = 2.5
    # A path segment this close to axis-parallel over its length is a rule:
    # pdfminer keeps rotation-matrix noise (cos 90° = 6e-17) that makes a
    # border of a page turned by its content matrix a slanted curve
    # (tests/test_rotated.py, pypdf's Transformation().rotate(90)).
    axis_tolerance: float = 0.5
    # Rules closer than this are one rule, and a joint may be this far off:
    # thin-rectangle borders put their two edges 0.5pt apart and per-cell
    # strokes overshoot or stop 1-2pt short (quirks fixture pages 6-14);
    # real columns are never closer than ~20pt.
    snap_tolerance: float = 3.0
    # Shorter rule pieces are noise (a stroke's end cap, a dot leader).
    edge_min_length: float = 3.0
    # A ruled "table" of fewer cells is a box or a frame around one text.
    min_table_cells: int = 4

    # ------------------------------------------------------------ grid
    # Cell-box edges within this distance are one band border: engines
    # report one rule a fraction of a point apart on either side of a cell.
    edge_tolerance: float = 2.0
    # Text overflowing a border by up to this many ems still belongs to the
    # cell it was typed in (quirks fixture: overflow past the table edge).
    overflow_em: float = 1.5
    # A glyph starting within this distance of a cell's left border, and
    # touching a run of the cell to its left (within crossing_em ems, on
    # the same line), crossed the border: it continues that run (quirks
    # fixture: text overflowing into a filled neighbour).
    border_slack: float = 1.0
    crossing_em: float = 0.3
    # Glyphs within this distance outside a region still belong to its
    # table (text overflowing the outer frame on the quirks fixture).
    region_margin: float = 10.0
    # Header and body cells share borders; this absorbs the rule thickness.
    header_tolerance: float = 2.0
    # Two engines' cell corners within this distance are one corner: they
    # place one rule at most 0.35pt apart on the word-processor and the
    # spreadsheet fixture, camelot puts the quirks fixture's overshooting
    # outer frame up to 2.15pt further out; distinct borders are >= 13pt apart.
    corner_tolerance: float = 4.0

    # ------------------------------------------------------------ cell text
    # A line ending within this many ems of the text's right edge is full
    # (it wrapped); shorter ones ended their paragraph (all fixtures).
    full_line_em: float = 1.5
    # A line indented this many ems right of its item's first line hangs
    # under it and continues the item (bullets' wrapped lines sit one
    # glyph right of the bullet, 10.5-12.5pt in the fixtures).
    hanging_indent_em: float = 0.5

    # ------------------------------------------------------------ prose pages
    # Running headers and footers sit in this outer share of the page: the
    # fixtures put them at 3-5% (header) and 95-96% (footer).
    margin_band_share: float = 0.10
    # A margin line is running when it recurs on this share of the pages
    # (every page, or every other page for mirrored layouts).
    running_share: float = 0.5
    # ... at the same height to within this distance (the fixtures repeat
    # theirs to 0.1pt; two distinct margin lines are >= 10pt apart).
    running_tolerance: float = 3.0
    # A program heading without its rating block is told from a body line
    # that starts with a number ("4大学…") by its larger type: 12pt over
    # 10.5pt body in all three fixtures (ratio 1.14).
    heading_size_ratio: float = 1.1
    # A sentence ending this many ems short of the right edge closes its
    # paragraph: a wrapped line ending in 。 stops within 1.6pt of the edge
    # (the spreadsheet fixture's slack), a paragraph end leaves >= 10.6pt.
    paragraph_end_em: float = 0.5
    # A line set this share larger or smaller than the line above is in
    # another size: fixture sizes are 10.5 and 12pt (a 12% step), while one
    # size read off different glyphs varies by well under 1%.
    size_change_share: float = 0.08
    # A step from the line above this share over the line pitch is a
    # paragraph's space before: the fixtures' paragraph steps are 1.25
    # (quirks), 1.29 (word processor) and 1.35-1.8 (spreadsheet) pitches.
    paragraph_gap_share: float = 0.15
    # A step this share under the pitch is a heading's own wrap, set closer
    # than body lines (word-processor fixture: 10.5pt steps at a 13.65pt pitch).
    tight_gap_share: float = 0.15
    # The narrowest a Latin letter or digit is set, in ems, when judging whether
    # a word pushed to the next line would have fitted on the line above
    # (``narrative.no_room``): IPAexGothic's proportional Latin is 0.5-0.7em,
    # HeiseiMin's half-width 0.5em; taking the narrowest never calls a line
    # wrapped that had room left for the word.
    latin_glyph_em: float = 0.5

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"setting {f.name} must be a number, not {value!r}")
            if value < 0:
                raise ValueError(f"setting {f.name} must not be negative: {value!r}")
            if f.name.endswith("_share") and value > 1:
                raise ValueError(f"setting {f.name} is a share of 0..1: {value!r}")
        if self.min_table_cells < 1:
            raise ValueError(f"setting min_table_cells must be at least 1: {self.min_table_cells!r}")
        if self.heading_size_ratio < 1:
            raise ValueError(f"setting heading_size_ratio must be at least 1: {self.heading_size_ratio!r}")
        if self.edge_tolerance >= self.snap_tolerance * 4:
            # Bands closer than the snap tolerance never exist, so a band
            # tolerance many times larger would merge real bands.
            raise ValueError("setting edge_tolerance is too large for snap_tolerance")

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


DEFAULT = Settings()
