"""The implementation score, its traffic light, and the per-dimension counts and sums of a round.

The score is the national system's: (completed × 1 + in progress × 0.5 + cannot × 0) ÷ in-scope items
× 100, each item counted by its latest report in the fiscal year (a 12-month round falls back to the
6-month report of an item not yet reported again). Items marked out of scope, and reports of items the
revision no longer has, count nowhere. Everything is Decimal; percentages are rounded to 2 places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from prongsai.oversight.models import ScopeMark
from prongsai.plans.models import ItemBudget, PlanItem
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

    def add(self, status: str, included: bool, planned: Decimal | None, report: ItemReport | None) -> None:
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


def latest_statuses(report_round: ReportRound) -> dict[UUID, str]:
    """Each item's status by its latest report of the year up to this round (one query)."""
    rows = (
        ItemReport.objects.filter(
            round__organization_id=report_round.organization_id,
            round__plan_slug=report_round.plan_slug,
            round__fiscal_year=report_round.fiscal_year,
            round__months__lte=report_round.months,
        )
        .exclude(status="")
        .order_by("round__months")
        .values_list("item_uid", "status")
    )
    return dict(rows)  # later rounds overwrite earlier ones


def summarise(report_round: ReportRound) -> Summary:
    """The round's score, band, counts and sums, in a fixed number of queries."""
    reports = {r.item_uid: r for r in report_round.reports.all()}
    statuses = latest_statuses(report_round)
    items = list(
        PlanItem.objects.filter(plan_id=report_round.plan_id)
        .select_related("mission__dimension")
        .order_by("mission__position", "position")
    )
    budgets = dict(
        ItemBudget.objects.filter(
            item__plan_id=report_round.plan_id, fiscal_year=report_round.fiscal_year
        ).values_list("item_id", "amount")
    )
    dimensions: dict[int, DimensionTally] = {
        d.number: DimensionTally(d.number, d.title_th)
        for d in report_round.plan.dimensions.order_by("number")
    }
    total = Tally()
    out_of_scope = 0
    # Out of scope: as the organisation reported it, or as an oversight reviewer marked it.
    marked = ScopeMark.marked_uids(report_round.organization_id, report_round.plan_slug)
    for item in items:
        report = reports.get(item.uid)
        if item.uid in marked or (report is not None and report.out_of_scope):
            out_of_scope += 1
            continue
        status = statuses.get(item.uid, "")
        included = report is not None and report.included
        planned = budgets.get(item.pk)
        total.add(status, included, planned, report)
        dimension = item.mission.dimension
        dimensions.setdefault(dimension.number, DimensionTally(dimension.number, dimension.title_th))
        dimensions[dimension.number].tally.add(status, included, planned, report)
    present = {item.uid for item in items}
    return Summary(
        report_round=report_round,
        total=total,
        dimensions=[dimensions[n] for n in sorted(dimensions)],
        band=rules().band(report_round.months, total.score),
        out_of_scope=out_of_scope,
        dropped=sum(1 for uid in reports if uid not in present),
    )
