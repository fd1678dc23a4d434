"""A report may hold several plan sections: prose pages, then table pages, again.

Pages come in reading order as prose views or table grids.  A run of prose
pages that follows table pages opens a new section only when it holds a
program heading of its own (``N NAME 【達成状況区分 R】``); otherwise it is a
back cover, a note or an appendix and belongs to no section.  Each section
is stitched and interpreted alone (its own header, year columns, programs)
and the sections are then numbered through: programs and measures are
numbered within the document, so keys stay unique.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Optional, Union

from ..models import CellRole, Column, Grid, Narrative, NarrativeItem, NarrativeProgram, PageView, Plan, Program
from ..settings import Settings
from .prose.narrative import lines_to_plan_title, pages_to_narrative
from .table.interpret import table_to_plan
from .table.stitch import grids_to_table

PageItem = Union[PageView, Grid]


@dataclass
class Section:
    prose: list[PageView] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    narrative: Optional[Narrative] = None  # read once, when deciding that the prose opens a section


def pages_to_sections(items: Sequence[PageItem], settings: Settings) -> list[Section]:
    """Group prose views and table grids (in page order) into plan sections."""
    sections = [Section()]
    pending: list[PageView] = []  # prose seen after the current section's tables
    for item in items:
        if isinstance(item, Grid):
            if pending:
                narrative = pages_to_narrative(pending, settings)
                if narrative.programs:
                    sections.append(Section(prose=pending, narrative=narrative))
            pending = []
            sections[-1].grids.append(item)
        elif sections[-1].grids:
            pending.append(item)
        else:
            sections[-1].prose.append(item)
    return [s for s in sections if s.grids]


def section_to_plan(section: Section, settings: Settings) -> tuple[Plan, Narrative]:
    """One section's plan (with its title) and narrative.  May raise NoTableHeader."""
    plan = table_to_plan(grids_to_table(section.grids, settings))
    narrative = section.narrative
    if narrative is None:
        narrative = pages_to_narrative(section.prose, settings) if section.prose else Narrative((), ())
    plan_no, plan_name = lines_to_plan_title([line for view in section.prose for line in view.lines])
    return dataclasses.replace(plan, plan_no=plan_no, plan_name=plan_name), narrative


def merge_sections(parts: Sequence[tuple[Plan, Narrative]]) -> tuple[Plan, Narrative]:
    """Number programs and measures through the document; keep each program's plan."""
    if len(parts) == 1:
        plan, narrative = parts[0]
        named = tuple(dataclasses.replace(p, plan_no=plan.plan_no, plan_name=plan.plan_name) for p in plan.programs)
        return dataclasses.replace(plan, programs=named), narrative
    programs: list[Program] = []
    prose_programs: list[NarrativeProgram] = []
    items: list[NarrativeItem] = []
    warnings: list[str] = []
    columns: list[Column] = []
    roles: list[CellRole] = []
    measure_offset = 0
    for plan, narrative in parts:
        offset = len(programs)
        roles += [
            dataclasses.replace(
                r,
                program_no=None if r.program_no is None else r.program_no + offset,
                measure_no=None if r.measure_no is None else r.measure_no + measure_offset,
            )
            for r in plan.cell_roles
        ]
        for p in plan.programs:
            measures = tuple(dataclasses.replace(m, no=m.no + measure_offset) for m in p.measures)
            programs.append(
                dataclasses.replace(p, no=p.no + offset, measures=measures, plan_no=plan.plan_no, plan_name=plan.plan_name)
            )
        measure_offset += sum(len(p.measures) for p in plan.programs)
        prose_programs += [dataclasses.replace(p, no=p.no + offset) for p in narrative.programs]
        items += [dataclasses.replace(i, program_no=i.program_no + offset) for i in narrative.items]
        warnings += list(plan.warnings)
        columns += [c for c in plan.columns if c not in columns]
    first = parts[0][0]
    merged = Plan(first.plan_no, first.plan_name, tuple(columns), tuple(programs), tuple(warnings), tuple(roles))
    notes = tuple(w for _, narrative in parts for w in narrative.warnings)
    lines = tuple(line for _, narrative in parts for line in narrative.lines)
    return merged, Narrative(tuple(prose_programs), tuple(items), notes, lines)
