"""The cache key: every option, every setting, the code and the reader libraries."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
from importlib import metadata
from pathlib import Path

import pytest

from pipeline.options import Limits, Options
from pipeline.orchestration import cache
from pipeline.orchestration.reports import DocumentReport
from pipeline.settings import DEFAULT

ROOT = Path(__file__).resolve().parent.parent


def key(options: Options = Options(), sha="0" * 64, doc_id="alpha") -> str:
    return cache.cache_key(sha, doc_id, options)


def test_the_same_inputs_give_the_same_key():
    assert key() == key()
    assert key(sha="1" * 64) != key()  # other bytes
    assert key(doc_id="beta") != key()  # doc_id is in every row


@pytest.mark.parametrize("change", [
    {"engine": "camelot"},
    {"engine": "both"},
    {"prefer": "camelot"},
    {"pages": "1-3"},
    {"password": "secret"},
    {"limits": Limits(max_pages=10)},
    {"limits": Limits(max_cid_share=0.5)},
])
def test_every_option_changes_the_key(change):
    assert key(dataclasses.replace(Options(), **change)) != key()


def test_prefer_changes_the_key_with_both_engines():
    # The stale-cache bug: --prefer camelot after --prefer pdfplumber returned the old records.
    assert key(Options(engine="both", prefer="camelot")) != key(Options(engine="both", prefer="pdfplumber"))


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(DEFAULT)])
def test_every_setting_changes_the_key(name):
    value = getattr(DEFAULT, name)
    changed = dataclasses.replace(DEFAULT, **{name: value / 2 if name.endswith("_share") else value + 1})
    assert key(Options(settings=changed)) != key()


def test_the_password_is_never_written_into_the_key_text():
    assert "secret" not in cache.options_fingerprint(Options(password="secret"))


def test_upgrading_a_reader_library_changes_the_key(monkeypatch):
    before = key()
    real = metadata.version

    def upgraded(name):
        return "99.0" if name == "pypdfium2" else real(name)

    monkeypatch.setattr(cache.metadata, "version", upgraded)
    cache.code_fingerprint.cache_clear()
    try:
        assert key() != before
    finally:
        monkeypatch.undo()
        cache.code_fingerprint.cache_clear()
    assert key() == before


def _third_party_imports() -> set[str]:
    names = set()
    for package in ("pipeline", "normalizers"):
        for source in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    import sys

    return {n for n in names if n not in sys.stdlib_module_names and n not in ("pipeline", "normalizers")}


# Libraries that only write records (after the cache), read config, or
# send documents to workers: none of them shapes a record.
# Libraries that only write what the records already hold (openpyxl: the
# workbook), show progress (tqdm) or run them elsewhere; they cannot change a
# cached record.
NOT_READERS = {"pandas", "pyarrow", "tomli", "PIL", "distributed", "openpyxl", "tqdm"}


def test_every_library_the_readers_import_is_in_the_key():
    distributions = metadata.packages_distributions()
    for name in sorted(_third_party_imports() - NOT_READERS):
        dists = distributions.get(name, [])
        if not dists and importlib.util.find_spec(name) is None:
            continue  # an optional extra not installed here (ocr: rapidocr, onnxruntime)
        assert set(dists) & set(cache.RECORD_LIBRARIES), f"{name} ({dists}) is imported but not in RECORD_LIBRARIES"


def test_an_unreadable_cache_entry_is_a_miss(tmp_path):
    k = key()
    folder = cache._entry_dir(tmp_path, "alpha")
    folder.mkdir(parents=True)
    (folder / f"{k}.pickle").write_bytes(b"not a pickle")
    assert cache.cache_load(tmp_path, "alpha", k) is None
    report = DocumentReport(path="alpha.pdf", doc_id="alpha", pages=1)
    cache.cache_store(tmp_path, "alpha", k, report, {"programs": [{"doc_id": "alpha"}]})
    loaded_report, records = cache.cache_load(tmp_path, "alpha", k)
    assert loaded_report.pages == 1
    assert records == {"programs": [{"doc_id": "alpha"}]}
