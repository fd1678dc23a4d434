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
    # A glyph repeated within this share of its printed size is fake bold,
    # not content.  Copies sit +0.3pt off at ~10pt in the quirks fixture
    # (0.03 em), 0.2-0.5pt off at 10.5pt from word processors (<= 0.05 em).
    # Two genuine neighbours of one letter are at least the narrowest
    # advance apart, 'i' or 'l' at 0.22 em (Helvetica/Arial): the fixed
    # 1.0pt tolerance this replaces deleted the second 'i' of
    # "dhanviinformatics" in 4pt text (camelot's us-030.pdf, 0.9pt apart).
    # 0.12 em keeps the copies (1.2pt at 10pt) and every such neighbour.
    fake_bold_em: float = 0.12
    # White text on a fill at most this light is seen, so it is content: camelot's
    # background_lines_1.pdf prints its header row white on a red band (luminance 0.34),
    # which was dropped as invisible.  Light shading (0.82-0.92 on that page, 0.85+ in
    # the plan fixtures' header rows) does not make white text readable.
    dark_fill_luminance: float = 0.6
    # Glyph boxes reach this far below the baseline.  pdfminer takes each
    # font's own descent, but subset fonts report different ones (the
    # spreadsheet fixture: one line's glyphs landed 2pt apart and split).
    descent_em: float = 0.12
    # Glyphs of one line share a vertical centre to within this share of
    # their height; mixed fonts and sizes shift baselines slightly, never
    # that much (all three fixtures).
    line_centre_share: float = 0.4
    # Between two glyphs of a script that spaces its words (Latin, Arabic,
    # digits, brackets), a gap wider than this share of the printed size is
    # a word space: a space glyph is 0.25-0.33 em ("in KAWASAKI", "KPI 2024",
    # camelot's "Men (≥ 18yrs)"), kerning 0.04 em (camelot's "Two-Plan" with
    # 0.4pt gaps at 10pt, read as "Tw o-Plan" while sizes were 1.0).
    word_space_em: float = 0.2
    # An East Asian "ambiguous" character (○ ● ※ ① △ ≧, but also é ≥) is set
    # as CJK when its box is at least this share of its size wide: Japanese
    # fonts print them full-width (1 em); Latin fonts print é at 0.6 em and
    # ≥ at 0.55-0.84 em (Times, Arial; Bitstream Vera 0.838, whose
    # "Men (≥ 18yrs)" lost its space at 0.8).  Dashes are never taken as
    # CJK by width: a Latin em dash is 1 em too ("lait — 5").
    full_width_em: float = 0.95
    # A page is turned upright before it is read when more than this share
    # of its glyphs is printed in one turned direction: camelot's clockwise
    # and anticlockwise tables print every glyph turned; vertical Japanese
    # (pdfminer_jo_vertical, pdfjs_vertical_dvipdfmx) keeps its glyphs
    # upright and turns only Latin runs, well under half.
    turned_text_share: float = 0.5
    # Placement check (reading.placement): two glyph boxes overlap when one
    # covers more than this share of the smaller; printed glyphs touch at
    # most (kerning, tight leading: well under a third of a box).
    glyph_overlap_share: float = 0.3
    # A page's placement is in doubt when more than this share of its glyphs
    # overlap another.  PDFium before the printed-size fix (65aa382): 76-93%
    # on every Yokohama and Kyoto sheet (boxes of the font-size operand,
    # 50pt for 9pt text); today, forced on every page of ../shared family,
    # real, camelot-lattice and the fixtures (1,645 pages): at most 6%
    # (Yokohama's vertical labels, which pdfminer reads anyway; slides with
    # stacked marks 5.9%; Arabic 5.3%), 1,582 pages under 1%.
    placement_overlap_share: float = 0.15
    # ... and it has at least this many glyphs (a few stacked marks on a
    # near-empty page are no evidence).
    placement_min_glyphs: int = 20
    # A page in doubt keeps PDFium's glyphs when its lines are this share of
    # pdfminer's, identically; below, the page is read with pdfminer.  Read
    # right, the two agree on 97-100 % of a page's lines (bench/compare_readers.py
    # over ../shared: least alike 86 % where pdfminer itself misplaces
    # glyphs); the misplaced reading before f75c893 gave 5-19 % per sheet.
    placement_agreement_share: float = 0.9
    # In ``text``, a gap this many ems wide between two glyphs of one line
    # (and no letter-spacing) separates two cells: the fuji budget's 款 name
    # and its amount (市税 … 46,460,600) stand 5+ em apart with no rule
    # between; word spaces are < 1 em even in justified Latin text.
    cell_gap_em: float = 2.0
    # A filled rectangle at most this thick is a drawn rule (0.5pt in the
    # fixtures, up to ~1.5pt from spreadsheet exporters, 2.16pt for the
    # thick outer frame Ichitaro draws: a ministry document whose
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
    # They are dropped before any snapping, after dashes are joined
    # (``reading.rules``): a city evaluation sheet drew a dashed rule
    # as 2.2 x 0.7pt boxes 2.9pt apart, whose ends, snapped first, chained
    # every vertical rule of the page into one and both tables vanished.
    edge_min_length: float = 3.0
    # Collinear rule pieces this far apart or closer are one dashed or
    # dotted rule: that sheet's dashes leave 0.7pt gaps; it is the snap
    # tolerance, the gap pdfplumber's own joining bridges after snapping.
    dash_join_gap: float = 3.0
    # A ruled "table" of fewer cells is a frame around one text.  Two cells
    # are a table: a supplementary-budget summary rules its total as a
    # label box beside its value box, which at 4 was in no
    # table (its text in no cell, no warning).
    min_table_cells: int = 2

    # ------------------------------------------------------------ page layout
    # A landscape sheet whose middle is an empty vertical band this wide
    # (no glyph, rule or table crossing it) may be two pages side by side
    # (``reading.layout``).  A city budget book printing two A4
    # pages on each A3 sheet with a gutter of 114-211pt between the halves'
    # contents (every 7th sheet measured); a centred title or page number,
    # or one wide table, leaves none, and no landscape page of the shared
    # family or real collections is cut.
    two_up_gutter: float = 20.0
    # ... when each half has its own page number or its own frame: a ruled
    # table this share of the sheet's height (Setagaya frames each page's
    # content in a box of 80% of the sheet's height; tables on a page are
    # rarely that tall unless they fill the page).
    two_up_frame_share: float = 0.6

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

    # ------------------------------------------------------------ evaluation sheets
    # A caption belongs to the grid under it (its unit is the grid's) when it
    # ends at most this far above the grid's top: a sheet's （４）事業費等(千円単位…)
    # ends 4pt above its table, while the previous table ends 10pt above that caption.
    sheet_caption_gap: float = 12.0
    # A ring drawn as a glyph over an option is at least this many times the
    # size of the cell's text: the test sheets' 〇 drawn to enclose a word is
    # 2.2 times it, as such a ring must be; a ○ bullet or mark is the text's own size.
    sheet_ring_size_ratio: float = 1.5
    # A mark's own cell (○ | option) is at most a third of its option's width:
    # a sheet's SDG marks are 18pt wide beside 124pt options; an empty value cell
    # before the next label is as wide as the values of its row.
    sheet_mark_cell_ratio: float = 3.0
    # A label is at most this many characters: the longest labels of the family
    # sheets are 27 (上記要素に係るR６年度取組予定, R6年度における「その他」財源
    # の主な内容 with its note left out); 40 is well under a text box's sentence
    # (60-120 characters).  Also the longest one-line option or answer.
    sheet_max_label_chars: int = 40
    # A short text in a year × kind cell is a value in words (調達・試験稼働);
    # longer text there is a sentence (a field).  The family sheets' word values
    # are at most 12 characters; 30 keeps room for other cities' and no sentence.
    sheet_max_word_value_chars: int = 30
    # A page starts a sheet again (or repeats its title block) when its first
    # table shares this many labels with the sheet's first page: the family
    # sheets' title blocks hold 3-9 labels (No., 所管局, 事業名 …), while two
    # different blocks of one sheet share at most one (単位).
    sheet_repeated_labels: int = 2
    # A counter label printed after its figure (02 款, 05 項, 04 目) is one or
    # two glyphs (a sheet's 予算科目 row).
    sheet_counter_label_chars: int = 2

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


DEFAULT = Settings()
