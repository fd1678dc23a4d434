"""raw_pdfs/ is immutable input: every file is listed in MANIFEST with its sha256."""

from __future__ import annotations

import hashlib
import warnings
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


def test_every_listed_raw_pdf_is_there_unchanged():
    listed = manifest()
    on_disk = {p.name for p in RAW.iterdir() if p.suffix.lower() == ".pdf"}
    assert set(listed) <= on_disk, f"listed but missing: {sorted(set(listed) - on_disk)}"
    # A user's own PDF dropped into raw_pdfs/ is not a broken checkout: it
    # is named, so that it can be listed with its source, but never fails.
    for name in sorted(on_disk - set(listed)):
        warnings.warn(f"raw_pdfs/{name} is not in raw_pdfs/MANIFEST; add 'name<TAB>sha256<TAB>source' for it", stacklevel=1)
    for name, sha in listed.items():
        assert hashlib.sha256((RAW / name).read_bytes()).hexdigest() == sha, f"{name} changed: raw_pdfs/ is immutable"
