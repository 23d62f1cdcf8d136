"""Four eyes on report rounds and risk registers: whoever last wrote one cannot also approve it, unless
the organisation is recorded as a one-person office (decision 0014)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from prongsai.organizations import actions as org_actions
from prongsai.organizations.access import SystemActor
from prongsai.reports import actions
from prongsai.reports.actions import ReportData
from prongsai.reports.models import RoundStatus
from prongsai.risks import actions as risk_actions
from prongsai.risks.models import RegisterStatus
from prongsai.risks.tests.conftest import risk_data


def filled_round(published: Any, people: dict[str, Any], writer: Any) -> Any:
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    report = report_round.reports.order_by("pk").first()
    assert report is not None
    actions.save_report(writer, report, ReportData(status="in_progress", remark="ทำแล้วบางส่วน"))
    return report_round


def test_the_executive_who_filled_the_round_last_cannot_approve_it(published, people):
    report_round = filled_round(published, people, people["bob"])
    with pytest.raises(ValidationError) as refused:
        actions.approve_round(people["bob"], report_round)
    assert "อนุมัติรายงานเองไม่ได้" in " ".join(refused.value.messages)
    report_round.refresh_from_db()
    assert report_round.status == RoundStatus.DRAFT


def test_another_executive_approves_the_round(published, people):
    report_round = filled_round(published, people, people["alice"])
    assert actions.approve_round(people["bob"], report_round).status == RoundStatus.APPROVED


def test_a_one_person_office_approves_what_it_wrote(published, people, org_a):
    org_actions.update_organization(SystemActor("test"), org_a, {"one_person_office": True})
    report_round = filled_round(published, people, people["bob"])
    assert actions.approve_round(people["bob"], report_round).status == RoundStatus.APPROVED


def test_another_rounds_writer_does_not_count(published, people):
    """The last writer is read for this round (year and months), not for the plan's other rounds."""
    report_round = filled_round(published, people, people["alice"])
    other = actions.open_round(people["alice"], published.organization, published.slug, 2561, 12)
    report = other.reports.order_by("pk").first()
    assert report is not None
    actions.save_report(people["bob"], report, ReportData(status="in_progress"))
    assert actions.approve_round(people["bob"], report_round).status == RoundStatus.APPROVED


def test_the_executive_who_wrote_the_register_last_cannot_approve_it(org_a, people):
    register = risk_actions.create_register(people["alice"], org_a, 2562)
    risk = risk_actions.add_risk(people["alice"], register, risk_data())
    risk_actions.add_measure(
        people["bob"], risk, risk_actions.MeasureData(title="ประกาศขั้นตอน", owner="กองช่าง")
    )
    with pytest.raises(ValidationError) as refused:
        risk_actions.approve_register(people["bob"], register)
    assert "อนุมัติทะเบียนเองไม่ได้" in " ".join(refused.value.messages)
    risk_actions.add_risk(people["alice"], register, risk_data(event="อีกเรื่อง"))
    assert risk_actions.approve_register(people["bob"], register).status == RegisterStatus.APPROVED


def test_filling_a_report_does_not_make_the_executive_the_plans_last_editor(published, people):
    """Report rounds share the plan's key in the log; their entries are not the plan's content."""
    from prongsai.plans import actions as plan_actions
    from prongsai.plans.models import PlanStatus

    draft = plan_actions.start_revision(people["alice"], published)
    plan_actions.submit_plan(people["alice"], draft)
    filled_round(published, people, people["bob"])  # bob reports on the published revision afterwards
    assert plan_actions.last_editor(draft) == people["alice"]
    assert plan_actions.approve_plan(people["bob"], draft).status == PlanStatus.APPROVED
