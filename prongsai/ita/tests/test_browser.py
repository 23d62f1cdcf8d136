"""End to end in headless Chromium at phone width: a respondent answers a survey, staff see the scores."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from prongsai.conftest import PASSWORD
from prongsai.ita import actions
from prongsai.ita.models import Answer, SurveyResponse
from prongsai.ita.tests.helpers import link, open_round

pytestmark = pytest.mark.browser


def test_a_respondent_answers_the_eit_survey_on_a_phone_and_staff_see_the_scores(
    transactional_db, live_server, people, org_a, phone, settings
):
    # The protections at their default strength: the page's script solves a real proof of work.
    settings.SURVEY_PROOF_BITS = 16
    settings.SURVEY_TICKET_MIN_SECONDS = 2
    survey_round = open_round(people["alice"], org_a)
    survey_link = link(survey_round, "EIT")
    questionnaire = survey_link.questionnaire
    page = phone
    page.goto(f"{live_server.url}/s/{survey_link.token}/")
    assert page.get_by_role("heading", level=1).inner_text() == questionnaire.name_th
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone

    # "Send" waits for the proof of work and the ticket's minimum age, then the proof fits the ticket.
    send = page.get_by_role("button", name="ส่งคำตอบ")
    expect(page.locator('form[data-proof-ready="1"]')).to_have_count(1, timeout=60_000)
    expect(send).to_be_enabled()
    ticket = page.locator('input[name="ticket"]').input_value()
    assert actions.proof_is_good(ticket, page.locator('input[name="proof"]').input_value(), 16)

    # Submitting with nothing answered is stopped by the browser, not refused by the server: every radio
    # group is required, no request leaves the page, and the browser says which question is missing.
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    send.click()
    expect(page.locator("input:invalid").first).to_be_visible()
    assert page.evaluate("document.querySelector('form.survey-form').checkValidity()") is False
    page.wait_for_timeout(500)  # long enough for a submission the browser let through to have started
    assert posts == []
    assert page.url == f"{live_server.url}/s/{survey_link.token}/"
    assert SurveyResponse.objects.count() == 0

    for item in questionnaire.items:
        label = "มากที่สุด" if len(item.options) == 4 else item.options[1].label_th
        group = page.locator(f'fieldset.item:has(input[name="{item.key}"])')
        group.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="ส่งคำตอบ").click()
    page.wait_for_selector("text=ขอบคุณที่ตอบแบบสำรวจ")
    assert len(posts) == 1  # the answered form did go to the server: the listener sees submissions

    assert SurveyResponse.objects.filter(round=survey_round, tool="EIT").count() == 1
    assert Answer.objects.filter(round=survey_round).count() == len(questionnaire.items)

    # Opening the link again on the same phone shows the thanks page, not the form.
    page.goto(f"{live_server.url}/s/{survey_link.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ขอบคุณที่ตอบแบบสำรวจ")
    expect(page.locator('input[type="radio"]')).to_have_count(0)

    # Staff sign in and see the live scores of the round (signed out, /o/ pages are 404, never a redirect).
    round_path = f"/o/{org_a.slug}/ita/rounds/{survey_round.pk}/"
    page.goto(f"{live_server.url}/accounts/login/?next={round_path}")
    page.get_by_label("ชื่อผู้ใช้").fill("dan")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"^{re.escape(live_server.url + round_path)}$"))
    # Counts are read through expect(), which waits for the page, never straight after navigating.
    expect(page.locator("main")).to_contain_text("ตอบแล้ว 1 คน")
    row = page.locator("tr", has_text="ประสิทธิภาพการสื่อสาร")
    expect(row).to_contain_text("100.00")  # E6, E7, E9 at "most", E8 and E10 "has": all 100
    expect(page.locator("svg.ita-svg rect.bar")).to_have_count(5)  # i6–i8, and the OIT indicators at 0
