"""English is a complete translation: every Thai msgid in the code has an English msgstr in the catalogue."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"


def parse_po(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid → (msgstr, fuzzy); plural entries are keyed by their singular msgid with the first msgstr."""
    entries: dict[str, tuple[str, bool]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        field = None
        values: dict[str, str] = {}
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[0\])?|msgctxt)\s+"(.*)"$', line)
            if match:
                field = match.group(1).replace("[0]", "")
                values[field] = match.group(2)
            elif line.startswith('"') and field:
                values[field] += line[1:-1]
        if values.get("msgid"):
            entries[values["msgid"]] = (values.get("msgstr", ""), fuzzy)
    return entries


def test_every_message_has_an_english_translation():
    entries = parse_po(CATALOGUE)
    missing = [msgid for msgid, (msgstr, fuzzy) in entries.items() if not msgstr or fuzzy]
    assert missing == []


def test_the_catalogue_holds_every_message_in_the_code(tmp_path):
    """Extract the messages afresh from a copy of the code and compare with the committed catalogue.

    An app with a catalogue of its own (``<app>/locale``) keeps its messages there and is left out here."""
    copy = tmp_path / "prongsai"
    own_catalogue = [p.parent.name for p in PACKAGE.glob("*/locale")]
    shutil.copytree(
        PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests", *own_catalogue)
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
    )
    fresh = set(parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = set(parse_po(CATALOGUE))
    assert sorted(fresh - committed) == []


# --- apps with a catalogue of their own (prongsai/<app>/locale) ---------------------------------

APPS = sorted(
    path.relative_to(PACKAGE).parts[0] for path in PACKAGE.glob("*/locale/en/LC_MESSAGES/django.po")
)
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def catalogue(app: str) -> Path:
    return PACKAGE / app / "locale" / "en" / "LC_MESSAGES" / "django.po"


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
