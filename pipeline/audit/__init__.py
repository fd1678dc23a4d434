"""The visual audit report: what was extracted, shown on each page it came from.

``load`` reads an extracted folder, ``model`` links rows and page regions
by their keys, ``pages`` renders page images, ``html`` writes the report
(with ``static/audit.css`` and ``audit.js``), ``report`` runs it per document.
"""
