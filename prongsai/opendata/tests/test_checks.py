"""System checks opendata.E001 (catalogue data file) and opendata.E002 (PRONGSAI_PUBLIC_URL)."""

from __future__ import annotations

import json

import pytest

from prongsai.opendata import checks, metadata


def test_the_shipped_settings_pass_both_checks():
    assert checks.check_catalog_file() == []
    assert checks.check_public_url() == []


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("licence"),
        lambda d: d["licence"].update(url="not a url"),
        lambda d: d["catalog"].update(title_en=""),
        lambda d: d["gd_catalog"]["plan"].pop("data_type"),
        lambda d: d["gd_catalog"]["plan"].update(data_format=[1, 2]),
        lambda d: d["licence"].update(attribution_th="ที่มา %(unknown)s"),
    ],
)
def test_a_broken_catalogue_file_is_reported_as_e001(change, settings, tmp_path):
    data = json.loads(metadata.DEFAULT_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "fields.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    settings.OPENDATA_CATALOG_FILE = str(path)
    [error] = checks.check_catalog_file()
    assert error.id == "opendata.E001"


def test_a_missing_or_non_json_file_is_e001(settings, tmp_path):
    settings.OPENDATA_CATALOG_FILE = str(tmp_path / "missing.json")
    assert [e.id for e in checks.check_catalog_file()] == ["opendata.E001"]
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    settings.OPENDATA_CATALOG_FILE = str(tmp_path / "bad.json")
    assert [e.id for e in checks.check_catalog_file()] == ["opendata.E001"]


@pytest.mark.parametrize(
    "value", ["prongsai.example.go.th", "ftp://x.example", "https://x.example/?a=1", "https://"]
)
def test_a_public_url_that_is_not_an_http_address_is_e002(value, settings):
    settings.PUBLIC_URL = value
    assert [e.id for e in checks.check_public_url()] == ["opendata.E002"]


@pytest.mark.parametrize("value", ["", "https://prongsai.example.go.th", "http://127.0.0.1:8000/prefix/"])
def test_an_empty_or_valid_public_url_passes(value, settings):
    settings.PUBLIC_URL = value
    assert checks.check_public_url() == []
