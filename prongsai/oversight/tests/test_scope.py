"""The national system's scope check: a province reviewer marks a published plan item ไม่สอดคล้องกับมิติ
ของการป้องกันการทุจริต with a reason; it drops out of every count and score, the organisation sees the
mark and the reason, the organisation's log records it and audit verify covers it; nobody else may."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from prongsai.conftest import SETUP, client_for, log_problems, make_user
from prongsai.oversight import actions as oversight_actions
from prongsai.oversight.dashboards import build
from prongsai.oversight.models import Level, ScopeMark
from prongsai.oversight.refresh import refresh_all
from prongsai.oversight.views import _area_url
from prongsai.reports import actions
from prongsai.reports.actions import ReportData
from prongsai.reports.scores import summarise


@pytest.fixture(autouse=True)
def _no_report_pdf(monkeypatch):
    monkeypatch.setattr("prongsai.reports.document.report_pdf", lambda report_round: b"%PDF-1.7 test")


@pytest.fixture
def reviewer(db):
    user = make_user("priya", None, None)
    oversight_actions.grant(SETUP, user, "province", "86")  # ชุมพร, may review by default
    return user


@pytest.fixture
def national(db):
    user = make_user("nora", None, None)
    oversight_actions.grant(SETUP, user, "country", None)
    return user


def item_titled(plan, start):
    return plan.items.get(title__startswith=start)


def test_a_marked_item_counts_nowhere_and_the_organisation_sees_why(published, people, reviewer):
    measure = item_titled(published, "มาตรการเปิดเผย")
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    for title, status in (("โครงการความรู้", "completed"), ("กิจกรรมประกาศ", "in_progress")):
        actions.save_report(
            people["alice"], report_round.reports.get(title__startswith=title), ReportData(status=status)
        )
    before = summarise(report_round)
    assert (before.total.items, before.total.score) == (3, Decimal("50.00"))

    url = reverse("oversight_scope", kwargs={"org": published.organization.slug, "plan": published.slug})
    client = client_for(reviewer)
    page = client.get(url).content.decode()
    assert measure.title in page
    response = client.post(
        url, {"item_uid": str(measure.uid), "action": "mark", "reason": "เป็นงานประจำ ไม่ใช่การป้องกันการทุจริต"}
    )
    assert response.status_code == 302
    after = summarise(report_round)
    assert (after.total.items, after.total.score, after.out_of_scope) == (2, Decimal("75.00"), 1)
    actions.approve_round(people["bob"], report_round)
    actions.publish_round(people["bob"], report_round)
    refresh_all()
    total = build(Level.PROVINCE, "86", 2561, _area_url).total
    assert total.items == 2 and total.money[3]["planned"] == Decimal(0)

    plan_page = client_for(people["alice"]).get(
        reverse("plan", kwargs={"org": published.organization.slug, "plan": published.slug})
    )
    text = plan_page.content.decode()
    assert "ไม่สอดคล้องกับมิติ" in text and "เป็นงานประจำ ไม่ใช่การป้องกันการทุจริต" in text
    assert published.organization.audit_events.filter(event="scope.mark", actor=reviewer).exists()
    assert log_problems() == []

    client.post(url, {"item_uid": str(measure.uid), "action": "unmark"})
    assert not ScopeMark.objects.exists()
    assert log_problems() == []


def test_a_reason_is_required_and_an_unknown_item_is_refused(published, reviewer):
    organization = published.organization
    measure = item_titled(published, "มาตรการเปิดเผย")
    with pytest.raises(ValidationError) as refused:
        oversight_actions.mark_out_of_scope(reviewer, organization, published.slug, measure.uid, "  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        oversight_actions.mark_out_of_scope(
            reviewer, organization, published.slug, "00000000-0000-0000-0000-000000000000", "x"
        )
    url = reverse("oversight_scope", kwargs={"org": organization.slug, "plan": published.slug})
    response = client_for(reviewer).post(url, {"item_uid": str(measure.uid), "action": "mark", "reason": ""})
    assert response.status_code == 400 and "โปรดระบุเหตุผล" in response.content.decode()
    assert not ScopeMark.objects.exists()


def test_only_a_reviewer_of_the_area_may_mark(published, people, national, reviewer):
    organization = published.organization
    measure = item_titled(published, "มาตรการเปิดเผย")
    url = reverse("oversight_scope", kwargs={"org": organization.slug, "plan": published.slug})
    other = make_user("omar", None, None)
    oversight_actions.grant(SETUP, other, "province", "85")  # ระนอง
    assert client_for(other).get(url).status_code == 404  # another province: not even there
    assert client_for(national).get(url).status_code == 403  # national: read-only
    for member in ("alice", "bob", "carol", "dan"):  # the organisation's own people do not review it
        assert client_for(people[member]).get(url).status_code == 403
    assert client_for(people["erin"]).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        oversight_actions.mark_out_of_scope(national, organization, published.slug, measure.uid, "x")
    assert client_for(reviewer).get(url).status_code == 200
