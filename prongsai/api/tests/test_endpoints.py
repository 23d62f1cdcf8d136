"""What each endpoint answers, read as a program would: through HTTP, anonymously."""

from __future__ import annotations

from decimal import Decimal

from prongsai.api.tests.conftest import add_project, make_ranong_org, publish, record_ita
from prongsai.conftest import SETUP
from prongsai.ita.demo import load_demo_ita
from prongsai.ita.models import Assessment, Source
from prongsai.plans import actions

PLAN = "/api/v1/organizations/wangphai/plans/2561-2564"


def test_it_lists_only_organisations_that_published(client, published_plan, org_b):
    body = client.get("/api/v1/organizations").json()
    assert [o["slug"] for o in body["results"]] == ["wangphai"]
    wangphai = body["results"][0]
    assert wangphai["kind"] == {
        "code": "subdistrict",
        "label_th": "เทศบาลตำบล",
        "label_en": "Subdistrict municipality",
    }
    assert wangphai["province_th"] == "จังหวัดชุมพร" and wangphai["district_th"] == "อำเภอเมืองชุมพร"
    assert wangphai["links"]["public_page"] == "/p/wangphai/"
    assert client.get("/api/v1/organizations/bangrak").json()["code"] == "organization_not_found"


def test_it_filters_organisations_by_place_kind_and_name(client, published_plan):
    other = make_ranong_org()
    plan = actions.create_plan(SETUP, other, slug="2566-2570", title="แผน", first_year=2566, last_year=2570)
    publish(plan)

    def slugs(query: str) -> list[str]:
        response = client.get(f"/api/v1/organizations?{query}")
        assert response.status_code == 200, response.content
        return [o["slug"] for o in response.json()["results"]]

    assert slugs("") == ["wangphai", "thasae"]  # by จังหวัด: ชุมพร before ระนอง
    assert slugs("province=ระนอง") == slugs("province=จังหวัดระนอง") == slugs("province=ranong") == ["thasae"]
    assert slugs("district=เมืองชุมพร") == ["wangphai"]
    assert slugs("kind=sao") == ["thasae"]
    assert slugs("q=ท่าแซะ") == ["thasae"]
    assert slugs("district=Kapoe") == ["thasae"]
    assert slugs("q=Wangphai") == ["wangphai"]
    page = client.get("/api/v1/organizations?limit=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1
    assert page["next"] == "/api/v1/organizations?limit=1&offset=1" and page["previous"] is None
    second = client.get(page["next"]).json()
    assert [o["slug"] for o in second["results"]] == ["thasae"] and second["next"] is None


def test_a_plan_revision_has_its_tree_totals_and_document(client, published_plan):
    body = client.get(PLAN).json()
    assert body["revision"] == 1 and body["is_current"] and body["current_revision"] == 1
    assert body["fiscal_years"] == [2561, 2562, 2563, 2564]
    totals = body["totals"]
    assert (
        totals["item_count"] == 2 and totals["counts"]["project"] == 1 and totals["counts"]["activity"] == 1
    )
    assert totals["budgets"] == [
        {"fiscal_year": 2561, "amount": "20000.00"},
        {"fiscal_year": 2562, "amount": "20000.00"},
        {"fiscal_year": 2563, "amount": None},
        {"fiscal_year": 2564, "amount": None},
    ]
    assert totals["grand_total"] == "40000.00"
    document = published_plan.published_document
    assert body["document"] == {
        "sha256": document.sha256,
        "size": document.size,
        "url": "/p/wangphai/plans/2561-2564/r/1/plan.pdf",
    }
    first = body["dimensions"][0]
    assert first["number"] == 1 and first["totals"]["grand_total"] == "40000.00"
    mission = first["missions"][0]["missions"][0]
    assert first["missions"][0]["code"] == "1.1"
    assert mission["code"] == "1.1.1"
    [item] = mission["items"]
    assert item["title"] == "โครงการความรู้คู่คุณธรรม" and item["number"] == 1
    assert item["indicators"] == [
        {"description": "ร้อยละของผู้เข้าร่วมที่ผ่านการทดสอบ", "target": "80.00", "unit": "ร้อยละ"}
    ]
    assert item["total"] == "40000.00"
    assert client.get(f"{PLAN}/revisions/1").json() == body


def test_items_filter_by_year_kind_and_dimension(client, published_plan):
    def titles(query: str) -> list[str]:
        return [i["title"] for i in client.get(f"{PLAN}/items?{query}").json()["results"]]

    assert titles("") == ["โครงการความรู้คู่คุณธรรม", "กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร"]
    assert titles("fiscal_year=2561") == ["โครงการความรู้คู่คุณธรรม"]
    assert titles("fiscal_year=2563") == []
    assert titles("kind=activity") == ["กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร"]
    assert titles("dimension=2") == ["กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร"]
    assert client.get(f"{PLAN}/items?limit=1&offset=1").json()["count"] == 2


def test_one_item_by_uid_keeps_its_uid_in_the_next_revision(client, published_plan):
    item = published_plan.items.get(kind="project")
    body = client.get(f"{PLAN}/items/{item.uid}").json()
    assert body["budgets"] == [
        {"fiscal_year": 2561, "amount": "20000.00"},
        {"fiscal_year": 2562, "amount": "20000.00"},
    ]
    assert body["details"]["rationale"] == item.rationale and body["revision"] == 1
    second = actions.start_revision(SETUP, published_plan)
    publish(second)
    again = client.get(f"{PLAN}/items/{item.uid}").json()
    assert again["revision"] == 2 and again["title"] == item.title
    assert client.get(f"{PLAN}/revisions/1/items/{item.uid}").json()["revision"] == 1
    missing = client.get(f"{PLAN}/items/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and missing.json()["code"] == "item_not_found"


def test_a_new_draft_revision_never_shows(client, published_plan):
    before = client.get(PLAN).content
    draft = actions.start_revision(SETUP, published_plan)
    add_project(draft, "โครงการลับยังไม่ประกาศ", {2563: Decimal("999")})
    draft.refresh_from_db()
    actions.approve_plan(SETUP, actions.submit_plan(SETUP, draft))  # approved is not published either
    assert client.get(PLAN).content == before
    assert client.get(f"{PLAN}/revisions/2").status_code == 404
    assert client.get(f"{PLAN}/revisions/2/items").status_code == 404
    plans = client.get("/api/v1/organizations/wangphai/plans").json()
    assert [r["revision"] for r in plans[0]["revisions"]] == [1]
    found = client.get("/api/v1/items?limit=100").json()
    assert "โครงการลับยังไม่ประกาศ" not in str(found) and found["count"] == 2
    new_uid = draft.items.get(title="โครงการลับยังไม่ประกาศ").uid
    assert client.get(f"{PLAN}/items/{new_uid}").status_code == 404


def test_a_plan_never_published_answers_404(client, plan):
    assert client.get(PLAN).status_code == 404
    assert client.get("/api/v1/organizations/wangphai").status_code == 404
    assert client.get("/api/v1/items").json()["count"] == 0


def test_item_search_covers_current_revisions_of_every_organisation(client, published_plan):
    other = make_ranong_org()
    plan = actions.create_plan(SETUP, other, slug="2566-2570", title="แผน", first_year=2566, last_year=2570)
    add_project(plan, "โครงการท่าแซะ", {2567: Decimal("5000.5")})
    publish(plan)
    second = publish(actions.start_revision(SETUP, published_plan))

    body = client.get("/api/v1/items").json()
    assert body["count"] == 3
    assert {(i["organization"], i["revision"]) for i in body["results"]} == {("thasae", 1), ("wangphai", 2)}
    found = client.get("/api/v1/items?province=ระนอง&fiscal_year=2567&kind=project").json()["results"]
    assert [(i["title"], i["total"]) for i in found] == [("โครงการท่าแซะ", "5000.50")]
    assert found[0]["links"]["self"].startswith(
        "/api/v1/organizations/thasae/plans/2566-2570/revisions/1/items/"
    )
    assert client.get("/api/v1/items?fiscal_year=2561").json()["results"][0]["revision"] == second.revision


def test_ita_lists_only_results_the_nacc_published(client, published_plan, org_a):
    load_demo_ita()
    record_ita(org_a, 2566)
    Assessment.objects.create(organization=org_a, year=2567, model_key="ita-2560", source=Source.SELF)
    body = client.get("/api/v1/organizations/wangphai/ita").json()
    assert [r["year"] for r in body] == [2566, 2560]
    demo = body[1]
    assert demo["published_total"] == "78.54" and demo["model"]["key"] == "ita-2560"
    assert {p["key"] for p in demo["parts"]} >= {"transparency", "work_integrity"}
    assert next(p for p in demo["parts"] if p["key"] == "transparency")["published_points"] == "20.82"


def test_bad_parameters_answer_422_naming_the_fields(client, published_plan):
    response = client.get(f"/api/v1/organizations?limit=0&offset=-1&kind=city-state&q={'ก' * 101}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request" and body["detail"] and body["detail_en"]
    assert {e["field"] for e in body["errors"]} == {"limit", "offset", "kind", "q"}
    assert client.get(f"{PLAN}/revisions/0").json()["errors"][0]["field"] == "rev"
    assert client.get(f"{PLAN}/items/not-a-uuid").json()["errors"][0]["field"] == "uid"
    assert client.get(f"{PLAN}/items?fiscal_year=1999").status_code == 422
    assert client.get(f"/api/v1/organizations/{'a' * 61}").json()["errors"][0]["field"] == "org"
