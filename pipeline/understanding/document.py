"""A document's pages to its plan and narrative: the understanding phase as a whole.

Pages arrive one at a time, in order (``add_page``): table regions are
located and read into grids by the engine at once, so a page's glyphs can
be let go; prose pages keep only their lines.  ``finish`` groups them
into plan sections, stitches and interprets each, reads the narrative and
attaches the quantities found in every text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from normalizers.errors import NormalizeError

from ..errors import NoPlanTable
from ..geometry import BBox
from ..models import Grid, Narrative, PageView, Plan
from ..settings import Settings
from .legend import lines_to_legend
from .prose.narrative import pages_to_lines
from .quantities import attach_quantities
from .revisions import plan_with_changes
from .sections import PageItem, merge_sections, pages_to_sections, section_to_plan
from .table.engines import Engine
from .table.locate import page_to_regions
from .table.stitch import NoTableHeader


class DocumentUnderstanding:
    def __init__(self, path: Path, engine: Engine, settings: Settings):
        self.path = Path(path)
        self.engine = engine
        self.settings = settings
        self.items: list[PageItem] = []  # prose views and table grids, in page order
        self.grids: list[Grid] = []
        self._continuing = False
        self.rating_legend: tuple[tuple[int, str], ...] = ()

    def add_page(self, view: PageView) -> None:
        if not self.rating_legend:
            self.rating_legend = lines_to_legend(line.text for line in view.lines)
        read: dict = {}

        def read_grid(bbox: BBox, table_no: int = 1) -> Grid:
            # A region read to look for the header's structure is not read again.
            if (bbox, table_no) not in read:
                read[(bbox, table_no)] = self.engine.region_to_grid(view, bbox, table_no)
            return read[(bbox, table_no)]

        regions = page_to_regions(view.lines, view.table_bboxes, self._continuing, read_grid,
                                  self.settings.header_tolerance)
        for table_no, bbox in enumerate(regions, 1):
            grid = read_grid(bbox, table_no)
            self.grids.append(grid)
            self.items.append(grid)
        if not regions and view.has_text:
            # Prose needs only its lines: dropping the glyphs keeps memory
            # flat over a long report's many prose pages.
            self.items.append(dataclasses.replace(view, chars=(), rules=((), ()), ruled_tables=()))
        self._continuing = bool(regions)

    def finish(self, reading_notes: Sequence[str] = ()) -> tuple[Plan, Narrative, list[str]]:
        """The plan, the narrative and the document's warnings (what the table
        and the prose say about themselves, then ``reading_notes``, then notes
        on the sections; the prose's are lines whose reading the cues disagreed on).  Raises NoPlanTable."""
        if not self.grids:
            raise NoPlanTable(self.path, "no 施策計画 table found (no ruled table with the header 施策計画名 / 現状 / 目標)")
        notes = list(reading_notes)
        try:
            parts = [section_to_plan(s, self.settings) for s in pages_to_sections(self.items, self.settings)]
        except NoTableHeader as exc:
            raise NoPlanTable(self.path, str(exc)) from None
        except NormalizeError as exc:
            raise NoPlanTable(self.path, f"the 施策計画 table header cannot be read ({exc}); check the year columns of 目標") from None
        if not parts:
            raise NoPlanTable(self.path, "no 施策計画 table header found (施策計画名 / 現状 / 目標)")
        plan, narrative = merge_sections(parts)
        narrative = with_unread_prose(narrative, [v for v in self.items if isinstance(v, PageView)])
        if not any(p.measures for p in plan.programs):
            raise NoPlanTable(self.path, "a 施策計画 header was found but no measure (○ NAME) under it")
        if len(parts) > 1:
            notes.append(f"{len(parts)} plan sections (prose then tables) read; programs and measures are numbered through the document")
        plan, narrative = attach_quantities(plan, narrative)
        plan, revision_notes = plan_with_changes(dataclasses.replace(plan, rating_legend=self.rating_legend))
        warnings = list(plan.warnings) + list(narrative.warnings) + rating_mismatches(plan, narrative)
        return plan, narrative, warnings + revision_notes + notes


# Prose pages of no plan section: after a section's tables, without a program
# heading of their own (``sections.pages_to_sections``).
OUTSIDE_SECTIONS = "a prose page outside every plan section (after the tables, no program heading): in no output field"


def with_unread_prose(narrative: Narrative, prose: Sequence[PageView]) -> Narrative:
    """The narrative with the lines of prose pages no section read, left over:
    a back cover, a note or an appendix is not lost silently."""
    read = {line.page for line in narrative.lines}
    unread = pages_to_lines([view for view in prose if view.number not in read], OUTSIDE_SECTIONS)
    return dataclasses.replace(narrative, lines=narrative.lines + unread) if unread else narrative


def rating_mismatches(plan: Plan, narrative: Narrative) -> list[str]:
    """The prose heading and the table row rate the same program: say when they differ."""
    out = []
    prose = {p.no: p for p in narrative.programs}
    for program in plan.programs:
        other = prose.get(program.no)
        if other is None:
            if narrative.programs:
                out.append(f"program {program.no} ({program.name}) has no heading in the prose pages")
            continue
        a, b = program.rating, other.rating
        if (a and (a.value, a.revised)) != (b and (b.value, b.revised)):
            out.append(
                f"program {program.no} ({program.name}): table rating {a.raw if a else None} "
                f"differs from the prose rating {b.raw if b else None}"
            )
    return out
