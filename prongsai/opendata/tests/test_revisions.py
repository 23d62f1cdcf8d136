"""Only published revisions are open data; a per-revision URL never changes; ``latest`` follows publishing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from prongsai.conftest import SETUP
from prongsai.opendata.tests.helpers import body, csv_rows, json_document, plan_url, publish
from prongsai.plans import actions

FORMATS = ["csv", "xlsx", "json"]
DATASETS = ["items", "indicators"]


def _change_first_item(plan, people):
    item = plan.items.get(title="โครงการความรู้คู่คุณธรรม")
    actions.update_item(
        people["alice"],
        item,
        actions.ItemData(kind="project", title="โครงการความรู้คู่คุณธรรม (ปรับปรุง)", budgets={2561: Decimal("1")}),
        expected_version=item.version,
    )


@pytest.fixture
def published_then_draft(plan, people):
    """Revision 1 published; revision 2 a draft with a changed item."""
    publish(plan)
    draft = actions.start_revision(people["alice"], plan)
    _change_first_item(draft, people)
    return plan, draft


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_a_draft_after_a_published_revision_never_appears(published_then_draft, dataset, fmt, client):
    published, draft = published_then_draft
    assert client.get(plan_url(f"plan_{dataset}", draft, fmt, rev=2)).status_code == 404
    latest = client.get(plan_url(f"plan_{dataset}_latest", draft, fmt))
    assert latest.status_code == 200
    assert (
        latest["Link"]
        == f'<http://testserver{plan_url(f"plan_{dataset}", published, fmt, rev=1)}>; rel="canonical"'
    )
    for url in (
        plan_url(f"plan_{dataset}_latest", draft, fmt),
        reverse(f"opendata:org_{dataset}", kwargs={"org": "wangphai", "fmt": fmt}),
        reverse(f"opendata:all_{dataset}", kwargs={"fmt": fmt}),
    ):
        content = body(client.get(url))
        assert "(ปรับปรุง)".encode() not in content
        if fmt != "xlsx":
            assert b"r/2/" not in content


def test_the_latest_json_names_the_published_revision_not_the_draft(published_then_draft, client):
    _published, draft = published_then_draft
    document = json_document(client.get(plan_url("plan_items_latest", draft, "json")))
    assert [p["revision"] for p in document["plans"]] == [1]
    assert {item["revision"] for item in document["items"]} == {1}


def test_an_approved_but_unpublished_revision_is_not_open_data(published_then_draft, people, client):
    _published, draft = published_then_draft
    actions.approve_plan(people["bob"], actions.submit_plan(SETUP, draft))
    assert client.get(plan_url("plan_items", draft, "csv", rev=2)).status_code == 404
    rows = csv_rows(client.get(plan_url("plan_items_latest", draft, "csv")))
    assert {row["ฉบับแก้ไขที่"] for row in rows} == {"1"}


def test_a_plan_never_published_has_no_open_data_at_all(plan, client):
    for fmt in FORMATS:
        assert client.get(plan_url("plan_items", plan, fmt, rev=1)).status_code == 404
        assert client.get(plan_url("plan_items_latest", plan, fmt)).status_code == 404
        assert (
            client.get(reverse("opendata:org_items", kwargs={"org": "wangphai", "fmt": fmt})).status_code
            == 404
        )
    rows = csv_rows(client.get(reverse("opendata:all_items", kwargs={"fmt": "csv"})))
    assert rows == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_a_per_revision_url_gives_the_same_bytes_after_a_new_revision_is_published(
    plan, people, dataset, fmt, client
):
    publish(plan)
    url = plan_url(f"plan_{dataset}", plan, fmt, rev=1)
    before = client.get(url)
    draft = actions.start_revision(people["alice"], plan)
    _change_first_item(draft, people)
    publish(draft)

    after = client.get(url)
    if fmt == "xlsx":  # a zip carries the time it was written: compare what it holds
        from prongsai.opendata.tests.helpers import xlsx_rows

        assert xlsx_rows(after) == xlsx_rows(before)
    else:
        assert body(after) == body(before)
    assert after["ETag"] == before["ETag"]
    assert after["Last-Modified"] == before["Last-Modified"]

    latest = client.get(plan_url(f"plan_{dataset}_latest", draft, fmt))
    assert latest["ETag"] != before["ETag"]
    assert "/r/2/" in latest["Link"]
    if dataset == "items" and fmt == "csv":
        titles = {row["ชื่อโครงการ/กิจกรรม/มาตรการ"] for row in csv_rows(latest)}
        assert "โครงการความรู้คู่คุณธรรม (ปรับปรุง)" in titles
