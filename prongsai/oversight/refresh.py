"""Rebuild an organisation's pre-aggregated rows (``OrgYearSummary``, ``OrgYearAreaCount``) from the tables.

The figures are computed by the code that computes them for the organisation's own pages: a round's
counts, score and money by ``reports.scores.summarise`` (so marked-out-of-scope items drop out the same
way), ITA by ``ita`` results, risk areas from the year's published register. Rows are replaced whole in
one transaction, so a dashboard never sums half an organisation. See docs/decisions/0015-oversight.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q

from prongsai.complaints.models import Case
from prongsai.ita.models import Assessment, Source
from prongsai.lib.thai import fiscal_year_of, fiscal_year_start
from prongsai.organizations.models import Organization
from prongsai.oversight.models import AreaSource, OrgYearAreaCount, OrgYearSummary, ScopeMark, SubmissionState
from prongsai.plans.models import ItemBudget, Plan, PlanItem, PlanStatus
from prongsai.reports.models import ReportRound, RoundStatus
from prongsai.reports.rules import rules
from prongsai.reports.scores import Summary, summarise
from prongsai.risks.models import RegisterStatus, Risk, RiskRegister

DIMENSIONS = (1, 2, 3, 4)


def _years(organization: Organization) -> set[int]:
    """Every fiscal year the organisation has anything for."""
    years: set[int] = set()
    for first, last in Plan.objects.filter(organization=organization).values_list("first_year", "last_year"):
        years.update(range(first, last + 1))
    years.update(ReportRound.objects.filter(organization=organization).values_list("fiscal_year", flat=True))
    years.update(Assessment.objects.filter(organization=organization).values_list("year", flat=True))
    years.update(RiskRegister.objects.filter(organization=organization).values_list("fiscal_year", flat=True))
    for day in Case.objects.filter(organization=organization).values_list("received_on", flat=True):
        years.add(fiscal_year_of(day))
    return years


def _state(report_round: ReportRound | None) -> str:
    if (
        report_round is None
        or report_round.status != RoundStatus.PUBLISHED
        or report_round.published_at is None
    ):
        return SubmissionState.OPEN
    on_time = report_round.published_at.date() <= report_round.due_date
    return SubmissionState.ON_TIME if on_time else SubmissionState.LATE


def _plan_fields(organization: Organization, year: int, row: OrgYearSummary) -> Plan | None:
    """Plan status of the cycle containing ``year``; returns its newest published revision, if any."""
    revisions = list(
        Plan.objects.filter(organization=organization, first_year__lte=year, last_year__gte=year).order_by(
            "-first_year", "slug", "-revision"
        )
    )
    if not revisions:
        return None
    slug = revisions[0].slug
    mine = [plan for plan in revisions if plan.slug == slug]
    row.plan_slug = slug
    row.has_plan = True
    row.published = any(plan.status == PlanStatus.PUBLISHED for plan in mine)
    row.approved = row.published or any(plan.approved_at is not None for plan in mine)
    return next((plan for plan in mine if plan.status == PlanStatus.PUBLISHED), None)


def _marked(organization: Organization, slug: str) -> set[Any]:
    return set(
        ScopeMark.objects.filter(organization=organization, plan_slug=slug).values_list("item_uid", flat=True)
    )


def _round_fields(organization: Organization, year: int, row: OrgYearSummary) -> Summary | None:
    """Both rounds' submission and counts; returns the summary of the latest published round."""
    rounds = {
        r.months: r
        for r in ReportRound.objects.filter(
            organization=organization, plan_slug=row.plan_slug, fiscal_year=year
        ).select_related("plan", "organization")
    }
    latest: Summary | None = None
    for months in (6, 12):
        report_round = rounds.get(months)
        state = _state(report_round)
        due = report_round.due_date if report_round is not None else rules().rounds[months].due_date(year)
        setattr(row, f"r{months}_state", state)
        setattr(row, f"r{months}_due", due)
        if report_round is None or state == SubmissionState.OPEN:
            continue
        summary = summarise(report_round)
        setattr(row, f"r{months}_completed", summary.total.completed)
        setattr(row, f"r{months}_in_progress", summary.total.in_progress)
        setattr(row, f"r{months}_cannot", summary.total.cannot)
        latest = summary
    return latest


def _item_fields(plan: Plan, year: int, row: OrgYearSummary, latest: Summary | None) -> None:
    if latest is not None:
        # The round's own view of the plan: the same items, scope and budgets its score counts.
        row.items = latest.total.items
        row.out_of_scope = latest.out_of_scope
        for dimension in latest.dimensions:
            if dimension.number in DIMENSIONS:
                setattr(row, f"d{dimension.number}_planned", dimension.tally.planned)
                setattr(row, f"d{dimension.number}_ordinance", dimension.tally.ordinance)
                setattr(row, f"d{dimension.number}_disbursed", dimension.tally.disbursed)
        return
    marked = _marked(plan.organization, plan.slug)
    items = list(PlanItem.objects.filter(plan=plan).values_list("uid", flat=True))
    row.items = sum(1 for uid in items if uid not in marked)
    row.out_of_scope = len(items) - row.items
    budgets = (
        ItemBudget.objects.filter(item__plan=plan, fiscal_year=year)
        .exclude(item__uid__in=marked)
        .values_list("item__mission__dimension__number", "amount")
    )
    planned: dict[int, Decimal] = {}
    for number, amount in budgets:
        planned[number] = planned.get(number, Decimal(0)) + amount
    for number in DIMENSIONS:
        setattr(row, f"d{number}_planned", planned.get(number, Decimal(0)))


def _ita_fields(organization: Organization, year: int, row: OrgYearSummary) -> None:
    assessment = (
        Assessment.objects.filter(organization=organization, year=year, source=Source.PUBLISHED)
        .prefetch_related("scores")
        .first()
    )
    if assessment is None:
        return
    result = assessment.result()
    row.ita_score = result.total
    row.ita_grade = result.band.label_th
    row.ita_passed = result.passed
    row.ita_weakest = result.weakest.part.key if result.parts else ""


def _counts(organization: Organization, year: int, row: OrgYearSummary) -> list[OrgYearAreaCount]:
    counts: list[OrgYearAreaCount] = []
    register = (
        RiskRegister.objects.filter(
            organization=organization, fiscal_year=year, status=RegisterStatus.PUBLISHED
        )
        .order_by("-revision")
        .first()
    )
    if register is not None:
        by_area = (
            Risk.objects.filter(register=register).values("area").annotate(n=Count("pk")).order_by("area")
        )
        for entry in by_area:
            counts.append(OrgYearAreaCount(area=entry["area"], count=entry["n"], source=AreaSource.RISK))
        row.risks = sum(c.count for c in counts)
    start = fiscal_year_start(year)
    cases = Case.objects.filter(
        organization=organization, received_on__gte=start, received_on__lt=fiscal_year_start(year + 1)
    )
    totals = cases.aggregate(
        received=Count("pk"),
        in_time=Count(
            "pk", filter=Q(first_answered_on__isnull=False, first_answered_on__lte=F("first_answer_due"))
        ),
    )
    row.complaints_received = totals["received"]
    row.complaints_answered_in_time = totals["in_time"]
    for entry in (
        cases.exclude(risk_area="").values("risk_area").annotate(n=Count("pk")).order_by("risk_area")
    ):
        counts.append(
            OrgYearAreaCount(area=entry["risk_area"], count=entry["n"], source=AreaSource.COMPLAINT)
        )
    for count in counts:
        count.organization = organization
        count.fiscal_year = year
    return counts


def summarise_year(organization: Organization, year: int) -> tuple[OrgYearSummary, list[OrgYearAreaCount]]:
    """The organisation's row for ``year`` and its area counts, computed (not saved)."""
    row = OrgYearSummary(organization=organization, fiscal_year=year)
    for months in (6, 12):
        setattr(row, f"r{months}_due", rules().rounds[months].due_date(year))
    plan = _plan_fields(organization, year, row)
    latest = _round_fields(organization, year, row) if row.has_plan else None
    if plan is not None:
        _item_fields(plan, year, row, latest)
    _ita_fields(organization, year, row)
    return row, _counts(organization, year, row)


def refresh_organization(org_id: int, fiscal_year: int | None = None) -> int:
    """Rebuild the rows of one organisation (of one year, or of every year it has data for); rows of years
    it no longer has anything for are removed. Returns the number of summary rows written."""
    organization = Organization.objects.filter(pk=org_id).first()
    if organization is None:
        return 0
    years = {fiscal_year} if fiscal_year is not None else _years(organization)
    built = [summarise_year(organization, year) for year in sorted(years)]
    with transaction.atomic():
        summaries = OrgYearSummary.objects.filter(organization=organization)
        counts = OrgYearAreaCount.objects.filter(organization=organization)
        if fiscal_year is not None:
            summaries, counts = (
                summaries.filter(fiscal_year=fiscal_year),
                counts.filter(fiscal_year=fiscal_year),
            )
        summaries.delete()
        counts.delete()
        now = dt.datetime.now(dt.UTC)
        for row, _ in built:
            row.refreshed_at = now
        OrgYearSummary.objects.bulk_create([row for row, _ in built])
        OrgYearAreaCount.objects.bulk_create([count for _, area_counts in built for count in area_counts])
    return len(built)


def refresh_all(organizations: Iterable[int] | None = None) -> int:
    """Rebuild every organisation's rows (``prongsai manage oversight_refresh``); returns rows written."""
    ids = (
        organizations
        if organizations is not None
        else Organization.objects.order_by("pk").values_list("pk", flat=True)
    )
    return sum(refresh_organization(org_id) for org_id in list(ids))
