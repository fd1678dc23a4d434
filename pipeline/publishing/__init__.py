"""Publishing: the understood document to rows, files and metadata.

``schema`` defines every output table once; ``records`` flattens a
Document into rows; ``emit`` writes Parquet and CSV; ``datapackage``,
``dictionary`` and ``package`` describe them for portals; ``atomic`` is
the one way files are written.  DataFrames exist only here.
"""
