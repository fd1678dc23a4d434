"""Many documents: isolation, parallel workers, a Dask cluster, the cache, the run report.

Each document is extracted on its own (``run.extract_to_records`` never
raises), so one bad file is reported and never stops or corrupts the
others.  Results are gathered in input order whatever ran them (this
process, a pool of worker processes, a Dask cluster, the cache), so a
parallel, distributed or incremental run writes exactly the bytes a
serial run writes.

With ``cache_dir``, unchanged documents come from the cache
(``orchestration.cache``) and newly extracted ones are kept there.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Optional, TypeVar

from ..errors import UsageError
from ..options import Options
from ..reading.stage import ProgressFn
from ..version import __version__
from .cache import Result, cache_store, from_cache
from .docids import assign_doc_ids
from .extract import extract_to_records
from .reports import DocumentReport


def _is_hidden(path: Path, top: Path) -> bool:
    # .cache, .git, .staging-…: sesaku's and other tools' own folders.
    return any(part.startswith(".") for part in path.relative_to(top).parts[:-1])


def collect_pdfs(paths: Iterable[str]) -> list[Path]:
    """PDF files named directly or found in folders and their subfolders.

    Sorted per folder, no duplicates (the same file reached twice counts
    once); hidden folders are skipped.  Files of one stem in different
    folders get distinct doc_ids (``docids``).
    """
    found: dict[Path, None] = {}
    seen: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.suffix.lower() == ".pdf" and child.is_file() and not _is_hidden(child, p):
                    real = child.resolve()
                    if real not in seen:
                        seen.add(real)
                        found.setdefault(child, None)
        else:
            real = p.resolve()
            if real not in seen:
                seen.add(real)
                found.setdefault(p, None)
    return list(found)


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------- running


def _lost(pdf: Path, doc_id: str, why: str) -> Result:
    """A document whose worker vanished (killed, out of memory, cluster gone)."""
    return (
        DocumentReport(
            path=str(pdf), doc_id=doc_id, status="failed", error_kind="internal",
            error=f"{pdf}: {why} (the other documents are not affected; run it alone to see more)",
        ),
        None,
    )


def _run_serial(pdfs: Sequence[Path], ids: Sequence[str], todo: Sequence[int], options: Options,
                progress_for: Optional[Callable[[Path], Optional[ProgressFn]]]) -> Iterable[tuple[int, Result]]:
    for i in todo:
        pdf = pdfs[i]
        yield i, extract_to_records(str(pdf), options, progress_for(pdf) if progress_for else None, ids[i])


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group; the parent alone decides what
    # it means (stop, keep the previous outputs), so the workers ignore it
    # instead of each printing a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_processes(pdfs: Sequence[Path], ids: Sequence[str], todo: Sequence[int], options: Options,
                   workers: int) -> Iterable[tuple[int, Result]]:
    pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)), initializer=_ignore_interrupt)
    try:
        futures = {i: pool.submit(extract_to_records, str(pdfs[i]), options, None, ids[i]) for i in todo}
        for i, future in futures.items():
            try:
                yield i, future.result()
            except Exception as exc:  # BrokenProcessPool: a worker died (OOM killer, crash)
                yield i, _lost(pdfs[i], ids[i], f"the worker process died ({type(exc).__name__})")
    except BaseException:
        # Interrupted (or the consumer gave up): stop the workers now rather
        # than waiting for every queued document to finish.
        for process in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(Exception):
                process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_dask(pdfs: Sequence[Path], ids: Sequence[str], todo: Sequence[int], options: Options,
              address: str) -> Iterable[tuple[int, Result]]:
    """The same per-document task on an existing Dask distributed scheduler.

    Workers open the PDFs themselves, so they must see the files at the
    same absolute paths (a shared filesystem); reports are rewritten to the
    paths as given so that they match a local run.
    """
    try:
        from distributed import Client
    except ImportError:
        raise BatchError("--dask needs the 'distributed' package: pip install 'sesaku[dask]'") from None
    try:
        client = _quietly(lambda: Client(address, set_as_default=False, timeout=DASK_CONNECT_SECONDS))  # type: ignore[no-untyped-call]
    except Exception as exc:  # OSError, TimeoutError, ValueError for a malformed address
        why = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise BatchError(f"--dask {address}: no Dask scheduler answered within {DASK_CONNECT_SECONDS} s ({why})") from None
    with client:
        futures = {}
        for i in todo:
            absolute = str(pdfs[i].resolve())
            # pure=False: a file may change between runs under the same path.
            futures[i] = (absolute, client.submit(extract_to_records, absolute, options, None, ids[i], pure=False))
        for i, (absolute, future) in futures.items():
            try:
                report, records = future.result()
            except Exception as exc:
                yield i, _lost(pdfs[i], ids[i], f"the Dask task failed ({type(exc).__name__}: {exc})")
                continue
            given = str(pdfs[i])
            report.path = given
            if report.error:
                report.error = report.error.replace(absolute, given)
            yield i, (report, records)


class BatchError(UsageError):
    """The batch cannot run at all (no Dask scheduler, a missing extra); one line for the user."""


# A scheduler on the same network answers in well under a second; five
# seconds covers a busy one without leaving a mistyped address hanging
# for distributed's default of 30.
DASK_CONNECT_SECONDS = 5

T = TypeVar("T")


def _quietly(make: Callable[[], T]) -> T:
    """Call ``make`` with distributed's connection-retry log lines silenced."""
    import logging

    loggers = [logging.getLogger(name) for name in ("distributed", "distributed.client", "distributed.comm")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        return make()
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def run_batch(
    pdfs: Sequence[Path],
    options: Options,
    *,
    workers: int = 1,
    on_done: Optional[Callable[[DocumentReport], None]] = None,
    progress_for: Optional[Callable[[Path], Optional[ProgressFn]]] = None,
    dask_address: Optional[str] = None,
    cache_dir: Optional[Path] = None,
    taken: Optional[Mapping[str, str]] = None,
) -> tuple[list[DocumentReport], dict[str, dict]]:
    """Extract many documents; reports in input order and records per doc_id.

    ``workers`` > 1 runs documents in that many processes, ``dask_address``
    sends them to a Dask scheduler instead; ``cache_dir`` reuses the records
    of unchanged documents and keeps those of newly extracted ones;
    ``taken`` (doc_id → PDF path) names the documents already in the
    output folder, so that a new file never takes another's doc_id.
    ``on_done`` is called once per document, in input order.
    """
    pdfs = [Path(p) for p in pdfs]
    ids = assign_doc_ids(pdfs, taken)
    results: dict[int, Result] = {}
    keys: dict[int, str] = {}
    todo: list[int] = []
    for i, pdf in enumerate(pdfs):
        if cache_dir is not None:
            key, hit = from_cache(pdf, options, Path(cache_dir), ids[i])
            if key is not None:
                keys[i] = key
            if hit is not None:
                results[i] = hit
                continue
        todo.append(i)

    if dask_address:
        fresh = _run_dask(pdfs, ids, todo, options, dask_address)
    elif workers <= 1 or len(todo) <= 1:
        fresh = _run_serial(pdfs, ids, todo, options, progress_for)
    else:
        fresh = _run_processes(pdfs, ids, todo, options, workers)

    reported = 0

    def report_ready() -> None:
        nonlocal reported
        while reported < len(pdfs) and reported in results:
            if on_done:
                on_done(results[reported][0])
            reported += 1

    report_ready()
    for i, (report, records) in fresh:
        results[i] = (report, records)
        if cache_dir is not None and records is not None and i in keys and report.status == "ok":
            with contextlib.suppress(OSError):  # a full disk costs speed, not the run
                cache_store(Path(cache_dir), report.doc_id, keys[i], report, records)
        report_ready()

    reports = [results[i][0] for i in range(len(pdfs))]
    records = {results[i][0].doc_id: results[i][1] for i in range(len(pdfs)) if results[i][1] is not None}
    return reports, records


def run_report(reports: Sequence[DocumentReport], engine: str) -> dict:
    documents = []
    for r in reports:
        entry = dict(vars(r))
        # True when the records were reused from the cache (unchanged PDF).
        entry["cached"] = r.cached
        documents.append(entry)
    return {
        "sesaku_version": __version__,
        "engine": engine,
        "documents": documents,
        "summary": {
            "documents": len(reports),
            "extracted": sum(r.status == "ok" for r in reports),
            "failed": sum(r.status != "ok" for r in reports),
            "cached": sum(r.cached for r in reports),
        },
    }
