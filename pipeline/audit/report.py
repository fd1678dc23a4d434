"""``audit/<doc_id>/index.html`` for every document of an extracted folder.

The report reads only what the pipeline wrote (the Parquet tables and
``_run.json``) and the PDF for the page images, so it shows exactly what
was extracted, never a second interpretation: regions take their role
and their links from the keys in the ``cells`` table.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Optional, TextIO

from ..publishing.atomic import STAGING_PREFIX, replace_folder
from ..reading.fonts import private_font_file
from .html import CSS, FONT_DIR, HtmlReport, escape, font_face
from .load import AuditError, find_pdf, load_run, load_tables
from .model import Model
from .pages import DEFAULT_SCALE, render_pages

__all__ = ["AuditError", "build_document_report", "build_report"]


def build_document_report(extracted: Path, run: dict, run_doc: dict, tables: dict[str, list[dict]], missing: list[str],
                          out_dir: Path, pdf_dirs: Sequence[Path], scale: float = DEFAULT_SCALE,
                          password: str | None = None) -> Path:
    """``out_dir/<doc_id>/index.html`` for one document; returns its path."""
    pdf = find_pdf(run_doc, extracted, pdf_dirs)
    doc_dir = out_dir / run_doc["doc_id"]
    doc_dir.mkdir(parents=True, exist_ok=True)
    for old in doc_dir.glob("page-*.png"):  # a shorter document must not keep stale pages
        old.unlink()
    try:
        images = render_pages(pdf, doc_dir, scale, password)
    except Exception as exc:  # pdfium's errors name no file
        raise AuditError(f"{run_doc['doc_id']}: cannot render {pdf}: {exc}") from exc
    model = Model(run_doc["doc_id"], tables)
    index = doc_dir / "index.html"
    index.write_text(HtmlReport(model, run_doc, run, images, missing).render(), encoding="utf-8")
    return index


def documents_of(run: dict, tables: dict[str, list[dict]]) -> list[dict]:
    """This run's documents, then every other document the folder holds
    (an output folder is a dataset that earlier runs added to)."""
    docs = list(run.get("documents", []))
    seen = {d.get("doc_id") for d in docs if d.get("status") == "ok"}
    for entry in run.get("dataset", []):
        if entry.get("doc_id") in seen or not entry.get("path"):
            continue
        rows = {name: sum(r["doc_id"] == entry["doc_id"] for r in table_rows) for name, table_rows in tables.items()}
        docs = [d for d in docs if d.get("doc_id") != entry["doc_id"]]
        docs.append({**entry, "status": "ok", "rows": rows, "warnings": []})
    return docs


def build_report(extracted: Path, out_dir: Path, pdf_dirs: Sequence[Path] = (), scale: float = DEFAULT_SCALE,
                 stderr: Optional[TextIO] = None, password: str | None = None) -> tuple[list[Path], list[str]]:
    """Reports for every extracted document: (index files written, errors).

    Built in a staging folder beside ``out_dir`` and swapped in whole when
    at least one document's report was written; otherwise ``out_dir`` is
    left as it was (no empty folder for a failed audit).
    """
    stderr = stderr or sys.stderr
    run = load_run(extracted)
    tables, missing = load_tables(extracted)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-audit-", dir=out_dir.parent))
    try:
        written, errors = _build(extracted, run, tables, missing, staging, pdf_dirs, scale, stderr, password)
        if written:
            replace_folder(staging, out_dir)
            written = [out_dir / p.relative_to(staging) for p in written]
        return written, errors
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _ship_font(out_dir: Path) -> None:
    font = private_font_file()
    if font is None:  # matplotlib-fontja is a dependency; a broken install costs the font, not the report
        return
    (out_dir / FONT_DIR).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(font, out_dir / FONT_DIR / font.name)


def _build(extracted: Path, run: dict, tables: dict[str, list[dict]], missing: list[str], out_dir: Path,
           pdf_dirs: Sequence[Path], scale: float, stderr: TextIO,
           password: Optional[str]) -> tuple[list[Path], list[str]]:
    written: list[Path] = []
    errors: list[str] = []
    listing: list[str] = []
    _ship_font(out_dir)
    for doc in documents_of(run, tables):
        if doc.get("status") != "ok":
            listing.append(f'<li>{escape(doc.get("doc_id"))}: not extracted — {escape(doc.get("error"))}</li>')
            continue
        try:
            index = build_document_report(extracted, run, doc, tables, missing, out_dir, pdf_dirs, scale, password)
        except AuditError as exc:
            errors.append(str(exc))
            print(f"error: {exc}", file=stderr)
            listing.append(f'<li class="warn">{escape(doc["doc_id"])}: {escape(exc)}</li>')
            continue
        written.append(index)
        rows = doc.get("rows") or {}
        listing.append(f'<li><a href="{escape(doc["doc_id"])}/index.html">{escape(doc["doc_id"])}</a> — '
                       f'{rows.get("measures", 0)} measures, {rows.get("targets", 0)} target rows, '
                       f'{len(doc.get("warnings") or [])} warning(s), {rows.get("leftovers", 0)} leftover(s)</li>')
    (out_dir / "index.html").write_text(
        '<!doctype html>\n<html lang="ja"><head><meta charset="utf-8"><title>sesaku audit</title>'
        f"<style>{font_face('')}{CSS}</style></head><body><header class=\"summary\"><h1>sesaku audit</h1><ul>{''.join(listing)}</ul>"
        "</header></body></html>\n",
        encoding="utf-8",
    )
    return written, errors


