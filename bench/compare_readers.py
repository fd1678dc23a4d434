"""How often sesaku's default reading gives the same text lines as pdfminer's.

Not part of ``make test`` (tests/test_reader_agreement.py runs it over
../shared when that folder is there).  For every page of every PDF of the
folders given, the page is read twice, as ``text`` does: with the default
reader (``auto``: PDFium where it may, pdfminer where it must) and with
``--reader pdfminer``.  Both views go through the same line building and
joining (``reading.text.page_text``), so what differs is where each reader
put the glyphs.  Only pages where pdfminer maps every glyph to Unicode
count (a page with ``(cid:NN)`` glyphs is no reference); a page whose
pdfminer reading is empty is left out too.

The score of a folder is the share of pdfminer's non-empty lines that the
default reading gives identically (as a multiset: a line printed twice
must be given twice), over all counted pages.  ``--also-pdfium`` adds the
same figure for PDFium forced on every page (the fast reader alone, before
any check sends a page back to pdfminer).

    .venv/bin/python bench/compare_readers.py ../shared/family ../shared/real [--by-file] [--json OUT]
    .venv/bin/python bench/compare_readers.py --code /path/to/other/worktree ../shared/family   # another commit's reader
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


def _use_code(root: Path) -> None:
    """Import ``pipeline`` from another checkout (a worktree of an older commit)
    rather than the editable install of this one."""
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in getattr(f, "__module__", "")
                        and "editable" not in getattr(f, "__name__", "")]
    sys.path.insert(0, str(root))


@dataclass
class Score:
    pages: int = 0          # pages compared
    skipped: int = 0        # pages pdfminer does not map fully (or cannot read)
    lines: int = 0          # pdfminer's non-empty lines on the compared pages
    same: int = 0           # of those, given identically by the default reader
    same_pdfium: int = 0    # ... by PDFium forced (with --also-pdfium)
    worst: list = field(default_factory=list)  # (share, file, page) of the pages least alike
    glyphs: int = 0         # pdfminer's glyphs on the compared pages (with --boxes)
    box_misses: int = 0     # ... without a PDFium glyph at the same box
    box_misplaced: int = 0  # ... of those, glyphs whose character PDFium gives, starting elsewhere
    box_sized: int = 0      # ... glyphs PDFium starts at pdfminer's place but ends elsewhere (advance, height)
    ink_pdfium: int = 0     # ... of those, glyphs on pages where the rendered page sides with PDFium's boxes
    ink_pdfminer: int = 0   # ... with pdfminer's
    box_pages: list = field(default_factory=list)  # (misses, file, page, first char, its distance)
    # Pages where the rendered page shows pdfminer misplacing glyphs (with --boxes):
    # their lines are no reference, and ``share_checked`` leaves them out.
    bad_reference_pages: list = field(default_factory=list)
    bad_reference_lines: int = 0
    bad_reference_same: int = 0
    pdfium_wrong_pages: list = field(default_factory=list)  # where the rendered page sides with pdfminer

    def add(self, other: Score) -> None:
        self.pages += other.pages
        self.skipped += other.skipped
        self.lines += other.lines
        self.same += other.same
        self.same_pdfium += other.same_pdfium
        self.worst = sorted(self.worst + other.worst)[:10]
        self.glyphs += other.glyphs
        self.box_misses += other.box_misses
        self.box_misplaced += other.box_misplaced
        self.box_sized += other.box_sized
        self.pdfium_wrong_pages += other.pdfium_wrong_pages
        self.ink_pdfium += other.ink_pdfium
        self.bad_reference_pages += other.bad_reference_pages
        self.bad_reference_lines += other.bad_reference_lines
        self.bad_reference_same += other.bad_reference_same
        self.ink_pdfminer += other.ink_pdfminer
        self.box_pages = sorted(self.box_pages + other.box_pages, reverse=True)[:10]

    @property
    def share(self) -> float:
        return self.same / self.lines if self.lines else 1.0

    @property
    def share_checked(self) -> float:
        """``share`` over the pages where pdfminer's reading is a reference (see --boxes)."""
        lines = self.lines - self.bad_reference_lines
        return (self.same - self.bad_reference_same) / lines if lines else 1.0

    @property
    def share_pdfium(self) -> float:
        return self.same_pdfium / self.lines if self.lines else 1.0


def identical(lines: list[str], reference: list[str]) -> int:
    """How many of ``reference``'s non-empty lines ``lines`` has, as a multiset."""
    ours = Counter(x for x in lines if x.strip())
    theirs = Counter(x for x in reference if x.strip())
    return sum((ours & theirs).values())


# Two boxes of one glyph agree when their left and right edges and their
# heights are within 0.15 em (1 pt at least) and they are at most 0.4 em
# apart vertically.  The vertical room is the spread of font descents:
# pdfminer hangs each box the font's own descent below the baseline (0.38 em
# for the Arial Bold of camelot's row_span_1.pdf, whose ink ends on the
# baseline), sesaku every box 0.12 em (settings.descent_em), on purpose.
BOX_TOLERANCE_EM = 0.15
BOX_TOLERANCE_PT = 1.0
BOX_SHIFT_EM = 0.4


def _box_distance(o: dict, c: dict, size: float) -> tuple[float, float]:
    """How far box ``o`` is from agreeing with ``c``, in points beyond the
    tolerance (<= 0: agrees): (where it starts, up or down; its extent)."""
    tolerance = max(BOX_TOLERANCE_PT, BOX_TOLERANCE_EM * size)
    shift = abs((o["top"] + o["bottom"]) - (c["top"] + c["bottom"])) / 2 - BOX_SHIFT_EM * size
    placed = max(abs(o["x0"] - c["x0"]) - tolerance, shift)
    extent = max(abs(o["x1"] - c["x1"]), abs((o["bottom"] - o["top"]) - (c["bottom"] - c["top"]))) - tolerance
    return placed, extent


def box_misses(ours: list[dict], theirs: list[dict]) -> list[tuple[dict, float, dict | None, bool]]:
    """pdfminer's glyphs (``theirs``) with no glyph of the same text in ``ours``
    at the same box (see BOX_TOLERANCE_EM): (glyph, the nearest one's distance
    beyond the tolerance or inf when ``ours`` has no such character, that
    nearest glyph, whether it starts elsewhere rather than only ends elsewhere)."""
    by_text: dict[str, list[dict]] = {}
    for c in ours:
        by_text.setdefault(c["text"], []).append(c)
    misses = []
    for c in theirs:
        size = c.get("size") or (c["bottom"] - c["top"])
        scored = [(max(_box_distance(o, c, size)), _box_distance(o, c, size)[0] > 0, o) for o in by_text.get(c["text"], ())]
        if not scored:
            misses.append((c, float("inf"), None, True))
            continue
        best, elsewhere, o = min(scored, key=lambda t: t[0])
        if best > 0:
            misses.append((c, best, o, elsewhere))
    return misses


REFEREE_DPI = 144


def _edge_ink(image, g: dict, scale: float, origin_x: float, vertical: bool) -> int:
    """Dark pixels in the strip along a glyph box's leading edge (its left
    edge, or its top when the readers disagree up or down): a box where the
    glyph is printed has the glyph's side bearing there, nearly blank; a box
    half an em off cuts through its neighbour's ink."""
    size = g.get("size") or (g["bottom"] - g["top"])
    w, h = g["x1"] - g["x0"], g["bottom"] - g["top"]
    if vertical:
        x0, x1, top, bottom = g["x0"] + 0.2 * w, g["x1"] - 0.2 * w, g["top"], g["top"] + 0.1 * size
    else:
        x0, x1, top, bottom = g["x0"], g["x0"] + 0.1 * size, g["top"] + 0.2 * h, g["bottom"] - 0.2 * h
    rows = image[max(int(top * scale), 0):max(int(bottom * scale) + 1, 0),
                 max(int((x0 - origin_x) * scale), 0):max(int((x1 - origin_x) * scale) + 1, 0)]
    return int((rows < 128).sum())


def referee(doc, number: int, fast_view, placed: list) -> str:
    """Where the readers start glyphs at different places, the rendered page
    says which reader's boxes sit on them: summed over the page's disputed
    glyphs, the ink along each box's leading edge (``_edge_ink``).  "pdfium"
    or "pdfminer" for the reader with less, "undecided" on a tie or a page
    turned upright (its boxes are not in the rendered page's frame)."""
    from pipeline.reading import pdfium
    from pipeline.settings import DEFAULT

    if getattr(fast_view, "turned", 0):
        return "undecided"
    image = pdfium.render_gray(doc._fast, number - 1, REFEREE_DPI)
    scale, origin_x = REFEREE_DPI / 72, fast_view.origin[0]
    ours = theirs = 0
    for c, _, o, _ in placed:
        vertical = abs(o["top"] - c["top"]) > abs(o["x0"] - c["x0"])
        ours += _edge_ink(image, o, scale, origin_x, vertical)
        theirs += _edge_ink(image, c, scale, origin_x, vertical)
    return "pdfium" if ours < theirs else "pdfminer" if theirs < ours else "undecided"


def _pdfium_may_read(doc, number: int) -> bool:
    """Whether the default reader would take PDFium's glyphs for the page (before
    any check sends it back to pdfminer): PDFium maps it like pdfminer."""
    from pipeline.reading import pdfium

    fast = getattr(doc, "_fast", None)
    try:
        if hasattr(doc, "pdfium_may_read"):
            if not doc.pdfium_may_read(doc._pdf.pages[number - 1], number - 1):
                return False
        elif fast is None or not pdfium.usable(fast, number - 1):
            return False
        return pdfium.page_chars(fast, number - 1, settings=DEFAULT) is not None
    except Exception:
        return False


def compare_pdf(path: Path, also_pdfium: bool = False, max_pages: int = 0, boxes: bool = False) -> Score:
    from pipeline.errors import SesakuError
    from pipeline.options import Options
    from pipeline.reading.document import DocumentReader
    from pipeline.settings import DEFAULT

    try:  # the text command's own rendering (cells cut at rules) where this checkout has it
        from pipeline.reading.text import view_text

        def text_of(view):
            return view_text(view, settings=DEFAULT)
    except ImportError:
        from pipeline.reading.text import page_text

        def text_of(view):
            return page_text(view.chars, settings=DEFAULT)

    score = Score()
    try:
        doc = DocumentReader(path, Options())
    except SesakuError:
        return score
    with doc:
        count = doc.page_count if not max_pages else min(max_pages, doc.page_count)
        for number in range(1, count + 1):
            try:
                reference = doc.read_page(number, reader="pdfminer")
            except SesakuError:
                score.skipped += 1
                continue
            if reference.tally.unmapped or not reference.chars:
                score.skipped += 1
                continue
            theirs = [x for x in text_of(reference) if x.strip()]
            try:
                ours = text_of(doc.read_page(number, reader="auto"))
            except SesakuError:
                ours = []
            same = identical(ours, theirs)
            score.pages += 1
            score.lines += len(theirs)
            score.same += same
            if also_pdfium or boxes:
                try:
                    fast_view = doc.read_page(number, reader="pdfium")
                except SesakuError:
                    fast_view = None
                fast = text_of(fast_view) if fast_view is not None else []
                score.same_pdfium += identical(fast, theirs)
                if boxes and _pdfium_may_read(doc, number):
                    score.glyphs += len(reference.chars)
                    misses = box_misses(list(fast_view.chars) if fast_view is not None else [], list(reference.chars))
                    score.box_misses += len(misses)
                    placed = [m for m in misses if m[2] is not None and m[3]]
                    score.box_misplaced += len(placed)
                    score.box_sized += sum(1 for m in misses if m[2] is not None and not m[3])
                    if placed:
                        verdict = referee(doc, number, fast_view, placed)
                        if verdict == "pdfium":
                            score.ink_pdfium += len(placed)
                            # pdfminer misplaces glyphs of this page: no reference for its lines
                            score.bad_reference_pages.append((path.name, number))
                            score.bad_reference_lines += len(theirs)
                            score.bad_reference_same += same
                        elif verdict == "pdfminer":
                            score.ink_pdfminer += len(placed)
                            score.pdfium_wrong_pages.append((path.name, number))
                    if misses:
                        c, d = misses[0][:2]
                        score.box_pages.append((len(misses), path.name, number, c["text"], round(d, 1)))
            if theirs and same < len(theirs):
                score.worst = sorted(score.worst + [(round(same / len(theirs), 3), path.name, number)])[:10]
    return score


def pdfs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.pdf") if not any(part.startswith(".") for part in p.parts))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--code", type=Path, help="import pipeline from this checkout (e.g. a worktree of an older commit)")
    ap.add_argument("--also-pdfium", action="store_true", help="also score PDFium forced on every page")
    ap.add_argument("--boxes", action="store_true",
                    help="also count pdfminer's glyphs without a PDFium glyph at the same box (PDFium forced)")
    ap.add_argument("--by-file", action="store_true", help="a line per PDF, and per file-name prefix (kyoto-…)")
    ap.add_argument("--max-pages", type=int, default=0, help="first pages of each PDF only (0: all)")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    args = ap.parse_args(argv)
    if args.code:
        _use_code(args.code.resolve())
    import pipeline

    print(f"pipeline from {Path(pipeline.__file__).parent}", file=sys.stderr)
    out: dict = {}
    for folder in args.folders:
        total = Score()
        groups: dict[str, Score] = {}
        files = {}
        started = time.perf_counter()
        for path in pdfs(folder):
            s = compare_pdf(path, args.also_pdfium, args.max_pages, args.boxes)
            total.add(s)
            groups.setdefault(path.stem.split("-")[0], Score()).add(s)
            files[path.name] = s
            if args.by_file:
                extra = f"  pdfium {s.share_pdfium:6.1%}" if args.also_pdfium else ""
                print(f"  {path.name:45s} pages {s.pages:4d} (+{s.skipped} skipped)  lines {s.lines:6d}  "
                      f"identical {s.share:6.1%}{extra}", flush=True)
        seconds = time.perf_counter() - started
        if args.by_file:
            for name, g in sorted(groups.items()):
                if len(files) > 1 and sum(1 for f in files if f.split("-")[0] == name) > 1:
                    print(f"  [{name}] pages {g.pages} lines {g.lines} identical {g.share:.1%}")
        extra = f", PDFium forced {total.share_pdfium:.1%}" if args.also_pdfium else ""
        print(f"{folder}: {total.pages} pages compared ({total.skipped} not fully mapped by pdfminer, left out), "
              f"{total.lines} lines, identical {total.share:.1%}{extra}  [{seconds:.0f}s]", flush=True)
        if args.boxes:
            if total.bad_reference_pages:
                names = sorted({f for f, _ in total.bad_reference_pages})
                print(f"  pdfminer misplaces glyphs on {len(total.bad_reference_pages)} page(s) ({', '.join(names)}): "
                      f"without them, identical {total.share_checked:.1%}")
            print(f"  glyph boxes: {total.box_misses} of {total.glyphs} pdfminer glyphs have no PDFium glyph at their box "
                  f"(edges within {BOX_TOLERANCE_EM} em, {BOX_TOLERANCE_PT} pt at least; {BOX_SHIFT_EM} em up or down), "
                  f"{total.box_sized} where PDFium's box ends elsewhere, {total.box_misplaced} where it starts elsewhere; "
                  f"of these, the rendered page sides with PDFium for {total.ink_pdfium}, with pdfminer for "
                  f"{total.ink_pdfminer}"
                  + (f" (pages {', '.join(f'{f} p{p}' for f, p in total.pdfium_wrong_pages[:8])})"
                     if total.pdfium_wrong_pages else "")
                  + ("; most on " + ", ".join(f"{f} p{p} ({n}, e.g. {c!r} {d} pt)" for n, f, p, c, d in total.box_pages[:6])
                     if total.box_pages else ""))
        if total.worst:
            print("  least alike: " + ", ".join(f"{f} p{p} {s:.0%}" for s, f, p in total.worst[:6]))
        out[str(folder)] = {
            "pages": total.pages, "skipped": total.skipped, "lines": total.lines, "identical": total.same,
            "share": round(total.share, 4),
            **({"share_pdfium": round(total.share_pdfium, 4)} if args.also_pdfium else {}),
            **({"glyphs": total.glyphs, "box_misses": total.box_misses, "box_misplaced": total.box_misplaced,
                "box_sized": total.box_sized, "pdfium_wrong_pages": total.pdfium_wrong_pages,
                "ink_in_pdfium_box": total.ink_pdfium, "ink_in_pdfminer_box": total.ink_pdfminer,
                "pdfminer_misplaces_pages": len(total.bad_reference_pages), "share_checked": round(total.share_checked, 4)}
               if args.boxes else {}),
            "groups": {k: {"pages": g.pages, "lines": g.lines, "share": round(g.share, 4)} for k, g in groups.items()},
            "files": {k: {"pages": s.pages, "skipped": s.skipped, "lines": s.lines, "share": round(s.share, 4)}
                      for k, s in files.items()},
            "seconds": round(seconds, 1),
        }
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
