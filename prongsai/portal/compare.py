"""What changed from one published revision of a plan to the next: a pure comparison of their content.

Items are matched by ``uid`` (kept across revisions), so a moved or renamed item is one changed item,
not one removed and one added. Both revisions are read with ``load_plan_tree`` and ``part1_view``: a
fixed number of queries whatever the number of items.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from prongsai.plans.content import part1_view
from prongsai.plans.interchange import load_plan_tree
from prongsai.plans.models import Plan, PlanItem

# Part 3 fields compared one by one, in the order of the item's sheet.
TEXT_FIELDS = (
    "title",
    "rationale",
    "objectives",
    "outputs",
    "area",
    "method",
    "duration",
    "responsible",
    "responsible_unit",
    "note",
)


@dataclass(frozen=True)
class ItemState:
    uid: uuid.UUID
    item: PlanItem
    mission: str  # "1.1.1 สร้างจิตสำนึก…"
    budgets: dict[int, Decimal]
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class FieldChange:
    label: StrOrPromise
    before: str
    after: str


@dataclass(frozen=True)
class BudgetChange:
    year: int
    before: Decimal | None
    after: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.after or Decimal(0)) - (self.before or Decimal(0))


@dataclass(frozen=True)
class ItemChange:
    before: ItemState
    after: ItemState
    fields: list[FieldChange]
    budgets: list[BudgetChange]


@dataclass(frozen=True)
class SectionChange:
    title: str
    added: list[str]
    removed: list[str]


@dataclass
class Changes:
    before: Plan
    after: Plan
    title: FieldChange | None = None
    years: FieldChange | None = None
    added: list[ItemState] = field(default_factory=list)
    removed: list[ItemState] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    budget_totals: list[BudgetChange] = field(default_factory=list)
    part1: list[SectionChange] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (
            self.title
            or self.years
            or self.added
            or self.removed
            or self.changed
            or self.part1
            or any(b.difference for b in self.budget_totals)
        )


def item_states(plan: Plan) -> dict[uuid.UUID, ItemState]:
    """Every item of ``plan`` by uid, in document order."""
    _dimensions, children, by_mission = load_plan_tree(plan)
    missions = {m.pk: m for ms in children.values() for m in ms}
    states: dict[uuid.UUID, ItemState] = {}
    ordered = sorted(missions.values(), key=lambda m: m.position)
    for mission in ordered:
        for item in by_mission.get(mission.pk, []):
            states[item.uid] = ItemState(
                uid=item.uid,
                item=item,
                mission=f"{mission.code} {mission.title_th}",
                budgets={b.fiscal_year: b.amount for b in item.budgets.all()},
                indicators=tuple(
                    " ".join(
                        part
                        for part in (
                            ind.description,
                            "" if ind.target_value is None else f"{ind.target_value.normalize():f}",
                            ind.unit,
                        )
                        if part
                    )
                    for ind in item.indicators.all()
                ),
            )
    return states


def _budget_changes(
    years: list[int], before: dict[int, Decimal], after: dict[int, Decimal]
) -> list[BudgetChange]:
    return [
        BudgetChange(year, before.get(year), after.get(year))
        for year in years
        if before.get(year) != after.get(year)
    ]


def _label(name: str) -> StrOrPromise:
    return PlanItem._meta.get_field(name).verbose_name  # type: ignore[union-attr]


def _item_change(before: ItemState, after: ItemState, years: list[int]) -> ItemChange | None:
    fields = [
        FieldChange(_label(name), getattr(before.item, name), getattr(after.item, name))
        for name in TEXT_FIELDS
        if getattr(before.item, name) != getattr(after.item, name)
    ]
    if before.item.kind != after.item.kind:
        fields.append(
            FieldChange(_label("kind"), before.item.get_kind_display(), after.item.get_kind_display())
        )
    if before.mission != after.mission:
        fields.append(FieldChange(_label("mission"), before.mission, after.mission))
    if before.indicators != after.indicators:
        fields.append(
            FieldChange(_label_indicators(), "\n".join(before.indicators), "\n".join(after.indicators))
        )
    budgets = _budget_changes(years, before.budgets, after.budgets)
    if not fields and not budgets:
        return None
    return ItemChange(before, after, fields, budgets)


def _label_indicators() -> StrOrPromise:
    return gettext_lazy("ตัวชี้วัด/ผลลัพธ์")


def _part1_changes(before: Plan, after: Plan) -> list[SectionChange]:
    old, new = part1_view(before), part1_view(after)
    changes = []
    for key, section in new.items():
        was = Counter(e.text for e in old[key].entries)
        now = Counter(e.text for e in section.entries)
        added = list((now - was).elements())
        removed = list((was - now).elements())
        if added or removed:
            changes.append(SectionChange(str(section.section.title), added, removed))
    return changes


def _total(states: Iterable[ItemState], year: int) -> Decimal | None:
    amounts = [state.budgets[year] for state in states if year in state.budgets]
    return sum(amounts, Decimal(0)) if amounts else None


def compare(before: Plan, after: Plan) -> Changes:
    """The changes from revision ``before`` to revision ``after`` of one plan."""
    changes = Changes(before, after)
    if before.title != after.title:
        changes.title = FieldChange(_label_plan("title"), before.title, after.title)
    if (before.first_year, before.last_year) != (after.first_year, after.last_year):
        changes.years = FieldChange(
            gettext_lazy("ช่วงปี (พ.ศ.)"),
            f"{before.first_year}–{before.last_year}",
            f"{after.first_year}–{after.last_year}",
        )
    years = sorted(set(before.years) | set(after.years))
    old, new = item_states(before), item_states(after)
    changes.added = [state for uid, state in new.items() if uid not in old]
    changes.removed = [state for uid, state in old.items() if uid not in new]
    for uid, state in new.items():
        if uid in old:
            change = _item_change(old[uid], state, years)
            if change is not None:
                changes.changed.append(change)
    changes.budget_totals = [
        BudgetChange(year, _total(old.values(), year), _total(new.values(), year)) for year in years
    ]
    changes.part1 = _part1_changes(before, after)
    return changes


def _label_plan(name: str) -> StrOrPromise:
    return Plan._meta.get_field(name).verbose_name  # type: ignore[union-attr]
