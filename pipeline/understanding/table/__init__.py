"""The 施策計画 table: locate → grid (engines) → stitch → interpret → items."""
