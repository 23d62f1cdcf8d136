"""Report records the change log vouches for, and their state as the log keeps it."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.translation import gettext_lazy as _

from prongsai.audit.events import describe_events
from prongsai.audit.state import amount, track, when
from prongsai.reports.models import Evidence, ItemReport, PublishedReport, ReportRound


def _username(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


def round_state(report_round: ReportRound) -> dict[str, Any]:
    return {
        "plan_slug": report_round.plan_slug,
        "plan": report_round.plan_id,
        "fiscal_year": report_round.fiscal_year,
        "months": report_round.months,
        "status": report_round.status,
        "due_date": report_round.due_date.isoformat(),
        "illustrative": report_round.is_illustrative,
        "approved_by": _username(report_round.approved_by),
        "approved_at": when(report_round.approved_at),
        "published_by": _username(report_round.published_by),
        "published_at": when(report_round.published_at),
    }


def report_state(report: ItemReport) -> dict[str, Any]:
    return {
        "round": report.round_id,
        "item_uid": str(report.item_uid),
        "title": report.title,
        "out_of_scope": report.out_of_scope,
        "ordinance_budget": amount(report.ordinance_budget),
        "disbursed": amount(report.disbursed),
        "included": report.included,
        "status": report.status,
        "reason": report.reason,
        "reason_text": report.reason_text,
        "quarters": report.quarters,
        "remark": report.remark,
        "narrative": report.narrative,
        "indicator_results": report.indicator_results,
    }


def _stored_sha256(evidence: Evidence) -> str | None:
    """The SHA-256 of the bytes in storage now, so a file swapped or removed behind the log is named."""
    try:
        with evidence.file.open("rb") as file:
            digest = hashlib.sha256()
            for chunk in file.chunks():
                digest.update(chunk)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def evidence_state(evidence: Evidence) -> dict[str, Any]:
    return {
        "report": evidence.report_id,
        "name": evidence.original_name,
        "kind": evidence.kind,
        "size": evidence.size,
        "sha256": _stored_sha256(evidence),
        "public": evidence.is_public,
        "path": evidence.file.name,
    }


def published_report_state(document: PublishedReport) -> dict[str, Any]:
    """The SHA-256 of the stored bytes as they are now, beside the hash recorded when they were stored."""
    body = bytes(document.pdf)
    return {
        "round": document.round_id,
        "sha256": hashlib.sha256(body).hexdigest(),
        "recorded_sha256": document.sha256,
        "size": len(body),
    }


def register() -> None:
    track(
        "report_round",
        ReportRound,
        state=round_state,
        rows=lambda org: ReportRound.objects.filter(organization=org).select_related(
            "approved_by", "published_by"
        ),
        label=lambda r: r.key,
    )
    track(
        "item_report",
        ItemReport,
        state=report_state,
        rows=lambda org: ItemReport.objects.filter(round__organization=org),
        label=lambda r: r.title[:60],
    )
    track(
        "report_evidence",
        Evidence,
        state=evidence_state,
        rows=lambda org: Evidence.objects.filter(report__round__organization=org),
        label=lambda e: e.original_name,
    )
    track(
        "published_report",
        PublishedReport,
        state=published_report_state,
        rows=lambda org: PublishedReport.objects.filter(round__organization=org),
        label=lambda d: d.sha256[:12],
    )
    describe_events(
        {
            "report.evidence.add": _("แนบหลักฐาน %(name)s (SHA-256 %(sha256)s) ให้ %(title)s"),
            "report.evidence.remove": _("ลบหลักฐาน %(name)s ของ %(title)s"),
            "report.round.open": _("เปิดรอบรายงานผล ปี %(year)s รอบ %(months)s เดือน"),
            "report.round.retarget": _(
                "ให้รอบรายงานผล ปี %(year)s รอบ %(months)s เดือน รายงานตามแผนฉบับแก้ไขที่ %(revision)s"
            ),
            "report.item.update": _("บันทึกผลการดำเนินงาน %(title)s (ปี %(year)s รอบ %(months)s เดือน)"),
            "report.round.import": _(
                "นำเข้าผลการดำเนินงาน %(count)s รายการ จากไฟล์ %(file)s (ปี %(year)s รอบ %(months)s เดือน)"
            ),
            "report.round.approve": _("อนุมัติรายงานผล ปี %(year)s รอบ %(months)s เดือน"),
            "report.round.return": _("ส่งรายงานผล ปี %(year)s รอบ %(months)s เดือน กลับเป็นฉบับร่าง"),
            "report.round.publish": _(
                "ประกาศรายงานผล ปี %(year)s รอบ %(months)s เดือน พร้อมเอกสาร PDF (SHA-256 %(sha256)s)"
            ),
        }
    )
