"""Results steer the plan: for each weak index or indicator, the plan sub-dimensions that address it.

Which sub-dimensions (ภารกิจตามมิติ) address which index is data (``plan_missions`` in the model
files). Three queries whatever the number of weak areas: the plans, their missions, their items.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from prongsai.ita.scoring import PartResult, Result
from prongsai.organizations.models import Organization
from prongsai.plans.models import Mission, Plan, PlanItem


@dataclass(frozen=True)
class MissionLink:
    code: str
    title: str
    items: list[PlanItem]
    add_url: str | None  # None when the caller may not edit or the plan takes no new items


@dataclass(frozen=True)
class WeakArea:
    part: PartResult
    missions: list[MissionLink]


def plan_for(organization: Organization, year: int) -> Plan | None:
    """The plan that follows an assessment of ``year``: the latest revision of the plan covering the next
    year, else of the plan that ends last."""
    plans = list(Plan.objects.filter(organization=organization).order_by("-last_year", "slug", "-revision"))
    for plan in plans:
        if plan.first_year <= year + 1 <= plan.last_year:
            return plan
    return plans[0] if plans else None


def add_item_url(organization: Organization, plan: Plan, code: str) -> str:
    """The plans app's "add an item" page, opened on sub-dimension ``code``."""
    base = reverse("item_add", kwargs={"org": organization.slug, "plan": plan.slug})
    return f"{base}?{urlencode({'mission': code})}"


def weak_areas(
    result: Result, organization: Organization, year: int, can_edit: bool
) -> tuple[Plan | None, list[WeakArea]]:
    weak = result.weak_parts
    plan = plan_for(organization, year)
    if plan is None:
        return None, [WeakArea(part, []) for part in weak]
    codes = {code for part in weak for code in part.part.plan_missions}
    missions = {m.code: m for m in Mission.objects.filter(plan=plan, code__in=codes)}
    items_by_code: dict[str, list[PlanItem]] = {}
    for item in PlanItem.objects.filter(plan=plan, mission__code__in=codes).select_related("mission"):
        items_by_code.setdefault(item.mission.code, []).append(item)
    editable = can_edit and plan.is_editable
    areas: list[WeakArea] = []
    for part in weak:
        links = [
            MissionLink(
                code=code,
                title=missions[code].title_th,
                items=items_by_code.get(code, []),
                add_url=add_item_url(organization, plan, code) if editable else None,
            )
            for code in part.part.plan_missions
            if code in missions
        ]
        areas.append(WeakArea(part, links))
    return plan, areas
