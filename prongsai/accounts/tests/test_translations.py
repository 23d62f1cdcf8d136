"""English is a complete translation of every app catalogue (``prongsai/<app>/locale``), this app's included."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from prongsai.lib.tests.test_translations import parse_po

PACKAGE = Path(__file__).resolve().parents[2]
APPS = sorted(
    path.relative_to(PACKAGE).parts[0] for path in PACKAGE.glob("*/locale/en/LC_MESSAGES/django.po")
)
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def catalogue(app: str) -> Path:
    return PACKAGE / app / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_the_accounts_app_has_a_catalogue_of_its_own():
    assert "accounts" in APPS


@pytest.mark.parametrize("app", APPS)
def test_every_message_of_an_app_catalogue_is_translated_with_the_same_placeholders(app):
    entries = parse_po(catalogue(app))
    assert entries
    missing = [msgid for msgid, (msgstr, fuzzy) in entries.items() if not msgstr or fuzzy]
    assert missing == []
    different = [
        msgid
        for msgid, (msgstr, _fuzzy) in entries.items()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ]
    assert different == []


@pytest.mark.parametrize("app", APPS)
def test_an_app_catalogue_holds_every_message_of_its_code(app, tmp_path):
    copy = tmp_path / app
    shutil.copytree(
        PACKAGE / app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests", "locale")
    )
    (copy / "locale").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
    )
    fresh = set(parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    assert sorted(fresh - set(parse_po(catalogue(app)))) == []


def test_the_wait_is_named_in_english(people, clock):
    po = catalogue("accounts")
    subprocess.run(["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    trans_real._translations.clear()  # pick up the freshly compiled catalogue
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
        trans_real._translations.clear()
        translation.activate("th")
