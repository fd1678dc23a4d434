"""Reading: a PDF file to one PageView per page (glyphs, lines, rules, ruled tables).

Guards and limits (``guards``), the fast reader (``pdfium``), the careful
reader (``careful``), glyphs to lines (``glyphs``), rules to ruled tables
(``rules``), and ``document``, which opens a file once and decides the
reader of each page.  Nothing here knows what a 施策計画 table is.

Nothing is configured or patched on import: ``setup.setup_readers()``
does it, explicitly, before a document is opened (the page stage calls it).
"""
