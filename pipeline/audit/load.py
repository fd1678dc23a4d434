"""What the audit reads: the run report, the output tables, the PDF each came from."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pyarrow.parquet as pq

from ..errors import OutputError
from ..publishing.schema import TABLES
from ..reading.guards import file_sha256


class AuditError(OutputError):
    """A document that cannot be reported, with a one-line reason."""


def load_run(extracted: Path) -> dict:
    run_path = extracted / "_run.json"
    if not run_path.is_file():
        raise AuditError(f"{extracted} is not an extracted folder (no _run.json); give a PDF or run `extract` first")
    try:
        run: dict = json.loads(run_path.read_text(encoding="utf-8"))
        return run
    except (ValueError, UnicodeDecodeError) as exc:
        raise AuditError(f"{run_path} is not valid JSON: {exc}") from None


def load_tables(extracted: Path) -> tuple[dict[str, list[dict]], list[str]]:
    """Every output table as rows (plain dicts, None for nulls), and the missing ones."""
    tables: dict[str, list[dict]] = {}
    missing = []
    for name in TABLES:
        path = extracted / f"{name}.parquet"
        if path.is_file():
            tables[name] = pq.read_table(path).to_pylist()
        else:
            tables[name] = []
            missing.append(name)
    return tables, missing


def find_pdf(doc: dict, extracted: Path, pdf_dirs: Sequence[Path]) -> Path:
    """The PDF the document was extracted from, checked by its sha256."""
    recorded = Path(doc["path"])
    candidates = [recorded] if recorded.is_absolute() else [Path.cwd() / recorded, extracted.parent / recorded, extracted / recorded]
    for d in pdf_dirs:
        candidates += [d / recorded.name, d / f"{doc['doc_id']}.pdf"]
    mismatched = []
    seen = set()
    for c in candidates:
        key = str(c.resolve()) if c.exists() else str(c)
        if key in seen or not c.is_file():
            continue
        seen.add(key)
        if not doc.get("sha256") or file_sha256(c) == doc["sha256"]:
            return c
        mismatched.append(str(c))
    if mismatched:
        raise AuditError(
            f"{doc['doc_id']}: {', '.join(mismatched)} differ(s) from the extracted PDF (sha256 {doc['sha256'][:12]}…); "
            "extract it again or point --pdf-dir at the original"
        )
    raise AuditError(f"{doc['doc_id']}: PDF {doc['path']} not found; give its folder with --pdf-dir")
