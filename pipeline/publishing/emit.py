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
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .atomic import commit, staged_folder
from .schema import TABLES, TableSchema, arrow_schema, pandas_dtypes
from .workbook import write_workbook

CSV_ENCODINGS = ("utf-8-sig", "cp932", "utf-8")
WORKBOOK = "sesaku.xlsx"


class CsvEncodingError(ValueError):
    """A value that the requested CSV encoding cannot represent."""


def rows_to_frame(table: TableSchema, rows: Sequence[Mapping]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=table.names)
    return frame.astype(pandas_dtypes(table))


def frame_to_arrow(table: TableSchema, frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, schema=arrow_schema(table), preserve_index=False)


def _check_encodable(table: TableSchema, frame: pd.DataFrame, encoding: str, headers: Sequence[str]) -> None:
    for name in headers:
        try:
            name.encode(encoding)
        except UnicodeEncodeError as exc:
            raise CsvEncodingError(f"{table.name}: column title {name!r} cannot be written as {encoding}: {exc.reason}")
    for column in frame.columns:
        if frame[column].dtype != "string":
            continue
        for row_no, value in enumerate(frame[column], 1):
            if value is pd.NA or value is None:
                continue
            try:
                value.encode(encoding)
            except UnicodeEncodeError as exc:
                char = value[exc.start]
                raise CsvEncodingError(
                    f"{table.name}.csv row {row_no}, column {column}: character {char!r} (U+{ord(char):04X}) "
                    f"cannot be encoded as {encoding}; use --csv-encoding utf-8-sig"
                ) from None


def write_csv(table: TableSchema, frame: pd.DataFrame, path: Path, encoding: str = "utf-8-sig", headers: str = "en") -> None:
    names = [f.title_ja for f in table.fields] if headers == "ja" else table.names
    if encoding != "utf-8-sig" and encoding != "utf-8":
        _check_encodable(table, frame, encoding, names)
    out = frame.copy()
    out.columns = names
    # lineterminator fixed: the same bytes on every platform.
    out.to_csv(path, index=False, encoding=encoding, lineterminator="\n")


def write_parquet(table: TableSchema, frame: pd.DataFrame, path: Path) -> None:
    pq.write_table(frame_to_arrow(table, frame), path, compression="zstd", write_statistics=True)


def write_tables(
    tables: Mapping[str, Sequence[Mapping]],
    out_dir: Path,
    *,
    extra_files: Mapping[str, str] | None = None,
    csv_encoding: str = "utf-8-sig",
    csv_headers: str = "en",
    workbook: bool = True,
) -> list[Path]:
    """Write every table as Parquet and CSV into out_dir, atomically.

    ``extra_files`` maps file names to text content (the run report, the
    data package) written in the same staged move.  Each file is replaced
    with one rename; a run killed before the moves leaves every previous
    file as it was, one killed during the moves (a window of a few
    renames) is completed by the next run's ``recover``.
    """
    if csv_encoding not in CSV_ENCODINGS:
        raise ValueError(f"unknown CSV encoding {csv_encoding!r}; choose one of {', '.join(CSV_ENCODINGS)}")
    with staged_folder(out_dir) as staging:
        written = []
        frames = {}
        for name, table in TABLES.items():
            frame = frames[name] = rows_to_frame(table, tables.get(name, ()))
            write_parquet(table, frame, staging / f"{name}.parquet")
            write_csv(table, frame, staging / f"{name}.csv", csv_encoding, csv_headers)
            written += [f"{name}.parquet", f"{name}.csv"]
        if workbook:
            write_workbook(frames, staging / WORKBOOK, csv_headers)
            written.append(WORKBOOK)
        for file_name, content in (extra_files or {}).items():
            (staging / file_name).write_text(content, encoding="utf-8")
            written.append(file_name)
        return commit(staging, Path(out_dir), written)


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def merge_rows(per_document: Iterable[Mapping[str, Sequence[Mapping]]]) -> dict[str, list[Mapping]]:
    merged: dict[str, list[Mapping]] = {name: [] for name in TABLES}
    for tables in per_document:
        for name in TABLES:
            merged[name].extend(tables.get(name, ()))
    return merged
