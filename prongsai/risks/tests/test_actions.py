"""Every write to a register: authorized, validated by field, all-or-nothing, one audit entry, replayable."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prongsai.audit.models import AuditEvent
from prongsai.conftest import changed_state, last_entry, log_problems
from prongsai.risks import actions
from prongsai.risks.models import Measure, RegisterStatus, Risk
from prongsai.risks.tests.conftest import risk_data


def test_a_planner_opens_a_register_and_adds_a_risk_with_computed_score_and_level(register, people):
    risk = actions.add_risk(people["alice"], register, risk_data())
    assert (risk.score, risk.level.key, risk.level.title_th) == (16, "very_high", "สูงมาก")
    assert (risk.residual_score, risk.residual_level.key) == (6, "medium")
    entry = last_entry("risk.add")
    assert entry.params["year"] == 2562
    state = changed_state(entry, "risk")
    assert state["likelihood"] == 4 and "level" not in state and "score" not in state
    assert log_problems() == []


def test_a_second_register_for_the_same_year_is_refused(register, people, org_a):
    with pytest.raises(ValidationError) as error:
        actions.create_register(people["alice"], org_a, 2562)
    assert "fiscal_year" in error.value.message_dict


@pytest.mark.parametrize("user", ["carol", "dan", "erin"])
def test_auditors_viewers_and_outsiders_cannot_write(register, people, user):
    with pytest.raises(PermissionDenied):
        actions.add_risk(people[user], register, risk_data())
    assert not Risk.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"likelihood": 0}, "likelihood"),
        ({"likelihood": 6}, "likelihood"),
        ({"impact": None}, "impact"),
        ({"residual_impact": 7}, "residual_impact"),
        ({"residual_likelihood": True}, "residual_likelihood"),
        ({"area": ""}, "area"),
        ({"area": "weather"}, "area"),
        ({"event": "  "}, "event"),
        ({"process": ""}, "process"),
        ({"target": "x" * 301}, "target"),
        ({"cause": "a\x00b"}, "cause"),
    ],
)
def test_a_bad_risk_is_refused_naming_the_field_and_nothing_is_saved(register, people, overrides, field):
    entries = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.add_risk(people["alice"], register, risk_data(**overrides))
    assert field in error.value.message_dict
    assert not Risk.objects.exists()
    assert AuditEvent.objects.count() == entries


def test_a_stale_edit_is_refused(register, people):
    risk = actions.add_risk(people["alice"], register, risk_data())
    actions.update_risk(people["bob"], risk, risk_data(likelihood=2), expected_version=1)
    with pytest.raises(actions.StaleEdit):
        actions.update_risk(people["alice"], risk, risk_data(likelihood=5), expected_version=1)
    risk.refresh_from_db()
    assert (risk.likelihood, risk.version) == (2, 2)


def test_a_measure_links_an_item_of_the_published_plan_by_uid(register, people, published):
    item = published.items.get(title="โครงการความรู้คู่คุณธรรม")
    risk = actions.add_risk(people["alice"], register, risk_data())
    measure = actions.add_measure(
        people["alice"], risk, actions.MeasureData(plan_slug=published.slug, item_uid=item.uid)
    )
    assert measure.is_linked and measure.title == item.title
    assert measure.item_uid is not None
    linked = actions.linked_item(register.organization, measure.plan_slug, measure.item_uid)
    assert linked is not None and linked.pk == item.pk
    assert log_problems() == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"plan_slug": "2561-2564"}, "item_uid"),
        ({"item_uid": uuid.uuid4()}, "plan_slug"),
        ({"plan_slug": "2561-2564", "item_uid": uuid.uuid4()}, "item_uid"),
        ({"title": "", "owner": "ปลัด"}, "title"),
        ({"title": "ตั้งกล่องรับเรื่องร้องเรียน", "owner": ""}, "owner"),
        (
            {
                "title": "ตั้งกล่องรับเรื่องร้องเรียน",
                "owner": "ปลัด",
                "start_date": dt.date(2562, 1, 1),
                "due_date": dt.date(2561, 1, 1),
            },
            "due_date",
        ),
    ],
)
def test_a_bad_measure_is_refused_naming_the_field(register, people, published, data, field):
    risk = actions.add_risk(people["alice"], register, risk_data())
    with pytest.raises(ValidationError) as error:
        actions.add_measure(people["alice"], risk, actions.MeasureData(**data))
    assert field in error.value.message_dict
    assert not Measure.objects.exists()


def test_an_unpublished_plans_item_cannot_be_linked(register, people, plan):
    risk = actions.add_risk(people["alice"], register, risk_data())
    item = plan.items.first()
    with pytest.raises(ValidationError):
        actions.add_measure(
            people["alice"], risk, actions.MeasureData(plan_slug=plan.slug, item_uid=item.uid)
        )


def test_a_standalone_measure_has_its_own_owner_and_dates_and_can_be_overdue(register, people):
    risk = actions.add_risk(people["alice"], register, risk_data())
    measure = actions.add_measure(
        people["alice"],
        risk,
        actions.MeasureData(title="ประกาศขั้นตอนและระยะเวลา", owner="กองช่าง", due_date=dt.date(2019, 9, 30)),
    )
    assert not measure.is_linked
    assert measure.is_overdue(dt.date(2019, 10, 1)) and not measure.is_overdue(dt.date(2019, 9, 30))
    data = actions.MeasureData.of(measure)
    data.done = True
    measure = actions.update_measure(people["alice"], measure, data, expected_version=1)
    assert not measure.is_overdue(dt.date(2020, 1, 1))
    actions.remove_measure(people["alice"], measure)
    assert not Measure.objects.exists()
    assert log_problems() == []


def test_removing_a_risk_removes_its_measures_in_one_entry(register, people):
    risk = actions.add_risk(people["alice"], register, risk_data())
    actions.add_measure(people["alice"], risk, actions.MeasureData(title="มาตรการ", owner="ปลัด"))
    actions.remove_risk(people["alice"], risk)
    entry = last_entry("risk.remove")
    assert sorted(c["type"] for c in entry.changes) == ["risk", "risk_measure"]
    assert all(c["state"] is None for c in entry.changes)
    assert log_problems() == []


def test_the_approver_approves_returns_and_publishes_and_only_a_draft_is_edited(register, people):
    risk = actions.add_risk(people["alice"], register, risk_data())
    with pytest.raises(PermissionDenied):
        actions.approve_register(people["alice"], register)
    actions.approve_register(people["bob"], register)
    with pytest.raises(ValidationError):
        actions.update_risk(people["alice"], risk, risk_data(likelihood=1))
    actions.return_register(people["bob"], register)
    actions.update_risk(people["alice"], risk, risk_data(likelihood=1))
    actions.approve_register(people["bob"], register)
    register = actions.publish_register(people["bob"], register)
    assert register.status == RegisterStatus.PUBLISHED and register.published_by == people["bob"]
    with pytest.raises(ValidationError):
        actions.return_register(people["bob"], register)
    assert log_problems() == []


def test_an_empty_register_cannot_be_approved(register, people):
    with pytest.raises(ValidationError):
        actions.approve_register(people["bob"], register)


def test_old_years_stay_readable_next_to_a_new_one(register, people, org_a):
    actions.add_risk(people["alice"], register, risk_data())
    actions.approve_register(people["bob"], register)
    actions.publish_register(people["bob"], register)
    newer = actions.create_register(people["alice"], org_a, 2563)
    assert [r.fiscal_year for r in org_a.risk_registers.all()] == [2563, 2562]
    assert register.risks.count() == 1 and newer.risks.count() == 0
