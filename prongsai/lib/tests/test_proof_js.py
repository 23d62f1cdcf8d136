"""``static/prongsai/proof.js`` in headless Chromium on its documented markup alone, outside any app."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from prongsai.lib.tickets import new_ticket, proof_is_good

pytestmark = pytest.mark.browser

FORM = """
<form id="{id}" data-proof-ticket="{ticket}" data-proof-bits="{bits}" data-proof-min-seconds="{wait}"
      data-proof-working="กำลังเตรียม" data-proof-done="พร้อมส่ง">
  <input type="hidden" name="proof" value="{proof}">
  <p data-proof-status></p>
  <button type="submit" data-proof-submit disabled>ส่ง</button>
  <button type="submit" data-proof-submit disabled>ส่งอีกปุ่ม</button>
</form>
"""


def test_every_form_with_a_ticket_gets_its_proof_its_status_and_its_buttons(live_server, phone):
    hard, easy = new_ticket("test", "a", bits=12), new_ticket("test", "b", bits=0)
    page = phone
    page.goto(f"{live_server.url}/healthz")  # an origin of the site: WebCrypto needs a secure context
    page.set_content(
        FORM.format(id="hard", ticket=hard, bits=12, wait=1, proof="")
        + FORM.format(id="easy", ticket=easy, bits=0, wait=0, proof="")
        + FORM.format(id="again", ticket=hard, bits=12, wait=0, proof="kept")
        + '<form id="other"><input name="proof"><button data-proof-submit disabled>x</button></form>'
    )
    page.add_script_tag(url="/static/prongsai/proof.js")

    expect(page.locator('#hard[data-proof-ready="1"]')).to_have_count(1, timeout=30_000)
    assert proof_is_good(hard, page.locator("#hard input[name=proof]").input_value(), 12)
    expect(page.locator("#hard [data-proof-status]")).to_have_text("พร้อมส่ง")
    expect(page.locator("#hard button:enabled")).to_have_count(2)

    assert page.locator("#easy input[name=proof]").input_value() == "0"
    expect(page.locator("#easy button:enabled")).to_have_count(2)
    # A form shown again keeps the proof it was sent with; a form without a ticket is left alone.
    assert page.locator("#again input[name=proof]").input_value() == "kept"
    expect(page.locator("#again button:enabled")).to_have_count(2)
    assert page.locator("#other button").is_disabled()
    assert page.locator("#other[data-proof-ready]").count() == 0


def test_the_button_waits_for_the_tickets_minimum_age(live_server, phone):
    ticket = new_ticket("test", "a", bits=0)
    page = phone
    page.goto(f"{live_server.url}/healthz")
    page.set_content(FORM.format(id="slow", ticket=ticket, bits=0, wait=3, proof=""))
    page.add_script_tag(url="/static/prongsai/proof.js")
    page.wait_for_timeout(1000)
    assert page.locator("#slow button").first.is_disabled()
    expect(page.locator("#slow button:enabled")).to_have_count(2, timeout=10_000)
