"""Demo register (illustrative, marked so): Wang Phai's FY 2562 corruption-risk assessment.

Its four risks come from the four risk factors of the source plan's Part 1 (ปัจจัยที่มีผลต่อการทุจริต) and
the areas its weakest ITA index proposes; the likelihoods, impacts, owners and targets are invented.
Measures link the plan's own items by uid. The FY 2562 register is approved and published, with its
6-month monitoring round filled in (what was done invented too), approved and published, so every page
and the portal show data; a FY 2563 draft carries the same risks forward so that the demo users can edit,
export and import. The published FY 2562 register is amended through a new revision (ปรับปรุงทะเบียน, or
an import of its edited export), which stays a draft until approved and published.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from prongsai.organizations.models import Organization
from prongsai.plans.published import current_revision
from prongsai.risks import actions
from prongsai.risks.actions import MeasureData, RiskData
from prongsai.risks.models import RiskRegister
from prongsai.risks.proposal import ita_proposal

DEMO_ORG = "wangphai"
DEMO_PLAN = "2561-2564"
DEMO_YEAR = 2562
DRAFT_YEAR = 2563
NOTE = "(ข้อมูลตัวอย่างประกอบ) "

# (risk factor of the source plan, area, process, event, L, I, residual L, I, unit, plan items by title start)
RISKS: tuple[tuple[str, str, str, str, int, int, int, int, str, tuple[str, ...]], ...] = (
    (
        "ผู้บริหารขาดคุณธรรมการทำงานในหน่วยงาน",
        "power",
        "การใช้ดุลยพินิจสั่งการและอนุมัติของผู้บริหาร",
        "ผู้บริหารใช้ดุลยพินิจเอื้อประโยชน์แก่ผู้ใกล้ชิด",
        3,
        4,
        2,
        3,
        "สำนักปลัด",
        ("มาตรการตรวจสอบการใช้ดุลยพินิจ", "กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร"),
    ),
    (
        "ประชาชนขาดจิตสำนึก และการมีส่วนร่วมของประชาชนในการบริหารงาน",
        "budget",
        "การตรวจรับงานจ้างก่อสร้าง",
        "ตรวจรับงานก่อสร้างที่ไม่ตรงตามแบบโดยไม่มีผู้สังเกตการณ์",
        3,
        3,
        2,
        2,
        "กองช่าง",
        (
            "กิจกรรมส่งเสริมให้ประชาชนมีส่วนร่วมสังเกตการณ์การตรวจรับงานจ้างก่อสร้าง",
            "โครงการเสริมสร้างเครือข่ายภาคประชาชนเฝ้าระวังการทุจริต",
        ),
    ),
    (
        "ระเบียบกฎหมายที่เกี่ยวข้องล้าหลังไม่ตอบสนองต่อปัญหาความต้องการของเทศบาล และไม่สามารถดำเนินการได้จริงในทางปฏิบัติ",
        "bribery",
        "การอนุญาตก่อสร้างอาคาร",
        "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งการออกใบอนุญาตก่อสร้าง",
        4,
        4,
        2,
        3,
        "กองช่าง",
        ("มาตรการป้องกันการรับสินบน", "กิจกรรมมอบอำนาจอนุมัติ อนุญาต สั่งการ"),
    ),
    (
        "เจ้าหน้าที่ขาดความรู้ และประสบการณ์ ประกอบกับปริมาณงานที่เพิ่มขึ้น",
        "personnel",
        "การสรรหาและเลื่อนขั้นเงินเดือนพนักงาน",
        "ประเมินผลการปฏิบัติงานโดยไม่มีหลักเกณฑ์ที่เปิดเผย",
        2,
        3,
        1,
        3,
        "สำนักปลัด",
        ("มาตรการสร้างความโปร่งใสในการบริหารงานบุคคล",),
    ),
)


def load_demo_risks() -> bool:
    """Make the demo register unless it is there (re-runs keep data); True when made now."""
    organization = Organization.objects.filter(slug=DEMO_ORG).first()
    plan = current_revision(organization, DEMO_PLAN) if organization is not None else None
    if organization is None or plan is None:
        return False
    if RiskRegister.objects.filter(organization=organization, fiscal_year=DEMO_YEAR).exists():
        return False
    users: Any = get_user_model().objects
    planner = users.get(username=f"{DEMO_ORG}-planner")
    approver = users.get(username=f"{DEMO_ORG}-approver")
    register = _fill(planner, organization, plan, DEMO_YEAR)
    actions.approve_register(approver, register)
    actions.publish_register(approver, register)
    _monitor(planner, approver, register)
    _fill(planner, organization, plan, DRAFT_YEAR)
    return True


# (status, what was done, re-assessed likelihood, impact) per risk, in the order of RISKS
ROUND_6: tuple[tuple[str, str, int, int], ...] = (
    ("done", "ประกาศหลักเกณฑ์การใช้ดุลยพินิจและเผยแพร่ทางเว็บไซต์แล้ว", 2, 4),
    ("in_progress", "เชิญตัวแทนชุมชนร่วมสังเกตการณ์การตรวจรับงานแล้ว ๒ โครงการ", 3, 2),
    ("done", "ติดประกาศขั้นตอนและระยะเวลาการอนุญาตก่อสร้างที่จุดบริการแล้ว", 3, 3),
    ("not_done", "ยังไม่ได้ประกาศหลักเกณฑ์การประเมินผลการปฏิบัติงาน (รอรอบ ๑๒ เดือน)", 2, 3),
)


def _monitor(planner: Any, approver: Any, register: RiskRegister) -> None:
    """The 6-month round of the published register, filled in (illustrative), approved and published."""
    report_round = actions.open_round(planner, register, 6)
    reviews = list(report_round.reviews.select_related("risk").order_by("risk__position"))
    for review, (status, text, lk, im) in zip(reviews, ROUND_6, strict=True):
        reports = report_round.reports.filter(measure__risk=review.risk)
        actions.save_monitoring(
            planner,
            review,
            lk,
            im,
            {r.pk: actions.MeasureReportData(status=status, what_done=NOTE + text) for r in reports},
        )
    actions.approve_round(approver, report_round)
    actions.publish_round(approver, report_round)


def _fill(planner: Any, organization: Organization, plan: Any, fiscal_year: int) -> RiskRegister:
    register = actions.create_register(planner, organization, fiscal_year, illustrative=True)
    proposal = ita_proposal(organization, register.method)
    weakest = proposal.weak[0].part.key if proposal and proposal.weak else ""
    proposed = {a.key for a in proposal.areas} if proposal else set()
    items = list(plan.items.order_by("mission__position", "position"))
    for factor, area, process, event, lk, im, rlk, rim, unit, titles in RISKS:
        risk = actions.add_risk(
            planner,
            register,
            RiskData(
                process=process,
                event=event,
                cause=NOTE + factor,
                area=area,
                existing_controls="มีคำสั่งมอบหมายงานและระเบียบที่เกี่ยวข้อง",
                likelihood=lk,
                impact=im,
                residual_likelihood=rlk,
                residual_impact=rim,
                owner_unit=unit,
                owner_person="หัวหน้า" + unit,
                indicator="จำนวนเรื่องร้องเรียนการทุจริตในกระบวนงานนี้",
                target="ไม่มีเรื่องร้องเรียน",
                due_date=dt.date(fiscal_year - 543, 9, 30),  # the end of the fiscal year
                ita_indicator=weakest if area in proposed else "",
            ),
        )
        for title in titles:
            item = next((i for i in items if i.title.startswith(title)), None)
            if item is not None:
                actions.add_measure(planner, risk, MeasureData(plan_slug=DEMO_PLAN, item_uid=item.uid))
    return register
