"""The 15-day first answer: plain calendar days, across month ends and the fiscal year's turn (1 October)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prongsai.complaints import actions
from prongsai.complaints.models import Case, Status
from prongsai.complaints.tests.conftest import file


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2025, 9, 30), dt.date(2025, 10, 15)),  # last day of FY 2568 → in FY 2569
        (dt.date(2025, 10, 1), dt.date(2025, 10, 16)),  # first day of FY 2569
        (dt.date(2025, 9, 20), dt.date(2025, 10, 5)),
        (dt.date(2025, 1, 31), dt.date(2025, 2, 15)),
        (dt.date(2024, 2, 14), dt.date(2024, 2, 29)),  # leap year
        (dt.date(2025, 2, 14), dt.date(2025, 3, 1)),
        (dt.date(2025, 12, 20), dt.date(2026, 1, 4)),
    ],
)
def test_the_first_answer_is_due_fifteen_calendar_days_after_receipt(received, due):
    assert Case.due_for(received) == due


def test_days_left_count_down_and_go_negative_when_overdue():
    case = Case(received_on=dt.date(2025, 9, 30), first_answer_due=dt.date(2025, 10, 15))
    assert case.days_left(dt.date(2025, 9, 30)) == 15
    assert case.days_left(dt.date(2025, 10, 15)) == 0
    assert case.days_left(dt.date(2025, 10, 16)) == -1
    case.first_answered_on = dt.date(2025, 10, 2)
    assert case.days_left(dt.date(2025, 10, 16)) is None


def test_a_referral_or_outside_remit_is_a_first_answer_and_closes(org_a, officer):
    case = file(org_a).case
    actions.change_status(officer, case, Status.REFERRED, referred_to="nacc")
    case.refresh_from_db()
    assert case.first_answered_on == timezone.localdate() and case.closed_on == timezone.localdate()
    assert case.referred_to == "nacc"


def test_acknowledging_is_not_an_answer(org_a, officer):
    case = file(org_a).case
    actions.change_status(officer, case, Status.ACKNOWLEDGED)
    case.refresh_from_db()
    assert case.first_answered_on is None and case.closed_on is None


def test_a_referral_names_the_body_and_a_bad_status_saves_nothing(org_a, officer):
    from django.core.exceptions import ValidationError

    case = file(org_a).case
    with pytest.raises(ValidationError) as refused:
        actions.change_status(officer, case, Status.REFERRED)
    assert "referred_to" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.change_status(officer, case, Status.REFERRED, referred_to="other")
    assert "referred_body" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.change_status(officer, case, "lost")
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_the_dashboard_flags_overdue_cases(org_a, officer, client):
    from django.urls import reverse

    from prongsai.complaints.tests.conftest import sign_in

    case = file(org_a).case
    Case.objects.filter(pk=case.pk).update(
        received_on=dt.date(2020, 1, 1), first_answer_due=dt.date(2020, 1, 16)
    )
    page = sign_in(officer).get(reverse("complaints", kwargs={"org": "wangphai"})).content.decode()
    assert 'data-count="overdue">1<' in page and "เกินกำหนด" in page
