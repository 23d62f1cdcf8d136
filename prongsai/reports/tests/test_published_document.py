"""A round's report PDF is laid out once, when the round is published, and stored with its SHA-256 in the
same audited entry; the public and the officers' PDF are those stored bytes, and ``audit verify`` checks
them against the log."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prongsai.conftest import changed_state, client_for, last_entry, log_problems
from prongsai.reports import actions
from prongsai.reports.models import PublishedReport, RoundStatus


@pytest.fixture
def approved(published, people):
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    project = report_round.reports.get(title__startswith="โครงการความรู้")
    actions.save_report(
        people["alice"],
        project,
        actions.ReportData(status="completed", ordinance_budget=Decimal(20000), disbursed=Decimal(15000)),
    )
    return actions.approve_round(people["bob"], report_round)


def round_kwargs(report_round) -> dict[str, Any]:
    return {"org": "wangphai", "plan": report_round.plan_slug, "year": 2561, "months": 6}


def test_publishing_stores_the_pdf_and_logs_its_sha256_in_the_same_entry(approved, people):
    report_round = actions.publish_round(people["bob"], approved)
    stored = PublishedReport.objects.get(round=report_round)
    pdf = bytes(stored.pdf)
    assert pdf.startswith(b"%PDF") and stored.size == len(pdf)
    assert stored.sha256 == hashlib.sha256(pdf).hexdigest()
    entry = last_entry("report.round.publish")
    assert entry.params["sha256"] == stored.sha256
    assert changed_state(entry, "published_report")["recorded_sha256"] == stored.sha256
    assert changed_state(entry, "report_round")["status"] == RoundStatus.PUBLISHED
    assert log_problems() == []


def test_a_pdf_that_fails_to_lay_out_publishes_nothing(approved, people, monkeypatch):
    def broken(report_round):
        raise RuntimeError("typst crashed")

    monkeypatch.setattr("prongsai.reports.document.report_pdf", broken)
    with pytest.raises(RuntimeError):
        actions.publish_round(people["bob"], approved)
    approved.refresh_from_db()
    assert approved.status == RoundStatus.APPROVED
    assert not PublishedReport.objects.exists() and last_entry("report.round.publish") is None


def test_a_round_returned_while_its_pdf_was_laid_out_is_not_published(approved, people, monkeypatch):
    from prongsai.reports import document

    real = document.report_pdf

    def meanwhile_returned(report_round):
        actions.return_round(people["bob"], report_round)
        return real(report_round)

    monkeypatch.setattr("prongsai.reports.document.report_pdf", meanwhile_returned)
    with pytest.raises(ValidationError):
        actions.publish_round(people["bob"], approved)
    approved.refresh_from_db()
    assert approved.status == RoundStatus.DRAFT and not PublishedReport.objects.exists()


def test_the_public_and_the_officers_pdf_are_the_stored_bytes_never_laid_out_again(
    approved, people, monkeypatch
):
    report_round = actions.publish_round(people["bob"], approved)
    stored = bytes(PublishedReport.objects.get(round=report_round).pdf)

    def must_not_render(report_round):
        raise AssertionError("a published round's PDF was laid out again")

    monkeypatch.setattr("prongsai.reports.document.report_pdf", must_not_render)
    public = client_for(None).get(reverse("portal:report_pdf", kwargs=round_kwargs(report_round)))
    assert public.status_code == 200 and public.content == stored
    officers = client_for(people["dan"]).get(
        reverse("report_document", kwargs={**round_kwargs(report_round), "fmt": "pdf"})
    )
    assert officers.status_code == 200 and officers.content == stored


def test_verify_names_stored_bytes_changed_behind_the_log(approved, people):
    report_round = actions.publish_round(people["bob"], approved)
    stored = PublishedReport.objects.get(round=report_round)
    forged = bytes(stored.pdf).replace(b"%PDF", b"%PDF-forged", 1)
    # Even with the recorded hash replaced too, the state differs from the log's.
    PublishedReport.objects.filter(pk=stored.pk).update(pdf=forged, sha256=hashlib.sha256(forged).hexdigest())
    problems = log_problems()
    assert any("published_report" in p for p in problems)
