"""Complaint attachments kept in an S3-compatible store (PRONGSAI_STORAGE=s3), as several application
servers need: only ciphertext reaches the bucket, under a random name, and the officer reads the file
back from it through the action; moto stands in for S3 (no network)."""

from __future__ import annotations

from prongsai.complaints import actions
from prongsai.complaints.models import Attachment
from prongsai.complaints.tests.conftest import file
from prongsai.complaints.tests.test_no_traces import MARKER, _private, pdf_with
from prongsai.reports.tests.test_evidence_s3 import objects, s3  # noqa: F401 (the fixture)


def test_an_attachment_reaches_the_bucket_only_as_ciphertext_and_comes_back_whole(s3, org_a, officer):  # noqa: F811
    sent = pdf_with(MARKER)
    filed = file(org_a, uploads=[actions.Upload("หลักฐาน.pdf", sent)])
    [(name, stored)] = objects(s3).items()
    attachment = Attachment.objects.get()
    assert name == f"prongsai/{attachment.stored_name}" and name.endswith(".bin")
    assert MARKER.encode() not in stored and b"%PDF" not in stored and "หลักฐาน" not in name
    data, meta = actions.attachment_data(officer, filed.case, attachment, _private(officer))
    assert data.startswith(b"%PDF") and meta["name"] == "หลักฐาน.pdf"
