"""A document of many sheets cut into one sheet per 事業, by structure.

A page goes on the sheet before it unless it starts a new one:
- it names a sheet and the pages before it named none (they are a cover
  or a list before the sheets, a sheet of their own without a title); or
- it names the sheet (a 事業名 / 施策名 label's value, ``TITLE_WORDS``)
  and the name differs from the current sheet's; or
- its first table repeats the labels of the current sheet's first page
  (the title block printed again) and names no sheet or another one.
A page repeating the title block with the same name (a sheet printing its
head again on its second page) goes on; the fields of that repeated block
that repeat the first page's are kept as headings, not read twice.  A sheet's title, number and
department are the first fields printed with such labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from normalizers.width import squash, to_halfwidth_ascii

from ...models import Sheet, SheetChoice, SheetField, SheetUnplaced, SheetValue
from ...settings import Settings
from ...vocabulary import DEPARTMENT_WORDS, NUMBER_LABELS, SUB_PROGRAM_WORD, TITLE_WORDS
from .page import PageReading


def is_title_label(label: str) -> bool:
    flat = squash(label)
    return any(word in flat for word in TITLE_WORDS) and SUB_PROGRAM_WORD not in flat


def is_number_label(label: str) -> bool:
    flat = to_halfwidth_ascii(squash(label), katakana=False) or ""
    flat = flat.rstrip(".．:：")
    return flat in NUMBER_LABELS or any(flat.endswith(word) for word in NUMBER_LABELS if len(word) > 2)


def is_department_label(label: str) -> bool:
    flat = squash(label)
    return any(word in flat for word in DEPARTMENT_WORDS)


def _first(fields: Sequence[SheetField], test: Callable[[str], bool]) -> Optional[str]:
    for f in fields:
        if test(f.label) and f.value.strip():
            return f.value.strip()
    return None


def page_title(page: PageReading) -> Optional[str]:
    title = _first(page.fields, is_title_label)
    return " ".join(title.split()) if title else None


@dataclass
class _Open:
    pages: list[PageReading] = field(default_factory=list)
    title: Optional[str] = None
    first_labels: tuple[str, ...] = ()


def _starts_new(sheet: _Open, page: PageReading, settings: Settings) -> bool:
    title = page_title(page)
    if title and sheet.title and squash(title) != squash(sheet.title):
        return True
    if title and sheet.title is None:
        # The first title block after pages that named no sheet (a cover, a
        # contents page, a list before the sheets): those pages are no part of it.
        return True
    if _repeats(sheet, page, settings) and sheet.title is not None:
        return title is None or squash(title) != squash(sheet.title)
    return False


def readings_to_sheets(pages: Sequence[PageReading], settings: Settings) -> tuple[Sheet, ...]:
    """Pages (in order) cut into sheets."""
    open_sheets: list[_Open] = []
    for page in pages:
        if not (page.fields or page.values or page.choices or page.unplaced):
            if open_sheets:
                open_sheets[-1].pages.append(page)
            continue
        if not open_sheets or _starts_new(open_sheets[-1], page, settings):
            open_sheets.append(_Open(first_labels=page.first_labels))
        sheet = open_sheets[-1]
        sheet.pages.append(page)
        if sheet.title is None:
            sheet.title = page_title(page)
    return tuple(_close(no, s, settings) for no, s in enumerate(open_sheets, 1))


def _repeats(sheet: _Open, page: PageReading, settings: Settings) -> bool:
    """Does the page's first table repeat the sheet's title block (``Settings.sheet_repeated_labels`` labels shared)?"""
    shared = len(set(page.first_labels) & set(sheet.first_labels))
    return bool(page.first_labels) and shared >= min(settings.sheet_repeated_labels, len(page.first_labels))


def _close(no: int, sheet: _Open, settings: Settings) -> Sheet:
    first = {(squash(f.label), squash(f.value)) for f in sheet.pages[0].fields} if sheet.pages else set()
    fields: list[SheetField] = []
    headings: list[SheetUnplaced] = [h for p in sheet.pages for h in p.headings]
    for i, page in enumerate(sheet.pages):
        # The title block printed again on a later page of the sheet: its fields
        # repeat the first page's, like a table header repeated on a new page.
        again = {id(f) for f in page.first_fields if (squash(f.label), squash(f.value)) in first} \
            if i and _repeats(sheet, page, settings) else set()
        fields += [f for f in page.fields if id(f) not in again]
        headings += [SheetUnplaced(f"{f.label} {f.value}", f.page, f.bbox, "repeats the sheet's title block")
                     for f in page.fields if id(f) in again]
    values: list[SheetValue] = [v for p in sheet.pages for v in p.values]
    choices: list[SheetChoice] = [c for p in sheet.pages for c in p.choices]
    unplaced: list[SheetUnplaced] = [u for p in sheet.pages for u in p.unplaced]
    return Sheet(
        no=no, title=sheet.title, pages=tuple(p.page for p in sheet.pages),
        number=_first(fields, is_number_label), department=_first(fields, is_department_label),
        fields=tuple(fields), values=tuple(values), choices=tuple(choices),
        unplaced=tuple(unplaced), headings=tuple(headings),
    )
