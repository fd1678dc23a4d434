"""The data dictionary (``docs/DATA_DICTIONARY.md``), generated from ``schema.TABLES``.

``python -m pipeline.publishing.dictionary`` rewrites the file; ``python -m
pipeline.publishing.dictionary -`` prints it.  A test compares the committed file
with :func:`tables_to_markdown`, so it cannot drift from the schema.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from ..vocabulary import DEFAULT_RATING_LEGEND
from .schema import RULED_TABLES, TABLES, Field, TableSchema

DEFAULT_PATH = Path("docs/DATA_DICTIONARY.md")

# What each schema type becomes in each output (see schema._ARROW/_PANDAS).
TYPES = {
    "string": "string (Arrow string, pandas string)",
    "integer": "integer (Arrow int64, pandas Int64)",
    "number": "number (Arrow float64, pandas Float64)",
    "boolean": "boolean (Arrow bool, pandas boolean; CSV True/False)",
}


def _cell(text: str) -> str:
    # A pipe would end the Markdown table cell; descriptions use it for "a | b".
    return text.replace("|", "\\|").replace("\n", " ")


def _keys(columns: Iterable[str]) -> str:
    return ", ".join(f"`{c}`" for c in columns)


def _field_row(field: Field) -> str:
    cells = (
        f"`{field.name}`",
        field.title_ja,
        field.type,
        "yes" if field.required else "",
        field.description_ja,
        field.description,
    )
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def table_to_markdown(table: TableSchema) -> str:
    lines = [
        f"## `{table.name}` — {table.title_ja}",
        "",
        table.description + ".",
        "",
        f"Files: `{table.name}.parquet`, `{table.name}.csv`. Primary key: {_keys(table.primary_key)}.",
    ]
    for local, other, remote in table.foreign_keys:
        lines.append(f"Foreign key: {_keys(local)} → `{other}` ({_keys(remote)}).")
    lines += [
        "",
        "| column | 列名 (`--csv-headers ja`) | type | required | 説明 | description |",
        "|---|---|---|---|---|---|",
        *(_field_row(f) for f in table.fields),
        "",
    ]
    for f in table.fields:
        if f.codes:
            lines += [
                f"Codes of `{f.name}` ({f.title_ja}): "
                + "; ".join(f"`{value}` = {label}" for value, label in f.codes) + ".",
                "",
            ]
    return "\n".join(lines)


def tables_to_markdown() -> str:
    """The whole dictionary: types legend, then one section per table in output order."""
    head = [
        "# Data dictionary / データ辞書",
        "",
        "<!-- Generated from pipeline/publishing/schema.py by `python -m pipeline.publishing.dictionary`; do not edit by hand. -->",
        "",
        "Every table is written as `<table>.parquet` and `<table>.csv` (and described in "
        "`datapackage.json`). Every row carries `doc_id` (the PDF's file stem; files of one batch "
        "that share a stem are prefixed with the parent folder names that tell them apart, "
        "`2023-report`, `2024-report`; one a spreadsheet would read as a number or a date, `000123`, "
        "is written `doc-000123`); keys join within one `doc_id`, and `documents` says "
        "which file each `doc_id` is. Coded columns hold short English codes in every output; "
        "their Japanese labels are listed under each table. Empty CSV cells are nulls, except in required text columns, where an empty "
        "cell is the empty string.",
        "",
        "Tables: " + ", ".join(f"`{t.name}` ({t.title_ja})" for t in TABLES.values()) + ".",
        "",
        "| type | in Parquet, pandas and CSV |",
        "|---|---|",
        *(f"| {name} | {_cell(text)} |" for name, text in TYPES.items()),
        "",
    ]
    legend = [
        "## Rating labels / 達成状況区分の凡例",
        "",
        "`rating_label` is read from the legend the PDF prints under 達成状況区分 when it prints one "
        "(`rating_label_source` = `document`), else from the file given with `--rating-legend` "
        "(`configured`, one `VALUE：LABEL` line per value), else from this default — **an assumption "
        "about the report family, not a fact read from the document** (`default`):",
        "",
        "| rating | label (assumed) |",
        "|---|---|",
        *(f"| {value} | {label} |" for value, label in DEFAULT_RATING_LEGEND),
        "",
        "A trailing `*` (`3*`) is kept in `rating` and does not change the label.",
        "",
    ]
    ruled = [
        "# Output of `tables` (any ruled table) / 罫線表の出力",
        "",
        "`python -m pipeline tables PATH… --out DIR` writes these into DIR (not into extract's folder), "
        "plus one wide CSV per table, `tables/<doc_id>-<table_no>.csv`.",
        "",
    ]
    return "\n".join(head + legend + [table_to_markdown(t) for t in TABLES.values()]
                     + ruled + [table_to_markdown(t) for t in RULED_TABLES.values()])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) > 1 or (argv and argv[0] in ("-h", "--help")):
        print("usage: python -m pipeline.publishing.dictionary [PATH | -]  (default: docs/DATA_DICTIONARY.md)", file=sys.stderr)
        return 2
    text = tables_to_markdown()
    target = argv[0] if argv else str(DEFAULT_PATH)
    if target == "-":
        sys.stdout.write(text)
        return 0
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
