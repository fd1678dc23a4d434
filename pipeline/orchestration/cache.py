"""Records of unchanged documents, kept between runs.

An entry is keyed by the PDF's sha256, its doc_id and a fingerprint of
everything else the records depend on: sesaku's code, the versions of the
libraries that read and understand the PDF, every option and every
setting.  An unchanged PDF is then read from the cache instead of being
extracted again; any change to the file, the code, a library, an option
or a setting is a miss.  Entries are pickles: never point ``--out`` at a
folder you do not trust.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import pickle
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional

from ..options import Options
from ..publishing.atomic import write_bytes_atomic
from ..reading.guards import file_sha256
from ..version import __version__
from .reports import DocumentReport

Result = tuple[DocumentReport, Optional[dict]]

# Bumped when the layout of a cache entry changes, so old entries are misses.
CACHE_FORMAT = 2

# The distributions whose code reads or understands a PDF: a different
# version may read the same PDF differently, so it must not reuse cached
# records.  tests/test_cache.py checks this against every third-party
# import of pipeline/ and normalizers/ (pandas and pyarrow only write the
# records, after the cache).
RECORD_LIBRARIES = (
    "pdfplumber", "pdfminer.six", "pypdfium2", "camelot-py", "opencv-python-headless", "numpy",
    "fugashi", "unidic-lite", "jaconv",
    # The OCR route's models ship inside rapidocr's wheel: its version pins them.
    "rapidocr", "onnxruntime",
)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sesaku's version plus a digest of its source and of the record libraries' versions.

    ``__version__`` alone is not bumped for every change made between
    releases; hashing the source means an edited pipeline never serves
    records that the new code would not produce.
    """
    digest = hashlib.sha256(f"sesaku {__version__} cache {CACHE_FORMAT}\n".encode())
    root = Path(__file__).resolve().parent.parent.parent
    for package in ("pipeline", "normalizers"):
        for source in sorted((root / package).rglob("*.py")):
            digest.update(source.relative_to(root).as_posix().encode() + b"\0")
            digest.update(source.read_bytes())
    for name in RECORD_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}=={version}\n".encode())
    return digest.hexdigest()


def options_fingerprint(options: Options) -> str:
    """Every option and setting (the password only as a digest)."""
    described = dataclasses.asdict(options)
    if options.password:
        described["password"] = hashlib.sha256(options.password.encode()).hexdigest()
    return json.dumps(described, sort_keys=True, default=str)


def cache_key(sha256: str, doc_id: str, options: Options) -> str:
    # doc_id is in every row, so a renamed copy of a PDF is a different entry.
    text = "\n".join((sha256, doc_id, code_fingerprint(), options_fingerprint(options)))
    return hashlib.sha256(text.encode()).hexdigest()


def _entry_dir(cache_dir: Path, doc_id: str) -> Path:
    # One folder per doc_id (hashed: a stem may hold any character), so
    # storing a new version of a document can drop its stale entries.
    return cache_dir / hashlib.sha256(doc_id.encode()).hexdigest()[:20]


def cache_load(cache_dir: Path, doc_id: str, key: str) -> Optional[Result]:
    """The cached (report, records) for this key, or None (missing or unreadable)."""
    path = _entry_dir(cache_dir, doc_id) / f"{key}.pickle"
    try:
        with open(path, "rb") as fh:
            entry = pickle.load(fh)
    except Exception:  # missing, truncated or foreign: a miss, never an error
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    return entry["report"], entry["records"]


def cache_store(cache_dir: Path, doc_id: str, key: str, report: DocumentReport, records: dict) -> None:
    """Keep this document's records; the older entries of the same doc_id go."""
    folder = _entry_dir(cache_dir, doc_id)
    entry = {"key": key, "report": report, "records": records}
    write_bytes_atomic(folder / f"{key}.pickle", pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
    for stale in folder.glob("*.pickle"):
        if stale.name != f"{key}.pickle":
            with contextlib.suppress(OSError):
                stale.unlink()


def from_cache(pdf: Path, options: Options, cache_dir: Path, doc_id: Optional[str] = None) -> tuple[Optional[str], Optional[Result]]:
    """(key, cached result or None); key is None when the file cannot be hashed."""
    started = time.perf_counter()
    try:
        sha = file_sha256(pdf)
    except OSError:
        return None, None  # extract_to_records reports the unreadable file
    doc_id = doc_id or pdf.stem
    key = cache_key(sha, doc_id, options)
    hit = cache_load(cache_dir, doc_id, key)
    if hit is None:
        return key, None
    report, records = hit
    # The entry may come from the same bytes under another folder.
    report.path = str(pdf)
    report.cached = True
    report.seconds = round(time.perf_counter() - started, 3)
    return key, (report, records)
