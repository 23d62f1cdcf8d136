"""End to end in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from prongsai.conftest import PASSWORD

pytestmark = pytest.mark.browser


def total_row(page: Page, dimension: int) -> str:
    return page.locator(f"#dimension-{dimension} + .table-wrap tr.total").inner_text()


def test_a_planner_signs_in_adds_an_item_with_budgets_and_sees_the_totals_change(
    transactional_db, live_server, plan, phone
):
    page = phone
    page.goto(f"{live_server.url}/o/wangphai/plans/2561-2564/")
    assert "/accounts/login/" in page.url
    page.get_by_label("ชื่อผู้ใช้").fill("alice")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/o/wangphai/plans/2561-2564/$"))
    before = total_row(page, 2)
    assert "รวม ๐ โครงการ ๑ กิจกรรม ๐ มาตรการ" in before

    page.get_by_role("link", name="เพิ่มโครงการ/กิจกรรม/มาตรการ").first.click()
    page.get_by_label("ภารกิจตามมิติ").select_option("2.2")
    page.get_by_label("ประเภท").select_option("project")
    page.get_by_label("ชื่อโครงการ/กิจกรรม/มาตรการ").fill("โครงการเผยแพร่ข้อมูลการจัดซื้อจัดจ้าง")
    page.get_by_label("ปี ๒๕๖๑ งบประมาณ (บาท)").fill("12,500")
    page.get_by_label("ปี ๒๕๖๓ งบประมาณ (บาท)").fill("๗๕๐๐")
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_url(re.compile(r".*/o/wangphai/plans/2561-2564/#item-\d+$"))

    after = total_row(page, 2)
    assert "รวม ๑ โครงการ ๑ กิจกรรม ๐ มาตรการ" in after
    assert "๑๒,๕๐๐" in after
    assert "๗,๕๐๐" in after
    summary = page.locator("#summary + .table-wrap tr.total").inner_text()
    assert "๓๒,๕๐๐" in summary  # 20,000 from dimension 1 + 12,500


def test_a_bad_budget_is_shown_next_to_its_field_in_thai(transactional_db, live_server, plan, phone):
    page = phone
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("alice")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(f"{live_server.url}/o/wangphai/plans/2561-2564/items/new/?mission=3.1")
    page.get_by_label("ชื่อโครงการ/กิจกรรม/มาตรการ").fill("โครงการทดสอบ")
    page.get_by_label("ปี ๒๕๖๒ งบประมาณ (บาท)").fill("-100")
    page.get_by_role("button", name="บันทึก").click()
    field = page.locator("#id_budget_2562")
    assert field.get_attribute("aria-invalid") == "true"
    assert "งบประมาณต้องไม่ติดลบ" in page.locator("#id_budget_2562_error").inner_text()
    assert plan.items.count() == 2


def test_indicator_rows_are_added_without_saving_first(transactional_db, live_server, plan, phone):
    page = phone
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("alice")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(f"{live_server.url}/o/wangphai/plans/2561-2564/items/new/?mission=3.1")
    page.get_by_label("ชื่อโครงการ/กิจกรรม/มาตรการ").fill("โครงการที่มีตัวชี้วัดสี่ข้อ")
    rows = page.locator("#indicator-rows .indicator")
    assert rows.count() == 2
    add = page.get_by_role("button", name="เพิ่มตัวชี้วัด")
    add.click()
    add.click()
    assert rows.count() == 4
    for index in range(4):
        page.locator(f"#id_indicators-{index}-description").fill(f"ตัวชี้วัดข้อที่ {index + 1}")
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_url(re.compile(r".*/plans/2561-2564/#item-\d+$"))
    item = plan.items.get(title="โครงการที่มีตัวชี้วัดสี่ข้อ")
    assert list(item.indicators.order_by("position").values_list("description", flat=True)) == [
        f"ตัวชี้วัดข้อที่ {n}" for n in range(1, 5)
    ]
