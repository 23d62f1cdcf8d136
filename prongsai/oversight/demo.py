"""Demo oversight: a province officer for ชุมพร (``chumphon-province``) and a national officer (``national``),
and six illustrative organisations (they do not exist; "(ตัวอย่าง)" in their names) in real districts of
Chumphon besides Wang Phai, with plans and FY 2561 reports in different states, so the province
dashboard shows every traffic light, late and missing reports, and organisations without a plan.

Made through the same actions as everything else, as ``system:demo``; the illustrative organisations are
recorded as one-person offices so the demo can submit and approve their plans. Re-runs keep data.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model

from prongsai.organizations import actions as org_actions
from prongsai.organizations.access import SystemActor
from prongsai.organizations.models import Organization, OrganizationKind
from prongsai.oversight import actions
from prongsai.oversight.models import OversightGrant
from prongsai.oversight.refresh import refresh_all
from prongsai.plans import actions as plan_actions
from prongsai.reports import actions as report_actions
from prongsai.reports.actions import ReportData

DEMO = SystemActor("demo")
PLAN = "2561-2564"
# slug, name, district, plan state, the 6-month statuses of its four items (None: no round published)
ORGANISATIONS: tuple[tuple[str, str, str, str, tuple[str, ...] | None], ...] = (
    (
        "demo-thasae",
        "(ตัวอย่าง) เทศบาลตำบลท่าแซะ",
        "8602",
        "published",
        ("completed", "completed", "in_progress", "in_progress"),
    ),
    (
        "demo-pathio",
        "(ตัวอย่าง) องค์การบริหารส่วนตำบลบางสน",
        "8603",
        "published",
        ("in_progress", "in_progress", "", ""),
    ),
    ("demo-langsuan", "(ตัวอย่าง) เทศบาลเมืองหลังสวน", "8604", "published", ("in_progress", "", "", "cannot")),
    ("demo-lamae", "(ตัวอย่าง) องค์การบริหารส่วนตำบลละแม", "8605", "published", None),
    ("demo-phato", "(ตัวอย่าง) องค์การบริหารส่วนตำบลพะโต๊ะ", "8606", "draft", None),
    ("demo-sawi", "(ตัวอย่าง) เทศบาลตำบลสวี", "8607", "none", None),
)
ITEMS = (
    ("1.1.1", "project", "โครงการอบรมคุณธรรมจริยธรรมแก่บุคลากร (ตัวอย่าง)", Decimal(30000)),
    ("2.1", "activity", "กิจกรรมประกาศเจตจำนงสุจริตของผู้บริหาร (ตัวอย่าง)", None),
    ("3.1", "measure", "มาตรการเผยแพร่ข้อมูลการจัดซื้อจัดจ้าง (ตัวอย่าง)", None),
    ("4.1", "project", "โครงการส่งเสริมบทบาทสภาท้องถิ่นในการตรวจสอบ (ตัวอย่าง)", Decimal(15000)),
)


def _organisation(slug: str, name: str, district: str) -> tuple[Organization, bool]:
    found = Organization.objects.filter(slug=slug).first()
    if found is not None:
        return found, False
    kind = OrganizationKind.SAO if "บริหารส่วนตำบล" in name else OrganizationKind.SUBDISTRICT_MUNICIPALITY
    fields = {
        "slug": slug,
        "name_th": name,
        "name_en": slug,
        "kind": kind,
        "district": district,
        "one_person_office": True,
    }
    return org_actions.create_organization(DEMO, fields), True


def _plan(organization: Organization, state: str, statuses: tuple[str, ...] | None) -> None:
    if state == "none":
        return
    plan = plan_actions.create_plan(
        DEMO,
        organization,
        slug=PLAN,
        title="แผนปฏิบัติการป้องกันการทุจริตสี่ปี (ตัวอย่างประกอบ)",
        first_year=2561,
        last_year=2564,
    )
    for code, kind, title, budget in ITEMS:
        budgets = {} if budget is None else {2561: budget, 2562: budget}
        plan_actions.add_item(
            DEMO,
            plan,
            plan.missions.get(code=code),
            plan_actions.ItemData(kind=kind, title=title, is_illustrative=True, budgets=budgets),
        )
    if state == "draft":
        return
    plan = plan_actions.approve_plan(DEMO, plan_actions.submit_plan(DEMO, plan))
    plan_actions.publish_plan(DEMO, plan)
    if statuses is None:
        return
    report_round = report_actions.open_round(DEMO, organization, PLAN, 2561, 6, illustrative=True)
    reports = list(report_round.reports.order_by("id"))
    for report, status in zip(reports, statuses, strict=False):
        if status:
            data = ReportData(
                status=status, reason="no_budget" if status == "cannot" else "", remark="ตัวอย่างประกอบ"
            )
            report_actions.save_report(DEMO, report, data)
    report_actions.publish_round(DEMO, report_actions.approve_round(DEMO, report_round))


def _grant(username: str, level: str, area: str | None) -> None:
    user = get_user_model().objects.filter(username=username).first()
    if user is not None and not OversightGrant.objects.filter(user=user).exists():
        actions.grant(DEMO, user, level, area)


def load_demo_oversight() -> bool:
    """The officers' grants, the illustrative organisations and their plans; then every summary row."""
    _grant("chumphon-province", "province", "86")
    _grant("national", "country", None)
    made = False
    for slug, name, district, state, statuses in ORGANISATIONS:
        organization, created = _organisation(slug, name, district)
        if created:
            _plan(organization, state, statuses)
            made = True
    if made:
        _mark_one_out_of_scope()
    refresh_all()
    return made


def _mark_one_out_of_scope() -> None:
    """The province officer's scope check on one illustrative plan: its last item, with the reason."""
    officer = get_user_model().objects.filter(username="chumphon-province").first()
    organization = Organization.objects.filter(slug="demo-lamae").first()
    if officer is None or organization is None:
        return
    plan = organization.plans.filter(slug=PLAN).order_by("-revision").first()
    item = plan.items.order_by("-position").first() if plan is not None else None
    if item is not None:
        actions.mark_out_of_scope(
            officer, organization, PLAN, item.uid, "(ตัวอย่าง) เป็นงานประจำตามอำนาจหน้าที่ ไม่ใช่มาตรการป้องกันการทุจริต"
        )
