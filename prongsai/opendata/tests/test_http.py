"""Headers of the data files, conditional GET, and 404 (never a traceback) for anything unknown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prongsai.opendata.tests.helpers import plan_url, publish

TYPES = {
    "csv": "text/csv; charset=utf-8; header=present",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@pytest.fixture
def published(plan):
    return publish(plan)


@pytest.mark.parametrize("fmt", list(TYPES))
def test_files_have_their_type_name_cors_and_validators(published, fmt, client):
    response = client.get(plan_url("plan_items", published, fmt, rev=1))
    assert response.status_code == 200
    assert response["Content-Type"] == TYPES[fmt]
    disposition = "inline" if fmt == "json" else "attachment"
    assert response["Content-Disposition"] == f'{disposition}; filename="wangphai-2561-2564-r1-items.{fmt}"'
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    [
        "/data/o/wangphai/2561-2564/r/1/items.csv",
        "/data/o/wangphai/2561-2564/latest/indicators.json",
        "/data/o/wangphai/items.xlsx",
        "/data/all/items.csv",
        "/data/catalog.jsonld",
    ],
)
def test_a_conditional_get_answers_304(published, url, client):
    first = client.get(url)
    assert first.status_code == 200
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_the_etag_differs_between_formats_and_datasets(published, client):
    tags = {
        client.get(plan_url(f"plan_{dataset}", published, fmt, rev=1))["ETag"]
        for dataset in ("items", "indicators")
        for fmt in TYPES
    }
    assert len(tags) == 6


def test_the_catalogue_is_json_ld_with_cors(published, client):
    response = client.get(reverse("opendata:catalog"))
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "url",
    [
        "/data/o/nowhere/2561-2564/r/1/items.csv",
        "/data/o/wangphai/2599-2602/r/1/items.csv",
        "/data/o/wangphai/2561-2564/r/2/items.csv",
        "/data/o/wangphai/2561-2564/r/0/items.csv",
        "/data/o/wangphai/2561-2564/r/99999999999999999999/items.csv",
        "/data/o/wangphai/2561-2564/r/1/items.pdf",
        "/data/o/wangphai/2561-2564/r/1/items.CSV",
        "/data/o/wangphai/2561-2564/r/1/budgets.csv",
        "/data/o/wangphai/2561-2564/r/one/items.csv",
        "/data/o/wangphai/2599-2602/latest/items.json",
        "/data/o/nowhere/items.xlsx",
        "/data/o/bangrak/items.csv",  # exists, but has published nothing
        "/data/all/items.xml",
        "/data/nothing/",
    ],
)
def test_anything_unknown_or_unpublished_is_404(published, org_b, url, client):
    assert client.get(url).status_code == 404


def test_only_reads_are_allowed(published, client):
    url = plan_url("plan_items", published, "csv", rev=1)
    assert client.post(url).status_code == 405
    head = client.head(url)
    assert head.status_code == 200
    assert head["ETag"]
