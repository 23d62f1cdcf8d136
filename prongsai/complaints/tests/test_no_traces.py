"""The promises of issue 11 §6: after filing a complaint with a unique marker (in its text, an attachment
and the identity), the marker is nowhere in the database (every column of every table; on SQLite the
database image, on PostgreSQL a pg_dump), the stored files or the captured logs; the receipt is nowhere;
no IP address or user agent is stored."""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image, PngImagePlugin

from prongsai.complaints.tests.conftest import file_through_page, open_with_receipt, sign_in

MARKER = "PROBE-7f3a9c-ทุจริต"
IP = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (ProngsaiProbe-UA-c0ffee)"
PROBE: dict[str, Any] = {"REMOTE_ADDR": IP, "HTTP_USER_AGENT": USER_AGENT, "HTTP_X_FORWARDED_FOR": IP}


def png_with(text: str) -> bytes:
    """A small photo whose metadata (a text chunk) carries ``text``."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def pdf_with(text: str) -> bytes:
    """A one-page PDF whose author (metadata, removed) and a note (content, kept) carry ``text``."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = text
    note = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[10, 10, 30, 30],
            Contents=pikepdf.String(text),
        )
    )
    pdf.pages[0].obj["/Annots"] = pdf.make_indirect(pikepdf.Array([note]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def stored_rows() -> bytes:
    """Every value of every column of every table, as bytes (text as UTF-8)."""
    chunks: list[bytes] = []
    for model in apps.get_models():
        for row in model._default_manager.all().values_list():
            for value in row:
                if isinstance(value, (bytes, memoryview)):
                    chunks.append(bytes(value))
                elif value is not None:
                    chunks.append(str(value).encode())
    return b"\n".join(chunks)


def database_image() -> bytes:
    """The whole database as the engine keeps it: SQLite's image, or PostgreSQL's dump."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        image: bytes = connection.connection.serialize()
        return image
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = [
        "pg_dump",
        "-h",
        db["HOST"] or "127.0.0.1",
        "-p",
        str(db["PORT"] or 5432),
        "-U",
        db["USER"],
        db["NAME"],
    ]
    return subprocess.run(command, env=env, check=True, capture_output=True).stdout


def files_under(*folders: str | Path) -> bytes:
    chunks = []
    for folder in folders:
        # os.walk passes over a folder removed while it is read (another test process's work), and a file
        # removed between listing and reading is skipped the same way.
        for root, _dirs, names in os.walk(folder):
            for name in names:
                path = Path(root) / name
                try:
                    if path.is_file() and path.stat().st_size < 50 * 1024 * 1024:
                        chunks.append(path.read_bytes())
                except FileNotFoundError:
                    continue
    return b"\n".join(chunks)


def _forms(text: str) -> list[bytes]:
    return [text.encode(), text.encode("utf-16-le")]


@pytest.mark.django_db(transaction=True)
def test_the_marker_and_the_receipt_are_nowhere_and_no_address_is_kept(people, org_a, officer, caplog):
    caplog.set_level(logging.DEBUG)
    reporter = Client()
    files = [("photo.jpg", png_with(MARKER)), (f"{MARKER}.pdf", pdf_with(MARKER))]
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    receipt = file_through_page(
        reporter,
        "wangphai",
        {"what": f"{MARKER} เงินทอน", "who": MARKER, "identity": f"{MARKER} 081-000-0000", "files": uploads},
        **PROBE,
    )
    assert open_with_receipt(reporter, receipt, **PROBE).status_code == 303
    page = reporter.get(reverse("complaint_come_back"), **PROBE)
    assert MARKER in page.content.decode()  # the reporter reads it back: it was stored, only not in clear
    reporter.post(reverse("complaint_reporter_reply"), {"body": f"{MARKER} อีกครั้ง"}, **PROBE)

    # The officer reads it, so it was not lost either.
    handler = sign_in(officer)
    from prongsai.complaints.models import Case

    case = Case.objects.get()
    assert (
        MARKER
        in handler.get(
            reverse("complaint_case", kwargs={"org": "wangphai", "case_id": case.pk})
        ).content.decode()
    )

    grouped = " ".join(receipt[i : i + 4] for i in range(0, 16, 4))
    secrets_ = [MARKER, receipt, grouped, IP, USER_AGENT]
    everywhere = {
        "rows": stored_rows(),
        "database": database_image(),
        "files": files_under(settings.MEDIA_ROOT),
        "logs": "\n".join(r.getMessage() + repr(r.__dict__) for r in caplog.records).encode(),
    }
    for where, data in everywhere.items():
        for secret in secrets_:
            for form in _forms(secret):
                assert form not in data, (where, secret)
    assert list(Path(settings.MEDIA_ROOT).rglob("*.bin")), "the attachments were stored (encrypted)"
    assert not any(MARKER in p.name for p in Path(settings.MEDIA_ROOT).rglob("*"))


def test_var_holds_no_complaint_text(org_a, officer, settings):
    """The installation's own folder (database of the demo, secret key, checkpoints) gains nothing."""
    reporter = Client()
    file_through_page(reporter, "wangphai", {"what": MARKER})
    assert MARKER.encode() not in files_under(settings.VAR_DIR, settings.MEDIA_ROOT)


def test_a_filed_photo_loses_its_metadata_and_the_reporter_is_told(org_a, officer):
    from prongsai.complaints import actions
    from prongsai.complaints.models import Attachment, Case
    from prongsai.complaints.tests.conftest import file

    filed = file(org_a, uploads=[actions.Upload("x.png", png_with(MARKER))])
    view = actions.officer_view(officer, filed.case, _private(officer))
    data, meta = actions.attachment_data(officer, filed.case, Attachment.objects.get(), _private(officer))
    assert MARKER.encode() not in data and data.startswith(b"\x89PNG")
    assert meta["removed"] and view.files[0].remains  # both told, in Thai
    assert Case.objects.count() == 1


def _private(user):
    from prongsai.complaints import keys
    from prongsai.conftest import PASSWORD

    return keys.open_or_make(user, PASSWORD)


def test_complaint_tables_have_no_address_agent_or_time_columns():
    for model in apps.get_app_config("complaints").get_models():
        for field in model._meta.get_fields():
            name = field.name
            assert not re.search(r"ip|addr|agent|_at$|time", name), (model.__name__, name)
            if not isinstance(field, GenericForeignKey):  # a generic relation has no column of its own
                assert field.get_internal_type() != "DateTimeField", (model.__name__, name)
