"""Grid engines, a registry of classes: each says where the cells of a table region are.

An engine takes a page view and a region and returns the region's Grid.
Most engines only find cell boxes (``Engine.cell_boxes``); sesaku itself
assigns the glyphs (``table.grid``), so text is joined by one set of rules
whatever engine found the cells.  ``both`` wraps two engines and compares
their grids (``table.agreement``).
"""

from __future__ import annotations

from typing import Optional

from ....settings import Settings
from .base import Engine, EngineSource
from .both import BothEngine
from .camelot import CamelotEngine
from .pdfplumber import PdfplumberEngine

ENGINES: dict[str, type[Engine]] = {
    PdfplumberEngine.name: PdfplumberEngine,
    CamelotEngine.name: CamelotEngine,
    BothEngine.name: BothEngine,
}
PREFER = BothEngine.PAIR  # engines ``--prefer`` may name; the first is the default


def check_engine(name: str, prefer: str = PREFER[0]) -> None:
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; choose one of: {', '.join(sorted(ENGINES))}")
    if prefer not in PREFER:
        raise ValueError(f"unknown prefer {prefer!r}; choose one of: {', '.join(PREFER)}")


def make_engine(name: str, source: EngineSource, settings: Settings, *, prefer: Optional[str] = None) -> Engine:
    """The engine ``name`` for one document; ``prefer`` only applies to ``both``."""
    check_engine(name, prefer or PREFER[0])
    if name == BothEngine.name:
        return BothEngine(source, settings, prefer=prefer or PREFER[0])
    return ENGINES[name](source, settings)


__all__ = ["ENGINES", "PREFER", "Engine", "EngineSource", "check_engine", "make_engine"]
