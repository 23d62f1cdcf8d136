"""On a phone (360 px) in headless Chromium: file a complaint, read the receipt, come back with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from prongsai.complaints.models import Case

PROOF_JS = Path(__file__).resolve().parents[2] / "static" / "prongsai" / "proof.js"
# The forms are written for the shared proof-of-work script (lib/tickets + static/prongsai/proof.js),
# which lands with the no-trace work; until it is merged the browser has nothing to solve the proof with.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not PROOF_JS.exists(), reason="static/prongsai/proof.js not merged yet"),
]


def test_a_reporter_files_on_a_phone_and_comes_back_with_the_receipt(
    transactional_db, live_server, org_a, phone, settings
):
    settings.COMPLAINTS_PROOF_BITS = 12  # the page's script solves a real proof of work
    settings.SURVEY_TICKET_MIN_SECONDS = 1
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP
    page = phone
    page.goto(f"{live_server.url}/p/wangphai/complaints/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ร้องเรียนการทุจริต")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("เกิดอะไรขึ้น").fill("เจ้าหน้าที่เรียกเงินก่อนออกใบอนุญาต")
    page.get_by_label("ใครเกี่ยวข้อง").fill("เจ้าหน้าที่กองช่าง")
    send = page.get_by_role("button", name="ส่งเรื่องร้องเรียน")
    expect(send).to_be_enabled(timeout=60_000)
    send.click()
    receipt = page.locator("[data-receipt]")
    expect(receipt).to_be_visible()
    digits = receipt.inner_text().replace(" ", "")
    assert len(digits) == 16 and digits.isdigit()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert Case.objects.count() == 1

    page.get_by_role("link", name="ติดตามเรื่องร้องเรียน").first.click()
    page.get_by_label("เลขรับเรื่อง 16 หลัก").fill(
        receipt_text := " ".join(digits[i : i + 4] for i in range(0, 16, 4))
    )
    open_button = page.get_by_role("button", name="เปิดเรื่องร้องเรียน")
    expect(open_button).to_be_enabled(timeout=60_000)
    open_button.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เรื่องร้องเรียนของคุณ")
    expect(page.locator("[data-status]")).to_have_text("รับเรื่องแล้ว")
    expect(page.get_by_text("เจ้าหน้าที่เรียกเงินก่อนออกใบอนุญาต")).to_be_visible()
    assert receipt_text not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
