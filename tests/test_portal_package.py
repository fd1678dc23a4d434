"""The portal bundle as a CKAN portal and a Frictionless validator see it.

ckan_package.json is checked twice:

* with CKAN's own ``default_create_package_schema`` through navl's
  ``validate`` (tests/ckan_schema_check.py), run by an interpreter that has
  ckan installed: ``$SESAKU_CKAN_PYTHON`` or ``.venv/ckan/bin/python``
  (``python3 -m venv .venv/ckan && .venv/ckan/bin/pip install ckan ...``,
  see that script).  ckan is kept out of the test venv because it registers
  pytest plugins that boot a CKAN app.  Skipped when there is none;
* always, by ``ckan_create_errors`` below: CKAN's documented package_create
  rules reproduced, so CI without ckan still guards them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from pipeline.orchestration.cli import main as cli_main
from pipeline.publishing.datapackage import datapackage_json
from pipeline.publishing.package import CKAN_DEFAULT_LICENSES, PackageError, licence, load_config
from pipeline.publishing.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent
PLAN6 = ROOT / "tests" / "fixtures" / "plan6.pdf"

CONFIG = """
[dataset]
name = "portal-test"
title = "ポータル試験データ"
notes = "試験用。"
tags = ["施策評価", "open data"]
language = "ja"
version = "2.1.0"
[publisher]
name = "試験市 総務局"
url = "https://example.jp/"
organization = "test-city"
[contact]
name = "試験市 情報管理課"
email = "opendata@example.jp"
[license]
id = "{licence}"
title = ""
url = ""
"""

# CKAN's rules for package_create (ckan/logic/schema.py default_create_package_schema,
# ckan/logic/validators.py), as documented for the action API.
NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
TAG = re.compile(r"^[\w \-.]*$", re.UNICODE)
RESOURCE_KEYS = {"url", "description", "format", "hash", "name", "resource_type", "url_type",
                 "mimetype", "mimetype_inner", "cache_url", "size", "created", "last_modified"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
EMAIL = re.compile(r"^[\w.%+-]+@[\w.-]+\.[A-Za-z]{2,}$")


def ckan_create_errors(body: dict, licences=frozenset(CKAN_DEFAULT_LICENSES)) -> list[str]:
    errors = []
    if not isinstance(body.get("name"), str) or not NAME.match(body["name"]) or body["name"] in ("new", "edit", "search"):
        errors.append("name")
    if not body.get("owner_org") or not NAME.match(body["owner_org"]):
        errors.append("owner_org")  # a default CKAN: ckan.auth.create_unowned_dataset = false
    if body.get("license_id") not in licences:
        errors.append("license_id")
    for key in ("author_email", "maintainer_email"):
        if body.get(key) and not EMAIL.match(body[key]):
            errors.append(key)
    if len(body.get("version", "")) > 100:
        errors.append("version")
    for tag in body.get("tags", []):
        if not (2 <= len(tag.get("name", "")) <= 100 and TAG.match(tag["name"])):
            errors.append(f"tag {tag.get('name')!r}")
    extras = body.get("extras", [])
    if not isinstance(extras, list) or not all(isinstance(e, dict) and set(e) == {"key", "value"} for e in extras):
        errors.append("extras must be a list of {key, value}")
    else:
        keys = [e["key"] for e in extras]
        if len(keys) != len(set(keys)):
            errors.append("duplicate extras key")
        errors += [f"extra {k!r}" for k in keys if not k or k in body]
        errors += [f"extra value {e['key']!r}" for e in extras if not isinstance(e["value"], str)]
    for resource in body.get("resources", []):
        if not resource.get("url"):
            errors.append("resource url")
        if not isinstance(resource.get("size", 0), int):
            errors.append("resource size")
        for key in ("created", "last_modified"):
            if key in resource and not ISO.match(resource[key]):
                errors.append(f"resource {key}")
        # Keys outside the schema are kept as resource extras: any JSON value.
        if set(resource) - RESOURCE_KEYS - {"encoding"}:
            errors.append(f"resource keys {sorted(set(resource) - RESOURCE_KEYS - {'encoding'})}")
    return errors


def ckan_python() -> str | None:
    candidate = os.environ.get("SESAKU_CKAN_PYTHON") or str(ROOT / ".venv" / "ckan" / "bin" / "python")
    return candidate if Path(candidate).is_file() else None


def ckan_check(body: dict) -> dict:
    python = ckan_python()
    done = subprocess.run([python, str(ROOT / "tests" / "ckan_schema_check.py")], input=json.dumps(body),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("extracted")
    assert cli_main(["extract", str(PLAN6), "--out", str(out), "--workers", "1"]) == 0
    return out


def bundle(extracted: Path, tmp_path: Path, licence_id: str = "CC-BY-4.0", **replace: str) -> Path:
    text = CONFIG.replace("{licence}", licence_id)
    for old, new in replace.items():
        text = text.replace(old, new)
    config = tmp_path / "portal.toml"
    config.write_text(text, encoding="utf-8")
    assert cli_main(["package", "--from", str(extracted), "--out", str(tmp_path / "dist"), "--config", str(config)]) == 0
    return next(p for p in (tmp_path / "dist").iterdir() if p.is_dir())


def test_ckan_package_passes_ckans_create_rules(extracted, tmp_path, capsys):
    folder = bundle(extracted, tmp_path)
    assert "warning" not in capsys.readouterr().err
    body = json.loads((folder / "ckan_package.json").read_text(encoding="utf-8"))
    assert ckan_create_errors(body) == []
    assert body["owner_org"] == "test-city" and body["license_id"] == "cc-by" and body["version"] == "2.1.0"
    extras = {e["key"]: e["value"] for e in body["extras"]}
    assert extras["license_terms"] == "クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)"
    assert extras["license_terms_url"].startswith("https://creativecommons.org/licenses/by/4.0/")
    # 出典: who made the data, the source document and the licence, as CC BY asks.
    title = pd.read_parquet(extracted / "documents.parquet")["title"].iloc[0]
    for text in (extras["attribution"], body["notes"]):
        assert f"「{title}」" in text and "試験市 総務局" in text and "CC BY 4.0" in text and "加工して作成" in text
    # The period ends 「…年度以降」: open, said so, no made-up end date.
    assert "temporal_end" not in extras and extras["temporal_open_ended"] == "true"
    assert "以降" in extras["対象期間"] and "temporal_end" in body["notes"]
    for resource in body["resources"]:
        assert resource["url_type"] == "upload" and resource["url"].endswith(".csv")
        assert "アップロード" in resource["description"]
        # language = "ja": no English sentence in the description.
        assert not re.search(r"[A-Za-z]{3,} [a-z]{3,}", resource["description"]), resource["description"]
    assert [r["url"] for r in body["resources"]] == [f"{n}.csv" for n in TABLES]


def test_the_validator_catches_what_ckan_refuses():
    good = {"name": "ok-name", "owner_org": "org", "license_id": "cc-by", "tags": [{"name": "施策"}],
            "extras": [{"key": "a", "value": "1"}], "resources": [{"url": "a.csv"}]}
    assert ckan_create_errors(good) == []
    assert ckan_create_errors({**good, "name": "Bad Name"}) == ["name"]
    assert ckan_create_errors({k: v for k, v in good.items() if k != "owner_org"}) == ["owner_org"]
    assert ckan_create_errors({**good, "license_id": "CC-BY-4.0"}) == ["license_id"]
    assert ckan_create_errors({**good, "tags": [{"name": "a"}, {"name": "x/y"}]}) == ["tag 'a'", "tag 'x/y'"]
    assert ckan_create_errors({**good, "extras": {"a": "1"}}) == ["extras must be a list of {key, value}"]
    assert ckan_create_errors({**good, "extras": [{"key": "name", "value": "x"}]}) == ["extra 'name'"]


@pytest.mark.skipif(ckan_python() is None, reason="no interpreter with ckan (set SESAKU_CKAN_PYTHON or make .venv/ckan)")
def test_ckan_package_passes_ckans_own_schema(extracted, tmp_path):
    folder = bundle(extracted, tmp_path, "政府標準利用規約")
    body = json.loads((folder / "ckan_package.json").read_text(encoding="utf-8"))
    report = ckan_check(body)
    assert report["errors"] == {}, report["errors"]
    assert report["dropped"] == []  # nothing in the body that package_create would ignore
    # The licence table embedded in package.py is CKAN's register, id for id.
    assert sorted(report["licenses"]) == sorted(CKAN_DEFAULT_LICENSES)
    # And CKAN's schema refuses what the reproduction refuses.
    assert set(ckan_check({k: v for k, v in body.items() if k != "owner_org"})["errors"]) == {"owner_org"}
    assert set(ckan_check({**body, "name": "Bad Name"})["errors"]) == {"name"}
    assert set(ckan_check({**body, "tags": [{"name": "x/y"}]})["errors"]) == {"tags"}


def test_datapackage_has_licence_sources_and_contributors(extracted, tmp_path):
    folder = bundle(extracted, tmp_path, "政府標準利用規約")
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["licenses"][0]["title"].startswith("政府標準利用規約(第2.0版)") and package["licenses"][0]["path"]
    assert len(package["sources"]) == 1 and package["sources"][0]["title"]
    assert {(c["title"], c["role"]) for c in package["contributors"]} == {("試験市 総務局", "publisher"), ("試験市 情報管理課", "maintainer")}
    assert package["version"] == "2.1.0" and package["created"].endswith("Z")
    assert "出典" in package["description"] and "以降" in package["description"]
    # extract's data package is unchanged and still valid on its own.
    assert (extracted / "datapackage.json").read_text(encoding="utf-8") == datapackage_json()
    assert frictionless.validate(extracted / "datapackage.json").valid


def test_a_source_url_from_the_manifest_reaches_both_files(extracted, tmp_path):
    from pipeline.publishing.package import attribution, portal_datapackage, read_extraction
    from pipeline.publishing.package import licence as lic_of
    extraction = read_extraction(extracted)
    docs = extraction.frames["documents"].copy()
    docs["source_url"] = "https://example.jp/plan.pdf"
    extraction.frames["documents"] = docs.astype(extraction.frames["documents"].dtypes.to_dict())
    config = load_config(_write(tmp_path, CONFIG.replace("{licence}", "cc-by")))
    assert "(https://example.jp/plan.pdf)" in attribution(config, extraction, lic_of(config))
    assert portal_datapackage(config, extraction, "x")["sources"][0]["path"] == "https://example.jp/plan.pdf"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("spelling, ckan_id", [
    ("CC-BY-4.0", "cc-by"), ("cc-by", "cc-by"), ("CC BY 4.0", "cc-by"), ("政府標準利用規約", "cc-by"),
    ("政府標準利用規約(第2.0版)", "cc-by"), ("CC0", "cc-zero"), ("odc-odbl", "odc-odbl"), ("other-at", "other-at"),
])
def test_licence_spellings_map_to_ckan_ids(tmp_path, spelling, ckan_id):
    found = licence(load_config(_write(tmp_path, CONFIG.replace("{licence}", spelling))))
    assert found.ckan_id == ckan_id and found.title


def test_unknown_licence_and_bad_organization_are_one_line_errors(extracted, tmp_path, capsys):
    for text, message in (
        (CONFIG.replace("{licence}", "CC-BY-ND-4.0"), "is not in CKAN's default licence register"),
        (CONFIG.replace("{licence}", "cc-by").replace('"test-city"', '"Test City"'), "[publisher] organization"),
    ):
        config = _write(tmp_path, text)
        with pytest.raises(PackageError):
            load_config(config)
        assert cli_main(["package", "--from", str(extracted), "--out", str(tmp_path / "d"), "--config", str(config)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, err


def test_english_descriptions_when_language_is_not_ja(extracted, tmp_path):
    folder = bundle(extracted, tmp_path, "cc-by", **{'language = "ja"': 'language = "en"'})
    body = json.loads((folder / "ckan_package.json").read_text(encoding="utf-8"))
    assert all("is uploaded with this dataset" in r["description"] for r in body["resources"])


def test_missing_organization_warns(extracted, tmp_path, capsys):
    folder = bundle(extracted, tmp_path, "cc-by", **{'organization = "test-city"\n': ""})
    assert "warning: no [publisher] organization" in capsys.readouterr().err
    body = json.loads((folder / "ckan_package.json").read_text(encoding="utf-8"))
    assert "owner_org" not in body and ckan_create_errors(body) == ["owner_org"]
