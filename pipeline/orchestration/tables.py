"""``tables``: every ruled table of every page, one document at a time.

Same reader, engines, grid and cell text as ``extract`` (``extract.py``); what
differs is what is kept: every ruled region (``understanding.table.ruled``)
instead of the 施策計画 table.  Each document is read on its own and never
raises past ``tables_to_records``, so in a batch a bad file is one failed
report and the others still come out.

Every visible glyph of every page read is accounted for: in a cell kept,
in a cell dropped as a repeat (a header or label printed again on a
continuation page), in a leftover (inside a table region, in no cell),
or outside every table; their sum is compared with the page's own glyph
count (``PageView.shown_glyphs``, the census) where there is one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from normalizers.width import squash

from ..geometry import centre
from ..models import Grid, LogicalTable, PageView
from ..options import Options
from ..publishing.atomic import (
    STAGING_PREFIX,
    replace_folder,
    write_text_atomic,
)
from ..publishing.emit import to_json, write_tables
from ..publishing.ruled import tables_to_rows, wide_csv_bytes, wide_csv_name
from ..publishing.schema import RULED_TABLES
from ..reading.guards import file_sha256
from ..reading.ledger import tallies_to_summary, tallies_to_warnings
from ..reading.stage import PageStage, ProgressFn
from ..understanding.table.engines import EngineSource, check_engine, make_engine
from ..understanding.table.ruled import grids_to_tables, lines_above_tables, view_to_grids
from ..version import __version__
from .commands import Exit
from .docids import assign_doc_ids, stem_doc_id
from .extract import resolved
from .reports import DocumentReport, failure_of


def _chars(text: str) -> int:
    return len(squash(text))


def _in_some_grid(char: dict, grids: Sequence[Grid], margin: float) -> bool:
    # The grid keeps glyphs up to ``region_margin`` beside its frame (text
    # overflowing the outer rules), so the same box decides here.
    x, y = centre(char)
    return any(g.bbox[0] - margin <= x <= g.bbox[2] + margin and g.bbox[1] <= y <= g.bbox[3] for g in grids)


def page_accounting(view: PageView, grids: Sequence[Grid], margin: float) -> dict:
    """Where one page's visible glyphs are: in table regions (cells, leftovers) or outside."""
    inside = sum(1 for ch in view.chars if _in_some_grid(ch, grids, margin))
    return {
        "chars": len(view.chars),
        "in_regions": inside,
        "in_grid_cells": sum(_chars(c.text) for g in grids for c in g.cells),
        "leftover_chars": sum(_chars(lo.text) for g in grids for lo in g.leftovers),
        "shown_glyphs": view.shown_glyphs,
        "tally": view.tally,
    }


def read_ruled_tables(path: Path, options: Options, progress: Optional[ProgressFn] = None) -> RuledRead:
    """Every ruled table of one PDF, read through the page stage.  Raises a SesakuError for bad input."""
    stage = PageStage(path, options, progress)
    with stage:
        check_engine(options.engine, options.prefer)
        engine = make_engine(options.engine, EngineSource(stage.path, options.password), options.settings,
                             prefer=options.prefer)
        grids: list[Grid] = []
        units: list[int] = []  # each grid's reading unit: a page, or half of a two-up page
        follows: dict[int, tuple[int, ...]] = {}  # the units a unit's first table may go on from
        sides: dict[int, str] = {}  # the half of a two-up sheet a unit is
        halves_before = 0
        above: dict[int, frozenset[str]] = {}
        pages: list[dict] = []
        notes: list[str] = []
        for page in stage.pages():
            notes.extend(page.notes)
            page_grids: list[Grid] = []
            # Two pages printed side by side are read half by half, in order;
            # after another two-up sheet, a half also goes on from the same half
            # of that sheet (facing pages: left pages one table, right pages another).
            parts = page.halves
            for side, part in zip(("left", "right") if len(parts) == 2 else ("",), parts):
                unit = len(above) + 1
                both = len(parts) == 2 and halves_before == 2
                follows[unit] = (unit - 1, unit - 2) if both else (unit - 1,)
                if side:
                    sides[unit] = side
                part_grids = view_to_grids(part, engine, first_no=len(page_grids) + 1)
                above[unit] = lines_above_tables(part, part_grids)
                units.extend([unit] * len(part_grids))
                page_grids.extend(part_grids)
            # A caption over either half heads the sheet's tables (facing
            # pages print the section, 款 and 項, over the left half only).
            sheet_units = range(len(above) - len(parts) + 1, len(above) + 1)
            sheet_above = frozenset[str]().union(*(above[u] for u in sheet_units))
            for u in sheet_units:
                above[u] = sheet_above
            halves_before = len(parts)
            grids.extend(page_grids)
            pages.append(page_accounting(page.view, page_grids, options.settings.region_margin) | {"page": page.number})
        stage.require_text()
        scanned = stage.scanned_note()
        repairs = stage.repairs
    assert stage.page_count is not None and stage.sha256 is not None  # set on opening
    return RuledRead(stage.page_count, stage.sha256, grids_to_tables(grids, above, units, follows, sides),
                     tuple(grids), pages, [*repairs, *notes, *([scanned] if scanned else [])])


@dataclass(frozen=True)
class RuledRead:
    """What ``read_ruled_tables`` read of one PDF."""

    page_count: int
    sha256: str
    tables: tuple[LogicalTable, ...]
    grids: tuple[Grid, ...]  # each page's grids before stitching (tests/tools/camelot_agreement.py)
    pages: list[dict]  # per-page accounting (``page_accounting``)
    notes: list[str]  # what the reading says: repairs, page notes, pages skipped


def tables_accounting(tables: Sequence[LogicalTable], pages: Sequence[dict]) -> tuple[dict, list[str]]:
    """The run report's figures for one document, and warnings where glyphs do not add up."""
    in_cells = sum(_chars(c.text) for t in tables for c in t.cells)
    in_grids = sum(p["in_grid_cells"] for p in pages)
    leftover = sum(p["leftover_chars"] for p in pages)
    outside = sum(p["chars"] - p["in_regions"] for p in pages)
    summary = {
        "pages": len(pages),
        "tables": len(tables),
        "cells": sum(len(t.cells) for t in tables),
        "chars_in_cells": in_cells,
        # Header rows and labels printed again on a continuation page: read, kept once.
        "chars_repeated": in_grids - in_cells,
        "leftover_chars": leftover,
        "chars_outside_tables": outside,
        "shown_glyphs": None,
    }
    warnings = []
    for p in pages:
        if p["in_grid_cells"] + p["leftover_chars"] != p["in_regions"]:
            warnings.append(
                f"page {p['page']}: {p['in_regions']} glyph(s) inside the table regions, but the cells and "
                f"leftovers hold {p['in_grid_cells'] + p['leftover_chars']} character(s)"
            )
    counted = [p for p in pages if p["shown_glyphs"] is not None]
    if counted:
        summary["shown_glyphs"] = sum(p["shown_glyphs"] for p in counted)
    # The census against what the readers gave, with white glyphs, fake-bold
    # copies and unmapped codes told apart (reading.ledger), as for extract.
    tallies = [(p["page"], p["tally"]) for p in pages]
    summary["glyphs"] = tallies_to_summary(tallies)
    warnings.extend(tallies_to_warnings(tallies))
    return summary, warnings


def tables_to_records(
    path: str, options: Options, doc_id: Optional[str] = None, progress: Optional[ProgressFn] = None,
) -> tuple[DocumentReport, Optional[list[dict]], tuple[LogicalTable, ...]]:
    """One document's report, ``tables`` rows and logical tables, never raising."""
    started = time.perf_counter()
    report = DocumentReport(path=str(path), doc_id=doc_id or stem_doc_id(Path(path)))
    rows: Optional[list[dict]] = None
    tables: tuple[LogicalTable, ...] = ()
    try:
        read = read_ruled_tables(Path(path), resolved(path, options), progress)
        tables = read.tables
        summary, problems = tables_accounting(tables, read.pages)
        rows = tables_to_rows(report.doc_id, tables)
        report.sha256 = read.sha256
        report.pages = read.page_count
        report.rows = {"tables": len(rows)}
        report.accounting = summary
        report.warnings = list(dict.fromkeys(read.notes)) + problems
    except Exception as exc:  # every failure becomes the report's one line (reports.failure_of)
        rows, tables = None, ()
        report.status = "failed"
        report.error, report.error_kind = failure_of(exc, path, options)
    if report.sha256 is None and Path(path).is_file():
        with contextlib.suppress(OSError):
            report.sha256 = file_sha256(Path(path))
    report.seconds = round(time.perf_counter() - started, 3)
    return report, rows, tables


# ---------------------------------------------------------------- the command


def _summary_line(report: DocumentReport) -> str:
    if report.status != "ok":
        return f"FAILED {report.error}"
    a = report.accounting
    extra = f", {len(report.warnings)} warning(s)" if report.warnings else ""
    return (f"ok     {report.path}: {report.pages} pages, {a['tables']} table(s), {a['cells']} cells, "
            f"{a['leftover_chars']} leftover character(s) in {report.seconds:.1f}s{extra}")


def _write_wide_csvs(out_dir: Path, per_document: Sequence[tuple[str, Sequence[LogicalTable]]],
                     encoding: str, options: Options) -> list[str]:
    """``DIR/tables/<doc_id>-<n>.csv``, the folder swapped whole; the files not written, with why."""
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-wide-", dir=out_dir))
    skipped = []
    try:
        for doc_id, tables in per_document:
            for table in tables:
                name = wide_csv_name(doc_id, table)
                try:
                    (staging / name).write_bytes(wide_csv_bytes(table, encoding))
                except UnicodeEncodeError as exc:
                    skipped.append(f"tables/{name}: {exc.object[exc.start:exc.end]!r} cannot be written as "
                                   f"{encoding}; use {options.flag('csv_encoding')} utf-8-sig")
        os.chmod(staging, 0o755)
        replace_folder(staging, out_dir / "tables")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return skipped


def tables_into(pdfs: Sequence[Path], out: Path, options: Options, csv_encoding: str,
                say: Callable[[str], None]) -> Exit:
    """Every ruled table of ``pdfs`` into ``out`` (``commands.tables``); messages go to ``say``."""
    reports: list[DocumentReport] = []
    rows: list[dict] = []
    per_document: list[tuple[str, tuple[LogicalTable, ...]]] = []
    for pdf, doc_id in zip(pdfs, assign_doc_ids(pdfs)):
        report, doc_rows, tables = tables_to_records(str(pdf), options, doc_id)
        say(_summary_line(report))
        reports.append(report)
        if report.status == "ok" and doc_rows is not None:
            rows.extend(doc_rows)
            per_document.append((doc_id, tables))
            for w in report.warnings:
                say(f"warning {report.path}: {w}")
            lost = report.accounting["leftover_chars"]
            if lost:
                say(f"warning {report.path}: {lost} character(s) inside the tables are in no cell (see _run.json)")
    ok = [r for r in reports if r.status == "ok"]
    failed = [r for r in reports if r.status != "ok"]
    run: dict[str, Any] = {
        "sesaku_version": __version__,
        "command": "tables",
        "engine": options.engine,
        "documents": [dict(vars(r)) for r in reports],
        "summary": {"documents": len(reports), "extracted": len(ok), "failed": len(failed),
                    "tables": sum(r.accounting.get("tables", 0) for r in ok),
                    "cells": sum(r.accounting.get("cells", 0) for r in ok)},
    }
    if not ok:
        write_text_atomic(out / "_run.json", to_json(run | {"outputs": "unchanged: nothing was read"}))
        say(f"nothing read: {len(reports)} document(s) failed; the tables in {out} are unchanged; "
            f"see {out / '_run.json'}")
        return Exit.NOTHING
    skipped_wide = _write_wide_csvs(out, per_document, csv_encoding, options)
    run["csv_not_written"] = skipped_wide
    written = write_tables(
        {"tables": rows}, out, schemas=RULED_TABLES, workbook=False, csv_encoding=csv_encoding,
        csv_errors="skip", extra_files={"_run.json": lambda skipped: to_json(run | {"outputs": "written"} | {
            "csv_not_written": skipped_wide + sorted(f"{name}.csv" for name in skipped)})},
    )
    for why in list(written.csv_skipped.values()) + skipped_wide:
        say(f"error: {why}; that CSV is not written (tables.parquet is)")
    say(f"{len(ok)} of {len(reports)} document(s) read into {out}: "
        f"{run['summary']['tables']} table(s), {run['summary']['cells']} cells"
        + (f"; {len(failed)} failed (see {out / '_run.json'})" if failed else ""))
    return Exit.OK if not failed and not written.csv_skipped and not skipped_wide else Exit.SOME_FAILED


__all__ = ["RuledRead", "read_ruled_tables", "tables_accounting", "tables_into", "tables_to_records"]
