"""The plan as a JSON document: export, validated import, and copying a plan's content into a new revision.

The format is described by ``plan.schema.json`` beside this file; ``validation`` checks a file before
anything is written. Export → import into an empty database → export gives the same JSON for a draft
(an import always creates a draft).
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from prongsai.audit.log import record
from prongsai.organizations.access import Actor, Permission, authorize
from prongsai.organizations.actions import create_organization
from prongsai.organizations.models import Organization, OrganizationKind
from prongsai.plans import part1
from prongsai.plans.interchange import validation
from prongsai.plans.interchange.validation import (
    FORMAT,
    FORMAT_VERSION,
    SCHEMA_PATH,
    ImportRefused,
    schema,
)
from prongsai.plans.models import (
    Dimension,
    Indicator,
    ItemBudget,
    Mission,
    Part1Entry,
    Plan,
    PlanItem,
    PlanStatus,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SCHEMA_PATH",
    "ImportRefused",
    "copy_plan_content",
    "dumps",
    "export_plan",
    "import_plan",
    "load_plan_tree",
    "schema",
    "validate_document",
]
DETAIL_FIELDS = ("rationale", "objectives", "outputs", "area", "method", "duration", "responsible")
ORG_FIELDS = (
    "slug",
    "name_th",
    "name_en",
    "kind",
    "district_th",
    "province_th",
    "district_en",
    "province_en",
)


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


# --- Export ----------------------------------------------------------------------------------------


def item_to_dict(item: PlanItem) -> dict[str, Any]:
    """An item as in the file; reads ``budgets`` and ``indicators`` through any prefetch."""
    return {
        "kind": item.kind,
        "title": item.title,
        "responsible_unit": item.responsible_unit,
        "note": item.note,
        "illustrative": item.is_illustrative,
        "details": {name: getattr(item, name) for name in DETAIL_FIELDS},
        "budgets": {str(b.fiscal_year): _amount(b.amount) for b in item.budgets.all()},
        "indicators": [
            {"description": i.description, "target_value": _amount(i.target_value), "unit": i.unit}
            for i in item.indicators.all()
        ],
    }


def load_plan_tree(
    plan: Plan,
) -> tuple[list[Dimension], dict[int | None, list[Mission]], dict[int, list[PlanItem]]]:
    """Dimensions, missions by parent id (None for top level, keyed by dimension via the mission),
    and items by mission id, in a fixed number of queries."""
    dimensions = list(plan.dimensions.order_by("number"))
    missions = list(plan.missions.order_by("position"))
    items = plan.items.order_by("mission__position", "position").prefetch_related(
        Prefetch("budgets", queryset=ItemBudget.objects.order_by("fiscal_year")),
        Prefetch("indicators", queryset=Indicator.objects.order_by("position")),
    )
    children: dict[int | None, list[Mission]] = defaultdict(list)
    for mission in missions:
        children[mission.parent_id].append(mission)
    by_mission: dict[int, list[PlanItem]] = defaultdict(list)
    for item in items:
        by_mission[item.mission_id].append(item)
    return dimensions, children, by_mission


def export_plan(plan: Plan, uids: dict[int, uuid.UUID] | None = None) -> dict[str, Any]:
    """The interchange document of ``plan``; ``uids``, when given, gets each item dict's uid by ``id()``."""
    dimensions, children, by_mission = load_plan_tree(plan)

    def item_dict(item: PlanItem) -> dict[str, Any]:
        data = item_to_dict(item)
        if uids is not None:
            uids[id(data)] = item.uid
        return data

    def mission_dict(mission: Mission) -> dict[str, Any]:
        return {
            "code": mission.code,
            "title_th": mission.title_th,
            "title_en": mission.title_en,
            "verify": mission.to_verify,
            "items": [item_dict(item) for item in by_mission.get(mission.pk, [])],
            "missions": [mission_dict(child) for child in children.get(mission.pk, [])],
        }

    entries: dict[str, list[str]] = {s.key: [] for s in part1.SECTIONS}
    for entry in plan.part1_entries.order_by("section", "position"):
        entries.setdefault(entry.section, []).append(entry.text)
    org = plan.organization
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "organization": {name: getattr(org, name) for name in ORG_FIELDS},
        "plan": {
            "slug": plan.slug,
            "revision": plan.revision,
            "title": plan.title,
            "first_year": plan.first_year,
            "last_year": plan.last_year,
            "template": plan.template_key,
            "status": plan.status,
            "digits": plan.digits,
            "part1": entries,
            "dimensions": [
                {
                    "number": d.number,
                    "title_th": d.title_th,
                    "title_en": d.title_en,
                    "missions": [mission_dict(m) for m in children.get(None, []) if m.dimension_id == d.pk],
                }
                for d in dimensions
            ],
        },
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def validate_document(data: Any) -> list[str]:
    """Every problem in ``data``, each naming its place in the file; empty when it can be imported."""
    return validation.problems(data)


# --- Import ----------------------------------------------------------------------------------------


def _write_content(plan: Plan, content: dict[str, Any], uids: dict[int, uuid.UUID] | None = None) -> None:
    """Write Part 1 and the dimension/mission/item tree of ``content`` (the file's ``plan``) into ``plan``.

    ``uids`` maps ``id()`` of an item's dict in ``content`` to the uid its new row keeps."""
    uids = uids or {}
    Part1Entry.objects.bulk_create(
        Part1Entry(plan=plan, section=key, position=position, text=text)
        for key, texts in content["part1"].items()
        for position, text in enumerate(texts, start=1)
    )
    position = 0
    budgets: list[ItemBudget] = []
    indicators: list[Indicator] = []

    def add_mission(dimension: Dimension, parent: Mission | None, node: dict[str, Any]) -> None:
        nonlocal position
        position += 1
        mission = Mission.objects.create(
            plan=plan,
            dimension=dimension,
            parent=parent,
            code=node["code"],
            position=position,
            title_th=node["title_th"],
            title_en=node.get("title_en", ""),
            to_verify=node.get("verify", False),
        )
        items = PlanItem.objects.bulk_create(
            PlanItem(
                plan=plan,
                mission=mission,
                position=index,
                kind=raw["kind"],
                title=raw["title"],
                responsible_unit=raw.get("responsible_unit", ""),
                note=raw.get("note", ""),
                is_illustrative=raw.get("illustrative", False),
                # A copy into a new revision keeps each item's uid; a file never sets one.
                **({"uid": uids[id(raw)]} if id(raw) in uids else {}),
                **{name: raw.get("details", {}).get(name, "") for name in DETAIL_FIELDS},
            )
            for index, raw in enumerate(node["items"], start=1)
        )
        for item, raw in zip(items, node["items"], strict=True):
            budgets.extend(
                ItemBudget(item=item, fiscal_year=int(year), amount=Decimal(amount))
                for year, amount in sorted(raw.get("budgets", {}).items())
            )
            indicators.extend(
                Indicator(
                    item=item,
                    position=index,
                    description=ind["description"],
                    target_value=None if ind.get("target_value") is None else Decimal(ind["target_value"]),
                    unit=ind.get("unit", ""),
                )
                for index, ind in enumerate(raw.get("indicators", []), start=1)
            )
        for child in node["missions"]:
            add_mission(dimension, mission, child)

    for raw_dimension in content["dimensions"]:
        dimension = Dimension.objects.create(
            plan=plan,
            number=raw_dimension["number"],
            title_th=raw_dimension["title_th"],
            title_en=raw_dimension.get("title_en", ""),
        )
        for node in raw_dimension["missions"]:
            add_mission(dimension, None, node)
    ItemBudget.objects.bulk_create(budgets)
    Indicator.objects.bulk_create(indicators)


def copy_plan_content(source: Plan, target: Plan) -> None:
    """Copy ``source``'s content into the new revision ``target``; every item keeps its uid."""
    uids: dict[int, uuid.UUID] = {}
    _write_content(target, export_plan(source, uids)["plan"], uids)


@transaction.atomic
def import_plan(data: Any, *, actor: Actor, org_slug: str | None = None) -> Plan:
    """Create the organisation (when new) and the plan of ``data``; refuse the whole file on any problem."""
    validation.check(data)
    raw_org = data["organization"]
    slug = org_slug or raw_org["slug"]
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        if raw_org["kind"] not in OrganizationKind.values:
            raise ImportRefused([_("organization.kind: ประเภทไม่ถูกต้อง")])
        try:
            organization = create_organization(
                actor, {**{name: raw_org.get(name, "") for name in ORG_FIELDS}, "slug": slug}
            )
        except ValidationError as error:
            raise ImportRefused(
                [
                    f"{validation.place(data, ['organization', name])}: {' '.join(messages)}"
                    for name, messages in error.message_dict.items()
                ]
            ) from None
    access = authorize(actor, organization, Permission.EDIT_PLAN)
    content = data["plan"]
    if Plan.objects.filter(organization=organization, slug=content["slug"]).exists():
        raise ImportRefused(
            [
                _("%(place)s: %(org)s มีแผน %(slug)s อยู่แล้ว")
                % {"place": validation.place(data, ["plan", "slug"]), "org": slug, "slug": content["slug"]}
            ]
        )
    plan = Plan(
        organization=organization,
        slug=content["slug"],
        revision=content.get("revision", 1),
        title=content["title"],
        first_year=content["first_year"],
        last_year=content["last_year"],
        template_key=content["template"],
        status=PlanStatus.DRAFT,  # never from the file: approval and publication happen here
        digits=content.get("digits", "thai"),
    )
    try:
        plan.full_clean()
    except ValidationError as error:
        raise ImportRefused(
            [
                f"{validation.place(data, ['plan', name])}: {' '.join(messages)}"
                for name, messages in error.message_dict.items()
            ]
        ) from None
    plan.save()
    _write_content(plan, content)
    from prongsai.plans.audit_state import content_changes

    record(
        access,
        "plan.import",
        params={"title": plan.title, "revision": plan.revision},
        changes=content_changes(plan),
        plan_key=plan.key,
    )
    return plan
