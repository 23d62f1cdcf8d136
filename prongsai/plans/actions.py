"""Every change to a plan goes through one function here: one transaction, one audit row.

Views, the command line, the importer and the tests all call these. Each raises
``django.core.exceptions.ValidationError`` (with field names) on bad input and leaves nothing saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User as UserModel
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.audit.log import record
from prongsai.organizations.models import Organization
from prongsai.plans import part1
from prongsai.plans.models import (
    Dimension,
    Indicator,
    ItemBudget,
    ItemKind,
    Mission,
    Part1Entry,
    Plan,
    PlanItem,
    PlanStatus,
)
from prongsai.plans.structure import load_template

User = UserModel | None


@dataclass
class IndicatorData:
    description: str
    target_value: Decimal | None = None
    unit: str = ""


@dataclass
class ItemData:
    """What a user says about an item; validated by ``validate_item``."""

    kind: str
    title: str
    responsible_unit: str = ""
    note: str = ""
    is_illustrative: bool = False
    rationale: str = ""
    objectives: str = ""
    outputs: str = ""
    area: str = ""
    method: str = ""
    duration: str = ""
    responsible: str = ""
    budgets: dict[int, Decimal] = field(default_factory=dict)  # fiscal year (พ.ศ.) → baht
    indicators: list[IndicatorData] = field(default_factory=list)

    DETAIL_FIELDS = ("rationale", "objectives", "outputs", "area", "method", "duration", "responsible")


def _require_editable(plan: Plan) -> None:
    if not plan.is_editable:
        raise ValidationError(_("แผนนี้ไม่ใช่ฉบับร่าง จึงแก้ไขไม่ได้ ให้สร้างฉบับแก้ไขใหม่ก่อน"))


def _lock(plan: Plan) -> Plan:
    """Re-read the plan under a row lock so concurrent edits of one plan are serialised."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_editable(locked)
    return locked


# --- Plans -----------------------------------------------------------------------------------------


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    return {
        "slug": plan.slug,
        "revision": plan.revision,
        "title": plan.title,
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "status": plan.status,
        "digits": plan.digits,
    }


def _build_structure(plan: Plan, template_key: str) -> None:
    template = load_template(template_key)
    position = 0

    def add_missions(
        dimension: Dimension, parent: Mission | None, nodes: Sequence[Mapping[str, Any]]
    ) -> None:
        nonlocal position
        for node in nodes:
            position += 1
            mission = Mission.objects.create(
                plan=plan,
                dimension=dimension,
                parent=parent,
                code=node["code"],
                position=position,
                title_th=node["title_th"],
                title_en=node.get("title_en", ""),
                to_verify=bool(node.get("verify", False)),
            )
            add_missions(dimension, mission, node.get("missions", []))

    for dim in template["dimensions"]:
        dimension = Dimension.objects.create(
            plan=plan, number=dim["number"], title_th=dim["title_th"], title_en=dim.get("title_en", "")
        )
        add_missions(dimension, None, dim.get("missions", []))


@transaction.atomic
def create_plan(
    actor: User,
    organization: Organization,
    *,
    slug: str,
    title: str,
    first_year: int,
    last_year: int,
    template_key: str = "dla-2561-2564",
    digits: str = "thai",
) -> Plan:
    try:
        load_template(template_key)
    except LookupError:
        raise ValidationError({"template_key": _("ไม่พบแม่แบบแผน %(key)s") % {"key": template_key}}) from None
    if first_year > last_year:
        raise ValidationError({"last_year": _("ปีสุดท้ายต้องไม่น้อยกว่าปีแรก")})
    if Plan.objects.filter(organization=organization, slug=slug).exists():
        raise ValidationError({"slug": _("มีแผนรหัส %(slug)s อยู่แล้ว") % {"slug": slug}})
    plan = Plan(
        organization=organization,
        slug=slug,
        title=title,
        first_year=first_year,
        last_year=last_year,
        template_key=template_key,
        digits=digits,
    )
    plan.full_clean()
    plan.save()
    _build_structure(plan, template_key)
    record(
        actor=actor,
        organization=organization,
        action="plan.create",
        target=plan,
        plan_key=plan.key,
        summary=_("สร้างแผน %(title)s") % {"title": title},
        after=plan_snapshot(plan),
    )
    return plan


@transaction.atomic
def update_plan_settings(actor: User, plan: Plan, *, title: str, digits: str) -> Plan:
    plan = _lock(plan)
    before = plan_snapshot(plan)
    plan.title = title
    plan.digits = digits
    plan.full_clean()
    plan.save(update_fields=["title", "digits"])
    record(
        actor=actor,
        organization=plan.organization,
        action="plan.update",
        target=plan,
        plan_key=plan.key,
        summary=_("แก้ไขข้อมูลแผน"),
        before=before,
        after=plan_snapshot(plan),
    )
    return plan


def _transition(
    actor: User,
    plan: Plan,
    *,
    source: PlanStatus,
    target: PlanStatus,
    stamp: dict[str, Any],
    action: str,
    summary: str,
    refusal: str,
) -> Plan:
    """Move ``plan`` from status ``source`` to ``target`` under a row lock, setting ``stamp`` fields, audited."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != source:
        raise ValidationError(refusal)
    before = plan_snapshot(plan)
    plan.status = target
    for name, value in stamp.items():
        setattr(plan, name, value)
    plan.save(update_fields=["status", *stamp])
    record(
        actor=actor,
        organization=plan.organization,
        action=action,
        target=plan,
        plan_key=plan.key,
        summary=summary,
        before=before,
        after=plan_snapshot(plan),
    )
    return plan


def _actor_or_none(actor: User) -> UserModel | None:
    return actor if actor is not None and actor.pk else None


@transaction.atomic
def approve_plan(actor: User, plan: Plan) -> Plan:
    return _transition(
        actor,
        plan,
        source=PlanStatus.DRAFT,
        target=PlanStatus.APPROVED,
        stamp={"approved_by": _actor_or_none(actor), "approved_at": timezone.now()},
        action="plan.approve",
        summary=_("อนุมัติแผน"),
        refusal=_("อนุมัติได้เฉพาะแผนฉบับร่าง"),
    )


@transaction.atomic
def return_to_draft(actor: User, plan: Plan) -> Plan:
    return _transition(
        actor,
        plan,
        source=PlanStatus.APPROVED,
        target=PlanStatus.DRAFT,
        stamp={"approved_by": None, "approved_at": None},
        action="plan.return_to_draft",
        summary=_("ส่งแผนกลับเป็นฉบับร่าง"),
        refusal=_("ส่งกลับเป็นฉบับร่างได้เฉพาะแผนที่อนุมัติแล้วแต่ยังไม่ประกาศ"),
    )


@transaction.atomic
def publish_plan(actor: User, plan: Plan) -> Plan:
    plan = _transition(
        actor,
        plan,
        source=PlanStatus.APPROVED,
        target=PlanStatus.PUBLISHED,
        stamp={"published_by": _actor_or_none(actor), "published_at": timezone.now()},
        action="plan.publish",
        summary=_("ประกาศแผน"),
        refusal=_("ต้องอนุมัติแผนก่อนจึงจะประกาศได้"),
    )
    plan_id = plan.pk
    transaction.on_commit(lambda: _after_publish(plan_id))
    return plan


def _after_publish(plan_id: int) -> None:
    """Side effects of publishing run after commit (the documents app stores the PDF of the revision)."""
    from prongsai.plans.signals import plan_published

    plan_published.send(sender=Plan, plan_id=plan_id)


@transaction.atomic
def start_revision(actor: User, plan: Plan) -> Plan:
    """A new draft revision copied from ``plan``; earlier revisions stay as they were, readable."""
    latest = Plan.objects.filter(organization=plan.organization, slug=plan.slug).aggregate(Max("revision"))
    if plan.revision != latest["revision__max"]:
        raise ValidationError(_("สร้างฉบับแก้ไขได้จากฉบับล่าสุดเท่านั้น"))
    if plan.status == PlanStatus.DRAFT:
        raise ValidationError(_("แผนนี้เป็นฉบับร่างอยู่แล้ว แก้ไขได้ทันที"))
    from prongsai.plans.interchange import copy_plan_content

    new = Plan.objects.create(
        organization=plan.organization,
        slug=plan.slug,
        revision=plan.revision + 1,
        title=plan.title,
        first_year=plan.first_year,
        last_year=plan.last_year,
        template_key=plan.template_key,
        digits=plan.digits,
    )
    copy_plan_content(plan, new)
    record(
        actor=actor,
        organization=plan.organization,
        action="plan.start_revision",
        target=new,
        plan_key=plan.key,
        summary=_("สร้างฉบับแก้ไขที่ %(revision)s") % {"revision": new.revision},
        before=plan_snapshot(plan),
        after=plan_snapshot(new),
    )
    return new


# --- Part 1 ----------------------------------------------------------------------------------------


def _clean_text(text: str, field_name: str = "text") -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field_name: _("กรุณากรอกข้อความ")})
    if len(text) > Part1Entry._meta.get_field("text").max_length:  # type: ignore[operator]
        raise ValidationError({field_name: _("ข้อความยาวเกินกำหนด")})
    return text


@transaction.atomic
def add_part1_entry(actor: User, plan: Plan, section_key: str, text: str) -> Part1Entry:
    plan = _lock(plan)
    section = part1.section(section_key)
    text = _clean_text(text)
    last = plan.part1_entries.filter(section=section.key).aggregate(Max("position"))["position__max"] or 0
    entry = Part1Entry.objects.create(plan=plan, section=section.key, position=last + 1, text=text)
    record(
        actor=actor,
        organization=plan.organization,
        action="part1.add",
        target=entry,
        plan_key=plan.key,
        summary=_("เพิ่มข้อความใน %(section)s") % {"section": section.title},
        after={"section": section.key, "position": entry.position, "text": text},
    )
    return entry


@transaction.atomic
def update_part1_entry(actor: User, entry: Part1Entry, text: str) -> Part1Entry:
    _lock(entry.plan)
    text = _clean_text(text)
    before = {"section": entry.section, "position": entry.position, "text": entry.text}
    entry.text = text
    entry.save(update_fields=["text"])
    record(
        actor=actor,
        organization=entry.plan.organization,
        action="part1.update",
        target=entry,
        plan_key=entry.plan.key,
        summary=_("แก้ไขข้อความใน %(section)s") % {"section": part1.section(entry.section).title},
        before=before,
        after={**before, "text": text},
    )
    return entry


@transaction.atomic
def delete_part1_entry(actor: User, entry: Part1Entry) -> None:
    plan = _lock(entry.plan)
    before = {"section": entry.section, "position": entry.position, "text": entry.text}
    entry.delete()
    _renumber(Part1Entry.objects.filter(plan=plan, section=before["section"]))
    record(
        actor=actor,
        organization=plan.organization,
        action="part1.delete",
        target=None,
        plan_key=plan.key,
        summary=_("ลบข้อความใน %(section)s") % {"section": part1.section(str(before["section"])).title},
        before=before,
    )


@transaction.atomic
def move_part1_entry(actor: User, entry: Part1Entry, offset: int) -> None:
    plan = _lock(entry.plan)
    siblings = list(Part1Entry.objects.filter(plan=plan, section=entry.section).order_by("position"))
    old = entry.position
    _move_in(siblings, entry.pk, offset)
    record(
        actor=actor,
        organization=plan.organization,
        action="part1.move",
        target=entry,
        plan_key=plan.key,
        summary=_("เลื่อนลำดับข้อความใน %(section)s") % {"section": part1.section(entry.section).title},
        before={"position": old},
        after={"position": next(e.position for e in siblings if e.pk == entry.pk)},
    )


def _renumber(queryset: Any) -> None:
    for index, row in enumerate(queryset.order_by("position"), start=1):
        if row.position != index:
            row.position = index
            row.save(update_fields=["position"])


def _move_in(rows: list[Any], pk: int, offset: int) -> None:
    """Move row ``pk`` by ``offset`` places within ``rows`` (ordered) and renumber 1..n."""
    index = next(i for i, row in enumerate(rows) if row.pk == pk)
    target = max(0, min(len(rows) - 1, index + offset))
    rows.insert(target, rows.pop(index))
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


# --- Items -----------------------------------------------------------------------------------------


def item_snapshot(item: PlanItem) -> dict[str, Any]:
    from prongsai.plans.interchange import item_to_dict

    return {"mission": item.mission.code, "position": item.position, **item_to_dict(item)}


def validate_item(plan: Plan, data: ItemData) -> None:
    """Check everything about ``data`` at once and raise one ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    if data.kind not in ItemKind.values:
        errors.setdefault("kind", []).append(_("ประเภทไม่ถูกต้อง"))
    if not data.title.strip():
        errors.setdefault("title", []).append(_("กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ"))
    max_title = PlanItem._meta.get_field("title").max_length or 0
    if len(data.title) > max_title:
        errors.setdefault("title", []).append(_("ชื่อยาวเกิน %(max)s ตัวอักษร") % {"max": max_title})
    for year, amount in data.budgets.items():
        key = f"budget_{year}"
        if year not in plan.years:
            errors.setdefault(key, []).append(
                _("ปี %(year)s อยู่นอกช่วงปีของแผน (%(first)s–%(last)s)")
                % {"year": year, "first": plan.first_year, "last": plan.last_year}
            )
        elif not isinstance(amount, Decimal) or not amount.is_finite():
            errors.setdefault(key, []).append(_("งบประมาณต้องเป็นตัวเลข"))
        elif amount < 0:
            errors.setdefault(key, []).append(_("งบประมาณต้องไม่ติดลบ"))
        elif amount >= Decimal("1e12") or amount != amount.quantize(Decimal("0.01")):
            errors.setdefault(key, []).append(_("งบประมาณต้องไม่เกิน ๑ ล้านล้านบาท และมีทศนิยมไม่เกิน ๒ ตำแหน่ง"))
    for index, indicator in enumerate(data.indicators, start=1):
        if not indicator.description.strip():
            errors.setdefault("indicators", []).append(_("ตัวชี้วัดที่ %(n)s: กรุณากรอกตัวชี้วัด") % {"n": index})
        if indicator.target_value is not None and indicator.target_value < 0:
            errors.setdefault("indicators", []).append(_("ตัวชี้วัดที่ %(n)s: ค่าเป้าหมายต้องไม่ติดลบ") % {"n": index})
    if errors:
        raise ValidationError(errors)


def _write_item_fields(item: PlanItem, data: ItemData) -> None:
    item.kind = data.kind
    item.title = data.title.strip()
    item.responsible_unit = data.responsible_unit.strip()
    item.note = data.note.strip()
    item.is_illustrative = data.is_illustrative
    for name in ItemData.DETAIL_FIELDS:
        setattr(item, name, getattr(data, name).strip())
    item.full_clean(exclude=["plan", "mission"])


def _write_item_children(item: PlanItem, data: ItemData) -> None:
    item.budgets.all().delete()
    ItemBudget.objects.bulk_create(
        ItemBudget(item=item, fiscal_year=year, amount=amount)
        for year, amount in sorted(data.budgets.items())
    )
    item.indicators.all().delete()
    Indicator.objects.bulk_create(
        Indicator(
            item=item,
            position=position,
            description=indicator.description.strip(),
            target_value=indicator.target_value,
            unit=indicator.unit.strip(),
        )
        for position, indicator in enumerate(data.indicators, start=1)
    )


def _check_mission(plan: Plan, mission: Mission) -> None:
    if mission.plan_id != plan.pk:
        raise ValidationError({"mission": _("ภารกิจนี้ไม่อยู่ในแผนนี้")})


@transaction.atomic
def add_item(actor: User, plan: Plan, mission: Mission, data: ItemData) -> PlanItem:
    plan = _lock(plan)
    _check_mission(plan, mission)
    validate_item(plan, data)
    last = mission.items.aggregate(Max("position"))["position__max"] or 0
    item = PlanItem(plan=plan, mission=mission, position=last + 1)
    _write_item_fields(item, data)
    item.save()
    _write_item_children(item, data)
    record(
        actor=actor,
        organization=plan.organization,
        action="item.add",
        target=item,
        plan_key=plan.key,
        summary=_("เพิ่ม %(title)s") % {"title": item.title[:200]},
        after=item_snapshot(item),
    )
    return item


@transaction.atomic
def update_item(actor: User, item: PlanItem, data: ItemData, mission: Mission | None = None) -> PlanItem:
    plan = _lock(item.plan)
    validate_item(plan, data)
    before = item_snapshot(item)
    if mission is not None and mission.pk != item.mission_id:
        _check_mission(plan, mission)
        old_mission = item.mission
        item.mission = mission
        item.position = (mission.items.aggregate(Max("position"))["position__max"] or 0) + 1
        _write_item_fields(item, data)
        item.save()
        _renumber(PlanItem.objects.filter(mission=old_mission))
    else:
        _write_item_fields(item, data)
        item.save()
    _write_item_children(item, data)
    record(
        actor=actor,
        organization=plan.organization,
        action="item.update",
        target=item,
        plan_key=plan.key,
        summary=_("แก้ไข %(title)s") % {"title": item.title[:200]},
        before=before,
        after=item_snapshot(item),
    )
    return item


@transaction.atomic
def delete_item(actor: User, item: PlanItem) -> None:
    plan = _lock(item.plan)
    before = item_snapshot(item)
    mission = item.mission
    item.delete()
    _renumber(PlanItem.objects.filter(mission=mission))
    record(
        actor=actor,
        organization=plan.organization,
        action="item.delete",
        target=None,
        plan_key=plan.key,
        summary=_("ลบ %(title)s") % {"title": str(before["title"])[:200]},
        before=before,
    )


@transaction.atomic
def move_item(actor: User, item: PlanItem, offset: int) -> None:
    plan = _lock(item.plan)
    siblings = list(PlanItem.objects.filter(mission=item.mission_id).order_by("position"))
    old = item.position
    _move_in(siblings, item.pk, offset)
    record(
        actor=actor,
        organization=plan.organization,
        action="item.move",
        target=item,
        plan_key=plan.key,
        summary=_("เลื่อนลำดับ %(title)s") % {"title": item.title[:200]},
        before={"position": old},
        after={"position": next(i.position for i in siblings if i.pk == item.pk)},
    )
