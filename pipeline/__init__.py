"""sesaku: 施策計画 tables from Japanese plan-evaluation PDFs to typed data."""

__version__ = "0.1.0"
