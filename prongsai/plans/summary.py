"""Part 2 arithmetic: items numbered within their mission, totals per dimension and over the whole plan.

Computed in Python from one loaded tree (``interchange.load_plan_tree``), so a page or a document costs
the same few queries whatever the number of items.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from prongsai.plans.interchange import load_plan_tree
from prongsai.plans.models import Dimension, ItemKind, Mission, Plan, PlanItem


@dataclass
class Totals:
    """Counts by kind and budget per fiscal year; a year with no budgeted item totals None ("-")."""

    years: list[int]
    counts: Counter[str] = field(default_factory=Counter)
    budgets: dict[int, Decimal | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.budgets = dict.fromkeys(self.years)

    def add(self, item: PlanItem) -> None:
        self.counts[item.kind] += 1
        for budget in item.budgets.all():
            current = self.budgets.get(budget.fiscal_year)
            self.budgets[budget.fiscal_year] = (current or Decimal(0)) + budget.amount

    def merge(self, other: Totals) -> None:
        self.counts.update(other.counts)
        for year, amount in other.budgets.items():
            if amount is not None:
                self.budgets[year] = (self.budgets.get(year) or Decimal(0)) + amount

    @property
    def item_count(self) -> int:
        return sum(self.counts.values())

    @property
    def grand_total(self) -> Decimal | None:
        amounts = [a for a in self.budgets.values() if a is not None]
        return sum(amounts, Decimal(0)) if amounts else None

    def count(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    @property
    def projects(self) -> int:
        return self.count(ItemKind.PROJECT)

    @property
    def activities(self) -> int:
        return self.count(ItemKind.ACTIVITY)

    @property
    def measures(self) -> int:
        return self.count(ItemKind.MEASURE)

    @property
    def guidelines(self) -> int:
        return self.count(ItemKind.GUIDELINE)

    def budget_list(self) -> list[Decimal | None]:
        return [self.budgets.get(year) for year in self.years]


@dataclass(frozen=True)
class ItemLine:
    """An item with its budget in each fiscal year of the plan (None: runs without a budget that year)."""

    number: int  # ๑) ๒) … within its mission
    item: PlanItem
    budgets: list[Decimal | None]
    years: list[int]

    @property
    def year_budgets(self) -> list[tuple[int, Decimal]]:
        """The years in which the item has a budget, with the amount."""
        return [
            (year, amount)
            for year, amount in zip(self.years, self.budgets, strict=True)
            if amount is not None
        ]


@dataclass
class MissionRow:
    mission: Mission
    items: list[PlanItem]
    years: list[int] = field(default_factory=list)

    @cached_property
    def lines(self) -> list[ItemLine]:
        """The items with their budgets, made once (the plan page reads them for Part 2, Part 3 and its
        cached pieces)."""
        lines = []
        for number, item in enumerate(self.items, start=1):
            amounts = {b.fiscal_year: b.amount for b in item.budgets.all()}
            lines.append(ItemLine(number, item, [amounts.get(year) for year in self.years], self.years))
        return lines


@dataclass
class DimensionTable:
    dimension: Dimension
    rows: list[MissionRow]
    totals: Totals


@dataclass
class PlanTables:
    plan: Plan
    dimensions: list[DimensionTable]
    totals: Totals

    @property
    def items(self) -> list[PlanItem]:
        return [item for table in self.dimensions for row in table.rows for item in row.items]


def plan_tables(plan: Plan) -> PlanTables:
    """The Part 2 tables of ``plan``: each dimension's missions in document order with their items."""
    dimensions, children, by_mission = load_plan_tree(plan)
    years = plan.years
    overall = Totals(years)
    tables = []
    for dimension in dimensions:
        rows: list[MissionRow] = []
        totals = Totals(years)

        def walk(mission: Mission, dimension_totals: Totals = totals, out: list[MissionRow] = rows) -> None:
            items = by_mission.get(mission.pk, [])
            for item in items:
                dimension_totals.add(item)
            out.append(MissionRow(mission, items, years))
            for child in children.get(mission.pk, []):
                walk(child)

        for mission in children.get(None, []):
            if mission.dimension_id == dimension.pk:
                walk(mission)
        overall.merge(totals)
        tables.append(DimensionTable(dimension, rows, totals))
    return PlanTables(plan, tables, overall)
