"""Evidence kept in an S3-compatible store (PRONGSAI_STORAGE=s3): the settings as an installation writes
them, read by the real settings module, then every evidence path (upload, members' download through the
access helper, the public copy of a published round, ``audit verify`` reading the bytes back, removal)
run against S3 — an in-process one (moto), so no network and no bucket are needed."""

from __future__ import annotations

import hashlib
import runpy
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws

import prongsai.settings as prongsai_settings
from prongsai.conftest import client_for, log_problems, streamed
from prongsai.reports import actions
from prongsai.reports.apps import check_storage
from prongsai.reports.models import Evidence

from .conftest import jpeg_with_location

BUCKET = "prongsai-evidence"


def settings_with(monkeypatch, tmp_path, **env: str) -> dict[str, Any]:
    """The settings module run afresh under ``env`` (var/ in a scratch folder), as a process would start."""
    monkeypatch.setenv("PRONGSAI_VAR_DIR", str(tmp_path / "var"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(prongsai_settings.__file__)))


def test_the_filesystem_under_var_is_the_default(monkeypatch, tmp_path):
    monkeypatch.delenv("PRONGSAI_STORAGE", raising=False)
    read = settings_with(monkeypatch, tmp_path)
    assert read["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert read["MEDIA_ROOT"] == tmp_path / "var" / "media"


def test_s3_is_selected_by_settings_with_keys_read_from_secret_files(monkeypatch, tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("wJalrXUtnFEMI\n", encoding="utf-8")
    read = settings_with(
        monkeypatch,
        tmp_path,
        PRONGSAI_STORAGE="s3",
        PRONGSAI_S3_BUCKET=BUCKET,
        PRONGSAI_S3_ENDPOINT_URL="https://minio.example.go.th",
        PRONGSAI_S3_REGION="ap-southeast-1",
        PRONGSAI_S3_ACCESS_KEY_ID="AKIDEXAMPLE",
        PRONGSAI_S3_SECRET_ACCESS_KEY_FILE=str(secret),
        PRONGSAI_S3_ADDRESSING="path",
    )
    default = read["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == BUCKET
    assert options["endpoint_url"] == "https://minio.example.go.th"
    assert options["region_name"] == "ap-southeast-1"
    assert (options["access_key"], options["secret_key"]) == ("AKIDEXAMPLE", "wJalrXUtnFEMI")
    assert options["addressing_style"] == "path"
    assert options["default_acl"] is None and options["file_overwrite"] is False


def test_s3_without_a_bucket_or_an_unknown_store_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.delenv("PRONGSAI_S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="PRONGSAI_S3_BUCKET"):
        settings_with(monkeypatch, tmp_path, PRONGSAI_STORAGE="s3")
    with pytest.raises(ImproperlyConfigured, match="PRONGSAI_STORAGE"):
        settings_with(monkeypatch, tmp_path, PRONGSAI_STORAGE="dropbox")


@pytest.fixture
def s3(settings, monkeypatch, tmp_path):
    """The installation's settings for S3, applied to this test, against moto's S3."""
    read = settings_with(
        monkeypatch,
        tmp_path,
        PRONGSAI_STORAGE="s3",
        PRONGSAI_S3_BUCKET=BUCKET,
        PRONGSAI_S3_REGION="us-east-1",
        PRONGSAI_S3_ACCESS_KEY_ID="testing",
        PRONGSAI_S3_SECRET_ACCESS_KEY="testing",
        PRONGSAI_S3_PREFIX="prongsai",
    )
    with mock_aws():
        client = boto3.client(
            "s3", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = read["STORAGES"]
        yield client


def objects(client) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


def test_evidence_goes_to_s3_and_comes_back_only_through_the_access_helper(
    s3, published, people, settings, django_capture_on_commit_callbacks
):
    assert check_storage() == []
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    report = report_round.reports.order_by("id").first()
    assert report is not None
    kwargs = {"org": "wangphai", "plan": published.slug, "year": 2561, "months": 6, "uid": report.item_uid}
    response = client_for(people["alice"]).post(
        reverse("report_evidence_add", kwargs=kwargs),
        {"file": SimpleUploadedFile("IMG_0001.jpg", jpeg_with_location()), "is_public": "on"},
    )
    assert response.status_code == 302
    stored = Evidence.objects.get()
    in_bucket = objects(s3)
    assert list(in_bucket) == [f"prongsai/{stored.file.name}"]
    body = in_bucket[f"prongsai/{stored.file.name}"]
    assert b"PhoneMaker" not in body and hashlib.sha256(body).hexdigest() == stored.sha256
    assert not Path(settings.MEDIA_ROOT, stored.file.name).exists()  # nothing on the filesystem

    url = reverse("report_evidence", kwargs={**kwargs, "evidence_id": stored.pk})
    download = client_for(people["dan"]).get(url)
    assert download.status_code == 200 and streamed(download) == body
    assert client_for(people["erin"]).get(url).status_code == 404
    assert log_problems() == []  # verify read the bytes back from S3

    # Published (and marked public): the portal serves the same bytes from S3.
    actions.approve_round(people["bob"], report_round)
    actions.publish_round(people["bob"], report_round)
    public = client_for(None).get(
        reverse(
            "portal:report_evidence",
            kwargs={
                "org": "wangphai",
                "plan": published.slug,
                "year": 2561,
                "months": 6,
                "evidence_id": stored.pk,
            },
        )
    )
    assert public.status_code == 200 and streamed(public) == body

    # Swapped behind the log, in the bucket: verify names it.
    s3.put_object(Bucket=BUCKET, Key=f"prongsai/{stored.file.name}", Body=b"%PDF-1.7 forged")
    assert any("report_evidence" in p and "sha256" in p for p in log_problems())


def test_removed_evidence_is_deleted_from_the_bucket_after_commit(
    s3, published, people, django_capture_on_commit_callbacks
):
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    report = report_round.reports.order_by("id").first()
    assert report is not None
    stored = actions.add_evidence(people["alice"], report, "minutes.pdf", b"%PDF-1.7 minutes")
    assert len(objects(s3)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_evidence(people["alice"], stored)
    assert objects(s3) == {}
    assert log_problems() == []


def test_a_storage_backend_that_is_not_installed_is_a_system_check_error(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.not_installed.Storage"},
    }
    assert [e.id for e in check_storage()] == ["reports.E002"]
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    assert check_storage() == []
