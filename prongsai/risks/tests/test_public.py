"""The public register: on the portal only once published; public evidence only; the stamp moves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prongsai.conftest import client_for
from prongsai.portal.cache import publication_stamp
from prongsai.risks import actions
from prongsai.risks.models import MonitoringEvidence
from prongsai.risks.tests.conftest import risk_data
from prongsai.risks.tests.public_registers import published_register_with_round

PAGE = reverse("portal:risk_register", kwargs={"org": "wangphai", "year": 2562})


@pytest.fixture
def public_plan(published):
    return published  # the organisation is public once it has a published plan


def test_a_draft_or_approved_register_has_no_public_page(public_plan, register, people):
    actions.add_risk(people["alice"], register, risk_data())
    assert client_for(None).get(PAGE).status_code == 404
    actions.approve_register(people["bob"], register)
    assert client_for(None).get(PAGE).status_code == 404
    assert client_for(people["alice"]).get(PAGE).status_code == 404


def test_publishing_puts_the_register_and_its_published_round_on_the_portal(public_plan, org_a, people):
    before = publication_stamp()
    published_register_with_round(org_a, people)
    assert publication_stamp() != before
    page = client_for(None).get(PAGE).content.decode()
    assert "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งการออกใบอนุญาต" in page
    assert "ติดประกาศแล้ว" in page and "public.pdf" in page and "private.pdf" not in page
    home = client_for(None).get(reverse("portal:organization", kwargs={"org": "wangphai"})).content.decode()
    assert PAGE in home


def test_only_evidence_marked_public_is_served(public_plan, org_a, people):
    published_register_with_round(org_a, people)
    for item in MonitoringEvidence.objects.all():
        url = reverse(
            "portal:risk_evidence",
            kwargs={"org": "wangphai", "year": 2562, "months": 6, "evidence_id": item.pk},
        )
        response = client_for(None).get(url)
        assert response.status_code == (200 if item.is_public else 404)
        if item.is_public:
            assert response["X-Content-Type-Options"] == "nosniff"


def test_an_unpublished_round_has_no_public_document(public_plan, org_a, people, published_register):
    actions.open_round(people["alice"], published_register, 12)
    url = reverse("portal:risk_round_pdf", kwargs={"org": "wangphai", "year": 2562, "months": 12})
    assert client_for(None).get(url).status_code == 404
    assert client_for(None).get(PAGE).status_code == 200


def test_a_plan_item_lists_the_published_risks_it_treats(published, org_a, people):
    register = actions.create_register(people["alice"], org_a, 2562)
    risk = actions.add_risk(people["alice"], register, risk_data())
    item = published.items.first()
    actions.add_measure(
        people["alice"], risk, actions.MeasureData(plan_slug=published.slug, item_uid=item.uid)
    )
    url = reverse(
        "portal:item",
        kwargs={"org": "wangphai", "plan": published.slug, "rev": published.revision, "uid": item.uid},
    )
    assert risk.event not in client_for(None).get(url).content.decode()
    actions.approve_register(people["bob"], register)
    actions.publish_register(people["bob"], register)
    assert risk.event in client_for(None).get(url).content.decode()


def test_the_approved_register_goes_into_a_draft_plans_risk_factors_as_chosen(published, org_a, people):
    from prongsai.portal.tests.helpers import new_revision

    draft = new_revision(published, people)
    register = actions.create_register(people["alice"], org_a, 2562)
    first = actions.add_risk(people["alice"], register, risk_data())
    actions.add_risk(
        people["alice"], register, risk_data(event="ตรวจรับงานไม่ตรงแบบ", area="budget", likelihood=2)
    )
    url = reverse("risk_plan_insert", kwargs={"org": "wangphai", "year": 2562})
    client = client_for(people["alice"])
    client.post(url, {"plan": draft.slug, "risk": [first.pk]})
    assert not draft.part1_entries.filter(section="risk_factors").exists()  # a draft register is refused
    actions.approve_register(people["bob"], register)
    page = client.get(reverse("risk_register", kwargs={"org": "wangphai", "year": 2562})).content.decode()
    assert "ใส่ความเสี่ยงในส่วนที่ ๑ ของแผน" in page
    response = client.post(url, {"plan": draft.slug, "risk": [first.pk]})
    assert response.status_code == 302
    texts = list(draft.part1_entries.filter(section="risk_factors").values_list("text", flat=True))
    assert texts[-1:] == [
        "ด้านการพิจารณาอนุมัติ อนุญาต: เจ้าหน้าที่เรียกรับเงินเพื่อเร่งการออกใบอนุญาต ในกระบวนงานการอนุญาตก่อสร้างอาคาร ระดับความเสี่ยงสูงมาก (โอกาส ๔ × ผลกระทบ ๔ = ๑๖)"
    ]


def test_a_draft_plans_item_page_lists_the_risks_it_treats(published, org_a, people):
    from prongsai.portal.tests.helpers import new_revision

    draft = new_revision(published, people)
    item = draft.items.first()
    assert item is not None
    register = actions.create_register(people["alice"], org_a, 2562)
    risk = actions.add_risk(people["alice"], register, risk_data())
    actions.add_measure(
        people["alice"], risk, actions.MeasureData(plan_slug=published.slug, item_uid=item.uid)
    )
    url = reverse("item_edit", kwargs={"org": "wangphai", "plan": draft.slug, "item_id": item.pk})
    page = client_for(people["alice"]).get(url).content.decode()
    assert "ความเสี่ยงการทุจริตที่รายการนี้จัดการ" in page and risk.event in page


def test_the_open_data_file_has_each_measure_with_the_computed_score_and_level(public_plan, org_a, people):
    import json

    published_register_with_round(org_a, people)
    url = reverse("opendata:risks", kwargs={"org": "wangphai", "year": 2562, "fmt": "json"})
    data = json.loads(client_for(None).get(url).content)
    assert [(r["score"], r["level"], r["measure"]) for r in data["rows"]] == [
        (16, "very_high", "ประกาศขั้นตอน")
    ]
    csv = client_for(None).get(url.replace(".json", ".csv")).content.decode("utf-8")
    assert csv.startswith("\ufeffรหัสองค์กร,") and "very_high" in csv
