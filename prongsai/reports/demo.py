"""Demo reports (illustrative, marked so): Wang Phai's FY 2561 6-month round, approved and published; its
12-month round, filled in and waiting for the approver; FY 2562's 6-month round, filled in but for two
items, a draft for the demo users to finish. The first item of the 6-month round has two evidence files.

Figures are invented from the plan's own budgets by fixed rules, so a re-run gives the same data.
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model

from prongsai.plans.models import PlanItem
from prongsai.plans.published import current_revision
from prongsai.reports import actions
from prongsai.reports.actions import ReportData
from prongsai.reports.models import ItemStatus, ReportRound

DEMO_ORG = "wangphai"
DEMO_PLAN = "2561-2564"
ROUNDS = ((2561, 6, True), (2561, 12, False), (2562, 6, False))  # (year, months, publish?)
NOTE = "(ข้อมูลตัวอย่างประกอบ ไม่ใช่ผลการดำเนินงานจริง) "


def _share(amount: Decimal, per_cent: int) -> Decimal:
    return (amount * per_cent / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _data(item: PlanItem, index: int, year: int, months: int) -> ReportData | None:
    """What the demo says about item ``index``; None leaves it waiting (two items of FY 2562)."""
    if year == 2562 and index in (3, 17):
        return None
    budget = next((b.amount for b in item.budgets.all() if b.fiscal_year == year), None)
    if index == 8 and months == 12:
        return ReportData(
            status=ItemStatus.CANNOT,
            reason="other",
            reason_text="งดจัดค่ายเนื่องจากอุทกภัยในพื้นที่",
            ordinance_budget=budget,
            disbursed=Decimal(0) if budget is not None else None,
            included=budget is not None,
            remark=NOTE.strip(),
        )
    if index == 5 and year == 2561:
        return ReportData(
            status=ItemStatus.CANNOT,
            reason="no_budget",
            ordinance_budget=Decimal(0) if budget is not None else None,
            disbursed=Decimal(0) if budget is not None else None,
            remark=NOTE.strip(),
        )
    # Measures and activities without money run all year; most projects finish in the second half.
    completed = months == 12 and (index % 4 != 2 if budget is not None else index % 3 == 0)
    if months == 6 and item.kind == "activity" and index % 4 == 0:
        completed = True
    status = ItemStatus.COMPLETED if completed else ItemStatus.IN_PROGRESS
    quarters = {1, 2} if months == 6 else {1, 2, 3, 4}
    results = []
    for indicator in item.indicators.all():
        target = indicator.target_value
        results.append(None if target is None else (target if completed else _share(target, 50)))
    return ReportData(
        status=status,
        ordinance_budget=budget,
        disbursed=None if budget is None else _share(budget, 95 if completed else 40),
        included=budget is not None,
        quarters=quarters,
        narrative=NOTE + ("ดำเนินการครบตามแผน" if completed else "อยู่ระหว่างดำเนินการตามแผน"),
        results=results,
    )


def _demo_photo() -> bytes:
    """A drawn stand-in for an activity photo (illustrative)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (236, 242, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 200, 440, 290), fill=(29, 79, 145))
    for x in range(70, 440, 60):
        draw.ellipse((x, 120, x + 40, 160), fill=(168, 82, 0))
        draw.rectangle((x + 5, 160, x + 35, 200), fill=(168, 82, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _demo_minutes() -> bytes:
    from docx import Document

    document = Document()
    document.add_heading("บันทึกการประชุม (ตัวอย่างประกอบ)", level=1)
    document.add_paragraph(NOTE + "สรุปผลการอบรมโครงการความรู้คู่คุณธรรม รอบ ๖ เดือน ปีงบประมาณ ๒๕๖๑")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def load_demo_reports() -> bool:
    """Fill the demo rounds unless they are there (re-runs keep data); True when made now."""
    plan = None
    from prongsai.organizations.models import Organization

    organization = Organization.objects.filter(slug=DEMO_ORG).first()
    if organization is not None:
        plan = current_revision(organization, DEMO_PLAN)
    if organization is None or plan is None:
        return False
    if ReportRound.objects.filter(organization=organization, plan_slug=DEMO_PLAN).exists():
        return False
    users: Any = get_user_model().objects
    planner = users.get(username=f"{DEMO_ORG}-planner")
    approver = users.get(username=f"{DEMO_ORG}-approver")
    items = list(
        plan.items.prefetch_related("budgets", "indicators").order_by("mission__position", "position")
    )
    for year, months, publish in ROUNDS:
        report_round = actions.open_round(planner, organization, DEMO_PLAN, year, months, illustrative=True)
        locked = actions.completed_elsewhere(report_round)
        reports = {r.item_uid: r for r in report_round.reports.all()}
        for index, item in enumerate(items):
            data = _data(item, index, year, months)
            if data is None or item.uid in locked:
                continue
            actions.save_report(planner, reports[item.uid], data)
        if (year, months) == (2561, 6):
            first = reports[items[0].uid]
            actions.add_evidence(planner, first, "ภาพกิจกรรม-ตัวอย่าง.png", _demo_photo(), public=True)
            actions.add_evidence(planner, first, "บันทึกการประชุม-ตัวอย่าง.docx", _demo_minutes(), public=True)
        if publish:
            actions.approve_round(approver, report_round)
            actions.publish_round(approver, report_round)
    return True
