"""Error pages speak Thai (and English), in the site's layout, and say where to go next."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_thai_page_with_a_way_on(people):
    client = Client()
    client.force_login(people["alice"])
    response = client.get("/o/no-such-organisation/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "ไม่พบหน้านี้" in text and 'href="/"' in text and "ออกจากระบบ" in text


def test_the_missing_page_in_english(people):
    client = Client(headers={"accept-language": "en"})
    client.force_login(people["alice"])
    client.cookies["django_language"] = "en"
    response = client.get("/o/no-such-organisation/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_forbidden_action_says_why_in_thai(plan, people):
    client = Client()
    client.force_login(people["dan"])  # a viewer
    response = client.get(f"/o/{plan.organization.slug}/plans/{plan.slug}/settings/")
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์ทำรายการนี้" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_a_page_that_says_what_to_do(plan, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["alice"])
    response = client.post(f"/o/{plan.organization.slug}/plans/{plan.slug}/revise/")
    assert response.status_code == 403
    assert "แบบฟอร์มหมดอายุ" in response.content.decode()
