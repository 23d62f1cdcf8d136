"""Report pages through HTTP: the form takes Thai digits, names problems next to the field, saves nothing
half-way; the import previews before it saves; the round page's queries do not grow with items."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prongsai.conftest import client_for
from prongsai.reports import actions, spreadsheet

from .test_spreadsheet import edit


@pytest.fixture
def report_round(published, people):
    return actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)


def round_kwargs(report_round):
    return {"org": "wangphai", "plan": report_round.plan_slug, "year": 2561, "months": 6}


def item_url(report_round, title_start):
    report = report_round.reports.get(title__startswith=title_start)
    return reverse("report_item", kwargs={**round_kwargs(report_round), "uid": report.item_uid}), report


def form(report, **fields):
    data = {
        "version": report.version,
        "status": "",
        "reason": "",
        "reason_text": "",
        "narrative": "",
        "remark": "",
    }
    data.update(fields)
    return data


def test_the_form_takes_thai_digits_and_saves(report_round, people):
    url, report = item_url(report_round, "โครงการความรู้")
    response = client_for(people["alice"]).post(
        url,
        form(
            report,
            status="in_progress",
            ordinance_budget="๒๐,๐๐๐",
            disbursed="๕,๐๐๐.๕๐",
            quarters=["1", "2"],
            result_0="๘๕",
        ),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.ordinance_budget, report.disbursed, report.quarters) == (
        Decimal(20000),
        Decimal("5000.50"),
        [1, 2],
    )
    assert report.indicator_results[0]["result"] == "85.00"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"disbursed": "ห้าพัน"}, "ต้องเป็นตัวเลข"),
        ({"disbursed": "-5"}, "ต้องไม่ติดลบ"),
        ({"status": "cannot"}, "กรุณาเลือกเหตุผล"),
        ({"status": "cannot", "reason": "other"}, "กรุณาระบุเหตุผลอื่นๆ"),
        ({"ordinance_budget": "100", "disbursed": "200"}, "ยืนยัน"),
    ],
)
def test_problems_show_next_to_the_field_and_nothing_is_saved(report_round, people, fields, message):
    url, report = item_url(report_round, "โครงการความรู้")
    response = client_for(people["alice"]).post(url, form(report, **fields))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "field-error" in html
    report.refresh_from_db()
    assert report.version == 1


def test_disbursed_above_the_ordinance_saves_once_confirmed_and_warns(report_round, people):
    url, report = item_url(report_round, "โครงการความรู้")
    client = client_for(people["alice"])
    response = client.post(
        url, form(report, ordinance_budget="100", disbursed="200", confirm_overspend="on"), follow=True
    )
    assert "ยอดเบิกจ่ายมากกว่างบประมาณ" in response.content.decode()
    report.refresh_from_db()
    assert report.disbursed == Decimal(200)


def test_an_item_without_a_budget_has_no_money_fields(report_round, people):
    url, _report = item_url(report_round, "กิจกรรมประกาศ")
    html = client_for(people["alice"]).get(url).content.decode()
    assert 'name="disbursed"' not in html
    assert "โดยไม่ใช้งบประมาณ" in html


def test_the_round_page_lists_what_is_missing_and_waiting_counts(report_round, people):
    html = (
        client_for(people["dan"])
        .get(reverse("report_round", kwargs=round_kwargs(report_round)))
        .content.decode()
    )
    assert "รอรายงานผล ๓ จาก ๓ รายการ" in html
    assert "งบตามข้อบัญญัติ" in html and "ผลตัวชี้วัด" in html
    listing = client_for(people["dan"]).get(reverse("reports", kwargs={"org": "wangphai"})).content.decode()
    assert "๓ จาก ๓ รายการ" in listing and "๓๐ เมษายน ๒๕๖๑" in listing


def test_the_round_page_needs_the_same_queries_for_more_items(report_round, people, published):
    url = reverse("report_round", kwargs=round_kwargs(report_round))
    client = client_for(people["bob"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    from prongsai.reports.models import ItemReport

    for n in range(10):
        ItemReport.objects.create(
            round=report_round, item_uid=f"00000000-0000-0000-0000-{n:012d}", title=f"x{n}"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_summary_page_has_charts_and_the_same_numbers_in_a_table(report_round, people):
    _url, report = item_url(report_round, "โครงการความรู้")
    actions.save_report(
        people["alice"],
        report,
        actions.ReportData(status="completed", ordinance_budget=Decimal(20000), disbursed=Decimal(15000)),
    )
    html = (
        client_for(people["dan"])
        .get(reverse("report_summary", kwargs=round_kwargs(report_round)))
        .content.decode()
    )
    assert html.count("<svg") == 2
    assert "๓๓.๓๓ %" in html  # 1 completed of 3 items
    assert "๑๕,๐๐๐" in html and "๗๕.๐๐" in html


def test_the_web_import_previews_then_saves_all_at_once(report_round, people):
    client = client_for(people["alice"])
    url = reverse("report_import", kwargs=round_kwargs(report_round))
    raw = edit(report_round, "กิจกรรมประกาศ", **{"สถานะการดำเนินงาน": "ดำเนินการแล้วเสร็จ"})
    preview = client.post(url, {"file": SimpleUploadedFile("r.xlsx", raw)})
    html = preview.content.decode()
    assert "ตรวจดูก่อนบันทึก" in html and "กิจกรรมประกาศเจตจำนง" in html
    assert not report_round.reports.filter(status="completed").exists()  # nothing saved by the preview
    token = html.split('name="confirm" value="')[1].split('"')[0]
    response = client.post(url, {"confirm": token, "file_name": "r.xlsx"})
    assert response.status_code == 302
    assert report_round.reports.filter(status="completed").count() == 1
    assert (
        client.post(url, {"confirm": token}).status_code == 302
    )  # a second use: the round's version changed
    assert report_round.reports.filter(status="completed").count() == 1


def test_the_web_import_names_problems_and_refuses_a_forged_preview(report_round, people):
    client = client_for(people["alice"])
    url = reverse("report_import", kwargs=round_kwargs(report_round))
    raw = edit(report_round, "โครงการความรู้", **{"การเบิกจ่ายงบประมาณ (บาท)": "abc"})
    html = client.post(url, {"file": SimpleUploadedFile("r.xlsx", raw)}).content.decode()
    assert "แถว 2 คอลัมน์" in html
    response = client.post(url, {"confirm": "forged:token"}, follow=True)
    assert "โปรดอัปโหลดไฟล์อีกครั้ง" in response.content.decode()


def test_opening_a_round_from_the_list_page(published, people):
    client = client_for(people["alice"])
    response = client.post(
        reverse("report_round_new", kwargs={"org": "wangphai"}),
        {"plan": published.slug, "fiscal_year": "2562", "months": "12"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/reports/2561-2564/2562/12/")


def test_workflow_buttons_approve_and_publish(report_round, people):
    client = client_for(people["bob"])
    kwargs = round_kwargs(report_round)
    client.post(reverse("report_round_approve", kwargs=kwargs))
    client.post(reverse("report_round_publish", kwargs=kwargs))
    report_round.refresh_from_db()
    assert report_round.status == "published"
    html = client.get(reverse("report_round", kwargs=kwargs)).content.decode()
    assert "ประกาศรายงานผล ปี 2561 รอบ 6 เดือน" in html  # the round's history


def test_english_pages(report_round, people):
    client = client_for(people["alice"])
    client.cookies["django_language"] = "en"
    html = client.get(
        reverse("report_round", kwargs=round_kwargs(report_round)), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Waiting for report" in html
    assert spreadsheet.SHEET


def view_url(report_round, report):
    return reverse("report_item_view", kwargs={**round_kwargs(report_round), "uid": report.item_uid})


def test_viewers_read_an_items_report_with_results_narrative_and_evidence(report_round, people):
    report = report_round.reports.get(title__startswith="โครงการความรู้")
    actions.save_report(
        people["alice"],
        report,
        actions.ReportData(
            status="cannot",
            reason="other",
            reason_text="น้ำท่วมพื้นที่จัดงาน",
            ordinance_budget=Decimal("18000"),
            disbursed=Decimal("1250.50"),
            quarters={2, 3},
            narrative="เลื่อนการอบรมไปไตรมาสถัดไป",
            results=[Decimal("40")],
        ),
    )
    actions.add_evidence(people["alice"], report, "หนังสือแจ้งเลื่อน.pdf", b"%PDF-1.7 letter")
    round_page = client_for(people["dan"]).get(reverse("report_round", kwargs=round_kwargs(report_round)))
    assert view_url(report_round, report) in round_page.content.decode()  # a viewer's way in
    page = client_for(people["dan"]).get(view_url(report_round, report)).content.decode()
    assert "ไม่สามารถดำเนินการได้" in page and "น้ำท่วมพื้นที่จัดงาน" in page
    assert "๑๘,๐๐๐<" in page and "๑,๒๕๐.๕๐" in page  # the plan's Thai digits
    assert "๒, ๓" in page and "เลื่อนการอบรมไปไตรมาสถัดไป" in page
    indicator = report.indicator_results[0]["indicator"]
    assert indicator in page and "๔๐.๐๐" in page
    assert "หนังสือแจ้งเลื่อน.pdf" in page
    assert 'method="post"' not in page.split("<main")[-1]  # nothing to submit
    edit = reverse("report_item", kwargs={**round_kwargs(report_round), "uid": report.item_uid})
    assert f'href="{edit}"' not in page
    assert (
        f'href="{edit}"' in client_for(people["alice"]).get(view_url(report_round, report)).content.decode()
    )


def test_the_read_only_page_of_an_approved_round_offers_no_edit(report_round, people):
    report = report_round.reports.get(title__startswith="โครงการความรู้")
    actions.approve_round(people["bob"], report_round)
    page = client_for(people["alice"]).get(view_url(report_round, report)).content.decode()
    assert "รอรายงานผล" in page
    assert (
        f'href="{reverse("report_item", kwargs={**round_kwargs(report_round), "uid": report.item_uid})}"'
        not in page
    )


def test_a_due_date_the_rules_mark_verify_is_shown_as_to_be_checked(report_round, people, settings, tmp_path):
    import json

    from prongsai.reports import rules

    note = "ต้องตรวจสอบ"
    client = client_for(people["dan"])
    assert note in client.get(reverse("report_round", kwargs=round_kwargs(report_round))).content.decode()
    assert note in client.get(reverse("reports", kwargs={"org": "wangphai"})).content.decode()
    data = json.loads(rules.DEFAULT_FILE.read_text(encoding="utf-8"))
    data["rounds"]["6"]["verify"] = []  # the installation checked both against the circular
    data["rounds"]["12"]["verify"] = []
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settings.REPORT_RULES_FILE = str(path)
    assert note not in client.get(reverse("report_round", kwargs=round_kwargs(report_round))).content.decode()
    assert note not in client.get(reverse("reports", kwargs={"org": "wangphai"})).content.decode()
