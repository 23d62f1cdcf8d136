"""The reporter's receipt and cookie: a wrong receipt costs what a right one costs; guessing is slowed."""

from __future__ import annotations

import contextlib
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from prongsai.complaints import actions, crypto, public_views
from prongsai.complaints.tests.conftest import file, open_with_receipt, ticket_for


def test_a_wrong_receipt_runs_the_same_argon2id_and_one_lookup(org_a, monkeypatch, django_assert_num_queries):
    receipt = file(org_a).receipt
    calls: list[tuple[Any, Any]] = []
    real = crypto.derive

    def counted(*a: Any, **k: Any) -> bytes:
        calls.append((a[2], k.get("size")))
        return real(*a, **k)

    monkeypatch.setattr(crypto, "derive", counted)
    actions.reporter_open(receipt, None)
    right = list(calls)
    calls.clear()
    with pytest.raises(actions.ReceiptRefused):
        actions.reporter_open(str((int(receipt) + 7) % 10**16).zfill(16), None)
    assert calls == right and len(right) == 1


def test_wrong_and_right_receipts_take_comparable_time(org_a, settings):
    """A ratio, not a timed assertion: both are dominated by the same Argon2id."""
    settings.COMPLAINTS_ARGON2_MEMLIMIT = 8 * 1024 * 1024
    from prongsai.complaints.models import ReceiptSalt

    ReceiptSalt.objects.all().delete()
    receipt = file(org_a).receipt

    def best(text: str) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            with contextlib.suppress(actions.ReceiptRefused):
                actions.reporter_open(text, None)
            times.append(time.perf_counter() - start)
        return min(times)

    right, wrong = best(receipt), best("0000000000000001")
    assert 0.5 < wrong / right < 2.0, (right, wrong)


def test_receipt_attempts_share_one_budget_per_minute(org_a, settings):
    settings.COMPLAINTS_RECEIPTS_PER_MINUTE = 3
    for _ in range(3):
        with pytest.raises(actions.ReceiptRefused):
            actions.reporter_open("0000000000000001", None)
    with pytest.raises(actions.Busy):
        actions.reporter_open("0000000000000001", None)


def test_a_receipt_ticket_is_spent_once(org_a):
    ticket = ticket_for(None)
    with pytest.raises(actions.ReceiptRefused):
        actions.reporter_open("0000000000000001", ticket)
    from prongsai.complaints import flood

    with pytest.raises(flood.TicketRefused):
        actions.reporter_open("0000000000000001", ticket)


def test_a_filing_ticket_is_for_its_organisation_and_once(org_a, org_b):
    from prongsai.complaints import flood

    ticket, bits = flood.filing_ticket(org_a)
    proof = flood.solve_proof(ticket, bits)
    with pytest.raises(flood.TicketRefused):
        flood.check_filing(ticket, proof, org_b)
    with pytest.raises(flood.TicketRefused):
        flood.check_receipt(ticket, proof)  # another purpose
    checked = flood.check_filing(ticket, proof, org_a)
    actions.file_case(org_a, checked, {"what": "หนึ่ง"})
    with pytest.raises(flood.TicketRefused):
        actions.file_case(org_a, checked, {"what": "สอง"})


def test_a_flood_raises_the_proof_of_work_but_never_refuses(org_a, settings):
    from prongsai.complaints import flood

    settings.COMPLAINTS_FREE_PER_HOUR = 2
    assert [flood.bits_for(n) for n in (0, 1, 2, 3, 4, 8, 16, 10**6)] == [4, 4, 5, 5, 6, 7, 8, 8]
    for _ in range(4):
        file(org_a)
    _ticket, bits = flood.filing_ticket(org_a)
    assert bits == 6
    file(org_a)  # still taken


def test_the_reporter_cookie_is_scoped_strict_short_and_opaque(org_a):
    filed = file(org_a)
    response = open_with_receipt(Client(), filed.receipt)
    cookie = response.cookies[public_views.COOKIE_NAME]
    assert cookie["path"] == "/p/complaints/" and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) == 30 * 60
    assert str(filed.case.pk) not in cookie.value and filed.receipt not in cookie.value
    assert "sessionid" not in response.cookies  # no Django session for the reporter


def test_an_expired_or_altered_cookie_opens_nothing(org_a):
    filed = file(org_a)
    key = actions.reporter_open(filed.receipt, None)
    client = Client()
    client.cookies[public_views.COOKIE_NAME] = public_views._reporter_cookie(key, now=time.time() - 3600)
    assert "data-status" not in client.get(reverse("complaint_come_back")).content.decode()
    value = public_views._reporter_cookie(key)
    client.cookies[public_views.COOKIE_NAME] = value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    assert "data-status" not in client.get(reverse("complaint_come_back")).content.decode()
    client.cookies[public_views.COOKIE_NAME] = value
    assert "data-status" in client.get(reverse("complaint_come_back")).content.decode()


def test_the_receipt_page_is_not_cached_and_the_receipt_not_in_a_redirect(org_a):
    from prongsai.complaints.tests.conftest import form_proof

    client = Client()
    url = reverse("complaint_file", kwargs={"org": "wangphai"})
    page = client.get(url).content.decode()
    response = client.post(url, {**form_proof(page), "what": "เรื่อง"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Location" not in response
