"""In headless Chromium at phone width: a planner fills an item's 6-month report and sees the round change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from prongsai.conftest import PASSWORD
from prongsai.reports import actions

pytestmark = pytest.mark.browser


def test_a_planner_fills_a_report_on_a_phone(transactional_db, live_server, published, people, phone):
    actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    page = phone
    page.goto(f"{live_server.url}/o/wangphai/reports/")
    page.get_by_label("ชื่อผู้ใช้").fill("alice")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"^http://[^/?]+/o/wangphai/reports/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(page.get_by_text("๓ จาก ๓ รายการ")).to_be_visible()

    page.get_by_role("link", name="รอบ ๖ เดือน").click()
    page.wait_for_url(re.compile(r".*/reports/2561-2564/2561/6/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="โครงการความรู้คู่คุณธรรม").click()
    page.wait_for_url(re.compile(r".*/items/[0-9a-f-]+/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_label("อยู่ระหว่างดำเนินการ").check()
    page.get_by_label("ไตรมาส ๑").check()
    page.get_by_label("งบประมาณตามข้อบัญญัติ/เทศบัญญัติ (บาท)").fill("๒๐,๐๐๐")
    page.get_by_label("การเบิกจ่ายงบประมาณ (บาท)").fill("ห้าพัน")
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_load_state()
    field = page.locator("#id_disbursed")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert field.get_attribute("aria-invalid") == "true"
    assert "ต้องเป็นตัวเลข" in page.locator("#id_disbursed_error").inner_text()

    # Keyboard only from here: the field, the indicator result, then Enter submits.
    field.fill("")
    field.focus()
    page.keyboard.type("๕,๐๐๐")
    page.get_by_label("ร้อยละของผู้เข้าร่วมที่ผ่านการทดสอบ").focus()
    page.keyboard.type("85")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/reports/2561-2564/2561/6/#r-.*"))
    expect(page.get_by_text("บันทึกผลการดำเนินงานแล้ว")).to_be_visible()
    expect(page.get_by_text("รอรายงานผล ๒ จาก ๓ รายการ")).to_be_visible()
    report = published.report_rounds.get().reports.get(title__startswith="โครงการความรู้")
    assert (report.status, str(report.disbursed), report.quarters) == ("in_progress", "5000.00", [1])
