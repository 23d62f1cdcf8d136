"""English is a complete translation of the ITA app's messages, kept in the app's own catalogue."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.urls import reverse
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

from prongsai.ita.tests.helpers import link, open_round

APP = Path(__file__).resolve().parents[1]
CATALOGUE = APP / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_an_english_reader_gets_english_pages(people, org_a, client):
    mo = CATALOGUE.with_suffix(".mo")
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(CATALOGUE)], check=True)
    translation_file_changed(None, mo)  # pick up the freshly compiled catalogue
    try:
        survey_link = link(open_round(people["alice"], org_a), "IIT")
        page = client.get(
            reverse("ita_survey", kwargs={"token": survey_link.token}), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        assert "Send answers" in page
        assert "ส่งคำตอบ" not in page
    finally:
        translation_file_changed(None, mo)
        translation.activate("th")
