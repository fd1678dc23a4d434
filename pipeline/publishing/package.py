"""``python -m pipeline package``: an open-data portal bundle from an extraction.

Reads ``--from`` (an ``extract`` output folder: ``_run.json`` and every
``<table>.parquet``) and writes ``--out/<name>/`` and ``--out/<name>.zip``
holding:

* ``<table>.csv`` for every table, re-exported from the Parquet files as
  UTF-8 with BOM and English headers whatever ``extract`` was given, so a
  portal always gets the one form ``datapackage.json`` describes;
* ``datapackage.json`` (Frictionless), ``DATA_DICTIONARY.md``;
* ``ckan_package.json``: a CKAN ``package_create`` body with DCAT-style
  extras (``temporal_start``/``temporal_end``, ``publisher_*``,
  ``contact_*``) and one resource per CSV.

Publisher, licence and contact come from ``sesaku-portal.toml`` (or
``--config``), never from code.  ``last_modified`` is the time of the
extraction (``_run.json``'s mtime) or ``SOURCE_DATE_EPOCH`` when set, and
zip entries carry that same time, so packaging the same extraction again
gives byte-identical files.  Exit status 0, or 2 with one line on stderr.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Optional

import pandas as pd
import pyarrow.parquet as pq

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from ..version import __version__
from .atomic import replace_folder, write_bytes_atomic
from .datapackage import datapackage_json
from .dictionary import tables_to_markdown
from .emit import write_csv
from .schema import TABLES, arrow_schema, pandas_dtypes

EXIT_OK, EXIT_ERROR = 0, 2
CONFIG_NAME = "sesaku-portal.toml"
# CKAN's rule for a dataset name (the URL slug).
SLUG = re.compile(r"^[a-z0-9_-]{2,100}$")
# The keys every config must define, with their type.
CONFIG_KEYS: dict[str, dict[str, type]] = {
    "dataset": {"name": str, "title": str, "notes": str, "tags": list, "language": str},
    "publisher": {"name": str, "url": str},
    "contact": {"name": str, "email": str},
    "license": {"id": str, "title": str, "url": str},
}
CSV_ENCODING = "utf-8-sig"


class PackageError(Exception):
    """A problem with the input or the config, reported as one line."""


@dataclass(frozen=True)
class Extraction:
    folder: Path
    run: dict
    frames: dict[str, pd.DataFrame]
    modified: datetime  # UTC


# Config


def default_config_path() -> Path:
    """./sesaku-portal.toml, else the one at the root of this checkout."""
    here = Path(CONFIG_NAME)
    if here.is_file():
        return here
    return Path(__file__).resolve().parent.parent / CONFIG_NAME


def load_config(path: Optional[Path] = None) -> dict:
    path = Path(path) if path is not None else default_config_path()
    if not path.is_file():
        raise PackageError(f"config {path} not found (copy sesaku-portal.toml from the sesaku repository)")
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PackageError(f"config {path} is not valid TOML: {exc}") from None
    for section, keys in CONFIG_KEYS.items():
        table = config.get(section)
        if not isinstance(table, dict):
            raise PackageError(f"config {path}: missing section [{section}]")
        for key, type_ in keys.items():
            if key not in table:
                raise PackageError(f"config {path}: missing key '{key}' in [{section}]")
            if not isinstance(table[key], type_):
                raise PackageError(f"config {path}: [{section}] {key} must be a {type_.__name__}")
    if not all(isinstance(t, str) and t for t in config["dataset"]["tags"]):
        raise PackageError(f"config {path}: [dataset] tags must be a list of non-empty strings")
    name = config["dataset"]["name"]
    if name and not SLUG.match(name):
        raise PackageError(
            f"config {path}: [dataset] name {name!r} must be 2-100 lowercase ASCII letters, digits, - or _"
        )
    if not config["dataset"]["title"].strip():
        raise PackageError(f"config {path}: [dataset] title is empty")
    if not config["license"]["id"].strip():
        raise PackageError(f"config {path}: [license] id is empty")
    return config


# Input


def read_extraction(folder: Path) -> Extraction:
    folder = Path(folder)
    run_path = folder / "_run.json"
    if not run_path.is_file():
        raise PackageError(
            f"{folder} has no extraction (no _run.json); run `python -m pipeline extract PDF... --out {folder}` first"
        )
    try:
        run = json.loads(run_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise PackageError(f"{run_path} is not valid JSON: {exc}") from None
    frames = {}
    for name, table in TABLES.items():
        path = folder / f"{name}.parquet"
        if not path.is_file():
            raise PackageError(f"{folder} has no {name}.parquet; re-run `python -m pipeline extract ... --out {folder}`")
        try:
            arrow = pq.read_table(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise PackageError(f"{path} cannot be read: {exc}") from None
        if not arrow.schema.equals(arrow_schema(table), check_metadata=False):
            raise PackageError(f"{path} does not match this sesaku's schema; re-run `python -m pipeline extract`")
        frames[name] = arrow.to_pandas().astype(pandas_dtypes(table))
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = int(epoch) if epoch and epoch.isdigit() else int(run_path.stat().st_mtime)
    return Extraction(folder, run, frames, datetime.fromtimestamp(stamp, timezone.utc))


# Metadata


def documents(run: Mapping) -> list[dict]:
    return [d for d in run.get("documents", []) if d.get("status") == "ok"]


def fiscal_period(targets: pd.DataFrame) -> Optional[dict[str, Any]]:
    """対象期間 from the fiscal years of the targets (a fiscal year runs April to March)."""
    years = targets["fiscal_year"].dropna()
    if years.empty:
        return None
    first, last = int(years.min()), int(years.max())
    open_ended = bool(targets.loc[targets["fiscal_year"] == last, "and_after"].fillna(False).any())
    label = f"{first}年度" + ("" if first == last and not open_ended else f"〜{last}年度") + ("以降" if open_ended else "")
    return {"first": first, "last": last, "open_ended": open_ended, "label": label,
            "start": f"{first}-04-01", "end": f"{last + 1}-03-31"}


def dataset_name(config: Mapping, run: Mapping) -> str:
    """The configured slug, else one made from the document ids (ASCII only)."""
    if config["dataset"]["name"]:
        return config["dataset"]["name"]
    ids = sorted(d["doc_id"] for d in documents(run))
    slug = re.sub(r"[^a-z0-9_]+", "-", "-".join(["sesaku", *ids]).lower()).strip("-")
    slug = re.sub(r"-{2,}", "-", slug)
    if SLUG.match(slug) and slug != "sesaku":
        return slug
    # Japanese or very many file names: a stable name from the documents' content.
    digest = hashlib.sha256("\n".join(sorted(d.get("sha256", d["doc_id"]) for d in documents(run))).encode()).hexdigest()
    return f"sesaku-{digest[:12]}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _notes(config: Mapping, run: Mapping, period: Optional[dict]) -> str:
    lines = [config["dataset"]["notes"].strip(), ""]
    if period:
        lines.append(f"対象期間: {period['label']}(目標の年度)")
    docs = documents(run)
    lines.append(f"収録文書: {len(docs)}件")
    lines += [f"- {d['doc_id']}.pdf({d.get('pages', '?')}ページ, SHA-256 {d.get('sha256', '')[:16]}…)" for d in docs]
    lines.append(f"作成: sesaku {run.get('sesaku_version', __version__)}")
    return "\n".join(lines).strip() + "\n"


def ckan_package(config: Mapping, extraction: Extraction, name: str, csv_paths: Mapping[str, Path]) -> dict:
    """A CKAN package_create body; extras use the ckanext-dcat key names."""
    period = fiscal_period(extraction.frames["targets"])
    modified = extraction.modified.strftime("%Y-%m-%dT%H:%M:%S")
    dataset, publisher, contact, licence = (config[k] for k in ("dataset", "publisher", "contact", "license"))
    extras = [
        ("publisher_name", publisher["name"]),
        ("publisher_url", publisher["url"]),
        ("contact_name", contact["name"]),
        ("contact_email", contact["email"]),
        ("language", dataset["language"]),
    ]
    if period:
        extras += [("temporal_start", period["start"]), ("temporal_end", period["end"]), ("対象期間", period["label"])]
    extras.append(("generator", f"sesaku {__version__}"))
    resources = []
    for table_name, table in TABLES.items():
        path = csv_paths[table_name]
        rows = len(extraction.frames[table_name])
        resources.append({
            "name": f"{table.title_ja}({path.name})",
            "description": f"{table.title_ja}: {table.description}({rows}行)。列の説明は datapackage.json を参照。",
            "url": path.name,
            "format": "CSV",
            "mimetype": "text/csv",
            "encoding": CSV_ENCODING,
            "size": path.stat().st_size,
            "hash": f"sha256:{_sha256(path)}",
            "last_modified": modified,
        })
    return {
        "name": name,
        "title": dataset["title"],
        "notes": _notes(config, extraction.run, period),
        "license_id": licence["id"],
        "license_title": licence["title"],
        "license_url": licence["url"],
        "author": publisher["name"],
        "url": publisher["url"],
        "maintainer": contact["name"],
        "maintainer_email": contact["email"],
        "tags": [{"name": tag} for tag in dataset["tags"]],
        "extras": [{"key": k, "value": v} for k, v in extras if v],
        "resources": resources,
    }


# Output


def _zip(folder: Path, zip_path: Path, when: datetime) -> None:
    # Fixed order, time and permissions: the same files give the same zip.
    date_time = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.name}", date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def build_bundle(source: Path, out: Path, config_path: Optional[Path] = None) -> tuple[Path, Path, dict]:
    """Write out/<name>/ and out/<name>.zip; return them and the CKAN metadata."""
    config = load_config(config_path)
    extraction = read_extraction(source)
    name = dataset_name(config, extraction.run)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        folder = staging / name
        folder.mkdir()
        csv_paths = {}
        for table_name, table in TABLES.items():
            csv_paths[table_name] = folder / f"{table_name}.csv"
            write_csv(table, extraction.frames[table_name], csv_paths[table_name], CSV_ENCODING, "en")
        (folder / "datapackage.json").write_text(datapackage_json(CSV_ENCODING, "en"), encoding="utf-8")
        (folder / "DATA_DICTIONARY.md").write_text(tables_to_markdown(), encoding="utf-8")
        metadata = ckan_package(config, extraction, name, csv_paths)
        (folder / "ckan_package.json").write_text(
            json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        _zip(folder, staging / f"{name}.zip", extraction.modified)
        # Moved into place only once complete: a failure leaves the previous bundle.
        target, target_zip = out / name, out / f"{name}.zip"
        replace_folder(folder, target)
        write_bytes_atomic(target_zip, (staging / f"{name}.zip").read_bytes())
        return target, target_zip, metadata
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def package_command(args) -> int:
    """CLI entry: ``args.source``, ``args.out``, ``args.config`` (see cli.build_parser)."""
    try:
        folder, zip_path, metadata = build_bundle(args.source, args.out, args.config)
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"error: cannot write the bundle into {args.out}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for key, what in (("author", "[publisher] name"), ("maintainer_email", "[contact] email")):
        if not metadata[key]:
            print(f"warning: no {what} in the portal config; the portal will show none", file=sys.stderr)
    print(f"packaged {len(metadata['resources'])} tables into {folder}/ and {zip_path}", file=sys.stderr)
    return EXIT_OK
