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
import functools
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Optional, TypeVar

from ..errors import UsageError
from ..options import Options
from ..reading.guards import resolved
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
                    real = resolved(child)
                    if real not in seen:
                        seen.add(real)
                        found.setdefault(child, None)
        else:
            real = resolved(p)
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


# (document index, pages done, pages selected): one page read (``progress``).
PageFn = Callable[[int, int, int], None]


def _run_serial(pdfs: Sequence[Path], ids: Sequence[str], todo: Sequence[int], options: Options,
                progress_for: Optional[Callable[[Path], Optional[ProgressFn]]],
                on_page: Optional[PageFn]) -> Iterable[tuple[int, Result]]:
    for i in todo:
        pdf = pdfs[i]
        if on_page is not None:
            progress: Optional[ProgressFn] = functools.partial(on_page, i)
        else:
            progress = progress_for(pdf) if progress_for else None
        yield i, extract_to_records(str(pdf), options, progress, ids[i])


# The queue a worker process sends its pages through (set by ``_start_worker``).
_PAGES: Optional[Any] = None


def _start_worker(pages: Optional[Any]) -> None:
    global _PAGES
    _PAGES = pages
    # Ctrl-C reaches the whole process group; the parent alone decides what
    # it means (stop, keep the previous outputs), so the workers ignore it
    # instead of each printing a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker forked from the command line inherits its SIGTERM handler
    # (raise ``Terminated``); a worker told to stop just stops.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Both were blocked while the parent forked it (``_STOPS``): a signal
    # that came before this point is handled now, as set above.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)


# Blocked while workers are forked, so that a worker stopped before its
# initializer has run never handles them as the parent does (a
# KeyboardInterrupt or Terminated traceback from the worker's bootstrap).
_STOPS = {signal.SIGINT, signal.SIGTERM}


def _send_page(index: int, done: int, total: int) -> None:
    if _PAGES is not None:
        _PAGES.put((index, done, total))


def _extract_in_worker(index: int, path: str, options: Options, doc_id: str) -> Result:
    """``extract_to_records`` in a worker process, each page read sent to the parent's bar."""
    progress = functools.partial(_send_page, index) if _PAGES is not None else None
    return extract_to_records(path, options, progress, doc_id)


def _forward_pages(pages: Any, on_page: PageFn) -> None:
    """In the parent: the workers' pages to ``on_page`` until the ``None`` that ends the batch."""
    while True:
        item = pages.get()
        if item is None:
            return
        with contextlib.suppress(Exception):  # a progress bar never stops the batch
            on_page(*item)


def _run_processes(pdfs: Sequence[Path], ids: Sequence[str], todo: Sequence[int], options: Options,
                   workers: int, on_page: Optional[PageFn]) -> Iterable[tuple[int, Result]]:
    context = multiprocessing.get_context()
    pages = context.Queue() if on_page is not None else None
    forwarder = None
    if pages is not None and on_page is not None:
        forwarder = threading.Thread(target=_forward_pages, args=(pages, on_page), name="sesaku-pages", daemon=True)
        forwarder.start()
    pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=context,
                               initializer=_start_worker, initargs=(pages,))
    try:
        yield from _gather(pool, pdfs, ids, todo, options)
    finally:
        if pages is not None and forwarder is not None:
            pages.put(None)
            forwarder.join(timeout=5)
            pages.close()
            pages.cancel_join_thread()  # a worker terminated mid-put must not hold the parent's exit


def _gather(pool: ProcessPoolExecutor, pdfs: Sequence[Path], ids: Sequence[str], todo: Sequence[int],
            options: Options) -> Iterable[tuple[int, Result]]:
    try:
        # Workers are forked on the first submit (they inherit the mask);
        # a Ctrl-C or SIGTERM meanwhile is taken when the mask is restored.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        try:
            futures = {i: pool.submit(_extract_in_worker, i, str(pdfs[i]), options, ids[i]) for i in todo}
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
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
            absolute = str(resolved(pdfs[i]))
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
    on_page: Optional[PageFn] = None,
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
    ``on_done`` is called once per document, in input order; ``on_page``
    (document index, pages done, pages selected) after each page read, in
    this process or a worker (not on Dask), and then ``progress_for`` is not used.
    """
    pdfs = [Path(p) for p in pdfs]
    ids = assign_doc_ids(pdfs, taken)
    results: dict[int, Result] = {}
    keys: dict[int, str] = {}
    # Why a document's cache entry was not used (corrupt, foreign, wrong-shaped):
    # a warning of its fresh report, never stored with it.
    unused: dict[int, str] = {}
    todo: list[int] = []
    for i, pdf in enumerate(pdfs):
        if cache_dir is not None:
            key, hit, why = from_cache(pdf, options, Path(cache_dir), ids[i])
            if key is not None:
                keys[i] = key
            if why is not None:
                unused[i] = why
            if hit is not None:
                results[i] = hit
                continue
        todo.append(i)

    if dask_address:
        fresh = _run_dask(pdfs, ids, todo, options, dask_address)
    elif workers <= 1 or len(todo) <= 1:
        fresh = _run_serial(pdfs, ids, todo, options, progress_for, on_page)
    else:
        fresh = _run_processes(pdfs, ids, todo, options, workers, on_page)

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
        if i in unused:
            report.warnings.append(unused[i])
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
