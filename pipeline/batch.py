"""Many documents: isolation, parallel workers, the run report.

Each document is extracted on its own (``run.extract_to_records`` never
raises), so one bad file is reported and never stops or corrupts the
others.  Results are gathered in input order so that a parallel run
writes exactly what a serial run writes.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from . import __version__
from .run import DocumentReport, Options, ProgressFn, extract_to_records


def collect_pdfs(paths: Iterable[str]) -> list[Path]:
    """PDF files named directly or found in folders (sorted, no duplicates)."""
    found: dict[Path, None] = {}
    for p in map(Path, paths):
        if p.is_dir():
            for child in sorted(p.iterdir()):
                if child.is_file() and child.suffix.lower() == ".pdf":
                    found.setdefault(child, None)
        else:
            found.setdefault(p, None)
    return list(found)


def run_batch(
    pdfs: Sequence[Path],
    options: Options,
    *,
    workers: int = 1,
    on_done: Optional[Callable[[DocumentReport], None]] = None,
    progress_for: Optional[Callable[[Path], ProgressFn]] = None,
    dask_address: Optional[str] = None,
    cache_dir: Optional[Path] = None,
) -> tuple[list[DocumentReport], dict[str, dict]]:
    """Extract many documents; reports in input order and records per doc_id."""
    if dask_address:
        raise NotImplementedError("--dask is not available yet")
    results: dict[int, tuple[DocumentReport, Optional[dict]]] = {}
    first_with_id: dict[str, Path] = {}
    todo = []
    for i, pdf in enumerate(pdfs):
        owner = first_with_id.setdefault(pdf.stem, pdf)
        if owner is pdf:
            todo.append(i)
            continue
        # doc_id is the file stem; two files with one stem would mix their rows.
        results[i] = (
            DocumentReport(
                path=str(pdf), doc_id=pdf.stem, status="failed", error_kind="duplicate_doc_id",
                error=f"{pdf}: doc_id {pdf.stem!r} is already taken by {owner}; rename one of the files",
            ),
            None,
        )
        if on_done:
            on_done(results[i][0])
    if workers <= 1 or len(todo) <= 1:
        for i in todo:
            pdf = pdfs[i]
            results[i] = extract_to_records(str(pdf), options, progress_for(pdf) if progress_for else None)
            if on_done:
                on_done(results[i][0])
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {i: pool.submit(extract_to_records, str(pdfs[i]), options) for i in todo}
            for i, future in futures.items():
                results[i] = future.result()
                if on_done:
                    on_done(results[i][0])
    reports = [results[i][0] for i in range(len(pdfs))]
    records = {results[i][0].doc_id: results[i][1] for i in range(len(pdfs)) if results[i][1] is not None}
    return reports, records


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def run_report(reports: Sequence[DocumentReport], engine: str) -> dict:
    return {
        "sesaku_version": __version__,
        "engine": engine,
        "documents": [vars(r) for r in reports],
        "summary": {
            "documents": len(reports),
            "extracted": sum(r.status == "ok" for r in reports),
            "failed": sum(r.status != "ok" for r in reports),
        },
    }


