"""``audit/<doc_id>/index.html`` for every document of an extracted folder.

The report reads only what the pipeline wrote (the Parquet tables and
``_run.json``) and the PDF for the page images, so it shows exactly what
was extracted, never a second interpretation: regions take their role
and their links from the keys in the ``cells`` table.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

from .html import CSS, HtmlReport, _e
from .load import AuditError, find_pdf, load_run, load_tables
from .model import Model
from .pages import DEFAULT_SCALE, render_pages

__all__ = ["AuditError", "build_report", "build_document_report"]


def build_document_report(extracted: Path, run: dict, run_doc: dict, tables: dict[str, list[dict]], missing: list[str],
                          out_dir: Path, pdf_dirs: Sequence[Path], scale: float = DEFAULT_SCALE) -> Path:
    """``out_dir/<doc_id>/index.html`` for one document; returns its path."""
    pdf = find_pdf(run_doc, extracted, pdf_dirs)
    doc_dir = out_dir / run_doc["doc_id"]
    doc_dir.mkdir(parents=True, exist_ok=True)
    for old in doc_dir.glob("page-*.png"):  # a shorter document must not keep stale pages
        old.unlink()
    try:
        images = render_pages(pdf, doc_dir, scale)
    except Exception as exc:  # pdfium's errors name no file
        raise AuditError(f"{run_doc['doc_id']}: cannot render {pdf}: {exc}") from exc
    model = Model(run_doc["doc_id"], tables)
    index = doc_dir / "index.html"
    index.write_text(HtmlReport(model, run_doc, run, images, missing).render(), encoding="utf-8")
    return index


def build_report(extracted: Path, out_dir: Path, pdf_dirs: Sequence[Path] = (), scale: float = DEFAULT_SCALE,
                 stderr=None) -> tuple[list[Path], list[str]]:
    """Reports for every extracted document: (index files written, errors)."""
    stderr = stderr or sys.stderr
    run = load_run(extracted)
    tables, missing = load_tables(extracted)
    out_dir.mkdir(parents=True, exist_ok=True)
    written, errors, listing = [], [], []
    for doc in run.get("documents", []):
        if doc.get("status") != "ok":
            listing.append(f'<li>{_e(doc.get("doc_id"))}: not extracted — {_e(doc.get("error"))}</li>')
            continue
        try:
            index = build_document_report(extracted, run, doc, tables, missing, out_dir, pdf_dirs, scale)
        except AuditError as exc:
            errors.append(str(exc))
            print(f"error: {exc}", file=stderr)
            listing.append(f'<li class="warn">{_e(doc["doc_id"])}: {_e(exc)}</li>')
            continue
        written.append(index)
        rows = doc.get("rows") or {}
        listing.append(f'<li><a href="{_e(doc["doc_id"])}/index.html">{_e(doc["doc_id"])}</a> — '
                       f'{rows.get("measures", 0)} measures, {rows.get("targets", 0)} target rows, '
                       f'{len(doc.get("warnings") or [])} warning(s), {rows.get("leftovers", 0)} leftover(s)</li>')
    (out_dir / "index.html").write_text(
        '<!doctype html>\n<html lang="ja"><head><meta charset="utf-8"><title>sesaku audit</title>'
        f"<style>{CSS}</style></head><body><header class=\"summary\"><h1>sesaku audit</h1><ul>{''.join(listing)}</ul>"
        "</header></body></html>\n",
        encoding="utf-8",
    )
    return written, errors


