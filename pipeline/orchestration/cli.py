"""Command line: ``python -m pipeline extract PATH... --out DIR`` (and ``tables``, ``text FILE``, ``package``, ``audit``).

Exit status: 0 every document extracted, 1 some failed, 2 nothing usable
or a usage error.  Errors are one line each on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from ..errors import SesakuError
from ..options import Limits, Options
from ..publishing.atomic import FolderNotWritable, check_writable_folder, write_text_atomic
from ..publishing.datapackage import datapackage_json
from ..publishing.emit import CSV_ENCODINGS, OutputMismatch, to_json, write_tables
from ..reading.document import READERS
from ..reading.ocr import MODES as OCR_MODES
from ..reading.stage import parse_pages
from ..understanding.legend import text_to_configured_legend
from ..understanding.table.engines import ENGINES, PREFER
from ..version import __version__
from .batch import BatchError, collect_pdfs, default_workers, run_batch, run_report
from .dataset import Dataset, dataset_report, load_dataset, merge_into
from .extract import ocr_mode
from .manifest import source_of
from .progress import overall_progress
from .reports import DocumentReport
from .text import read_text

EXIT_OK, EXIT_SOME_FAILED, EXIT_NOTHING = 0, 1, 2
# 128 + SIGINT, what a shell reports for a command stopped with Ctrl-C.
EXIT_INTERRUPTED = 130


def _progress(stream, name: str):
    """A one-line progress bar on a terminal; nothing when piped."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\r{name[:30]:30} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} pages")
        if done == total:
            stream.write("\r" + " " * (width + 50) + "\r")
        stream.flush()

    return show


def _summary_line(report: DocumentReport) -> str:
    if report.status != "ok":
        return f"FAILED {report.error}"
    rows = report.rows
    extra = f", {len(report.warnings)} warning(s)" if report.warnings else ""
    if report.agreement:
        a = report.agreement
        extra += f", engines agree on {a['both']} of {a['cells']} cells ({a['differ']} differ)"
    if report.cached:
        extra += " (unchanged: from the cache)"
    return (
        f"ok     {report.path}: {report.pages} pages, {rows.get('programs', 0)} programs, "
        f"{rows.get('measures', 0)} measures, {rows.get('targets', 0)} target rows, "
        f"{rows.get('results', 0)} result items, {rows.get('quantities', 0)} quantities "
        f"in {report.seconds:.1f}s{extra}"
    )


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the problem and where to look)."""

    def error(self, message: str):
        self.exit(EXIT_NOTHING, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


class _HelpFormatter(argparse.HelpFormatter):
    """Shows each option's default unless its help already says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or action.default in (None, False, argparse.SUPPRESS) or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m pipeline", formatter_class=_HelpFormatter,
        description="sesaku: 施策計画 tables of Japanese plan-evaluation PDFs to CSV, Parquet and Excel.",
        epilog="Exit status: 0 all extracted, 1 some failed, 2 nothing usable or a usage error, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"sesaku {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ex = sub.add_parser("extract", formatter_class=_HelpFormatter, help="extract PDFs (files or folders) into tables")
    ex.add_argument("paths", nargs="+", metavar="PATH", help="a PDF or a folder of PDFs")
    ex.add_argument("--out", required=True, type=Path, help="output folder")
    ex.add_argument("--pages", help="pages to read, e.g. 1-3,7 (default: all)")
    ex.add_argument("--password", help="password of encrypted PDFs")
    ex.add_argument("--engine", default="pdfplumber", choices=sorted(ENGINES), help="grid engine")
    ex.add_argument(
        "--prefer", default=PREFER[0], choices=PREFER, help="with --engine both: whose cell is kept where the engines differ"
    )
    ex.add_argument(
        "--ocr", default="auto", choices=OCR_MODES,
        help="read pages from their image with RapidOCR (the OCR extra): auto = pages that are images without text, "
        "always = every page, never = none",
    )
    ex.add_argument("--workers", type=_positive_int, default=None, help="documents extracted in parallel (default: the CPU count)")
    ex.add_argument("--dask", metavar="ADDRESS", help="send documents to this Dask scheduler (e.g. tcp://127.0.0.1:8786)")
    ex.add_argument("--force", action="store_true", help="re-extract unchanged PDFs too (default: reuse the cache)")
    ex.add_argument(
        "--replace-all", action="store_true",
        help="replace everything in --out with this run's documents (default: add or replace them by doc_id, keep the others)",
    )
    ex.add_argument(
        "--csv-encoding", default="utf-8-sig", choices=CSV_ENCODINGS,
        help="encoding of the CSVs: utf-8-sig (Excel opens it), cp932 (Shift_JIS for older tools), utf-8",
    )
    ex.add_argument(
        "--csv-substitute", action="store_true",
        help="write characters the CSV encoding lacks as their NFKC form or 〓 (listed in _run.json); "
        "default: such a CSV is not written",
    )
    ex.add_argument("--csv-headers", default="en", choices=("en", "ja"), help="column titles of CSVs and workbook")
    ex.add_argument(
        "--rating-legend", type=Path, metavar="FILE",
        help="達成状況区分 labels (one 'VALUE：LABEL' line each) for documents that print no legend",
    )
    ex.add_argument("--max-mb", type=_positive_float, default=Limits.max_bytes / 1024 / 1024, help="largest PDF accepted, in MB")
    ex.add_argument("--max-pages", type=_positive_int, default=Limits.max_pages, help="most pages a PDF may have")
    ex.add_argument("--seconds-per-page", type=_positive_float, default=Limits.seconds_per_page, help="time limit per page, in seconds")
    ex.add_argument(
        "--max-memory-mb", type=_non_negative_float, default=Limits.max_memory_mb, help="memory one document may use (0: no limit)"
    )
    tb = sub.add_parser("tables", formatter_class=_HelpFormatter,
                        help="every ruled table of every page into tables.parquet/.csv (one table_no per logical table)")
    tb.add_argument("paths", nargs="+", metavar="PATH", help="a PDF or a folder of PDFs")
    tb.add_argument("--out", required=True, type=Path, help="output folder")
    tb.add_argument("--pages", help="pages to read, e.g. 1-3,7 (default: all)")
    tb.add_argument("--password", help="password of encrypted PDFs")
    tb.add_argument("--engine", default="pdfplumber", choices=sorted(ENGINES), help="grid engine")
    tb.add_argument(
        "--prefer", default=PREFER[0], choices=PREFER, help="with --engine both: whose cell is kept where the engines differ"
    )
    tb.add_argument("--ocr", default="auto", choices=OCR_MODES, help="as for extract")
    tb.add_argument(
        "--csv-encoding", default="utf-8-sig", choices=CSV_ENCODINGS,
        help="encoding of the CSVs: utf-8-sig (Excel opens it), cp932 (Shift_JIS for older tools), utf-8",
    )
    tb.add_argument("--max-mb", type=_positive_float, default=Limits.max_bytes / 1024 / 1024, help="largest PDF accepted, in MB")
    tb.add_argument("--max-pages", type=_positive_int, default=Limits.max_pages, help="most pages a PDF may have")
    tb.add_argument("--seconds-per-page", type=_positive_float, default=Limits.seconds_per_page, help="time limit per page, in seconds")
    tb.add_argument(
        "--max-memory-mb", type=_non_negative_float, default=Limits.max_memory_mb, help="memory one document may use (0: no limit)"
    )
    tx = sub.add_parser("text", formatter_class=_HelpFormatter, help="print each page's text as sesaku reads it (pages separated by a form feed)")
    tx.add_argument("path", type=Path, metavar="FILE", help="a PDF")
    tx.add_argument("--pages", help="pages to print, e.g. 1-3,7 (default: all)")
    tx.add_argument("--password", help="password of an encrypted PDF")
    tx.add_argument("--reader", default="auto", choices=READERS, help="force a reader (default: as extract does)")
    tx.add_argument("--layout", action="store_true",
                    help="keep columns apart as the page shows them (like pdftotext -layout); "
                         "without it a line's cells are separated by a tab")
    tx.add_argument("--ocr", default="auto", choices=OCR_MODES, help="as for extract: pages extract reads by OCR are read by OCR here too")
    pk = sub.add_parser("package", formatter_class=_HelpFormatter, help="bundle extracted CSVs with metadata for an open-data portal")
    pk.add_argument("--from", dest="source", type=Path, default=Path("extracted"), help="extracted folder")
    pk.add_argument("--out", type=Path, default=Path("dist"), help="bundle folder")
    pk.add_argument("--config", type=Path, default=None, help="publisher/licence config (default: sesaku-portal.toml)")
    au = sub.add_parser("audit", formatter_class=_HelpFormatter, help="HTML report showing on each page what was extracted")
    au.add_argument("path", type=Path, metavar="DOC_OR_EXTRACTED_DIR")
    au.add_argument("--out", type=Path, default=Path("audit"), help="report folder")
    au.add_argument("--pdf-dir", type=Path, action="append", default=[], help="where to find the PDFs (default: raw_pdfs/)")
    au.add_argument("--password", help="password of encrypted PDFs")
    return parser


def _kinds(failed: Sequence[DocumentReport]) -> str:
    counts: dict[str, int] = {}
    for r in failed:
        counts[r.error_kind or "error"] = counts.get(r.error_kind or "error", 0) + 1
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))


def _options(args: argparse.Namespace, legend: tuple) -> Options:
    try:
        ocr = ocr_mode(args.ocr)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return Options(
        ocr=ocr,
        rating_legend=legend,
        engine=args.engine,
        prefer=args.prefer,
        pages=args.pages,
        password=args.password,
        limits=Limits(
            max_bytes=int(args.max_mb * 1024 * 1024), max_pages=args.max_pages, seconds_per_page=args.seconds_per_page,
            max_memory_mb=args.max_memory_mb,
        ),
    )


def _read_legend(path: Optional[Path]) -> tuple:
    if path is None:
        return ()
    try:
        return text_to_configured_legend(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"--rating-legend {path}: {why}") from None


class UsageError(Exception):
    """A command line that cannot work, found before any document is read."""


def extract(args: argparse.Namespace) -> int:
    try:
        return _extract(args)
    except (UsageError, BatchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    except KeyboardInterrupt:
        # Outputs are staged and moved only when complete: nothing of this
        # run is in place, the previous tables are as they were.
        print(f"interrupted: nothing written; the tables in {args.out} are as before this run", file=sys.stderr)
        return EXIT_INTERRUPTED


def _extract(args: argparse.Namespace) -> int:
    started = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        parse_pages(args.pages, 1)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    legend = _read_legend(args.rating_legend)
    options = _options(args, legend)
    pdfs = collect_pdfs(args.paths)
    if not pdfs:
        raise UsageError(f"no PDF found in {', '.join(args.paths)}")
    try:
        check_writable_folder(args.out)
    except FolderNotWritable as exc:
        raise UsageError(f"--out: {exc}") from None
    try:
        previous = Dataset() if args.replace_all else load_dataset(args.out)
    except OutputMismatch as exc:
        raise UsageError(f"{exc}; extract into a new folder, or pass --replace-all to start {args.out} afresh") from None
    workers = args.workers or min(default_workers(), len(pdfs))
    with overall_progress(sys.stderr, len(pdfs)) as progress:
        reports, records = run_batch(
            pdfs,
            options,
            workers=workers,
            dask_address=args.dask,
            cache_dir=None if args.force else args.out / ".cache",
            on_done=lambda r: progress.done(r, _summary_line(r)),
            progress_for=None if progress.active else (lambda p: _progress(sys.stderr, p.name)),
            taken=previous.owners,
        )

    ok = [r for r in reports if r.status == "ok"]
    for r in ok:
        for w in r.warnings:
            print(f"warning {r.path}: {w}", file=sys.stderr)
        lost = r.accounting.get("leftover", 0)
        if lost:
            print(f"warning {r.path}: {lost} character(s) inside the table went to no field; see leftovers.csv", file=sys.stderr)
        lost = r.accounting.get("prose_leftover", 0)
        if lost:
            print(f"warning {r.path}: {lost} character(s) of the prose pages went to no field; see leftovers.csv", file=sys.stderr)
    report = run_report(reports, args.engine)
    report["run"] = started
    run_json = args.out / "_run.json"
    failed = [r for r in reports if r.status != "ok"]
    if not ok:
        # Every run leaves its report; the previous tables stay as they were.
        report["outputs"] = "unchanged: nothing was extracted"
        report["dataset"], report["history"] = dataset_report(previous, reports, report, [], started)
        write_text_atomic(run_json, to_json(report))
        print(f"nothing extracted: {len(reports)} document(s) failed ({_kinds(reports)}); "
              f"the tables in {args.out} are unchanged; see {run_json}", file=sys.stderr)
        return EXIT_NOTHING
    manifests: dict = {}
    for r in ok:
        source = source_of(Path(r.path), r.sha256, manifests)
        if source is not None:
            for row in records[r.doc_id].get("documents", ()):
                row["source_url"], row["source_note"] = source.url, source.note
    fresh = {r.doc_id: records[r.doc_id] for r in ok}
    tables = merge_into(previous, fresh)
    report["dataset"], report["history"] = dataset_report(previous, reports, report, list(fresh), started)
    report["outputs"] = "written"

    written = write_tables(
        tables,
        args.out,
        extra_files={
            "_run.json": lambda skipped: to_json(report | {"csv_not_written": sorted(skipped)}),
            "datapackage.json": lambda skipped: datapackage_json(args.csv_encoding, args.csv_headers, skipped),
        },
        csv_encoding=args.csv_encoding,
        csv_headers=args.csv_headers,
        csv_errors="substitute" if args.csv_substitute else "skip",
    )
    for name, why in written.csv_skipped.items():
        print(f"error: {why}; {name}.csv not written (its Parquet and sheet are), "
              f"or pass --csv-substitute", file=sys.stderr)
    if written.substitutions:
        report["csv_substitutions"] = list(written.substitutions)
        write_text_atomic(run_json, to_json(report | {"csv_not_written": sorted(written.csv_skipped)}))
        print(f"warning: {len(written.substitutions)} character(s) not in {args.csv_encoding} written as "
              f"substitutes in the CSVs; listed in {run_json}", file=sys.stderr)
    in_folder = len(report["dataset"])
    print(f"{len(ok)} of {len(reports)} document(s) extracted into {args.out} "
          f"(it holds {in_folder} document(s))"
          + (f"; {len(failed)} failed ({_kinds(failed)}; see {run_json})" if failed else ""), file=sys.stderr)
    return EXIT_OK if not failed and not written.csv_skipped else EXIT_SOME_FAILED


def tables(args: argparse.Namespace) -> int:
    """Every ruled table of the PDFs (``orchestration.tables``)."""
    from .tables import tables_command

    try:
        parse_pages(args.pages, 1)
        options = _options(args, ())
    except (ValueError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    try:
        return tables_command(args, options)
    except KeyboardInterrupt:
        print(f"interrupted: the tables in {args.out} are as before this run", file=sys.stderr)
        return EXIT_INTERRUPTED


def text(args: argparse.Namespace) -> int:
    """Print the visible text of each selected page; pages end with a form feed, like pdftotext."""
    try:
        parse_pages(args.pages, 1)
        mode = ocr_mode(args.ocr)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    out = sys.stdout
    try:
        for _, lines, notes in read_text(args.path, args.pages, args.password, args.reader, ocr=mode,
                                         layout=args.layout):
            out.write("".join(line + "\n" for line in lines) + "\f")
            out.flush()
            # What the reading says about the page (read by OCR and why, glyphs
            # left out): on stderr, so the text stays the page's own.
            for note in notes:
                print(f"note: {note}", file=sys.stderr)
    except SesakuError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    except BrokenPipeError:  # `... | head`: the reader has all it wants
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at interpreter exit
        return EXIT_OK
    except MemoryError:
        print(f"error: {args.path}: ran out of memory", file=sys.stderr)
        return EXIT_NOTHING
    except Exception as exc:  # a bug: one line, never a traceback
        detail = " ".join(str(exc).split())[:200]
        print(f"error: {args.path}: internal error {type(exc).__name__}: {detail} (please report this with the PDF)",
              file=sys.stderr)
        return EXIT_NOTHING
    return EXIT_OK


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own usage message
        return EXIT_OK if exc.code == 0 else EXIT_NOTHING
    if args.command == "extract":
        return extract(args)
    if args.command == "text":
        return text(args)
    if args.command == "tables":
        return tables(args)
    if args.command == "package":
        from ..publishing.package import package_command

        return package_command(args)
    if args.command == "audit":
        return audit(args)
    return EXIT_NOTHING  # argparse accepts only the commands above


def audit(args: argparse.Namespace) -> int:
    """The audit report of an extracted folder, or of PDFs extracted first into a temporary one."""
    import tempfile

    from ..audit.report import AuditError, build_report

    path: Path = args.path
    pdf_dirs = list(args.pdf_dir) or [Path("raw_pdfs")]
    if not path.exists():
        print(f"error: {path} not found", file=sys.stderr)
        return EXIT_NOTHING
    if args.out.exists() and not args.out.is_dir():
        print(f"error: --out: {args.out} is a file, not a folder; choose another output folder", file=sys.stderr)
        return EXIT_NOTHING
    try:
        check_writable_folder(args.out.parent if str(args.out.parent) else Path("."))
    except FolderNotWritable as exc:
        print(f"error: --out: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    try:
        if path.is_dir() and (path / "_run.json").is_file():
            written, errors = build_report(path, args.out, pdf_dirs, password=args.password)
        else:
            pdfs = [path] if path.is_file() else sorted(path.glob("*.pdf"))
            if not pdfs:
                print(f"error: {path} is neither a PDF nor an extracted folder (no _run.json)", file=sys.stderr)
                return EXIT_NOTHING
            with tempfile.TemporaryDirectory(prefix="sesaku-audit-") as tmp:
                extracted = Path(tmp) / "extracted"
                code = main(["extract", str(path), "--out", str(extracted), "--force",
                             *(["--password", args.password] if args.password else [])])
                if not (extracted / "_run.json").is_file():
                    print(f"error: nothing extracted from {path} (exit {code}); no report written", file=sys.stderr)
                    return EXIT_NOTHING
                written, errors = build_report(extracted, args.out, [*(p.parent for p in pdfs), *pdf_dirs],
                                               password=args.password)
    except AuditError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    for index in written:
        print(f"audit  {index}", file=sys.stderr)
    if not written:
        return EXIT_NOTHING
    return EXIT_SOME_FAILED if errors else EXIT_OK
