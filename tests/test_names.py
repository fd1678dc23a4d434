"""The command line speaks as the installed command (issue 29): ``sesaku`` in every usage line
and error, ``-o``/``-p`` as camelot's and tabula's CLIs have them, ``text`` says it reads one PDF."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import synth

from pipeline.orchestration.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("names") / "small.pdf"
    synth.make_text_pages(path, [["施策の一覧"], ["第二頁"]])
    return path


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, lines
    return lines[0]


@pytest.mark.parametrize("argv, starts", [
    (["extract"], "error: sesaku extract: the following arguments are required: PATH, -o/--out"),
    (["nonsense"], "error: sesaku: argument command: invalid choice: 'nonsense'"),
    (["text", "x.pdf", "--wrong"], "error: sesaku: unrecognized arguments: --wrong"),
])
def test_errors_name_the_installed_command(argv, starts, capsys):
    assert main(argv) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(starts), line
    assert "python -m" not in line


def test_usage_lines_name_the_installed_command():
    # As a user runs it: python -m pipeline, the same text as `sesaku`.
    for argv in (["--help"], ["extract", "--help"], ["text", "--help"], ["package", "--help"], ["audit", "--help"]):
        proc = subprocess.run([sys.executable, "-m", "pipeline", *argv], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
        shown = proc.stdout + proc.stderr
        assert "usage: sesaku" in shown and "python -m pipeline" not in shown, shown


def test_short_options_o_and_p(small, tmp_path, capsys):
    out = tmp_path / "tables"
    assert main(["tables", str(small), "-o", str(out), "-p", "2"]) in (0, 2)  # text pages hold no table
    assert (out / "_run.json").is_file()
    capsys.readouterr()
    assert main(["text", str(small), "-p", "2"]) == 0
    printed = capsys.readouterr().out
    assert "第二頁" in printed and "施策の一覧" not in printed


def test_text_says_it_reads_one_pdf(small, tmp_path, capsys):
    assert main(["text", str(small), str(small)]) == 2
    assert _one_line(capsys.readouterr().err) == (
        "error: text prints one PDF, not 2 files: run it once per file (extract and tables read several)")
    assert main(["text", str(tmp_path)]) == 2
    assert _one_line(capsys.readouterr().err) == (
        f"error: {tmp_path} is a folder; text prints one PDF (extract and tables read folders)")


def test_package_points_at_the_installed_command(tmp_path, capsys):
    assert main(["package", "--from", str(tmp_path), "-o", str(tmp_path / "dist")]) == 2
    line = _one_line(capsys.readouterr().err)
    assert f"run `sesaku extract PDF... --out {tmp_path}` first" in line, line
