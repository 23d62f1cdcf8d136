"""Password guessing is slowed down on every sign-in form, and the real user's browser still gets in."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from prongsai.accounts import throttle
from prongsai.accounts.models import SignInThrottle
from prongsai.conftest import PASSWORD, password_hash

ATTACKER = "198.51.100.66"
OFFICE = "203.0.113.77"


def sign_in(client, username, password, url=None, **extra):
    return client.post(url or reverse("login"), {"username": username, "password": password, **extra})


def browser(address=OFFICE):
    return Client(REMOTE_ADDR=address)


def signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@pytest.fixture
def admin_user(db):
    return User.objects.create(username="root", password=password_hash(), is_staff=True, is_superuser=True)


def test_wrong_passwords_on_the_sign_in_page_are_refused_after_five(people, clock):
    client = browser(ATTACKER)
    statuses = [sign_in(client, "bob", f"guess {n}").status_code for n in range(10)]
    assert statuses == [200] * 5 + [429] * 5
    # Refused while the wait runs, even with the right password.
    assert sign_in(client, "bob", PASSWORD).status_code == 429


def test_wrong_passwords_on_the_admin_sign_in_page_are_throttled(admin_user, clock):
    client = browser(ATTACKER)
    admin_login = reverse("admin:login")
    assert admin_login == "/admin/login/"
    statuses = [sign_in(client, "root", f"guess {n}", url=admin_login).status_code for n in range(10)]
    assert statuses == [200] * 5 + [429] * 5
    # One throttle for both forms: the other page does not offer fresh guesses.
    assert sign_in(browser(ATTACKER), "root", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_signs_in_on_the_admin_page_and_lands_in_the_admin(admin_user, clock):
    client = browser()
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    response = sign_in(client, "root", PASSWORD, url="/admin/login/", next="/admin/")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"


def test_a_member_who_is_not_staff_is_told_so_on_the_admin_page(people, clock):
    client = browser()
    client.force_login(people["alice"])
    page = client.get("/admin/login/?next=/admin/").content.decode()
    assert "ไม่มีสิทธิ์เข้าหน้านี้" in page


def test_the_real_user_with_a_device_cookie_signs_in_during_a_flood_on_their_name(people, clock):
    bobs_browser = browser()
    assert signed_in(sign_in(bobs_browser, "bob", PASSWORD))
    bobs_browser.post(reverse("logout"))

    attacker = browser(ATTACKER)
    for n in range(40):
        sign_in(attacker, "bob", f"guess {n}")
        clock.advance(seconds=1)
    assert sign_in(attacker, "bob", PASSWORD).status_code == 429
    # A browser that never signed in as bob waits, wherever it is ...
    assert sign_in(browser("192.0.2.10"), "bob", PASSWORD).status_code == 429
    # ... but bob's own browser is counted on its device cookie only, and gets in.
    assert signed_in(sign_in(bobs_browser, "bob", PASSWORD))


def test_a_device_cookie_is_throttled_on_its_own(people, clock):
    bobs_browser = browser()
    sign_in(bobs_browser, "bob", PASSWORD)
    statuses = [sign_in(bobs_browser, "bob", "typo").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    # Its failures are not the user name's: another browser is not held up.
    assert signed_in(sign_in(browser("192.0.2.10"), "bob", PASSWORD))


def test_a_device_cookie_counts_only_for_its_own_user_name(people, clock):
    shared = browser()
    sign_in(shared, "alice", PASSWORD)
    attacker = browser(ATTACKER)
    for n in range(5):
        sign_in(attacker, "bob", f"guess {n}")
    assert sign_in(shared, "bob", PASSWORD).status_code == 429


def test_a_forged_or_foreign_device_cookie_is_ignored(people, clock):
    bobs_browser = browser()
    sign_in(bobs_browser, "bob", PASSWORD)
    (name,) = [n for n in bobs_browser.cookies if n.startswith(throttle.DEVICE_COOKIE_PREFIX)]
    for n in range(5):
        sign_in(browser(ATTACKER), "bob", f"guess {n}")
    forged = browser()
    forged.cookies[name] = bobs_browser.cookies[name].value[:-2] + "xx"
    assert sign_in(forged, "bob", PASSWORD).status_code == 429
    # Alice's genuine cookie renamed to bob's does not match bob's user name either.
    alices_browser = browser()
    sign_in(alices_browser, "alice", PASSWORD)
    (alice_cookie,) = [
        c for n, c in alices_browser.cookies.items() if n.startswith(throttle.DEVICE_COOKIE_PREFIX)
    ]
    borrowed = browser()
    borrowed.cookies[name] = alice_cookie.value
    assert sign_in(borrowed, "bob", PASSWORD).status_code == 429


def test_the_device_cookie_is_http_only_and_renewed_at_each_sign_in(people, clock, settings):
    client = browser()
    sign_in(client, "bob", PASSWORD)
    (cookie,) = [c for n, c in client.cookies.items() if n.startswith(throttle.DEVICE_COOKIE_PREFIX)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert bool(cookie["secure"]) == settings.SESSION_COOKIE_SECURE
    first = cookie.value
    sign_in(client, "bob", PASSWORD)
    assert client.cookies[cookie.key].value != first


def test_the_wait_doubles_with_each_failure_up_to_the_window(people, clock):
    client = browser(ATTACKER)
    for n in range(5):
        sign_in(client, "bob", f"guess {n}")
    waits = []
    for n in range(12):
        refused = sign_in(client, "bob", f"guess again {n}")
        assert refused.status_code == 429
        waits.append(int(refused["Retry-After"]))
        clock.advance(seconds=waits[-1])
        assert sign_in(client, "bob", f"guess after the wait {n}").status_code == 200
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]


def test_the_message_names_the_wait_in_seconds_then_minutes(people, clock):
    client = browser(ATTACKER)
    for n in range(5):
        sign_in(client, "bob", f"guess {n}")
    page = sign_in(client, "bob", "again").content.decode()
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป โปรดลองใหม่ในอีก 2 วินาที" in page
    for seconds in (2, 4, 8, 16, 32, 64):
        clock.advance(seconds=seconds)
        sign_in(client, "bob", "again")
    clock.advance(seconds=10)
    page = sign_in(client, "bob", "again").content.decode()
    assert "โปรดลองใหม่ในอีก 2 นาที" in page  # 128 s less the 10 s already passed, rounded up


def test_a_count_is_forgotten_a_window_after_its_wait_ended(people, clock, settings):
    client = browser(ATTACKER)
    for n in range(5):
        sign_in(client, "bob", f"guess {n}")
    clock.advance(seconds=2 + settings.SIGNIN_WINDOW_SECONDS)
    sign_in(browser("192.0.2.10"), "alice", "unrelated")  # any attempt prunes what is forgotten
    assert SignInThrottle.objects.filter(failures=5).count() == 0
    statuses = [sign_in(client, "bob", f"guess {n}").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]


@override_settings(SIGNIN_CLIENT_MAX_FAILURES=8)
def test_one_address_guessing_many_user_names_is_slowed_down(people, clock):
    attacker = browser(ATTACKER)
    statuses = [sign_in(attacker, f"user{n}", "password1").status_code for n in range(10)]
    assert statuses == [200] * 8 + [429] * 2
    # The address waits; the officers of other offices do not.
    assert signed_in(sign_in(browser(), "alice", PASSWORD))


def test_signing_in_gives_back_the_attempt_but_does_not_wipe_the_address_count(people, clock):
    office = browser()
    for n in range(3):
        sign_in(office, f"user{n}", "password1")
    sign_in(browser(), "alice", PASSWORD)
    assert SignInThrottle.objects.get(key__startswith="c:").failures == 3


def test_a_refused_attempt_checks_no_password(people, clock, monkeypatch):
    client = browser(ATTACKER)
    for n in range(5):
        sign_in(client, "bob", f"guess {n}")
    checked = []
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    assert sign_in(client, "bob", PASSWORD).status_code == 429
    assert sign_in(client, "bob", "wrong").status_code == 429
    assert checked == []


def test_an_unknown_user_name_is_counted_like_a_known_one(people, clock):
    client = browser(ATTACKER)
    known = [sign_in(client, "bob", f"guess {n}").status_code for n in range(6)]
    unknown = [sign_in(client, "nobody", f"guess {n}").status_code for n in range(6)]
    assert known == unknown == [200] * 5 + [429]


def test_case_and_spaces_do_not_make_a_new_user_name(people, clock):
    client = browser(ATTACKER)
    for name in ("bob", "Bob", " BOB ", "bOb", "bob "):
        sign_in(client, name, "guess")
    assert sign_in(client, "BoB", PASSWORD).status_code == 429


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "bob"},
        {"password": "x"},
        {"username": "b" * 5000, "password": "x"},
        {"username": "bob\x00", "password": "x"},
        {"username": ["bob", "alice"], "password": "x"},
    ],
)
def test_bad_input_shows_the_form_again(people, clock, data):
    response = browser().post(reverse("login"), data)
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_no_table_holds_the_client_address(people, clock):
    for n in range(7):
        sign_in(browser(OFFICE), "bob", f"guess {n}")
    sign_in(browser(OFFICE), "alice", PASSWORD)
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE)
    with override_settings(SIGNIN_CLIENT_ADDRESS_FROM_PROXY=True):
        sign_in(proxied, "carol", "guess")
    # Rows for bob's and carol's names and one for the address, which the proxied attempt counted on too.
    assert SignInThrottle.objects.count() == 3
    assert SignInThrottle.objects.get(key__startswith="c:").failures == 5 + 1
    found = []
    for model in apps.get_models():
        for row in model._default_manager.all().values():
            for column, value in row.items():
                if value is not None and (OFFICE in str(value) or str(value).lower() == "bob"):
                    found.append((model.__name__, column))
    # The user table holds "bob" as bob's name; no throttle row holds it, nor any row the address.
    assert found == [("User", "username")]


def test_behind_a_proxy_the_client_is_the_address_the_proxy_added(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.9")
    settings.SIGNIN_CLIENT_ADDRESS_FROM_PROXY = False
    assert throttle.client_address(request) == "10.0.0.1"
    settings.SIGNIN_CLIENT_ADDRESS_FROM_PROXY = True
    assert throttle.client_address(request) == "192.0.2.9"
    assert throttle.client_address(RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
