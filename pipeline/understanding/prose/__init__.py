"""The prose pages before the tables: programs, results under sub-headings, next steps."""
