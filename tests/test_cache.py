"""The cache key: every option, every setting, the code and the reader libraries."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import json
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.options import Limits, Options
from pipeline.orchestration import cache
from pipeline.orchestration.reports import DocumentReport
from pipeline.publishing.schema import TABLES
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


def _row(table: str, doc_id: str = "alpha", **values) -> dict:
    return {name: values.get(name, doc_id if name == "doc_id" else None) for name in TABLES[table].names}


def test_an_unreadable_cache_entry_is_a_miss_with_a_reason(tmp_path):
    k = key()
    folder = cache._entry_dir(tmp_path, "alpha")
    folder.mkdir(parents=True)
    (folder / f"{k}.json").write_bytes(b"not json")
    hit, why = cache.cache_load(tmp_path, "alpha", k)
    assert hit is None and "not valid JSON" in why
    report = DocumentReport(path="alpha.pdf", doc_id="alpha", sha256="0" * 64, pages=1)
    rows = {"programs": [_row("programs", program_no=1, program="産業振興", page=5)]}
    cache.cache_store(tmp_path, "alpha", k, report, rows)
    (loaded_report, records), why = cache.cache_load(tmp_path, "alpha", k)
    assert why is None
    assert loaded_report == report
    assert records == rows


def test_a_missing_entry_is_a_plain_miss(tmp_path):
    assert cache.cache_load(tmp_path, "alpha", key()) == (None, None)


def _entry(k: str) -> dict:
    report = dataclasses.asdict(DocumentReport(path="alpha.pdf", doc_id="alpha", sha256="0" * 64, pages=1))
    programs = TABLES["programs"].names
    return {"format": cache.CACHE_FORMAT, "key": k, "report": report,
            "records": {"programs": {"columns": programs, "rows": [["alpha", *[None] * (len(programs) - 1)]]}}}


def _broken(entry: dict, how: str) -> object:
    table = entry["records"]["programs"]
    if how == "list":
        return [entry]
    if how == "other key":
        entry["key"] = "0" * 64
    elif how == "old format":
        entry["format"] = 2
    elif how == "report extra field":
        entry["report"]["__class__"] = "os.system"
    elif how == "report missing field":
        del entry["report"]["doc_id"]
    elif how == "report of another document":
        entry["report"]["doc_id"] = "beta"
    elif how == "report wrong type":
        entry["report"]["pages"] = "1"
    elif how == "failed report":
        entry["report"]["status"] = "failed"
    elif how == "unknown table":
        entry["records"]["evil"] = table
    elif how == "columns reordered":
        table["columns"] = table["columns"][::-1]
    elif how == "short row":
        table["rows"] = [["alpha"]]
    elif how == "row not a list":
        table["rows"] = [{"doc_id": "alpha"}]
    elif how == "text in an integer column":
        table["rows"][0][table["columns"].index("program_no")] = "1"
    elif how == "bool in an integer column":
        table["rows"][0][table["columns"].index("program_no")] = True
    elif how == "object in a text column":
        table["rows"][0][table["columns"].index("program")] = {"py/object": "os.system"}
    elif how == "rows of another document":
        table["rows"][0][0] = "beta"
    return entry


BROKEN = ["list", "other key", "old format", "report extra field", "report missing field",
          "report of another document", "report wrong type", "failed report", "unknown table", "columns reordered",
          "short row", "row not a list", "text in an integer column", "bool in an integer column",
          "object in a text column", "rows of another document"]


@pytest.mark.parametrize("how", BROKEN)
def test_a_foreign_or_wrong_shaped_entry_is_a_miss_with_a_reason(how, tmp_path):
    k = key()
    folder = cache._entry_dir(tmp_path, "alpha")
    folder.mkdir(parents=True)
    (folder / f"{k}.json").write_text(json.dumps(_entry(k)))
    assert cache.cache_load(tmp_path, "alpha", k)[0] is not None  # the unbroken entry is a hit
    (folder / f"{k}.json").write_text(json.dumps(_broken(_entry(k), how)))
    hit, why = cache.cache_load(tmp_path, "alpha", k)
    assert hit is None
    assert why.startswith(f"cache entry {folder / k}.json not used: ") and why.endswith("; extracted again")


@pytest.mark.parametrize("text", [b"", b"\xff\xfe", b"[" * 100_000, b'{"format": 3, "key": ' + b"9" * 5000 + b"}"])
def test_garbage_never_raises(text, tmp_path):
    k = key()
    folder = cache._entry_dir(tmp_path, "alpha")
    folder.mkdir(parents=True)
    (folder / f"{k}.json").write_bytes(text)
    hit, why = cache.cache_load(tmp_path, "alpha", k)
    assert hit is None and why


_TEXT = st.text(st.characters(blacklist_categories=()), max_size=12)  # lone surrogates included
_VALUES = {
    "string": _TEXT,
    "integer": st.integers(min_value=-(2**63), max_value=2**63 - 1),
    "number": st.floats(allow_nan=False) | st.integers(min_value=-(2**53), max_value=2**53),
    "boolean": st.booleans(),
}


@st.composite
def _records(draw) -> dict:
    out = {}
    for name in draw(st.lists(st.sampled_from(sorted(TABLES)), unique=True, max_size=3)):
        rows = []
        for _ in range(draw(st.integers(0, 3))):
            rows.append({f.name: "alpha" if f.name == "doc_id" else draw(st.none() | _VALUES[f.type])
                         for f in TABLES[name].fields})
        out[name] = rows
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=_records(), warnings=st.lists(_TEXT, max_size=3))
def test_what_is_stored_is_read_back_exactly(records, warnings, tmp_path):
    k = key()
    report = DocumentReport(path="α/β.pdf", doc_id="alpha", sha256="0" * 64, pages=3, warnings=warnings,
                            rows={"programs": 1}, glyphs={"shown": 4, "uncounted_pages": ""}, seconds=0.25)
    cache.cache_store(tmp_path, "alpha", k, report, records)
    (loaded, back), why = cache.cache_load(tmp_path, "alpha", k)
    assert why is None
    assert loaded == report
    assert back == records
    for name, rows in records.items():  # the same types too: 1 stays 1, never 1.0 or True
        for row, row_back in zip(rows, back[name]):
            assert [type(v) for v in row.values()] == [type(v) for v in row_back.values()]
