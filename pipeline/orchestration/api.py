"""The Python API: one PDF's tables as pandas DataFrames, no files written.

    from pipeline import read_pdf
    tables = read_pdf("report.pdf")
    tables["measure_years"]          # one DataFrame per output table

The frames have exactly the Parquet files' columns and dtypes (pandas
``string``, ``Int64``, ``Float64``, ``boolean``), in the schema's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Optional

from ..errors import BadOption
from ..options import Limits
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
    pages: Optional[str] = None,
    password: Optional[str] = None,
    engine: str = "pdfplumber",
    rating_legend: Optional[Sequence[tuple[int, str]] | str] = None,
    limits: Limits = Limits(),
    doc_id: Optional[str] = None,
    ocr: str = "auto",
) -> Tables:
    """Extract one PDF; raises the ``SesakuError`` that names what is wrong with it.

    ``rating_legend`` is (value, label) pairs or the text of a legend file
    (``1：目標を大きく上回って達成`` …), used when the PDF prints none.
    ``ocr`` is ``--ocr``: "auto" reads pages that are only images with the
    OCR extra when it is installed, "always" every page, "never" none.
    """
    path = Path(path)
    if isinstance(rating_legend, str):
        try:
            rating_legend = text_to_configured_legend(rating_legend)
        except ValueError as exc:
            raise BadOption(path, f"rating_legend {exc}") from None
    doc = extract_document(path, engine=engine, pages=pages, password=password, limits=limits, doc_id=doc_id, ocr=ocr)
    records = document_to_records(doc, account(doc), configured_legend=tuple(rating_legend or ()) or None)
    source = source_of(path, doc.source.sha256, {})
    if source is not None:
        for row in records.get("documents", ()):
            row["source_url"], row["source_note"] = source.url, source.note
    tables = Tables((name, rows_to_frame(table, records.get(name, ()))) for name, table in TABLES.items())
    tables.warnings = tuple(doc.warnings)
    return tables


__all__ = ["Tables", "read_pdf"]
