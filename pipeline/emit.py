"""Rows to files: typed Parquet and portal-ready CSV, written atomically.

DataFrames exist only here.  Everything is first written into a staging
folder beside the output and moved into place only once complete, so a
failed or killed run leaves the previous outputs untouched.  Rows keep
the order they were given in (document order within a doc_id, documents
sorted by doc_id) and nothing time-dependent is written, so equal inputs
give byte-identical files.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .schema import TABLES, TableSchema, arrow_schema, pandas_dtypes

CSV_ENCODINGS = ("utf-8-sig", "cp932", "utf-8")


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


STAGING_PREFIX = ".staging-"
# Written last into a staging folder: its files are complete and may be
# moved into place (by this run, or by the next one if this one is killed
# while moving them).
COMPLETE_MARKER = ".complete"


def write_tables(
    tables: Mapping[str, Sequence[Mapping]],
    out_dir: Path,
    *,
    extra_files: Mapping[str, str] | None = None,
    csv_encoding: str = "utf-8-sig",
    csv_headers: str = "en",
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
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out_dir))
    try:
        written = []
        for name, table in TABLES.items():
            frame = rows_to_frame(table, tables.get(name, ()))
            write_parquet(table, frame, staging / f"{name}.parquet")
            write_csv(table, frame, staging / f"{name}.csv", csv_encoding, csv_headers)
            written += [f"{name}.parquet", f"{name}.csv"]
        for file_name, content in (extra_files or {}).items():
            (staging / file_name).write_text(content, encoding="utf-8")
            written.append(file_name)
        for file_name in written:
            _fsync(staging / file_name)
        (staging / COMPLETE_MARKER).write_text("\n".join(written) + "\n", encoding="utf-8")
        _fsync(staging / COMPLETE_MARKER)
        _commit(staging, out_dir, written)
        return [out_dir / f for f in written]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_text_atomic(path: Path, content: str) -> Path:
    """One text file replaced in one rename (the run report of a run that
    produced no tables, which must not touch the previous tables)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path


def recover(out_dir: Path) -> list[str]:
    """Finish or discard what killed runs left in out_dir; the file names moved.

    A staging folder with its completion marker holds a whole, finished
    output whose moves were interrupted: the moves are completed, so the
    folder never stays a mix of two runs.  Without the marker it is an
    unfinished write and is deleted.  Folders of a run still alive are
    left alone.
    """
    moved: list[str] = []
    for staged in sorted(Path(out_dir).glob(STAGING_PREFIX + "*")):
        if _owner_alive(staged.name):
            continue
        marker = staged / COMPLETE_MARKER
        if staged.is_dir() and marker.is_file():
            names = [n for n in marker.read_text(encoding="utf-8").split("\n") if n]
            moved += _commit(staged, Path(out_dir), names)
        if staged.is_dir():
            shutil.rmtree(staged, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                staged.unlink()
    return moved


def _commit(staging: Path, out_dir: Path, names: Sequence[str]) -> list[str]:
    moved = []
    for file_name in names:
        source = staging / file_name
        if source.exists():  # an interrupted commit moved some already
            os.replace(source, out_dir / file_name)
            moved.append(file_name)
    _fsync_dir(out_dir)
    return moved


def _owner_alive(name: str) -> bool:
    try:
        pid = int(name[len(STAGING_PREFIX):].split("-", 1)[0])
    except ValueError:
        return False
    if pid == os.getpid():
        return False  # an earlier write of this very process that was interrupted
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _fsync(path: Path) -> None:
    # Data on disk before the rename makes it visible: a crash of the
    # machine must not leave a renamed but empty file.
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not possible on every platform
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def merge_rows(per_document: Iterable[Mapping[str, Sequence[Mapping]]]) -> dict[str, list[Mapping]]:
    merged: dict[str, list[Mapping]] = {name: [] for name in TABLES}
    for tables in per_document:
        for name in TABLES:
            merged[name].extend(tables.get(name, ()))
    return merged
