"""English is a complete translation of the open-data app's messages, kept in the app's own catalogue."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.urls import reverse
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

from prongsai.opendata.tests.helpers import publish

APP = Path(__file__).resolve().parents[1]
CATALOGUE = APP / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_an_english_reader_gets_an_english_data_page_and_thai_files(plan, client):
    publish(plan)
    mo = CATALOGUE.with_suffix(".mo")
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(CATALOGUE)], check=True)
    translation_file_changed(None, mo)  # pick up the freshly compiled catalogue
    try:
        page = client.get(reverse("opendata:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Open data: published anti-corruption action plans" in page
        assert "Item identifier (UUID" in page
        assert "ข้อมูลเปิด: แผนปฏิบัติการ" not in page
        csv_file = client.get("/data/all/items.csv", HTTP_ACCEPT_LANGUAGE="en").getvalue().decode()
        assert csv_file.startswith("\ufeffรหัสองค์กร,")  # files are the same in every language
    finally:
        translation_file_changed(None, mo)
        translation.activate("th")
