"""The number of queries of a file does not grow with the number of items (nor of budgets, indicators)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prongsai.opendata.tests.helpers import plan_url, publish
from prongsai.plans import actions

# organisation, revision, dimensions, missions, items, budgets, indicators, session/user, and the
# publication stamp (three aggregates, read again after a publication)
PER_PLAN_FILE = 12


def add_items(plan, people, count):
    missions = list(plan.missions.all())
    for n in range(count):
        actions.add_item(
            people["alice"],
            plan,
            missions[n % len(missions)],
            actions.ItemData(
                kind="project",
                title=f"โครงการที่ {n}",
                budgets={2561: Decimal(n), 2563: Decimal("10.50")},
                indicators=[actions.IndicatorData(f"ตัวชี้วัด {n}", Decimal(n), "ครั้ง")],
            ),
        )


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        response.getvalue()  # streamed files run their queries while they are read
    assert response.status_code == 200
    return len(queries)


def urls(plan):
    for dataset in ("items", "indicators"):
        for fmt in ("csv", "xlsx", "json"):
            yield plan_url(f"plan_{dataset}", plan, fmt, rev=plan.revision)
            yield plan_url(f"plan_{dataset}_latest", plan, fmt)
            yield reverse(f"opendata:org_{dataset}", kwargs={"org": plan.organization.slug, "fmt": fmt})
            yield reverse(f"opendata:all_{dataset}", kwargs={"fmt": fmt})


@pytest.mark.parametrize("signed_in", [False, True])
def test_queries_do_not_grow_with_items(plan, people, client, django_assert_max_num_queries, signed_in):
    if signed_in:
        client.force_login(people["dan"])
    publish(plan)
    small = {url: count(client, url) for url in urls(plan)}
    draft = actions.start_revision(people["alice"], plan)
    add_items(draft, people, 40)
    publish(draft)
    large = {url.replace("/r/1/", "/r/2/"): n for url, n in small.items()}
    for url in urls(draft):
        with django_assert_max_num_queries(PER_PLAN_FILE):
            assert count(client, url) == large[url], url


def test_the_catalogue_and_the_page_cost_the_same_for_one_plan_or_many(plan, people, org_b, client):
    publish(plan)
    one = {name: count(client, reverse(f"opendata:{name}")) for name in ("catalog", "index")}
    for slug in ("2565-2568", "2569-2572"):
        first = int(slug[:4])
        publish(
            actions.create_plan(
                people["erin"], org_b, slug=slug, title="แผนบางรัก", first_year=first, last_year=first + 3
            )
        )
    many = {name: count(client, reverse(f"opendata:{name}")) for name in ("catalog", "index")}
    assert many == one


def test_a_second_download_of_one_plans_file_is_not_written_again(plan, people, client):
    publish(plan)
    add = plan_url("plan_items_latest", plan, "json")
    first_queries = count(client, add)
    first = client.get(add)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(add)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    # The file is kept whole: neither the plan nor its items, budgets and indicators are read again.
    assert len(queries) < first_queries
    assert not any("plans_planitem" in query["sql"] for query in queries.captured_queries)
