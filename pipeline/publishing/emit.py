"""Rows to files: typed Parquet and portal-ready CSV, written atomically.

DataFrames exist only here.  Everything is first written into a staging
folder beside the output and moved into place only once complete, so a
failed or killed run leaves the previous outputs untouched.  Rows keep
the order they were given in (document order within a doc_id, documents
sorted by doc_id) and nothing time-dependent is written, so equal inputs
give byte-identical files.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import OutputError
from .atomic import commit, staged_folder
from .schema import TABLES, TableSchema, arrow_schema, pandas_dtypes
from .workbook import write_workbook

CSV_ENCODINGS = ("utf-8-sig", "cp932", "utf-8")
WORKBOOK = "sesaku.xlsx"


class CsvEncodingError(OutputError, ValueError):
    """A value that the requested CSV encoding cannot represent."""


def rows_to_frame(table: TableSchema, rows: Sequence[Mapping]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=table.names)
    return frame.astype(pandas_dtypes(table))


def frame_to_arrow(table: TableSchema, frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, schema=arrow_schema(table), preserve_index=False)


# U+3013 GETA MARK: the JIS convention for "a character that cannot be
# shown here"; it is in cp932, so a substitute never fails itself.
UNENCODABLE = "〓"
CSV_ERRORS = ("skip", "substitute", "strict")


def substitute(char: str, encoding: str) -> str:
    """What --csv-substitute writes for a character ``encoding`` lacks.

    Its NFKC form when that form is encodable (``₂`` → ``2``, ``㎡`` stays
    as cp932 has it), else 〓.  Only the failing character is touched:
    the cell is never NFKC-normalised as a whole (``①`` would become ``1``).
    """
    folded = unicodedata.normalize("NFKC", char)
    if folded != char:
        try:
            folded.encode(encoding)
            return folded
        except UnicodeEncodeError:
            pass
    return UNENCODABLE


def _unencodable(table: TableSchema, frame: pd.DataFrame, encoding: str) -> Iterator[tuple[int, str, int, str]]:
    """(row number, column, position, character) of every character the encoding lacks."""
    for column in frame.columns:
        if frame[column].dtype != "string":
            continue
        for row_no, value in enumerate(frame[column], 1):
            if value is pd.NA or value is None:
                continue
            try:
                value.encode(encoding)
            except UnicodeEncodeError:
                for position, char in enumerate(value):
                    try:
                        char.encode(encoding)
                    except UnicodeEncodeError:
                        yield row_no, column, position, char


def _check_encodable(table: TableSchema, frame: pd.DataFrame, encoding: str, headers: Sequence[str]) -> None:
    for name in headers:
        try:
            name.encode(encoding)
        except UnicodeEncodeError as exc:
            raise CsvEncodingError(f"{table.name}: column title {name!r} cannot be written as {encoding}: {exc.reason}") from None
    for row_no, column, _, char in _unencodable(table, frame, encoding):
        raise CsvEncodingError(
            f"{table.name}.csv row {row_no}, column {column}: character {char!r} (U+{ord(char):04X}) "
            f"cannot be encoded as {encoding}; use --csv-encoding utf-8-sig"
        )


def substitute_unencodable(table: TableSchema, frame: pd.DataFrame, encoding: str) -> tuple[pd.DataFrame, list[dict]]:
    """The frame with every unencodable character replaced, and the list of replacements."""
    found = list(_unencodable(table, frame, encoding))
    if not found:
        return frame, []
    out = frame.copy()
    done: list[dict] = []
    cells: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for row_no, column, position, char in found:
        cells.setdefault((row_no, column), []).append((position, char))
    for (row_no, column), chars in cells.items():
        text = list(out[column].iloc[row_no - 1])
        for position, char in chars:
            text[position] = substitute(char, encoding)
            done.append({"table": table.name, "row": row_no, "column": column, "character": char,
                         "code_point": f"U+{ord(char):04X}", "written_as": text[position]})
        out.iloc[row_no - 1, out.columns.get_loc(column)] = "".join(text)
    return out, done


def write_csv(table: TableSchema, frame: pd.DataFrame, path: Path, encoding: str = "utf-8-sig", headers: str = "en") -> None:
    names = [f.title_ja for f in table.fields] if headers == "ja" else table.names
    if encoding != "utf-8-sig" and encoding != "utf-8":
        _check_encodable(table, frame, encoding, names)
    out = frame.copy()
    out.columns = names
    # lineterminator fixed: the same bytes on every platform.
    out.to_csv(path, index=False, encoding=encoding, lineterminator="\n")


@dataclass(frozen=True)
class Written:
    """What write_tables put in place, and the CSVs it could not write as asked."""

    paths: tuple[Path, ...]
    # table → the one-line reason its CSV was not written (--csv-encoding lacks a character)
    csv_skipped: Mapping[str, str] = field(default_factory=dict)
    # every character replaced under --csv-substitute
    substitutions: tuple[dict, ...] = ()


def write_parquet(table: TableSchema, frame: pd.DataFrame, path: Path) -> None:
    pq.write_table(frame_to_arrow(table, frame), path, compression="zstd", write_statistics=True)


def write_tables(
    tables: Mapping[str, Sequence[Mapping]],
    out_dir: Path,
    *,
    extra_files: Mapping[str, str | Callable[[set[str]], str]] | None = None,
    csv_encoding: str = "utf-8-sig",
    csv_headers: str = "en",
    csv_errors: str = "strict",
    workbook: bool = True,
    schemas: Mapping[str, TableSchema] = TABLES,
) -> Written:
    """Write every table as Parquet and CSV into out_dir, atomically.

    ``extra_files`` maps file names to text content (the run report, the
    data package) written in the same staged move; a value may be a
    function of the set of tables whose CSV was skipped.  ``csv_errors``
    says what a character the CSV encoding lacks does: ``strict`` raises
    CsvEncodingError and writes nothing, ``skip`` leaves that CSV out (and
    removes an earlier one, which would no longer match the Parquet),
    ``substitute`` writes ``substitute(char)`` and lists it.  ``schemas``
    names the tables written (extract's TABLES unless another command's).  Parquet and
    the workbook always hold the text as read.  Each file is replaced
    with one rename; a run killed before the moves leaves every previous
    file as it was, one killed during the moves (a window of a few
    renames) is completed by the next run's ``recover``.
    """
    if csv_encoding not in CSV_ENCODINGS:
        raise ValueError(f"unknown CSV encoding {csv_encoding!r}; choose one of {', '.join(CSV_ENCODINGS)}")
    if csv_errors not in CSV_ERRORS:
        raise ValueError(f"unknown csv_errors {csv_errors!r}; choose one of {', '.join(CSV_ERRORS)}")
    frames = {name: rows_to_frame(table, tables.get(name, ())) for name, table in schemas.items()}
    skipped: dict[str, str] = {}
    substitutions: list[dict] = []
    with staged_folder(out_dir) as staging:
        written = []
        for name, table in schemas.items():
            frame = frames[name]
            write_parquet(table, frame, staging / f"{name}.parquet")
            written.append(f"{name}.parquet")
            if csv_errors == "substitute" and csv_encoding not in ("utf-8", "utf-8-sig"):
                frame, done = substitute_unencodable(table, frame, csv_encoding)
                substitutions += done
            try:
                write_csv(table, frame, staging / f"{name}.csv", csv_encoding, csv_headers)
            except CsvEncodingError as exc:
                if csv_errors == "strict":
                    raise
                skipped[name] = str(exc)
                (staging / f"{name}.csv").unlink(missing_ok=True)
                continue
            written.append(f"{name}.csv")
        if workbook:
            write_workbook(frames, staging / WORKBOOK, csv_headers)
            written.append(WORKBOOK)
        for file_name, content in (extra_files or {}).items():
            text = content(set(skipped)) if callable(content) else content
            (staging / file_name).write_text(text, encoding="utf-8")
            written.append(file_name)
        paths = commit(staging, Path(out_dir), written)
    for name in skipped:
        (Path(out_dir) / f"{name}.csv").unlink(missing_ok=True)
    return Written(tuple(paths), skipped, tuple(substitutions))


class OutputMismatch(OutputError, ValueError):
    """An output folder whose tables this version cannot add documents to."""


def read_tables(out_dir: Path) -> dict[str, list[dict]] | None:
    """The rows of the tables an earlier run wrote into ``out_dir``; None if it holds none.

    Read from the Parquet files (typed, always written).  Raises
    OutputMismatch when a table is missing or has other columns than this
    version writes (an older or newer sesaku).
    """
    out_dir = Path(out_dir)
    if not any((out_dir / f"{name}.parquet").is_file() for name in TABLES):
        return None
    tables: dict[str, list[dict]] = {}
    for name, table in TABLES.items():
        path = out_dir / f"{name}.parquet"
        if not path.is_file():
            raise OutputMismatch(f"{path} is missing (the folder was written by another sesaku version)")
        try:
            frame = pq.read_table(path).to_pandas()
        except (OSError, pa.ArrowException) as exc:
            raise OutputMismatch(f"{path} cannot be read ({type(exc).__name__})") from None
        if list(frame.columns) != table.names:
            raise OutputMismatch(f"{path} has other columns than this sesaku version writes")
        frame = frame.astype(pandas_dtypes(table))
        tables[name] = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return tables


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n"

