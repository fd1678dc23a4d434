"""Damaged copies of the fixture: each one extracts or fails with a clear error.

Deterministic (fixed seed) and bounded: 40 mutants, each under a per-page
time limit, read on one table page only so that the whole
test stays well under a minute.  No mutant may hang, print a traceback or
log line, or fail as an internal error.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter

import pytest
from conftest import FIXTURES

from pipeline.errors import KINDS
from pipeline.options import Limits, Options
from pipeline.orchestration.extract import extract_to_records

SEED = 6
MUTANTS = 40
KINDS_OF_DAMAGE = ("truncate", "flip_structure", "flip_stream", "delete_object", "zero_chunk")
# A clean read of this page takes ~0.4 s on a loaded 2-core machine: 10 s
# per page is a hang, not a slow page.
OPTIONS = Options(pages="5", limits=Limits(seconds_per_page=10))
BUDGET_SECONDS = 60


def mutants(source: bytes, seed: int = SEED, count: int = MUTANTS):
    """(kind, bytes) pairs, the same ones on every run."""
    objects = [(m.start(), source.index(b"endobj", m.end()) + 6) for m in re.finditer(rb"\d+ 0 obj", source)]
    streams = [(m.end(), source.index(b"endstream", m.end())) for m in re.finditer(rb"(?<!end)stream\r?\n", source)]

    def in_stream(i: int) -> bool:
        return any(a <= i < b for a, b in streams)

    rnd = random.Random(seed)
    for n in range(count):
        kind = KINDS_OF_DAMAGE[n % len(KINDS_OF_DAMAGE)]
        data = bytearray(source)
        if kind == "truncate":
            data = data[: rnd.randrange(16, len(source))]
        elif kind == "flip_structure":  # dictionaries, xref, trailer
            for _ in range(rnd.randint(1, 6)):
                i = rnd.randrange(len(data))
                while in_stream(i):
                    i = rnd.randrange(len(data))
                data[i] = rnd.randrange(256)
        elif kind == "flip_stream":  # compressed content, fonts, images
            a, b = rnd.choice(streams)
            for _ in range(rnd.randint(1, 4)):
                data[rnd.randrange(a, b)] = rnd.randrange(256)
        elif kind == "delete_object":
            a, b = rnd.choice(objects)
            del data[a:b]
        else:
            a = rnd.randrange(len(data))
            b = min(len(data), a + rnd.randint(16, 4096))
            data[a:b] = bytes(b - a)
        yield kind, bytes(data)


@pytest.mark.slow
def test_mutants_extract_or_fail_clearly(tmp_path, capfd):
    source = (FIXTURES / "plan6.pdf").read_bytes()
    outcomes: Counter = Counter()
    started = time.perf_counter()
    for n, (kind, data) in enumerate(mutants(source)):
        path = tmp_path / f"mutant-{n:02d}-{kind}.pdf"
        path.write_bytes(data)
        report, records = extract_to_records(str(path), OPTIONS)
        if report.status == "ok":
            assert records is not None and report.rows["measures"] > 0
            outcomes["extracted"] += 1
        else:
            assert report.error_kind in KINDS, report.error
            assert report.error.startswith(f"{path}"), report.error
            assert "\n" not in report.error
            outcomes[report.error_kind] += 1
    elapsed = time.perf_counter() - started
    err = capfd.readouterr().err
    assert "Traceback" not in err and err == "", err[:500]
    assert sum(outcomes.values()) == MUTANTS
    # Both outcomes occur: the mutations neither all miss nor all destroy.
    assert outcomes["extracted"] > 0 and outcomes["corrupt"] > 0
    assert elapsed < BUDGET_SECONDS
    print(f"fuzz: {MUTANTS} mutants in {elapsed:.1f}s: {dict(sorted(outcomes.items()))}, 0 crashes")
