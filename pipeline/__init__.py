"""sesaku: 施策計画 tables from Japanese plan-evaluation PDFs to typed data.

The package reads top-down, one phase per subpackage, data flowing one way:
``reading`` (PDF → page views) → ``understanding`` (pages → plan and
narrative) → ``publishing`` (rows, files, metadata) → ``audit`` (the
visual report) → ``orchestration`` (one document, the cache, batches,
the CLI).  ``models``, ``errors``, ``vocabulary``, ``geometry``,
``settings`` and ``version`` are shared by all; ``tests/test_architecture.py``
fails on any import against the flow.
"""

from .version import __version__

__all__ = ["__version__", "read_pdf"]


def __getattr__(name: str) -> object:
    # Lazy: ``python -m pipeline --version`` and the worker processes need
    # not import pandas, pdfplumber and fugashi just to load the package.
    if name == "read_pdf":
        from .orchestration.api import read_pdf

        return read_pdf
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
