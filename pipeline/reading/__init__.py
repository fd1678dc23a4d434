"""Reading: a PDF file to one PageView per page (glyphs, lines, rules, ruled tables).

Guards and limits (``guards``), the fast reader (``pdfium``), the careful
reader (``careful``), glyphs to lines (``glyphs``), rules to ruled tables
(``rules``), and ``document``, which opens a file once and decides the
reader of each page.  Nothing here knows what a 施策計画 table is.
"""

from . import fonts

# On first import of the reading layer, before any document is opened:
# PDFium draws from the project's fonts only (see fonts.py).
fonts.configure()
