"""Every kind of bad input fails with one clear line and the right exit status.

The files are made here (tests/synth.py); each failure must name the file,
the page where there is one, what is wrong and what to do, and must not
stop or change the other documents of the batch.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import synth
from pypdf import PdfReader, PdfWriter

from pipeline import errors
from pipeline.errors import KINDS
from pipeline.options import Limits, Options
from pipeline.orchestration import extract
from pipeline.orchestration.cli import main
from pipeline.orchestration.extract import extract_document, extract_to_records
from pipeline.reading import guards

FIXTURE = Path(__file__).parent / "fixtures" / "plan6.pdf"


def _small(path: Path) -> Path:
    synth.build_table_pdf(path, synth._small_grid())
    return path


def _merge(path: Path, *parts: Path) -> Path:
    writer = PdfWriter()
    for part in parts:
        for page in PdfReader(str(part)).pages:
            writer.add_page(page)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def _scanned_after_prose(path: Path) -> Path:
    prose, scan = path.with_suffix(".prose.pdf"), path.with_suffix(".scan.pdf")
    synth.make_prose_only(prose)
    synth.make_scanned(scan)
    return _merge(path, prose, scan)


# With --ocr never (these tests are about the message, not about OCR):
# what to do depends on whether the OCR extra is installed.
OCR_ADVICE = r"(read it with --ocr auto|install the OCR extra \(pip install 'sesaku\[ocr\]'\) to read it), or OCR it first \(ocrmypdf -l jpn\)"

# name -> (maker, error kind, message pattern)
BAD = {
    "not_a_pdf": (synth.make_not_a_pdf, "not_a_pdf", r"not\.a\.pdf\.pdf: not a PDF \(no %PDF- header\); check that the download is the PDF"),
    "empty": (synth.make_empty, "empty", r"empty\.pdf: the file is empty \(0 bytes\); download it again"),
    "truncated": (lambda p: synth.make_truncated(p, FIXTURE), "corrupt", r"truncated\.pdf: the PDF is damaged and cannot be read \(\w+\); download it again"),
    "encrypted": (synth.make_encrypted, "encrypted", r"encrypted\.pdf: the PDF is encrypted; give its password with --password"),
    "scanned": (synth.make_scanned, "no_text_layer", r"scanned\.pdf: no page has a text layer \(a scan\?\); " + OCR_ADVICE),
    "scanned_pages": (_scanned_after_prose, "no_text_layer", r"scanned_pages\.pdf: no 施策計画 table in the text, and pages 3 are images without a text layer \(a scan\?\); " + OCR_ADVICE),
    "cid_font": (synth.make_cid_without_unicode, "cid_font", r"cid_font\.pdf, page 1: text uses a font without a Unicode map \(glyph ids only\) "
                 r"and extracts as \(cid:NN\); (sesaku reads such pages by OCR: read it with --ocr auto|"
                 r"install the OCR extra \(pip install 'sesaku\[ocr\]'\) and sesaku reads such pages by OCR)$"),
    "no_table": (synth.make_prose_only, "no_table", r"no_table\.pdf: no 施策計画 table found"),
}


def _file_name(kind: str) -> str:
    return "not.a.pdf.pdf" if kind == "not_a_pdf" else f"{kind}.pdf"


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    for kind, (make, _, _) in BAD.items():
        make(folder / _file_name(kind))
    return folder


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_one_line_and_exit_2(kind, bad_dir, tmp_path, capsys):
    path = bad_dir / _file_name(kind)
    _, error_kind, pattern = BAD[kind]
    status = main(["extract", str(path), "--out", str(tmp_path / "out"), "--workers", "1", "--ocr", "never"])
    err = capsys.readouterr().err
    assert status == 2
    failed = [line for line in err.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1, err
    assert str(path) in failed[0]
    assert re_search(pattern, failed[0]), failed[0]
    assert "Traceback" not in err
    report = json.loads((tmp_path / "out" / "_run.json").read_text(encoding="utf-8"))
    (doc,) = report["documents"]
    assert (doc["status"], doc["error_kind"]) == ("failed", error_kind)
    assert report["outputs"] == "unchanged: nothing was extracted"
    assert not list((tmp_path / "out").glob("*.csv"))  # nothing usable: no tables


def re_search(pattern: str, text: str) -> bool:
    import re

    return re.search(pattern, text) is not None


def test_batch_isolates_bad_files(bad_dir, tmp_path, capsys):
    """One good file among all the bad ones: extracted as if alone, exit 1."""
    folder = tmp_path / "in"
    folder.mkdir()
    for f in bad_dir.glob("*.pdf"):
        if not f.name.endswith((".prose.pdf", ".scan.pdf")):
            (folder / f.name).write_bytes(f.read_bytes())
    _small(folder / "good.pdf")
    status = main(["extract", str(folder), "--out", str(tmp_path / "out"), "--workers", "2", "--ocr", "never"])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    assert re_search(r"1 of 9 document\(s\) extracted into .*; 8 failed \(1 cid_font, 1 corrupt, 1 empty, 1 encrypted, "
                     r"1 no_table, 2 no_text_layer, 1 not_a_pdf; see .*_run\.json\)", err), err
    report = json.loads((tmp_path / "out" / "_run.json").read_text(encoding="utf-8"))
    by_id = {d["doc_id"]: d for d in report["documents"]}
    assert by_id["good"]["status"] == "ok"
    assert by_id["good"]["rows"]["measures"] == 1 and by_id["good"]["rows"]["targets"] == 3
    assert by_id["good"]["pages"] == 1 and len(by_id["good"]["sha256"]) == 64
    assert sorted(d["error_kind"] for d in report["documents"] if d["status"] != "ok") == sorted(
        e for _, e, _ in BAD.values()
    )
    for d in report["documents"]:  # every document: hash, duration, status
        assert set(d) >= {"sha256", "status", "error", "pages", "rows", "warnings", "seconds"}
    assert {k: report["summary"][k] for k in ("documents", "extracted", "failed")} == {"documents": 9, "extracted": 1, "failed": 8}
    measures = (tmp_path / "out" / "measures.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(measures) == 2 and measures[1].startswith("good,")


def test_encrypted_with_password(bad_dir):
    path = bad_dir / "encrypted.pdf"
    doc = extract_document(path, password="secret")
    assert [m.name for p in doc.plan.programs for m in p.measures] == ["起業支援"]
    report, _ = extract_to_records(str(path), Options(password="wrong"))
    assert report.error == f"{path}: the password given with password= is wrong"
    assert report.error_kind == "encrypted"


def test_missing_file_and_no_pages(tmp_path):
    missing = tmp_path / "gone.pdf"
    with pytest.raises(errors.MissingFile, match=r"gone\.pdf: no such file; check the path"):
        extract_document(missing)
    small = _small(tmp_path / "small.pdf")
    with pytest.raises(errors.NoPagesSelected, match=r"small\.pdf: pages='5-9' selects none of its 1 page\(s\)"):
        extract_document(small, pages="5-9")


def test_limits_pages_size_time(tmp_path):
    two = _merge(tmp_path / "two.pdf", _small(tmp_path / "a.pdf"), _small(tmp_path / "b.pdf"))
    with pytest.raises(errors.LimitExceeded, match=r"two\.pdf: 2 pages, over the 1-page limit; raise limits\.max_pages"):
        extract_document(two, limits=Limits(max_pages=1))
    with pytest.raises(errors.LimitExceeded, match=r"two\.pdf: file is 0\.00[0-9]+ MB, over the 0\.00095 MB limit; raise limits\.max_bytes"):
        extract_document(two, limits=Limits(max_bytes=1000))
    # A microsecond per page: the first page cannot make it.
    with pytest.raises(errors.LimitExceeded, match=r"two\.pdf(, page 1)?: .* took longer than 1e-06 s; raise limits\.seconds_per_page"):
        extract_document(two, limits=Limits(seconds_per_page=1e-6))


def test_memory_limit_between_pages(tmp_path, monkeypatch):
    two = _merge(tmp_path / "two.pdf", _small(tmp_path / "a.pdf"), _small(tmp_path / "b.pdf"))
    # The process "grows" 300 MB per reading: over a 500 MB budget at page 2.
    readings = iter(range(0, 10**12, 300 * 1024 * 1024))
    monkeypatch.setattr(guards, "_rss_bytes", lambda: next(readings))
    with pytest.raises(errors.LimitExceeded, match=r"two\.pdf, page 2: used 600 MB, over the 500 MB memory limit; raise limits\.max_memory_mb"):
        extract_document(two, limits=Limits(max_memory_mb=500))


def test_cli_memory_error_is_a_limit(tmp_path, monkeypatch):
    small = _small(tmp_path / "small.pdf")

    def boom(*a, **k):
        raise MemoryError

    monkeypatch.setattr(extract, "document_to_records", boom)
    report, records = extract_to_records(str(small), Options(limits=Limits(max_memory_mb=64)))
    assert records is None and report.error_kind == "limit"
    assert report.error == f"{small}: ran out of memory (limit 64 MB); raise limits.max_memory_mb or free memory"


def test_few_unmapped_glyphs_are_left_out_with_a_warning(tmp_path):
    """Below the unreadable share, (cid:NN) glyphs never reach a field."""
    import dataclasses

    from helpers import page_views

    from pipeline.reading.document import drop_unmapped
    from pipeline.settings import DEFAULT

    small = _small(tmp_path / "small.pdf")
    (view,) = page_views(small)
    ghost = dict(view.chars[-1], text="(cid:17)")
    dirty = dataclasses.replace(view, chars=view.chars + (ghost,))
    clean = drop_unmapped(dirty, DEFAULT)
    assert clean.chars == view.chars
    assert not any("(cid:" in line.text for line in clean.lines)
    notes = clean.notes
    assert len(notes) == 1
    assert re_search(r"^page 1: 1 glyph\(s\) of a font without a Unicode map, shown as \(cid:NN\), were left out "
                     r"\(first at x=\d+, top=\d+\)", notes[0])


def test_usage_errors_exit_2(tmp_path, capsys):
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    assert main(["extract", str(empty), "--out", str(tmp_path / "o")]) == 2
    assert f"error: no PDF found in {empty}" in capsys.readouterr().err
    assert main(["extract", str(tmp_path / "gone.pdf"), "--out", str(tmp_path / "o")]) == 2
    assert f"FAILED {tmp_path / 'gone.pdf'}: no such file; check the path" in capsys.readouterr().err
    assert main(["extract", str(tmp_path), "--out", str(tmp_path / "o"), "--pages", "x-y"]) == 2
    assert "--pages 'x-y': use page numbers and ranges such as 1-3,7 or 5-end, or all" in capsys.readouterr().err


def test_every_kind_is_known():
    assert {e for _, e, _ in BAD.values()} <= KINDS
    assert "internal" not in KINDS
