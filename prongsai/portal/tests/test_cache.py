"""Public pages are cached for anonymous visitors, a publication invalidates them everywhere, signed-in
pages are never stored, and the work per page does not grow with the number of items."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse

from prongsai.conftest import client_for
from prongsai.plans import actions
from prongsai.portal.cache import publication_stamp
from prongsai.portal.tests.helpers import add_items, new_revision, publish

PLAN_URL = "/p/wangphai/plans/2561-2564/"


def stored_pages() -> int:
    return len(vars(caches["portal"])["_cache"])  # LocMemCache's own dict: what this process holds


def test_a_second_anonymous_visit_is_served_from_the_cache(published):
    client = client_for(None)
    assert client.get(PLAN_URL)["X-Portal-Cache"] == "miss"
    again = client.get(PLAN_URL)
    assert again["X-Portal-Cache"] == "hit"
    assert "แผนปฏิบัติการป้องกันการทุจริตสี่ปี" in again.content.decode()


def test_the_language_is_part_of_the_key(published):
    client = client_for(None)
    client.get(PLAN_URL)
    client.post(reverse("portal:language"), {"language": "en", "next": "/"})
    english = client.get(PLAN_URL)
    assert english["X-Portal-Cache"] == "miss"
    assert 'lang="en"' in english.content.decode()


def test_publishing_a_new_revision_changes_the_stamp_and_every_page(published, people):
    client = client_for(None)
    client.get(PLAN_URL)
    client.get("/")
    before = publication_stamp()
    draft = new_revision(published, people)
    actions.update_plan_settings(people["alice"], draft, title="แผนฉบับที่สอง", digits=draft.digits)
    assert publication_stamp() == before  # a draft changes nothing public
    assert client.get(PLAN_URL)["X-Portal-Cache"] == "hit"
    publish(draft, people)
    assert publication_stamp() != before
    page = client.get(PLAN_URL)
    assert page["X-Portal-Cache"] == "miss" and "แผนฉบับที่สอง" in page.content.decode()
    assert "แผนฉบับที่สอง" in client.get("/").content.decode()


def test_published_ita_results_change_the_stamp(published, people, org_a):
    from prongsai.ita.tests.helpers import record_source_row

    before = publication_stamp()
    record_source_row(people["alice"], org_a)
    assert publication_stamp() != before


@pytest.mark.parametrize("person", ["alice", "erin"])
def test_nothing_is_stored_for_a_signed_in_visitor(published, people, person):
    client = client_for(people[person])
    for url in ("/", "/p/wangphai/", PLAN_URL):
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Portal-Cache" not in response
        assert response["Cache-Control"] == "private, no-cache"
    assert stored_pages() == 0
    # Their own private pages are not touched either.
    client.get(reverse("plan", kwargs={"org": "wangphai", "plan": "2561-2564"}))
    assert stored_pages() == 0


def test_a_cached_page_carries_no_cookie_or_token(published):
    response = client_for(None).get(PLAN_URL)
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content


def _queries_for_plan_page(plan, people, django_assert_max_num_queries, items: int) -> None:
    add_items(plan, people, items)
    published = publish(plan, people)
    item = published.items.order_by("id").last()
    assert item is not None
    urls = [
        PLAN_URL,
        f"/p/wangphai/plans/2561-2564/r/1/items/{item.uid}/",
        "/",
        "/p/wangphai/",
    ]
    for url in urls:
        with django_assert_max_num_queries(16):
            assert client_for(None).get(url).status_code == 200


def test_the_plan_page_costs_the_same_queries_for_many_items(plan, people, django_assert_max_num_queries):
    _queries_for_plan_page(plan, people, django_assert_max_num_queries, 120)


def test_the_changes_page_costs_the_same_queries_for_many_items(plan, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    latest = publish(plan, people)
    counts = []
    for size in (1, 60):
        draft = new_revision(latest, people)
        add_items(draft, people, size, prefix=f"รอบ{size}")
        latest = publish(draft, people)
        caches["portal"].clear()
        with CaptureQueriesContext(connection) as queries:
            url = f"/p/wangphai/plans/2561-2564/r/{latest.revision}/changes/"
            assert client_for(None).get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
