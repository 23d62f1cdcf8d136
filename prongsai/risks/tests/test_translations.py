"""English is a complete translation of the risks app's messages, kept in the app's own catalogue."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from prongsai.lib.tests.test_translations import parse_po

APP = Path(__file__).resolve().parents[1]
CATALOGUE = APP / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_every_risk_message_has_an_english_translation_with_the_same_placeholders():
    entries = parse_po(CATALOGUE)
    assert len(entries) > 50
    assert [msgid for msgid, (msgstr, fuzzy) in entries.items() if not msgstr or fuzzy] == []
    assert [
        msgid
        for msgid, (msgstr, _fuzzy) in entries.items()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ] == []


def test_the_catalogue_holds_every_message_of_the_risks_code(tmp_path):
    copy = tmp_path / "risks"
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
