"""Demo complaint channel (illustrative): Wang Phai's complaints officer, authorised by the demo executive,
the organisation's recovery key, and one complaint filed through the real action with a reply.

The receipt and the recovery code are printed once by ``prongsai demo`` (they are stored nowhere, as in
production): the first run files the case; a later run files nothing and says so.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from prongsai.complaints import actions, crypto, flood, keys
from prongsai.complaints.models import Case, Handler, RecoveryKey
from prongsai.organizations.models import Organization

DEMO_ORG = "wangphai"
OFFICER = f"{DEMO_ORG}-complaints"
EXECUTIVE = f"{DEMO_ORG}-approver"
CONTENT = {
    "what": (
        "(ข้อมูลตัวอย่างประกอบ) ผู้รับเหมาโครงการก่อสร้างถนนคอนกรีตหมู่ 4 เล่าว่าต้องจ่ายเงินให้เจ้าหน้าที่"
        " ผู้ตรวจรับงานก่อนจึงจะได้รับการตรวจรับ"
    ),
    "when_where": "(ตัวอย่าง) เดือนที่แล้ว ที่สำนักงานกองช่าง",
    "who": "(ตัวอย่าง) เจ้าหน้าที่ผู้ตรวจรับงานจ้าง",
    "remedy": "(ตัวอย่าง) ขอให้ตรวจสอบการตรวจรับงานโครงการนี้",
}
REPLY = (
    "(ข้อความตัวอย่าง) ได้รับเรื่องแล้ว ขอบคุณที่แจ้ง เจ้าหน้าที่กำลังตรวจสอบเอกสารการตรวจรับงาน"
    " หากท่านมีหลักฐาน เช่น ภาพถ่าย แนบเพิ่มได้ที่หน้านี้"
)


def _password(username: str) -> str:
    known: dict[str, str] = json.loads(
        (Path(settings.VAR_DIR) / "demo-users.json").read_text(encoding="utf-8")
    )
    return known[username]


RISK_AREA = "budget"  # the demo complaint is about an inspection of works paid for


def _cite_in_a_draft_register(organization: Organization, case: Case) -> None:
    """Complaint themes feeding the risk assessment: the planner drafts the register of the year the
    complaint came in with a risk of its area that cites it (illustrative, like the rest of the demo)."""
    from prongsai.lib.thai import fiscal_year_of
    from prongsai.risks import actions as risk_actions
    from prongsai.risks.models import RiskRegister

    planner = get_user_model().objects.filter(username=f"{DEMO_ORG}-planner").first()
    year = fiscal_year_of(case.received_on)
    if planner is None or RiskRegister.objects.filter(organization=organization, fiscal_year=year).exists():
        return
    register = risk_actions.create_register(planner, organization, year, illustrative=True)
    risk = risk_actions.add_risk(
        planner,
        register,
        risk_actions.RiskData(
            process="การตรวจรับงานจ้างก่อสร้าง",
            event="(ตัวอย่าง) เจ้าหน้าที่ผู้ตรวจรับงานเรียกรับเงินจากผู้รับจ้างก่อนตรวจรับ",
            cause="การตรวจรับทำโดยคนเดียว ไม่มีผู้แทนชุมชนร่วมสังเกตการณ์",
            area=RISK_AREA,
            likelihood=4,
            impact=4,
            residual_likelihood=2,
            residual_impact=3,
            owner_unit="กองช่าง",
            indicator="จำนวนเรื่องร้องเรียนเรื่องการตรวจรับงาน",
            target="ไม่มีเรื่องร้องเรียน",
        ),
    )
    risk_actions.cite_complaints(planner, risk, [case.reference])


def load_demo_complaints() -> str | None:
    """Returns what the demo command prints (the receipt and recovery code), or None when already loaded."""
    organization = Organization.objects.filter(slug=DEMO_ORG).first()
    users = get_user_model().objects
    officer, executive = users.filter(username=OFFICER).first(), users.filter(username=EXECUTIVE).first()
    if organization is None or officer is None or executive is None:
        return None
    lines: list[str] = []
    private = keys.open_or_make(officer, _password(OFFICER))
    if not Handler.objects.filter(organization=organization, user=officer, active=True).exists():
        actions.authorise_handler(executive, organization, officer)
    if not RecoveryKey.objects.filter(organization=organization).exists():
        code = actions.create_recovery_key(executive, organization)
        lines.append(f"  กุญแจกู้คืน / recovery code ({EXECUTIVE}): {crypto.grouped(code)}")
    if Case.objects.filter(organization=organization).exists():
        lines.append(
            "  เรื่องร้องเรียนตัวอย่างยื่นไว้แล้วเมื่อเตรียมข้อมูลสาธิตครั้งแรก (เลขรับเรื่องแสดงครั้งเดียว) /"
            f" the demo complaint was filed on the first run; file another at /p/{DEMO_ORG}/complaints/new/"
        )
        return "\n".join(lines)
    ticket, bits = flood.filing_ticket(organization)
    # The demo loader files at once: it counts the ticket's minimum age as passed.
    later = time.time() + settings.COMPLAINTS_TICKET_MIN_SECONDS + 1
    checked = flood.check_filing(ticket, flood.solve_proof(ticket, bits), organization, now=later)
    filed = actions.file_case(organization, checked, CONTENT)
    actions.officer_reply(officer, filed.case, private, REPLY)
    actions.tag_risk_area(officer, filed.case, RISK_AREA)
    _cite_in_a_draft_register(organization, filed.case)
    lines.append(
        f"  เรื่องร้องเรียนตัวอย่าง / demo complaint: /p/complaints/ เลขรับเรื่อง / receipt {crypto.grouped(filed.receipt)}"
    )
    return "\n".join(lines)
