"""The plan records the change log vouches for, and their state as the log keeps it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from prongsai.audit.events import describe_events
from prongsai.audit.state import Change, amount, change, track, when
from prongsai.organizations.models import Organization
from prongsai.plans import part1
from prongsai.plans.models import Dimension, Indicator, ItemBudget, Mission, Part1Entry, Plan, PlanItem

DETAIL_FIELDS = ("rationale", "objectives", "outputs", "area", "method", "duration", "responsible")


def _username(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


def plan_state(plan: Plan) -> dict[str, Any]:
    return {
        "slug": plan.slug,
        "revision": plan.revision,
        "title": plan.title,
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "template": plan.template_key,
        "status": plan.status,
        "digits": plan.digits,
        "submitted_by": _username(plan.submitted_by),
        "submitted_at": when(plan.submitted_at),
        "approved_by": _username(plan.approved_by),
        "approved_at": when(plan.approved_at),
        "published_by": _username(plan.published_by),
        "published_at": when(plan.published_at),
    }


def part1_state(entry: Part1Entry) -> dict[str, Any]:
    return {"plan": entry.plan_id, "section": entry.section, "position": entry.position, "text": entry.text}


def dimension_state(dimension: Dimension) -> dict[str, Any]:
    return {
        "plan": dimension.plan_id,
        "number": dimension.number,
        "title_th": dimension.title_th,
        "title_en": dimension.title_en,
    }


def mission_state(mission: Mission) -> dict[str, Any]:
    return {
        "plan": mission.plan_id,
        "dimension": mission.dimension_id,
        "parent": mission.parent_id,
        "code": mission.code,
        "position": mission.position,
        "title_th": mission.title_th,
        "title_en": mission.title_en,
        "verify": mission.to_verify,
    }


def item_state(item: PlanItem) -> dict[str, Any]:
    """Everything printed about an item, budgets and indicators included (read through any prefetch)."""
    return {
        "plan": item.plan_id,
        "mission": item.mission_id,
        "position": item.position,
        "kind": item.kind,
        "title": item.title,
        "responsible_unit": item.responsible_unit,
        "note": item.note,
        "illustrative": item.is_illustrative,
        **{name: getattr(item, name) for name in DETAIL_FIELDS},
        "budgets": {str(b.fiscal_year): amount(b.amount) for b in sorted(item.budgets.all(), key=_year)},
        "indicators": [
            {"description": i.description, "target_value": amount(i.target_value), "unit": i.unit}
            for i in sorted(item.indicators.all(), key=_position)
        ],
    }


def _year(budget: ItemBudget) -> int:
    return budget.fiscal_year


def _position(indicator: Indicator) -> int:
    return indicator.position


def items_of(plans: QuerySet[Plan] | Plan) -> QuerySet[PlanItem]:
    items = (
        PlanItem.objects.filter(plan=plans)
        if isinstance(plans, Plan)
        else PlanItem.objects.filter(plan__in=plans)
    )
    return items.prefetch_related(
        Prefetch("budgets", queryset=ItemBudget.objects.order_by("fiscal_year")),
        Prefetch("indicators", queryset=Indicator.objects.order_by("position")),
    )


def content_changes(plan: Plan) -> list[Change]:
    """The state of every record of ``plan``: for operations that write a whole plan (create, import, revise)."""
    rows: list[Any] = [plan]
    rows += plan.dimensions.order_by("number")
    rows += plan.missions.order_by("position")
    rows += plan.part1_entries.order_by("section", "position")
    rows += items_of(plan).order_by("mission__position", "position")
    return [change(row) for row in rows]


def _plans(organization: Organization) -> Iterable[Plan]:
    return Plan.objects.filter(organization=organization).select_related(
        "submitted_by", "approved_by", "published_by"
    )


def register() -> None:
    track(
        "plan",
        Plan,
        state=plan_state,
        rows=_plans,
        label=str,
        added={
            "submitted_by": None,
            "submitted_at": None,
        },  # plans 0005_four_eyes: no plan was submitted before
    )
    track(
        "part1_entry",
        Part1Entry,
        state=part1_state,
        rows=lambda org: Part1Entry.objects.filter(plan__organization=org),
        label=lambda e: f"{e.section}[{e.position}]",
    )
    track(
        "dimension",
        Dimension,
        state=dimension_state,
        rows=lambda org: Dimension.objects.filter(plan__organization=org),
    )
    track(
        "mission",
        Mission,
        state=mission_state,
        rows=lambda org: Mission.objects.filter(plan__organization=org),
        label=lambda m: m.code,
    )
    track(
        "plan_item",
        PlanItem,
        state=item_state,
        rows=lambda org: items_of(Plan.objects.filter(organization=org)),
        label=lambda i: i.title[:60],
    )
    describe_events(
        {
            "plan.create": _("สร้างแผน %(title)s"),
            "plan.update": _("แก้ไขข้อมูลแผน"),
            "plan.submit": _("เสนอแผนให้อนุมัติ"),
            "plan.delete": _("ลบแผนฉบับร่าง %(title)s"),
            "plan.approve": _("อนุมัติแผน"),
            "plan.return_to_draft": _("ส่งแผนกลับเป็นฉบับร่าง"),
            "plan.publish": _("ประกาศแผน"),
            "plan.start_revision": _("สร้างฉบับแก้ไขที่ %(revision)s"),
            "plan.import": _("นำเข้าแผน %(title)s"),
            "part1.add": _("เพิ่มข้อความใน %(section)s"),
            "part1.update": _("แก้ไขข้อความใน %(section)s"),
            "part1.delete": _("ลบข้อความใน %(section)s"),
            "part1.move": _("เลื่อนลำดับข้อความใน %(section)s"),
            "item.add": _("เพิ่ม %(title)s"),
            "item.update": _("แก้ไข %(title)s"),
            "item.delete": _("ลบ %(title)s"),
            "item.move": _("เลื่อนลำดับ %(title)s"),
        },
        presenters={"section": lambda key: part1.section(str(key)).title},
    )
