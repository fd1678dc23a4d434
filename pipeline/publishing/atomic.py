"""Writing files so that a reader never sees half of them: the one scheme sesaku uses.

Three shapes, one rule (write beside the target, fsync, then rename):

- ``write_bytes_atomic`` / ``write_text_atomic``: one file replaced in one rename;
- ``staged_folder`` + ``commit``: several files staged in a folder beside the
  output, marked complete, then each moved into place; a run killed while
  moving is completed by the next run's ``recover``, one killed before is
  discarded, so the folder never stays a mix of two runs;
- ``replace_folder``: a whole folder swapped for a new one, the old one kept
  until the new one is in place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import OutputError

STAGING_PREFIX = ".staging-"
# Written last into a staging folder: its files are complete and may be
# moved into place (by this run, or by the next one if this one is killed
# while moving them).
COMPLETE_MARKER = ".complete"



class FolderNotWritable(OutputError, OSError):
    """An output folder that cannot be created or written; the message says why."""


def check_writable_folder(out_dir: Path) -> Path:
    """Create ``out_dir`` if needed and prove a file can be written there.

    Called before any work, so a read-only or mistyped output path costs a
    second, not the whole batch.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise FolderNotWritable(f"{out_dir} is a file, not a folder; choose another output folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-probe-", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise FolderNotWritable(f"cannot write into {out_dir}: {why}") from None
    return out_dir


@contextlib.contextmanager
def staged_folder(out_dir: Path) -> Iterator[Path]:
    """A fresh staging folder inside ``out_dir``, removed afterwards whatever happens."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out_dir))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def commit(staging: Path, out_dir: Path, names: Sequence[str]) -> list[Path]:
    """Move the staged files into ``out_dir``: fsynced and marked complete first."""
    for name in names:
        _fsync(staging / name)
    (staging / COMPLETE_MARKER).write_text("\n".join(names) + "\n", encoding="utf-8")
    _fsync(staging / COMPLETE_MARKER)
    _commit(staging, Path(out_dir), names)
    return [Path(out_dir) / n for n in names]


def write_bytes_atomic(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """One file replaced in one rename, readable by everyone who can read the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file 0600; the outputs of every run share one mode.
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path


def write_text_atomic(path: Path, content: str) -> Path:
    return write_bytes_atomic(path, content.encode("utf-8"))


def replace_folder(new: Path, target: Path) -> None:
    """Put folder ``new`` at ``target``; an existing ``target`` stays until then."""
    new, target = Path(new), Path(target)
    old = None
    if target.exists():
        old = target.with_name(f"{STAGING_PREFIX}{os.getpid()}-old-{target.name}")
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    _fsync_dir(target.parent)


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


