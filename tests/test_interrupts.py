"""Ctrl-C and SIGTERM stop every command the same way (issue 29): one line, exit 130 / 143,
no traceback, no temporary path named, no empty output folder left behind.

Each command runs in a child process whose work is held (a page being
read, the bundle being zipped) until the signal arrives.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import synth

from pipeline.orchestration.cli import main

ROOT = Path(__file__).resolve().parents[1]

HOLD_A_PAGE = (
    "from pipeline.reading.document import DocumentReader\n"
    "def held(self, *a, **k):\n"
    "    print('holding', file=sys.stderr, flush=True)\n"
    "    time.sleep(600)\n"
    "DocumentReader.read_page = held\n"
)
HOLD_THE_ZIP = (
    "import pipeline.publishing.package as package\n"
    "def held(*a, **k):\n"
    "    print('holding', file=sys.stderr, flush=True)\n"
    "    time.sleep(600)\n"
    "package._zip = held\n"
)


def _small(path: Path) -> Path:
    grid = synth.plan_grid(synth.year_labels(2019, 3), [synth.Program("産業振興", "3", [
        synth.Measure("起業支援", "支援します。", [synth.SubRow(["相談"], [synth.Target(0, ["セミナー開催"], span=3)])],
                      outcomes=["セミナーを3回開催しました。"])])])
    path.parent.mkdir(parents=True, exist_ok=True)
    synth.build_table_pdf(path, grid)
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return _small(tmp_path_factory.mktemp("small") / "small.pdf")


def _stopped(argv: list[str], hold: str, how: signal.Signals, cwd: Path = ROOT) -> tuple[int, str]:
    script = ("import sys, time\n" + hold + "from pipeline.orchestration.cli import main\n"
              f"sys.exit(main({argv!r}))")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        line = proc.stderr.readline()
        assert line.startswith("holding"), line + proc.stderr.read()
        os.kill(proc.pid, how)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    return proc.returncode, err.replace("holding\n", "")


def _one_line(err: str) -> str:
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    assert "sesaku-audit-" not in lines[0] and ".staging-" not in lines[0], lines[0]  # no temporary folder
    return lines[0]


CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_text(how, small):
    code, err = _stopped(["text", str(small)], HOLD_A_PAGE, how)
    assert code == CODES[how]
    assert _one_line(err) == "interrupted: the pages above are all that was read"


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_audit_of_a_pdf(how, small, tmp_path):
    out = tmp_path / "audit"
    code, err = _stopped(["audit", str(small), "--out", str(out)], HOLD_A_PAGE, how, cwd=tmp_path)
    assert code == CODES[how]
    assert _one_line(err) == f"interrupted: no report written; {out} is as before this run"
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_package(how, small, tmp_path):
    extracted = tmp_path / "extracted"
    assert main(["extract", str(small), "--out", str(extracted), "--workers", "1"]) == 0
    out = tmp_path / "dist"
    code, err = _stopped(["package", "--from", str(extracted), "--out", str(out),
                          "--config", str(ROOT / "sesaku-portal.toml")], HOLD_THE_ZIP, how)
    assert code == CODES[how]
    assert _one_line(err) == f"interrupted: nothing written; {out} is as before this run"
    assert not out.exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["extract", "tables"])
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_extract_and_tables_leave_no_new_folder(command, how, small, tmp_path):
    out = tmp_path / "new"
    code, err = _stopped([command, str(small), "--out", str(out)], HOLD_A_PAGE, how)
    assert code == CODES[how]
    assert _one_line(err) == f"interrupted: nothing written; the tables in {out} are as before this run"
    assert not out.exists()


@pytest.mark.slow
def test_sigterm_stops_worker_processes_too(small, tmp_path):
    pdfs = [_small(tmp_path / "in" / f"d{i}.pdf") for i in range(2)]
    out = tmp_path / "new"
    code, err = _stopped(["extract", *map(str, pdfs), "--out", str(out), "--workers", "2"], HOLD_A_PAGE,
                         signal.SIGTERM)
    assert code == 143
    assert _one_line(err) == f"interrupted: nothing written; the tables in {out} are as before this run"
    assert not out.exists()
