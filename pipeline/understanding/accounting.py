"""Nothing lost: every character inside a table region, and every character
of a prose page, is accounted for.

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

Prose pages are accounted line by line (``Narrative.lines``: each line of
each prose page with the output texts the narrative put it in).  A
character counts as ``prose_fields`` when it is in one of those texts (a
narrative item, a sub-heading, a program's number, name and rating, the
plan's number and name), ``prose_form`` when it is a bullet or heading mark,
a 【…】 block title or a form word, ``prose_running`` when its line is a
running head, foot or page number, and ``prose_leftover`` otherwise: each
such line gives one ``leftovers`` row (page, line box, the characters, why).

``account(doc)`` is pure; ``.rows`` feed the ``leftovers`` table and
``.summary`` the run report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Optional

from normalizers.width import field_text, squash

from ..geometry import BBox
from ..models import Cell, Document, Measure, ProseLine, Sheet, SheetPage
from ..vocabulary import (
    ANSWER_BULLETS,
    BULLETS,
    FORM_LABELS,
    GRID_MARKS,
    HEADER_WORDS,
    HEADING_MARKS,
    PLAN_TITLE,
    SELECTED_MARKS,
    UNIT_WORD,
    UNSELECTED_MARKS,
    strip_bullet,
)

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
    prose_counts, prose_rows = account_prose(doc.doc_id, doc.narrative.lines, _narrative_outputs(doc))
    counts.update(prose_counts)
    rows += prose_rows
    sheet_counts, sheet_rows = account_sheets(doc.doc_id, doc.sheets, doc.sheet_pages)
    counts.update(sheet_counts)
    rows += sheet_rows
    rows.sort(key=lambda r: (r["page"], r["top"], r["x0"]))
    counts["leftover_rows"] = len(rows)
    return Accounting(tuple(rows), counts)


RUNNING = 4
PROSE_CATEGORIES = ("prose_fields", "prose_form", "prose_running", "prose_leftover")


def _narrative_outputs(doc: Document) -> set[str]:
    """The normalised texts of the narrative's rows (items and their sub-headings):
    a line counts as in its field only when that field reached the output."""
    items = doc.narrative.items
    return {_norm(it.text) for it in items} | {_norm(it.heading) for it in items if it.heading}


def _prose_mask(line: ProseLine, text: str, outputs: Optional[set[str]]) -> bytearray:
    """Each character of a prose line's normalised text: field, form, running or left over (0)."""
    mask = bytearray(len(text))
    if line.role == "running":
        return bytearray([RUNNING]) * len(text)
    if line.role == "block":
        return bytearray([FORM]) * len(text)
    fields = [f for f in map(_norm, line.fields) if f]
    if outputs is not None and line.role in ("item", "heading"):
        fields = [f for f in fields if f in outputs]
    # A wrapped line is a piece of its field; a bullet or heading mark opening
    # it is layout the field leaves out.
    head = 0
    if text[:1] in BULLETS + HEADING_MARKS or strip_bullet(text)[1]:
        head = len(text) - len(_norm(strip_bullet(text)[0])) or 1
    for start in (0, head):
        if text[start:] and any(text[start:] in f for f in fields):
            mask[:start] = bytearray([FORM]) * start
            mask[start:] = bytearray([FIELD]) * (len(text) - start)
            return mask
    # A heading line holding its fields among form words (1 NAME【達成状況区分 3*】,
    # プラン6 NAME): the fields are masked where they stand, then the words.
    mask[:head] = bytearray([FORM]) * head
    for f in fields:
        _mask_all(text, f, mask, FIELD)
    title = PLAN_TITLE.match(text) if line.role == "title" else None
    for a, b in [(m.start(), m.end()) for m in FORM_LABELS.finditer(text)] + ([(0, title.start(1))] if title else []):
        for i in range(a, b):
            mask[i] = mask[i] or FORM
    return mask


def account_prose(doc_id: str, lines: tuple[ProseLine, ...], outputs: Optional[set[str]] = None) -> tuple[dict, list[dict]]:
    """Where every character of the prose pages went: counts and a leftover row per line with any.

    ``outputs``, if given, are the narrative rows' texts (``_narrative_outputs``):
    an item or heading line whose field is not among them is left over."""
    counts = dict.fromkeys(("prose_chars",) + PROSE_CATEGORIES, 0)
    rows: list[dict] = []
    for line in lines:
        text = _norm(line.text)
        if not text:
            continue
        mask = _prose_mask(line, text, outputs)
        counts["prose_chars"] += len(text)
        for key, value in zip(PROSE_CATEGORIES, (FIELD, FORM, RUNNING, 0)):
            counts[key] += mask.count(value)
        lost = ["".join(text[a:b]) for a, b in _runs(mask)]
        if lost:
            why = line.note or f"prose {line.role} line: not in the output field it was read into"
            rows.append(_row(doc_id, line.page, "…".join(lost), line.bbox, why))
    return counts, rows


# ---------------------------------------------------------------- evaluation sheets

SHEET_CATEGORIES = ("sheet_fields", "sheet_form", "sheet_unplaced", "sheet_leftover")
UNPLACED = 5
# Marks that open an option or fill a mark's own cell, bullets of an answer row:
# the choice's ``selected`` says what they said.
_SHEET_MARKS = set(SELECTED_MARKS + UNSELECTED_MARKS + GRID_MARKS + ANSWER_BULLETS + BULLETS)
# Brackets and separators left between the parts of a cell the outputs took
# apart (an item's （千円） is its unit, 経費（一財） two items).
_PUNCTUATION = set("()（）[]［］「」『』【】〈〉<>＜＞・、,，:：;；/／")


def _pieces(text: str, split: bool) -> set[str]:
    """A text's normalised form, and with ``split`` its space-separated parts (labels
    joined from several cells: a group label before its label, a year label before a kind)."""
    out = {_norm(text)}
    if split:
        out.update(_norm(part) for part in text.split())
    return {t for t in out if t}


def _sheet_pools(sheets: Iterable[Sheet]) -> dict[int, tuple[list[str], list[str], list[str]]]:
    """Per page: the texts the sheet outputs hold (fields), the form's (headings, structure)
    and the unplaced, each longest first."""
    pools: dict[int, tuple[set[str], set[str], set[str]]] = {}

    def add(page: int, which: int, texts: set[str]) -> None:
        pools.setdefault(page, (set(), set(), set()))[which].update(texts)

    for s in sheets:
        for f in s.fields:
            add(f.page, 0, _pieces(f.label, True) | _pieces(f.value, False))
        for v in s.values:
            add(v.page, 0, _pieces(v.text, False) | _pieces(v.label, True) | _pieces(v.item or "", False)
                | _pieces(v.unit or "", False))
        for c in s.choices:
            add(c.page, 0, _pieces(c.question, True))
            for o in c.options:
                add(o.page, 0, _pieces(o.text, False))
        for h in s.headings:
            add(h.page, 1, _pieces(h.text, True))
        for u in s.unplaced:
            add(u.page, 2, _pieces(u.text, False))
    return {page: tuple(sorted(texts, key=lambda t: (-len(t), t)) for texts in pool)  # type: ignore[misc]
            for page, pool in pools.items()}


def _sheet_mask(text: str, pools: tuple[list[str], list[str], list[str]]) -> bytearray:
    mask = bytearray(len(text))
    for pool, value in zip(pools, (FIELD, FORM, UNPLACED)):
        for t in pool:
            if t in text:
                _mask_all(text, t, mask, value)
    # The word 単位 before a unit the value took (経費（一財）、単位（千円）).
    _mask_all(text, UNIT_WORD, mask, FORM)
    for i, ch in enumerate(text):
        if not mask[i] and (ch in _SHEET_MARKS or ch in _PUNCTUATION):
            mask[i] = FORM
    # A ※ note under a label says how to fill the form in (※１つ以上に○).
    note = text.find("※")
    if note >= 0 and not any(mask[note:]):
        mask[note:] = bytearray([FORM]) * (len(text) - note)
    return mask


def account_sheets(doc_id: str, sheets: tuple[Sheet, ...], pages: tuple[SheetPage, ...]) -> tuple[dict, list[dict]]:
    """Where every character of the sheet pages went: into a sheet field, value or choice
    (``sheet_fields``), a heading, header or mark of the form (``sheet_form``), the list
    of what the model could not place (``sheet_unplaced``), or nowhere (``sheet_leftover``:
    one ``leftovers`` row per cell or line with any)."""
    counts = dict.fromkeys(("sheet_chars",) + SHEET_CATEGORIES, 0)
    rows: list[dict] = []
    pools = _sheet_pools(sheets)
    for page in pages:
        pool = pools.get(page.page, ([], [], []))
        texts = [(c.text, c.bbox, f"sheet table {g.table_no} cell r{c.row} c{c.col}") for g in page.grids for c in g.cells]
        texts += [(lo.text, lo.bbox, lo.reason) for g in page.grids for lo in g.leftovers]
        texts += [(ln.text, (ln.x0, ln.top, ln.x1, ln.bottom), "a line outside the sheet's tables") for ln in page.lines]
        for raw, bbox, where in texts:
            text = "".join(_norm(line) for line in raw.split("\n"))
            if not text:
                continue
            mask = _sheet_mask(text, pool)
            counts["sheet_chars"] += len(text)
            for name, value in zip(SHEET_CATEGORIES, (FIELD, FORM, UNPLACED, 0)):
                counts[name] += mask.count(value)
            lost = ["".join(text[a:b]) for a, b in _runs(mask)]
            if lost:
                rows.append(_row(doc_id, page.page, "…".join(lost), bbox, f"{where}: in no sheet field, value or choice"))
    return counts, rows


def _row(doc_id: str, page: int, text: str, bbox: BBox, reason: str) -> dict:
    return {"doc_id": doc_id, "page": page, "text": text, "reason": reason,
            "x0": bbox[0], "top": bbox[1], "x1": bbox[2], "bottom": bbox[3]}


__all__ = ["PROSE_CATEGORIES", "SHEET_CATEGORIES", "Accounting", "account", "account_prose", "account_sheets"]
