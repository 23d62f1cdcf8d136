"""Rebuild organisations' pre-aggregated rows (``OrgYearSummary``, ``OrgYearAreaCount``) from the tables.

The figures are computed by the code that computes them for the organisation's own pages: a round's
counts, score and money by ``reports.scores`` (so marked-out-of-scope items drop out the same way), ITA by
``ita`` results, risk areas from the year's published register. Organisations are rebuilt in batches: a
batch's rows are read in a fixed number of queries however many organisations it holds (``_Batch``), and
replaced whole in one transaction, so a dashboard never sums half an organisation. See
docs/decisions/0015-oversight.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.db.models import Count

from prongsai.complaints.models import Case
from prongsai.ita.models import Assessment, Source
from prongsai.lib.thai import fiscal_year_of
from prongsai.organizations.models import Organization
from prongsai.oversight.models import AreaSource, OrgYearAreaCount, OrgYearSummary, SubmissionState
from prongsai.plans.models import Plan, PlanStatus
from prongsai.reports.models import ReportRound, RoundStatus
from prongsai.reports.rules import rules
from prongsai.reports.scores import PlanFigures, Summary, summarise_rounds
from prongsai.risks.models import RegisterStatus, Risk, RiskRegister

DIMENSIONS = (1, 2, 3, 4)
BATCH = 200  # organisations read and written together


@dataclass
class _CaseYear:
    received: int = 0
    in_time: int = 0
    areas: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class _Batch:
    """Everything the rows of some organisations are computed from, read in a fixed number of queries."""

    plans: dict[int, list[Plan]] = field(default_factory=lambda: defaultdict(list))
    rounds: dict[tuple[int, str, int], dict[int, ReportRound]] = field(default_factory=dict)
    summaries: dict[int, Summary] = field(default_factory=dict)  # of the rounds submitted, by round id
    figures: PlanFigures = field(default_factory=PlanFigures)
    assessments: dict[tuple[int, int], Assessment] = field(default_factory=dict)
    risk_areas: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)  # published register's
    cases: dict[tuple[int, int], _CaseYear] = field(default_factory=lambda: defaultdict(_CaseYear))
    years: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, org_ids: Sequence[int]) -> _Batch:
        batch = cls()
        for plan in Plan.objects.filter(organization_id__in=org_ids).order_by(
            "-first_year", "slug", "-revision"
        ):
            batch.plans[plan.organization_id].append(plan)
            batch.years[plan.organization_id].update(range(plan.first_year, plan.last_year + 1))
        rounds = list(ReportRound.objects.filter(organization_id__in=org_ids).select_related("plan"))
        for r in rounds:
            batch.rounds.setdefault((r.organization_id, r.plan_slug, r.fiscal_year), {})[r.months] = r
            batch.years[r.organization_id].add(r.fiscal_year)
        for assessment in Assessment.objects.filter(organization_id__in=org_ids).only(
            "organization_id", "year", "source"
        ):
            batch.years[assessment.organization_id].add(assessment.year)
        published = (
            Assessment.objects.filter(organization_id__in=org_ids, source=Source.PUBLISHED)
            .prefetch_related("scores")
            .order_by("-id")
        )
        for assessment in published:  # the newest of a year, as ``.first()`` in the model's order
            batch.assessments.setdefault((assessment.organization_id, assessment.year), assessment)
        newest: dict[tuple[int, int], tuple[int, int]] = {}  # (org, year) -> (revision, register id)
        for org_id, year, status, revision, pk in RiskRegister.objects.filter(
            organization_id__in=org_ids
        ).values_list("organization_id", "fiscal_year", "status", "revision", "pk"):
            batch.years[org_id].add(year)
            if status == RegisterStatus.PUBLISHED and newest.get((org_id, year), (0, 0)) < (revision, pk):
                newest[(org_id, year)] = (revision, pk)
        by_register = {pk: key for key, (_, pk) in newest.items()}
        for key in newest:
            batch.risk_areas[key] = {}
        for register_id, area, n in (
            Risk.objects.filter(register_id__in=by_register)
            .values("register_id", "area")
            .annotate(n=Count("pk"))
            .values_list("register_id", "area", "n")
        ):
            batch.risk_areas[by_register[register_id]][area] = n
        for org_id, received, answered, due, area in Case.objects.filter(
            organization_id__in=org_ids
        ).values_list("organization_id", "received_on", "first_answered_on", "first_answer_due", "risk_area"):
            year = fiscal_year_of(received)
            batch.years[org_id].add(year)
            case_year = batch.cases[(org_id, year)]
            case_year.received += 1
            case_year.in_time += 1 if answered is not None and answered <= due else 0
            if area:
                case_year.areas[area] += 1
        submitted = [r for r in rounds if _state(r) != SubmissionState.OPEN]
        plans = {(p.pk, p.organization_id, p.slug) for mine in batch.plans.values() for p in mine}
        batch.figures = PlanFigures.load(plans, {y for years in batch.years.values() for y in years})
        batch.summaries = summarise_rounds(submitted, siblings=rounds, figures=batch.figures)
        return batch


def _state(report_round: ReportRound | None) -> str:
    if (
        report_round is None
        or report_round.status != RoundStatus.PUBLISHED
        or report_round.published_at is None
    ):
        return SubmissionState.OPEN
    on_time = report_round.published_at.date() <= report_round.due_date
    return SubmissionState.ON_TIME if on_time else SubmissionState.LATE


def _plan_fields(batch: _Batch, org_id: int, year: int, row: OrgYearSummary) -> Plan | None:
    """Plan status of the cycle containing ``year``; returns its newest published revision, if any."""
    revisions = [plan for plan in batch.plans.get(org_id, []) if plan.first_year <= year <= plan.last_year]
    if not revisions:
        return None
    slug = revisions[0].slug
    mine = [plan for plan in revisions if plan.slug == slug]
    row.plan_slug = slug
    row.has_plan = True
    row.published = any(plan.status == PlanStatus.PUBLISHED for plan in mine)
    row.approved = row.published or any(plan.approved_at is not None for plan in mine)
    return next((plan for plan in mine if plan.status == PlanStatus.PUBLISHED), None)


def _round_fields(batch: _Batch, org_id: int, year: int, row: OrgYearSummary) -> Summary | None:
    """Both rounds' submission and counts; returns the summary of the latest published round."""
    rounds = batch.rounds.get((org_id, row.plan_slug, year), {})
    latest: Summary | None = None
    for months in (6, 12):
        report_round = rounds.get(months)
        state = _state(report_round)
        due = report_round.due_date if report_round is not None else rules().rounds[months].due_date(year)
        setattr(row, f"r{months}_state", state)
        setattr(row, f"r{months}_due", due)
        if report_round is None or state == SubmissionState.OPEN:
            continue
        summary = batch.summaries[report_round.pk]
        setattr(row, f"r{months}_completed", summary.total.completed)
        setattr(row, f"r{months}_in_progress", summary.total.in_progress)
        setattr(row, f"r{months}_cannot", summary.total.cannot)
        latest = summary
    return latest


def _item_fields(batch: _Batch, plan: Plan, year: int, row: OrgYearSummary, latest: Summary | None) -> None:
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
    marked: set[UUID] = batch.figures.marked.get((plan.organization_id, plan.slug), set())
    items = [item for item in batch.figures.items.get(plan.pk, []) if item.uid not in marked]
    row.items = len(items)
    row.out_of_scope = len(batch.figures.items.get(plan.pk, [])) - row.items
    budgets = batch.figures.budgets.get((plan.pk, year), {})
    planned: dict[int, Decimal] = defaultdict(Decimal)
    for item in items:
        planned[item.dimension] += budgets.get(item.pk, 0)
    for number in DIMENSIONS:
        setattr(row, f"d{number}_planned", planned.get(number, Decimal(0)))


def _ita_fields(batch: _Batch, org_id: int, year: int, row: OrgYearSummary) -> None:
    assessment = batch.assessments.get((org_id, year))
    if assessment is None:
        return
    result = assessment.result()
    row.ita_score = result.total
    row.ita_grade = result.band.label_th
    row.ita_passed = result.passed
    row.ita_model = assessment.model_key
    row.ita_weakest = result.weakest.part.key if result.parts else ""


def _counts(batch: _Batch, org_id: int, year: int, row: OrgYearSummary) -> list[OrgYearAreaCount]:
    counts: list[OrgYearAreaCount] = []
    areas = batch.risk_areas.get((org_id, year))
    if areas is not None:
        for area in sorted(areas):
            counts.append(OrgYearAreaCount(area=area, count=areas[area], source=AreaSource.RISK))
        row.risks = sum(c.count for c in counts)
    cases = batch.cases.get((org_id, year), _CaseYear())
    row.complaints_received = cases.received
    row.complaints_answered_in_time = cases.in_time
    for area in sorted(cases.areas):
        counts.append(OrgYearAreaCount(area=area, count=cases.areas[area], source=AreaSource.COMPLAINT))
    for count in counts:
        count.organization_id = org_id
        count.fiscal_year = year
    return counts


def _summarise_year(batch: _Batch, org_id: int, year: int) -> tuple[OrgYearSummary, list[OrgYearAreaCount]]:
    row = OrgYearSummary(organization_id=org_id, fiscal_year=year)
    for months in (6, 12):
        setattr(row, f"r{months}_due", rules().rounds[months].due_date(year))
    plan = _plan_fields(batch, org_id, year, row)
    latest = _round_fields(batch, org_id, year, row) if row.has_plan else None
    if plan is not None:
        _item_fields(batch, plan, year, row, latest)
    _ita_fields(batch, org_id, year, row)
    return row, _counts(batch, org_id, year, row)


def _refresh_batch(org_ids: Sequence[int], fiscal_year: int | None = None) -> int:
    batch = _Batch.load(org_ids)
    built = [
        _summarise_year(batch, org_id, year)
        for org_id in org_ids
        for year in sorted({fiscal_year} if fiscal_year is not None else batch.years.get(org_id, set()))
    ]
    now = dt.datetime.now(dt.UTC)
    for row, _ in built:
        row.refreshed_at = now
    with transaction.atomic():
        summaries = OrgYearSummary.objects.filter(organization_id__in=org_ids)
        counts = OrgYearAreaCount.objects.filter(organization_id__in=org_ids)
        if fiscal_year is not None:
            summaries, counts = (
                summaries.filter(fiscal_year=fiscal_year),
                counts.filter(fiscal_year=fiscal_year),
            )
        summaries.delete()
        counts.delete()
        OrgYearSummary.objects.bulk_create([row for row, _ in built], batch_size=1000)
        OrgYearAreaCount.objects.bulk_create(
            [count for _, area_counts in built for count in area_counts], batch_size=1000
        )
    return len(built)


def refresh_organization(org_id: int, fiscal_year: int | None = None) -> int:
    """Rebuild the rows of one organisation (of one year, or of every year it has data for); rows of years
    it no longer has anything for are removed. Returns the number of summary rows written."""
    if not Organization.objects.filter(pk=org_id).exists():
        return 0
    return _refresh_batch([org_id], fiscal_year)


def refresh_all(organizations: Iterable[int] | None = None, *, batch: int = BATCH) -> int:
    """Rebuild every organisation's rows (``prongsai manage oversight_refresh``), ``batch`` organisations
    per transaction; returns rows written."""
    chosen = Organization.objects.all()
    if organizations is not None:
        chosen = chosen.filter(pk__in=list(organizations))
    ids = list(chosen.order_by("pk").values_list("pk", flat=True))
    return sum(_refresh_batch(ids[start : start + batch]) for start in range(0, len(ids), batch))
