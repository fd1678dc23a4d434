"""Shared fixtures: the three plan6 renderings, extracted once per session."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
PDFS = ("plan6.pdf", "plan6-excel.pdf", "plan6-quirks.pdf")

sys.path.insert(0, str(HERE))  # tests/synth.py


def pytest_configure(config):
    # What the page stage does before opening a document, once for the
    # session: tests open PDFs with pdfplumber and PDFium directly too.
    from pipeline.reading.setup import setup_readers

    setup_readers()
    config.addinivalue_line("markers", "slow: camelot, browser, notebook, fuzz and subprocess tests (pytest -m 'not slow' skips them)")


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((FIXTURES / "plan6.truth.json").read_text(encoding="utf-8"))


_EXTRACTED: dict = {}


def extracted(name: str):
    """(Document, records) for a fixture PDF, computed once per test session."""
    if name not in _EXTRACTED:
        from pipeline.orchestration.extract import extract_document
        from pipeline.publishing.records import document_to_records

        doc = extract_document(FIXTURES / name)
        _EXTRACTED[name] = (doc, document_to_records(doc))
    return _EXTRACTED[name]


_WS = re.compile(r"\s+")


def squash(value):
    """Compare text the way the truth asks: without whitespace."""
    if isinstance(value, str):
        return _WS.sub("", value)
    if isinstance(value, list):
        return [squash(v) for v in value]
    if isinstance(value, dict):
        return {k: squash(v) for k, v in value.items()}
    return value
