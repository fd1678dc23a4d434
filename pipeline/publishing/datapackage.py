"""The Frictionless data package (``datapackage.json``) that describes the CSVs.

Built only from ``schema.TABLES``, so it says exactly what the Parquet
metadata and the data dictionary say.  It is a pure function of the CSV
options: no row counts, hashes or dates, so equal inputs still give
byte-identical output folders.

Choices:

* ``encoding`` is the Python codec the CSVs were written with.  The
  default CSVs carry a BOM (for Excel), so they are declared
  ``utf-8-sig``, the name Frictionless itself infers for such files;
  ``cp932`` is declared as ``cp932`` because the IANA name Shift_JIS is a
  smaller character set (no ①, ㈱) and would fail to decode real files.
* The package describes the CSVs as written: with ``--csv-headers ja``
  the field names are the Japanese titles (they are unique per table;
  keys are renamed to match), since a validator matches the header row
  against the field names.  ``python -m pipeline package`` always
  re-exports English headers and UTF-8 with BOM, the form portals and
  scripts handle best.
* Nulls are empty CSV cells (``missingValues: [""]``), except in required
  text columns, which are never null: there an empty cell is the empty
  string (field-level ``missingValues: []``, Data Package v2).
* Keys: the primary and foreign keys of ``schema.TABLES``.  Every foreign
  key includes ``doc_id``, so joins stay within one document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .schema import TABLES, Field, TableSchema

PACKAGE_NAME = "sesaku"
# pandas writes booleans as True/False and nulls as empty cells.
TRUE_VALUES = ["True"]
FALSE_VALUES = ["False"]
MISSING_VALUES = [""]
HEADERS = ("en", "ja")


def field_description(field: Field) -> str:
    """One description for tools that show a single text: Japanese first, then English."""
    return f"{field.description_ja} / {field.description}"


def _column_name(field: Field, headers: str) -> str:
    return field.title_ja if headers == "ja" else field.name


def _field(field: Field, headers: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": _column_name(field, headers),
        "type": field.type,
        "title": field.title_ja,
        "description": field_description(field),
    }
    if headers == "ja":
        # Keep the stable English identifier reachable from the Japanese header.
        out["x-name-en"] = field.name
    if field.type == "boolean":
        out["trueValues"] = TRUE_VALUES
        out["falseValues"] = FALSE_VALUES
    if field.codes:
        out.setdefault("constraints", {})["enum"] = [value for value, _ in field.codes]
        out["x-code-labels-ja"] = dict(field.codes)
    if field.required:
        out.setdefault("constraints", {})["required"] = True
        if field.type == "string":
            # A required text can be empty (a ruled cell with nothing in it);
            # it is never null, so an empty CSV cell here is the empty string.
            out["missingValues"] = []
    return out


def table_schema(table: TableSchema, headers: str = "en") -> dict[str, Any]:
    """The Frictionless Table Schema of one output table."""
    by_name = {f.name: f for f in table.fields}

    def names(columns: Iterable[str], target: TableSchema = table) -> list[str]:
        fields = {f.name: f for f in target.fields}
        return [_column_name(fields[c], headers) for c in columns]

    schema: dict[str, Any] = {
        "fields": [_field(f, headers) for f in table.fields],
        "missingValues": MISSING_VALUES,
        "primaryKey": [_column_name(by_name[c], headers) for c in table.primary_key],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": names(local), "reference": {"resource": other, "fields": names(remote, TABLES[other])}}
            for local, other, remote in table.foreign_keys
        ]
    return schema


def resource(table: TableSchema, csv_encoding: str = "utf-8-sig", csv_headers: str = "en") -> dict[str, Any]:
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "title": table.title_ja,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": csv_encoding,
        # emit.write_csv fixes these: comma, double-quote quoting, "\n" lines.
        "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "lineTerminator": "\n", "header": True},
        "schema": table_schema(table, csv_headers),
    }


def datapackage(csv_encoding: str = "utf-8-sig", csv_headers: str = "en") -> dict[str, Any]:
    if csv_headers not in HEADERS:
        raise ValueError(f"unknown CSV headers {csv_headers!r}; choose one of {', '.join(HEADERS)}")
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "施策計画 実施結果 (sesaku)",
        "description": (
            "Tables extracted by sesaku from Japanese plan-evaluation PDFs (施策計画 tables): "
            "programs, measures, their current state, targets per fiscal year, results, the prose "
            "bullets and every counted quantity. 実行計画の実施結果PDFから抽出した施策計画表のデータ。"
        ),
        "resources": [resource(t, csv_encoding, csv_headers) for t in TABLES.values()],
    }


def without_tables(package: dict[str, Any], omitted: Iterable[str]) -> dict[str, Any]:
    """The package without the resources whose CSV was not written, nor keys pointing at them."""
    omitted = set(omitted)
    if not omitted:
        return package
    resources = []
    for res in package["resources"]:
        if res["name"] in omitted:
            continue
        res = json.loads(json.dumps(res))
        keys = [k for k in res["schema"].get("foreignKeys", []) if k["reference"]["resource"] not in omitted]
        if keys:
            res["schema"]["foreignKeys"] = keys
        else:
            res["schema"].pop("foreignKeys", None)
        resources.append(res)
    return {**package, "resources": resources}


def datapackage_json(csv_encoding: str = "utf-8-sig", csv_headers: str = "en", omitted: Iterable[str] = ()) -> str:
    """``datapackage.json`` for CSVs written with these ``--csv-encoding``/``--csv-headers``.

    ``omitted``: tables whose CSV could not be written in that encoding.
    """
    package = without_tables(datapackage(csv_encoding, csv_headers), omitted)
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


# Portal metadata.  extract's package stays a pure function of the CSV
# options (see above); ``python -m pipeline package`` knows the publisher,
# licence and source documents and adds them with this.
PORTAL_KEYS = ("title", "description", "version", "created", "keywords", "licenses", "sources", "contributors")


def with_portal_metadata(package: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    """``package`` with the Data Package's descriptive properties set
    (licenses [{name, path, title}], sources [{title, path}], contributors
    [{title, path, email, role}], version, created); empty values are left out,
    since the spec forbids empty licences and sources entries."""
    unknown = set(metadata) - set(PORTAL_KEYS)
    if unknown:
        raise ValueError(f"not a data package property sesaku sets: {', '.join(sorted(unknown))}")
    out = dict(package)
    for key in PORTAL_KEYS:
        value = metadata.get(key)
        if value:
            out[key] = value
    # Descriptive properties first, resources last, as a reader scans it.
    resources = out.pop("resources")
    out["resources"] = resources
    return out


def package_json(package: dict[str, Any]) -> str:
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
