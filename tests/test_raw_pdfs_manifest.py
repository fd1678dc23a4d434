"""raw_pdfs/ is immutable input: every file is listed in MANIFEST with its sha256."""

from __future__ import annotations

import hashlib
from pathlib import Path

RAW = Path(__file__).resolve().parent.parent / "raw_pdfs"


def manifest() -> dict[str, str]:
    entries = {}
    for line in (RAW / "MANIFEST").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, sha, source = line.split("\t", 2)
            assert source.strip(), f"{name}: say where it came from"
            entries[name] = sha
    return entries


def test_every_raw_pdf_is_listed_with_its_sha256():
    listed = manifest()
    on_disk = {p.name for p in RAW.iterdir() if p.suffix.lower() == ".pdf"}
    assert on_disk == set(listed)
    for name, sha in listed.items():
        assert hashlib.sha256((RAW / name).read_bytes()).hexdigest() == sha, f"{name} changed: raw_pdfs/ is immutable"
