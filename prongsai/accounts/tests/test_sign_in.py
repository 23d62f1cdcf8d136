import pytest
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

from prongsai.accounts.models import SignInThrottle
from prongsai.conftest import PASSWORD


def sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def test_a_member_signs_in_and_lands_on_their_organisation(people):
    response = sign_in(Client(), "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert Client().get(reverse("home")).status_code == 302


def test_home_sends_a_single_membership_to_its_organisation(people):
    client = Client()
    client.force_login(people["alice"])
    assert client.get(reverse("home"))["Location"] == "/o/wangphai/"


def test_a_wrong_password_is_refused_in_thai(people):
    response = sign_in(Client(HTTP_ACCEPT_LANGUAGE="th"), "alice", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session


@override_settings(SIGNIN_MAX_FAILURES=3)
def test_password_guessing_is_throttled_even_with_the_right_password(people, clock):
    client = Client()
    for _ in range(3):
        sign_in(client, "alice", "guess")
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "โปรดลองใหม่ในอีก 2 วินาที" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    assert sign_in(Client(), "bob", PASSWORD).status_code == 302


@override_settings(SIGNIN_MAX_FAILURES=3)
def test_the_wait_lapses(people, clock):
    client = Client()
    for _ in range(3):
        sign_in(client, "alice", "guess")
    clock.advance(seconds=2)
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_count_of_the_user_name(people, clock):
    sign_in(Client(), "alice", "guess")
    assert SignInThrottle.objects.filter(failures=1).count() == 2  # user name and client address
    sign_in(Client(), "alice", PASSWORD)
    # The user name starts afresh; the address keeps its one failure (its count for this sign-in is given back).
    assert list(SignInThrottle.objects.values_list("key", "failures")) == [
        (SignInThrottle.objects.get(key__startswith="c:").key, 1)
    ]


def test_the_next_parameter_cannot_send_people_to_another_site(people):
    response = sign_in(Client(), "alice", PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("home")
    response = sign_in(Client(), "alice", PASSWORD, next="/o/wangphai/")
    assert response["Location"] == "/o/wangphai/"


def test_sign_out_needs_a_post(people):
    client = Client()
    client.force_login(people["alice"])
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(people):
    user = User.objects.get(username="alice")
    assert user.password.startswith("argon2$")
    assert get_hasher().algorithm == "argon2"


def test_forms_need_a_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "alice", PASSWORD).status_code == 403


def test_security_headers_are_sent(people, settings):
    response = Client().get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


@pytest.mark.parametrize("variable", ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"])
def test_cookies_are_secure_unless_the_installation_says_plain_http(variable, monkeypatch):
    import importlib

    import prongsai.settings as module

    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    assert getattr(importlib.reload(module), variable) is True
    monkeypatch.setenv("SECURE_COOKIES", "0")
    assert getattr(importlib.reload(module), variable) is False
    monkeypatch.delenv("SECURE_COOKIES")
    importlib.reload(module)


def test_the_sign_in_pages_stay_open_behind_login_required_middleware(people, settings):
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
    assert Client().get(reverse("login")).status_code == 200
    assert Client().get("/admin/login/").status_code == 200
    assert sign_in(Client(), "alice", PASSWORD).status_code == 302
