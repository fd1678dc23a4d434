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
  ``contact_*``), ``owner_org``, 出典 (``attribution``, ``source``) and one
  uploaded resource per CSV.  ``license_id`` is always an id of CKAN's
  default licence register (config spellings such as ``CC-BY-4.0`` or
  ``政府標準利用規約`` are mapped; anything else is refused), since a portal
  shows an unknown id as "License not specified".  A period ending
  「…年度以降」 gets no ``temporal_end`` (``temporal_open_ended`` instead):
  the documents give no end date.
* ``datapackage.json`` is extract's plus ``licenses``, ``sources`` (the
  PDFs and their MANIFEST notes/URLs), ``contributors``, ``version`` and
  ``created``.

Publisher, organization, licence and contact come from ``sesaku-portal.toml``
(or ``--config``), never from code.  ``last_modified`` is the time of the
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
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import pandas as pd
import pyarrow.parquet as pq

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

from ..errors import UsageError
from ..version import __version__
from .atomic import replace_folder, write_bytes_atomic
from .datapackage import datapackage, package_json, with_portal_metadata
from .dictionary import tables_to_markdown
from .emit import write_csv
from .schema import TABLES, TableSchema, arrow_schema, pandas_dtypes

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
# Keys added after configs were already in use: a config written before them
# still loads, with these defaults.
OPTIONAL_KEYS: dict[str, dict[str, str]] = {
    "publisher": {"organization": ""},
    "dataset": {"version": "1.0.0"},
}
CSV_ENCODING = "utf-8-sig"

# CKAN's default licence register (ckan/model/license.py in CKAN 2.12, the
# License* classes LicenseRegister falls back to; the ids are the same since
# CKAN 2.0): a portal without a custom
# licences_group_url knows only these ids, and shows "License not specified"
# for any other.  id -> (title, url) as CKAN has them.
CKAN_DEFAULT_LICENSES: dict[str, tuple[str, str]] = {
    "notspecified": ("License not specified", ""),
    "odc-pddl": ("Open Data Commons Public Domain Dedication and License (PDDL)", "http://www.opendefinition.org/licenses/odc-pddl"),
    "odc-odbl": ("Open Data Commons Open Database License (ODbL)", "http://www.opendefinition.org/licenses/odc-odbl"),
    "odc-by": ("Open Data Commons Attribution License", "http://www.opendefinition.org/licenses/odc-by"),
    "cc-zero": ("Creative Commons CCZero", "http://www.opendefinition.org/licenses/cc-zero"),
    "cc-by": ("Creative Commons Attribution", "http://www.opendefinition.org/licenses/cc-by"),
    "cc-by-sa": ("Creative Commons Attribution Share-Alike", "http://www.opendefinition.org/licenses/cc-by-sa"),
    "gfdl": ("GNU Free Documentation License", "http://www.opendefinition.org/licenses/gfdl"),
    "other-open": ("Other (Open)", ""),
    "other-pd": ("Other (Public Domain)", ""),
    "other-at": ("Other (Attribution)", ""),
    "uk-ogl": ("UK Open Government Licence (OGL)", "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
    "cc-nc": ("Creative Commons Non-Commercial (Any)", "http://creativecommons.org/licenses/by-nc/2.0/"),
    "other-nc": ("Other (Non-Commercial)", ""),
    "other-closed": ("Other (Not Open)", ""),
}


@dataclass(frozen=True)
class Licence:
    ckan_id: str  # one of CKAN_DEFAULT_LICENSES
    title: str
    url: str
    spdx: str = ""  # the Open Definition / SPDX id Frictionless expects, when there is one
    attribution: bool = True  # the licence requires 出典 (attribution)


_CC_BY = Licence("cc-by", "クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)",
                 "https://creativecommons.org/licenses/by/4.0/deed.ja", "CC-BY-4.0")
# 政府標準利用規約(第2.0版) declares itself compatible with CC BY 4.0 (content under
# it may be used under CC BY 4.0), so CKAN's cc-by is the honest register id
# and keeps the dataset under the open-licence facet; the title names the terms.
_GOV_JP = Licence("cc-by", "政府標準利用規約(第2.0版)(CC BY 4.0 互換)",
                  "https://www.kantei.go.jp/jp/singi/it2/densi/kettei/gl2_betten_1.pdf", "CC-BY-4.0")
_CC_BY_SA = Licence("cc-by-sa", "クリエイティブ・コモンズ 表示-継承 4.0 国際 (CC BY-SA 4.0)",
                    "https://creativecommons.org/licenses/by-sa/4.0/deed.ja", "CC-BY-SA-4.0")
_CC0 = Licence("cc-zero", "CC0 1.0 全世界 パブリック・ドメイン提供",
               "https://creativecommons.org/publicdomain/zero/1.0/deed.ja", "CC0-1.0", attribution=False)
# Config spellings (compared case-insensitively, spaces and brackets ignored) ->
# the licence.  Any CKAN default id is accepted as well, with CKAN's title.
LICENCE_ALIASES: dict[str, Licence] = {
    "cc-by": _CC_BY, "cc-by-4.0": _CC_BY, "ccby4.0": _CC_BY, "ccby": _CC_BY,
    "cc-by-sa": _CC_BY_SA, "cc-by-sa-4.0": _CC_BY_SA, "ccbysa4.0": _CC_BY_SA,
    "cc-zero": _CC0, "cc0": _CC0, "cc0-1.0": _CC0,
    "政府標準利用規約": _GOV_JP, "政府標準利用規約第2.0版": _GOV_JP, "政府標準利用規約2.0": _GOV_JP,
    "odc-by": Licence("odc-by", *CKAN_DEFAULT_LICENSES["odc-by"], "ODC-By-1.0"),
    "odc-odbl": Licence("odc-odbl", *CKAN_DEFAULT_LICENSES["odc-odbl"], "ODbL-1.0"),
    "odc-pddl": Licence("odc-pddl", *CKAN_DEFAULT_LICENSES["odc-pddl"], "PDDL-1.0", attribution=False),
}
_NO_ATTRIBUTION = {"notspecified", "cc-zero", "odc-pddl", "other-pd", "other-closed"}


class PackageError(UsageError):
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
    for section, keys in OPTIONAL_KEYS.items():
        if isinstance(config.get(section), dict):
            for key, default in keys.items():
                config[section].setdefault(key, default)
                if not isinstance(config[section][key], str):
                    raise PackageError(f"config {path}: [{section}] {key} must be a str")
    for section, required in CONFIG_KEYS.items():
        table = config.get(section)
        if not isinstance(table, dict):
            raise PackageError(f"config {path}: missing section [{section}]")
        for name, type_ in required.items():
            if name not in table:
                raise PackageError(f"config {path}: missing key '{name}' in [{section}]")
            if not isinstance(table[name], type_):
                raise PackageError(f"config {path}: [{section}] {name} must be a {type_.__name__}")
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
    organization = config["publisher"]["organization"]
    # CKAN organization names follow the same rule as dataset names.
    if organization and not SLUG.match(organization):
        raise PackageError(
            f"config {path}: [publisher] organization {organization!r} must be the CKAN organization's"
            " name (URL slug): 2-100 lowercase ASCII letters, digits, - or _"
        )
    licence(config, path)  # an unknown licence fails before anything is read
    return config


def _licence_key(value: str) -> str:
    return re.sub(r"[\s()\uff08\uff09「」]+", "", value).casefold()


def licence(config: Mapping, path: Any = "") -> Licence:
    """The licence the config names, as CKAN's default register knows it.

    The configured title and URL win over the table's (they may name the
    exact version); an id CKAN would not recognise is refused, since CKAN
    would silently show the dataset as "License not specified"."""
    section = config["license"]
    key = _licence_key(section["id"])
    found = LICENCE_ALIASES.get(key)
    if found is None and key in CKAN_DEFAULT_LICENSES:
        found = Licence(key, *CKAN_DEFAULT_LICENSES[key], attribution=key not in _NO_ATTRIBUTION)
    if found is None:
        known = ", ".join(sorted(set(LICENCE_ALIASES) | set(CKAN_DEFAULT_LICENSES)))
        raise PackageError(
            f"config {path}: [license] id {section['id']!r} is not in CKAN's default licence register; use one of {known}"
        )
    return Licence(found.ckan_id, section["title"].strip() or found.title, section["url"].strip() or found.url,
                   found.spdx, found.attribution)


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


def fiscal_period(targets: pd.DataFrame, docs: Optional[pd.DataFrame] = None) -> Optional[dict[str, Any]]:
    """対象期間 from the fiscal years of the targets (a fiscal year runs April to March).

    A period whose last column is 「…年度以降」 has no end: ``end`` is None
    then, so no portal shows a closing date the documents never gave."""
    years = targets["fiscal_year"].dropna()
    if years.empty:
        return None
    first, last = int(years.min()), int(years.max())
    open_ended = bool(targets.loc[targets["fiscal_year"] == last, "and_after"].fillna(False).any())
    if docs is not None and not docs.empty:
        # The documents table reads the 以降 from the year header itself.
        ends_here = docs["last_year"].astype("Int64") == last
        open_ended = open_ended or bool(docs.loc[ends_here.fillna(False), "open_ended"].fillna(False).any())
    label = f"{first}年度" + ("" if first == last and not open_ended else f"〜{last}年度") + ("以降" if open_ended else "")
    return {"first": first, "last": last, "open_ended": open_ended, "label": label,
            "start": f"{first}-04-01", "end": None if open_ended else f"{last + 1}-03-31"}


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


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and re.match(r"^https?://\S+$", value) is not None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def sources(extraction: Extraction) -> list[dict[str, str]]:
    """One source per PDF: its title (or file name), where it was published and the MANIFEST's note."""
    out = []
    for row in extraction.frames["documents"].astype(object).to_dict("records"):
        title = _text(row.get("title")) or _text(row.get("file_name")) or _text(row.get("doc_id"))
        source = {"title": title, "file_name": _text(row.get("file_name")), "author": _text(row.get("author"))}
        if _is_url(row.get("source_url")):
            source["path"] = row["source_url"]
        if _text(row.get("source_note")):
            source["note"] = _text(row["source_note"])
        out.append(source)
    return out


def attribution(config: Mapping, extraction: Extraction, lic: Licence) -> str:
    """出典 as CC BY asks for it: the source works, where they are, the licence,
    that the data was derived from them, and who made the data."""
    parts = []
    for source in sources(extraction):
        where = source.get("path") or source.get("note") or source["file_name"]
        # The PDF's author is the rights holder CC BY names first (e.g. 〇〇市「…」).
        parts.append(f"{source['author']}「{source['title']}」" + (f"({where})" if where and where != source["title"] else ""))
    publisher = _text(config["publisher"]["name"])
    text = "出典: " + "、".join(parts) + "を加工して作成" if parts else "出典: 収録文書なし"
    if publisher:
        text += f"(データ作成: {publisher})"
    text += f"。利用条件: {lic.title}"
    if lic.url:
        text += f"({lic.url})"
    return text + "。"


def _period_note(period: dict) -> str:
    if period["open_ended"]:
        return (f"対象期間: {period['label']}(目標の年度。最後の年度が「以降」で終わりが定まらないため、"
                f"終了日(temporal_end)は設けていません。開始日 {period['start']})")
    return f"対象期間: {period['label']}(目標の年度。{period['start']}〜{period['end']})"


def _notes(config: Mapping, extraction: Extraction, period: Optional[dict], lic: Licence) -> str:
    run = extraction.run
    lines = [config["dataset"]["notes"].strip(), ""]
    if period:
        lines.append(_period_note(period))
    docs = documents(run)
    lines.append(f"収録文書: {len(docs)}件")
    lines += [f"- {d['doc_id']}.pdf({d.get('pages', '?')}ページ, SHA-256 {d.get('sha256', '')[:16]}…)" for d in docs]
    if lic.attribution:
        lines += ["", attribution(config, extraction, lic)]
    else:
        lines += ["", f"利用条件: {lic.title}" + (f"({lic.url})" if lic.url else "")]
    lines.append(f"作成: sesaku {run.get('sesaku_version', __version__)}")
    return "\n".join(lines).strip() + "\n"


def _resource_description(table: TableSchema, rows: int, path: Path, language: str) -> str:
    if language == "ja":
        columns = "、".join(f.title_ja for f in table.fields)
        return (f"{table.title_ja}の表({rows}行)。列: {columns}。"
                f"CSV(UTF-8、BOM付き、1行目は英語の列名)。ファイル {path.name} はこのデータセットと一緒にアップロードされています。"
                "列の型と説明は datapackage.json と DATA_DICTIONARY.md を参照してください。")
    return (f"{table.title_ja}: {table.description} ({rows} rows). CSV, UTF-8 with BOM, English headers. "
            f"The file {path.name} is uploaded with this dataset; datapackage.json and DATA_DICTIONARY.md describe the columns.")


def ckan_package(config: Mapping, extraction: Extraction, name: str, csv_paths: Mapping[str, Path]) -> dict:
    """A CKAN package_create body; extras use the ckanext-dcat key names."""
    period = fiscal_period(extraction.frames["targets"], extraction.frames["documents"])
    modified = extraction.modified.strftime("%Y-%m-%dT%H:%M:%S")
    dataset, publisher, contact = (config[k] for k in ("dataset", "publisher", "contact"))
    lic = licence(config)
    extras = [
        ("publisher_name", publisher["name"]),
        ("publisher_url", publisher["url"]),
        ("contact_name", contact["name"]),
        ("contact_email", contact["email"]),
        ("language", dataset["language"]),
    ]
    if period:
        extras.append(("temporal_start", period["start"]))
        if period["end"]:
            extras.append(("temporal_end", period["end"]))
        extras.append(("対象期間", period["label"]))
        if period["open_ended"]:
            # Explicit, so a reader of the extras does not take the missing end for an omission.
            extras.append(("temporal_open_ended", "true"))
    urls = [s["path"] for s in sources(extraction) if "path" in s]
    extras += [
        # package_create drops a root license_title/license_url (CKAN shows its
        # register's), so the exact terms travel as extras.
        ("license_terms", lic.title),
        ("license_terms_url", lic.url),
        ("attribution", attribution(config, extraction, lic) if lic.attribution else ""),
        ("source", " ".join(urls)),
    ]
    extras.append(("generator", f"sesaku {__version__}"))
    resources = []
    for table_name, table in TABLES.items():
        path = csv_paths[table_name]
        rows = len(extraction.frames[table_name])
        resources.append({
            "name": f"{table.title_ja}({path.name})",
            "description": _resource_description(table, rows, path, dataset["language"]),
            # CKAN stores an uploaded file's url as its bare file name.
            "url": path.name,
            "url_type": "upload",
            "format": "CSV",
            "mimetype": "text/csv",
            "encoding": CSV_ENCODING,
            "size": path.stat().st_size,
            "hash": f"sha256:{_sha256(path)}",
            "last_modified": modified,
        })
    body = {
        "name": name,
        "title": dataset["title"],
        "notes": _notes(config, extraction, period, lic),
        "license_id": lic.ckan_id,
        "author": publisher["name"],
        "url": publisher["url"],
        "maintainer": contact["name"],
        "maintainer_email": contact["email"],
        "version": dataset["version"],
        "tags": [{"name": tag} for tag in dataset["tags"]],
        "extras": [{"key": k, "value": v} for k, v in extras if v],
        "resources": resources,
    }
    if publisher["organization"]:
        body["owner_org"] = publisher["organization"]
    return body


def portal_datapackage(config: Mapping, extraction: Extraction, name: str) -> dict:
    """The bundle's datapackage.json: extract's one plus licence, sources and who made it."""
    lic = licence(config)
    publisher, contact = config["publisher"], config["contact"]
    licence_entry = {"path": lic.url, "title": lic.title} if lic.url else {"title": lic.title}
    if lic.spdx:
        licence_entry = {"name": lic.spdx, **licence_entry}
    source_entries = []
    for source in sources(extraction):
        entry = {"title": f"{source['author']}「{source['title']}」" + (f"({source['note']})" if "note" in source else "")}
        if "path" in source:
            entry["path"] = source["path"]
        source_entries.append(entry)
    contributors = []
    if _text(publisher["name"]):
        contributors.append({"title": publisher["name"], "role": "publisher",
                             **({"path": publisher["url"]} if _is_url(publisher["url"]) else {})})
    if _text(contact["name"]) or _text(contact["email"]):
        contributors.append({"title": contact["name"] or contact["email"], "role": "maintainer",
                             **({"email": contact["email"]} if _text(contact["email"]) else {})})
    period = fiscal_period(extraction.frames["targets"], extraction.frames["documents"])
    description = config["dataset"]["notes"].strip()
    if period:
        description += "\n" + _period_note(period)
    if lic.attribution:
        description += "\n" + attribution(config, extraction, lic)
    return with_portal_metadata(
        datapackage(CSV_ENCODING, "en"),
        title=config["dataset"]["title"],
        description=description,
        version=config["dataset"]["version"],
        created=extraction.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        licenses=[licence_entry],
        sources=source_entries,
        contributors=contributors,
        keywords=list(config["dataset"]["tags"]),
    )


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
        (folder / "datapackage.json").write_text(package_json(portal_datapackage(config, extraction, name)), encoding="utf-8")
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


