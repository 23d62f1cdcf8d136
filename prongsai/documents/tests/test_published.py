import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document as Docx

from prongsai.audit.models import AuditEvent, AuditLog
from prongsai.audit.verify import verify
from prongsai.conftest import SETUP
from prongsai.documents.content import document_data
from prongsai.documents.models import PublishedDocument
from prongsai.documents.pdf import render_pdf
from prongsai.documents.templatetags.documents import published_pdf_sha256, with_published_pdf_sha256
from prongsai.documents.tests.helpers import pdf_text
from prongsai.documents.word import render_docx
from prongsai.plans import actions
from prongsai.plans.models import Plan


def test_publishing_stores_the_pdf_with_its_sha256_in_the_same_entry(plan, people):
    actions.approve_plan(people["bob"], actions.submit_plan(SETUP, plan))
    actions.publish_plan(people["bob"], plan)
    stored = PublishedDocument.objects.get(plan=plan)
    pdf = bytes(stored.pdf)
    assert pdf.startswith(b"%PDF") and stored.size == len(pdf)
    assert stored.sha256 == hashlib.sha256(pdf).hexdigest()
    entry = AuditEvent.objects.get(event="plan.publish")
    assert entry.params["sha256"] == stored.sha256
    assert {c["type"] for c in entry.changes} == {"plan", "published_document"}
    assert entry.actor == people["bob"]
    published = Plan.objects.select_related("organization").get(pk=plan.pk)
    assert render_pdf(published) == pdf  # anyone can re-make the published bytes
    assert all(not report.problems for report in verify())


def test_a_published_plan_is_never_without_its_pdf(plan, people, monkeypatch):
    """If the document cannot be laid out, publishing fails whole: the plan stays approved."""

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    actions.approve_plan(people["bob"], actions.submit_plan(SETUP, plan))
    monkeypatch.setattr("prongsai.documents.actions.render_pdf", broken)
    with pytest.raises(RuntimeError):
        actions.publish_plan(people["bob"], plan)
    plan.refresh_from_db()
    assert plan.status == "approved" and not PublishedDocument.objects.exists()
    assert not AuditEvent.objects.filter(event="plan.publish").exists()


def test_a_crash_after_the_pdf_is_stored_leaves_nothing_published(plan, people, monkeypatch):
    """The status, the stored PDF and the entry are one transaction: a failure in the entry undoes all."""

    def crash(*args, **kwargs):
        raise RuntimeError("killed")

    actions.approve_plan(people["bob"], actions.submit_plan(SETUP, plan))
    monkeypatch.setattr("prongsai.documents.actions.record", crash)
    with pytest.raises(RuntimeError):
        actions.publish_plan(people["bob"], plan)
    plan.refresh_from_db()
    assert plan.status == "approved" and not PublishedDocument.objects.exists()


def test_publishing_twice_is_refused(plan, people):
    actions.approve_plan(people["bob"], actions.submit_plan(SETUP, plan))
    actions.publish_plan(people["bob"], plan)
    with pytest.raises(ValidationError):
        actions.publish_plan(people["bob"], plan)
    assert PublishedDocument.objects.count() == 1


def test_a_draft_has_no_digest_and_a_list_of_plans_gets_digests_in_one_query(plan, django_assert_num_queries):
    assert published_pdf_sha256(plan) is None
    actions.approve_plan(SETUP, actions.submit_plan(SETUP, plan))
    actions.publish_plan(SETUP, plan)
    document = PublishedDocument.objects.get(plan=plan)
    with django_assert_num_queries(1):
        plans = list(with_published_pdf_sha256(Plan.objects.all()))
        assert [published_pdf_sha256(p) for p in plans] == [document.sha256]


def test_the_published_document_prints_where_the_log_stood_and_the_entry_after_it_names_the_pdf(plan, people):
    actions.approve_plan(people["bob"], actions.submit_plan(SETUP, plan))
    before = AuditLog.objects.get(organization=plan.organization)
    actions.publish_plan(people["bob"], plan)
    entry = AuditEvent.objects.get(event="plan.publish")
    assert (entry.params["log_size"], entry.params["log_head"]) == (before.size, before.head)
    assert entry.seq == before.size + 1 and entry.previous_hash == before.head
    groups = " ".join(before.head[i : i + 8] for i in range(0, 64, 8))
    text = " ".join(pdf_text(bytes(PublishedDocument.objects.get(plan=plan).pdf)).split())
    assert "บันทึกการประกาศ" in text
    assert groups in text
    published = Plan.objects.select_related("organization", "approved_by", "published_by").get(pk=plan.pk)
    docx = Docx(io.BytesIO(render_docx(published)))
    words = " ".join(p.text for p in docx.paragraphs)
    assert groups in words and "บันทึกการประกาศ" in words


def test_a_draft_document_prints_no_publication_record(plan):
    assert all("บันทึกการประกาศ" not in str(section) for section in document_data(plan)["sections"])
