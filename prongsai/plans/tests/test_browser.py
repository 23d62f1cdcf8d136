"""End to end in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from prongsai.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page():
    # Playwright's sync API runs an event loop in this thread; the ORM calls these tests make around it are
    # ordinary synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Thai first: the browser asks for Thai, as a Thai officer's would.
        page = browser.new_page(viewport={"width": 360, "height": 800}, locale="th-TH")
        yield page
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def total_row(page, dimension: int) -> str:
    return page.locator(f"#dimension-{dimension} + .table-wrap tr.total").inner_text()


def test_a_planner_signs_in_adds_an_item_with_budgets_and_sees_the_totals_change(
    transactional_db, live_server, plan, browser_page
):
    page = browser_page
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


def test_a_bad_budget_is_shown_next_to_its_field_in_thai(transactional_db, live_server, plan, browser_page):
    page = browser_page
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
