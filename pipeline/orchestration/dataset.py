"""An output folder is a dataset: documents are added or replaced, never dropped unasked.

Extracting into a folder that already holds tables replaces the rows of the
documents this run extracted (by doc_id) and keeps every other document's
rows as they were; a document that fails this run keeps its earlier rows.
The merged tables are ordered by doc_id like a single run's, so extracting
A then B gives the bytes of extracting A and B together.  ``_run.json``
lists every document of the folder with the run that produced it
(``dataset``) and keeps a short ``history`` of runs.  ``--replace-all``
starts the folder afresh.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..publishing.emit import read_tables
from .reports import DocumentReport

# Runs remembered in _run.json: enough to see when each document came in
# without the report growing with every `make extract`.
HISTORY_LENGTH = 50


@dataclass
class Dataset:
    """What an output folder holds before this run."""

    rows: dict[str, list[dict]] = field(default_factory=dict)  # table → rows
    entries: dict[str, dict] = field(default_factory=dict)  # doc_id → dataset entry
    history: list[dict] = field(default_factory=list)

    @property
    def owners(self) -> dict[str, str]:
        """doc_id → the absolute path of the PDF it was extracted from, where known."""
        return {doc_id: e["path"] for doc_id, e in self.entries.items() if e.get("path")}


def load_dataset(out_dir: Path) -> Dataset:
    """The folder's tables and run report; an empty Dataset for a new folder.

    Raises ``publishing.emit.OutputMismatch`` for tables this version
    cannot extend.
    """
    out_dir = Path(out_dir)
    tables = read_tables(out_dir)
    if tables is None:
        return Dataset()
    report: dict = {}
    # The tables are the dataset; a lost report only loses provenance.
    with contextlib.suppress(OSError, ValueError):
        report = json.loads((out_dir / "_run.json").read_text(encoding="utf-8"))
    entries = {e["doc_id"]: e for e in report.get("dataset", []) if isinstance(e, dict) and "doc_id" in e}
    for row in tables.get("documents", []):
        entries.setdefault(row["doc_id"], {"doc_id": row["doc_id"], "path": None, "sha256": row.get("sha256"),
                                           "run": None})
    history = [h for h in report.get("history", []) if isinstance(h, dict)]
    return Dataset(tables, entries, history)


def merge_into(previous: Dataset, fresh: Mapping[str, Mapping[str, Sequence[dict]]]) -> dict[str, list[dict]]:
    """Every table's rows: the earlier documents not in ``fresh``, then ``fresh``, by doc_id."""
    merged: dict[str, list[dict]] = {}
    names = set(previous.rows) | {name for tables in fresh.values() for name in tables}
    for name in names:
        by_doc: dict[str, list[dict]] = {}
        for row in previous.rows.get(name, []):
            if row["doc_id"] not in fresh:
                by_doc.setdefault(row["doc_id"], []).append(row)
        for doc_id, tables in fresh.items():
            by_doc[doc_id] = list(tables.get(name, ()))
        merged[name] = [row for doc_id in sorted(by_doc) for row in by_doc[doc_id]]
    return merged


def dataset_report(previous: Dataset, reports: Sequence[DocumentReport], run: dict,
                   extracted: Sequence[str], started: str) -> tuple[list[dict], list[dict]]:
    """(dataset entries, history) for the new _run.json."""
    entries = dict(previous.entries)
    for r in reports:
        if r.doc_id in extracted:
            entries[r.doc_id] = {"doc_id": r.doc_id, "path": str(Path(r.path).resolve()), "sha256": r.sha256,
                                 "run": started, "cached": r.cached}
    for r in reports:
        if r.status != "ok" and r.doc_id in entries:
            entries[r.doc_id] = dict(entries[r.doc_id], kept_after_failure=started)
    history = (previous.history + [{"run": started, **run["summary"]}])[-HISTORY_LENGTH:]
    return [entries[k] for k in sorted(entries)], history
