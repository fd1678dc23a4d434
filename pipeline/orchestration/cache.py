"""Records of unchanged documents, kept between runs.

An entry is keyed by the PDF's sha256, its doc_id and a fingerprint of
everything else the records depend on: sesaku's code, the versions of the
libraries that read and understand the PDF, every option and every
setting.  An unchanged PDF is then read from the cache instead of being
extracted again; any change to the file, the code, a library, an option
or a setting is a miss.

Entries are data only (JSON of the report and of each table's rows,
checked against the output schema when read), never pickles: the cache
lives in the output folder, which may sit on a file share or come from
someone else, and reading it must not run code.  An entry that cannot be
read, or is not what sesaku writes (corrupt, foreign, wrong-shaped), is a
miss with a warning: the document is extracted again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Optional

from ..errors import SesakuError
from ..options import Options
from ..publishing.atomic import write_bytes_atomic
from ..publishing.schema import TABLES
from ..reading.guards import file_sha256, regular_file
from ..version import __version__
from .reports import DocumentReport

Result = tuple[DocumentReport, Optional[dict]]

# Bumped when the layout of a cache entry changes, so old entries are misses.
# 3: JSON instead of pickle (entries of format 2 are never opened).
CACHE_FORMAT = 3
ENTRY_SUFFIX = ".json"

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
        described["password"] = hashlib.sha256(options.password.encode("utf-8", "surrogatepass")).hexdigest()
    return json.dumps(described, sort_keys=True, default=str)


def cache_key(sha256: str, doc_id: str, options: Options) -> str:
    # doc_id is in every row, so a renamed copy of a PDF is a different entry.
    text = "\n".join((sha256, doc_id, code_fingerprint(), options_fingerprint(options)))
    # surrogatepass: a file name that is not UTF-8 gives a doc_id holding lone surrogates.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _entry_dir(cache_dir: Path, doc_id: str) -> Path:
    # One folder per doc_id (hashed: a stem may hold any character), so
    # storing a new version of a document can drop its stale entries.
    return cache_dir / hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:20]


class BadEntry(ValueError):
    """A cache entry that is not what ``cache_store`` writes: read as a miss, with a warning."""


# The Python types a value of each schema type may have in a stored row
# (None: an empty cell).  bool is an int to Python, so it is kept apart.
_SCALARS: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
}


# What each field of a stored report may hold (None where the field may be empty).
_REPORT_FIELDS: dict[str, tuple[type, ...]] = {
    "path": (str,), "doc_id": (str,), "sha256": (str,), "status": (str,), "error": (str, type(None)),
    "error_kind": (str, type(None)), "pages": (int, type(None)), "rows": (dict,), "warnings": (list,),
    "seconds": (int, float), "accounting": (dict,), "agreement": (dict,), "glyphs": (dict,), "ocr": (dict,),
    "cached": (bool,),
}


def _checked_report(data: Any, doc_id: str) -> DocumentReport:
    if not isinstance(data, dict) or set(data) != set(_REPORT_FIELDS):
        raise BadEntry("its report does not have a report's fields")
    for name, kinds in _REPORT_FIELDS.items():
        value = data[name]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise BadEntry(f"its report's {name} is a {type(value).__name__}")
    if not all(isinstance(w, str) for w in data["warnings"]):
        raise BadEntry("its report's warnings are not all text")
    if data["doc_id"] != doc_id or data["status"] != "ok":
        raise BadEntry("its report is not of this document")
    return DocumentReport(**data)


def _checked_records(data: Any, doc_id: str) -> dict[str, list[dict]]:
    """The rows of every table, each value of its column's type, every row of ``doc_id``."""
    if not isinstance(data, dict):
        raise BadEntry("its records are not an object")
    records: dict[str, list[dict]] = {}
    for name, table in data.items():
        schema = TABLES.get(name)
        if schema is None:
            raise BadEntry(f"it holds a table {name!r} the schema does not name")
        if not isinstance(table, dict) or table.get("columns") != schema.names or not isinstance(table.get("rows"), list):
            raise BadEntry(f"its table {name} does not have the schema's columns")
        kinds = [_SCALARS[f.type] for f in schema.fields]
        width = len(kinds)
        rows = []
        for values in table["rows"]:
            if not isinstance(values, list) or len(values) != width:
                raise BadEntry(f"a row of its table {name} has not {width} values")
            for value, kind, field in zip(values, kinds, schema.fields):
                if value is not None and (not isinstance(value, kind) or (isinstance(value, bool) and bool not in kind)):
                    raise BadEntry(f"its table {name} holds a {type(value).__name__} in {field.name}")
            row = dict(zip(schema.names, values))
            if "doc_id" in row and row["doc_id"] != doc_id:
                raise BadEntry(f"its table {name} holds rows of another document")
            rows.append(row)
        records[name] = rows
    return records


def cache_load(cache_dir: Path, doc_id: str, key: str) -> tuple[Optional[Result], Optional[str]]:
    """(the cached (report, records) for this key or None, why an entry there was not used or None).

    A missing entry is a plain miss; one that is there but cannot be used
    is a miss whose reason the run reports as a warning.  Nothing in the
    entry is run: it is parsed as JSON and checked value by value.
    """
    path = _entry_dir(cache_dir, doc_id) / f"{key}{ENTRY_SUFFIX}"
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"cache entry {path} unreadable ({exc.strerror or type(exc).__name__}); extracted again"
    try:
        entry = json.loads(text)
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT or entry.get("key") != key:
            raise BadEntry("it is not an entry of this sesaku for this document")
        report = _checked_report(entry.get("report"), doc_id)
        records = _checked_records(entry.get("records"), doc_id)
    except (ValueError, TypeError, RecursionError) as exc:  # JSONDecodeError and BadEntry are ValueErrors
        why = " ".join(str(exc).split())[:160] if isinstance(exc, BadEntry) else "not valid JSON"
        return None, f"cache entry {path} not used: {why}; extracted again"
    return (report, records), None


def cache_store(cache_dir: Path, doc_id: str, key: str, report: DocumentReport, records: dict) -> None:
    """Keep this document's records; the older entries of the same doc_id go."""
    folder = _entry_dir(cache_dir, doc_id)
    entry = {
        "format": CACHE_FORMAT,
        "key": key,
        "report": dataclasses.asdict(report),
        # Columns once, rows as lists: a third of the size of rows as objects.
        "records": {name: {"columns": TABLES[name].names,
                           "rows": [[row[c] for c in TABLES[name].names] for row in rows]}
                    for name, rows in records.items()},
    }
    # ASCII JSON: a lone surrogate in a cell is kept as its escape and read back as it was.
    data = json.dumps(entry, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    write_bytes_atomic(folder / f"{key}{ENTRY_SUFFIX}", data)
    for stale in folder.iterdir():
        # Older entries, and the pickles of sesaku before format 3 (never opened).
        if stale.name != f"{key}{ENTRY_SUFFIX}" and stale.suffix in (ENTRY_SUFFIX, ".pickle"):
            with contextlib.suppress(OSError):
                stale.unlink()


def from_cache(pdf: Path, options: Options, cache_dir: Path,
               doc_id: Optional[str] = None) -> tuple[Optional[str], Optional[Result], Optional[str]]:
    """(key, cached result or None, why the entry found was not used or None);
    key is None when the file cannot be hashed."""
    started = time.perf_counter()
    try:
        regular_file(pdf)  # never hash a FIFO or a device: reading it would not end
        sha = file_sha256(pdf)
    except (OSError, SesakuError):
        return None, None, None  # extract_to_records reports the unreadable file
    doc_id = doc_id or pdf.stem
    key = cache_key(sha, doc_id, options)
    hit, why = cache_load(cache_dir, doc_id, key)
    if hit is None:
        return key, None, why
    report, records = hit
    # The entry may come from the same bytes under another folder.
    report.path = str(pdf)
    report.cached = True
    report.seconds = round(time.perf_counter() - started, 3)
    return key, (report, records), None
