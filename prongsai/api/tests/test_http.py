"""HTTP behaviour shared by every API URL: validators and conditional GET, CORS, read-only, JSON errors."""

from __future__ import annotations

from django.utils.http import http_date

from prongsai.api.tests.conftest import publish
from prongsai.conftest import SETUP
from prongsai.plans import actions

PLAN = "/api/v1/organizations/wangphai/plans/2561-2564"


def test_an_unchanged_answer_is_304_for_its_etag(client, published_plan):
    first = client.get(PLAN)
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "public, max-age=60"
    again = client.get(PLAN, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(PLAN, headers={"If-None-Match": '"other"'}).status_code == 200


def test_last_modified_is_when_the_revision_was_published(client, published_plan):
    response = client.get(f"{PLAN}/revisions/1")
    assert response["Last-Modified"] == http_date(published_plan.published_at.timestamp())
    since = client.get(f"{PLAN}/revisions/1", headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304


def test_publishing_a_new_revision_changes_the_validators(client, published_plan):
    lists = ["/api/v1/organizations", "/api/v1/organizations/wangphai/plans", PLAN, "/api/v1/items"]
    before = {url: client.get(url) for url in lists}
    second = publish(actions.start_revision(SETUP, published_plan))
    assert second.published_at is not None
    for url, old in before.items():
        new = client.get(
            url, headers={"If-None-Match": old["ETag"], "If-Modified-Since": old["Last-Modified"]}
        )
        assert new.status_code == 200, url
        assert new["ETag"] != old["ETag"]
        assert new["Last-Modified"] == http_date(second.published_at.timestamp()), url
    # The first revision stays readable and now says that it is no longer the current one.
    first = client.get(f"{PLAN}/revisions/1", headers={"If-None-Match": before[PLAN]["ETag"]})
    assert first.status_code == 200
    assert (first.json()["is_current"], first.json()["current_revision"]) == (False, 2)


def test_any_site_may_read_and_preflight(client, published_plan):
    response = client.get(PLAN, headers={"Origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        PLAN,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight


def test_it_is_read_only(client, published_plan):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(PLAN)
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response.json()["code"] == "method_not_allowed"
    head = client.head(PLAN)
    assert head.status_code == 200 and head.content == b""
    assert int(head["Content-Length"]) == len(client.get(PLAN).content)


def test_unknown_paths_answer_json_404(client, db):
    for path in ("/api/v1/nothing", "/api/v1/organizations/a/b/c/d/e/f", "/api/v1/organizations/x/plans/y"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        assert body["detail"] and body["detail_en"] and body["code"].endswith("not_found")
        assert response["Access-Control-Allow-Origin"] == "*"


def test_a_server_error_is_json_without_a_traceback(client, published_plan, monkeypatch):
    def broken(plan):
        raise RuntimeError("secret internals /work/prongsai/settings.py")

    monkeypatch.setattr("prongsai.api.views.plan_tables", broken)
    response = client.get(PLAN)
    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "detail": "ระบบขัดข้อง โปรดลองอีกครั้งภายหลัง",
        "detail_en": "Server error, please try again later.",
    }
    assert b"secret" not in response.content and b"Traceback" not in response.content


def test_thai_is_sent_as_utf8_text(client, published_plan):
    response = client.get("/api/v1/organizations/wangphai")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "เทศบาลตำบลวังไผ่".encode() in response.content


def test_a_crowd_reading_one_answer_costs_one_rendering_and_no_query(
    client, published_plan, django_assert_num_queries
):
    first = client.get(PLAN)
    assert first["X-Portal-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = client.get(PLAN)
    assert again["X-Portal-Cache"] == "hit" and again.content == first.content
    assert again["ETag"] == first["ETag"] and again["Access-Control-Allow-Origin"] == "*"
