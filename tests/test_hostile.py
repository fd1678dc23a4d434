"""Hostile and faulty inputs (issue 28): a dataset folder that never runs foreign code,
cells a spreadsheet cannot run, strings every writer takes, paths that stay in --out,
inputs checked before they are read."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import synth

from pipeline.orchestration.cli import main


def _small(path: Path, name: str = "起業支援") -> Path:
    grid = synth.plan_grid(synth.year_labels(2019, 3), [synth.Program("産業振興", "3", [
        synth.Measure(name, "支援します。", [synth.SubRow(["相談"], [synth.Target(0, ["セミナー開催"], span=3)])],
                      outcomes=["セミナーを3回開催しました。"])])])
    path.parent.mkdir(parents=True, exist_ok=True)
    synth.build_table_pdf(path, grid)
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return _small(tmp_path_factory.mktemp("small") / "small.pdf")


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".csv", ".parquet")}


# ---------------------------------------------------------------- cause 3: the cache runs no code


class _Planted:
    """A pickle that, when loaded, writes a file: what an attacker would plant in OUT/.cache."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "pwned"))


def test_a_pickle_planted_in_the_cache_never_runs(small, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(small), "--out", str(out), "--workers", "1"]) == 0
    first = _outputs(out)
    entries = [p for p in (out / ".cache").rglob("*") if p.is_file()]
    assert len(entries) == 1
    marker = tmp_path / "pwned"
    planted = pickle.dumps({"key": entries[0].stem, "report": _Planted(marker), "records": {}})
    # Where this sesaku keeps the entry, and where a pickle-reading one would look.
    entries[0].write_bytes(planted)
    entries[0].with_suffix(".pickle").write_bytes(planted)
    capsys.readouterr()
    assert main(["extract", str(small), "--out", str(out), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert not marker.exists()
    assert "Traceback" not in err
    assert f"warning {small}: cache entry {entries[0]} not used: not valid JSON; extracted again" in err
    assert _outputs(out) == first
    # The fresh entry replaced the planted one (and the pickle beside it), and is used next time.
    assert [p.name for p in entries[0].parent.iterdir()] == [entries[0].name]
    assert main(["extract", str(small), "--out", str(out), "--workers", "1"]) == 0
    assert "from the cache" in capsys.readouterr().err
    assert _outputs(out) == first
