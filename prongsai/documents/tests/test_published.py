import hashlib

from prongsai.audit.models import AuditEvent
from prongsai.documents.actions import store_published_pdf
from prongsai.documents.models import PublishedDocument
from prongsai.documents.pdf import render_pdf
from prongsai.documents.templatetags.documents import published_pdf_sha256, with_published_pdf_sha256
from prongsai.plans import actions
from prongsai.plans.models import Plan


def test_publishing_stores_the_pdf_with_its_sha256_after_commit(plan, django_capture_on_commit_callbacks):
    actions.approve_plan(None, plan)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_plan(None, plan)
    stored = PublishedDocument.objects.get(plan=plan)
    pdf = bytes(stored.pdf)
    assert pdf.startswith(b"%PDF") and stored.size == len(pdf)
    assert stored.sha256 == hashlib.sha256(pdf).hexdigest()
    event = AuditEvent.objects.get(action="document.store")
    assert event.after["sha256"] == stored.sha256
    published = Plan.objects.select_related("organization").get(pk=plan.pk)
    assert render_pdf(published) == pdf  # anyone can re-make the published bytes


def test_storing_twice_keeps_the_first_pdf(plan):
    actions.approve_plan(None, plan)
    published = actions.publish_plan(None, plan)
    first = store_published_pdf(published)
    assert store_published_pdf(published).pk == first.pk
    assert PublishedDocument.objects.count() == 1
    assert AuditEvent.objects.filter(action="document.store").count() == 1


def test_a_draft_has_no_digest_and_a_list_of_plans_gets_digests_in_one_query(plan, django_assert_num_queries):
    assert published_pdf_sha256(plan) is None
    actions.approve_plan(None, plan)
    document = store_published_pdf(actions.publish_plan(None, plan))
    with django_assert_num_queries(1):
        plans = list(with_published_pdf_sha256(Plan.objects.all()))
        assert [published_pdf_sha256(p) for p in plans] == [document.sha256]


def test_a_failure_to_store_does_not_undo_the_publication(
    plan, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("prongsai.documents.actions.render_pdf", broken)
    actions.approve_plan(None, plan)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_plan(None, plan)
    plan.refresh_from_db()
    assert plan.status == "published" and not PublishedDocument.objects.exists()
