"""The commands, as functions: what ``sesaku extract|tables|text|package|audit`` runs.

Every command is a function a program can call with an ``Options`` (made
and validated once by the caller) and the stream its messages go to, and
returns an ``Exit`` status; ``orchestration.cli`` only turns a command
line into such a call.  A command prints nothing but to the ``err`` (and
``out``) stream it is given: the messages, one line each, never a
traceback.

A new command is one function here taking ``Options`` and reading its
pages through the page stage (``reading.stage.PageStage``), plus a
sub-parser in ``cli.build_parser`` with ``set_defaults(func=...)``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import IntEnum
from pathlib import Path
from typing import Literal, Optional, TextIO

from ..errors import OutputError, SesakuError, Terminated, UsageError
from ..options import Options
from ..publishing.atomic import check_writable_folder, write_text_atomic
from ..publishing.datapackage import datapackage_json
from ..publishing.emit import OutputMismatch, to_json, write_tables
from ..publishing.schema import TABLES
from ..publishing.writable import writable_tables
from ..reading.stage import ProgressFn
from .batch import collect_pdfs, default_workers, run_batch, run_report
from .dataset import Dataset, dataset_report, load_dataset, merge_into
from .manifest import source_of
from .progress import overall_progress
from .reports import DocumentReport, one_line
from .text import read_text


class Exit(IntEnum):
    """The one set of exit statuses of every command."""

    OK = 0  # every document extracted
    SOME_FAILED = 1  # some documents (or some CSVs) failed; the rest is written
    NOTHING = 2  # nothing usable, or a usage error
    INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a command stopped with Ctrl-C
    TERMINATED = 143  # 128 + SIGTERM, what a shell reports for a command stopped with kill


def interrupted(exc: KeyboardInterrupt) -> Exit:
    """The exit status of a run stopped by Ctrl-C or by SIGTERM (``errors.Terminated``)."""
    return Exit.TERMINATED if isinstance(exc, Terminated) else Exit.INTERRUPTED


CsvHeaders = Literal["en", "ja"]


@dataclass(frozen=True)
class Written:
    """How extract and tables write their tables (shared by both commands)."""

    csv_encoding: str = "utf-8-sig"
    csv_substitute: bool = False
    csv_headers: CsvHeaders = "en"


@dataclass(frozen=True)
class Batch:
    """How ``extract`` runs its documents."""

    workers: Optional[int] = None  # None: the CPU count, at most one per document
    dask: Optional[str] = None
    force: bool = False  # re-extract unchanged PDFs too (no cache)
    replace_all: bool = False
    progress_for: Optional[Callable[[Path], Optional[ProgressFn]]] = field(default=None, compare=False)


def _say(err: TextIO, line: str) -> None:
    print(one_line(line), file=err)


def _kinds(failed: Sequence[DocumentReport]) -> str:
    counts: dict[str, int] = {}
    for r in failed:
        counts[r.error_kind or "error"] = counts.get(r.error_kind or "error", 0) + 1
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))


# The accounting's counts of characters that reached no output, and where they were.
LEFTOVERS = (("leftover", "inside the table"), ("prose_leftover", "of the prose pages"),
             ("sheet_leftover", "of the evaluation sheets"))


def summary_line(report: DocumentReport) -> str:
    """The one line ``extract`` prints per document."""
    if report.status != "ok":
        return one_line(f"FAILED {report.error}")
    rows = report.rows
    extra = f", {len(report.warnings)} warning(s)" if report.warnings else ""
    if report.agreement:
        a = report.agreement
        extra += f", engines agree on {a['both']} of {a['cells']} cells ({a['differ']} differ)"
    if report.cached:
        extra += " (unchanged: from the cache)"
    if rows.get("sheets") and not rows.get("measures"):
        # A document of evaluation sheets: what they hold, not a plan's empty counts.
        return one_line(
            f"ok     {report.path}: {report.pages} pages, {rows['sheets']} sheets, "
            f"{rows.get('sheet_values', 0)} values, {rows.get('sheet_fields', 0)} fields, "
            f"{rows.get('sheet_choices', 0)} options of marked answers, {rows.get('sheet_unplaced', 0)} unplaced "
            f"in {report.seconds:.1f}s{extra}"
        )
    sheets = f", {rows['sheets']} sheets, {rows.get('sheet_values', 0)} sheet values" if rows.get("sheets") else ""
    return one_line(
        f"ok     {report.path}: {report.pages} pages, {rows.get('programs', 0)} programs, "
        f"{rows.get('measures', 0)} measures, {rows.get('targets', 0)} target rows, "
        f"{rows.get('results', 0)} result items, {rows.get('quantities', 0)} quantities{sheets} "
        f"in {report.seconds:.1f}s{extra}"
    )


# ---------------------------------------------------------------- extract


def extract(paths: Sequence[str], out: Path, options: Options, *, err: TextIO, batch: Batch = Batch(),
            written: Written = Written()) -> Exit:
    """``extract PATH... --out DIR``: the 施策計画 model over every PDF, tables written into ``out``."""
    # Outputs are staged and moved only when complete: after an interruption
    # nothing of this run is in place, the previous tables are as they were.
    return _guarded(err, f"interrupted: nothing written; the tables in {out} are as before this run",
                    lambda: _extract(paths, out, options, err, batch, written), out)


def _guarded(err: TextIO, stopped: str, run: Callable[[], Exit], out: Optional[Path] = None) -> Exit:
    """``run()``, with a user's error, Ctrl-C or SIGTERM as one line and its exit status;
    an ``out`` folder this run made is not left behind empty."""
    existed = out is None or out.exists()
    try:
        return run()
    except SesakuError as exc:
        _say(err, f"error: {exc}")
        code = Exit.NOTHING
    except KeyboardInterrupt as exc:
        _say(err, stopped)
        code = interrupted(exc)
    if not existed and out is not None:
        _remove_if_empty(out)
    return code


def _remove_if_empty(folder: Path) -> None:
    """Remove ``folder``, made by a run that wrote nothing into it, unless it holds
    more than sesaku's own hidden folders (the cache, a staging folder being cleared)."""
    try:
        if not folder.is_dir() or any(not child.name.startswith(".") for child in folder.iterdir()):
            return
        shutil.rmtree(folder)
    except OSError:  # not ours to fight over: it stays
        pass


def _inputs(paths: Sequence[str], out: Path, options: Options) -> list[Path]:
    """The PDFs in ``paths``, once ``out`` is known to be writable; UsageError otherwise."""
    pdfs = collect_pdfs(paths)
    if not pdfs:
        raise UsageError(f"no PDF found in {', '.join(paths)}")
    try:
        check_writable_folder(out)
    except OutputError as exc:
        raise UsageError(f"{options.flag('out')}: {exc}") from None
    return pdfs


def _extract(paths: Sequence[str], out: Path, options: Options, err: TextIO, batch: Batch, how: Written) -> Exit:
    started = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    pdfs = _inputs(paths, out, options)
    try:
        previous = Dataset() if batch.replace_all else load_dataset(out)
    except OutputMismatch as exc:
        raise UsageError(f"{exc}; extract into a new folder, or pass {options.flag('replace_all')} "
                         f"to start {out} afresh") from None
    workers = batch.workers or min(default_workers(), len(pdfs))
    with overall_progress(err, pdfs, options) as progress:
        reports, records = run_batch(
            pdfs,
            options,
            workers=workers,
            dask_address=batch.dask,
            cache_dir=None if batch.force else out / ".cache",
            on_done=lambda r: progress.done(r, summary_line(r)),
            progress_for=batch.progress_for,
            on_page=progress.page if progress.active else None,
            taken=previous.owners,
        )

    ok = [r for r in reports if r.status == "ok"]
    for r in ok:
        for w in r.warnings:
            _say(err, f"warning {r.path}: {w}")
        for counted, where in LEFTOVERS:
            lost = r.accounting.get(counted, 0)
            if lost:
                _say(err, f"warning {r.path}: {lost} character(s) {where} went to no field; see leftovers.csv")
        unplaced = r.rows.get("sheet_unplaced", 0)
        if unplaced:
            _say(err, f"warning {r.path}: {unplaced} text(s) of the evaluation sheets could not be placed; see sheet_unplaced.csv")
    report = run_report(reports, options.engine)
    report["run"] = started
    run_json = out / "_run.json"
    failed = [r for r in reports if r.status != "ok"]
    if not ok:
        # Every run leaves its report; the previous tables stay as they were.
        report["outputs"] = "unchanged: nothing was extracted"
        report["dataset"], report["history"] = dataset_report(previous, reports, report, [], started)
        write_text_atomic(run_json, to_json(report))
        _say(err, f"nothing extracted: {len(reports)} document(s) failed ({_kinds(reports)}); "
                  f"the tables in {out} are unchanged; see {run_json}")
        return Exit.NOTHING
    manifests: dict = {}
    for r in ok:
        source = source_of(Path(r.path), r.sha256, manifests)
        if source is not None:
            for row in records[r.doc_id].get("documents", ()):
                row["source_url"], row["source_note"] = source.url, source.note
    fresh = {r.doc_id: records[r.doc_id] for r in ok}
    # Characters no output (or the workbook) can hold: U+FFFD, each listed in _run.json (publishing.writable).
    tables, unwritable = writable_tables(merge_into(previous, fresh), TABLES)
    report["dataset"], report["history"] = dataset_report(previous, reports, report, list(fresh), started)
    report["outputs"] = "written"
    if unwritable:
        report["text_substitutions"] = unwritable

    written = write_tables(
        tables,
        out,
        extra_files={
            "_run.json": lambda skipped: to_json(report | {"csv_not_written": sorted(skipped)}),
            "datapackage.json": lambda skipped: datapackage_json(how.csv_encoding, how.csv_headers, skipped),
        },
        csv_encoding=how.csv_encoding,
        csv_headers=how.csv_headers,
        csv_errors="substitute" if how.csv_substitute else "skip",
    )
    for name, why in written.csv_skipped.items():
        _say(err, f"error: {why}; {name}.csv not written (its Parquet and sheet are), "
                  f"or pass {options.flag('csv_substitute')}")
    if written.substitutions:
        report["csv_substitutions"] = list(written.substitutions)
        write_text_atomic(run_json, to_json(report | {"csv_not_written": sorted(written.csv_skipped)}))
        _say(err, f"warning: {len(written.substitutions)} character(s) not in {how.csv_encoding} written as "
                  f"substitutes in the CSVs; listed in {run_json}")
    if unwritable:
        _say(err, f"warning: {len(unwritable)} character(s) no output or the workbook can hold written as U+FFFD; "
                  f"listed in {run_json} (text_substitutions)")
    in_folder = len(report["dataset"])
    _say(err, f"{len(ok)} of {len(reports)} document(s) extracted into {out} "
              f"(it holds {in_folder} document(s))"
              + (f"; {len(failed)} failed ({_kinds(failed)}; see {run_json})" if failed else ""))
    return Exit.OK if not failed and not written.csv_skipped else Exit.SOME_FAILED


# ---------------------------------------------------------------- tables


def tables(paths: Sequence[str], out: Path, options: Options, *, err: TextIO, written: Written = Written()) -> Exit:
    """``tables PATH... --out DIR``: every ruled table of the PDFs (``orchestration.tables``)."""
    from .tables import tables_into

    def run() -> Exit:
        pdfs = _inputs(paths, out, options)
        with overall_progress(err, pdfs, options) as progress:
            return tables_into(pdfs, out, options, written.csv_encoding, progress)

    return _guarded(err, f"interrupted: nothing written; the tables in {out} are as before this run", run, out)


# ---------------------------------------------------------------- text


def text(path: Path, options: Options, *, out: TextIO, err: TextIO, layout: bool = False) -> Exit:
    """``text FILE``: the visible text of each selected page; pages end with a form feed, like pdftotext."""
    if path.is_dir():
        _say(err, f"error: {path} is a folder; text prints one PDF (extract and tables read folders)")
        return Exit.NOTHING
    try:
        for _, lines, notes in read_text(path, options, layout):
            out.write("".join(line + "\n" for line in lines) + "\f")
            out.flush()
            # What the reading says about the page (read by OCR and why, glyphs
            # left out): on stderr, so the text stays the page's own.
            for note in notes:
                _say(err, f"note: {note}")
    except SesakuError as exc:
        _say(err, f"error: {exc}")
        return Exit.NOTHING
    except BrokenPipeError:  # `... | head`: the reader has all it wants
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())  # no second error at interpreter exit
        return Exit.OK
    except MemoryError:
        _say(err, f"error: {path}: ran out of memory")
        return Exit.NOTHING
    except KeyboardInterrupt as exc:
        out.flush()
        _say(err, "interrupted: the pages above are all that was read")
        return interrupted(exc)
    except Exception as exc:  # a bug: one line, never a traceback
        detail = " ".join(str(exc).split())[:200]
        _say(err, f"error: {path}: internal error {type(exc).__name__}: {detail} (please report this with the PDF)")
        return Exit.NOTHING
    return Exit.OK


# ---------------------------------------------------------------- package


def package(source: Path, out: Path, config: Optional[Path], *, err: TextIO) -> Exit:
    """``package --from DIR --out DIST``: a bundle of an extracted folder for an open-data portal."""
    from ..publishing.package import build_bundle

    existed = out.exists()
    try:
        folder, zip_path, metadata = build_bundle(source, out, config)
    except (SesakuError, OSError, KeyboardInterrupt) as exc:
        if not existed:
            _remove_if_empty(out)
        if isinstance(exc, KeyboardInterrupt):
            _say(err, f"interrupted: nothing written; {out} is as before this run")
            return interrupted(exc)
        _say(err, f"error: {exc}" if isinstance(exc, SesakuError) else f"error: cannot write the bundle into {out}: {exc}")
        return Exit.NOTHING
    for key, what in (("author", "[publisher] name"), ("maintainer_email", "[contact] email")):
        if not metadata[key]:
            _say(err, f"warning: no {what} in the portal config; the portal will show none")
    if not metadata.get("owner_org"):
        _say(err, "warning: no [publisher] organization in the portal config; CKAN's package_create needs"
                  " owner_org (the organization's URL name) unless the portal allows datasets without one")
    _say(err, f"packaged {len(metadata['resources'])} tables into {folder}/ and {zip_path}")
    return Exit.OK


# ---------------------------------------------------------------- audit


def audit(path: Path, out: Path, options: Options, *, err: TextIO, pdf_dirs: Sequence[Path] = ()) -> Exit:
    """``audit DOC_OR_EXTRACTED_DIR``: the audit report of an extracted folder, or of PDFs
    extracted first (by ``extract``, called here) into a temporary one."""
    pdf_dirs = list(pdf_dirs) or [Path("raw_pdfs")]
    if not path.exists():
        _say(err, f"error: {path} not found")
        return Exit.NOTHING
    if out.exists() and not out.is_dir():
        _say(err, f"error: {options.flag('out')}: {out} is a file, not a folder; choose another output folder")
        return Exit.NOTHING
    try:
        check_writable_folder(out.parent if str(out.parent) else Path("."))
    except OutputError as exc:
        _say(err, f"error: {options.flag('out')}: {exc}")
        return Exit.NOTHING

    def run() -> Exit:
        written, errors = _audit(path, out, options, err, pdf_dirs)
        for index in written:
            _say(err, f"audit  {index}")
        if not written:
            return Exit.NOTHING
        return Exit.SOME_FAILED if errors else Exit.OK

    # The report is built beside ``out`` and swapped in whole; the PDFs are
    # extracted into a temporary folder, never named to the user.
    return _guarded(err, f"interrupted: no report written; {out} is as before this run", run)


def _audit(path: Path, out: Path, options: Options, err: TextIO, pdf_dirs: Sequence[Path]) -> tuple[list, list]:
    from ..audit.report import build_report

    if path.is_dir() and (path / "_run.json").is_file():
        return build_report(path, out, pdf_dirs, password=options.password)
    pdfs = [path] if path.is_file() else sorted(path.glob("*.pdf"))
    if not pdfs:
        raise UsageError(f"{path} is neither a PDF nor an extracted folder (no _run.json)")
    with tempfile.TemporaryDirectory(prefix="sesaku-audit-") as tmp:
        extracted = Path(tmp) / "extracted"
        code = _extract([str(path)], extracted, options, err, Batch(force=True), Written())
        if not (extracted / "_run.json").is_file():
            raise UsageError(f"nothing extracted from {path} (exit {int(code)}); no report written")
        return build_report(extracted, out, [*(p.parent for p in pdfs), *pdf_dirs], password=options.password)


__all__ = ["Batch", "Exit", "Written", "audit", "extract", "interrupted", "package", "summary_line", "tables", "text"]
