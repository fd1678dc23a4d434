"""Progress on a terminal counts pages: a long document moves the bar page by page (issue 29, 30).

Each command runs on a pseudo-terminal with every page read slowed down a
little (so that tqdm, which redraws at most five times a second, draws
each page whatever the machine's load), and the test reads what the
terminal was sent.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import synth
from helpers import on_a_terminal

ROOT = Path(__file__).resolve().parents[1]
PLAN6 = ROOT / "tests" / "fixtures" / "plan6.pdf"  # 11 pages
BUDGET = ROOT.parent / "shared" / "real" / "jp_fuji_city_r6_budget.pdf"  # 612 pages


def _slowed(argv: list[str], seconds: float) -> list[str]:
    script = (
        "import sys, time\n"
        "from pipeline.reading.document import DocumentReader\n"
        "read = DocumentReader.read_page\n"
        "def slowed(self, *a, **k):\n"
        f"    time.sleep({seconds})\n"
        "    return read(self, *a, **k)\n"
        "DocumentReader.read_page = slowed\n"
        "from pipeline.orchestration.cli import main\n"
        f"sys.exit(main({argv!r}))"
    )
    return [sys.executable, "-c", script]


def _on_a_terminal(command: list[str]) -> tuple[int, str]:
    return on_a_terminal(command, ROOT, columns=120)


def _states(text: str) -> list[tuple[int, int, int]]:
    """(documents done, pages done, pages in all) of every bar drawn, in order."""
    return [tuple(map(int, m.groups()))  # type: ignore[misc]
            for m in re.finditer(r"documents (\d+)/\d+, pages (\d+)/(\d+)", text)]


def _moved_within_the_document(states: list[tuple[int, int, int]], total: int) -> set[int]:
    assert states, "no bar drawn"
    assert all(t == total for _, _, t in states), states
    return {pages for documents, pages, _ in states if documents == 0 and 0 < pages < total}


@pytest.mark.slow
@pytest.mark.parametrize("command", ["extract", "tables"])
def test_one_document_moves_the_bar_page_by_page(command, tmp_path):
    code, text = _on_a_terminal(_slowed([command, str(PLAN6), "--out", str(tmp_path / "out")], 0.3))
    assert code == 0, text
    states = _states(text)
    # Before: "documents 0/1" until the end, then a jump to 1/1 (extract), no bar at all (tables).
    assert len(_moved_within_the_document(states, 11)) >= 5, states
    assert states[-1] == (1, 11, 11), states
    assert "pages/s" in text and text.count("ok     ") == 1


@pytest.mark.slow
def test_worker_processes_send_their_pages_to_the_one_bar(tmp_path):
    for i in range(2):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"p{i}.pdf").write_bytes(PLAN6.read_bytes() + b"\n" * (i + 1))  # not one file twice
    code, text = _on_a_terminal(_slowed(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                                         "--workers", "2"], 0.3))
    assert code == 0, text
    states = _states(text)
    assert len(_moved_within_the_document(states, 22)) >= 5, states
    assert states[-1] == (2, 22, 22), states


@pytest.mark.slow
@pytest.mark.skipif(not BUDGET.is_file(), reason="needs ../shared/real (the 612-page budget book)")
def test_tables_of_the_budget_book_shows_pages_from_the_start(tmp_path):
    # The first 40 pages: the bar's total is the selection, and it moves
    # long before the document is done (it used to show nothing for 18 s).
    code, text = _on_a_terminal(_slowed(["tables", str(BUDGET), "--out", str(tmp_path / "out"),
                                         "--pages", "1-40"], 0.05))
    assert code == 0, text
    states = _states(text)
    assert len(_moved_within_the_document(states, 40)) >= 5, states
    assert states[-1] == (1, 40, 40), states


def test_a_failed_document_takes_its_pages_out_of_the_total(tmp_path):
    # A PDF over --max-pages is known before any page is read: the total is
    # the other document's pages, and the bar ends full.
    bad = tmp_path / "in" / "bad.pdf"
    bad.parent.mkdir()
    synth.make_not_a_pdf(bad)
    code, text = _on_a_terminal([sys.executable, "-m", "pipeline", "extract", str(bad), str(PLAN6),
                                 "--out", str(tmp_path / "out"), "--workers", "1"])
    assert code == 1, text
    states = _states(text)
    assert states[0] == (0, 0, 11) and states[-1] == (2, 11, 11), states


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(PLAN6), "--out", str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "\r" not in proc.stderr and "pages/s" not in proc.stderr and "documents" not in proc.stderr.split("\n")[0]
    assert proc.stderr.startswith("ok     "), proc.stderr
