"""The README is true: every command it shows runs as shown, from a copy of the checkout's inputs."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def _commands() -> list[str]:
    lines = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            line = " ".join(shlex.split(line, comments=True))
            if line:
                lines.append(line)
    return lines


def test_readme_opens_with_make_extract_and_make_test():
    first = _commands()[:2]
    assert first == ["make extract", "make test"]


def test_every_make_target_the_readme_names_exists():
    targets = set(re.findall(r"`make ([a-z-]+)`", README)) | {c.split()[1] for c in _commands() if c.startswith("make ")}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in sorted(targets):
        assert re.search(rf"^{re.escape(target)}:", makefile, flags=re.M), f"make {target} is in the README only"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A folder shaped like the checkout (raw_pdfs/, .venv) so the commands run unchanged."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "raw_pdfs", folder / "raw_pdfs")
    shutil.copy(ROOT / "sesaku-portal.toml", folder / "sesaku-portal.toml")
    # The venv running the tests (sesaku installed editable in it).
    (folder / ".venv").symlink_to(Path(sys.prefix))
    return folder


@pytest.mark.slow
def test_every_pipeline_command_of_the_readme_runs(workdir):
    commands = [c for c in _commands() if c.startswith(".venv/bin/python -m pipeline")]
    assert len(commands) >= 5
    for command in commands:  # in order: audit and package read what extract wrote
        done = subprocess.run(shlex.split(command), cwd=workdir, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (command, done.stderr)
        assert "Traceback" not in done.stderr, (command, done.stderr)
    assert (workdir / "extracted" / "sesaku.xlsx").is_file()
    assert (workdir / "audit" / "plan6" / "index.html").is_file()
    assert list((workdir / "dist").glob("*/ckan_package.json"))


@pytest.mark.slow
def test_the_python_example_of_the_readme_runs(workdir):
    (example,) = _blocks("python")[:1]
    done = subprocess.run([sys.executable, "-c", example + "\nprint(len(years))\n"], cwd=workdir,
                          capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "72"
