"""The accounts app speaks English from its own catalogue (every catalogue is checked in lib/tests)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

PACKAGE = Path(__file__).resolve().parents[2]


def test_the_accounts_app_has_a_catalogue_of_its_own():
    assert (PACKAGE / "accounts" / "locale" / "en" / "LC_MESSAGES" / "django.po").exists()


def test_the_wait_is_named_in_english(people, clock):
    po = PACKAGE / "accounts" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    translation_file_changed(None, po.with_suffix(".mo"))  # pick up the freshly compiled catalogue
    try:
        client = Client(REMOTE_ADDR="198.51.100.66", HTTP_ACCEPT_LANGUAGE="en")
        for n in range(5):
            client.post(reverse("login"), {"username": "bob", "password": f"guess {n}"})
        page = client.post(reverse("login"), {"username": "bob", "password": "again"}).content.decode()
        assert "Too many failed sign-ins. Try again in 2 seconds." in page
        assert "โปรดลองใหม่" not in page
        for seconds in (2, 4, 8, 16, 32, 64):
            clock.advance(seconds=seconds)
            client.post(reverse("login"), {"username": "bob", "password": "again"})
        page = client.post(reverse("login"), {"username": "bob", "password": "again"}).content.decode()
        assert "Try again in 3 minutes." in page
    finally:
        translation_file_changed(None, po.with_suffix(".mo"))
        translation.activate("th")
