"""Every failure a user can cause is one line on stderr, the right exit code, no traceback."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import frictionless
import pytest
import synth

from pipeline.orchestration.cli import main

ROOT = Path(__file__).resolve().parents[1]
PLAN6 = ROOT / "tests" / "fixtures" / "plan6.pdf"


def _small(path: Path, name: str = "起業支援") -> Path:
    grid = synth.plan_grid(synth.year_labels(2019, 3), [synth.Program("産業振興", "3", [
        synth.Measure(name, "支援します。", [synth.SubRow(["相談"], [synth.Target(0, ["セミナー開催"], span=3)])],
                      outcomes=["セミナーを3回開催しました。"])])])
    path.parent.mkdir(parents=True, exist_ok=True)
    synth.build_table_pdf(path, grid)
    return path


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return _small(tmp_path_factory.mktemp("small") / "small.pdf")


@pytest.mark.parametrize("where", ["file", "proc"])
def test_unwritable_output_folder_fails_before_any_work(where, small, tmp_path, capsys):
    if where == "file":
        out = tmp_path / "taken"
        out.write_text("not a folder")
        expected = f"error: --out: {out} is a file, not a folder; choose another output folder"
    else:
        out = Path("/proc/sesaku-out")
        expected = f"error: --out: cannot write into {out}: "
    assert main(["extract", str(small), "--out", str(out)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(expected), line


@pytest.mark.parametrize("argv, message", [
    (["--workers", "0"], "argument --workers: must be 1 or more, not 0"),
    (["--workers", "-1"], "argument --workers: must be 1 or more, not -1"),
    (["--max-mb", "0"], "argument --max-mb: must be more than 0, not 0"),
    (["--max-pages", "x"], "argument --max-pages: invalid _positive_int value: 'x'"),
    (["--pages", "3-1"], "--pages '3-1': the range 3-1 runs backwards"),
    (["--pages", "a"], "--pages 'a': use page numbers and ranges such as 1-3,7 or 5-end, or all"),
])
def test_bad_option_values_are_one_line(argv, message, small, tmp_path, capsys):
    assert main(["extract", str(small), "--out", str(tmp_path / "o"), *argv]) == 2
    assert message in _one_line(capsys.readouterr().err)
    assert not (tmp_path / "o").exists()


def test_pages_past_the_end_name_the_page_count(small, tmp_path, capsys):
    assert main(["extract", str(small), "--out", str(tmp_path / "o"), "--pages", "20-end"]) == 2
    assert "small.pdf: --pages 20-end selects none of its 1 page(s)" in capsys.readouterr().err
    assert main(["extract", str(small), "--out", str(tmp_path / "o"), "--pages", "end"]) == 0


def test_unreachable_dask_scheduler_is_one_line_within_seconds(small, tmp_path, capsys):
    started = time.monotonic()
    assert main(["extract", str(small), "--out", str(tmp_path / "o"), "--dask", "tcp://127.0.0.1:1"]) == 2
    assert time.monotonic() - started < 20
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("error: --dask tcp://127.0.0.1:1: no Dask scheduler answered within 5 s"), line


def _holding(pdfs: list[Path], out: Path, *extra: str) -> subprocess.Popen:
    script = (
        "import sys, time\n"
        "from pipeline.reading.document import DocumentReader\n"
        "read = DocumentReader.read_page\n"
        "def held(self, number, *a, **k):\n"
        "    print('holding', file=sys.stderr, flush=True)\n"
        "    time.sleep(600)\n"
        "DocumentReader.read_page = held\n"
        "from pipeline.orchestration.cli import main\n"
        f"sys.exit(main(['extract', *{[str(p) for p in pdfs]!r}, '--out', {str(out)!r}, '--force', *{list(extra)!r}]))"
    )
    return subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_stops_cleanly_with_exit_130_and_keeps_the_outputs(workers, small, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(small), "--out", str(out), "--workers", "1"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    others = [_small(tmp_path / "in" / f"d{i}.pdf") for i in range(2)]
    proc = _holding(others, out, "--workers", workers)
    try:
        assert proc.stderr.readline().startswith("holding")  # two workers may print at once
        os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    lines = [ln for ln in err.replace("holding", "").splitlines() if ln]
    assert lines == [f"interrupted: nothing written; the tables in {out} are as before this run"], lines
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


@pytest.mark.slow
def test_a_terminal_shows_one_overall_bar_with_the_default_workers(tmp_path):
    for i in range(3):
        _small(tmp_path / "in" / f"d{i}.pdf", f"施策{i}")
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "extract", str(tmp_path / "in"), "--out", str(tmp_path / "out")],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=secondary,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(secondary)
    seen = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=60)
    os.close(primary)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "documents 3/3" in text and "pages/s" in text, text
    assert text.count("ok     ") == 3


def test_cp932_leaves_out_only_the_csv_it_cannot_hold(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(PLAN6), "--out", str(out), "--csv-encoding", "cp932", "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert ("error: narrative.csv row 35, column text: character '₂' (U+2082) cannot be encoded as cp932; "
            "use --csv-encoding utf-8-sig; narrative.csv not written") in err
    assert not (out / "narrative.csv").exists()
    assert (out / "narrative.parquet").exists() and (out / "measures.csv").exists()
    assert json.loads((out / "_run.json").read_text(encoding="utf-8"))["csv_not_written"] == ["narrative"]
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid and "narrative" not in [t.name for t in report.tasks]


def test_csv_substitute_writes_nfkc_and_lists_every_substitution(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(PLAN6), "--out", str(out), "--csv-encoding", "cp932", "--csv-substitute",
                 "--workers", "1"]) == 0
    narrative = (out / "narrative.csv").read_text(encoding="cp932")
    assert "CO2" in narrative and "CO₂" not in narrative
    run = json.loads((out / "_run.json").read_text(encoding="utf-8"))
    assert {(s["table"], s["character"], s["written_as"]) for s in run["csv_substitutions"]} == {("narrative", "₂", "2")}
    # The Parquet keeps the text as printed.
    import pandas as pd
    assert pd.read_parquet(out / "narrative.parquet")["text"].str.contains("CO₂").any()


# audit


def test_audit_opens_encrypted_pdfs_with_password(tmp_path, capsys):
    locked = tmp_path / "in" / "locked.pdf"
    locked.parent.mkdir()
    synth.make_encrypted(locked, password="secret")
    out = tmp_path / "audit"
    assert main(["audit", str(locked), "--out", str(out), "--password", "secret"]) == 0
    assert (out / "locked" / "index.html").is_file() and list((out / "locked").glob("page-*.png"))


def test_failed_audit_leaves_no_folder_and_keeps_an_earlier_report(tmp_path, capsys):
    bad = tmp_path / "bad.pdf"
    synth.make_not_a_pdf(bad)
    out = tmp_path / "audit"
    assert main(["audit", str(bad), "--out", str(out)]) == 2
    assert not out.exists()
    assert "Traceback" not in capsys.readouterr().err
    out.mkdir()
    (out / "index.html").write_text("earlier")
    assert main(["audit", str(bad), "--out", str(out)]) == 2
    assert (out / "index.html").read_text() == "earlier"


def test_audit_into_a_file_is_one_line(small, tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.write_text("x")
    assert main(["audit", str(small), "--out", str(taken)]) == 2
    assert _one_line(capsys.readouterr().err) == f"error: --out: {taken} is a file, not a folder; choose another output folder"


def test_audit_covers_every_document_the_folder_holds(tmp_path, capsys):
    out = tmp_path / "X"
    a, b = _small(tmp_path / "a.pdf", "施策エー"), _small(tmp_path / "b.pdf", "施策ビー")
    assert main(["extract", str(a), "--out", str(out), "--workers", "1"]) == 0
    assert main(["extract", str(b), "--out", str(out), "--workers", "1"]) == 0
    assert main(["audit", str(out), "--out", str(tmp_path / "audit"), "--pdf-dir", str(tmp_path)]) == 0
    assert (tmp_path / "audit" / "a" / "index.html").is_file() and (tmp_path / "audit" / "b" / "index.html").is_file()
