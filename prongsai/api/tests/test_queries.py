"""Answers cost the same few queries whatever the number of items, revisions or results on a page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prongsai.api.tests.conftest import add_project, publish, record_ita
from prongsai.conftest import SETUP
from prongsai.plans import actions

PLAN = "/api/v1/organizations/wangphai/plans/2561-2564"
URLS = [
    "/api/v1/organizations?limit=100",
    "/api/v1/organizations/wangphai",
    "/api/v1/organizations/wangphai/plans",
    PLAN,
    f"{PLAN}/revisions/1",
    f"{PLAN}/items?limit=100",
    f"{PLAN}/revisions/1/items?limit=100&fiscal_year=2562",
    f"{PLAN}/items/{{uid}}",
    "/api/v1/items?limit=100",
    "/api/v1/items?limit=100&province=ชุมพร&kind=project&fiscal_year=2562",
    "/api/v1/organizations/wangphai/ita",
]
# The most any API answer may cost (session and user lookups of a signed-in caller not included: none are made).
MAX_QUERIES = 8


def counts(client, uid) -> dict[str, int]:
    out = {}
    for url in URLS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url.format(uid=uid))
        assert response.status_code == 200, url
        out[url] = len(queries)
    return out


def test_query_counts_do_not_grow_with_items(client, plan, org_a, django_assert_max_num_queries):
    record_ita(org_a)
    small = publish(plan)
    first_item = small.items.first()
    assert first_item is not None
    uid = first_item.uid
    few = counts(client, uid)

    bigger = actions.start_revision(SETUP, small)
    for n in range(40):
        add_project(
            bigger, f"โครงการที่ {n}", {2562: Decimal(n), 2563: Decimal(1)}, code="1.1.1" if n % 2 else "2.1"
        )
    publish(bigger)
    record_ita(org_a, 2567)
    many = counts(client, uid)

    assert many == few
    for url in URLS:
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(url.format(uid=uid))


@pytest.mark.parametrize("pages", [1, 5])
def test_query_counts_do_not_grow_with_page_size(
    client, published_plan, pages, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(f"/api/v1/items?limit={pages}").status_code == 200
