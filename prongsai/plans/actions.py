"""Every change to a plan goes through one function here: one transaction, one audit row.

Views, the command line, the importer and the tests all call these. Each raises
``django.core.exceptions.ValidationError`` (with field names) on bad input and leaves nothing saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prongsai.audit import editors
from prongsai.audit.log import record
from prongsai.audit.models import AuditEvent
from prongsai.audit.state import Change, change, removal
from prongsai.lib import jobs
from prongsai.lib.thai import thai_date
from prongsai.organizations.access import Access, Actor, Permission, authorize
from prongsai.organizations.models import Organization
from prongsai.plans import part1
from prongsai.plans.audit_state import content_changes, items_of
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

    @classmethod
    def of(cls, item: PlanItem) -> ItemData:
        """What ``item`` says now, to change a field or two and save it again."""
        return cls(
            kind=item.kind,
            title=item.title,
            responsible_unit=item.responsible_unit,
            note=item.note,
            is_illustrative=item.is_illustrative,
            **{name: getattr(item, name) for name in cls.DETAIL_FIELDS},
            budgets={b.fiscal_year: b.amount for b in item.budgets.all()},
            indicators=[
                IndicatorData(description=i.description, target_value=i.target_value, unit=i.unit)
                for i in item.indicators.order_by("position")
            ],
        )


def _require_editable(plan: Plan) -> None:
    if not plan.is_editable:
        raise ValidationError(_("แผนนี้ไม่ใช่ฉบับร่าง จึงแก้ไขไม่ได้ ให้สร้างฉบับแก้ไขใหม่ก่อน"))


def _lock(plan: Plan) -> Plan:
    """Re-read the plan under a row lock so concurrent edits of one plan are serialised."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_editable(locked)
    return locked


# --- Stale saves -----------------------------------------------------------------------------------


class StaleVersion(ValidationError):
    """Someone else saved the row after the form was loaded; nothing was written.

    ``current_version`` is the row's version now: a form re-shown with it saves over the other
    person's change only when the user, having read the message, saves again.
    """

    def __init__(self, messages: list[str], current_version: int) -> None:
        super().__init__(messages)
        self.current_version = current_version


def _last_entry_for(organization_id: int, plan_key: str, type_name: str, pk: int) -> AuditEvent | None:
    """The newest log entry that changed row ``type_name``/``pk`` (who saved it last, and when)."""
    wanted = {"type": type_name, "id": str(pk)}
    entries = AuditEvent.objects.filter(organization_id=organization_id, plan_key=plan_key).order_by("-seq")
    if connection.features.supports_json_field_contains:
        return entries.filter(changes__contains=[wanted]).first()
    for entry in entries.iterator(chunk_size=200):  # SQLite: no JSON containment, read newest first
        if any(c.get("type") == type_name and c.get("id") == wanted["id"] for c in entry.changes or []):
            return entry
    return None


def _when(value: Any) -> str:
    local = timezone.localtime(value)
    if (get_language() or "th").startswith("th"):
        return thai_date(local, with_time=True)
    return str(formats.date_format(local, "DATETIME_FORMAT"))


def _check_version(
    row: Plan | Part1Entry | PlanItem,
    expected: int | None,
    *,
    plan: Plan,
    type_name: str,
    current: list[str],
    differing: list[str],
) -> None:
    """Refuse the save when the form was loaded from an older version of ``row`` (call under its lock).

    ``current`` describes what is saved now (e.g. the other person's title); ``differing`` names the
    fields where what is saved now differs from what the user typed.
    """
    if expected is None or expected == row.version:
        return
    entry = _last_entry_for(plan.organization_id, plan.key, type_name, row.pk)
    if entry is not None:
        lines = [
            _("%(who)s บันทึกรายการนี้ก่อนคุณ เมื่อ %(when)s สิ่งที่คุณแก้ไขจึงยังไม่ได้บันทึก")
            % {"who": entry.actor_name or _("ผู้อื่น"), "when": _when(entry.at)}
        ]
    else:
        lines = [_("มีผู้อื่นบันทึกรายการนี้ก่อนคุณ สิ่งที่คุณแก้ไขจึงยังไม่ได้บันทึก")]
    lines += current
    if differing:
        lines.append(_("ช่องที่บันทึกไว้ต่างจากที่คุณกรอก: %(fields)s") % {"fields": ", ".join(differing)})
    lines.append(_("ข้อมูลที่คุณกรอกยังอยู่ในแบบฟอร์มด้านล่าง ตรวจดูแล้วกดบันทึกอีกครั้งถ้าต้องการบันทึกทับ"))
    raise StaleVersion(lines, row.version)


def _label(model: type[Plan | Part1Entry | PlanItem], name: str) -> str:
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Plans -----------------------------------------------------------------------------------------


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
    actor: Actor,
    organization: Organization,
    *,
    slug: str,
    title: str,
    first_year: int,
    last_year: int,
    template_key: str = "dla-2561-2564",
    digits: str = "thai",
) -> Plan:
    access = authorize(actor, organization, Permission.EDIT_PLAN)
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
    record(access, "plan.create", params={"title": title}, changes=content_changes(plan), plan_key=plan.key)
    return plan


@transaction.atomic
def update_plan_settings(
    actor: Actor, plan: Plan, *, title: str, digits: str, expected_version: int | None = None
) -> Plan:
    access = authorize(actor, plan.organization, Permission.EDIT_PLAN)
    plan = _lock(plan)
    _check_version(
        plan,
        expected_version,
        plan=plan,
        type_name="plan",
        current=[_("ชื่อแผนที่บันทึกไว้ตอนนี้: %(title)s") % {"title": _short(plan.title)}],
        differing=[
            _label(Plan, name)
            for name, value in (("title", title), ("digits", digits))
            if getattr(plan, name) != value
        ],
    )
    plan.title = title
    plan.digits = digits
    plan.full_clean()
    plan.save(update_fields=["title", "digits"])
    record(access, "plan.update", params={"title": title}, changes=[change(plan)], plan_key=plan.key)
    return plan


def _transition(
    access: Access,
    plan: Plan,
    *,
    source: PlanStatus,
    target: PlanStatus,
    stamp: dict[str, Any],
    event: str,
    refusal: str,
) -> Plan:
    """Move ``plan`` from status ``source`` to ``target`` under a row lock, setting ``stamp`` fields, audited."""
    plan = Plan.objects.select_for_update().select_related("organization").get(pk=plan.pk)
    if plan.status != source:
        raise ValidationError(refusal)
    plan.status = target
    for name, value in stamp.items():
        setattr(plan, name, value)
    plan.save(update_fields=["status", *stamp])
    record(access, event, params={"revision": plan.revision}, changes=[change(plan)], plan_key=plan.key)
    return plan


# Events that move a plan through its workflow rather than write its content: they do not make their
# actor the plan's last editor.
WORKFLOW_EVENTS = ("plan.submit", "plan.approve", "plan.return_to_draft", "plan.publish")


def last_editor(plan: Plan) -> User | None:
    """Who last wrote ``plan``'s content, as the change log says (None when that was the system). Report
    rounds share the plan's key in the log; their entries are not the plan's content."""
    return editors.last_editor(
        plan.organization, plan.key, exclude=WORKFLOW_EVENTS, exclude_prefixes=("report.",)
    )


@transaction.atomic
def submit_plan(actor: Actor, plan: Plan) -> Plan:
    """The draft goes to the executive for approval; nobody can change it until it is returned."""
    access = authorize(actor, plan.organization, Permission.EDIT_PLAN)
    submitted = _transition(
        access,
        plan,
        source=PlanStatus.DRAFT,
        target=PlanStatus.SUBMITTED,
        stamp={"submitted_by": access.user, "submitted_at": timezone.now()},
        event="plan.submit",
        refusal=_("เสนออนุมัติได้เฉพาะแผนฉบับร่าง"),
    )
    jobs.lay_out_ahead(submitted)  # after commit: the worker lays the document out before it is published
    return submitted


def _require_four_eyes(access: Access, plan: Plan) -> None:
    """The approver is not the one who wrote or submitted the plan, unless the office is one person."""
    editors.require_four_eyes(
        access,
        (plan.submitted_by, last_editor(plan)),
        _(
            "ผู้จัดทำหรือผู้แก้ไขแผนล่าสุดอนุมัติแผนเองไม่ได้ ต้องให้ผู้บริหารคนอื่นอนุมัติ "
            "(หากหน่วยงานมีเจ้าหน้าที่คนเดียว ผู้ดูแลระบบตั้งค่าให้ทำได้)"
        ),
    )


@transaction.atomic
def approve_plan(actor: Actor, plan: Plan) -> Plan:
    access = authorize(actor, plan.organization, Permission.APPROVE_PLAN)
    locked = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("organization", "submitted_by")
        .get(pk=plan.pk)
    )
    if locked.status == PlanStatus.SUBMITTED:
        _require_four_eyes(access, locked)
    approved = _transition(
        access,
        locked,
        source=PlanStatus.SUBMITTED,
        target=PlanStatus.APPROVED,
        stamp={"approved_by": access.user, "approved_at": timezone.now()},
        event="plan.approve",
        refusal=_("อนุมัติได้เฉพาะแผนที่เสนออนุมัติแล้ว"),
    )
    jobs.lay_out_ahead(approved)  # now with its approver, as it will be published
    return approved


@transaction.atomic
def return_to_draft(actor: Actor, plan: Plan) -> Plan:
    """A submitted or approved (not yet published) plan goes back to its writers as a draft."""
    access = authorize(actor, plan.organization, Permission.APPROVE_PLAN)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    source = PlanStatus.SUBMITTED if locked.status == PlanStatus.SUBMITTED else PlanStatus.APPROVED
    return _transition(
        access,
        locked,
        source=source,
        target=PlanStatus.DRAFT,
        stamp={"submitted_by": None, "submitted_at": None, "approved_by": None, "approved_at": None},
        event="plan.return_to_draft",
        refusal=_("ส่งกลับเป็นฉบับร่างได้เฉพาะแผนที่เสนออนุมัติหรืออนุมัติแล้วแต่ยังไม่ประกาศ"),
    )


def publish_plan(actor: Actor, plan: Plan) -> Plan:
    """Publish approved ``plan`` with its official PDF stored in the same transaction (see documents)."""
    from prongsai.documents.actions import publish_plan as publish_with_document

    return publish_with_document(actor, plan)


def may_delete(plan: Plan) -> bool:
    """A plan may be deleted while it is a first draft that no executive ever approved."""
    return (
        plan.status == PlanStatus.DRAFT
        and not Plan.objects.filter(organization=plan.organization, slug=plan.slug)
        .exclude(pk=plan.pk)
        .exists()
        and not AuditEvent.objects.filter(
            organization=plan.organization, plan_key=plan.key, event__in=("plan.approve", "plan.publish")
        ).exists()
    )


@transaction.atomic
def delete_plan(actor: Actor, plan: Plan) -> None:
    """Delete a draft that was never approved, with every row of it; the log keeps what it held."""
    access = authorize(actor, plan.organization, Permission.EDIT_PLAN)
    plan = _lock(plan)
    if not may_delete(plan):
        raise ValidationError(_("ลบได้เฉพาะแผนฉบับร่างที่ยังไม่เคยได้รับอนุมัติ แผนที่เคยอนุมัติแล้วต้องเก็บไว้เป็นหลักฐาน"))
    gone = [
        *(removal(item) for item in items_of(plan)),
        *(removal(entry) for entry in plan.part1_entries.all()),
        *(removal(mission) for mission in plan.missions.all()),
        *(removal(dimension) for dimension in plan.dimensions.all()),
        removal(plan),
    ]
    key, title = plan.key, plan.title
    plan.items.all().delete()  # items protect their missions: they go first
    plan.delete()
    record(access, "plan.delete", params={"title": title[:200]}, changes=gone, plan_key=key)


@transaction.atomic
def start_revision(actor: Actor, plan: Plan) -> Plan:
    """A new draft revision copied from ``plan``; earlier revisions stay as they were, readable."""
    access = authorize(actor, plan.organization, Permission.EDIT_PLAN)
    plan = Plan.objects.select_for_update().select_related("organization").get(pk=plan.pk)
    latest = Plan.objects.filter(organization=plan.organization, slug=plan.slug).aggregate(Max("revision"))
    if plan.revision != latest["revision__max"]:
        raise ValidationError(_("สร้างฉบับแก้ไขได้จากฉบับล่าสุดเท่านั้น"))
    if plan.status == PlanStatus.DRAFT:
        raise ValidationError(_("แผนนี้เป็นฉบับร่างอยู่แล้ว แก้ไขได้ทันที"))
    if plan.status == PlanStatus.SUBMITTED:
        raise ValidationError(_("แผนนี้รออนุมัติอยู่ ผู้บริหารส่งกลับเป็นฉบับร่างก่อนจึงจะแก้ไขได้"))
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
        access,
        "plan.start_revision",
        params={"revision": new.revision, "from_revision": plan.revision},
        changes=content_changes(new),
        plan_key=plan.key,
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
def add_part1_entry(actor: Actor, plan: Plan, section_key: str, text: str) -> Part1Entry:
    access = authorize(actor, plan.organization, Permission.EDIT_PLAN)
    plan = _lock(plan)
    section = part1.section(section_key)
    text = _clean_text(text)
    last = plan.part1_entries.filter(section=section.key).aggregate(Max("position"))["position__max"] or 0
    entry = Part1Entry.objects.create(plan=plan, section=section.key, position=last + 1, text=text)
    record(access, "part1.add", params={"section": section.key}, changes=[change(entry)], plan_key=plan.key)
    return entry


@transaction.atomic
def update_part1_entry(
    actor: Actor, entry: Part1Entry, text: str, expected_version: int | None = None
) -> Part1Entry:
    access = authorize(actor, entry.plan.organization, Permission.EDIT_PLAN)
    plan = _lock(entry.plan)
    entry = Part1Entry.objects.select_for_update().get(pk=entry.pk, plan=plan)
    text = _clean_text(text)
    _check_version(
        entry,
        expected_version,
        plan=plan,
        type_name="part1_entry",
        current=[_("ข้อความที่บันทึกไว้ตอนนี้: %(text)s") % {"text": _short(entry.text)}],
        differing=[],
    )
    entry.text = text
    entry.save(update_fields=["text"])
    record(
        access, "part1.update", params={"section": entry.section}, changes=[change(entry)], plan_key=plan.key
    )
    return entry


@transaction.atomic
def delete_part1_entry(actor: Actor, entry: Part1Entry) -> None:
    access = authorize(actor, entry.plan.organization, Permission.EDIT_PLAN)
    plan = _lock(entry.plan)
    entry = Part1Entry.objects.get(pk=entry.pk, plan=plan)
    gone = removal(entry)
    section = entry.section
    entry.delete()
    moved = _renumber(Part1Entry.objects.filter(plan=plan, section=section))
    record(access, "part1.delete", params={"section": section}, changes=[gone, *moved], plan_key=plan.key)


@transaction.atomic
def move_part1_entry(actor: Actor, entry: Part1Entry, offset: int) -> None:
    access = authorize(actor, entry.plan.organization, Permission.EDIT_PLAN)
    plan = _lock(entry.plan)
    siblings = list(Part1Entry.objects.filter(plan=plan, section=entry.section).order_by("position"))
    moved = _move_in(siblings, entry.pk, offset)
    record(access, "part1.move", params={"section": entry.section}, changes=moved, plan_key=plan.key)


def _renumber(queryset: Any) -> list[Change]:
    """Number the rows 1..n in their order; the changes of the rows that moved."""
    return _move_in(list(queryset.order_by("position")), None, 0)


def _move_in(rows: list[Any], pk: int | None, offset: int) -> list[Change]:
    """Move row ``pk`` by ``offset`` places within ``rows`` (ordered) and renumber 1..n.

    Positions are unique, so rows are first parked past the end and then given their places.
    """
    if pk is not None:
        index = next(i for i, row in enumerate(rows) if row.pk == pk)
        target = max(0, min(len(rows) - 1, index + offset))
        rows.insert(target, rows.pop(index))
    moving = [(row, position) for position, row in enumerate(rows, start=1) if row.position != position]
    if not moving:
        return []
    park = max([row.position for row in rows] + [len(rows)]) + 1
    for extra, (row, _position) in enumerate(moving):
        type(row).objects.filter(pk=row.pk).update(position=park + extra)
    for row, position in moving:
        row.position = position
        row.save(update_fields=["position"])
    return [change(row) for row, _position in moving]


# --- Items -----------------------------------------------------------------------------------------


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


def _item_differences(item: PlanItem, data: ItemData, mission: Mission | None) -> list[str]:
    """The names of the fields where ``item`` as saved differs from what the user typed in ``data``."""
    names: list[str] = []
    if mission is not None and mission.pk != item.mission_id:
        names.append(_("ภารกิจตามมิติ"))
    for name in ("kind", "title", "responsible_unit", "note", *ItemData.DETAIL_FIELDS):
        typed = getattr(data, name)
        if getattr(item, name) != (typed.strip() if isinstance(typed, str) else typed):
            names.append(_label(PlanItem, name))
    if {b.fiscal_year: b.amount for b in item.budgets.all()} != data.budgets:
        names.append(_("งบประมาณรายปี (บาท)"))
    saved = [(i.description, i.target_value, i.unit) for i in sorted(item.indicators.all(), key=_position)]
    typed_indicators = [(i.description.strip(), i.target_value, i.unit.strip()) for i in data.indicators]
    if saved != typed_indicators:
        names.append(_("ตัวชี้วัด/ผลลัพธ์"))
    return names


def _position(indicator: Indicator) -> int:
    return indicator.position


def _check_mission(plan: Plan, mission: Mission) -> None:
    if mission.plan_id != plan.pk:
        raise ValidationError({"mission": _("ภารกิจนี้ไม่อยู่ในแผนนี้")})


def _locked_item(item: PlanItem, plan: Plan) -> PlanItem:
    """The item read again under the plan's lock, with what its state needs, so nothing is read stale."""
    return (
        PlanItem.objects.select_for_update()
        .prefetch_related("budgets", "indicators")
        .get(pk=item.pk, plan=plan)
    )


@transaction.atomic
def add_item(actor: Actor, plan: Plan, mission: Mission, data: ItemData) -> PlanItem:
    access = authorize(actor, plan.organization, Permission.EDIT_PLAN)
    plan = _lock(plan)
    _check_mission(plan, mission)
    validate_item(plan, data)
    last = mission.items.aggregate(Max("position"))["position__max"] or 0
    item = PlanItem(plan=plan, mission=mission, position=last + 1)
    _write_item_fields(item, data)
    item.save()
    _write_item_children(item, data)
    record(access, "item.add", params={"title": item.title[:200]}, changes=[change(item)], plan_key=plan.key)
    return item


@transaction.atomic
def update_item(
    actor: Actor,
    item: PlanItem,
    data: ItemData,
    mission: Mission | None = None,
    expected_version: int | None = None,
) -> PlanItem:
    access = authorize(actor, item.plan.organization, Permission.EDIT_PLAN)
    plan = _lock(item.plan)
    item = _locked_item(item, plan)
    validate_item(plan, data)
    _check_version(
        item,
        expected_version,
        plan=plan,
        type_name="plan_item",
        current=[_("ชื่อที่บันทึกไว้ตอนนี้: %(title)s") % {"title": _short(item.title)}],
        differing=_item_differences(item, data, mission),
    )
    moved: list[Change] = []
    if mission is not None and mission.pk != item.mission_id:
        _check_mission(plan, mission)
        old_mission_id = item.mission_id
        item.mission = mission
        item.position = (mission.items.aggregate(Max("position"))["position__max"] or 0) + 1
        _write_item_fields(item, data)
        item.save()
        moved = _renumber(PlanItem.objects.filter(mission_id=old_mission_id))
    else:
        _write_item_fields(item, data)
        item.save()
    _write_item_children(item, data)
    item = _locked_item(item, plan)
    record(
        access,
        "item.update",
        params={"title": item.title[:200]},
        changes=[change(item), *moved],
        plan_key=plan.key,
    )
    return item


@transaction.atomic
def delete_item(actor: Actor, item: PlanItem) -> None:
    access = authorize(actor, item.plan.organization, Permission.EDIT_PLAN)
    plan = _lock(item.plan)
    item = _locked_item(item, plan)
    gone = removal(item)
    title = item.title
    mission_id = item.mission_id
    item.delete()
    moved = _renumber(PlanItem.objects.filter(mission_id=mission_id))
    record(access, "item.delete", params={"title": title[:200]}, changes=[gone, *moved], plan_key=plan.key)


@transaction.atomic
def move_item(actor: Actor, item: PlanItem, offset: int) -> None:
    access = authorize(actor, item.plan.organization, Permission.EDIT_PLAN)
    plan = _lock(item.plan)
    item = _locked_item(item, plan)
    siblings = list(PlanItem.objects.filter(mission=item.mission_id).order_by("position"))
    moved = _move_in(siblings, item.pk, offset)
    record(access, "item.move", params={"title": item.title[:200]}, changes=moved, plan_key=plan.key)
