"""Report rounds in each state for the tests of the public side (portal, open data, API), made through the
same actions officers use: FY 2561's 6-month round published (with one public and one private evidence
file), its 12-month round a draft, FY 2562's 6-month round approved but not published."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from prongsai.conftest import SETUP
from prongsai.plans import actions as plan_actions
from prongsai.plans.models import Plan
from prongsai.reports import actions
from prongsai.reports.actions import ReportData
from prongsai.reports.models import Evidence, ItemStatus, ReportRound

PUBLIC_NARRATIVE = "จัดอบรมแล้วสองครั้ง มีผู้เข้าร่วม ๑๒๐ คน"
DRAFT_NARRATIVE = "ข้อความในฉบับร่างที่ยังไม่ประกาศ"
APPROVED_NARRATIVE = "ข้อความที่อนุมัติแล้วแต่ยังไม่ประกาศ"


@dataclass
class Rounds:
    plan: Plan
    published: ReportRound
    draft: ReportRound
    approved: ReportRound
    public_file: Evidence
    private_file: Evidence


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def publish_plan(plan: Plan, approver: Any) -> Plan:
    plan_actions.approve_plan(approver, plan_actions.submit_plan(SETUP, plan))
    return plan_actions.publish_plan(approver, plan)


def _fill(report_round: ReportRound, planner: Any, narrative: str) -> None:
    reports = list(report_round.reports.order_by("id"))
    first, second, third = reports[:3]
    actions.save_report(
        planner,
        first,
        ReportData(
            status=ItemStatus.COMPLETED,
            ordinance_budget=Decimal("18000"),
            disbursed=Decimal("17250.50"),
            included=True,
            quarters={1, 2},
            narrative=narrative,
            results=[Decimal("85")],
        ),
    )
    actions.save_report(planner, second, ReportData(status=ItemStatus.IN_PROGRESS, quarters={2}))
    actions.save_report(
        planner,
        third,
        ReportData(
            status=ItemStatus.CANNOT,
            reason="no_budget",
            ordinance_budget=Decimal("0"),
            disbursed=Decimal("0"),
        ),
    )


def published_round(plan: Plan, people: dict[str, Any], year: int = 2561, months: int = 6) -> ReportRound:
    """A round of the published ``plan``, filled in, with one public evidence file, approved and published."""
    alice, bob = people["alice"], people["bob"]
    report_round = actions.open_round(alice, plan.organization, plan.slug, year, months)
    first = report_round.reports.order_by("id").first()
    assert first is not None
    actions.save_report(alice, first, ReportData(status=ItemStatus.IN_PROGRESS, narrative=PUBLIC_NARRATIVE))
    actions.add_evidence(alice, first, "ภาพกิจกรรม.png", png(), public=True)
    actions.approve_round(bob, report_round)
    return actions.publish_round(bob, report_round)


def make_rounds(plan: Plan, people: dict[str, Any]) -> Rounds:
    """Adds a third item (5,000 baht in 2561), publishes ``plan`` and makes the three rounds."""
    alice, bob = people["alice"], people["bob"]
    plan_actions.add_item(
        alice,
        plan,
        plan.missions.get(code="3.1"),
        plan_actions.ItemData(
            kind="measure", title="มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้าง", budgets={2561: Decimal("5000")}
        ),
    )
    plan = publish_plan(plan, bob)
    org, slug = plan.organization, plan.slug

    published = actions.open_round(alice, org, slug, 2561, 6)
    _fill(published, alice, PUBLIC_NARRATIVE)
    first = published.reports.order_by("id").first()
    assert first is not None
    public_file = actions.add_evidence(alice, first, "ภาพกิจกรรม.png", png(), public=True)
    private_file = actions.add_evidence(alice, first, "สำเนาบัตรประชาชน.png", png(), public=False)
    actions.approve_round(bob, published)
    published = actions.publish_round(bob, published)

    draft = actions.open_round(alice, org, slug, 2561, 12)  # starts from the 6-month reports
    second = draft.reports.order_by("id")[1]
    actions.save_report(
        alice, second, ReportData(status=ItemStatus.COMPLETED, quarters={3, 4}, narrative=DRAFT_NARRATIVE)
    )

    approved = actions.open_round(alice, org, slug, 2562, 6)
    _fill(approved, alice, APPROVED_NARRATIVE)
    approved = actions.approve_round(bob, approved)
    return Rounds(plan, published, draft, approved, public_file, private_file)
