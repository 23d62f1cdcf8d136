"""English is a complete translation of the open-data app's messages, kept in the app's own catalogue."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from prongsai.lib.tests.test_translations import parse_po
from prongsai.opendata.tests.helpers import publish

APP = Path(__file__).resolve().parents[1]
CATALOGUE = APP / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_every_opendata_message_has_an_english_translation_with_the_same_placeholders():
    entries = parse_po(CATALOGUE)
    assert len(entries) > 50
    assert [msgid for msgid, (msgstr, fuzzy) in entries.items() if not msgstr or fuzzy] == []
    different = [
        msgid
        for msgid, (msgstr, _fuzzy) in entries.items()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ]
    assert different == []


def test_the_catalogue_holds_every_message_of_the_opendata_code(tmp_path):
    copy = tmp_path / "opendata"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests", "locale"))
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
    assert sorted(fresh - set(parse_po(CATALOGUE))) == []


def test_an_english_reader_gets_an_english_data_page_and_thai_files(plan, client):
    publish(plan)
    mo = CATALOGUE.with_suffix(".mo")
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(CATALOGUE)], check=True)
    trans_real._translations.clear()  # pick up the freshly compiled catalogue
    try:
        page = client.get(reverse("opendata:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Open data: published anti-corruption action plans" in page
        assert "Item identifier (UUID" in page
        assert "ข้อมูลเปิด: แผนปฏิบัติการ" not in page
        csv_file = client.get("/data/all/items.csv", HTTP_ACCEPT_LANGUAGE="en").getvalue().decode()
        assert csv_file.startswith("\ufeffรหัสองค์กร,")  # files are the same in every language
    finally:
        trans_real._translations.clear()
        translation.activate("th")
