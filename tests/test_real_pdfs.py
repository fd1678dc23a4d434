"""Real published PDFs: sesaku's text loses no glyph pdfminer sees; extract never crashes.

tests/fixtures/real/ holds a few small real files (MANIFEST.tsv says where
each comes from and what is odd about it).  The slow sweep runs ``extract``
on every file of the shared collection when it is present on this machine.
"""

from __future__ import annotations

import os
import csv
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from normalizers.lookalikes import unlookalike
from pipeline.orchestration.cli import main

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "fixtures" / "real"
SHARED = [ROOT.parent / "shared" / "real"] + ([Path(os.environ["SESAKU_REAL_PDFS"])] if os.environ.get("SESAKU_REAL_PDFS") else [])


def manifest(folder: Path) -> dict[str, dict]:
    with open(folder / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}


FIXTURES = sorted(REAL.glob("*.pdf"))


def test_every_fixture_has_its_manifest_line():
    assert FIXTURES, "tests/fixtures/real/ holds no PDF"
    assert sorted(manifest(REAL)) == [p.name for p in FIXTURES]


def pdfminer_pages(path: Path) -> list[list[str]]:
    """The text of each page's LTChar objects, as pdfminer.six reads them."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTContainer

    def walk(obj):
        if isinstance(obj, LTChar):
            yield obj.get_text()
        elif isinstance(obj, LTContainer):
            for child in obj:
                yield from walk(child)

    return [list(walk(page)) for page in extract_pages(path)]


def characters(texts) -> Counter:
    """Non-space characters, with writers' look-alike code points (Kangxi radicals) mapped as sesaku maps them."""
    return Counter(ch for text in texts for ch in unlookalike(text) if not ch.isspace())


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_text_keeps_every_character_pdfminer_sees(path, capsys):
    glyphs = pdfminer_pages(path)
    if any(text.startswith("(cid:") for page in glyphs for text in page):
        # pdfminer's "(cid:NN)" is a glyph id, not text: there is nothing to compare it with
        # (sesaku drops such glyphs with a warning, or refuses the page).  No fixture is like that today.
        pytest.skip(f"{path.name}: pdfminer gives (cid:NN) for unmapped glyphs")
    code = main(["text", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    pages = out.split("\f")
    assert pages[-1] == ""
    assert len(pages) - 1 == len(glyphs)
    for number, (texts, have) in enumerate(zip(glyphs, pages), 1):
        missing = characters(texts) - characters([have])
        assert not missing, f"{path.name} page {number}: sesaku's text lacks {dict(missing)}"


def shared_folder() -> Path | None:
    for folder in SHARED:
        if (folder / "MANIFEST.tsv").is_file():
            return folder.resolve()
    return None


SHARED_PDFS = sorted(shared_folder().glob("*.pdf")) if shared_folder() else []


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_PDFS, reason="the shared real-PDF collection (../shared/real) is not on this machine")
@pytest.mark.parametrize("path", SHARED_PDFS, ids=[p.name for p in SHARED_PDFS])
def test_extract_real_pdf_ends_cleanly(path, tmp_path):
    """Exit 0, or a failure told in one line (the summary) on stderr; never a traceback.

    Without OCR: a document of glyph ids only (jp_mlit_89test, 24 pages) is read
    by OCR under the default --ocr auto, 10-40 s a page on this machine, beyond
    this sweep's two minutes; the OCR route is checked on its first page below."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(path), "--out", str(tmp_path / "out"), "--force",
         "--ocr", "never"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines() if line.startswith(("FAILED", "error:"))]
        assert len(errors) == 1, result.stderr
    print(f"{path.name}\t{result.returncode}\t{seconds:.1f}s")


GLYPH_IDS_ONLY = "jp_mlit_89test_distiller_nounicode.pdf"  # Distiller 23: one TrueType subset, Identity-H, no ToUnicode


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_PDFS or GLYPH_IDS_ONLY not in [p.name for p in SHARED_PDFS],
                    reason="the shared real-PDF collection (../shared/real) is not on this machine")
def test_a_real_document_of_glyph_ids_is_read_by_ocr(capsys):
    from pipeline.reading import ocr

    path = shared_folder() / GLYPH_IDS_ONLY
    code = main(["text", str(path), "--pages", "1", "--ocr", "never"])
    err = capsys.readouterr().err
    assert code == 2 and "page 1: text uses a font without a Unicode map (glyph ids only)" in err
    assert "re-export" not in err
    if not ocr.available():
        return
    code = main(["text", str(path), "--pages", "1"])
    out, err = capsys.readouterr()
    assert code == 0, err
    # The page as printed (pdftotext and pdfminer give no text at all): its title and first sentence.
    assert out.splitlines()[:2] == ["入札説明書", "九州地方整備局筑後川河川事務所の令和5年度筑後川太郎原地区護岸補修工事、令和5年度筑後川菅原地区護岸"]
    assert err.splitlines()[0].startswith("note: page 1: 1318 of its 1318 glyphs are set in a font without a Unicode map")
