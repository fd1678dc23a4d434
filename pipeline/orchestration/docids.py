"""doc_id: the name every row of a document carries, unique within a batch.

A doc_id is the file stem (``report.pdf`` → ``report``), which is what a
user recognises in a spreadsheet.  Reports of one city are often filed as
``2023/report.pdf`` and ``2024/report.pdf``; the stem alone would mix their
rows, so files that share a stem are told apart by the fewest parent
folder names that make them different, joined with ``-`` from the outside
in (``2023-report``, ``2024-report``).  Files with a unique stem keep the
bare stem, so adding a folder to a batch never renames the others unless
their stems collide.

A doc_id that a spreadsheet would read as a number or a date (``000123``
becomes 123 in Excel, ``2023-04`` becomes April 2023, ``1e5`` 100000)
gets the prefix ``doc-``: the CSVs are opened in Excel by double-click,
where no quoting keeps a cell text, and a joined key must survive that.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Optional

SEPARATOR = "-"
SPREADSHEET_SAFE_PREFIX = "doc-"

# What Excel and LibreOffice turn into a number or date on opening a CSV:
# digits with signs, separators, exponents, percent, currency, times and
# date punctuation, in full or half width (Excel reads ０１２ as 12 too).
_NUMBER_LIKE = re.compile(r"[0-9０-９+\-−.,:/%$¥()\s]*[0-9０-９][0-9０-９+\-−.,:/%$¥()eE\s]*")


def spreadsheet_safe(doc_id: str) -> str:
    """``doc_id`` with ``doc-`` in front when a spreadsheet would make it a number."""
    return f"{SPREADSHEET_SAFE_PREFIX}{doc_id}" if _NUMBER_LIKE.fullmatch(doc_id) else doc_id


def stem_doc_id(path: Path) -> str:
    """The doc_id of a file on its own: its stem, made spreadsheet-safe."""
    return spreadsheet_safe(Path(path).stem)


def _parents(path: Path) -> list[str]:
    # Innermost first; the absolute path so that "a/report.pdf" given from
    # inside "2023" still has "2023" to tell it apart.
    return [p.name for p in path.resolve().parents if p.name]


def _with_parents(path: Path, depth: int) -> str:
    names = list(reversed(_parents(path)[:depth]))
    return spreadsheet_safe(SEPARATOR.join([*names, path.stem]))


def assign_doc_ids(paths: Sequence[Path], taken: Optional[Mapping[str, str]] = None) -> list[str]:
    """One doc_id per path, in order; equal stems get parent folder prefixes.

    ``taken`` maps the doc_ids already in the output folder to the absolute
    path of the PDF each came from: the same file keeps its doc_id (and is
    replaced), another file with that stem is told apart like one in the
    same batch, and the document already there keeps its doc_id.
    """
    given = [Path(p) for p in paths]
    resolved = [str(p.resolve()) for p in given]
    held = {doc_id: owner for doc_id, owner in (taken or {}).items() if owner}
    # A file already in the folder keeps its doc_id: ids never change
    # under a user's feet between runs.
    kept = {owner: doc_id for doc_id, owner in held.items()}
    ids: list[Optional[str]] = [kept.get(r) for r in resolved]
    new = [i for i, doc_id in enumerate(ids) if doc_id is None]
    stems = {given[i].stem for i in new}
    others = [Path(owner) for owner in held.values() if owner not in resolved and Path(owner).stem in stems]
    proposed = _assign([given[i] for i in new] + others)
    used = {doc_id for doc_id in ids if doc_id} | set(held)
    for i, doc_id in zip(new, proposed):
        candidate, n = doc_id, 1
        while candidate in used:
            n += 1
            candidate = f"{doc_id}{SEPARATOR}{n}"
        ids[i] = candidate
        used.add(candidate)
    return [doc_id or "" for doc_id in ids]


def _assign(paths: Sequence[Path]) -> list[str]:
    ids = [stem_doc_id(p) for p in paths]
    groups: dict[str, list[int]] = {}
    for i, doc_id in enumerate(ids):
        groups.setdefault(doc_id, []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        deepest = max(len(_parents(paths[i])) for i in members)
        for depth in range(1, deepest + 1):
            named = [_with_parents(paths[i], depth) for i in members]
            if len(set(named)) == len(named):
                break
        # Same folders all the way up means the same file named twice
        # (collect_pdfs keeps one) or names differing only in suffix case
        # (a.pdf, a.PDF): number them in input order.
        if len(set(named)) < len(named):
            named = [f"{stem_doc_id(paths[i])}{SEPARATOR}{n}" for n, i in enumerate(members, 1)]
        for i, doc_id in zip(members, named):
            ids[i] = doc_id
    return ids
