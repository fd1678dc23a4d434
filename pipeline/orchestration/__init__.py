"""Orchestration: one document end to end (``run``), the cache, batches, the CLI."""
