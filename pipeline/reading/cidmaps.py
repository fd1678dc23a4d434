"""CID -> Unicode for the published character collections, in full.

A CID-keyed font of a known collection (Adobe-Japan1, -GB1, -CNS1,
-Korea1) that carries no ToUnicode map still names its characters: a CID
of Adobe-Japan1 is the same character in every font of that collection,
and Adobe publishes which (cid2code.txt, and the Uni*-UTF32 CMaps that
map Unicode to CIDs).  pdfminer ships both, but its CID -> Unicode tables
(``to-unicode-<collection>``) were built from the UCS-2 column, so every
character outside the Basic Multilingual Plane is missing: Acrobat Web
Capture's 𠮷 (Adobe-Japan1 CID 13706, U+20BB7, pdf.js issue 16176) came
out as ``(cid:13706)``, and PDFium, whose own table is UCS-2 too, gives
吉 (U+5409), another character.  381 CIDs of Adobe-Japan1 are such.

The full table here is pdfminer's, completed by inverting the collection's
UTF-32 CMaps that pdfminer ships (pdfminer/cmap/Uni*-UTF32-H.json.gz, and
for Japan1 the JIS2004 and JIS X 0213 ones): nothing is downloaded, and
nothing pdfminer maps is changed.  Where two code points name one CID the
one that is not a compatibility ideograph (U+F900-FAFF, U+2F800-2FA1F) is
kept, else the lowest.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Optional

from pdfminer.cmapdb import CMapDB, UnicodeMap

# The collections whose CIDs have a published meaning, and the UTF-32
# CMaps (as pdfminer names them) that map Unicode onto each, best first.
COLLECTIONS: dict[str, tuple[str, ...]] = {
    "Adobe-Japan1": ("UniJIS-UTF32", "UniJIS2004-UTF32", "UniJISX0213-UTF32", "UniJISX02132004-UTF32"),
    "Adobe-GB1": ("UniGB-UTF32",),
    "Adobe-CNS1": ("UniCNS-UTF32",),
    "Adobe-Korea1": ("UniKS-UTF32",),
}


def is_known(collection: str) -> bool:
    """``Registry-Ordering`` as pdfminer spells a font's ``cidcoding``."""
    return collection in COLLECTIONS


def _compatibility(code: int) -> bool:
    return 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F


def _walk(tree: Mapping, prefix: int = 0, depth: int = 0) -> Iterator[tuple[int, int]]:
    for byte, value in tree.items():
        code = (prefix << 8) | int(byte)
        if isinstance(value, Mapping):
            yield from _walk(value, code, depth + 1)
        else:
            yield code, int(value)


def _inverted(cmap_name: str) -> dict[int, str]:
    """CID -> Unicode from a Unicode -> CID CMap (four-byte UTF-32 codes)."""
    try:
        cmap = CMapDB.get_cmap(cmap_name)
    except CMapDB.CMapNotFound:
        return {}
    best: dict[int, int] = {}
    for code, cid in _walk(getattr(cmap, "code2cid", {})):
        if not 0 < code <= 0x10FFFF:
            continue
        held = best.get(cid)
        if held is None or (_compatibility(held), held) > (_compatibility(code), code):
            best[cid] = code
    return {cid: chr(code) for cid, code in best.items()}


@functools.lru_cache(maxsize=16)
def collection_map(collection: str, vertical: bool = False) -> Optional[dict[int, str]]:
    """The collection's CID -> Unicode table, or None for an unknown collection.

    ``vertical``: the table for vertical writing (pdfminer maps the
    vertical forms there); the UTF-32 ``-V`` CMap then fills before ``-H``.
    """
    if collection not in COLLECTIONS:
        return None
    try:
        table = dict(CMapDB.get_unicode_map(collection, vertical).cid2unichr)
    except CMapDB.CMapNotFound:
        table = {}
    suffixes = ("-V", "-H") if vertical else ("-H",)
    for name in COLLECTIONS[collection]:
        for suffix in suffixes:
            for cid, text in _inverted(name + suffix).items():
                table.setdefault(cid, text)
    return table


class CollectionUnicodeMap(UnicodeMap):
    """A pdfminer UnicodeMap over ``collection_map``'s table."""

    def __init__(self, collection: str, vertical: bool, table: dict[int, str]):
        super().__init__(CMapName=f"{collection}-full")
        if vertical:
            self.attrs["WMode"] = 1
        self.cid2unichr = table


def unicode_map(collection: str, vertical: bool = False) -> Optional[CollectionUnicodeMap]:
    table = collection_map(collection, vertical)
    return CollectionUnicodeMap(collection, vertical, table) if table else None


__all__ = ["COLLECTIONS", "CollectionUnicodeMap", "collection_map", "is_known", "unicode_map"]
