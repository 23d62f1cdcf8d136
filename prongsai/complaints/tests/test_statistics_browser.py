"""The public complaint statistics on a phone (360 px): the page does not scroll sideways, the monthly
table scrolls inside its own focusable box, and axe-core finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from prongsai.complaints.models import Case, Status
from prongsai.portal.tests.helpers import publish

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def public_org(transactional_db, plan, people, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("prongsai.documents.actions.render_pdf", lambda plan, **kw: b"%PDF-1.7 stand-in\n")
    publish(plan, people)
    day = dt.date(2026, 1, 20)
    Case.objects.create(
        organization=plan.organization,
        received_on=day,
        status=Status.ANSWERED,
        first_answer_due=Case.due_for(day),
        first_answered_on=dt.date(2026, 2, 4),
    )
    return plan.organization


def test_the_statistics_fit_a_phone_and_the_table_scrolls_inside_its_box(live_server, public_org, phone):
    phone.goto(f"{live_server.url}/p/wangphai/complaints/statistics/?year=2569")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("สถิติเรื่องร้องเรียนการทุจริต")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    wrap = phone.locator(".table-wrap:has(table.complaint-statistics)")
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
    assert wrap.get_attribute("tabindex") == "0"
    expect(phone.locator("#m-2026-01 th")).to_contain_text("มกราคม")


def test_axe_finds_no_wcag_21_aa_violation_on_the_statistics(live_server, public_org, phone):
    phone.goto(f"{live_server.url}/p/wangphai/complaints/statistics/?year=2569")
    results = Axe().run(phone, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
