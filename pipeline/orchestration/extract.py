"""``extract``: the 施策計画 model and the evaluation-sheet model over the page stage, one document end to end.

``extract_document`` reads a PDF's pages through the stage
(``reading.stage``), understands them (``understanding``) and returns a
Document, or raises the SesakuError whose one-line message names the
file, the page where relevant, what is wrong and what to do.
``extract_to_records`` turns every outcome into a DocumentReport plus the
rows of every output table (``publishing``), never raising, so a batch
isolates documents from each other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from pathlib import Path
from typing import Any, Optional, cast

from ..errors import BadOption, NoPlanTable, NoTextLayer, UsageError
from ..models import Document, Narrative, PageView, Plan, SourceRef, page_ranges
from ..options import OCR_MODES, OcrMode, Options, Speaker, flag
from ..publishing.records import RowsBreakSchema, document_to_records, schema_problems
from ..reading import ocr
from ..reading.guards import file_sha256, time_limit
from ..reading.ledger import tallies_to_summary, tallies_to_warnings
from ..reading.stage import PageStage, ProgressFn, scan_advice
from ..understanding.accounting import account
from ..understanding.document import DocumentUnderstanding
from ..understanding.prose.narrative import pages_to_lines
from ..understanding.sheets.model import SheetReading, SheetUnderstanding
from ..understanding.table.agreement import grids_to_agreement_counts
from ..understanding.table.engines import EngineSource, check_engine, make_engine
from .docids import stem_doc_id
from .reports import DocumentReport, failure_of


def ocr_mode(requested: str, speaks: Speaker = "api") -> OcrMode:
    """The OCR mode a run can honour: ``auto`` needs the ocr extra, else nothing is OCR'd.

    Raises ValueError for an unknown mode and for ``always`` without the extra."""
    if requested not in OCR_MODES:
        raise ValueError(f"{flag('ocr', speaks)} must be one of {', '.join(OCR_MODES)}, not {requested!r}")
    if requested == "never" or ocr.available():
        return cast(OcrMode, requested)
    if requested == "always":
        raise ValueError(f"{flag('ocr', speaks)} always needs the OCR extra: pip install 'sesaku[ocr]'")
    return "never"


def resolved(path: Path | str, options: Options) -> Options:
    """``options`` with the OCR mode this run can honour (``ocr_mode``); BadOption naming ``path`` if none."""
    try:
        return dataclasses.replace(options, ocr=ocr_mode(options.ocr, options.speaks))
    except ValueError as exc:
        raise BadOption(path, str(exc)) from None


def extract_document(
    path: Path | str,
    options: Optional[Options] = None,
    *,
    progress: Optional[ProgressFn] = None,
    doc_id: Optional[str] = None,
    **fields: Any,
) -> Document:
    """The whole pipeline for one PDF.  Raises a SesakuError for bad input.

    ``options`` is one ``Options`` made already (the batch's), or its fields
    are given as keywords (``pages="1-3"``, ``engine=``, ``limits=``,
    ``ocr=`` — "auto" unless given — …), validated once here.  ``doc_id``
    defaults to the file stem (a batch assigns unique ones, ``orchestration.docids``).
    """
    path = Path(path)
    if options is None:
        options = Options(**{"ocr": "auto", **fields})
    elif fields:
        raise UsageError(f"give extract_document either options= or its fields ({', '.join(sorted(fields))}), not both")
    return read_document(PageStage(path, resolved(path, options), progress), doc_id or stem_doc_id(path))


def read_document(stage: PageStage, doc_id: str) -> Document:
    """The 施策計画 model over the pages of a stage not yet opened; ``stage.reading``
    says what was read even when this raises."""
    options = stage.options
    with stage:
        check_engine(options.engine, options.prefer)  # an unknown engine fails before any page is read
        try:
            document = _understand(stage, doc_id, reocr_layers=False)
        except NoPlanTable as exc:
            # An OCR layer can be too garbled to find the table by (tesseract
            # reads 目標 as "=" or 日標): under --ocr auto the stage reads those
            # pages again with sesaku's OCR before the document fails.
            layers = stage.reading.ocr_layer_pages
            if not layers or options.ocr != "auto":
                raise
            document = _understand(stage, doc_id, reocr_layers=True)
            why = (f"pages {page_ranges(layers)}: the PDF's OCR layer was too poor to read ({exc.problem}); "
                   "sesaku's OCR read them again")
            document = dataclasses.replace(document, warnings=(why, *document.warnings))
        repairs = stage.repairs
    if repairs:
        document = dataclasses.replace(document, warnings=(*repairs, *document.warnings))
    return document


# What a document that fails holds neither, and where to look instead.
NEITHER = ("and no evaluation sheet (a title block such as 事業名 / 施策名 with figures by fiscal year and kind, "
           "or answers given by marking); `tables` gives the cells of every ruled table")
# A page of a document read as evaluation sheets that is none of its sheets.
NO_SHEET = "a page of no evaluation sheet (no title block with figures or marked answers): in no output field"


def _understand(stage: PageStage, doc_id: str, reocr_layers: bool) -> Document:
    """One pass over the stage's pages into the plan, the narrative and the evaluation sheets.

    Both models see every page; the sheet model reads the pages on which the
    施策計画 model found no table of its own (one page, one reading).  A
    document with sheets and no 施策計画 table is read as its sheets."""
    options, path = stage.options, stage.path
    engine = make_engine(options.engine, EngineSource(path, options.password), options.settings, prefer=options.prefer)
    understanding = DocumentUnderstanding(path, engine, options.settings)
    sheets = SheetUnderstanding(engine, options.settings)
    notes: list[str] = []
    for page in stage.pages(reocr_layers=reocr_layers):
        notes.extend(page.notes)
        located = len(understanding.grids)
        understanding.add_page(page.view)
        if len(understanding.grids) == located:
            sheets.add_page(page.view)
    reading = stage.reading
    stage.require_text()
    if reading.ocr_layer_pages:
        notes.append(f"pages {page_ranges(reading.ocr_layer_pages)}: the text is the OCR layer of a scan (invisible text "
                     "over the page image) and table borders were found in the image; OCR misreads characters, so "
                     "check these pages")
    scanned = stage.scanned_note()
    if scanned:
        notes.append(scanned)
    notes.extend(tallies_to_warnings(reading.tallies))
    # Stitching and interpretation are linear in the pages read and far
    # cheaper per page than reading one (~0.01 s against ~0.2 s), so the
    # pages' own allowance bounds them with room to spare.
    with time_limit(options.limits.seconds_per_page * len(stage.wanted), path, what="assembling the table",
                    speaks=options.speaks):
        found = sheets.finish()
        try:
            plan, narrative, warnings = understanding.finish(notes)
        except NoPlanTable as exc:
            if found.sheets:
                plan, narrative, warnings = _sheets_only(understanding, found, notes)
            elif not understanding.grids and reading.scanned:
                raise NoTextLayer(
                    path, f"no 施策計画 table in the text, and pages {page_ranges(reading.scanned)} are images without a "
                    f"text layer (a scan?); {scan_advice(options)}",
                ) from None
            else:
                raise NoPlanTable(path, f"{exc.problem}, {NEITHER}") from None
    assert stage.sha256 is not None and stage.page_count is not None  # set on opening
    return Document(
        doc_id=doc_id,
        source=SourceRef(path.name, stage.sha256),
        page_count=stage.page_count,
        plan=plan,
        narrative=narrative,
        grids=tuple(understanding.grids),
        warnings=tuple(warnings),
        metadata=stage.metadata,
        ocr_pages=tuple(reading.recognised),
        glyphs=tuple(reading.tallies),
        sheets=found.sheets,
        sheet_pages=found.pages,
    )


def _sheets_only(understanding: DocumentUnderstanding, found: SheetReading,
                 notes: list[str]) -> tuple[Plan, Narrative, list[str]]:
    """A document of evaluation sheets and no 施策計画 table: no plan, and the text of its
    other pages (a cover, a contents page) left over line by line, never lost silently."""
    on_sheets = {page.page for page in found.pages}
    others = [v for v in understanding.items if isinstance(v, PageView) and v.number not in on_sheets]
    narrative = Narrative(programs=(), items=(), lines=pages_to_lines(others, NO_SHEET))
    return Plan(plan_no=None, plan_name=None, columns=(), programs=()), narrative, list(notes)


def extract_to_records(
    path: str, options: Options, progress: Optional[ProgressFn] = None, doc_id: Optional[str] = None,
) -> tuple[DocumentReport, Optional[dict]]:
    """Extract one document into table rows, never raising: failures become a report."""
    started = time.perf_counter()
    report = DocumentReport(path=str(path), doc_id=doc_id or stem_doc_id(Path(path)))
    stage: Optional[PageStage] = None
    records: Optional[dict] = None
    try:
        stage = PageStage(path, resolved(path, options), progress)
        doc = read_document(stage, report.doc_id)
        accounting = account(doc)
        records = document_to_records(doc, accounting, configured_legend=options.rating_legend or None)
        problems = schema_problems(records)
        if problems:
            # A bug to report, found here so that this document fails alone
            # and writing the batch's tables never does.
            raise RowsBreakSchema("; ".join(problems))
        report.sha256 = doc.source.sha256
        report.pages = doc.page_count
        report.rows = {name: len(rows) for name, rows in records.items()}
        report.warnings = list(doc.warnings)
        report.accounting = accounting.summary
        report.agreement = grids_to_agreement_counts(doc.grids)
    except RowsBreakSchema as exc:
        records = None
        report.status, report.error_kind = "failed", "internal"
        report.error = f"{path}: internal error: the extracted rows break the output schema ({exc}); please report this with the PDF"
    except Exception as exc:  # bad input, or a bug: it must not take the batch down; it is reported
        records = None
        report.status = "failed"
        report.error, report.error_kind = failure_of(exc, path, options)
    reading = stage.reading if stage is not None else None
    if report.pages is None and stage is not None:
        report.pages = stage.page_count
    report.glyphs = tallies_to_summary(reading.tallies if reading else [])
    report.ocr = ocr.ocr_summary(reading.ocr_pages if reading else [], reading.ocr_lines if reading else [],
                                 records["cells"] if records else None)
    if report.sha256 is None and Path(path).is_file():
        with contextlib.suppress(OSError):
            report.sha256 = file_sha256(Path(path))
    report.seconds = round(time.perf_counter() - started, 3)
    return report, records


__all__ = ["RowsBreakSchema", "extract_document", "extract_to_records", "ocr_mode", "read_document", "resolved"]
