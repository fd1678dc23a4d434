"""A PDF without its %PDF- line, or with junk before it, is read; an HTML page or noise is still not a PDF."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.errors import NotAPdf
from pipeline.options import Options
from pipeline.orchestration.cli import main
from pipeline.reading.guards import check_file

REAL = Path(__file__).resolve().parent / "fixtures" / "real"


@pytest.mark.parametrize("name, text", [
    ("pdfjs_bug1606566_no_header.pdf", "Bug 1606566"),
    ("pdfjs_issue6069_junk_header.pdf", "Missing value for startxref and junk before magic header"),
])
def test_real_pdfs_with_a_missing_or_late_header_are_read(name, text, capsys):
    assert main(["text", str(REAL / name)]) == 0
    assert text in capsys.readouterr().out


@pytest.mark.parametrize("content", [
    b"<!DOCTYPE html><html><body>1 0 obj</body></html>",
    b"\n<html>\n%PDF link\n",
    os.urandom(2048).replace(b"%PDF-", b""),
    b"12 0 objection: plain text that only looks like an object",
])
def test_what_is_not_a_pdf_is_still_refused(tmp_path, content):
    path = tmp_path / "x.pdf"
    path.write_bytes(content)
    with pytest.raises(NotAPdf, match="not a PDF"):
        check_file(path, Options())


def test_a_file_opening_with_an_object_after_a_binary_comment_passes(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    check_file(path, Options())
