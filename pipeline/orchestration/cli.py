"""Command line: ``python -m pipeline extract PATH... --out DIR`` (and ``tables``, ``text FILE``, ``package``, ``audit``).

Like sqlite-utils' cli.py: option groups shared between commands (extract
and tables read documents alike), one sub-parser per command dispatched
by ``set_defaults(func=...)``, and each ``func`` only turns the parsed
arguments into one ``Options`` (validated once, ``speaks="cli"`` so that
messages name the flags) and a call of the command's function in
``orchestration.commands``, which returns the exit status (``commands.Exit``:
0 every document extracted, 1 some failed, 2 nothing usable or a usage
error, 130 interrupted).  Errors are one line each on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional, TextIO

from ..errors import SesakuError, UsageError
from ..options import ENGINE_NAMES, OCR_MODES, PREFER, READERS, Limits, Options
from ..publishing.emit import CSV_ENCODINGS
from ..reading.stage import ProgressFn, parse_pages
from ..understanding.legend import text_to_configured_legend
from ..version import __version__
from . import commands
from .commands import Batch, Exit, Written
from .extract import ocr_mode

# Kept for callers of the old names; ``commands.Exit`` is the one definition.
EXIT_OK, EXIT_SOME_FAILED, EXIT_NOTHING, EXIT_INTERRUPTED = Exit.OK, Exit.SOME_FAILED, Exit.NOTHING, Exit.INTERRUPTED


def _progress(stream: TextIO, name: str) -> Optional[ProgressFn]:
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


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the problem and where to look)."""

    def error(self, message: str) -> Any:
        self.exit(Exit.NOTHING, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


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


# ---------------------------------------------------------------- option groups


def _documents_group() -> _Parser:
    """What extract and tables share: the PDFs, how to read them, the limits, the CSV encoding."""
    group = _Parser(add_help=False)
    group.add_argument("paths", nargs="+", metavar="PATH", help="a PDF or a folder of PDFs")
    group.add_argument("--out", required=True, type=Path, help="output folder")
    group.add_argument("--pages", help="pages to read, e.g. 1-3,7 (default: all)")
    group.add_argument("--password", help="password of encrypted PDFs")
    group.add_argument("--engine", default="pdfplumber", choices=sorted(ENGINE_NAMES), help="grid engine")
    group.add_argument(
        "--prefer", default=PREFER[0], choices=PREFER, help="with --engine both: whose cell is kept where the engines differ"
    )
    group.add_argument(
        "--ocr", default="auto", choices=OCR_MODES,
        help="read pages from their image with RapidOCR (the OCR extra): auto = pages that are images without text, "
        "always = every page, never = none",
    )
    group.add_argument(
        "--csv-encoding", default="utf-8-sig", choices=CSV_ENCODINGS,
        help="encoding of the CSVs: utf-8-sig (Excel opens it), cp932 (Shift_JIS for older tools), utf-8",
    )
    limits = group.add_argument_group("limits")
    limits.add_argument("--max-mb", type=_positive_float, default=Limits.max_bytes / 1024 / 1024, help="largest PDF accepted, in MB")
    limits.add_argument("--max-pages", type=_positive_int, default=Limits.max_pages, help="most pages a PDF may have")
    limits.add_argument("--seconds-per-page", type=_positive_float, default=Limits.seconds_per_page, help="time limit per page, in seconds")
    limits.add_argument(
        "--max-memory-mb", type=_non_negative_float, default=Limits.max_memory_mb, help="memory one document may use (0: no limit)"
    )
    return group


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m pipeline", formatter_class=_HelpFormatter,
        description="sesaku: 施策計画 tables of Japanese plan-evaluation PDFs to CSV, Parquet and Excel.",
        epilog="Exit status: 0 all extracted, 1 some failed, 2 nothing usable or a usage error, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"sesaku {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    documents = _documents_group()

    ex = sub.add_parser("extract", parents=[documents], formatter_class=_HelpFormatter,
                        help="extract PDFs (files or folders) into tables")
    ex.add_argument("--workers", type=_positive_int, default=None, help="documents extracted in parallel (default: the CPU count)")
    ex.add_argument("--dask", metavar="ADDRESS", help="send documents to this Dask scheduler (e.g. tcp://127.0.0.1:8786)")
    ex.add_argument("--force", action="store_true", help="re-extract unchanged PDFs too (default: reuse the cache)")
    ex.add_argument(
        "--replace-all", action="store_true",
        help="replace everything in --out with this run's documents (default: add or replace them by doc_id, keep the others)",
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
    ex.set_defaults(func=_extract)

    tb = sub.add_parser("tables", parents=[documents], formatter_class=_HelpFormatter,
                        help="every ruled table of every page into tables.parquet/.csv (one table_no per logical table)")
    tb.set_defaults(func=_tables)

    tx = sub.add_parser("text", formatter_class=_HelpFormatter, help="print each page's text as sesaku reads it (pages separated by a form feed)")
    tx.add_argument("path", type=Path, metavar="FILE", help="a PDF")
    tx.add_argument("--pages", help="pages to print, e.g. 1-3,7 (default: all)")
    tx.add_argument("--password", help="password of an encrypted PDF")
    tx.add_argument("--reader", default="auto", choices=READERS, help="force a reader (default: as extract does)")
    tx.add_argument("--layout", action="store_true",
                    help="keep columns apart as the page shows them (like pdftotext -layout); "
                         "without it a line's cells are separated by a tab")
    tx.add_argument("--ocr", default="auto", choices=OCR_MODES, help="as for extract: pages extract reads by OCR are read by OCR here too")
    tx.set_defaults(func=_text)

    pk = sub.add_parser("package", formatter_class=_HelpFormatter, help="bundle extracted CSVs with metadata for an open-data portal")
    pk.add_argument("--from", dest="source", type=Path, default=Path("extracted"), help="extracted folder")
    pk.add_argument("--out", type=Path, default=Path("dist"), help="bundle folder")
    pk.add_argument("--config", type=Path, default=None, help="publisher/licence config (default: sesaku-portal.toml)")
    pk.set_defaults(func=_package)

    au = sub.add_parser("audit", formatter_class=_HelpFormatter, help="HTML report showing on each page what was extracted")
    au.add_argument("path", type=Path, metavar="DOC_OR_EXTRACTED_DIR")
    au.add_argument("--out", type=Path, default=Path("audit"), help="report folder")
    au.add_argument("--pdf-dir", type=Path, action="append", default=[], help="where to find the PDFs (default: raw_pdfs/)")
    au.add_argument("--password", help="password of encrypted PDFs")
    au.set_defaults(func=_audit)
    return parser


# ---------------------------------------------------------------- arguments to Options


def _read_legend(path: Optional[Path]) -> tuple[tuple[int, str], ...]:
    if path is None:
        return ()
    try:
        return text_to_configured_legend(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"--rating-legend {path}: {why}") from None


def _options(args: argparse.Namespace, **more: Any) -> Options:
    """The run's one ``Options``: the page selection checked before any document is open, OCR resolved."""
    pages = getattr(args, "pages", None)
    try:
        parse_pages(pages, 1, "cli")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    legend = _read_legend(getattr(args, "rating_legend", None))
    try:
        ocr = ocr_mode(getattr(args, "ocr", "auto"), "cli")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    fields: dict[str, Any] = {"pages": pages, "password": args.password, "ocr": ocr, "rating_legend": legend}
    if hasattr(args, "max_mb"):
        fields |= {
            "engine": args.engine, "prefer": args.prefer,
            "limits": Limits(max_bytes=int(args.max_mb * 1024 * 1024), max_pages=args.max_pages,
                             seconds_per_page=args.seconds_per_page, max_memory_mb=args.max_memory_mb),
        }
    return Options(speaks="cli", **(fields | more))


def _extract(args: argparse.Namespace) -> Exit:
    batch = Batch(workers=args.workers, dask=args.dask, force=args.force, replace_all=args.replace_all,
                  progress_for=lambda p: _progress(sys.stderr, p.name))
    written = Written(csv_encoding=args.csv_encoding, csv_substitute=args.csv_substitute, csv_headers=args.csv_headers)
    return commands.extract(args.paths, args.out, _options(args), err=sys.stderr, batch=batch, written=written)


def _tables(args: argparse.Namespace) -> Exit:
    return commands.tables(args.paths, args.out, _options(args), err=sys.stderr,
                           written=Written(csv_encoding=args.csv_encoding))


def _text(args: argparse.Namespace) -> Exit:
    options = _options(args, reader=args.reader)
    return commands.text(args.path, options, out=sys.stdout, err=sys.stderr, layout=args.layout)


def _package(args: argparse.Namespace) -> Exit:
    return commands.package(args.source, args.out, args.config, err=sys.stderr)


def _audit(args: argparse.Namespace) -> Exit:
    return commands.audit(args.path, args.out, _options(args), err=sys.stderr, pdf_dirs=args.pdf_dir)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own usage message
        return Exit.OK if exc.code == 0 else Exit.NOTHING
    try:
        return int(args.func(args))
    except SesakuError as exc:  # a command line that cannot work, found before any document is read
        print(f"error: {exc}", file=sys.stderr)
        return Exit.NOTHING


__all__ = ["build_parser", "main"]
