"""The same PDFs give the same bytes on a machine with and without Japanese system fonts.

A machine with Japanese system fonts is modelled without installing any:
the test runs extraction a second time in a private mount namespace
(``unshare -m``) where a folder holding a Japanese font is bind-mounted
over /usr/share/fonts, visible to that one process only.  A probe with
plain pypdfium2 shows that the namespace really changes what PDFium reads
from a non-embedded font, so the comparison can fail; sesaku's tables
must be byte-identical in both.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import synth
from conftest import FIXTURES

from pipeline.reading import fonts

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys, pypdfium2 as pdfium, pypdfium2.raw as raw
doc = pdfium.PdfDocument(sys.argv[1])
page = doc[int(sys.argv[2])]
text = page.get_textpage()
print(sum(1 for i in range(text.count_chars()) if not raw.FPDFText_IsGenerated(text.raw, i)))
"""


def _namespace_works() -> bool:
    if not shutil.which("unshare") or not Path("/usr/share/fonts").is_dir():
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True)
    return probe.returncode == 0


def _run(args: list[str], fonts_folder: Path | None) -> subprocess.CompletedProcess:
    if fonts_folder is None:
        command = args
    else:
        quoted = " ".join(f"'{a}'" for a in args)
        command = ["unshare", "-m", "--propagation", "private", "sh", "-c",
                   f"mount --bind '{fonts_folder}' /usr/share/fonts && exec {quoted}"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def _tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".parquet")}


def test_pdfium_reads_only_the_projects_fonts():
    state = fonts.state()
    assert state["configured"] and state["private"], state
    assert state["folder"] == fonts.private_font_folder()
    assert (state["folder"] / fonts.FONT_FILE).is_file()


@pytest.mark.slow
@pytest.mark.skipif(not _namespace_works(), reason="needs unshare -m (a private mount namespace) to model a machine with Japanese fonts")
def test_tables_are_byte_identical_with_and_without_japanese_system_fonts(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    # Non-embedded CID fonts (HeiseiMin, HeiseiKakuGo): the case that differs by machine.
    grid = synth.plan_grid(synth.year_labels(2019, 3), [synth.Program("産業振興", "3*", [
        synth.Measure("起業支援", "起業を支援します。", [synth.SubRow(["相談窓口の設置"], [synth.Target(0, ["セミナー開催"], span=3)])],
                      outcomes=["セミナーを3回開催しました。"])])])
    synth.build_table_pdf(inputs / "synth.pdf", grid, prose_pages=synth.SAMPLE_PROSE)
    synth.build_table_pdf(inputs / "gothic.pdf", grid, font="HeiseiKakuGo-W5")
    shutil.copy(FIXTURES / "plan6-quirks.pdf", inputs / "quirks.pdf")
    japanese = tmp_path / "system-fonts"
    japanese.mkdir()
    shutil.copy(fonts.private_font_file(), japanese / "ipaexg.ttf")

    # The probe: plain PDFium on the system's fonts reads more with Japanese fonts installed.
    without = int(_run([sys.executable, "-c", PROBE, str(inputs / "synth.pdf"), "2"], None).stdout)
    with_fonts = _run([sys.executable, "-c", PROBE, str(inputs / "synth.pdf"), "2"], japanese)
    assert with_fonts.returncode == 0, with_fonts.stderr
    assert int(with_fonts.stdout) > without, "the namespace did not give PDFium a Japanese system font"

    outputs = {}
    for name, folder in (("bare", None), ("japanese", japanese)):
        out = tmp_path / name
        done = _run([sys.executable, "-m", "pipeline", "extract", str(inputs), "--out", str(out), "--workers", "1"], folder)
        assert done.returncode == 0, done.stderr
        outputs[name] = _tables(out)
    assert outputs["bare"] == outputs["japanese"]
    assert "起業支援".encode() in outputs["bare"]["measures.csv"]
