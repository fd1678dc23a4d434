"""Text no output file can hold, or the workbook cannot: replaced by U+FFFD and listed.

A PDF's text (a glyph mapped to U+FFFE by its ToUnicode) or a file name
that is not UTF-8 (its bytes kept by Python as lone surrogates,
``\\udcff``) may hold characters a writer rejects: a lone surrogate cannot
be encoded as UTF-8 at all (Parquet, CSV, JSON, xlsx), and XML 1.0 — the
workbook — forbids the C0 controls other than tab, line feed and carriage
return, U+FFFE and U+FFFF.  Rejected, one such character stopped the whole
batch with a traceback, and every rerun again from the cache.

Each is written as ``SUBSTITUTE`` (U+FFFD REPLACEMENT CHARACTER, Unicode's
own sign for "a character that could not be represented"): lone
surrogates in every output, the others in the workbook only (Parquet and
the CSVs hold them as read).  Every replacement is listed (table, row,
column, doc_id, page, character) in the run report, ``_run.json``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .schema import TableSchema

SUBSTITUTE = "\ufffd"
# Not encodable as UTF-8: no file sesaku writes can hold it.
NOWHERE = re.compile("[\ud800-\udfff]")
# Not allowed in an XML 1.0 document (the workbook's sheets): XML's Char production.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EVERY_OUTPUT = "every output"
WORKBOOK_ONLY = "sesaku.xlsx"


def writable(text: str) -> str:
    """``text`` with every character no output can hold replaced by U+FFFD."""
    return NOWHERE.sub(SUBSTITUTE, text)


def xml_writable(text: str) -> str:
    """``text`` as the workbook can hold it."""
    return NOT_XML.sub(SUBSTITUTE, text)


def writable_tables(tables: Mapping[str, Sequence[Mapping]], schemas: Mapping[str, TableSchema],
                    workbook: bool = True) -> tuple[dict[str, list], list[dict]]:
    """The rows with every lone surrogate replaced, and the list of every replacement
    (those the workbook alone makes too, when it is written)."""
    out: dict[str, list] = {}
    found: list[dict] = []
    for name, rows in tables.items():
        schema = schemas.get(name)
        texts = [f.name for f in schema.fields if f.type == "string"] if schema else []
        changed: list = list(rows)
        for row_no, row in enumerate(rows, 1):
            fixed = None
            for column in texts:
                value = row.get(column)
                if not isinstance(value, str) or not NOT_XML.search(value):
                    continue
                for m in NOT_XML.finditer(value):
                    everywhere = bool(NOWHERE.match(m.group()))
                    if everywhere or workbook:
                        found.append({
                            "table": name, "row": row_no, "column": column,
                            "doc_id": writable(str(row.get("doc_id"))), "page": row.get("page"),
                            "position": m.start(), "code_point": f"U+{ord(m.group()):04X}",
                            "written_as": f"U+{ord(SUBSTITUTE):04X}",
                            "in": EVERY_OUTPUT if everywhere else WORKBOOK_ONLY,
                        })
                if NOWHERE.search(value):
                    fixed = fixed or dict(row)
                    fixed[column] = writable(value)
            if fixed is not None:
                changed[row_no - 1] = fixed
        out[name] = changed
    return out, found


# What may not be one part of a path: a separator (either system's) or NUL.
_NOT_IN_A_NAME = re.compile(r"[/\\\x00]")


def file_part(doc_id: str) -> str:
    """``doc_id`` as one part of a path (``audit/<doc_id>/``, ``tables/<doc_id>-1.csv``).

    Never ``.``, ``..`` or empty and never holding a separator, whatever
    the doc_id: one read from a folder someone else wrote may be ``..`` or
    ``../x``, and ``out / doc_id`` would then write outside ``--out``.  Such
    characters are written ``%2F``, ``%2E`` as in a URL; the doc_ids sesaku
    assigns (``orchestration.docids``) are their own file part.
    """
    part = _NOT_IN_A_NAME.sub(lambda m: f"%{ord(m.group()):02X}", doc_id)
    if part.strip(".") == "":  # "", ".", ".."
        part = "%2E" * len(part) or "%00"
    return part


__all__ = ["EVERY_OUTPUT", "NOT_XML", "NOWHERE", "SUBSTITUTE", "WORKBOOK_ONLY", "file_part", "writable", "writable_tables",
           "xml_writable"]
