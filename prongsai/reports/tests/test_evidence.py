"""Evidence files: type by content, photos without metadata, SHA-256 in the log, storage API, access helper."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from prongsai.conftest import client_for, last_entry, log_problems, streamed
from prongsai.reports import actions
from prongsai.reports.models import Evidence

from .conftest import jpeg_with_location


@pytest.fixture
def report(published, people):
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    return report_round.reports.get(title__startswith="โครงการความรู้")


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_a_photo_is_stored_without_its_location_and_camera_and_its_sha256_is_logged(report, people, settings):
    raw = jpeg_with_location()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x010F) == "PhoneMaker"
    stored = actions.add_evidence(people["alice"], report, "IMG_0001.jpg", raw, public=True)
    path = Path(settings.MEDIA_ROOT) / stored.file.name
    data = path.read_bytes()
    image = Image.open(io.BytesIO(data))
    assert dict(image.getexif()) == {} and b"PhoneMaker" not in data and b"Exif" not in data
    assert image.size == (40, 30)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.file.name.startswith(f"evidence/{report.round.organization_id}/")
    assert "IMG_0001" not in stored.file.name
    entry = last_entry("report.evidence.add")
    assert entry.params["sha256"] == stored.sha256
    assert entry.changes[0]["state"]["sha256"] == stored.sha256
    assert log_problems() == []


def test_the_type_is_read_from_the_content_not_the_name(report, people, settings):
    with pytest.raises(ValidationError) as error:
        actions.add_evidence(people["alice"], report, "photo.jpg", b"MZ\x90\x00 an executable")
    assert "file" in error.value.message_dict
    with pytest.raises(ValidationError):
        actions.add_evidence(people["alice"], report, "report.docx", b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationError):  # a JPEG header over garbage does not decode
        actions.add_evidence(people["alice"], report, "x.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 100)
    assert not Evidence.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "evidence").exists()
    word = actions.add_evidence(people["alice"], report, "minutes.pdf", docx_bytes())
    assert word.kind == "docx"  # the content says Word, whatever the name says
    assert actions.add_evidence(people["alice"], report, "a", b"%PDF-1.7\n...").kind == "pdf"


def test_viewers_cannot_attach_and_an_approved_round_takes_no_files(report, people):
    with pytest.raises(PermissionDenied):
        actions.add_evidence(people["dan"], report, "a.pdf", b"%PDF-1.7")
    actions.approve_round(people["bob"], report.round)
    with pytest.raises(ValidationError):
        actions.add_evidence(people["alice"], report, "a.pdf", b"%PDF-1.7")
    assert not Evidence.objects.exists()


def test_a_file_swapped_behind_the_log_is_named_by_verify(report, people, settings):
    stored = actions.add_evidence(people["alice"], report, "a.pdf", b"%PDF-1.7 original")
    (Path(settings.MEDIA_ROOT) / stored.file.name).write_bytes(b"%PDF-1.7 forged")
    problems = log_problems()
    assert any("report_evidence" in p and "sha256" in p for p in problems)


def test_removing_evidence_deletes_the_file_after_commit(
    report, people, settings, django_capture_on_commit_callbacks
):
    stored = actions.add_evidence(people["alice"], report, "a.pdf", b"%PDF-1.7")
    path = Path(settings.MEDIA_ROOT) / stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_evidence(people["alice"], stored)
    assert not path.exists() and not Evidence.objects.exists()
    assert last_entry("report.evidence.remove").params["name"] == "a.pdf"
    assert log_problems() == []


def test_the_page_uploads_and_members_download_through_the_access_helper(report, people, settings):
    kwargs = {
        "org": "wangphai",
        "plan": report.round.plan_slug,
        "year": 2561,
        "months": 6,
        "uid": report.item_uid,
    }
    client = client_for(people["alice"])
    response = client.post(
        reverse("report_evidence_add", kwargs=kwargs),
        {
            "file": SimpleUploadedFile("photo.jpg", jpeg_with_location(), content_type="image/jpeg"),
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    stored = Evidence.objects.get()
    assert stored.is_public
    url = reverse("report_evidence", kwargs={**kwargs, "evidence_id": stored.pk})
    download = client_for(people["dan"]).get(url)
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert b"PhoneMaker" not in streamed(download)
    assert client_for(people["erin"]).get(url).status_code == 404
    page = client.get(reverse("report_item", kwargs=kwargs)).content.decode()
    assert "photo.jpg" in page and stored.sha256[:16] in page
    assert (
        page.count('id="evidence"') == 1
        and "<title>" in page
        and "หลักฐาน</h2>" not in page.split("</title>")[0]
    )


def test_an_oversized_upload_is_refused_with_its_size(report, people, settings):
    settings.MAX_UPLOAD_SIZE = 1024
    kwargs = {
        "org": "wangphai",
        "plan": report.round.plan_slug,
        "year": 2561,
        "months": 6,
        "uid": report.item_uid,
    }
    response = client_for(people["alice"]).post(
        reverse("report_evidence_add", kwargs=kwargs),
        {"file": SimpleUploadedFile("big.pdf", b"%PDF-1.7" + b"0" * 5000)},
        follow=True,
    )
    assert "MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_file_written_before_the_transaction_failed_is_deleted_again(report, people, settings, monkeypatch):
    media = Path(settings.MEDIA_ROOT)
    before = {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()

    def failing_record(*args, **kwargs):
        raise RuntimeError("the log could not be written")

    monkeypatch.setattr(actions, "record", failing_record)
    with pytest.raises(RuntimeError):
        actions.add_evidence(people["alice"], report, "a.pdf", b"%PDF-1.7")
    assert not Evidence.objects.exists()
    assert {p for p in media.rglob("*") if p.is_file()} == before  # written, then deleted again


def test_a_refused_file_writes_nothing(report, people, settings):
    media = Path(settings.MEDIA_ROOT)
    before = {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()
    with pytest.raises(ValidationError) as refused:
        actions.add_evidence(people["alice"], report, "run.exe", b"MZ\x90\x00 not a document")
    assert "file" in refused.value.message_dict
    assert not Evidence.objects.exists()
    assert {p for p in media.rglob("*") if p.is_file()} == before
