"""What a round's page shows per item: the item in the reported revision, its budget, what is missing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.utils.translation import gettext as _

from prongsai.plans.models import ItemBudget, PlanItem
from prongsai.reports.models import ItemReport, ReportRound


@dataclass(frozen=True)
class Row:
    report: ItemReport
    item: PlanItem | None  # None: the revision no longer has the item
    plan_budget: Decimal | None
    missing: list[str]
    locked: bool

    @property
    def dimension(self) -> int | None:
        return None if self.item is None else self.item.mission.dimension.number


def missing(report: ItemReport, plan_budget: Decimal | None) -> list[str]:
    """The fields an in-scope item's report still lacks, as the round page lists them."""
    if report.out_of_scope:
        return []
    lacks = []
    if not report.status:
        lacks.append(_("สถานะ"))
    if plan_budget is not None and report.ordinance_budget is None:
        lacks.append(_("งบตามข้อบัญญัติ"))
    if plan_budget is not None and report.disbursed is None:
        lacks.append(_("การเบิกจ่าย"))
    if any(slot.get("result") is None for slot in report.indicator_results):
        lacks.append(_("ผลตัวชี้วัด"))
    return lacks


def round_rows(report_round: ReportRound, locked: set[UUID]) -> list[Row]:
    """Every report of the round in plan order, dropped items last (a fixed number of queries)."""
    items = {
        i.uid: i
        for i in PlanItem.objects.filter(plan_id=report_round.plan_id).select_related("mission__dimension")
    }
    budgets = dict(
        ItemBudget.objects.filter(
            item__plan_id=report_round.plan_id, fiscal_year=report_round.fiscal_year
        ).values_list("item__uid", "amount")
    )
    rows = []
    for report in report_round.reports.all():
        item = items.get(report.item_uid)
        budget = budgets.get(report.item_uid)
        rows.append(
            Row(
                report=report,
                item=item,
                plan_budget=budget,
                missing=missing(report, budget) if item is not None else [],
                locked=report.item_uid in locked,
            )
        )

    def order(row: Row) -> tuple[int, int, int]:
        if row.item is None:
            return (1, 0, row.report.pk)
        return (0, row.item.mission.position, row.item.position)

    return sorted(rows, key=order)
