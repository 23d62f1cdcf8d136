"""Fixtures for the complaint channel: fast Argon2 and proofs of work, files in a temporary folder, and
a complaints officer (Olive) in organisation A whom the executive (Bob) authorised to read."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from prongsai.complaints import actions, crypto, flood
from prongsai.conftest import PASSWORD, make_user
from prongsai.organizations.models import Organization, Role


@pytest.fixture(autouse=True)
def _fast(settings: Any, tmp_path: Any) -> None:
    settings.COMPLAINTS_ARGON2_OPSLIMIT = 1
    settings.COMPLAINTS_ARGON2_MEMLIMIT = 8192 * 8
    settings.COMPLAINTS_PROOF_BITS = 4
    settings.COMPLAINTS_PROOF_MAX_BITS = 8
    settings.SURVEY_TICKET_MIN_SECONDS = 0
    settings.COMPLAINTS_TICKET_MIN_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path / "media")


def sign_in(user: User) -> Client:
    """Through the real sign-in page, so that the handler's key is unlocked into the session."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.get_username(), "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture
def officer(people: dict[str, User], org_a: Organization) -> User:
    olive = make_user("olive", org_a, Role.COMPLAINTS)
    sign_in(olive)  # her keypair is made at her first sign-in
    actions.authorise_handler(people["bob"], org_a, olive)
    return olive


@pytest.fixture
def officer_b(people: dict[str, User], org_b: Organization) -> User:
    oscar = make_user("oscar", org_b, Role.COMPLAINTS)
    sign_in(oscar)
    actions.authorise_handler(make_user("bea", org_b, Role.APPROVER), org_b, oscar)
    return oscar


def ticket_for(organization: Organization | None) -> flood.Ticket:
    if organization is None:
        ticket, bits = flood.receipt_ticket()
        return flood.check_receipt(ticket, flood.solve_proof(ticket, bits))
    ticket, bits = flood.filing_ticket(organization)
    return flood.check_filing(ticket, flood.solve_proof(ticket, bits), organization)


def file(organization: Organization, what: str = "มีการเรียกรับเงินใต้โต๊ะ", **kwargs: Any) -> actions.Filed:
    """A complaint through the action, as the filing page does it."""
    content = {"what": what, "when_where": kwargs.pop("when_where", ""), "who": "", "remedy": ""}
    return actions.file_case(organization, ticket_for(organization), content, **kwargs)


def form_proof(page: str) -> dict[str, str]:
    ticket_match = re.search(r'name="ticket" value="([^"]+)"', page)
    bits_match = re.search(r'data-proof-bits="(\d+)"', page)
    assert ticket_match is not None and bits_match is not None
    ticket, bits = ticket_match.group(1), int(bits_match.group(1))
    return {"ticket": ticket, "proof": flood.solve_proof(ticket, bits)}


def file_through_page(client: Client, org: str, data: dict[str, Any], **extra: Any) -> str:
    """File through the page; returns the receipt's digits."""
    url = reverse("complaint_file", kwargs={"org": org})
    page = client.get(url, **extra).content.decode()
    response = client.post(url, {**form_proof(page), **data}, **extra)
    assert response.status_code == 200, response.content.decode()[:2000]
    found = re.search(r"data-receipt>([\d ]+)<", response.content.decode())
    assert found, response.content.decode()[:2000]
    return found.group(1).replace(" ", "")


def open_with_receipt(client: Client, receipt: str, **extra: Any) -> Any:
    url = reverse("complaint_come_back")
    page = client.get(url, **extra).content.decode()
    return client.post(url, {**form_proof(page), "receipt": receipt}, **extra)


__all__ = ["crypto"]
