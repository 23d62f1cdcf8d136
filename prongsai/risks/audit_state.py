"""Risk records the change log vouches for, and their state as the log keeps it.

Score and level are not part of the state: they are computed from the method file, not recorded facts.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.translation import gettext_lazy as _

from prongsai.audit.events import describe_events
from prongsai.audit.state import track, when
from prongsai.risks.models import (
    Measure,
    MeasureReport,
    MonitoringEvidence,
    MonitoringRound,
    Risk,
    RiskRegister,
    RiskReview,
)


def _username(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


def _day(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def register_state(register: RiskRegister) -> dict[str, Any]:
    return {
        "fiscal_year": register.fiscal_year,
        "revision": register.revision,
        "method": register.method_key,
        "status": register.status,
        "illustrative": register.is_illustrative,
        "approved_by": _username(register.approved_by),
        "approved_at": when(register.approved_at),
        "published_by": _username(register.published_by),
        "published_at": when(register.published_at),
    }


def risk_state(risk: Risk) -> dict[str, Any]:
    return {
        "register": risk.register_id,
        "position": risk.position,
        "process": risk.process,
        "event": risk.event,
        "cause": risk.cause,
        "area": risk.area,
        "existing_controls": risk.existing_controls,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "residual_likelihood": risk.residual_likelihood,
        "residual_impact": risk.residual_impact,
        "owner_unit": risk.owner_unit,
        "owner_person": risk.owner_person,
        "indicator": risk.indicator,
        "target": risk.target,
        "due_date": _day(risk.due_date),
        "ita_indicator": risk.ita_indicator,
        "complaint_refs": list(risk.complaint_refs),
    }


def measure_state(measure: Measure) -> dict[str, Any]:
    return {
        "risk": measure.risk_id,
        "position": measure.position,
        "plan_slug": measure.plan_slug,
        "item_uid": None if measure.item_uid is None else str(measure.item_uid),
        "title": measure.title,
        "owner": measure.owner,
        "start_date": _day(measure.start_date),
        "due_date": _day(measure.due_date),
        "done": measure.done,
    }


def round_state(report_round: MonitoringRound) -> dict[str, Any]:
    return {
        "register": report_round.register_id,
        "months": report_round.months,
        "status": report_round.status,
        "approved_by": _username(report_round.approved_by),
        "approved_at": when(report_round.approved_at),
        "published_by": _username(report_round.published_by),
        "published_at": when(report_round.published_at),
    }


def review_state(review: RiskReview) -> dict[str, Any]:
    return {
        "round": review.round_id,
        "risk": review.risk_id,
        "likelihood": review.likelihood,
        "impact": review.impact,
    }


def measure_report_state(report: MeasureReport) -> dict[str, Any]:
    return {
        "round": report.round_id,
        "measure": report.measure_id,
        "status": report.status,
        "what_done": report.what_done,
    }


def _stored_sha256(evidence: MonitoringEvidence) -> str | None:
    """The SHA-256 of the bytes in storage now, so a file swapped or removed behind the log is named."""
    try:
        with evidence.file.open("rb") as file:
            digest = hashlib.sha256()
            for chunk in file.chunks():
                digest.update(chunk)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def evidence_state(evidence: MonitoringEvidence) -> dict[str, Any]:
    return {
        "report": evidence.report_id,
        "name": evidence.original_name,
        "kind": evidence.kind,
        "size": evidence.size,
        "sha256": _stored_sha256(evidence),
        "public": evidence.is_public,
        "path": evidence.file.name,
    }


def register() -> None:
    track(
        "risk_register",
        RiskRegister,
        state=register_state,
        rows=lambda org: RiskRegister.objects.filter(organization=org).select_related(
            "approved_by", "published_by"
        ),
        label=lambda r: f"{r.key} r{r.revision}",
        added={"revision": 1},  # risks 0003_revisions: every register before it is revision 1
    )
    track(
        "risk",
        Risk,
        state=risk_state,
        rows=lambda org: Risk.objects.filter(register__organization=org),
        label=lambda r: r.event[:60],
        added={"complaint_refs": []},  # risks 0004_complaint_refs: no risk cited a complaint before it
    )
    track(
        "risk_measure",
        Measure,
        state=measure_state,
        rows=lambda org: Measure.objects.filter(risk__register__organization=org),
        label=lambda m: m.title[:60],
    )
    track(
        "risk_round",
        MonitoringRound,
        state=round_state,
        rows=lambda org: MonitoringRound.objects.filter(register__organization=org).select_related(
            "approved_by", "published_by"
        ),
        label=lambda r: f"{r.register_id}/{r.months}",
    )
    track(
        "risk_review",
        RiskReview,
        state=review_state,
        rows=lambda org: RiskReview.objects.filter(round__register__organization=org),
        label=lambda r: f"{r.round_id}/{r.risk_id}",
    )
    track(
        "risk_measure_report",
        MeasureReport,
        state=measure_report_state,
        rows=lambda org: MeasureReport.objects.filter(round__register__organization=org),
        label=lambda r: f"{r.round_id}/{r.measure_id}",
    )
    track(
        "risk_evidence",
        MonitoringEvidence,
        state=evidence_state,
        rows=lambda org: MonitoringEvidence.objects.filter(report__round__register__organization=org),
        label=lambda e: e.original_name,
    )
    describe_events(
        {
            "risk.register.create": _("เปิดทะเบียนความเสี่ยงการทุจริต ปี %(year)s"),
            "risk.add": _("เพิ่มความเสี่ยง %(event)s (ปี %(year)s)"),
            "risk.update": _("แก้ไขความเสี่ยง %(event)s (ปี %(year)s)"),
            "risk.cite_complaints": _("อ้างอิงเรื่องร้องเรียน %(count)s เรื่อง ในความเสี่ยง %(event)s (ปี %(year)s)"),
            "risk.remove": _("ลบความเสี่ยง %(event)s (ปี %(year)s)"),
            "risk.measure.add": _("เพิ่มมาตรการ %(title)s ให้ความเสี่ยง %(event)s"),
            "risk.measure.update": _("แก้ไขมาตรการ %(title)s ของความเสี่ยง %(event)s"),
            "risk.measure.remove": _("ลบมาตรการ %(title)s ของความเสี่ยง %(event)s"),
            "risk.register.import": _("นำเข้าความเสี่ยง %(count)s รายการ จากไฟล์ %(file)s (ปี %(year)s)"),
            "risk.register.approve": _("อนุมัติทะเบียนความเสี่ยงการทุจริต ปี %(year)s"),
            "risk.register.return": _("ส่งทะเบียนความเสี่ยงการทุจริต ปี %(year)s กลับเป็นฉบับร่าง"),
            "risk.register.publish": _("ประกาศทะเบียนความเสี่ยงการทุจริต ปี %(year)s"),
            "risk.register.revise": _(
                "ปรับปรุงทะเบียนความเสี่ยงการทุจริต ปี %(year)s เป็นฉบับที่ %(revision)s (จากฉบับที่ %(from_revision)s)"
            ),
            "risk.round.open": _("เปิดการติดตามผลการจัดการความเสี่ยง รอบ %(months)s เดือน ปี %(year)s"),
            "risk.round.save": _("บันทึกผลการติดตามความเสี่ยง %(event)s รอบ %(months)s เดือน ปี %(year)s"),
            "risk.round.approve": _("อนุมัติผลการติดตามความเสี่ยง รอบ %(months)s เดือน ปี %(year)s"),
            "risk.round.return": _("ส่งผลการติดตามความเสี่ยง รอบ %(months)s เดือน ปี %(year)s กลับเป็นฉบับร่าง"),
            "risk.round.publish": _("ประกาศผลการติดตามความเสี่ยง รอบ %(months)s เดือน ปี %(year)s"),
            "risk.evidence.add": _("แนบหลักฐาน %(name)s ให้มาตรการ %(title)s (รอบ %(months)s เดือน ปี %(year)s)"),
            "risk.evidence.remove": _(
                "ลบหลักฐาน %(name)s ของมาตรการ %(title)s (รอบ %(months)s เดือน ปี %(year)s)"
            ),
        }
    )
