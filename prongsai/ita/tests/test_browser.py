"""End to end in headless Chromium at phone width: a respondent answers a survey, staff see the scores."""

from __future__ import annotations

import re

import pytest

from prongsai.conftest import PASSWORD
from prongsai.ita.models import Answer, SurveyResponse
from prongsai.ita.tests.helpers import link, open_round

pytestmark = pytest.mark.browser


def test_a_respondent_answers_the_eit_survey_on_a_phone_and_staff_see_the_scores(
    transactional_db, live_server, people, org_a, phone
):
    survey_round = open_round(people["alice"], org_a)
    survey_link = link(survey_round, "EIT")
    questionnaire = survey_link.questionnaire
    page = phone
    page.goto(f"{live_server.url}/s/{survey_link.token}/")
    assert page.get_by_role("heading", level=1).inner_text() == questionnaire.name_th
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone

    # Submitting with nothing answered is stopped by the browser: every radio group is required.
    page.get_by_role("button", name="ส่งคำตอบ").click()
    assert SurveyResponse.objects.count() == 0

    for item in questionnaire.items:
        label = "มากที่สุด" if len(item.options) == 4 else item.options[1].label_th
        group = page.locator(f'fieldset.item:has(input[name="{item.key}"])')
        group.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="ส่งคำตอบ").click()
    page.wait_for_selector("text=ขอบคุณที่ตอบแบบสำรวจ")

    assert SurveyResponse.objects.filter(round=survey_round, tool="EIT").count() == 1
    assert Answer.objects.filter(round=survey_round).count() == len(questionnaire.items)

    # Opening the link again on the same phone shows the thanks page, not the form.
    page.goto(f"{live_server.url}/s/{survey_link.token}/")
    assert page.locator("text=ขอบคุณที่ตอบแบบสำรวจ").count() == 1
    assert page.locator('input[type="radio"]').count() == 0

    # Staff sign in and see the live scores of the round (signed out, /o/ pages are 404, never a redirect).
    round_path = f"/o/{org_a.slug}/ita/rounds/{survey_round.pk}/"
    page.goto(f"{live_server.url}/accounts/login/?next={round_path}")
    page.get_by_label("ชื่อผู้ใช้").fill("dan")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"^{re.escape(live_server.url + round_path)}$"))
    body = page.locator("main").inner_text()
    assert "ตอบแล้ว 1 คน" in body
    row = page.locator("tr", has_text="ประสิทธิภาพการสื่อสาร").inner_text()
    assert "100.00" in row  # E6, E7, E9 at "most", E8 and E10 "has": all 100
    assert page.locator("svg.ita-svg rect.bar").count() == 5  # i6–i8, and the OIT indicators at 0
