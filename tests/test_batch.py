"""Batches: parallel workers, a Dask cluster and the cache all write a serial run's bytes.

Two fixture copies (``alpha.pdf`` = plan6, ``beta.pdf`` = plan6-excel) are
extracted once serially with ``--force``; every other way of running the
same batch must produce byte-identical tables.  ``_run.json`` differs only
in durations and cache marks, so it is compared without those.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.orchestration.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
TABLE_FILES = [
    f"{name}.{ext}"
    for name in ("programs", "measures", "current_items", "targets", "results", "narrative", "quantities", "cells", "leftovers")
    for ext in ("csv", "parquet")
]


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLE_FILES}


def _run_json(out: Path) -> dict:
    return json.loads((out / "_run.json").read_text(encoding="utf-8"))


def _comparable(run: dict) -> dict:
    """The run report without what legitimately varies (time taken, cache use, folder)."""
    docs = [
        {**{k: v for k, v in d.items() if k not in ("seconds", "cached")}, "path": Path(d["path"]).name}
        for d in run["documents"]
    ]
    summary = {k: v for k, v in run["summary"].items() if k != "cached"}
    dataset = [{k: v for k, v in e.items() if k in ("doc_id", "sha256")} for e in run["dataset"]]
    history = [{k: v for k, v in h.items() if k not in ("run", "cached")} for h in run["history"]]
    return {**run, "documents": docs, "summary": summary, "dataset": dataset, "history": history, "run": None}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pdfs")
    shutil.copy(FIXTURES / "plan6.pdf", folder / "alpha.pdf")
    shutil.copy(FIXTURES / "plan6-excel.pdf", folder / "beta.pdf")
    return folder


@pytest.fixture(scope="module")
def serial(inputs, tmp_path_factory) -> Path:
    """A fresh serial run (empty cache); it leaves its cache in out/.cache."""
    out = tmp_path_factory.mktemp("serial")
    assert main(["extract", str(inputs), "--out", str(out), "--workers", "1"]) == 0
    return out


def test_serial_baseline_has_both_documents(serial):
    run = _run_json(serial)
    assert [d["doc_id"] for d in run["documents"]] == ["alpha", "beta"]
    assert [d["status"] for d in run["documents"]] == ["ok", "ok"]
    assert [d["cached"] for d in run["documents"]] == [False, False]
    # plan6 and its Excel rendering hold the same plan: 4 programs, 18 measures each.
    assert [d["rows"]["measures"] for d in run["documents"]] == [18, 18]
    assert [d["rows"]["programs"] for d in run["documents"]] == [4, 4]


def test_parallel_workers_write_the_serial_bytes(inputs, serial, tmp_path):
    out = tmp_path / "out"
    assert main(["extract", str(inputs), "--out", str(out), "--workers", "2", "--force"]) == 0
    assert not (out / ".cache").exists()  # --force neither reads nor writes the cache
    assert _files(out) == _files(serial)
    assert _comparable(_run_json(out)) == _comparable(_run_json(serial))


def test_dask_cluster_writes_the_serial_bytes(inputs, serial, tmp_path):
    distributed = pytest.importorskip("distributed")
    # In-process workers on loopback: no worker start-up cost.  One thread,
    # because the fugashi Tagger is shared per process (pipeline/tokenize.py).
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
        scheduler_port=0, dashboard_address=None,
    ) as cluster:
        out = tmp_path / "out"
        assert main(["extract", str(inputs), "--out", str(out), "--dask", cluster.scheduler_address, "--force"]) == 0
    assert _files(out) == _files(serial)
    assert _comparable(_run_json(out)) == _comparable(_run_json(serial))


def test_unchanged_pdfs_come_from_the_cache_and_a_changed_one_is_redone(inputs, serial, tmp_path):
    # The serial run filled its cache; a copy of both goes on from there (in
    # another folder: the key is the content and the doc_id, not the path).
    folder = tmp_path / "pdfs"
    shutil.copytree(inputs, folder)
    out = tmp_path / "out"
    shutil.copytree(serial / ".cache", out / ".cache")
    assert len(list((out / ".cache").rglob("*.pickle"))) == 2

    # Both unchanged: both from the cache, and the bytes of the fresh serial run.
    assert main(["extract", str(folder), "--out", str(out), "--workers", "1"]) == 0
    run = _run_json(out)
    assert [d["cached"] for d in run["documents"]] == [True, True]
    assert run["summary"]["cached"] == 2
    assert _files(out) == _files(serial)
    assert _comparable(run) == _comparable(_run_json(serial))

    # beta.pdf now holds another rendering (plan6-quirks): only beta is redone.
    shutil.copy(FIXTURES / "plan6-quirks.pdf", folder / "beta.pdf")
    assert main(["extract", str(folder), "--out", str(out), "--workers", "1"]) == 0
    run = _run_json(out)
    assert [d["cached"] for d in run["documents"]] == [True, False]
    before, after = _run_json(serial)["documents"][1], run["documents"][1]
    assert after["sha256"] != before["sha256"]
    assert after["pages"] == 14  # plan6-quirks has 14 pages, plan6-excel 11
    cells = (out / "cells.csv").read_text(encoding="utf-8-sig").splitlines()
    old_cells = (serial / "cells.csv").read_text(encoding="utf-8-sig").splitlines()
    alpha = [line for line in cells if line.startswith("alpha,")]
    assert alpha == [line for line in old_cells if line.startswith("alpha,")]
    assert [line for line in cells if line.startswith("beta,")] != [line for line in old_cells if line.startswith("beta,")]
    # A changed document replaces its old cache entry instead of piling up.
    assert len(list((out / ".cache").rglob("*.pickle"))) == 2

    # Nothing changed since: a fully cached run repeats the previous bytes.
    previous = _files(out)
    assert main(["extract", str(folder), "--out", str(out), "--workers", "1"]) == 0
    assert [d["cached"] for d in _run_json(out)["documents"]] == [True, True]
    assert _files(out) == previous


