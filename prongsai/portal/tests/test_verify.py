"""The verify page: a real published PDF is found, a changed one is not, anything else is refused."""

from __future__ import annotations

import html as html_lib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.audit.models import AuditEvent
from prongsai.conftest import client_for
from prongsai.documents.models import PublishedDocument

URL = "/verify/"


def upload(content: bytes, name: str = "plan.pdf") -> dict[str, Any]:
    return {"document": SimpleUploadedFile(name, content, content_type="application/pdf"), "sha256": ""}


def body(response) -> str:
    page: str = response.content.decode()
    return html_lib.unescape(page)


def test_the_published_pdf_is_found_with_its_plan_revision_and_log_entry(published):
    pdf = bytes(PublishedDocument.objects.get(plan=published).pdf)
    response = client_for(None).post(URL, upload(pdf))
    page = body(response)
    assert response.status_code == 200
    assert "ตรงกับเอกสารที่ประกาศ" in page and "Matches a published document" in page
    assert "เทศบาลตำบลวังไผ่" in page and "แผนปฏิบัติการป้องกันการทุจริตสี่ปี" in page
    assert reverse("portal:plan_revision", kwargs={"org": "wangphai", "plan": "2561-2564", "rev": 1}) in page
    assert "bob" in page  # approved and published by Bob
    entry = AuditEvent.objects.get(event="plan.publish", plan_key="wangphai/2561-2564")
    assert entry.hash in page and f"<dd>{entry.seq}</dd>" in page
    assert "จุดตรวจสอบครั้งถัดไปจะครอบคลุมรายการนี้" in page  # no checkpoint yet


def test_the_checkpoint_covering_the_publication_is_shown_verbatim(published, signing_key):
    from prongsai.audit.checkpoint import checkpoint
    from prongsai.audit.models import Checkpoint
    from prongsai.plans import actions

    checkpoint()
    first = Checkpoint.objects.get(log__organization=published.organization)
    actions.start_revision(published.organization.memberships.get(role="planner").user, published)
    checkpoint()
    assert Checkpoint.objects.filter(log__organization=published.organization).count() == 2
    digest = PublishedDocument.objects.get(plan=published).sha256
    page = body(client_for(None).post(URL, {"sha256": digest}))
    assert f'<pre class="note">{first.note}</pre>' in page
    assert signing_key.verifier.encode() in page


def test_a_pdf_changed_by_one_byte_is_not_found(published):
    pdf = bytearray(PublishedDocument.objects.get(plan=published).pdf)
    pdf[len(pdf) // 2] ^= 0x01
    page = body(client_for(None).post(URL, upload(bytes(pdf))))
    assert "ไม่ตรงกับเอกสารที่ประกาศใด" in page and "Not a published document" in page
    assert "เทศบาลตำบลวังไผ่" not in page


def test_a_file_that_is_not_a_pdf_is_refused_clearly(published):
    response = client_for(None).post(URL, upload(b"PK\x03\x04 not a pdf at all", "plan.pdf"))
    assert response.status_code == 400
    assert "ไฟล์นี้ไม่ใช่ PDF" in body(response)


def test_an_oversized_file_is_refused(published, settings):
    settings.MAX_UPLOAD_SIZE = 64 * 1024
    pdf = b"%PDF-1.7\n" + b"0" * (100 * 1024)
    response = client_for(None).post(URL, upload(pdf))
    assert response.status_code == 400
    assert "เกินกว่าที่รับได้" in body(response)


def test_a_pasted_hash_works_in_upper_case_with_spaces_and_a_bad_one_is_refused(published):
    digest = PublishedDocument.objects.get(plan=published).sha256
    spaced = " ".join(digest[i : i + 8] for i in range(0, 64, 8)).upper()
    assert "ตรงกับเอกสารที่ประกาศ" in body(client_for(None).post(URL, {"sha256": spaced}))
    bad = client_for(None).post(URL, {"sha256": "xyz"})
    assert bad.status_code == 400 and "ตัวเลขฐานสิบหก" in body(bad)
    empty = client_for(None).post(URL, {"sha256": ""})
    assert empty.status_code == 400 and "อย่างใดอย่างหนึ่ง" in body(empty)


def test_a_draft_pdf_is_not_a_published_document(plan):
    from prongsai.documents.pdf import render_pdf

    page = body(client_for(None).post(URL, upload(render_pdf(plan))))
    assert "ไม่ตรงกับเอกสารที่ประกาศใด" in page


def test_the_verify_page_shows_the_verifier_key_in_english_too(db, signing_key):
    client = client_for(None)
    client.post(reverse("portal:language"), {"language": "en", "next": URL})
    page = body(client.get(URL))
    assert "Verify a published plan document" in page
    assert signing_key.verifier.encode() in page
