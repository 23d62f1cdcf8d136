"""Identity disclosure, purge, hostile files, the reserved slug, and two handlers replying at once."""

from __future__ import annotations

import datetime as dt
import io
import threading
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from prongsai.cli import main
from prongsai.complaints import actions, keys
from prongsai.complaints.models import (
    Attachment,
    Case,
    CaseKey,
    Identity,
    IdentityDisclosure,
    Message,
    Status,
)
from prongsai.complaints.tests.conftest import file, sign_in
from prongsai.complaints.tests.test_no_traces import png_with
from prongsai.conftest import PASSWORD, last_entry, log_problems, make_org, make_user
from prongsai.organizations.models import Role


def _private(user):
    return keys.open_or_make(user, PASSWORD)


def test_opening_the_identity_needs_a_reason_which_the_executive_sees(people, org_a, officer):
    case = file(org_a, identity="นางสาวข 089-111-2222").case
    client = sign_in(officer)
    url = reverse("complaint_identity", kwargs={"org": "wangphai", "case_id": case.pk})
    short = client.post(url, {"reason": "ดู"})
    assert short.status_code == 400 and "089-111-2222" not in short.content.decode()
    assert not IdentityDisclosure.objects.exists()
    opened = client.post(url, {"reason": "ต้องโทรขอหลักฐานสัญญาจ้างเพิ่มเติม"})
    assert opened.status_code == 200 and "089-111-2222" in opened.content.decode()
    disclosure = IdentityDisclosure.objects.get()
    assert disclosure.user == officer and disclosure.organization == org_a
    entry = last_entry("complaint.identity")
    # (The case reference is random hex and may hold "089": look for the identity and the reason whole.)
    assert "089-111-2222" not in str(entry.params) and "หลักฐาน" not in str(entry.params)
    page = (
        sign_in(people["bob"]).get(reverse("complaint_handlers", kwargs={"org": "wangphai"})).content.decode()
    )
    assert "ต้องโทรขอหลักฐานสัญญาจ้างเพิ่มเติม" in page and "089-111-2222" not in page


def test_audit_entries_name_the_case_and_never_its_content(people, org_a, officer):
    case = file(org_a, "เนื้อหาลับมาก").case
    actions.officer_reply(officer, case, _private(officer), "คำตอบลับมาก")
    actions.change_status(officer, case, Status.INVESTIGATING)
    actions.tag_risk_area(officer, case, "budget")
    from prongsai.audit.models import AuditEvent

    logged = " ".join(str(e.params) + str(e.changes) for e in AuditEvent.objects.all())
    assert "ลับมาก" not in logged and case.reference in logged
    assert not AuditEvent.objects.filter(event__startswith="complaint.file").exists()  # no files: no entry
    assert log_problems() == []


def test_filing_and_reporter_replies_write_no_audit_entry(org_a, officer):
    from prongsai.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    filed = file(org_a)
    actions.reporter_reply(actions.reporter_open(filed.receipt, None), "ตอบกลับ")
    assert AuditEvent.objects.count() == before


def test_purge_destroys_closed_cases_past_retention_and_keeps_the_counts(
    people, org_a, officer, settings, capsys, django_capture_on_commit_callbacks
):
    old = file(org_a, "เรื่องเก่าที่ยุติแล้ว", identity="ชื่อ", uploads=[actions.Upload("a.png", png_with("x"))])
    recent = file(org_a, "เรื่องที่เพิ่งยุติ")
    open_case = file(org_a, "เรื่องที่ยังเปิด")
    for filed in (old, recent):
        actions.change_status(officer, filed.case, Status.CLOSED)
    actions.tag_risk_area(officer, old.case, "budget")
    Case.objects.filter(pk=old.case.pk).update(closed_on=dt.date(2020, 1, 1))
    stored = Path(settings.MEDIA_ROOT) / Attachment.objects.get(case=old.case).stored_name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the destruction commits
        assert main(["complaints", "purge", "--days", "30"]) == 0
    assert "1" in capsys.readouterr().out
    case = Case.objects.get(pk=old.case.pk)
    assert case.destroyed_on is not None and case.content is None and case.reporter_lookup is None
    assert (case.status, case.closed_on, case.risk_area, case.received_on) == (
        Status.CLOSED,
        dt.date(2020, 1, 1),
        "budget",
        old.case.received_on,
    )
    for model in (Message, Attachment, CaseKey, Identity):
        assert not model.objects.filter(case=case).exists(), model
    assert not stored.exists()
    assert Case.objects.get(pk=recent.case.pk).destroyed_on is None
    assert Case.objects.get(pk=open_case.case.pk).destroyed_on is None
    assert last_entry("complaint.destroy").params["case"] == case.reference
    with pytest.raises(actions.ReceiptRefused):
        actions.reporter_open(old.receipt, None)
    assert (
        sign_in(officer)
        .get(reverse("complaint_case", kwargs={"org": "wangphai", "case_id": case.pk}))
        .status_code
        == 403
    )
    assert actions.purge(retention_days=30) == 0  # again: nothing more
    assert log_problems() == []


def _docx_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (200 * 1024 * 1024))  # 200 MB of zeros, 200 KB zipped
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "refused"),
    [
        ("photo.jpg", b"MZ\x90\x00 this is a Windows program", True),
        ("photo.jpg", b"\xff\xd8\xff\xe0 not really a JPEG", True),
        ("report.docx", b"PK\x03\x04 broken zip", True),
        ("bomb.docx", None, True),  # 200 MB of zeros in 200 KB: refused while unpacking, memory bounded
    ],
)
def test_hostile_files_are_refused_and_save_nothing(org_a, name, data, refused):
    upload = actions.Upload(name, _docx_bomb() if data is None else data)
    if refused:
        with pytest.raises(ValidationError) as error:
            file(org_a, uploads=[upload])
        assert "files" in error.value.message_dict and name in error.value.message_dict["files"][0]
        assert not Case.objects.exists()
    else:
        file(org_a, uploads=[upload])
        assert Attachment.objects.get().size < 1024 * 1024


def test_too_many_or_too_large_files_are_refused(org_a):
    with pytest.raises(ValidationError):
        file(org_a, uploads=[actions.Upload(f"{n}.png", png_with("x")) for n in range(6)])
    with pytest.raises(ValidationError):
        file(org_a, uploads=[actions.Upload("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))])
    assert not Case.objects.exists()


def test_complaints_is_a_reserved_organisation_slug(db):
    with pytest.raises(ValidationError) as refused:
        make_org("complaints", "ไม่ควรมี")
    assert "slug" in refused.value.message_dict


def test_a_complaints_officer_needs_a_membership_role(org_a):
    assert str(Role.COMPLAINTS.label) == "เจ้าหน้าที่รับเรื่องร้องเรียน"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_handlers_replying_at_once_both_land_in_order(people, org_a, officer):
    pat = make_user("pat", org_a, Role.COMPLAINTS)
    sign_in(pat)
    actions.authorise_handler(people["bob"], org_a, pat)
    case = file(org_a).case
    keys_ = {officer.pk: _private(officer), pat.pk: _private(pat)}
    errors = []

    def reply(user):
        try:
            actions.officer_reply(user, case, keys_[user.pk], f"คำตอบของ {user.username}")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reply, args=(u,)) for u in (officer, pat)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(Message.objects.filter(case=case).values_list("number", flat=True)) == [1, 2]
