"""No module imports another module's private names (issue 26).

A name with a leading underscore is its module's own business: another
module that needs it makes it public (and so part of what the module
promises).  Checked over pipeline/ and normalizers/: ``from x import _y``
and ``x._y`` where ``x`` is an imported sesaku module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "pipeline").rglob("*.py"), *(ROOT / "normalizers").rglob("*.py")])
OURS = ("pipeline", "normalizers")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = (module if is_package else module.rpartition(".")[0]).split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def private_uses(source: str, path: Path) -> list[str]:
    module = _module(path)
    tree = ast.parse(source)
    found = []
    aliases: set[str] = set()  # names bound to one of our modules
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _absolute(node, module, path.name == "__init__.py")
            if not target.startswith(OURS):
                continue
            for alias in node.names:
                if _private(alias.name) and target != module:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: imports {target}.{alias.name}")
                elif not _private(alias.name):
                    aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(OURS):
                    aliases.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name) \
                and node.value.id in aliases and node.value.id not in ("self", "cls"):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: uses {node.value.id}.{node.attr}")
    return found


def test_no_module_imports_another_modules_private_names():
    found = [f for path in SOURCES for f in private_uses(path.read_text(encoding="utf-8"), path)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("source, expected", [
    ("from .guards import _Timeout\n", 1),
    ("from pipeline.reading import guards\nguards._in_main_thread()\n", 1),
    ("from . import careful\ncareful._patch()\n", 1),
    ("from .guards import Timeout\nimport re\nre._pattern_type\n", 0),  # not ours
    ("from .guards import __all__\n", 0),
])
def test_the_check_finds_private_names(source, expected):
    assert len(private_uses(source, ROOT / "pipeline" / "reading" / "stage.py")) == expected
