"""Plan import in the web pages: upload, see what the file holds, confirm — all of it or nothing."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.conftest import client_for, log_problems
from prongsai.plans.interchange import dumps, export_plan
from prongsai.plans.models import Plan, PlanStatus


def upload(client, org, data: bytes, name="plan.json"):
    return client.post(
        reverse("plan_import", kwargs={"org": org}),
        {"file": SimpleUploadedFile(name, data, "application/json")},
    )


def exported(plan, slug="2565-2568"):
    data = export_plan(plan)
    data["plan"]["slug"] = slug
    return data


def confirm_of(page: str) -> str:
    found = re.search(r'name="confirm" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_the_planner_sees_what_the_file_holds_then_saves_it_as_a_draft(plan, people):
    client = client_for(people["alice"])
    org = plan.organization.slug
    page = upload(client, org, dumps(exported(plan)).encode()).content.decode()
    assert "ตรวจดูก่อนบันทึก" in page and plan.title in page
    assert f"{plan.items.count()}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) in page
    assert not Plan.objects.filter(slug="2565-2568").exists()  # nothing saved by looking
    response = client.post(reverse("plan_import", kwargs={"org": org}), {"confirm": confirm_of(page)})
    imported = Plan.objects.get(organization=plan.organization, slug="2565-2568")
    assert response.status_code == 302 and response["Location"].endswith("/plans/2565-2568/")
    assert imported.status == PlanStatus.DRAFT and imported.items.count() == plan.items.count()
    assert log_problems() == []


def test_a_bad_file_names_its_problems_in_thai_and_saves_nothing(plan, people):
    client = client_for(people["alice"])
    data = exported(plan)
    data["plan"]["dimensions"][0]["missions"][0]["items"] = [
        {"kind": "project", "title": "x", "budgets": {"2565": "-100"}}
    ]
    page = upload(client, plan.organization.slug, dumps(data).encode()).content.decode()
    assert "ไม่ได้นำเข้า" in page and "confirm" not in page
    assert "does not match" not in page  # sentences, not JSON Schema
    page = upload(client, plan.organization.slug, b"{not json").content.decode()
    assert "ไฟล์ไม่ใช่ JSON ที่ถูกต้อง" in page
    assert Plan.objects.count() == 1


def test_a_plan_code_the_organisation_has_is_refused_before_the_preview(plan, people):
    page = upload(
        client_for(people["alice"]), plan.organization.slug, dumps(exported(plan, plan.slug)).encode()
    )
    assert "มีแผนรหัส" in page.content.decode() and 'name="confirm"' not in page.content.decode()


def test_a_tampered_or_borrowed_confirmation_saves_nothing(plan, people):
    org = plan.organization.slug
    alice, bob = client_for(people["alice"]), client_for(people["bob"])
    token = confirm_of(upload(alice, org, dumps(exported(plan)).encode()).content.decode())
    url = reverse("plan_import", kwargs={"org": org})
    assert alice.post(url, {"confirm": token[:-2] + "xx"}).status_code == 302
    assert bob.post(url, {"confirm": token}).status_code == 302  # signed for alice, not bob
    assert not Plan.objects.filter(slug="2565-2568").exists()


def test_a_viewer_cannot_import_and_another_organisation_is_404(plan, people):
    org = plan.organization.slug
    assert upload(client_for(people["dan"]), org, dumps(exported(plan)).encode()).status_code == 403
    assert upload(client_for(people["erin"]), org, dumps(exported(plan)).encode()).status_code == 404
