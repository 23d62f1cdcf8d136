"""Monitoring rounds: a report per measure and a re-assessment per risk, audited, replayable, approved."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prongsai.audit.models import AuditEvent
from prongsai.conftest import last_entry, log_problems, streamed
from prongsai.reports.tests.conftest import jpeg_with_location
from prongsai.risks import actions
from prongsai.risks.models import MeasureReport, MonitoringEvidence, MonitoringRound, RegisterStatus


def first_review(monitoring_round):
    return monitoring_round.reviews.select_related("risk").get(risk__position=1)


def fill(people, monitoring_round, status="done", what_done="ประกาศขั้นตอนที่จุดบริการแล้ว"):
    review = first_review(monitoring_round)
    report = MeasureReport.objects.get(round=monitoring_round, measure__risk=review.risk)
    return actions.save_monitoring(
        people["alice"],
        review,
        3,
        2,
        {report.pk: actions.MeasureReportData(status=status, what_done=what_done)},
    )


def test_opening_a_round_makes_a_report_per_measure_and_a_review_per_risk(monitoring_round):
    assert monitoring_round.reports.count() == 1 and monitoring_round.reviews.count() == 2
    entry = last_entry("risk.round.open")
    assert entry.params == {"year": 2562, "revision": 1, "months": 6}
    assert log_problems() == []


def test_only_a_published_register_is_monitored_once_per_round(register, people, published_register):
    with pytest.raises(ValidationError) as error:
        actions.open_round(people["alice"], published_register, 9)
    assert "months" in error.value.message_dict
    actions.open_round(people["alice"], published_register, 6)
    with pytest.raises(ValidationError):
        actions.open_round(people["alice"], published_register, 6)


def test_a_draft_register_cannot_be_monitored(register, people):
    with pytest.raises(ValidationError):
        actions.open_round(people["alice"], register, 6)
    assert not MonitoringRound.objects.exists()


def test_the_planner_records_what_was_done_and_a_re_assessment_in_one_entry(monitoring_round, people):
    review = fill(people, monitoring_round)
    assert (review.score, review.level.key) == (6, "medium")
    entry = last_entry("risk.round.save")
    assert {c["type"] for c in entry.changes} == {"risk_review", "risk_measure_report"}
    assert log_problems() == []


@pytest.mark.parametrize(
    ("likelihood", "impact", "status", "what_done", "field"),
    [
        (0, 2, "", "", "likelihood"),
        (3, 6, "", "", "impact"),
        (3, None, "", "", "impact"),
        (None, None, "finished", "", "status"),
        (None, None, "done", "  ", "what_done"),
        (None, None, "in_progress", "x" * 2001, "what_done"),
    ],
)
def test_a_bad_monitoring_entry_is_refused_naming_the_field_and_nothing_changes(
    monitoring_round, people, likelihood, impact, status, what_done, field
):
    review = first_review(monitoring_round)
    report = MeasureReport.objects.get(round=monitoring_round, measure__risk=review.risk)
    entries = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.save_monitoring(
            people["alice"],
            review,
            likelihood,
            impact,
            {report.pk: actions.MeasureReportData(status=status, what_done=what_done)},
        )
    names = set(error.value.message_dict)
    assert field in names or f"m{report.pk}-{field}" in names
    report.refresh_from_db()
    review.refresh_from_db()
    assert (report.status, review.likelihood) == ("", None)
    assert AuditEvent.objects.count() == entries


def test_a_stale_monitoring_form_is_refused(monitoring_round, people):
    review = first_review(monitoring_round)
    fill(people, monitoring_round)
    with pytest.raises(actions.StaleEdit):
        actions.save_monitoring(people["alice"], review, 1, 1, {}, versions={"review": 1})


@pytest.mark.parametrize("user", ["carol", "dan", "erin"])
def test_auditors_viewers_and_outsiders_cannot_record_monitoring(monitoring_round, people, user):
    with pytest.raises(PermissionDenied):
        actions.save_monitoring(people[user], first_review(monitoring_round), 1, 1, {})


def test_a_round_is_approved_only_when_every_measure_is_reported_then_published(monitoring_round, people):
    with pytest.raises(ValidationError):
        actions.approve_round(people["bob"], monitoring_round)
    fill(people, monitoring_round)
    with pytest.raises(PermissionDenied):
        actions.approve_round(people["alice"], monitoring_round)
    actions.approve_round(people["bob"], monitoring_round)
    with pytest.raises(ValidationError):
        fill(people, monitoring_round, status="in_progress")
    actions.return_round(people["bob"], monitoring_round)
    actions.approve_round(people["bob"], monitoring_round)
    published = actions.publish_round(people["bob"], monitoring_round)
    assert published.status == RegisterStatus.PUBLISHED and published.published_by == people["bob"]
    assert log_problems() == []


def test_evidence_is_stored_without_metadata_with_its_sha256_in_the_log(monitoring_round, people):
    report = monitoring_round.reports.get()
    stored = actions.add_evidence(people["alice"], report, "IMG_1.jpg", jpeg_with_location(), public=True)
    with stored.file.open("rb") as file:
        data = file.read()
    assert b"PhoneMaker" not in data
    assert last_entry("risk.evidence.add").params["sha256"] == hashlib.sha256(data).hexdigest()
    assert stored.file.name.startswith("risk-evidence/") and "IMG" not in stored.file.name
    with pytest.raises(ValidationError) as error:
        actions.add_evidence(people["alice"], report, "x.exe", b"MZ\x90\x00")
    assert "file" in error.value.message_dict
    actions.remove_evidence(people["alice"], stored)
    assert not MonitoringEvidence.objects.exists()
    assert log_problems() == []


# --- Pages -----------------------------------------------------------------------------------------

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.urls import reverse  # noqa: E402

from prongsai.conftest import client_for  # noqa: E402


def round_kwargs(monitoring_round, **more):
    return {"org": "wangphai", "year": 2562, "months": monitoring_round.months, **more}


def test_the_planner_fills_a_risk_on_the_page_with_thai_digits(monitoring_round, people):
    review = first_review(monitoring_round)
    report = monitoring_round.reports.get()
    url = reverse("risk_round_edit", kwargs=round_kwargs(monitoring_round, risk_id=review.risk_id))
    client = client_for(people["alice"])
    edit_page = client.get(url)
    assert edit_page.status_code == 200 and "ประเมินความเสี่ยงซ้ำ" in edit_page.content.decode()
    response = client.post(
        url,
        {
            "version": review.version,
            "likelihood": "๒",
            "impact": "3",
            f"m{report.pk}-version": report.version,
            f"m{report.pk}-status": "done",
            f"m{report.pk}-what_done": "ติดประกาศขั้นตอนแล้ว",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    report.refresh_from_db()
    assert (review.likelihood, review.impact, report.status) == (2, 3, "done")
    page = client.get(reverse("risk_round", kwargs=round_kwargs(monitoring_round))).content.decode()
    assert "ติดประกาศขั้นตอนแล้ว" in page and "โอกาส ๒ × ผลกระทบ ๓ = ๖ (ปานกลาง)" in page


def test_a_done_measure_without_what_was_done_is_refused_next_to_the_field(monitoring_round, people):
    review = first_review(monitoring_round)
    report = monitoring_round.reports.get()
    url = reverse("risk_round_edit", kwargs=round_kwargs(monitoring_round, risk_id=review.risk_id))
    response = client_for(people["alice"]).post(
        url, {"likelihood": "7", "impact": "", f"m{report.pk}-status": "done", f"m{report.pk}-what_done": ""}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "likelihood" in form.errors
    response = client_for(people["alice"]).post(
        url, {"likelihood": "", "impact": "", f"m{report.pk}-status": "done", f"m{report.pk}-what_done": ""}
    )
    assert response.context["form"].errors[f"m{report.pk}-what_done"] == ["กรุณาระบุสิ่งที่ดำเนินการ"]
    report.refresh_from_db()
    assert report.status == ""


def test_a_stale_page_is_refused_and_shows_the_message(monitoring_round, people):
    review = first_review(monitoring_round)
    fill(people, monitoring_round)
    url = reverse("risk_round_edit", kwargs=round_kwargs(monitoring_round, risk_id=review.risk_id))
    response = client_for(people["alice"]).post(url, {"version": "1", "likelihood": "1", "impact": "1"})
    assert response.status_code == 200
    assert "มีผู้อื่นบันทึกก่อนคุณ" in response.content.decode()
    review.refresh_from_db()
    assert review.likelihood == 3


def test_evidence_uploaded_on_the_page_is_served_to_members_with_a_sandbox(monitoring_round, people):
    report = monitoring_round.reports.get()
    client = client_for(people["alice"])
    url = reverse("risk_evidence_add", kwargs=round_kwargs(monitoring_round, report_id=report.pk))
    upload = SimpleUploadedFile("r.pdf", b"%PDF-1.7 minutes", content_type="text/plain")
    assert client.post(url, {"file": upload, "is_public": "on"}).status_code == 302
    stored = MonitoringEvidence.objects.get()
    assert stored.is_public and stored.kind == "pdf"
    served = client_for(people["dan"]).get(
        reverse("risk_evidence", kwargs=round_kwargs(monitoring_round, evidence_id=stored.pk))
    )
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert streamed(served) == b"%PDF-1.7 minutes"
    refused = SimpleUploadedFile("x.html", b"<script>alert(1)</script>", content_type="application/pdf")
    client.post(url, {"file": refused})
    assert MonitoringEvidence.objects.count() == 1


def test_the_register_page_opens_a_round_once_published(published_register, people):
    client = client_for(people["alice"])
    page = client.get(reverse("risk_register", kwargs={"org": "wangphai", "year": 2562})).content.decode()
    assert "เปิดการติดตามผล" in page
    response = client.post(
        reverse("risk_round_open", kwargs={"org": "wangphai", "year": 2562}), {"months": "6"}
    )
    assert response.status_code == 302 and MonitoringRound.objects.filter(months=6).exists()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_monitoring_report_renders(monitoring_round, people, fmt):
    fill(people, monitoring_round)
    response = client_for(people["dan"]).get(
        reverse("risk_round_document", kwargs=round_kwargs(monitoring_round, fmt=fmt))
    )
    assert response.status_code == 200
    assert response.content[:4] == (b"%PDF" if fmt == "pdf" else b"PK\x03\x04")
