"""Pages stored rotated (/Rotate) extract exactly like upright ones."""

from __future__ import annotations

from pathlib import Path

import pytest
import synth
from conftest import FIXTURES, extracted
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import RectangleObject

from pipeline.orchestration.extract import extract_document
from pipeline.publishing.records import document_to_records


def rotated_copy(source: Path, target: Path, exact: bool = True) -> Path:
    """Every page stored turned a quarter counter-clockwise with /Rotate 90,
    so that a viewer shows exactly the original page.

    ``exact=False`` uses ``Transformation().rotate(90)``, which puts
    cos 90° = 6e-17 into the matrix as some writers do; pdfminer then reports
    the table's rules as slightly slanted curves.
    """
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert page.mediabox.left == 0 and page.mediabox.bottom == 0
        if exact:
            page.add_transformation(Transformation((0, 1, -1, 0, height, 0)))  # (x, y) -> (H - y, x)
        else:
            page.add_transformation(Transformation().rotate(90).translate(height, 0))
        page.mediabox = RectangleObject([0, 0, height, width])
        page.cropbox = RectangleObject([0, 0, height, width])
        page.rotate(90)
    with open(target, "wb") as fh:
        writer.write(fh)
    return target


def _without_doc_id(records: dict) -> dict:
    """The tables without what names the file (its id, name, bytes and dates)."""
    return {name: [{k: v for k, v in row.items() if k != "doc_id"} for row in rows]
            for name, rows in records.items() if name != "documents"}


@pytest.fixture(scope="module")
def rotated_fixture(tmp_path_factory) -> Path:
    return rotated_copy(FIXTURES / "plan6.pdf", tmp_path_factory.mktemp("rot") / "plan6-rotated.pdf")


def test_rotated_copy_displays_like_the_original(rotated_fixture):
    pdfium = pytest.importorskip("pypdfium2")
    import numpy as np

    original, rotated = pdfium.PdfDocument(str(FIXTURES / "plan6.pdf")), pdfium.PdfDocument(str(rotated_fixture))
    assert PdfReader(str(rotated_fixture)).pages[4].get("/Rotate") == 90
    for index in (0, 4):  # a prose page and a table page
        a = np.asarray(original[index].render(scale=50 / 72).to_pil().convert("L"), dtype=int)
        b = np.asarray(rotated[index].render(scale=50 / 72).to_pil().convert("L"), dtype=int)
        assert a.shape == b.shape
        # Antialiasing of the turned content differs by a grey level here and
        # there (pdftoppm at 50 dpi: 2.6% of pixels off by >64 on the table
        # page); a wrongly turned page differs almost everywhere ink is.
        assert (abs(a - b) > 64).mean() < 0.05, index
        ink = (a < 128).mean()
        assert ink > 0.01  # not comparing two blank pages


def test_rotated_fixture_gives_the_same_tables(rotated_fixture):
    _, upright = extracted("plan6.pdf")
    turned = document_to_records(extract_document(rotated_fixture))
    assert _without_doc_id(turned) == _without_doc_id(upright)
    assert len(turned["targets"]) == len(upright["targets"]) > 100


def test_rotation_matrix_with_floating_point_noise_gives_the_same_tables(tmp_path):
    _, upright = extracted("plan6.pdf")
    noisy = rotated_copy(FIXTURES / "plan6.pdf", tmp_path / "plan6-noisy.pdf", exact=False)
    turned = document_to_records(extract_document(noisy))
    assert _without_doc_id(turned)["targets"] == _without_doc_id(upright)["targets"]
    assert _without_doc_id(turned)["results"] == _without_doc_id(upright)["results"]


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_synthetic_rotations(rotate, tmp_path):
    grid = synth.plan_grid(synth.year_labels(2019, 4), [synth.Program("産業振興", "3*", [
        synth.Measure("起業支援", "起業を支援します。",
                      [synth.SubRow(["相談窓口"], [synth.Target(0, ["制度見直し"]), synth.Target(1, ["運営"], span=3)], label="融資")],
                      rating="3*", outcomes=["11社が入居しました。"], changes=["需要増"])])])
    upright = document_to_records(extract_document(synth.build_table_pdf(tmp_path / "up.pdf", grid).path))
    turned = synth.build_table_pdf(tmp_path / "turned.pdf", grid, rotate=rotate)
    assert PdfReader(str(turned.path)).pages[0].get("/Rotate") == rotate
    records = document_to_records(extract_document(turned.path))
    assert _without_doc_id(records) == _without_doc_id(upright)
    assert [r["text"] for r in records["targets"]] == ["制度見直し"] + ["運営"] * 3
