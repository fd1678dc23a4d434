"""Orchestration: the models over the page stage (``extract``, ``tables``, ``text``), the commands, the CLI, the API, the cache, batches."""
