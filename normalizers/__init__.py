"""Pure string-to-value normalisers.

Each takes one printed string and returns a value, passes None/"" through
as None, and takes ``errors="raise" | "null"``.  Nothing here imports
``pipeline``: these must stay usable from notebooks and scorers alone.
"""

from .era import YearLabel, fiscal_year, format_era_year, parse_year_label, to_era
from .errors import NormalizeError
from .numbers import parse_number
from .ratings import Rating, format_rating, parse_rating
from .width import field_text, remove_layout_spaces, squash, to_halfwidth_ascii

__all__ = [
    "NormalizeError",
    "Rating",
    "YearLabel",
    "field_text",
    "fiscal_year",
    "format_era_year",
    "format_rating",
    "parse_number",
    "parse_rating",
    "parse_year_label",
    "remove_layout_spaces",
    "squash",
    "to_era",
    "to_halfwidth_ascii",
]
