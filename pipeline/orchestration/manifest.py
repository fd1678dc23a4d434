"""Where a PDF came from: the ``MANIFEST`` beside it, when its folder has one.

A MANIFEST (as in ``raw_pdfs/``) lists one file per line, tab separated:
``name  sha256  source`` where source is free text that may hold the
publisher's URL.  Lines starting with ``#`` are comments; ``MANIFEST.tsv``
is read too.  A listed file whose bytes no longer match its sha256 gets no
source: the note would describe another file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

NAMES = ("MANIFEST", "MANIFEST.tsv")
_URL = re.compile(r"https?://[^\s\"'<>）)」]+")


@dataclass(frozen=True)
class Source:
    url: Optional[str]
    note: str


def read_manifest(folder: Path) -> dict[str, tuple[str, str]]:
    """file name → (sha256, source text) from the folder's MANIFEST; {} if none."""
    listed: dict[str, tuple[str, str]] = {}
    for name in NAMES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # a broken MANIFEST costs the source notes, not the run
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) >= 3:
                listed.setdefault(parts[0].strip(), (parts[1].strip().lower(), "\t".join(parts[2:]).strip()))
    return listed


def source_of(pdf: Path, sha256: Optional[str], manifests: dict[Path, dict]) -> Optional[Source]:
    """The MANIFEST's source for this file, if listed with these bytes."""
    folder = pdf.resolve().parent
    if folder not in manifests:
        manifests[folder] = read_manifest(folder)
    entry = manifests[folder].get(pdf.name)
    if entry is None or (sha256 and entry[0] and entry[0] != sha256):
        return None
    found = _URL.search(entry[1])
    return Source(found.group(0) if found else None, entry[1])
