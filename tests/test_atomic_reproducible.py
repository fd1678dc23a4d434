"""Outputs appear whole or not at all, and the same inputs give the same bytes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import synth

from pipeline.orchestration.cli import main
from pipeline.publishing import atomic
from pipeline.publishing.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "plan6.pdf"


def _tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".parquet")}


def _small(path: Path, name: str = "起業支援") -> Path:
    grid = synth.plan_grid(synth.year_labels(2019, 3), [synth.Program("産業振興", "3", [
        synth.Measure(name, "起業を支援します。", [synth.SubRow(["相談"], [synth.Target(0, ["セミナー開催"], span=3)])],
                      outcomes=["セミナーを3回開催しました。"])])])
    synth.build_table_pdf(path, grid)
    return path


def _cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("in")
    _small(folder / "a_small.pdf")
    (folder / "b_plan6.pdf").write_bytes(FIXTURE.read_bytes())
    synth.make_empty(folder / "c_empty.pdf")
    return folder


@pytest.mark.slow
def test_two_runs_byte_identical_serial_and_parallel(inputs, tmp_path, capsys):
    assert main(["extract", str(inputs), "--out", str(tmp_path / "one"), "--workers", "1", "--force"]) == 1
    assert main(["extract", str(inputs), "--out", str(tmp_path / "two"), "--workers", "2", "--force"]) == 1
    capsys.readouterr()
    one, two = _tables(tmp_path / "one"), _tables(tmp_path / "two")
    assert set(one) == {f"{name}.{ext}" for name in TABLES for ext in ("csv", "parquet")}
    assert one == two
    assert b"b_plan6," in one["targets.csv"] and b"a_small," in one["targets.csv"]
    # No staging folder is left behind.
    assert not list((tmp_path / "one").glob(".staging-*"))


@pytest.mark.slow
def test_killed_during_extraction_leaves_previous_outputs(inputs, tmp_path, capsys):
    out = tmp_path / "out"
    previous_in = tmp_path / "previous"
    previous_in.mkdir()
    _small(previous_in / "old.pdf", name="前回の施策")
    assert main(["extract", str(previous_in), "--out", str(out), "--workers", "1"]) == 0
    capsys.readouterr()
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    # The run stops inside the fixture's page 6 and says so, so it is
    # killed mid-extraction however fast or slow the machine is.
    proc = _cli(
        "import sys, time\n"
        "from pipeline.reading.document import DocumentReader\n"
        "read = DocumentReader.read_page\n"
        "def held(self, number, *a, **k):\n"
        "    if self.path.name == 'b_plan6.pdf' and number == 6:\n"
        "        print('holding', file=sys.stderr, flush=True)\n"
        "        time.sleep(600)\n"
        "    return read(self, number, *a, **k)\n"
        "DocumentReader.read_page = held\n"
        "from pipeline.orchestration.cli import main\n"
        f"sys.exit(main(['extract', {str(inputs)!r}, '--out', {str(out)!r}, '--workers', '1', '--force']))"
    )
    try:
        lines = [proc.stderr.readline() for _ in range(2)]
        assert lines[0].startswith("ok ") and "a_small.pdf" in lines[0], lines
        assert lines[1] == "holding\n", lines
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert "前回の施策".encode() in after["measures.csv"]


@pytest.mark.slow
def test_killed_while_moving_outputs_is_completed_by_recover(inputs, tmp_path, capsys):
    """The only window left: killed between the renames of two files.  The
    staged run was complete, so ``recover`` (run by the next write) moves
    the rest and the folder holds exactly one run's outputs."""
    small_only = tmp_path / "small"
    small_only.mkdir()
    _small(small_only / "a_small.pdf")
    reference, out = tmp_path / "reference", tmp_path / "out"
    assert main(["extract", str(small_only), "--out", str(reference), "--workers", "1"]) == 0
    old = tmp_path / "old"
    old.mkdir()
    _small(old / "old.pdf", name="前回の施策")
    assert main(["extract", str(old), "--out", str(out), "--workers", "1"]) == 0
    capsys.readouterr()

    proc = _cli(
        "import os, signal, sys\n"
        "real, seen = os.replace, []\n"
        "def replace(a, b):\n"
        "    if '.staging-' in str(a) and os.path.isdir(os.path.dirname(str(a))) and '.cache' not in str(a):\n"
        "        seen.append(b)\n"
        "    if len(seen) == 5: os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(a, b)\n"
        "os.replace = replace\n"
        "from pipeline.orchestration.cli import main\n"
        f"sys.exit(main(['extract', {str(small_only)!r}, '--out', {str(out)!r}, '--workers', '1', '--replace-all']))\n"
    )
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    (staged,) = out.glob(".staging-*")
    assert (staged / atomic.COMPLETE_MARKER).is_file()
    mixed = _tables(out)
    assert mixed != _tables(reference)  # four files moved, the rest not yet

    staged_names = (staged / atomic.COMPLETE_MARKER).read_text(encoding="utf-8").split()
    assert "_run.json" in staged_names and "targets.parquet" in staged_names
    moved = atomic.recover(out)
    assert moved == staged_names[4:]  # the four moved before the kill are not moved again
    assert _tables(out) == _tables(reference)
    assert not list(out.glob(".staging-*"))


def test_recover_discards_unfinished_staging(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "measures.csv").write_text("previous\n", encoding="utf-8")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    unfinished = out / f"{atomic.STAGING_PREFIX}{dead.stdout.strip()}-x"
    unfinished.mkdir()
    (unfinished / "measures.csv").write_text("half written", encoding="utf-8")
    alive = out / f"{atomic.STAGING_PREFIX}{os.getppid()}-y"  # a run still going: left alone
    alive.mkdir()
    assert atomic.recover(out) == []
    assert (out / "measures.csv").read_text(encoding="utf-8") == "previous\n"
    assert not unfinished.exists()
    assert alive.exists()
