"""Data flows one way: reading → understanding → publishing → audit → orchestration.

Every import of every module under pipeline/ and normalizers/ (at module
level or inside a function) is resolved and checked against the layer
order; a backwards import fails here, in CI.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first.  A module may import its own layer and the layers below.
LAYERS = (
    ("core", ("pipeline.models", "pipeline.errors", "pipeline.vocabulary", "pipeline.geometry",
              "pipeline.settings", "pipeline.version", "pipeline.options")),
    ("reading", ("pipeline.reading",)),
    ("understanding", ("pipeline.understanding",)),
    ("publishing", ("pipeline.publishing",)),
    ("audit", ("pipeline.audit",)),
    ("orchestration", ("pipeline.orchestration", "pipeline.__main__")),
    ("api", ("pipeline",)),  # the package itself: what users import
)


def layer_of(module: str) -> Optional[int]:
    best = None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (rank, len(prefix))
    return best[0] if best else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, is_package: bool) -> Iterable[tuple[int, str]]:
    """(line, absolute module) of every import in ``source``."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield node.lineno, target
            for alias in node.names:  # "from . import pdfium" imports a submodule
                yield node.lineno, f"{target}.{alias.name}"


def violations(source: str, path: Path) -> list[str]:
    module = module_name(path)
    out, reported = [], set()
    for line, target in imports_of(source, module, path.name == "__init__.py"):
        if line in reported:
            continue  # one finding per import statement
        if module.startswith("normalizers"):
            if target == "pipeline" or target.startswith("pipeline."):
                out.append(f"{path.relative_to(ROOT)}:{line}: normalizers import {target}")
                reported.add(line)
            continue
        mine, theirs = layer_of(module), layer_of(target)
        if mine is None or theirs is None:
            continue  # stdlib, third party, normalizers
        if theirs > mine:
            out.append(
                f"{path.relative_to(ROOT)}:{line}: {LAYERS[mine][0]} module {module} imports "
                f"{LAYERS[theirs][0]} module {target}"
            )
            reported.add(line)
    return out


def all_sources() -> list[Path]:
    return sorted(p for package in ("pipeline", "normalizers") for p in (ROOT / package).rglob("*.py"))


def test_every_import_follows_the_flow():
    found = [v for path in all_sources() for v in violations(path.read_text(encoding="utf-8"), path)]
    assert found == []


def test_every_module_belongs_to_a_layer():
    unplaced = [module_name(p) for p in all_sources() if p.parts[-2:][0] != "normalizers"
                and not module_name(p).startswith("normalizers") and layer_of(module_name(p)) is None]
    assert unplaced == []


@pytest.mark.parametrize("path, source, why", [
    ("pipeline/reading/page.py", "from ..understanding.table import grid\n", "reading module pipeline.reading.page imports understanding"),
    ("pipeline/understanding/table/grid.py", "from ...publishing.schema import TABLES\n", "understanding module"),
    ("pipeline/publishing/records.py", "def f():\n    from ..orchestration.extract import extract_to_records\n", "publishing module"),
    ("pipeline/models.py", "from .reading.glyphs import is_white\n", "core module pipeline.models imports reading"),
    ("normalizers/width.py", "import pipeline.models\n", "normalizers import pipeline.models"),
])
def test_a_backwards_import_is_caught(path, source, why):
    found = violations(source, ROOT / path)
    assert len(found) == 1 and why in found[0], found


def test_forward_imports_are_allowed():
    assert violations("from ..reading.glyphs import chars_to_lines\nfrom ...models import Line\n",
                      ROOT / "pipeline/understanding/table/celltext.py") == []
