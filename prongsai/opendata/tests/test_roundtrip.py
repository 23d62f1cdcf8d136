"""The files add up to the plan: totals per fiscal year and the grand total of CSV, XLSX and JSON equal
the Part 2 summary (``plan_tables(plan).totals``)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from prongsai.opendata.tests.helpers import (
    csv_rows,
    json_document,
    plan_url,
    publish,
    totals_from_json,
    totals_from_table,
    xlsx_rows,
)
from prongsai.organizations.access import SystemActor
from prongsai.plans import actions
from prongsai.plans.interchange import import_plan
from prongsai.plans.summary import plan_tables
from prongsai.plans.tests.test_interchange import DEMO


@pytest.fixture
def wangphai(db):
    return publish(import_plan(json.loads(DEMO.read_text(encoding="utf-8")), actor=SystemActor("test")))


@pytest.fixture
def built(plan, people):
    """The shared test plan with items budgeted unevenly: a zero, a year without a row, satang."""
    alice = people["alice"]
    actions.add_item(
        alice,
        plan,
        plan.missions.get(code="3.1"),
        actions.ItemData(
            kind="measure",
            title="มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้าง",
            budgets={2561: Decimal("0"), 2563: Decimal("12345.67"), 2564: Decimal("0.01")},
        ),
    )
    actions.add_item(
        alice,
        plan,
        plan.missions.get(code="4.1"),
        actions.ItemData(
            kind="guideline", title="แนวปฏิบัติการตรวจสอบภายใน", budgets={2562: Decimal("999999.99")}
        ),
    )
    return publish(plan)


@pytest.mark.parametrize("which", ["wangphai", "built"])
@pytest.mark.parametrize("name", ["plan_items", "plan_items_latest", "org_items", "all_items"])
def test_every_format_adds_up_to_the_part2_summary(which, name, request, client):
    plan = request.getfixturevalue(which)
    totals = plan_tables(plan).totals
    expected = (totals.budgets, totals.grand_total)
    extra = {"rev": plan.revision} if name == "plan_items" else {}
    if name in ("org_items", "all_items"):
        from django.urls import reverse

        kwargs = {"org": plan.organization.slug} if name == "org_items" else {}
        url = lambda fmt: reverse(f"opendata:{name}", kwargs=kwargs | {"fmt": fmt})  # noqa: E731
    else:
        url = lambda fmt: plan_url(name, plan, fmt, **extra)  # noqa: E731

    csv_file = csv_rows(client.get(url("csv")))
    xlsx_file = xlsx_rows(client.get(url("xlsx")))
    json_file = json_document(client.get(url("json")))
    assert len(csv_file) == len(xlsx_file) == len(json_file["items"]) == totals.item_count
    assert totals_from_table(csv_file, plan.years) == expected
    assert totals_from_table(xlsx_file, plan.years) == expected
    assert totals_from_json(json_file, plan.years) == expected
    assert json_file["fiscal_years"] == plan.years


def test_the_demo_plan_has_budgets_to_add_up(wangphai):
    totals = plan_tables(wangphai).totals
    assert totals.item_count > 20
    assert all(amount is not None and amount > 0 for amount in totals.budgets.values())


def test_rows_carry_the_item_uid_number_and_place_of_each_item(built, client):
    rows = csv_rows(client.get(plan_url("plan_items", built, "csv", rev=1)))
    items = {str(item.uid): item for item in built.items.select_related("mission__dimension")}
    assert {row["รหัสรายการ (UUID)"] for row in rows} == set(items)
    measure = next(row for row in rows if row["ชื่อโครงการ/กิจกรรม/มาตรการ"] == "มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้าง")
    assert measure["ภารกิจที่"] == "3.1"
    assert measure["มิติที่"] == "3"
    assert measure["ลำดับ"] == "1"
    assert measure["รหัสประเภท"] == "measure"
    assert measure["ประเภท"] == "มาตรการ"
    assert measure["ชื่อองค์กรปกครองส่วนท้องถิ่น"] == "เทศบาลตำบลวังไผ่"
    assert measure["อำเภอ"] == "อำเภอเมืองชุมพร"
    assert measure["จังหวัด"] == "จังหวัดชุมพร"
    assert measure["ฉบับแก้ไขที่"] == "1"
    assert measure["ตัวอย่างประกอบ"] == "false"
    assert [measure[f"งบประมาณปี พ.ศ. {y} (บาท)"] for y in built.years] == ["0.00", "", "12345.67", "0.01"]
    assert measure["รวมงบประมาณ (บาท)"] == "12345.68"
    unbudgeted = next(row for row in rows if row["ชื่อโครงการ/กิจกรรม/มาตรการ"].startswith("กิจกรรมประกาศ"))
    assert unbudgeted["รวมงบประมาณ (บาท)"] == ""


def test_json_keeps_amounts_exact_as_strings(built, client):
    document = json_document(client.get(plan_url("plan_items", built, "json", rev=1)))
    guideline = next(i for i in document["items"] if i["kind"] == "guideline")
    assert guideline["budgets"] == {"2562": "999999.99"}
    assert guideline["total"] == "999999.99"
    assert document["format"] == "prongsai-open-data"
    assert document["licence"]["id"] == "CC-BY-4.0"
    assert document["plans"][0]["url"].endswith("/data/o/wangphai/2561-2564/r/1/items.json")


def test_indicators_list_each_items_indicators_with_target_and_unit(built, client):
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        rows = read(client.get(plan_url("plan_indicators", built, fmt, rev=1)))
        assert len(rows) == 1
        assert rows[0]["ตัวชี้วัด"] == "ร้อยละของผู้เข้าร่วมที่ผ่านการทดสอบ"
        assert str(rows[0]["หน่วยนับ"]) == "ร้อยละ"
        assert Decimal(str(rows[0]["ค่าเป้าหมาย"])) == Decimal("80")
    document = json_document(client.get(plan_url("plan_indicators", built, "json", rev=1)))
    [indicator] = document["indicators"]
    item = built.items.get(title="โครงการความรู้คู่คุณธรรม")
    assert indicator["item_uid"] == str(item.uid)
    assert indicator["target_value"] == "80.00"
    assert indicator["indicator_number"] == 1


def test_the_installation_file_has_the_union_of_all_plans_years(built, people, org_b, client):
    other = actions.create_plan(
        people["erin"], org_b, slug="2565-2568", title="แผนบางรัก", first_year=2565, last_year=2568
    )
    actions.add_item(
        people["erin"],
        other,
        other.missions.get(code="2.1"),
        actions.ItemData(kind="activity", title="กิจกรรมบางรัก", budgets={2566: Decimal("500")}),
    )
    publish(other)
    from django.urls import reverse

    document = json_document(client.get(reverse("opendata:all_items", kwargs={"fmt": "json"})))
    assert document["fiscal_years"] == list(range(2561, 2569))
    rows = csv_rows(client.get(reverse("opendata:all_items", kwargs={"fmt": "csv"})))
    bangrak = next(row for row in rows if row["รหัสองค์กร"] == "bangrak")
    assert bangrak["งบประมาณปี พ.ศ. 2566 (บาท)"] == "500.00"
    assert bangrak["งบประมาณปี พ.ศ. 2561 (บาท)"] == ""
    assert {row["รหัสองค์กร"] for row in rows} == {"wangphai", "bangrak"}
