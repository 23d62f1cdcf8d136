"""Handlers' keys: unlocked at sign-in into the session as ciphertext, forgotten at sign-out, replaced
after a password reset, shared on visit, recovered with the executive's code, deleted on revoke."""

from __future__ import annotations

import base64

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from prongsai.complaints import actions, keys
from prongsai.complaints.models import CaseKey, Handler, HandlerKey
from prongsai.complaints.tests.conftest import file, sign_in
from prongsai.conftest import PASSWORD, last_entry, log_problems, make_user
from prongsai.organizations.models import Role


def _case_url(case):
    return reverse("complaint_case", kwargs={"org": case.organization.slug, "case_id": case.pk})


def test_sign_in_puts_only_ciphertext_in_the_session_and_the_key_in_a_strict_cookie(org_a, officer):
    client = Client()
    response = client.post(reverse("login"), {"username": "olive", "password": PASSWORD})
    cookie = response.cookies[keys.COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    private = keys.open_or_make(officer, PASSWORD)
    assert private is not None
    stored = b"".join(s.session_data.encode() for s in Session.objects.all())
    decoded = b"".join(
        base64.b64decode(s.get_decoded().get(keys.SESSION_FIELD, "")) for s in Session.objects.all()
    )
    assert bytes(private) not in stored and bytes(private) not in decoded
    assert base64.urlsafe_b64decode(cookie.value) not in stored  # the session key is only in the browser


def test_sign_out_forgets_the_key(org_a, officer):
    client = sign_in(officer)
    case = file(org_a).case
    assert client.get(_case_url(case)).status_code == 200
    response = client.post(reverse("logout"))
    assert response.cookies[keys.COOKIE_NAME].value == ""


def test_without_the_cookie_the_case_page_asks_to_sign_in_again(org_a, officer):
    client = sign_in(officer)
    case = file(org_a).case
    del client.cookies[keys.COOKIE_NAME]
    response = client.get(_case_url(case))
    assert response.status_code == 403 and "เข้าสู่ระบบใหม่" in response.content.decode()


def test_a_password_change_rewraps_the_same_key(org_a, officer):
    before = keys.open_or_make(officer, PASSWORD)
    assert before is not None and keys.rewrap(officer, PASSWORD, "a new long password 2")
    after = keys.open_or_make(officer, "a new long password 2")
    assert after is not None and bytes(after) == bytes(before)


def test_a_reset_password_makes_a_new_key_and_another_handler_shares_the_cases_on_visit(
    people, org_a, officer
):
    case = file(org_a, "เรื่องที่ต้องส่งกุญแจต่อ").case
    # A second officer, authorised, who keeps her key.
    pat = make_user("pat", org_a, Role.COMPLAINTS)
    sign_in(pat)
    actions.authorise_handler(people["bob"], org_a, pat)
    # Olive forgot her password: the administrator sets a new one.
    officer.set_password("reset by the administrator 9")
    officer.save()
    old = bytes(HandlerKey.objects.get(user=officer).public_key)
    client = Client()
    client.post(reverse("login"), {"username": "olive", "password": "reset by the administrator 9"})
    assert bytes(HandlerKey.objects.get(user=officer).public_key) != old
    assert not CaseKey.objects.filter(handler__user=officer).exists()
    assert last_entry("complaint.key.replace") is not None
    assert client.get(_case_url(case)).status_code == 403
    # Pat was authorised after filing and has no key for it; Olive's went with her old keypair, so nobody
    # can share it on a visit: only the recovery code could (next test).
    sign_in(pat).get(reverse("complaints", kwargs={"org": "wangphai"}))
    assert not CaseKey.objects.filter(case=case).exists()


def test_a_handler_authorised_later_gets_keys_when_another_handler_visits(people, org_a, officer):
    case = file(org_a, "เรื่องเก่า").case
    pat = make_user("pat", org_a, Role.COMPLAINTS)
    pat_client = sign_in(pat)
    actions.authorise_handler(people["bob"], org_a, pat)
    assert pat_client.get(_case_url(case)).status_code == 403
    sign_in(officer).get(reverse("complaints", kwargs={"org": "wangphai"}))
    assert last_entry("complaint.keys.share").params == {"keys": 1}
    assert "เรื่องเก่า" in pat_client.get(_case_url(case)).content.decode()
    assert log_problems() == []


def test_the_recovery_code_reseals_cases_to_a_new_key(people, org_a, officer):
    code = actions.create_recovery_key(people["bob"], org_a)
    case = file(org_a, "เรื่องก่อนลืมรหัสผ่าน").case
    officer.set_password("reset by the administrator 9")
    officer.save()
    client = Client()
    client.post(reverse("login"), {"username": "olive", "password": "reset by the administrator 9"})
    assert client.get(_case_url(case)).status_code == 403
    bob = sign_in(people["bob"])
    wrong = bob.post(reverse("complaint_recovery_use", kwargs={"org": "wangphai"}), {"code": "0" * 24})
    assert wrong.status_code == 400 and "ไม่ถูกต้อง" in wrong.content.decode()
    good = bob.post(reverse("complaint_recovery_use", kwargs={"org": "wangphai"}), {"code": code})
    assert good.status_code == 302
    assert "เรื่องก่อนลืมรหัสผ่าน" in client.get(_case_url(case)).content.decode()
    assert last_entry("complaint.keys.recover").params == {"keys": 1}


def test_cases_filed_before_the_recovery_key_are_sealed_to_it_on_a_handlers_visit(people, org_a, officer):
    case = file(org_a).case
    assert case.recovery_sealed_key is None
    actions.create_recovery_key(people["bob"], org_a)
    sign_in(officer).get(reverse("complaints", kwargs={"org": "wangphai"}))
    case.refresh_from_db()
    assert case.recovery_sealed_key is not None


def test_the_recovery_key_is_made_once(people, org_a):
    from django.core.exceptions import ValidationError

    actions.create_recovery_key(people["bob"], org_a)
    with pytest.raises(ValidationError):
        actions.create_recovery_key(people["bob"], org_a)


def test_revoking_a_handler_deletes_their_case_keys(people, org_a, officer):
    case = file(org_a).case
    client = sign_in(officer)
    assert client.get(_case_url(case)).status_code == 200
    handler = Handler.objects.get(user=officer)
    actions.revoke_handler(people["bob"], handler)
    assert not CaseKey.objects.filter(handler=handler).exists()
    assert client.get(_case_url(case)).status_code == 403
    # A new case is not sealed to a revoked handler either.
    assert not CaseKey.objects.filter(case=file(org_a).case, handler=handler).exists()


def test_only_the_executive_authorises_and_only_members_who_may_handle(people, org_a, officer):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        actions.authorise_handler(officer, org_a, people["alice"])
    with pytest.raises(ValidationError) as refused:
        actions.authorise_handler(people["bob"], org_a, people["alice"])
    assert "user" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.authorise_handler(people["bob"], org_a, people["erin"])  # another organisation's member


def test_an_executive_who_chooses_to_read_is_authorised_and_reads_new_cases(people, org_a, officer):
    bob = sign_in(people["bob"])
    actions.authorise_handler(people["bob"], org_a, people["bob"])
    case = file(org_a, "ผู้บริหารอ่านได้").case
    assert "ผู้บริหารอ่านได้" in bob.get(_case_url(case)).content.decode()
