"""Fonts without a ToUnicode map: known character collections mapped through
their published tables, glyph ids only read by OCR (issue 25)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfminer.cmapdb import CMapDB

from helpers import page_views
from pipeline.orchestration import extract
from pipeline.orchestration.cli import main
from pipeline.reading import cidmaps, ocr
from synth import make_cid_text, make_glyph_id_text

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is not here")
needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the ocr extra (rapidocr) is not installed")

# Adobe-Japan1 CID 13706 is 𠮷 (U+20BB7), the tsuchi-yoshi of 吉野家: Adobe's
# cid2code.txt, and what pdf.js issue 16176 (Acrobat Web Capture) prints.
TSUCHI_YOSHI_CID, TSUCHI_YOSHI = 13706, "\U00020BB7"


def _cids(text: str, ucs2_cmap: str) -> bytes:
    """``text`` as two-byte CIDs, found through the collection's UCS-2 CMap (Unicode -> CID)."""
    cmap = CMapDB.get_cmap(ucs2_cmap)
    return b"".join(next(iter(cmap.decode(ord(ch).to_bytes(2, "big")))).to_bytes(2, "big") for ch in text)


def _text(capsys, path, *args) -> tuple[int, str, str]:
    code = main(["text", str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_cid_outside_the_bmp_reads_as_its_character_through_either_reader(tmp_path, capsys):
    """Identity-H (codes are CIDs) in an Adobe-Japan1 font without ToUnicode: pdfminer's
    own table stops at the BMP ((cid:13706)) and PDFium's gives 吉, another character."""
    codes = _cids("吉野家", "UniJIS-UCS2-H") + TSUCHI_YOSHI_CID.to_bytes(2, "big") + _cids("の吉", "UniJIS-UCS2-H")
    path = make_cid_text(tmp_path / "yoshi.pdf", [codes])
    for reader in ("auto", "pdfminer"):
        code, out, err = _text(capsys, path, "--reader", reader)
        assert (code, out) == (0, f"吉野家{TSUCHI_YOSHI}の吉\n\f"), err
        assert "cid" not in err
    (view,) = page_views(path)
    assert view.tally.unmapped == 0 and view.tally.kept == 6


def test_a_surrogate_pair_through_a_utf16_cmap_is_one_glyph_in_its_place(tmp_path, capsys):
    """UniJIS-UTF16-H writes 𠮷 as D842 DFB7: PDFium splits it into two glyphs of one
    advance each and shifts the rest of the line; sesaku reads the page as pdfminer does."""
    codes = "吉野家".encode("utf-16-be") + TSUCHI_YOSHI.encode("utf-16-be") + "の吉".encode("utf-16-be")
    path = make_cid_text(tmp_path / "utf16.pdf", [codes], encoding="UniJIS-UTF16-H")
    code, out, _ = _text(capsys, path)
    assert (code, out) == (0, f"吉野家{TSUCHI_YOSHI}の吉\n\f")
    (view,) = page_views(path)
    x0 = {c["text"]: c["x0"] for c in view.chars}
    # 14pt glyphs from x=72: the fourth glyph starts at 114 and the fifth one em on.
    assert x0[TSUCHI_YOSHI] == pytest.approx(72 + 3 * 14, abs=0.5)
    assert x0["の"] == pytest.approx(72 + 4 * 14, abs=0.5)


@pytest.mark.parametrize("ordering, ucs2, text", [
    ("Japan1", "UniJIS-UCS2-H", "日本語の文書"),
    ("GB1", "UniGB-UCS2-H", "中华人民共和国"),
    ("CNS1", "UniCNS-UCS2-H", "臺灣的文件"),
    ("Korea1", "UniKS-UCS2-H", "한국어문서"),
])
def test_every_known_collection_reads_without_tounicode(tmp_path, capsys, ordering, ucs2, text):
    path = make_cid_text(tmp_path / f"{ordering}.pdf", [_cids(text, ucs2)], ordering=ordering)
    code, out, err = _text(capsys, path)
    assert (code, out) == (0, text + "\n\f"), err


@pytest.mark.parametrize("collection", sorted(cidmaps.COLLECTIONS))
@pytest.mark.parametrize("vertical", [False, True])
def test_the_full_table_keeps_everything_pdfminer_maps(collection, vertical):
    own = CMapDB.get_unicode_map(collection, vertical).cid2unichr
    full = cidmaps.collection_map(collection, vertical)
    assert all(full[cid] == text for cid, text in own.items())
    # ... and adds what lies outside the BMP: 603 CIDs of Japan1, 73 of CNS1;
    # GB1's and Korea1's UTF-32 CMaps give no CID that pdfminer lacks.
    assert len(full) > len(own) or collection in ("Adobe-GB1", "Adobe-Korea1")


@pytest.mark.parametrize("collection", sorted(cidmaps.COLLECTIONS))
def test_every_character_outside_the_bmp_a_collection_encodes_reads_back(collection):
    """The collection's own UTF-32 CMap (Unicode -> CID), read forwards: each character
    beyond U+FFFF it gives a CID of its own (one pdfminer's table leaves out) reads back
    as that character."""
    cmap = CMapDB.get_cmap(cidmaps.COLLECTIONS[collection][0] + "-H")
    full = cidmaps.collection_map(collection)
    by_cid: dict[int, list[int]] = {}

    def walk(tree, prefix=0):
        for byte, value in tree.items():
            code = (prefix << 8) | int(byte)
            if isinstance(value, dict):
                walk(value, code)
            else:
                by_cid.setdefault(int(value), []).append(code)

    walk(cmap.code2cid)
    own = CMapDB.get_unicode_map(collection).cid2unichr
    wide = [(cid, codes[0]) for cid, codes in by_cid.items()
            if len(codes) == 1 and codes[0] > 0xFFFF and cid not in own]
    assert wide or collection in ("Adobe-GB1", "Adobe-Korea1")
    assert [(cid, ord(full[cid])) for cid, _ in wide] == wide


def test_an_unknown_collection_has_no_table():
    assert cidmaps.collection_map("Adobe-Identity") is None
    assert cidmaps.collection_map(f"Adobe-Japan1 {TSUCHI_YOSHI}") is None
    assert cidmaps.collection_map("Adobe-Japan1")[TSUCHI_YOSHI_CID] == TSUCHI_YOSHI


# ---------------------------------------------------------------- glyph ids only


GLYPH_ID_LINES = ["入札説明書", "令和5年度の工事について説明します。"]


def test_glyph_ids_only_without_ocr_say_how_sesaku_reads_them(tmp_path, capsys, monkeypatch):
    path = make_glyph_id_text(tmp_path / "ids.pdf", GLYPH_ID_LINES)
    code, out, err = _text(capsys, path, "--ocr", "never")
    assert code == 2 and out == ""
    (line,) = err.strip().splitlines()
    assert "page 1: text uses a font without a Unicode map (glyph ids only)" in line
    if ocr.available():
        assert line.endswith("sesaku reads such pages by OCR: read it with --ocr auto")
    monkeypatch.setattr(ocr, "available", lambda: False)
    assert extract.ocr_mode("auto") == "never"
    code, out, err = _text(capsys, path)
    assert code == 2
    assert err.strip().endswith("install the OCR extra (pip install 'sesaku[ocr]') and sesaku reads such pages by OCR")
    assert "re-export" not in err


@needs_ocr
@pytest.mark.slow
def test_glyph_ids_only_are_read_by_ocr_with_a_warning_saying_why(tmp_path, capsys):
    path = make_glyph_id_text(tmp_path / "ids.pdf", GLYPH_ID_LINES)
    code, out, err = _text(capsys, path)
    assert code == 0
    assert out == "".join(line + "\n" for line in GLYPH_ID_LINES) + "\f"
    notes = err.strip().splitlines()
    assert notes[0] == ("note: page 1: 23 of its 23 glyphs are set in a font without a Unicode map "
                        "(glyph ids only, shown as (cid:NN)), so the page was read by OCR")
    assert notes[1].startswith("note: page 1: read by OCR (RapidOCR, 200 dpi), 2 line(s)")
    (view,) = [v for v in page_views_ocr(path)]
    assert view.text_layer == "ocr" and view.tally.unmapped == 0


def page_views_ocr(path):
    from pipeline.reading.document import DocumentReader
    from pipeline.options import Options

    with DocumentReader(path, Options(ocr="auto")) as doc:
        return [doc.read_page(n, reader="auto") for n in range(1, doc.page_count + 1)]


# ---------------------------------------------------------------- the real files


@needs_real
@pytest.mark.parametrize("name, text", [
    ("pdfjs_issue16176_webcapture.pdf", TSUCHI_YOSHI),  # Adobe-Japan1-4, Identity-H, CFF embedded
    ("pdfjs_noembed-identity.pdf", "ABCあいうえお123\n1"),  # Ryumin-Light Identity-H, not embedded
    ("pdfjs_noembed-sjis.pdf", "あいうえお"),  # 90ms-RKSJ-H
    ("pdfjs_noembed-eucjp.pdf", "あいうえお"),  # EUC-H
    ("pdfjs_90ms_rksj_h_sample.pdf", "Hello ASCII\n日本語テスト"),
])
def test_real_collection_fonts_without_tounicode_read_alike_in_both_readers(capsys, name, text):
    for reader in ("auto", "pdfminer"):
        code, out, err = _text(capsys, REAL / name, "--reader", reader, "--pages", "1")
        assert (code, out.rstrip("\n\f")) == (0, text), err
