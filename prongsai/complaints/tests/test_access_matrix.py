"""Every complaint URL for every persona: only an authorised handler with an unlocked key reads a case.

Personas: Olive (complaints officer of A, authorised, key unlocked at sign-in), Nina (complaints role in
A, not authorised), Bob (A's executive, not a handler: he manages readers and the recovery key), Alice,
Carol, Dan (A's planner, auditor, viewer), Oscar (B's authorised officer), Erin (B's planner), the site
administrator (a superuser, no membership) and the anonymous visitor. A new URL in complaints/urls.py or
public_urls.py fails ``test_the_matrix_covers_every_complaint_url`` until it is added here.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from prongsai.complaints import public_urls, urls
from prongsai.complaints.actions import Upload
from prongsai.complaints.models import Attachment, Case, Handler
from prongsai.complaints.tests.conftest import file, sign_in
from prongsai.complaints.tests.test_no_traces import png_with
from prongsai.conftest import OVERSEER_OUTSIDE, OVERSEERS_INSIDE, make_user
from prongsai.organizations.models import Role

MARKER = "MATRIX-MARKER-5c1e"
PERSONAS = ["olive", "nina", "bob", "alice", "carol", "dan", "oscar", "erin", "admin", None]
OUTSIDERS: dict[str | None, int] = {"oscar": 404, "erin": 404, "admin": 404, None: 302}
NO_ROLE: dict[str | None, int] = {"alice": 403, "carol": 403, "dan": 403}

# url name → (method, {persona: status}); personas not named get the "*" status.
OFFICER: dict[str, tuple[str, dict[str | None, int]]] = {
    "complaints": ("get", {"olive": 200, "nina": 200, "bob": 200, **NO_ROLE, **OUTSIDERS}),
    "complaint_case": ("get", {"olive": 200, "nina": 403, "bob": 403, **NO_ROLE, **OUTSIDERS}),
    "complaint_attachment": ("get", {"olive": 200, "nina": 403, "bob": 403, **NO_ROLE, **OUTSIDERS}),
    "complaint_identity": ("post", {"olive": 200, "nina": 403, "bob": 403, **NO_ROLE, **OUTSIDERS}),
    "complaint_reply": ("post", {"olive": 302, "nina": 403, "bob": 403, **NO_ROLE, **OUTSIDERS}),
    "complaint_status": ("post", {"olive": 302, "nina": 403, "bob": 403, **NO_ROLE, **OUTSIDERS}),
    "complaint_risk_area": ("post", {"olive": 302, "nina": 403, "bob": 403, **NO_ROLE, **OUTSIDERS}),
    "complaint_handlers": ("get", {"olive": 403, "nina": 403, "bob": 200, **NO_ROLE, **OUTSIDERS}),
    "complaint_recovery_use": ("post", {"olive": 403, "nina": 403, "bob": 400, **NO_ROLE, **OUTSIDERS}),
    "complaint_recovery_create": ("post", {"olive": 403, "nina": 403, "bob": 200, **NO_ROLE, **OUTSIDERS}),
    "complaint_handler_revoke": ("post", {"olive": 403, "nina": 403, "bob": 302, **NO_ROLE, **OUTSIDERS}),
}
# The reporter's pages answer everyone alike (no cookie: the receipt form).
PUBLIC: dict[str, tuple[str, int]] = {
    "complaint_file": ("get", 200),
    "complaint_poster": ("get", 200),
    "complaint_come_back": ("get", 200),
    "complaint_reporter_reply": ("post", 403),
    "complaint_leave": ("post", 303),
}
DATA = {
    "complaint_identity": {"reason": "ต้องติดต่อกลับเพื่อขอหลักฐานเพิ่ม"},
    "complaint_reply": {"body": "ขอบคุณ"},
    "complaint_status": {"status": "investigating"},
    "complaint_risk_area": {"risk_area": ""},
    "complaint_recovery_use": {"code": "1" * 24},
}


def test_the_matrix_covers_every_complaint_url():
    assert {p.name for p in urls.urlpatterns} == set(OFFICER)
    assert {p.name for p in public_urls.urlpatterns} == set(PUBLIC)


@pytest.fixture
def world(people, org_a, org_b, officer, officer_b):
    make_user("nina", org_a, Role.COMPLAINTS)
    User.objects.create_superuser("admin", password="correct horse battery staple")
    filed = file(org_a, MARKER, uploads=[Upload("a.png", png_with(MARKER))], identity=f"{MARKER} โทร 081")
    return filed.case


def _url(name: str, case: Case) -> str:
    org = case.organization.slug
    if name in ("complaints", "complaint_handlers", "complaint_recovery_use", "complaint_recovery_create"):
        return reverse(name, kwargs={"org": org})
    if name == "complaint_handler_revoke":
        handler = Handler.objects.get(organization=case.organization, user__username="olive")
        return reverse(name, kwargs={"org": org, "handler_id": handler.pk})
    if name == "complaint_attachment":
        attachment = Attachment.objects.get(case=case)
        return reverse(name, kwargs={"org": org, "case_id": case.pk, "attachment_id": attachment.pk})
    return reverse(name, kwargs={"org": org, "case_id": case.pk})


def _client(person: str | None) -> Client:
    if person is None:
        return Client()
    return sign_in(User.objects.get(username=person))


@pytest.mark.parametrize("person", PERSONAS)
def test_every_persona_gets_what_its_role_and_key_allow(person, world):
    client = _client(person)
    for name, (method, statuses) in OFFICER.items():  # revoke comes last: it changes Olive's rights
        response = getattr(client, method)(_url(name, world), DATA.get(name, {}))
        assert response.status_code == statuses[person], (name, person, response.status_code)
        if response.status_code == 302 and person is None:
            assert response["Location"].startswith(reverse("login"))
        if person != "olive":
            assert MARKER.encode() not in response.content, (name, person)
    for name, (method, status) in PUBLIC.items():
        kwargs = {"org": world.organization.slug} if name in ("complaint_file", "complaint_poster") else {}
        response = getattr(client, method)(reverse(name, kwargs=kwargs))
        assert response.status_code == status, (name, person)
        assert MARKER.encode() not in response.content


def test_a_handler_of_another_organisation_gets_404_for_the_case_even_with_a_key(world):
    oscar = sign_in(User.objects.get(username="oscar"))
    url = reverse("complaint_case", kwargs={"org": "bangrak", "case_id": world.pk})
    assert oscar.get(url).status_code == 404


@pytest.mark.parametrize("person", [*OVERSEERS_INSIDE, OVERSEER_OUTSIDE])
def test_oversight_officers_never_reach_complaints(person, world, overseers):
    """Complaints stay with their handlers: 403 inside the grant's area, 404 outside, and never a case's words."""
    client = _client(person)
    for name, (method, _statuses) in OFFICER.items():
        response = getattr(client, method)(_url(name, world), DATA.get(name, {}))
        assert response.status_code == (404 if person == OVERSEER_OUTSIDE else 403), (name, person)
        assert MARKER.encode() not in response.content
