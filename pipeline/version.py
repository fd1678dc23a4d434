"""sesaku's version, in one place every phase may read."""

__version__ = "0.1.0"
