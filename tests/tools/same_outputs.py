"""Are the outputs the same?  A manifest of sha256 per output of ``extract``, ``tables`` and ``text``.

A restructure must not change what sesaku writes.  This runs the commands
over the fixtures and the shared collections and records one sha256 per
output: every CSV and Parquet file, the wide CSVs of ``tables``,
``datapackage.json``, the sheets of ``sesaku.xlsx`` (their XML, without
the workbook's creation time), ``_run.json`` without what changes from run
to run (durations, timestamps), the text ``text`` prints (also with
``--layout``) and, separately, the messages on stderr as text (durations
and the temporary folder taken out).  Two manifests are then compared:

    .venv/bin/python tests/tools/same_outputs.py record /tmp/before.json
    ... change the code ...
    .venv/bin/python tests/tools/same_outputs.py record /tmp/after.json
    .venv/bin/python tests/tools/same_outputs.py compare /tmp/before.json /tmp/after.json

``same_outputs.base.json`` is the manifest recorded at 9937795 (main before
issue 26's restructure) on the lead's machine, with ../shared present.

``record`` runs in one process through ``main(argv)`` (what ``sesaku``
runs), with ``--workers 1 --force --ocr never`` so that a run is quick and
deterministic.  The sets and their pages (``SETS``):

- ``fixtures``: tests/fixtures/*.pdf, tests/fixtures/pages, tests/fixtures/real, every page;
- ``real``: ../shared/real, pages 1-12 of each file (the collection has
  files of 600 pages; the first twelve hold every writer's quirks that the
  tests name and keep a run under ~10 minutes on a loaded 2-core machine);
- ``family``: ../shared/family, pages 1-10 (every evaluation sheet whole;
  the first ten pages of the Nobeoka reports and the Setagaya budget).

A shared folder that is absent is skipped (and the manifest says so).
``compare`` exits 1 when any entry differs, printing each difference;
messages (stderr) are compared too but listed apart, since a restructure
may reword an error on purpose.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import hashlib
import io
import json
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"

# (name, files or folders, --pages); folders are given whole to extract/tables
# (so doc_ids are assigned as in a batch), and ``text`` runs per file.
SETS: tuple[tuple[str, tuple[Path, ...], str], ...] = (
    ("fixtures", (ROOT / "tests/fixtures", ROOT / "tests/fixtures/pages", ROOT / "tests/fixtures/real"), "all"),
    ("real", (SHARED / "real",), "1-12"),
    ("family", (SHARED / "family",), "1-10"),
)

# _run.json keys whose values change from run to run whatever the code does.
VOLATILE = {"seconds", "run", "started", "finished", "duration", "durations"}
_SECONDS = re.compile(r" in \d+(\.\d+)?s\b")


def _pdfs(paths: tuple[Path, ...]) -> list[Path]:
    out = []
    for p in paths:
        out.extend(sorted(p.glob("*.pdf")) if p.is_dir() else [p])
    return out


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _folder_entries(prefix: str, out: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    for f in sorted(out.rglob("*")):
        rel = f.relative_to(out)
        if not f.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        key = f"{prefix}/{rel.as_posix()}"
        if f.name == "_run.json":
            entries[key] = _sha(json.dumps(_strip(json.loads(f.read_text(encoding="utf-8"))),
                                           ensure_ascii=False, sort_keys=True).encode())
        elif f.suffix == ".xlsx":
            with zipfile.ZipFile(f) as z:
                for name in sorted(z.namelist()):
                    if not name.startswith("docProps/"):
                        entries[f"{key}!{name}"] = _sha(z.read(name))
        else:
            entries[key] = _sha(f.read_bytes())
    return entries


def _run(argv: list[str], tmp: str = "") -> tuple[int, str, str]:
    """Exit status, stdout and stderr (durations and the temporary folder taken out)."""
    from pipeline.orchestration.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    messages = _SECONDS.sub(" in Ns", err.getvalue())
    messages = messages.replace(tmp, "TMP") if tmp else messages
    # the checkout's and the shared folder's place differ from machine to machine
    return code, out.getvalue(), messages.replace(str(SHARED), "SHARED").replace(str(ROOT), "CHECKOUT")


def record(path: Path, only: set[str] | None) -> None:
    manifest: dict[str, Any] = {"outputs": {}, "messages": {}, "skipped": [], "seconds": {}}
    for name, paths, pages in SETS:
        if only and name not in only:
            continue
        present = tuple(p for p in paths if p.exists())
        if not present:
            manifest["skipped"].append(name)
            continue
        started = time.perf_counter()
        common = ["--pages", pages, "--ocr", "never"]
        with tempfile.TemporaryDirectory(prefix="same-outputs-") as tmp:
            for command in ("extract", "tables"):
                out = Path(tmp) / command
                argv = [command, *map(str, present), "--out", str(out), *common]
                if command == "extract":  # tables has no cache and runs serially
                    argv += ["--workers", "1", "--force"]
                code, _, err = _run(argv, tmp)
                manifest["outputs"][f"{name}/{command}/exit"] = code
                manifest["outputs"].update(_folder_entries(f"{name}/{command}", out))
                manifest["messages"][f"{name}/{command}"] = err
        for pdf in _pdfs(present):
            for layout in ((), ("--layout",)):
                code, text, err = _run(["text", str(pdf), *common, *layout])
                key = f"{name}/text{'-layout' if layout else ''}/{pdf.relative_to(pdf.parents[1]).as_posix()}"
                manifest["outputs"][key] = f"{code} {_sha(text.encode())}"
                manifest["messages"][key] = err
        manifest["seconds"][name] = round(time.perf_counter() - started, 1)
        print(f"{name}: {manifest['seconds'][name]} s", file=sys.stderr)
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    a = json.loads(before.read_text(encoding="utf-8"))
    b = json.loads(after.read_text(encoding="utf-8"))
    status = 0
    for section in ("outputs", "messages"):
        left, right = a[section], b[section]
        differ = sorted(k for k in left.keys() & right.keys() if left[k] != right[k])
        gone = sorted(left.keys() - right.keys())
        new = sorted(right.keys() - left.keys())
        for k in differ:
            print(f"{section}: differs  {k}")
            if section == "messages":
                for line in difflib.unified_diff(str(left[k]).splitlines(), str(right[k]).splitlines(), lineterm="", n=0):
                    print(f"    {line}")
        for k in gone:
            print(f"{section}: missing  {k}")
        for k in new:
            print(f"{section}: new      {k}")
        same = len(left.keys() & right.keys()) - len(differ)
        print(f"{section}: {same} the same, {len(differ)} differ, {len(gone)} missing, {len(new)} new")
        if section == "outputs" and (differ or gone or new):
            status = 1
    if a.get("skipped") != b.get("skipped"):
        print(f"skipped sets differ: {a.get('skipped')} / {b.get('skipped')}")
        status = 1
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="run the commands and write a manifest")
    rec.add_argument("manifest", type=Path)
    rec.add_argument("--only", action="append", choices=[s[0] for s in SETS], help="record only these sets")
    cmp_ = sub.add_parser("compare", help="compare two manifests; exit 1 when the outputs differ")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.manifest, set(args.only or ()))
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
