"""Every write to a report goes through one function here: authorize, one transaction, one audit entry.

Views, the command line, the spreadsheet import, the demo and the tests all call these. Each raises
``django.core.exceptions.ValidationError`` keyed by field name on bad input and leaves nothing saved.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.audit import editors
from prongsai.audit.log import record
from prongsai.audit.state import Change, change, removal
from prongsai.lib import evidence
from prongsai.organizations.access import Access, Actor, Permission, authorize
from prongsai.organizations.models import Organization
from prongsai.plans.models import Plan, PlanItem
from prongsai.plans.published import current_revision
from prongsai.reports.models import (
    Evidence,
    ItemReport,
    ItemStatus,
    PublishedReport,
    ReportRound,
    RoundStatus,
)
from prongsai.reports.rules import ROUNDS, rules

MAX_AMOUNT = Decimal("999999999999.99")
MAX_REMARK = 1000
MAX_REASON_TEXT = 500
MAX_NARRATIVE = 20000


@dataclass
class ReportData:
    """What an officer says about one item in one round; checked by ``validate_report``."""

    status: str = ""
    ordinance_budget: Decimal | None = None
    disbursed: Decimal | None = None
    included: bool = False
    reason: str = ""
    reason_text: str = ""
    quarters: set[int] = field(default_factory=set)
    remark: str = ""
    narrative: str = ""
    results: list[Decimal | None] = field(default_factory=list)  # one per indicator, in order
    out_of_scope: bool = False

    @classmethod
    def of(cls, report: ItemReport) -> ReportData:
        return cls(
            status=report.status,
            ordinance_budget=report.ordinance_budget,
            disbursed=report.disbursed,
            included=report.included,
            reason=report.reason,
            reason_text=report.reason_text,
            quarters=set(report.quarters),
            remark=report.remark,
            narrative=report.narrative,
            results=[_decimal(r.get("result")) for r in report.indicator_results],
            out_of_scope=report.out_of_scope,
        )


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Checked:
    """Warnings are shown next to the field but do not stop a save (disbursed above the ordinance)."""

    warnings: dict[str, list[str]]


def _amount_errors(value: Decimal | None) -> list[str]:
    if value is None:
        return []
    if not value.is_finite():
        return [_("ต้องเป็นตัวเลข (เช่น 20000 หรือ ๒๐,๐๐๐)")]
    if value < 0:
        return [_("จำนวนเงินต้องไม่ติดลบ")]
    if value > MAX_AMOUNT:
        return [_("จำนวนเงินมากเกินไป")]
    if value != value.quantize(Decimal("0.01")):
        return [_("ทศนิยมได้ไม่เกิน ๒ ตำแหน่ง")]
    return []


def validate_report(data: ReportData, indicator_count: int) -> Checked:
    """Refuse what the national form refuses, naming the field; return what only deserves a warning."""
    errors: dict[str, list[str]] = {}

    def add(name: str, messages: Sequence[str]) -> None:
        if messages:
            errors.setdefault(name, []).extend(messages)

    if data.status not in {"", *ItemStatus.values}:
        add("status", [_("สถานะต้องเป็นหนึ่งในรายการที่กำหนด")])
    add("ordinance_budget", _amount_errors(data.ordinance_budget))
    add("disbursed", _amount_errors(data.disbursed))
    if data.status == ItemStatus.CANNOT:
        reason = rules().reason(data.reason) if data.reason else None
        if not data.reason:
            add("reason", [_("กรุณาเลือกเหตุผลที่ดำเนินการไม่ได้")])
        elif reason is None:
            add("reason", [_("เหตุผลต้องเป็นหนึ่งในรายการที่กำหนด")])
        elif reason.needs_text and not data.reason_text.strip():
            add("reason_text", [_("กรุณาระบุเหตุผลอื่นๆ")])
    if not data.quarters <= {1, 2, 3, 4}:
        add("quarters", [_("ไตรมาสต้องเป็น ๑ ถึง ๔")])
    for name, value, limit in (
        ("remark", data.remark, MAX_REMARK),
        ("reason_text", data.reason_text, MAX_REASON_TEXT),
        ("narrative", data.narrative, MAX_NARRATIVE),
    ):
        if len(value) > limit:
            add(name, [_("ยาวเกิน %(limit)s ตัวอักษร") % {"limit": limit}])
    if len(data.results) > indicator_count:
        add("results", [_("ผลตัวชี้วัดมากกว่าจำนวนตัวชี้วัดของรายการ")])
    for index, result in enumerate(data.results):
        if result is not None and (not result.is_finite() or result < 0 or result > MAX_AMOUNT):
            add(f"result_{index}", [_("ผลต้องเป็นตัวเลขไม่ติดลบ")])
    if errors:
        raise ValidationError(errors)
    warnings: dict[str, list[str]] = {}
    if (
        data.disbursed is not None
        and data.ordinance_budget is not None
        and data.disbursed > data.ordinance_budget
    ):
        warnings["disbursed"] = [_("ยอดเบิกจ่ายมากกว่างบประมาณตามข้อบัญญัติ/เทศบัญญัติ โปรดตรวจสอบ")]
    return Checked(warnings=warnings)


# --- Rounds ----------------------------------------------------------------------------------------


def round_params(report_round: ReportRound) -> dict[str, Any]:
    return {"year": report_round.fiscal_year, "months": report_round.months}


def _items(plan: Plan) -> list[PlanItem]:
    return list(
        PlanItem.objects.filter(plan=plan)
        .select_related("mission")
        .prefetch_related("indicators")
        .order_by("mission__position", "position")
    )


def _indicator_slots(item: PlanItem, results: Sequence[Decimal | None] = ()) -> list[dict[str, Any]]:
    slots = []
    for index, indicator in enumerate(sorted(item.indicators.all(), key=lambda i: i.position)):
        result = results[index] if index < len(results) else None
        slots.append(
            {
                "indicator": indicator.description,
                "target": None if indicator.target_value is None else f"{indicator.target_value:.2f}",
                "unit": indicator.unit,
                "result": None if result is None else f"{result:.2f}",
            }
        )
    return slots


def _write(report: ItemReport, data: ReportData, item: PlanItem | None) -> None:
    report.status = data.status
    report.ordinance_budget = data.ordinance_budget
    report.disbursed = data.disbursed
    report.included = data.included
    cannot = data.status == ItemStatus.CANNOT
    report.reason = data.reason if cannot else ""
    reason = rules().reason(report.reason) if report.reason else None
    report.reason_text = data.reason_text.strip() if reason is not None and reason.needs_text else ""
    report.q1, report.q2, report.q3, report.q4 = (n in data.quarters for n in (1, 2, 3, 4))
    report.remark = data.remark.strip()
    report.narrative = data.narrative.strip()
    report.out_of_scope = data.out_of_scope
    if item is not None:
        report.title = item.title
        report.indicator_results = _indicator_slots(item, data.results)


@transaction.atomic
def open_round(
    actor: Actor,
    organization: Organization,
    plan_slug: str,
    fiscal_year: int,
    months: int,
    *,
    illustrative: bool = False,
) -> ReportRound:
    """Open a round against the plan's current published revision, one report per item, waiting."""
    access = authorize(actor, organization, Permission.EDIT_REPORT)
    plan = current_revision(organization, plan_slug)
    if plan is None:
        raise ValidationError({"plan": [_("แผนนี้ยังไม่ได้ประกาศ จึงยังรายงานผลไม่ได้")]})
    if months not in ROUNDS:
        raise ValidationError({"months": [_("รอบรายงานต้องเป็น ๖ หรือ ๑๒ เดือน")]})
    if fiscal_year not in plan.years:
        raise ValidationError({"fiscal_year": [_("ปีงบประมาณนี้ไม่อยู่ในช่วงของแผน")]})
    exists = ReportRound.objects.filter(
        organization=organization, plan_slug=plan_slug, fiscal_year=fiscal_year, months=months
    )
    if exists.exists():
        raise ValidationError({"months": [_("รอบรายงานนี้เปิดไว้แล้ว")]})
    try:
        with transaction.atomic():
            report_round = ReportRound.objects.create(
                organization=organization,
                plan_slug=plan_slug,
                plan=plan,
                fiscal_year=fiscal_year,
                months=months,
                due_date=rules().rounds[months].due_date(fiscal_year),
                is_illustrative=illustrative,
            )
    except IntegrityError:
        raise ValidationError({"months": [_("รอบรายงานนี้เปิดไว้แล้ว")]}) from None
    # A 12-month round starts from what the 6-month round of the year said.
    earlier: dict[UUID, ItemReport] = {}
    if months == 12:
        earlier = {
            r.item_uid: r
            for r in ItemReport.objects.filter(
                round__organization=organization,
                round__plan_slug=plan_slug,
                round__fiscal_year=fiscal_year,
                round__months=6,
            )
        }
    reports = []
    for item in _items(plan):
        report = ItemReport(round=report_round, item_uid=item.uid, title=item.title)
        start = ReportData.of(earlier[item.uid]) if item.uid in earlier else ReportData()
        _write(report, start, item)
        reports.append(report)
    ItemReport.objects.bulk_create(reports)
    saved = list(report_round.reports.order_by("id"))
    record(
        access,
        "report.round.open",
        params=round_params(report_round),
        changes=[change(report_round), *(change(r) for r in saved)],
        plan_key=report_round.plan_key,
    )
    return report_round


def _lock_round(report_round: ReportRound) -> ReportRound:
    locked = (
        ReportRound.objects.select_for_update().select_related("organization", "plan").get(pk=report_round.pk)
    )
    return locked


def _require_draft(report_round: ReportRound) -> None:
    if not report_round.is_editable:
        raise ValidationError(_("รอบรายงานนี้อนุมัติหรือประกาศแล้ว จึงแก้ไขไม่ได้ ให้ผู้อนุมัติส่งกลับเป็นฉบับร่างก่อน"))


def completed_elsewhere(report_round: ReportRound) -> set[UUID]:
    """Items whose report of this fiscal year already says completed in another approved round: locked."""
    return set(
        ItemReport.objects.filter(
            round__organization_id=report_round.organization_id,
            round__plan_slug=report_round.plan_slug,
            round__fiscal_year=report_round.fiscal_year,
            round__status__in=[RoundStatus.APPROVED, RoundStatus.PUBLISHED],
            status=ItemStatus.COMPLETED,
        )
        .exclude(round=report_round)
        .values_list("item_uid", flat=True)
    )


def _locked_message() -> str:
    return _("รายการนี้รายงานว่าดำเนินการแล้วเสร็จในปีงบประมาณนี้แล้ว รายงานของปีนี้จึงถูกล็อก")


class StaleReport(ValidationError):
    """Someone saved the report after the form was loaded; nothing was written."""

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


def plan_item(report_round: ReportRound, uid: UUID) -> PlanItem | None:
    """The item ``uid`` in the revision the round reports against; None: no longer in the plan."""
    return (
        PlanItem.objects.filter(plan_id=report_round.plan_id, uid=uid)
        .prefetch_related("indicators", "budgets")
        .first()
    )


@transaction.atomic
def save_report(
    actor: Actor, report: ItemReport, data: ReportData, expected_version: int | None = None
) -> tuple[ItemReport, Checked]:
    access = authorize(actor, report.round.organization, Permission.EDIT_REPORT)
    report_round = _lock_round(report.round)
    _require_draft(report_round)
    report = ItemReport.objects.select_for_update().get(pk=report.pk, round=report_round)
    item = plan_item(report_round, report.item_uid)
    if item is None:
        raise ValidationError(_("รายการนี้ไม่อยู่ในแผนแล้ว จึงรายงานผลไม่ได้"))
    if report.item_uid in completed_elsewhere(report_round):
        raise ValidationError(_locked_message())
    checked = validate_report(data, item.indicators.count())
    if expected_version is not None and expected_version != report.version:
        raise StaleReport(
            _("มีผู้อื่นบันทึกรายงานของรายการนี้ก่อนคุณ สิ่งที่คุณแก้ไขจึงยังไม่ได้บันทึก ตรวจดูแล้วกดบันทึกอีกครั้ง"),
            report.version,
        )
    _write(report, data, item)
    report.save()
    record(
        access,
        "report.item.update",
        params={**round_params(report_round), "title": report.title[:200]},
        changes=[change(report)],
        plan_key=report_round.plan_key,
    )
    report.round = report_round
    return report, checked


@transaction.atomic
def import_reports(
    actor: Actor, report_round: ReportRound, rows: Mapping[UUID, ReportData], file_name: str = ""
) -> list[ItemReport]:
    """Save many reports at once, all or nothing; ValidationError maps each item uid to its problems."""
    access = authorize(actor, report_round.organization, Permission.EDIT_REPORT)
    report_round = _lock_round(report_round)
    _require_draft(report_round)
    reports = {r.item_uid: r for r in report_round.reports.select_for_update()}
    items = {i.uid: i for i in _items(report_round.plan)}
    locked = completed_elsewhere(report_round)
    problems: dict[str, list[str]] = {}
    for uid, data in rows.items():
        key = str(uid)
        if uid not in reports or uid not in items:
            problems[key] = [_("ไม่พบรายการนี้ในรอบรายงาน")]
            continue
        if uid in locked and ReportData.of(reports[uid]) != data:
            problems[key] = [_locked_message()]
            continue
        try:
            validate_report(data, len(items[uid].indicators.all()))
        except ValidationError as error:
            problems[key] = [
                f"{name}: {'; '.join(messages)}" for name, messages in error.message_dict.items()
            ]
    if problems:
        raise ValidationError(problems)
    changed: list[ItemReport] = []
    for uid, data in rows.items():
        report = reports[uid]
        if ReportData.of(report) == data or uid in locked:
            continue
        _write(report, data, items[uid])
        report.save()
        changed.append(report)
    record(
        access,
        "report.round.import",
        params={**round_params(report_round), "count": len(changed), "file": file_name[:200]},
        changes=[change(r) for r in changed],
        plan_key=report_round.plan_key,
    )
    return changed


def _transition(access: Access, report_round: ReportRound, event: str, fields: dict[str, Any]) -> ReportRound:
    for name, value in fields.items():
        setattr(report_round, name, value)
    report_round.save(update_fields=list(fields))
    record(
        access,
        event,
        params=round_params(report_round),
        changes=[change(report_round)],
        plan_key=report_round.plan_key,
    )
    return report_round


def _user(access: Access) -> Any:
    return access.user


ROUND_WORKFLOW = ("report.round.approve", "report.round.return", "report.round.publish")


def round_last_editor(report_round: ReportRound) -> Any:
    """Who last wrote ``report_round``'s reports or evidence, as the change log says."""
    return editors.last_editor(
        report_round.organization,
        report_round.plan_key,
        prefixes=("report.",),
        exclude=ROUND_WORKFLOW,
        params=round_params(report_round),
    )


@transaction.atomic
def approve_round(actor: Actor, report_round: ReportRound) -> ReportRound:
    access = authorize(actor, report_round.organization, Permission.APPROVE_REPORT)
    report_round = _lock_round(report_round)
    if report_round.status != RoundStatus.DRAFT:
        raise ValidationError(_("อนุมัติได้เฉพาะรอบรายงานที่เป็นฉบับร่าง"))
    editors.require_four_eyes(
        access,
        [round_last_editor(report_round)],
        _(
            "ผู้กรอกรายงานรอบนี้ล่าสุดอนุมัติรายงานเองไม่ได้ ต้องให้ผู้บริหารคนอื่นอนุมัติ "
            "(หากหน่วยงานมีเจ้าหน้าที่คนเดียว ผู้ดูแลระบบตั้งค่าให้ทำได้)"
        ),
    )
    return _transition(
        access,
        report_round,
        "report.round.approve",
        {"status": RoundStatus.APPROVED, "approved_by": _user(access), "approved_at": timezone.now()},
    )


@transaction.atomic
def return_round(actor: Actor, report_round: ReportRound) -> ReportRound:
    """Approved back to draft; refused once the year is locked (its 12-month round says completed)."""
    access = authorize(actor, report_round.organization, Permission.APPROVE_REPORT)
    report_round = _lock_round(report_round)
    if report_round.status != RoundStatus.APPROVED:
        raise ValidationError(_("ส่งกลับได้เฉพาะรอบรายงานที่อนุมัติแล้วแต่ยังไม่ประกาศ"))
    if report_round.months == 12 and report_round.reports.filter(status=ItemStatus.COMPLETED).exists():
        raise ValidationError(_("รายงานรอบ ๑๒ เดือนนี้มีรายการที่ดำเนินการแล้วเสร็จ ปีงบประมาณนี้จึงถูกล็อก"))
    later = ReportRound.objects.filter(
        organization_id=report_round.organization_id,
        plan_slug=report_round.plan_slug,
        fiscal_year=report_round.fiscal_year,
        months__gt=report_round.months,
    )
    if later.exists():
        raise ValidationError(_("มีรอบรายงาน ๑๒ เดือนของปีนี้แล้ว จึงส่งรอบ ๖ เดือนกลับไม่ได้"))
    return _transition(
        access,
        report_round,
        "report.round.return",
        {"status": RoundStatus.DRAFT, "approved_by": None, "approved_at": None},
    )


def publish_round(actor: Actor, report_round: ReportRound) -> ReportRound:
    """Publish an approved round with its report PDF stored as published, or change nothing.

    The PDF is laid out first, outside the transaction (an approved round cannot be edited); then the
    status, the stored PDF and one entry naming its SHA-256 are written together. A crash leaves either an
    approved round with nothing stored or a published round with its document — never one without.
    """
    from prongsai.reports.document import report_pdf

    access = authorize(actor, report_round.organization, Permission.APPROVE_REPORT)
    report_round = ReportRound.objects.select_related("organization", "plan", "approved_by").get(
        pk=report_round.pk
    )
    if report_round.status != RoundStatus.APPROVED:
        raise ValidationError(_("ประกาศได้เฉพาะรอบรายงานที่อนุมัติแล้ว"))
    published_at = timezone.now()
    as_published = copy.copy(report_round)
    as_published.status = RoundStatus.PUBLISHED
    as_published.published_at = published_at
    as_published.published_by = _user(access)
    pdf = report_pdf(as_published)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        locked = _lock_round(report_round)
        if locked.status != RoundStatus.APPROVED or locked.approved_at != report_round.approved_at:
            # Returned to draft (and perhaps approved again) while the PDF was being laid out.
            raise ValidationError(_("รอบรายงานเปลี่ยนไประหว่างการประกาศ โปรดลองอีกครั้ง"))
        locked.status = RoundStatus.PUBLISHED
        locked.published_at = published_at
        locked.published_by = _user(access)
        locked.save(update_fields=["status", "published_at", "published_by"])
        document = PublishedReport.objects.create(round=locked, pdf=pdf, sha256=digest, size=len(pdf))
        record(
            access,
            "report.round.publish",
            params={**round_params(locked), "sha256": digest},
            changes=[change(locked), change(document)],
            plan_key=locked.plan_key,
        )
    return locked


def published_report_pdf(report_round: ReportRound) -> bytes | None:
    """The PDF stored when ``report_round`` was published, exactly as stored; None if it has none."""
    document = PublishedReport.objects.filter(round=report_round).only("pdf").first()
    return None if document is None else bytes(document.pdf)


@transaction.atomic
def retarget_round(actor: Actor, report_round: ReportRound) -> ReportRound:
    """A draft round reports against the plan's newest published revision from now on.

    Items the new revision adds get a waiting report; reports of items it dropped stay, shown as
    "no longer in the plan" and left out of every count; moved items keep their report (same uid).
    """
    access = authorize(actor, report_round.organization, Permission.EDIT_REPORT)
    report_round = _lock_round(report_round)
    _require_draft(report_round)
    plan = current_revision(report_round.organization, report_round.plan_slug)
    if plan is None or plan.pk == report_round.plan_id:
        raise ValidationError(_("รอบรายงานนี้รายงานตามแผนฉบับล่าสุดที่ประกาศแล้วอยู่แล้ว"))
    if report_round.fiscal_year not in plan.years:
        raise ValidationError(_("ปีงบประมาณนี้ไม่อยู่ในช่วงของแผนฉบับใหม่"))
    existing = {r.item_uid: r for r in report_round.reports.all()}
    changed: list[Change] = []
    for item in _items(plan):
        report = existing.get(item.uid)
        if report is None:
            report = ItemReport(round=report_round, item_uid=item.uid, title=item.title)
            _write(report, ReportData(), item)
            report.save()
        else:
            _write(report, ReportData.of(report), item)
            report.save()
        changed.append(change(report))
    report_round.plan = plan
    report_round.save(update_fields=["plan"])
    record(
        access,
        "report.round.retarget",
        params={**round_params(report_round), "revision": plan.revision},
        changes=[change(report_round), *changed],
        plan_key=report_round.plan_key,
    )
    return report_round


# --- Evidence --------------------------------------------------------------------------------------


def add_evidence(
    actor: Actor, report: ItemReport, name: str, data: bytes, *, public: bool = False
) -> Evidence:
    """Attach a file (type read from its content, photos without metadata); its SHA-256 goes in the log.

    The bytes are written to storage first; if the transaction then fails, they are deleted again.
    """
    access = authorize(actor, report.round.organization, Permission.EDIT_REPORT)
    upload = evidence.clean(data)  # before any write: a refused file costs nothing
    with evidence.removed_if_failed() as saved, transaction.atomic():
        access = authorize(access, report.round.organization, Permission.EDIT_REPORT)
        report_round = _lock_round(report.round)
        _require_draft(report_round)
        report = ItemReport.objects.get(pk=report.pk, round=report_round)
        report.round = report_round
        stored = Evidence(report=report, is_public=public)
        saved.append(stored)
        evidence.save(stored, upload, name, access.user)
        record(
            access,
            "report.evidence.add",
            params={
                **round_params(report_round),
                "name": stored.original_name,
                "sha256": upload.sha256,
                "title": report.title[:200],
            },
            changes=[change(stored)],
            plan_key=report_round.plan_key,
        )
    return stored


@transaction.atomic
def remove_evidence(actor: Actor, item: Evidence) -> None:
    report = item.report
    access = authorize(actor, report.round.organization, Permission.EDIT_REPORT)
    report_round = _lock_round(report.round)
    _require_draft(report_round)
    gone = removal(item)
    path, storage = item.file.name, item.file.storage
    name = item.original_name
    item.delete()
    record(
        access,
        "report.evidence.remove",
        params={**round_params(report_round), "name": name, "title": report.title[:200]},
        changes=[gone],
        plan_key=report_round.plan_key,
    )
    transaction.on_commit(lambda: storage.delete(path))
