"""The public pages in headless Chromium: at phone width nothing is wider than the screen, Thai renders,
the keyboard reaches the content, and axe-core finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from prongsai.portal.tests.helpers import add_items, publish

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def public_plan(transactional_db, plan, people):
    add_items(plan, people, 12, prefix="มาตรการส่งเสริมความโปร่งใสในการจัดซื้อจัดจ้างและการเปิดเผยข้อมูลต่อสาธารณะ")
    return publish(plan, people)


def test_the_public_plan_page_fits_a_phone_and_its_tables_scroll_inside_their_box(
    live_server, public_plan, phone
):
    page = phone
    page.goto(f"{live_server.url}/p/wangphai/plans/2561-2564/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("แผนปฏิบัติการป้องกันการทุจริตสี่ปี")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no horizontal scroll of the page
    # The wide Part 2 table scrolls inside its own box instead.
    wrap = page.locator(".table-wrap:has(table.part2)").first
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
    assert wrap.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    # Thai renders with real glyphs: the heading has height and wraps between words, not past the edge.
    box = heading.bounding_box()
    assert box is not None and box["height"] > 20 and box["x"] + box["width"] <= 360
    assert page.evaluate("document.fonts.check('16px sans-serif', 'กขค')")
    # Keyboard: the first Tab reaches the skip link, which takes focus to the content.
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=วังไผ่",
        "/p/wangphai/",
        "/p/wangphai/plans/2561-2564/",
        "ITEM",
        "/p/wangphai/plans/2561-2564/r/1/changes/",
        "/verify/",
    ],
)
def test_axe_finds_no_wcag_21_aa_violation(live_server, public_plan, phone, path):
    if path == "ITEM":
        path = f"/p/wangphai/plans/2561-2564/r/1/items/{public_plan.items.order_by('id').first().uid}/"
    phone.goto(f"{live_server.url}{path}")
    results = Axe().run(phone, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_axe_finds_no_violation_on_the_verify_result(live_server, public_plan, phone):
    from prongsai.documents.models import PublishedDocument

    phone.goto(f"{live_server.url}/verify/")
    phone.get_by_label("หรือ SHA-256 ของไฟล์").fill(PublishedDocument.objects.get(plan=public_plan).sha256)
    phone.get_by_role("button", name="ตรวจสอบ").click()
    expect(phone.locator(".verify-result")).to_contain_text("ตรงกับเอกสารที่ประกาศ")
    results = Axe().run(phone, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_axe_would_notice_a_violation(live_server, public_plan, phone):
    """The check can fail: an image without alternative text is reported."""
    phone.goto(f"{live_server.url}/")
    phone.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"data:,\">')")
    results = Axe().run(phone, options=WCAG_21_AA)
    assert "image-alt" in results.generate_snapshot()


# --- Progress reports -----------------------------------------------------------------------------


@pytest.fixture
def public_rounds(transactional_db, plan, people, monkeypatch, settings, tmp_path):
    from prongsai.reports.tests.public_rounds import make_rounds

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("prongsai.documents.actions.render_pdf", lambda plan, **kw: b"%PDF-1.7 stand-in\n")
    return make_rounds(plan, people)


ROUND_PAGE = "/p/wangphai/reports/2561-2564/2561/6/"


def test_the_public_round_page_fits_a_phone_and_its_table_scrolls_inside_its_box(
    live_server, public_rounds, phone
):
    phone.goto(f"{live_server.url}{ROUND_PAGE}")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("รายงานผลการดำเนินงาน รอบ ๖ เดือน")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    expect(phone.locator(".band")).to_contain_text("%")
    region = phone.get_by_role("region", name="ตัวเลขรายมิติ")
    assert region.evaluate("e => e.tabIndex") == 0
    # Every item is there with its status; the public evidence file is a link, the private one is not.
    expect(phone.locator(".report-items > li")).to_have_count(3)
    expect(phone.get_by_role("link", name="ภาพกิจกรรม.png")).to_be_visible()
    expect(phone.get_by_text("สำเนาบัตรประชาชน")).to_have_count(0)


@pytest.mark.parametrize("path", [ROUND_PAGE, "/p/wangphai/", "ITEM", "/data/"])
def test_axe_finds_no_wcag_21_aa_violation_on_the_report_pages(live_server, public_rounds, phone, path):
    if path == "ITEM":
        uid = public_rounds.plan.items.order_by("id").first().uid
        path = f"/p/wangphai/plans/2561-2564/r/1/items/{uid}/"
    phone.goto(f"{live_server.url}{path}")
    results = Axe().run(phone, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


# --- Risk registers -------------------------------------------------------------------------------


@pytest.fixture
def public_register(transactional_db, plan, people, settings, tmp_path):
    from prongsai.risks.tests.public_registers import published_register_with_round

    settings.MEDIA_ROOT = tmp_path / "media"
    publish(plan, people)
    return published_register_with_round(plan.organization, people)


RISK_PAGE = "/p/wangphai/risks/2562/"


def test_the_public_register_fits_a_phone_with_its_maps_and_counts(live_server, public_register, phone):
    phone.goto(f"{live_server.url}{RISK_PAGE}")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("การประเมินความเสี่ยงการทุจริต")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    expect(phone.locator("svg.map")).to_have_count(2)
    region = phone.get_by_role("region", name="ตารางจำนวนความเสี่ยงตามด้านและระดับ")
    assert region.evaluate("e => e.tabIndex") == 0
    expect(phone.get_by_role("link", name="public.pdf")).to_be_visible()
    expect(phone.get_by_text("private.pdf")).to_have_count(0)


@pytest.mark.parametrize("path", [RISK_PAGE, "/p/wangphai/"])
def test_axe_finds_no_wcag_21_aa_violation_on_the_risk_pages(live_server, public_register, phone, path):
    phone.goto(f"{live_server.url}{path}")
    results = Axe().run(phone, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
