"""The Python API: one PDF's tables as pandas DataFrames, no files written.

    from pipeline import read_pdf
    tables = read_pdf("report.pdf")
    tables["measure_years"]          # one DataFrame per output table

The frames have exactly the Parquet files' columns and dtypes (pandas
``string``, ``Int64``, ``Float64``, ``boolean``), in the schema's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, Optional

from ..errors import BadOption, UsageError
from ..options import Options
from ..publishing.emit import rows_to_frame
from ..publishing.records import document_to_records
from ..publishing.schema import TABLES
from ..understanding.accounting import account
from ..understanding.legend import text_to_configured_legend
from .extract import extract_document
from .manifest import source_of


class Tables(dict):
    """Table name → DataFrame, in output order, with the document's ``warnings``."""

    warnings: tuple[str, ...] = ()


def read_pdf(
    path: str | Path,
    *,
    doc_id: Optional[str] = None,
    rating_legend: Optional[Sequence[tuple[int, str]] | str] = None,
    **options: Any,
) -> Tables:
    """Extract one PDF; raises the ``SesakuError`` that names what is wrong with it.

    ``options`` are the fields of ``pipeline.options.Options``, validated
    once (an unknown name or value raises ``UsageError``):

    - ``pages``: "1-3,7", "5-end" or "all" (the default);
    - ``password``: of an encrypted PDF;
    - ``engine``: "pdfplumber" (the default), "camelot" or "both"; ``prefer``:
      with "both", whose cell is kept where they differ;
    - ``ocr``: "auto" (the default) reads pages that are only images with
      the OCR extra when it is installed, "always" every page, "never" none;
    - ``limits``: a ``Limits`` (largest file, most pages, seconds per page, memory);
    - ``settings``: a ``Settings`` (the tolerances pages are read with).

    ``rating_legend`` is (value, label) pairs or the text of a legend file
    (``1：目標を大きく上回って達成`` …), used when the PDF prints none.
    ``doc_id`` defaults to the file's stem.
    """
    path = Path(path)
    if isinstance(rating_legend, str):
        try:
            rating_legend = text_to_configured_legend(rating_legend)
        except ValueError as exc:
            raise BadOption(path, f"rating_legend {exc}") from None
    legend = tuple(rating_legend or ())
    unknown = set(options) - {f.name for f in fields(Options)} | ({"speaks"} & set(options))
    if unknown:
        raise UsageError(f"read_pdf() got unknown option(s) {', '.join(sorted(unknown))}; "
                         f"see help(pipeline.read_pdf)")
    run = Options(**{"ocr": "auto", **options, "rating_legend": legend})
    doc = extract_document(path, run, doc_id=doc_id)
    records = document_to_records(doc, account(doc), configured_legend=legend or None)
    source = source_of(path, doc.source.sha256, {})
    if source is not None:
        for row in records.get("documents", ()):
            row["source_url"], row["source_note"] = source.url, source.note
    tables = Tables((name, rows_to_frame(table, records.get(name, ()))) for name, table in TABLES.items())
    tables.warnings = tuple(doc.warnings)
    return tables


__all__ = ["Tables", "read_pdf"]
