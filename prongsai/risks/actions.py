"""Every write to a risk register goes through one function here: authorize, one transaction, one audit entry.

Views, the command line, the spreadsheet import, the demo and the tests all call these. Each raises
``django.core.exceptions.ValidationError`` keyed by field name on bad input and leaves nothing saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.audit import editors
from prongsai.audit.log import record
from prongsai.audit.state import change, removal
from prongsai.lib import evidence
from prongsai.organizations.access import Access, Actor, Permission, authorize
from prongsai.organizations.models import Organization
from prongsai.plans.models import FISCAL_YEAR_VALIDATORS, PlanItem
from prongsai.plans.published import current_revision
from prongsai.risks.method import DEFAULT_METHOD, SCALE, Method, MethodError, method
from prongsai.risks.models import (
    Measure,
    MeasureReport,
    MeasureStatus,
    MonitoringEvidence,
    MonitoringRound,
    RegisterStatus,
    Risk,
    RiskRegister,
    RiskReview,
    RoundMonths,
)

MAX_ROWS = 500  # risks in one register: far above any real register, low enough to keep pages light
LIMITS = {
    "process": 500,
    "event": 2000,
    "cause": 2000,
    "existing_controls": 2000,
    "owner_unit": 300,
    "owner_person": 300,
    "indicator": 1000,
    "target": 300,
    "ita_indicator": 40,
    "title": 1000,
    "owner": 300,
    "what_done": 2000,
}


RISK_TEXTS = (
    "process",
    "event",
    "cause",
    "existing_controls",
    "owner_unit",
    "owner_person",
    "indicator",
    "target",
    "ita_indicator",
)


@dataclass
class RiskData:
    """One risk as an officer writes it; checked by ``validate_risk``. Score and level are not here."""

    process: str = ""
    event: str = ""
    cause: str = ""
    area: str = ""
    existing_controls: str = ""
    likelihood: int | None = None
    impact: int | None = None
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    owner_unit: str = ""
    owner_person: str = ""
    indicator: str = ""
    target: str = ""
    due_date: dt.date | None = None
    ita_indicator: str = ""

    @classmethod
    def of(cls, risk: Risk) -> RiskData:
        return cls(**{f.name: getattr(risk, f.name) for f in fields(cls)})


@dataclass
class MeasureData:
    """A plan item by (plan slug, item uid), or a standalone measure with its title, owner and dates."""

    plan_slug: str = ""
    item_uid: UUID | None = None
    title: str = ""
    owner: str = ""
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    done: bool = False

    @classmethod
    def of(cls, measure: Measure) -> MeasureData:
        return cls(**{f.name: getattr(measure, f.name) for f in fields(cls)})


def _errors() -> tuple[dict[str, list[str]], Any]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    return errors, add


def _has_control_characters(value: str) -> bool:
    return any(ord(c) < 32 and c not in "\n\t" for c in value)


def _check_texts(data: Any, names: Sequence[str], add: Any) -> None:
    for name in names:
        value = getattr(data, name)
        if len(value) > LIMITS[name]:
            add(name, _("ยาวเกิน %(limit)s ตัวอักษร") % {"limit": LIMITS[name]})
        elif _has_control_characters(value):
            add(name, _("มีอักขระควบคุมที่ใช้ไม่ได้"))


def validate_risk(data: RiskData, risk_method: Method) -> None:
    """Refuse a risk that is incomplete or off the scale, naming each field."""
    errors, add = _errors()
    if not data.process.strip():
        add("process", _("กรุณาระบุกระบวนงานหรืองานบริการ"))
    if not data.event.strip():
        add("event", _("กรุณาระบุเหตุการณ์ความเสี่ยง"))
    if not data.area:
        add("area", _("กรุณาเลือกด้านความเสี่ยง"))
    elif risk_method.area(data.area) is None:
        add("area", _("ด้านความเสี่ยงต้องเป็นหนึ่งในรายการที่กำหนด"))
    for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
        value = getattr(data, name)
        if value is None:
            add(name, _("กรุณาระบุค่า ๑ ถึง ๕"))
        elif isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            add(name, _("ต้องเป็นจำนวนเต็ม ๑ ถึง ๕"))
    _check_texts(data, RISK_TEXTS, add)
    if errors:
        raise ValidationError(errors)


def linked_item(organization: Organization, plan_slug: str, item_uid: UUID) -> PlanItem | None:
    """The item ``item_uid`` in the current published revision of ``plan_slug``, with its budgets."""
    plan = current_revision(organization, plan_slug)
    if plan is None:
        return None
    return PlanItem.objects.filter(plan=plan, uid=item_uid).prefetch_related("budgets").first()


def item_budget(item: PlanItem, fiscal_year: int) -> Decimal | None:
    """The item's budget in ``fiscal_year`` (None: no budget that year), from prefetched budgets."""
    return next((b.amount for b in item.budgets.all() if b.fiscal_year == fiscal_year), None)


def validate_measure(organization: Organization, data: MeasureData) -> PlanItem | None:
    """Refuse half a link, a link to an item not in the published plan, or a standalone measure without
    a title or owner; return the linked item."""
    errors, add = _errors()
    item = None
    if data.plan_slug or data.item_uid is not None:
        if not data.plan_slug:
            add("plan_slug", _("กรุณาเลือกแผน"))
        elif data.item_uid is None:
            add("item_uid", _("กรุณาเลือกรายการในแผน"))
        else:
            item = linked_item(organization, data.plan_slug, data.item_uid)
            if item is None:
                add("item_uid", _("ไม่พบรายการนี้ในแผนที่ประกาศแล้ว"))
    else:
        if not data.title.strip():
            add("title", _("กรุณาระบุชื่อมาตรการ"))
        if not data.owner.strip():
            add("owner", _("กรุณาระบุผู้รับผิดชอบมาตรการ"))
    if data.start_date and data.due_date and data.due_date < data.start_date:
        add("due_date", _("กำหนดแล้วเสร็จต้องไม่ก่อนวันเริ่ม"))
    _check_texts(data, ("title", "owner"), add)
    if errors:
        raise ValidationError(errors)
    return item


def register_params(register: RiskRegister) -> dict[str, Any]:
    return {"year": register.fiscal_year, "revision": register.revision}


def _plan_key(register: RiskRegister) -> str:
    return f"{register.organization.slug}/{register.key}"


def _lock(register: RiskRegister) -> RiskRegister:
    return RiskRegister.objects.select_for_update().select_related("organization").get(pk=register.pk)


def _require_draft(register: RiskRegister) -> None:
    if register.status == RegisterStatus.PUBLISHED:
        raise ValidationError(_("ทะเบียนฉบับนี้ประกาศแล้ว จึงแก้ไขไม่ได้ ให้ปรับปรุงทะเบียนเป็นฉบับใหม่"))
    if not register.is_editable:
        raise ValidationError(_("ทะเบียนความเสี่ยงนี้อนุมัติหรือประกาศแล้ว จึงแก้ไขไม่ได้ ให้ผู้อนุมัติส่งกลับเป็นฉบับร่างก่อน"))


class StaleEdit(ValidationError):
    """Someone saved the row after the form was loaded; nothing was written."""

    def __init__(self, current_version: int) -> None:
        super().__init__(_("มีผู้อื่นบันทึกก่อนคุณ สิ่งที่คุณแก้ไขจึงยังไม่ได้บันทึก ตรวจดูแล้วกดบันทึกอีกครั้ง"))
        self.current_version = current_version


def _check_version(row: Risk | Measure, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != row.version:
        raise StaleEdit(row.version)


@transaction.atomic
def create_register(
    actor: Actor,
    organization: Organization,
    fiscal_year: int,
    *,
    illustrative: bool = False,
    method_key: str = DEFAULT_METHOD,
) -> RiskRegister:
    access = authorize(actor, organization, Permission.RISK_EDIT)
    low, high = (v.limit_value for v in FISCAL_YEAR_VALIDATORS)
    if not low <= fiscal_year <= high:
        raise ValidationError({"fiscal_year": [_("ปีงบประมาณต้องเป็นปี พ.ศ. (เช่น ๒๕๖๒)")]})
    try:
        method(method_key)
    except MethodError:
        raise ValidationError({"method_key": [_("ไม่พบวิธีประเมินนี้")]}) from None
    try:
        with transaction.atomic():
            register = RiskRegister.objects.create(
                organization=organization,
                fiscal_year=fiscal_year,
                method_key=method_key,
                is_illustrative=illustrative,
            )
    except IntegrityError:
        raise ValidationError({"fiscal_year": [_("มีทะเบียนความเสี่ยงของปีนี้แล้ว")]}) from None
    record(
        access,
        "risk.register.create",
        params=register_params(register),
        changes=[change(register)],
        plan_key=_plan_key(register),
    )
    return register


def _write_risk(risk: Risk, data: RiskData) -> None:
    for f in fields(RiskData):
        value = getattr(data, f.name)
        setattr(risk, f.name, value.strip() if isinstance(value, str) else value)


def _risk_params(register: RiskRegister, risk: Risk) -> dict[str, Any]:
    return {**register_params(register), "event": risk.event[:200]}


@transaction.atomic
def add_risk(actor: Actor, register: RiskRegister, data: RiskData) -> Risk:
    access = authorize(actor, register.organization, Permission.RISK_EDIT)
    register = _lock(register)
    _require_draft(register)
    validate_risk(data, register.method)
    if register.risks.count() >= MAX_ROWS:
        raise ValidationError(_("ทะเบียนหนึ่งปีมีความเสี่ยงได้ไม่เกิน %(limit)s รายการ") % {"limit": MAX_ROWS})
    last = register.risks.order_by("-position").values_list("position", flat=True).first() or 0
    risk = Risk(register=register, position=last + 1)
    _write_risk(risk, data)
    risk.save()
    record(
        access,
        "risk.add",
        params=_risk_params(register, risk),
        changes=[change(risk)],
        plan_key=_plan_key(register),
    )
    return risk


def _lock_risk(risk: Risk) -> tuple[RiskRegister, Risk]:
    register = _lock(risk.register)
    locked = Risk.objects.select_for_update().get(pk=risk.pk, register=register)
    locked.register = register
    return register, locked


@transaction.atomic
def update_risk(actor: Actor, risk: Risk, data: RiskData, expected_version: int | None = None) -> Risk:
    access = authorize(actor, risk.register.organization, Permission.RISK_EDIT)
    register, risk = _lock_risk(risk)
    _require_draft(register)
    validate_risk(data, register.method)
    _check_version(risk, expected_version)
    _write_risk(risk, data)
    risk.save()
    record(
        access,
        "risk.update",
        params=_risk_params(register, risk),
        changes=[change(risk)],
        plan_key=_plan_key(register),
    )
    return risk


MAX_CITED = 100  # complaints one risk cites: a register cites themes, not every case of a year
REFERENCE_LENGTH = 8


@transaction.atomic
def cite_complaints(
    actor: Actor, risk: Risk, references: Sequence[str], expected_version: int | None = None
) -> Risk:
    """Set the complaints ``risk``'s assessment rests on, by their officer references: each must name a
    complaint of the organisation. Only the references and their number are recorded, no content."""
    from prongsai.complaints.statistics import known_references

    access = authorize(actor, risk.register.organization, Permission.RISK_EDIT)
    register, risk = _lock_risk(risk)
    _require_draft(register)
    _check_version(risk, expected_version)
    wanted = sorted({str(r).strip().upper() for r in references if str(r).strip()})
    if len(wanted) > MAX_CITED:
        raise ValidationError(
            {"complaint_refs": _("อ้างอิงเรื่องร้องเรียนได้ไม่เกิน %(limit)s เรื่อง") % {"limit": MAX_CITED}}
        )
    malformed = [
        r for r in wanted if len(r) != REFERENCE_LENGTH or any(c not in "0123456789ABCDEF" for c in r)
    ]
    unknown = sorted(set(wanted) - set(malformed) - known_references(register.organization, wanted))
    if malformed or unknown:
        raise ValidationError(
            {
                "complaint_refs": _("ไม่พบเรื่องร้องเรียนเลขที่ %(refs)s ขององค์กรนี้")
                % {"refs": ", ".join(malformed + unknown)}
            }
        )
    if wanted == list(risk.complaint_refs):
        return risk
    risk.complaint_refs = wanted
    risk.save()
    record(
        access,
        "risk.cite_complaints",
        params={**_risk_params(register, risk), "count": len(wanted)},
        changes=[change(risk)],
        plan_key=_plan_key(register),
    )
    return risk


@transaction.atomic
def remove_risk(actor: Actor, risk: Risk) -> None:
    access = authorize(actor, risk.register.organization, Permission.RISK_EDIT)
    register, risk = _lock_risk(risk)
    _require_draft(register)
    gone = [removal(m) for m in risk.measures.all()] + [removal(risk)]
    params = _risk_params(register, risk)
    risk.delete()
    record(access, "risk.remove", params=params, changes=gone, plan_key=_plan_key(register))


def _write_measure(measure: Measure, data: MeasureData, item: PlanItem | None) -> None:
    measure.plan_slug = data.plan_slug if item is not None else ""
    measure.item_uid = data.item_uid if item is not None else None
    # A linked measure is named after its item, so the register reads the same as the plan.
    measure.title = item.title[: LIMITS["title"]] if item is not None else data.title.strip()
    measure.owner = data.owner.strip()
    measure.start_date = data.start_date
    measure.due_date = data.due_date
    measure.done = data.done


def _measure_params(risk: Risk, measure: Measure) -> dict[str, Any]:
    return {**register_params(risk.register), "title": measure.title[:200], "event": risk.event[:200]}


@transaction.atomic
def add_measure(actor: Actor, risk: Risk, data: MeasureData) -> Measure:
    access = authorize(actor, risk.register.organization, Permission.RISK_EDIT)
    register, risk = _lock_risk(risk)
    _require_draft(register)
    item = validate_measure(register.organization, data)
    last = risk.measures.order_by("-position").values_list("position", flat=True).first() or 0
    measure = Measure(risk=risk, position=last + 1)
    _write_measure(measure, data, item)
    measure.save()
    record(
        access,
        "risk.measure.add",
        params=_measure_params(risk, measure),
        changes=[change(measure)],
        plan_key=_plan_key(register),
    )
    return measure


def _lock_measure(measure: Measure) -> tuple[RiskRegister, Risk, Measure]:
    register, risk = _lock_risk(measure.risk)
    locked = Measure.objects.select_for_update().get(pk=measure.pk, risk=risk)
    locked.risk = risk
    return register, risk, locked


@transaction.atomic
def update_measure(
    actor: Actor, measure: Measure, data: MeasureData, expected_version: int | None = None
) -> Measure:
    access = authorize(actor, measure.risk.register.organization, Permission.RISK_EDIT)
    register, risk, measure = _lock_measure(measure)
    _require_draft(register)
    item = validate_measure(register.organization, data)
    _check_version(measure, expected_version)
    _write_measure(measure, data, item)
    measure.save()
    record(
        access,
        "risk.measure.update",
        params=_measure_params(risk, measure),
        changes=[change(measure)],
        plan_key=_plan_key(register),
    )
    return measure


@transaction.atomic
def remove_measure(actor: Actor, measure: Measure) -> None:
    access = authorize(actor, measure.risk.register.organization, Permission.RISK_EDIT)
    register, risk, measure = _lock_measure(measure)
    _require_draft(register)
    gone = [removal(measure)]
    params = _measure_params(risk, measure)
    measure.delete()
    record(access, "risk.measure.remove", params=params, changes=gone, plan_key=_plan_key(register))


def _transition(access: Access, register: RiskRegister, event: str, values: dict[str, Any]) -> RiskRegister:
    for name, value in values.items():
        setattr(register, name, value)
    register.save(update_fields=list(values))
    record(
        access,
        event,
        params=register_params(register),
        changes=[change(register)],
        plan_key=_plan_key(register),
    )
    return register


# The entries that write a register's content (not its workflow, its monitoring rounds or their evidence).
REGISTER_CONTENT_EVENTS = ("risk.add", "risk.update", "risk.remove", "risk.cite_complaints", "risk.measure.")
REGISTER_CONTENT_EXACT = ("risk.register.create", "risk.register.revise", "risk.register.import")


def register_last_editor(register: RiskRegister) -> Any:
    """Who last wrote this revision of the register, as the change log says."""
    return editors.last_editor(
        register.organization,
        _plan_key(register),
        prefixes=REGISTER_CONTENT_EVENTS + REGISTER_CONTENT_EXACT,
        params={"revision": register.revision},
    )


@transaction.atomic
def approve_register(actor: Actor, register: RiskRegister) -> RiskRegister:
    access = authorize(actor, register.organization, Permission.RISK_APPROVE)
    register = _lock(register)
    if register.status != RegisterStatus.DRAFT:
        raise ValidationError(_("อนุมัติได้เฉพาะทะเบียนที่เป็นฉบับร่าง"))
    if not register.risks.exists():
        raise ValidationError(_("ทะเบียนยังไม่มีความเสี่ยง จึงยังอนุมัติไม่ได้"))
    editors.require_four_eyes(
        access,
        [register_last_editor(register)],
        _(
            "ผู้แก้ไขทะเบียนความเสี่ยงล่าสุดอนุมัติทะเบียนเองไม่ได้ ต้องให้ผู้บริหารคนอื่นอนุมัติ "
            "(หากหน่วยงานมีเจ้าหน้าที่คนเดียว ผู้ดูแลระบบตั้งค่าให้ทำได้)"
        ),
    )
    return _transition(
        access,
        register,
        "risk.register.approve",
        {"status": RegisterStatus.APPROVED, "approved_by": access.user, "approved_at": timezone.now()},
    )


@transaction.atomic
def return_register(actor: Actor, register: RiskRegister) -> RiskRegister:
    access = authorize(actor, register.organization, Permission.RISK_APPROVE)
    register = _lock(register)
    if register.status != RegisterStatus.APPROVED:
        raise ValidationError(_("ส่งกลับได้เฉพาะทะเบียนที่อนุมัติแล้วแต่ยังไม่ประกาศ"))
    return _transition(
        access,
        register,
        "risk.register.return",
        {"status": RegisterStatus.DRAFT, "approved_by": None, "approved_at": None},
    )


@transaction.atomic
def publish_register(actor: Actor, register: RiskRegister) -> RiskRegister:
    access = authorize(actor, register.organization, Permission.RISK_APPROVE)
    register = _lock(register)
    if register.status != RegisterStatus.APPROVED:
        raise ValidationError(_("ประกาศได้เฉพาะทะเบียนที่อนุมัติแล้ว"))
    return _transition(
        access,
        register,
        "risk.register.publish",
        {"status": RegisterStatus.PUBLISHED, "published_by": access.user, "published_at": timezone.now()},
    )


def latest_revision(organization: Organization, fiscal_year: int) -> RiskRegister | None:
    """The newest revision of the year's register, in any state (what the officer works on)."""
    return (
        RiskRegister.objects.filter(organization=organization, fiscal_year=fiscal_year)
        .select_related("organization", "approved_by", "published_by")
        .order_by("-revision")
        .first()
    )


def latest_published(organization: Organization, fiscal_year: int) -> RiskRegister | None:
    """The newest published revision of the year: the public register, and the one rounds open on."""
    return (
        RiskRegister.objects.filter(
            organization=organization, fiscal_year=fiscal_year, status=RegisterStatus.PUBLISHED
        )
        .select_related("organization")
        .order_by("-revision")
        .first()
    )


@transaction.atomic
def revise_register(actor: Actor, register: RiskRegister) -> RiskRegister:
    """Open the next revision of the year as a draft: a copy of its latest published revision, risks and
    measures (plan-item links kept), each copy pointing at its ``source``. The published revision stays
    public and unchanged until the new one is published. One audit entry."""
    access = authorize(actor, register.organization, Permission.RISK_EDIT)
    organization = register.organization
    year = RiskRegister.objects.select_for_update().filter(
        organization=organization, fiscal_year=register.fiscal_year
    )
    revisions = sorted(year, key=lambda r: r.revision)  # every revision of the year, locked
    pending = next((r for r in revisions if r.status != RegisterStatus.PUBLISHED), None)
    if pending is not None:
        raise ValidationError(
            _("ทะเบียนปีนี้มีฉบับที่ %(revision)s ที่ยังไม่ประกาศอยู่แล้ว แก้ไขในฉบับนั้น") % {"revision": pending.revision}
        )
    if not revisions:
        raise ValidationError(_("ไม่พบทะเบียนความเสี่ยงนี้"))
    source = revisions[-1]
    source.organization = organization
    try:
        with transaction.atomic():
            new = RiskRegister.objects.create(
                organization=organization,
                fiscal_year=source.fiscal_year,
                revision=source.revision + 1,
                method_key=source.method_key,
                is_illustrative=source.is_illustrative,
            )
    except IntegrityError:  # another revise of the same year committed first
        raise ValidationError(_("มีผู้ปรับปรุงทะเบียนปีนี้ไปแล้ว โปรดโหลดหน้าใหม่")) from None
    copied: list[Any] = [new]
    for risk in source.risks.prefetch_related("measures"):
        copy = Risk(
            register=new, source=risk, position=risk.position, complaint_refs=list(risk.complaint_refs)
        )
        _write_risk(copy, RiskData.of(risk))
        copy.save()
        copied.append(copy)
        for measure in risk.measures.all():
            twin = Measure(risk=copy, source=measure, position=measure.position)
            for f in fields(MeasureData):
                setattr(twin, f.name, getattr(measure, f.name))
            twin.save()
            copied.append(twin)
    record(
        access,
        "risk.register.revise",
        params={**register_params(new), "from_revision": source.revision},
        changes=[change(row) for row in copied],
        plan_key=_plan_key(new),
    )
    return new


@transaction.atomic
def import_into_year(
    actor: Actor, register: RiskRegister, rows: Sequence[tuple[Risk | None, RiskData]], file_name: str = ""
) -> tuple[RiskRegister, int]:
    """Import into the year's draft; when its latest revision is published (and none is in preparation)
    and the file changes something, open the next revision from it first — one transaction, so a refused
    file leaves no revision behind. Returns the revision written and the rows written."""
    authorize(actor, register.organization, Permission.RISK_EDIT)
    latest = latest_revision(register.organization, register.fiscal_year)
    if latest is None:
        raise ValidationError(_("ไม่พบทะเบียนความเสี่ยงนี้"))
    if latest.status == RegisterStatus.PUBLISHED:
        if not any(risk is None or RiskData.of(risk) != data for risk, data in rows):
            return latest, 0  # nothing to change: no revision is opened for nothing
        latest = revise_register(actor, latest)
    return latest, import_risks(actor, latest, rows, file_name)


@transaction.atomic
def import_risks(
    actor: Actor, register: RiskRegister, rows: Sequence[tuple[Risk | None, RiskData]], file_name: str = ""
) -> int:
    """Write what an imported file says, all or nothing, in one audit entry; returns the rows written.

    A row with a risk updates it, a row without adds one; risks the file leaves out are kept (removing
    is done on the register page, one risk at a time)."""
    access = authorize(actor, register.organization, Permission.RISK_EDIT)
    register = _lock(register)
    _require_draft(register)
    risk_method = register.method
    for _risk, data in rows:
        validate_risk(data, risk_method)
    existing = {r.pk: r for r in Risk.objects.select_for_update().filter(register=register)}
    # A file exported from the published revision this one copies names its risks: find their copies.
    copies = {r.source_id: r for r in existing.values() if r.source_id is not None}
    if len(existing) + sum(r is None for r, _d in rows) > MAX_ROWS:
        raise ValidationError(_("ทะเบียนหนึ่งปีมีความเสี่ยงได้ไม่เกิน %(limit)s รายการ") % {"limit": MAX_ROWS})
    last = max((r.position for r in existing.values()), default=0)
    written: list[Risk] = []
    for given, data in rows:
        if given is not None:
            risk = existing.get(given.pk) or copies.get(given.pk)
            if risk is None:
                raise ValidationError(_("ความเสี่ยงในไฟล์ไม่อยู่ในทะเบียนนี้แล้ว ส่งออกไฟล์ใหม่แล้วลองอีกครั้ง"))
            if RiskData.of(risk) == data:
                continue
        else:
            last += 1
            risk = Risk(register=register, position=last)
        _write_risk(risk, data)
        risk.save()
        written.append(risk)
    if written:
        record(
            access,
            "risk.register.import",
            params={**register_params(register), "count": len(written), "file": file_name[:200]},
            changes=[change(r) for r in written],
            plan_key=_plan_key(register),
        )
    return len(written)


# --- Monitoring rounds -----------------------------------------------------------------------------


def round_params(report_round: MonitoringRound) -> dict[str, Any]:
    register = report_round.register
    return {"year": register.fiscal_year, "revision": register.revision, "months": report_round.months}


def _lock_round(report_round: MonitoringRound) -> MonitoringRound:
    locked = (
        MonitoringRound.objects.select_for_update()
        .select_related("register__organization")
        .get(pk=report_round.pk)
    )
    return locked


def _require_round_draft(report_round: MonitoringRound) -> None:
    if not report_round.is_editable:
        raise ValidationError(_("ผลการติดตามรอบนี้อนุมัติหรือประกาศแล้ว จึงแก้ไขไม่ได้ ให้ผู้อนุมัติส่งกลับเป็นฉบับร่างก่อน"))


@transaction.atomic
def open_round(actor: Actor, register: RiskRegister, months: int) -> MonitoringRound:
    """Open the 6- or 12-month monitoring of a published register: an empty report per measure and an
    empty re-assessment per risk (the register cannot change after publication, so the rows stay whole)."""
    access = authorize(actor, register.organization, Permission.RISK_EDIT)
    register = _lock(register)
    if months not in RoundMonths.values:
        raise ValidationError({"months": [_("รอบการติดตามต้องเป็น ๖ หรือ ๑๒ เดือน")]})
    if register.status != RegisterStatus.PUBLISHED:
        raise ValidationError(_("ติดตามผลได้เมื่อประกาศทะเบียนความเสี่ยงแล้ว"))
    year = RiskRegister.objects.filter(organization=register.organization, fiscal_year=register.fiscal_year)
    if year.filter(status=RegisterStatus.PUBLISHED, revision__gt=register.revision).exists():
        raise ValidationError(_("เปิดการติดตามได้กับทะเบียนฉบับล่าสุดที่ประกาศแล้วเท่านั้น"))
    if MonitoringRound.objects.filter(register__in=year, months=months).exists():
        raise ValidationError({"months": [_("เปิดการติดตามรอบนี้แล้ว")]})
    report_round = MonitoringRound.objects.create(register=register, months=months)
    report_round.register = register
    risks = list(register.risks.prefetch_related("measures"))
    reviews = [RiskReview.objects.create(round=report_round, risk=risk) for risk in risks]
    reports = [
        MeasureReport.objects.create(round=report_round, measure=measure)
        for risk in risks
        for measure in risk.measures.all()
    ]
    record(
        access,
        "risk.round.open",
        params=round_params(report_round),
        changes=[change(report_round), *(change(r) for r in reviews), *(change(r) for r in reports)],
        plan_key=_plan_key(register),
    )
    return report_round


@dataclass
class MeasureReportData:
    status: str = ""
    what_done: str = ""


def validate_monitoring(review: tuple[int | None, int | None], reports: dict[int, MeasureReportData]) -> None:
    """Both parts of a re-assessment or neither, each 1–5; a known status; what was done when done."""
    errors, add = _errors()
    likelihood, impact = review
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if value is not None and (isinstance(value, bool) or value not in SCALE):
            add(name, _("ต้องเป็นจำนวนเต็ม ๑ ถึง ๕"))
    if (likelihood is None) != (impact is None):
        add("impact" if impact is None else "likelihood", _("ประเมินซ้ำต้องระบุทั้งโอกาสและผลกระทบ"))
    for pk, data in reports.items():
        prefix = f"m{pk}-"
        if data.status and data.status not in MeasureStatus.values:
            add(prefix + "status", _("เลือกผลการดำเนินการจากรายการ"))
        if data.status == MeasureStatus.DONE and not data.what_done.strip():
            add(prefix + "what_done", _("กรุณาระบุสิ่งที่ดำเนินการ"))
        if len(data.what_done) > LIMITS["what_done"]:
            add(prefix + "what_done", _("ยาวเกิน %(limit)s ตัวอักษร") % {"limit": LIMITS["what_done"]})
        elif _has_control_characters(data.what_done):
            add(prefix + "what_done", _("มีอักขระควบคุมที่ใช้ไม่ได้"))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_monitoring(
    actor: Actor,
    review: RiskReview,
    likelihood: int | None,
    impact: int | None,
    reports: dict[int, MeasureReportData],
    versions: dict[str, int] | None = None,
) -> RiskReview:
    """One risk in one round: its re-assessment and the report of each of its measures, in one entry.

    ``reports`` is keyed by MeasureReport id; ``versions`` by "review" and "m<id>" (stale forms refused)."""
    report_round = review.round
    access = authorize(actor, report_round.register.organization, Permission.RISK_EDIT)
    report_round = _lock_round(report_round)
    _require_round_draft(report_round)
    review = (
        RiskReview.objects.select_for_update().select_related("risk").get(pk=review.pk, round=report_round)
    )
    review.round = report_round
    validate_monitoring((likelihood, impact), reports)
    rows = {
        r.pk: r
        for r in MeasureReport.objects.select_for_update()
        .select_related("measure")
        .filter(round=report_round, measure__risk=review.risk)
    }
    if set(reports) - set(rows):
        raise ValidationError(_("มาตรการในแบบฟอร์มไม่อยู่ในการติดตามรอบนี้"))
    versions = versions or {}
    stale = [
        row.version
        for key, row in [("review", review), *((f"m{pk}", rows[pk]) for pk in reports)]
        if key in versions and versions[key] != row.version
    ]
    if stale:
        raise StaleEdit(review.version)
    changed: list[Any] = []
    if (review.likelihood, review.impact) != (likelihood, impact):
        review.likelihood, review.impact = likelihood, impact
        review.save()
        changed.append(review)
    for pk, data in reports.items():
        row = rows[pk]
        values = (data.status, data.what_done.strip())
        if (row.status, row.what_done) != values:
            row.status, row.what_done = values
            row.save()
            changed.append(row)
    if changed:
        record(
            access,
            "risk.round.save",
            params={**round_params(report_round), "event": review.risk.event[:200]},
            changes=[change(row) for row in changed],
            plan_key=_plan_key(report_round.register),
        )
    return review


def _round_transition(
    access: Access, report_round: MonitoringRound, event: str, values: dict[str, Any]
) -> MonitoringRound:
    for name, value in values.items():
        setattr(report_round, name, value)
    report_round.save(update_fields=list(values))
    record(
        access,
        event,
        params=round_params(report_round),
        changes=[change(report_round)],
        plan_key=_plan_key(report_round.register),
    )
    return report_round


@transaction.atomic
def approve_round(actor: Actor, report_round: MonitoringRound) -> MonitoringRound:
    access = authorize(actor, report_round.register.organization, Permission.RISK_APPROVE)
    report_round = _lock_round(report_round)
    if report_round.status != RegisterStatus.DRAFT:
        raise ValidationError(_("อนุมัติได้เฉพาะผลการติดตามที่เป็นฉบับร่าง"))
    waiting = report_round.reports.filter(status="").count()
    if waiting:
        raise ValidationError(_("ยังมีมาตรการที่ไม่ได้รายงานผล %(count)s รายการ จึงยังอนุมัติไม่ได้") % {"count": waiting})
    return _round_transition(
        access,
        report_round,
        "risk.round.approve",
        {"status": RegisterStatus.APPROVED, "approved_by": access.user, "approved_at": timezone.now()},
    )


@transaction.atomic
def return_round(actor: Actor, report_round: MonitoringRound) -> MonitoringRound:
    access = authorize(actor, report_round.register.organization, Permission.RISK_APPROVE)
    report_round = _lock_round(report_round)
    if report_round.status != RegisterStatus.APPROVED:
        raise ValidationError(_("ส่งกลับได้เฉพาะผลการติดตามที่อนุมัติแล้วแต่ยังไม่ประกาศ"))
    return _round_transition(
        access,
        report_round,
        "risk.round.return",
        {"status": RegisterStatus.DRAFT, "approved_by": None, "approved_at": None},
    )


@transaction.atomic
def publish_round(actor: Actor, report_round: MonitoringRound) -> MonitoringRound:
    access = authorize(actor, report_round.register.organization, Permission.RISK_APPROVE)
    report_round = _lock_round(report_round)
    if report_round.status != RegisterStatus.APPROVED:
        raise ValidationError(_("ประกาศได้เฉพาะผลการติดตามที่อนุมัติแล้ว"))
    return _round_transition(
        access,
        report_round,
        "risk.round.publish",
        {"status": RegisterStatus.PUBLISHED, "published_by": access.user, "published_at": timezone.now()},
    )


def add_evidence(
    actor: Actor, report: MeasureReport, name: str, data: bytes, *, public: bool = False
) -> MonitoringEvidence:
    """Attach a file (type read from its content, photos without metadata); its SHA-256 goes in the log.

    The bytes are written to storage first; if the transaction then fails, they are deleted again."""
    access = authorize(actor, report.round.register.organization, Permission.RISK_EDIT)
    upload = evidence.clean(data)  # before any write: a refused file costs nothing
    with evidence.removed_if_failed() as saved, transaction.atomic():
        report_round = _lock_round(report.round)
        _require_round_draft(report_round)
        report = MeasureReport.objects.select_related("measure").get(pk=report.pk, round=report_round)
        report.round = report_round
        stored = MonitoringEvidence(report=report, is_public=public)
        saved.append(stored)
        evidence.save(stored, upload, name, access.user)
        record(
            access,
            "risk.evidence.add",
            params={
                **round_params(report_round),
                "name": stored.original_name,
                "sha256": upload.sha256,
                "title": report.measure.title[:200],
            },
            changes=[change(stored)],
            plan_key=_plan_key(report_round.register),
        )
    return stored


@transaction.atomic
def remove_evidence(actor: Actor, item: MonitoringEvidence) -> None:
    report = item.report
    access = authorize(actor, report.round.register.organization, Permission.RISK_EDIT)
    report_round = _lock_round(report.round)
    _require_round_draft(report_round)
    gone = removal(item)
    path, storage = item.file.name, item.file.storage
    name = item.original_name
    item.delete()
    record(
        access,
        "risk.evidence.remove",
        params={**round_params(report_round), "name": name, "title": report.measure.title[:200]},
        changes=[gone],
        plan_key=_plan_key(report_round.register),
    )
    transaction.on_commit(lambda: storage.delete(path))


# --- The plan's Part 1 from the register -----------------------------------------------------------


@transaction.atomic
def insert_risk_factors(actor: Actor, register: RiskRegister, plan: Any, risk_ids: Sequence[int]) -> int:
    """Add the chosen risks of an approved or published register to the draft plan's ปัจจัยเสี่ยงการทุจริต,
    one list entry each through the plan's own action (all or none); returns the number added."""
    from prongsai.plans import actions as plan_actions
    from prongsai.risks.plan_text import risk_factor_lines

    authorize(actor, register.organization, Permission.EDIT_PLAN)
    if plan.organization_id != register.organization_id:
        raise ValidationError({"plan": [_("ไม่พบแผนนี้")]})
    if register.status == RegisterStatus.DRAFT:
        raise ValidationError(_("นำความเสี่ยงไปใส่ในแผนได้เมื่ออนุมัติทะเบียนแล้ว"))
    if not plan.is_editable:
        raise ValidationError({"plan": [_("แผนนี้อนุมัติหรือประกาศแล้ว จึงแก้ไขไม่ได้")]})
    chosen = set(risk_ids)
    lines = [text for risk, text in risk_factor_lines(register, plan.digits) if risk.pk in chosen]
    if not lines or len(lines) != len(chosen):
        raise ValidationError({"risks": [_("กรุณาเลือกความเสี่ยงจากทะเบียนนี้อย่างน้อยหนึ่งรายการ")]})
    for text in lines:
        plan_actions.add_part1_entry(actor, plan, "risk_factors", text)
    return len(lines)
