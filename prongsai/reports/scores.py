"""The implementation score, its traffic light, and the per-dimension counts and sums of a round.

The score is the national system's: (completed × 1 + in progress × 0.5 + cannot × 0) ÷ in-scope items
× 100, each item counted by its latest report in the fiscal year (a 12-month round falls back to the
6-month report of an item not yet reported again). Items marked out of scope, and reports of items the
revision no longer has, count nowhere. Everything is Decimal; percentages are rounded to 2 places.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple
from uuid import UUID

from prongsai.oversight.models import ScopeMark
from prongsai.plans.models import Dimension, ItemBudget, PlanItem
from prongsai.reports.models import ItemReport, ItemStatus, ReportRound
from prongsai.reports.rules import Band, rules

HUNDRED = Decimal(100)
HALF = Decimal("0.5")
CENT = Decimal("0.01")


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    """Counts and sums over some items (a dimension, or the whole round)."""

    items: int = 0
    in_progress: int = 0
    completed: int = 0
    cannot: int = 0
    included: int = 0
    planned: Decimal = Decimal(0)
    ordinance: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)

    @property
    def waiting(self) -> int:
        """รอการรายงานผล: items − in progress − completed − cannot."""
        return self.items - self.in_progress - self.completed - self.cannot

    @property
    def score(self) -> Decimal:
        if self.items == 0:
            return Decimal("0.00")
        points = self.completed + HALF * self.in_progress
        return (points * HUNDRED / self.items).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def disbursed_percent(self) -> Decimal | None:
        """Disbursed as a share of the ordinance budget (None when nothing was budgeted)."""
        return percent(self.disbursed, self.ordinance)

    def add(self, status: str, included: bool, planned: Decimal | None, report: ReportRow | None) -> None:
        self.items += 1
        if status == ItemStatus.IN_PROGRESS:
            self.in_progress += 1
        elif status == ItemStatus.COMPLETED:
            self.completed += 1
        elif status == ItemStatus.CANNOT:
            self.cannot += 1
        self.included += 1 if included else 0
        self.planned += planned or 0
        if report is not None:
            self.ordinance += report.ordinance_budget or 0
            self.disbursed += report.disbursed or 0

    def as_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "in_progress": self.in_progress,
            "completed": self.completed,
            "cannot": self.cannot,
            "waiting": self.waiting,
            "included": self.included,
            "score": f"{self.score:.2f}",
            "planned": f"{self.planned:.2f}",
            "ordinance": f"{self.ordinance:.2f}",
            "disbursed": f"{self.disbursed:.2f}",
            "disbursed_percent": None if self.disbursed_percent is None else f"{self.disbursed_percent:.2f}",
        }


@dataclass
class DimensionTally:
    number: int
    title: str
    tally: Tally = field(default_factory=Tally)


@dataclass
class Summary:
    report_round: ReportRound
    total: Tally
    dimensions: list[DimensionTally]
    band: Band
    out_of_scope: int
    dropped: int  # reports of items the revision no longer has

    def as_json(self) -> dict[str, Any]:
        r = self.report_round
        return {
            "plan": r.plan_key,
            "revision": r.plan.revision,
            "fiscal_year": r.fiscal_year,
            "months": r.months,
            "status": r.status,
            "due_date": r.due_date.isoformat(),
            "illustrative": r.is_illustrative,
            "score": f"{self.total.score:.2f}",
            "band": self.band.key,
            "counts": {
                "items": self.total.items,
                "in_progress": self.total.in_progress,
                "completed": self.total.completed,
                "cannot": self.total.cannot,
                "waiting": self.total.waiting,
                "included": self.total.included,
                "out_of_scope": self.out_of_scope,
                "no_longer_in_plan": self.dropped,
            },
            "total": self.total.as_json(),
            "dimensions": [
                {"number": d.number, "title": d.title, **d.tally.as_json()} for d in self.dimensions
            ],
        }


class ReportRow(NamedTuple):
    """What a score needs of an item's report (``ItemReport``)."""

    item_uid: UUID
    status: str
    out_of_scope: bool
    included: bool
    ordinance_budget: Decimal | None
    disbursed: Decimal | None


@dataclass(frozen=True)
class ItemRow:
    """What a score needs of a plan item."""

    pk: int
    uid: UUID
    dimension: int
    dimension_title: str


@dataclass
class PlanFigures:
    """The items, dimensions and yearly budgets of some plan revisions, and the scope marks of their
    organisations, loaded in four queries however many plans (``load``)."""

    items: dict[int, list[ItemRow]] = field(default_factory=dict)  # by plan id
    dimensions: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # by plan id
    budgets: dict[tuple[int, int], dict[int, Decimal]] = field(default_factory=dict)  # (plan, year)
    marked: dict[tuple[int, str], set[UUID]] = field(default_factory=dict)  # (organisation, slug)

    @classmethod
    def load(cls, plans: Iterable[tuple[int, int, str]], years: Iterable[int]) -> PlanFigures:
        """Figures of ``plans`` (plan id, organisation id, slug) for the fiscal ``years``."""
        plans = list(plans)
        plan_ids = {plan_id for plan_id, _, _ in plans}
        figures = cls(items={plan_id: [] for plan_id in plan_ids}, dimensions={p: [] for p in plan_ids})
        if not plan_ids:
            return figures
        for row in PlanItem.objects.filter(plan_id__in=plan_ids).values_list(
            "pk", "plan_id", "uid", "mission__dimension__number", "mission__dimension__title_th"
        ):
            figures.items[row[1]].append(ItemRow(row[0], row[2], row[3], row[4]))
        for plan_id, number, title in (
            Dimension.objects.filter(plan_id__in=plan_ids)
            .order_by("plan_id", "number")
            .values_list("plan_id", "number", "title_th")
        ):
            figures.dimensions[plan_id].append((number, title))
        for plan_id, year, item_id, amount in ItemBudget.objects.filter(
            item__plan_id__in=plan_ids, fiscal_year__in=set(years)
        ).values_list("item__plan_id", "fiscal_year", "item_id", "amount"):
            figures.budgets.setdefault((plan_id, year), {})[item_id] = amount
        pairs = {(org_id, slug) for _, org_id, slug in plans}
        figures.marked = {pair: set() for pair in pairs}
        for org_id, slug, uid in ScopeMark.objects.filter(
            organization_id__in={org_id for org_id, _ in pairs}, plan_slug__in={slug for _, slug in pairs}
        ).values_list("organization_id", "plan_slug", "item_uid"):
            if (org_id, slug) in figures.marked:
                figures.marked[(org_id, slug)].add(uid)
        return figures


def summarise(report_round: ReportRound) -> Summary:
    """The round's score, band, counts and sums, in a fixed number of queries."""
    return summarise_rounds([report_round])[report_round.pk]


def summarise_rounds(
    rounds: Sequence[ReportRound],
    *,
    siblings: Iterable[ReportRound] | None = None,
    figures: PlanFigures | None = None,
) -> dict[int, Summary]:
    """``summarise`` of many rounds at once, by round id, in six queries however many rounds (the lists
    of the public pages and the API, the oversight refresh). ``siblings``, the rounds of the same plans
    and years when the caller has them, and ``figures`` of the rounds' plans, save their queries."""
    if not rounds:
        return {}
    groups = {(r.organization_id, r.plan_slug, r.fiscal_year) for r in rounds}
    if siblings is None:
        siblings = ReportRound.objects.filter(
            organization_id__in={g[0] for g in groups},
            plan_slug__in={g[1] for g in groups},
            fiscal_year__in={g[2] for g in groups},
        ).only("pk", "organization_id", "plan_slug", "fiscal_year", "months")
    wanted = max(r.months for r in rounds)
    earlier: dict[tuple[int, str, int], list[tuple[int, int]]] = {}  # group -> [(months, round id)]
    for sibling in siblings:
        key = (sibling.organization_id, sibling.plan_slug, sibling.fiscal_year)
        if key in groups and sibling.months <= wanted:
            earlier.setdefault(key, []).append((sibling.months, sibling.pk))
    for report_round in rounds:  # siblings given without the round itself: it still counts its reports
        members = earlier.setdefault(
            (report_round.organization_id, report_round.plan_slug, report_round.fiscal_year), []
        )
        if (report_round.months, report_round.pk) not in members:
            members.append((report_round.months, report_round.pk))
    reports: dict[int, list[ReportRow]] = {pk: [] for members in earlier.values() for _, pk in members}
    for round_id, *row in ItemReport.objects.filter(round_id__in=reports).values_list(
        "round_id", *ReportRow._fields
    ):
        reports[round_id].append(ReportRow(*row))
    if figures is None:
        figures = PlanFigures.load(
            {(r.plan_id, r.organization_id, r.plan_slug) for r in rounds}, {r.fiscal_year for r in rounds}
        )
    summaries = {}
    for report_round in rounds:
        members = earlier[(report_round.organization_id, report_round.plan_slug, report_round.fiscal_year)]
        statuses: dict[UUID, str] = {}
        for months, pk in sorted(members):
            if months <= report_round.months:  # later rounds overwrite earlier ones
                statuses.update((r.item_uid, r.status) for r in reports[pk] if r.status)
        summaries[report_round.pk] = _combine(
            report_round, {r.item_uid: r for r in reports[report_round.pk]}, statuses, figures
        )
    return summaries


def _combine(
    report_round: ReportRound,
    reports: dict[UUID, ReportRow],
    statuses: dict[UUID, str],
    figures: PlanFigures,
) -> Summary:
    items = figures.items.get(report_round.plan_id, [])
    budgets = figures.budgets.get((report_round.plan_id, report_round.fiscal_year), {})
    dimensions: dict[int, DimensionTally] = {
        number: DimensionTally(number, title)
        for number, title in figures.dimensions.get(report_round.plan_id, [])
    }
    total = Tally()
    out_of_scope = 0
    # Out of scope: as the organisation reported it, or as an oversight reviewer marked it.
    marked = figures.marked.get((report_round.organization_id, report_round.plan_slug), set())
    for item in items:
        report = reports.get(item.uid)
        if item.uid in marked or (report is not None and report.out_of_scope):
            out_of_scope += 1
            continue
        status = statuses.get(item.uid, "")
        included = report is not None and report.included
        planned = budgets.get(item.pk)
        total.add(status, included, planned, report)
        dimensions.setdefault(item.dimension, DimensionTally(item.dimension, item.dimension_title))
        dimensions[item.dimension].tally.add(status, included, planned, report)
    present = {item.uid for item in items}
    return Summary(
        report_round=report_round,
        total=total,
        dimensions=[dimensions[n] for n in sorted(dimensions)],
        band=rules().band(report_round.months, total.score),
        out_of_scope=out_of_scope,
        dropped=sum(1 for uid in reports if uid not in present),
    )
