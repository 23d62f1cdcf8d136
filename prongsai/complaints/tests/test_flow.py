"""The channel end to end: filing, the receipt, the reporter's way back, the officer's reply."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from prongsai.complaints.models import Case, Message, Status
from prongsai.complaints.tests.conftest import file_through_page, open_with_receipt, sign_in


def test_a_reporter_files_gets_a_receipt_and_reads_the_officers_reply(people, org_a, officer):
    reporter = Client()
    receipt = file_through_page(reporter, "wangphai", {"what": "นายก อบต. รับเงินผู้รับเหมา", "who": "นาย ก"})
    assert len(receipt) == 16 and receipt.isdigit()
    case = Case.objects.get()
    assert case.status == Status.RECEIVED and case.first_answer_due == case.received_on.fromordinal(
        case.received_on.toordinal() + 15
    )

    handler = sign_in(officer)
    dashboard = handler.get(reverse("complaints", kwargs={"org": "wangphai"}))
    assert dashboard.status_code == 200 and case.reference in dashboard.content.decode()
    page = handler.get(reverse("complaint_case", kwargs={"org": "wangphai", "case_id": case.pk}))
    assert page.status_code == 200 and "นายก อบต. รับเงินผู้รับเหมา" in page.content.decode()
    reply = handler.post(
        reverse("complaint_reply", kwargs={"org": "wangphai", "case_id": case.pk}),
        {"body": "ได้รับเรื่องแล้ว ขอทราบวันที่เกิดเหตุ"},
    )
    assert reply.status_code == 302
    case.refresh_from_db()
    assert case.first_answered_on == case.received_on and case.status == Status.ACKNOWLEDGED

    opened = open_with_receipt(reporter, receipt)
    assert opened.status_code == 303
    back = reporter.get(reverse("complaint_come_back"))
    text = back.content.decode()
    assert "ขอทราบวันที่เกิดเหตุ" in text and "นายก อบต. รับเงินผู้รับเหมา" in text
    answer = reporter.post(reverse("complaint_reporter_reply"), {"body": "เกิดเมื่อ 3 มีนาคม"})
    assert answer.status_code == 303
    assert Message.objects.filter(case=case).count() == 2
    assert (
        "เกิดเมื่อ 3 มีนาคม"
        in handler.get(
            reverse("complaint_case", kwargs={"org": "wangphai", "case_id": case.pk})
        ).content.decode()
    )


def test_a_wrong_receipt_is_refused(org_a, officer):
    reporter = Client()
    receipt = file_through_page(reporter, "wangphai", {"what": "เรื่องทดสอบ"})
    wrong = str((int(receipt) + 1) % 10**16).zfill(16)
    response = open_with_receipt(Client(), wrong)
    assert response.status_code == 400 and "ไม่พบเรื่องร้องเรียน" in response.content.decode()
    assert "prongsai_complaint" not in response.cookies


def test_filing_needs_what_happened_and_saves_nothing_without_it(org_a):
    client = Client()
    url = reverse("complaint_file", kwargs={"org": "wangphai"})
    from prongsai.complaints.tests.conftest import form_proof

    page = client.get(url).content.decode()
    response = client.post(url, {**form_proof(page), "what": "  "})
    assert response.status_code == 200 and "โปรดเล่าว่าเกิดอะไรขึ้น" in response.content.decode()
    assert not Case.objects.exists()
