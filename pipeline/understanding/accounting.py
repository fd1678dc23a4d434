"""Nothing lost: every character inside a table region is accounted for.

Each ruled cell's text (as read from the page) is compared with the
output fields that can have come from it.  A character counts as

- ``fields``: part of an output field (item, name, description, label,
  rating, period) of a program or measure printed on that page;
- ``continued``: the head or tail of a field that runs over a page break
  (the rest of it is in the cell on the neighbouring page);
- ``headers``: a column heading (施策計画名, 現状, 目標, the year labels),
  which the output carries as columns, not rows;
- ``form``: bullets, (…) around a row label, 【…】 block headings and the
  form's own printed labels (達成状況区分, 実施結果, …);
- ``leftover``: none of these.  Each cell with leftover characters gives
  one ``leftovers`` row (page, cell box, the characters, why); glyphs
  that fell outside every cell (``Grid.leftovers``) give one row each.

``account(doc)`` is pure; ``.rows`` feed the ``leftovers`` table and
``.summary`` the run report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from normalizers.width import field_text, squash

from ..models import Cell, Document, Measure
from ..vocabulary import FORM_LABELS, HEADER_WORDS, strip_bullet

_BLOCK_HEADING = re.compile(r"^【[^】0-9０-９]+】$")


def _norm(text: str) -> str:
    """Field text and cell text compared alike: half-width ASCII, no spaces."""
    return squash(field_text(text))


@dataclass(frozen=True)
class Accounting:
    rows: tuple[dict, ...]
    summary: dict


def _measure_fields(m: Measure) -> Iterator[str]:
    yield m.name
    yield m.description
    for row in m.rows:
        if row.label:
            # Printed "(LABEL)": the label is the field, the brackets frame it.
            yield from (f"({row.label})", f"（{row.label}）", row.label)
        yield from (it.text for it in row.current)
        for cell in row.targets:
            yield from (it.text for it in cell.items)
    r = m.result
    if r:
        yield r.period
        for rating in (r.rating, r.reference_rating):
            if rating:
                yield rating.raw
        for block in (r.outcomes, r.changes, r.revised_targets):
            yield from (it.text for it in block)


def _fields_by_page(doc: Document) -> dict[int, list[str]]:
    """Normalised field texts that can appear on each page, longest first."""
    pool: dict[int, set[str]] = {}

    def add(pages: Iterable[int], texts: Iterable[str]) -> None:
        texts = {t for t in map(_norm, texts) if t}
        for p in pages:
            pool.setdefault(p, set()).update(texts)

    for p in doc.plan.programs:
        add([p.page], [p.name or "", p.rating.raw if p.rating else ""])
        for m in p.measures:
            add(range(m.page_start, m.page_end + 1), _measure_fields(m))
    return {page: sorted(texts, key=lambda t: (-len(t), t)) for page, texts in pool.items()}


def _cell_text(cell: Cell) -> tuple[str, int]:
    """The cell's characters to account for, and how many form marks
    (bullets, brackets round a row label, block headings) were taken off."""
    parts, form = [], 0
    for line in cell.text.split("\n"):
        line = line.strip()
        if not line:
            continue
        stripped, bulleted = strip_bullet(line)
        if bulleted:
            form += len(_norm(line)) - len(_norm(stripped))
        squashed = _norm(stripped)
        if _BLOCK_HEADING.match(squashed):
            form += len(squashed)
            continue
        parts.append(squashed)
    return "".join(parts), form


def _mask_all(text: str, needle: str, mask: bytearray, value: int) -> None:
    start = text.find(needle)
    while start >= 0:
        for i in range(start, start + len(needle)):
            if not mask[i]:
                mask[i] = value
        start = text.find(needle, start + 1)


def _runs(mask: bytearray) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, v in enumerate(mask):
        if not v and start is None:
            start = i
        elif v and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(mask)))
    return runs


FIELD, CONTINUED, FORM = 1, 2, 3


def _continued(text: str, mask: bytearray, fields: list[str]) -> None:
    """Mark the head/tail of a field broken by a page break.

    Only where a break can be: unmatched text at the very start of a cell
    that ends some field (its tail), at the very end that starts one (its
    head), or a whole cell inside one field (a middle page).  The overlap is
    measured on the whole text, so a short field matched inside the broken
    piece does not cut it short.
    """
    if all(mask):
        return
    if any(text in f for f in fields):
        for i, v in enumerate(mask):
            mask[i] = v or CONTINUED
        return
    if not mask[0]:
        k = max((k for f in fields for k in range(min(len(f), len(text)), 0, -1) if f.endswith(text[:k])), default=0)
        for i in range(k):
            mask[i] = mask[i] or CONTINUED
    if not mask[-1]:
        k = max((k for f in fields for k in range(min(len(f), len(text)), 0, -1) if f.startswith(text[-k:])), default=0)
        for i in range(len(text) - k, len(text)):
            mask[i] = mask[i] or CONTINUED


def account(doc: Document) -> Accounting:
    """Where every character inside the document's table regions went."""
    fields_by_page = _fields_by_page(doc)
    headers = {_norm(c.label) for c in doc.plan.columns} | set(HEADER_WORDS)
    # Every cell the plan read as its header (目標値 over the years as much as 目標).
    header_cells = {role.cell for role in doc.plan.cell_roles if role.role == "header"}
    counts = {"table_chars": 0, "fields": 0, "continued": 0, "headers": 0, "form": 0, "leftover": 0}
    rows: list[dict] = []
    for grid in doc.grids:
        fields = fields_by_page.get(grid.page, [])
        for cell in grid.cells:
            text, form = _cell_text(cell)
            counts["table_chars"] += len(text) + form
            counts["form"] += form
            if not text:
                continue
            if text in headers or (grid.page, grid.table_no, cell.row, cell.col) in header_cells:
                counts["headers"] += len(text)
                continue
            mask = bytearray(len(text))
            for f in fields:
                if f in text:
                    _mask_all(text, f, mask, FIELD)
            for m in FORM_LABELS.finditer(text):
                for i in range(m.start(), m.end()):
                    mask[i] = mask[i] or FORM
            _continued(text, mask, fields)
            for key, value in (("fields", FIELD), ("continued", CONTINUED), ("form", FORM)):
                counts[key] += mask.count(value)
            lost = ["".join(text[a:b]) for a, b in _runs(mask)]
            if lost:
                counts["leftover"] += sum(map(len, lost))
                rows.append(_row(doc.doc_id, cell.page, "…".join(lost), cell.bbox,
                                 f"table {grid.table_no} cell r{cell.row} c{cell.col}: in no output field"))
        for lo in grid.leftovers:
            n = len(_norm(lo.text))
            counts["table_chars"] += n
            counts["leftover"] += n
            rows.append(_row(doc.doc_id, lo.page, lo.text, lo.bbox, lo.reason))
    rows.sort(key=lambda r: (r["page"], r["top"], r["x0"]))
    counts["leftover_rows"] = len(rows)
    return Accounting(tuple(rows), counts)


def _row(doc_id: str, page: int, text: str, bbox, reason: str) -> dict:
    return {"doc_id": doc_id, "page": page, "text": text, "reason": reason,
            "x0": bbox[0], "top": bbox[1], "x1": bbox[2], "bottom": bbox[3]}


__all__ = ["Accounting", "account"]
