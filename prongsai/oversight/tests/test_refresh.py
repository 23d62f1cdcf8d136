"""The batched refresh (oversight/refresh.py) and the batched scores (reports.scores.summarise_rounds):
many organisations at once give exactly the rows and summaries each gives alone, in a number of queries
that does not grow with the number of organisations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prongsai.complaints.models import Case
from prongsai.geography.seed import seed_country
from prongsai.ita import catalog
from prongsai.organizations.models import Organization
from prongsai.oversight.dashboards import build, part_name
from prongsai.oversight.models import Level, OrgYearAreaCount, OrgYearSummary, ScopeMark
from prongsai.oversight.refresh import refresh_all, refresh_organization
from prongsai.plans.models import PlanItem
from prongsai.reports.models import ReportRound, RoundStatus
from prongsai.reports.scores import summarise, summarise_rounds

pytestmark = pytest.mark.django_db


def rows() -> list[tuple[Any, ...]]:
    """Every summary and area row, without keys and refresh times."""
    summaries = [
        tuple(v for k, v in row.items() if k not in ("id", "refreshed_at"))
        for row in OrgYearSummary.objects.order_by("organization_id", "fiscal_year").values()
    ]
    counts = list(
        OrgYearAreaCount.objects.order_by("organization_id", "fiscal_year", "source", "area").values_list(
            "organization_id", "fiscal_year", "source", "area", "count"
        )
    )
    return summaries + counts


@pytest.fixture
def country() -> list[int]:
    seed_country(24, 7, out=lambda line: None)
    ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    # An item marked out of scope, and complaints of two fiscal years, in the first organisation.
    item = PlanItem.objects.filter(plan__organization_id=ids[0]).select_related("plan").first()
    assert item is not None
    reviewer = User.objects.create_user("reviewer")
    ScopeMark.objects.create(
        organization_id=ids[0], plan_slug=item.plan.slug, item_uid=item.uid, reason="ไม่ใช่", marked_by=reviewer
    )
    for received, answered, area in (
        (dt.date(2019, 9, 30), None, "procurement"),  # fiscal year 2562
        (dt.date(2020, 1, 5), dt.date(2020, 1, 10), ""),  # 2563, answered within 15 days
    ):
        Case.objects.create(
            organization_id=ids[0],
            received_on=received,
            first_answer_due=Case.due_for(received),
            first_answered_on=answered,
            risk_area=area,
        )
    return ids


def test_a_batch_gives_the_rows_each_organisation_gives_alone(country: list[int]) -> None:
    written = refresh_all(batch=5)  # batches that split the country unevenly
    together = rows()
    assert written == OrgYearSummary.objects.count() > len(country)
    OrgYearSummary.objects.all().delete()
    OrgYearAreaCount.objects.all().delete()
    for org_id in country:
        refresh_organization(org_id)
    assert rows() == together
    first = OrgYearSummary.objects.filter(organization_id=country[0])
    assert sum(first.values_list("out_of_scope", flat=True)) > 0
    assert sum(first.values_list("complaints_received", flat=True)) == 2
    assert sum(first.values_list("complaints_answered_in_time", flat=True)) == 1


def test_the_refresh_reads_in_a_number_of_queries_that_does_not_grow_with_the_organisations(
    country: list[int],
) -> None:
    def queries(ids: list[int]) -> int:
        with CaptureQueriesContext(connection) as captured:
            refresh_all(ids)
        # Reads; writes are split by the database's limit on parameters per statement.
        return sum(1 for q in captured if q["sql"].startswith("SELECT"))

    assert queries(country[:6]) == queries(country) <= 20


def test_many_rounds_summarised_together_equal_each_summarised_alone(country: list[int]) -> None:
    rounds = list(ReportRound.objects.filter(status=RoundStatus.PUBLISHED).select_related("plan"))
    assert len(rounds) > 20
    together = summarise_rounds(rounds)
    assert {pk: s.as_json() for pk, s in together.items()} == {r.pk: summarise(r).as_json() for r in rounds}
    with CaptureQueriesContext(connection) as captured:
        summarise_rounds(rounds)
    assert len(captured) == 6


def test_the_weakest_parts_are_named_as_in_the_model_they_were_scored_by(country: list[int]) -> None:
    refresh_all()
    row = OrgYearSummary.objects.exclude(ita_weakest="").first()
    assert row is not None
    dashboard = build(Level.COUNTRY, "", row.fiscal_year, lambda level, code: "")
    part = catalog.load_model(row.ita_model).part(row.ita_weakest)
    assert part.name in dict(dashboard.weakest)
    assert part_name("no-such-model", "I9") == "I9"
