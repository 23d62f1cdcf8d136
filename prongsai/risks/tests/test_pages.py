"""The officer pages through HTTP: open a register, write risks and measures, the heat map and the flags."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from prongsai.conftest import client_for
from prongsai.risks import actions
from prongsai.risks.models import Risk
from prongsai.risks.tests.conftest import risk_data

FORM = {
    "process": "การจัดซื้อจัดจ้าง",
    "event": "กำหนดคุณลักษณะเฉพาะเอื้อผู้ขายรายใดรายหนึ่ง",
    "area": "budget",
    "likelihood": "๓",
    "impact": "4",
    "residual_likelihood": "2",
    "residual_impact": "2",
}


def test_a_planner_opens_a_register_and_adds_a_risk_whose_level_is_computed(people):
    client = client_for(people["alice"])
    response = client.post(reverse("risks", kwargs={"org": "wangphai"}), {"fiscal_year": "๒๕๖๒"})
    assert response.status_code == 302
    response = client.post(reverse("risk_new", kwargs={"org": "wangphai", "year": 2562}), FORM)
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert (risk.likelihood, risk.score, risk.level.key) == (3, 12, "high")
    page = client.get(reverse("risk_register", kwargs={"org": "wangphai", "year": 2562})).content.decode()
    assert "โอกาส ๓ × ผลกระทบ ๔ = ๑๒ (สูง)" in page
    assert "ความเสี่ยงที่ยังไม่มีมาตรการ ๑ รายการ" in page
    assert page.count('<svg class="map" viewBox=') == 2
    assert "สูง (๙–๑๔ คะแนน): ๑ ความเสี่ยง" in page  # the numbers as text beside the picture


def test_a_likelihood_off_the_scale_is_refused_on_the_form_and_nothing_is_saved(register, people):
    client = client_for(people["alice"])
    response = client.post(
        reverse("risk_new", kwargs={"org": "wangphai", "year": 2562}), {**FORM, "likelihood": "6"}
    )
    assert response.status_code == 200
    assert not Risk.objects.exists()
    assert re.search(r'id="id_likelihood_error"|errorlist', response.content.decode())


def test_the_heat_map_counts_each_cell_current_and_residual(register, people):
    actions.add_risk(people["alice"], register, risk_data(likelihood=5, impact=5))
    actions.add_risk(people["alice"], register, risk_data(likelihood=5, impact=5, residual_likelihood=1))
    page = client_for(people["dan"]).get(reverse("risk_register", kwargs={"org": "wangphai", "year": 2562}))
    text = page.content.decode()
    assert "โอกาส ๕ × ผลกระทบ ๕ (สูงมาก): ๒ ความเสี่ยง" in text
    assert "โอกาส ๒ × ผลกระทบ ๓ (ปานกลาง): ๑ ความเสี่ยง" in text
    assert "โอกาส ๑ × ผลกระทบ ๓ (ต่ำ): ๑ ความเสี่ยง" in text


def test_a_linked_measure_shows_its_items_budget_and_an_overdue_one_is_flagged(register, people, published):
    item = published.items.get(title="โครงการความรู้คู่คุณธรรม")
    risk = actions.add_risk(people["alice"], register, risk_data())
    client = client_for(people["alice"])
    url = reverse("risk_measure_new", kwargs={"org": "wangphai", "year": 2562, "risk_id": risk.pk})
    assert item.title in client.get(url).content.decode()
    response = client.post(url, {"item": f"{published.slug}/{item.uid}"})
    assert response.status_code == 302
    actions.add_measure(
        people["alice"],
        risk,
        actions.MeasureData(title="ประชุมชี้แจง", owner="ปลัด", due_date=dt.date(2019, 1, 1)),
    )
    page = client.get(reverse("risk_register", kwargs={"org": "wangphai", "year": 2562})).content.decode()
    assert "งบประมาณปี ๒๕๖๒: ๒๐,๐๐๐ บาท" in page
    assert "เลยกำหนด" in page and "ความเสี่ยงที่มีมาตรการเลยกำหนด ๑ รายการ" in page


def test_the_approver_approves_and_publishes_and_editing_links_disappear(register, people):
    actions.add_risk(people["alice"], register, risk_data())
    client = client_for(people["bob"])
    client.post(reverse("risk_register_approve", kwargs={"org": "wangphai", "year": 2562}))
    client.post(reverse("risk_register_publish", kwargs={"org": "wangphai", "year": 2562}))
    register.refresh_from_db()
    assert register.status == "published"
    page = client_for(people["alice"]).get(reverse("risk_register", kwargs={"org": "wangphai", "year": 2562}))
    assert "เพิ่มความเสี่ยง" not in page.content.decode()
    assert (
        client_for(people["alice"])
        .get(reverse("risk_new", kwargs={"org": "wangphai", "year": 2562}))
        .status_code
        == 404
    )


def test_a_stale_risk_form_is_refused_with_the_current_version(register, people):
    risk = actions.add_risk(people["alice"], register, risk_data())
    actions.update_risk(people["bob"], risk, risk_data(likelihood=1))
    url = reverse("risk_edit", kwargs={"org": "wangphai", "year": 2562, "risk_id": risk.pk})
    response = client_for(people["alice"]).post(url, {**FORM, "version": "1"})
    assert response.status_code == 200
    risk.refresh_from_db()
    assert risk.likelihood == 1
    assert 'name="version" value="2"' in response.content.decode()


def test_the_register_page_costs_a_fixed_number_of_queries(
    register, people, published, django_assert_max_num_queries
):
    item = published.items.first()
    for _n in range(5):
        risk = actions.add_risk(people["alice"], register, risk_data())
        actions.add_measure(
            people["alice"], risk, actions.MeasureData(plan_slug=published.slug, item_uid=item.uid)
        )
    client = client_for(people["dan"])
    url = reverse("risk_register", kwargs={"org": "wangphai", "year": 2562})
    # 12, the year's revisions for the links, complaints by area, the header's oversight link
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_the_register_shows_how_many_complaints_of_the_year_each_area_received(register, people):
    import datetime as dt

    from prongsai.complaints.models import Case

    def case(day, area, org=register.organization):
        Case.objects.create(
            organization=org, received_on=day, first_answer_due=Case.due_for(day), risk_area=area
        )

    case(dt.date(2018, 10, 1), "bribery")  # fiscal year 2562 (B.E.) begins
    case(dt.date(2019, 9, 30), "bribery")  # ... and ends
    case(dt.date(2019, 10, 1), "bribery")  # 2563: not counted
    case(dt.date(2019, 1, 5), "")  # not tagged
    page = client_for(people["dan"]).get(reverse("risk_register", kwargs={"org": "wangphai", "year": 2562}))
    text = page.content.decode()
    assert "เรื่องร้องเรียนการทุจริต ปี ๒๕๖๒ ตามด้านความเสี่ยง" in text
    bribery = register.method.area("bribery").title
    assert f"{bribery}: ๒" in text
