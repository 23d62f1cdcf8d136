"""The tamper harness: each attack a database administrator could make must be named by ``audit verify``.

Attacks are plain SQL through the ORM's ``update``/``delete``/``bulk_create`` (no action, no log entry),
which is what someone holding the database password can do.
"""

from __future__ import annotations

import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings

from prongsai.audit.checkpoint import CheckpointRefused, checkpoint
from prongsai.audit.keys import ensure_signer
from prongsai.audit.log import entry_hash
from prongsai.audit.models import AuditEvent, AuditLog, Checkpoint
from prongsai.audit.signing import CheckpointBody, Signer, SigningError, Verifier, open_note
from prongsai.cli import main
from prongsai.conftest import SETUP, log_problems
from prongsai.documents.models import PublishedDocument
from prongsai.organizations.models import Membership, Organization, Role
from prongsai.plans import actions
from prongsai.plans.models import ItemBudget, Part1Entry, Plan, PlanItem


@pytest.fixture(autouse=True)
def signing_key(tmp_path: Path):
    with override_settings(
        AUDIT_KEY_FILE=str(tmp_path / "audit.key"), AUDIT_WITNESS_DIR=str(tmp_path / "checkpoints")
    ):
        ensure_signer()
        yield


def kinds(org: str | None = None) -> list[str]:
    return log_problems(org)


def test_an_honest_log_verifies_and_is_signed(plan):
    assert kinds() == []
    signed = checkpoint()
    assert {s.log for s in signed if s.created} == {
        f"org-{plan.organization_id}",
        f"org-{Organization.objects.get(slug='bangrak').pk}",
    }
    assert kinds() == []


def test_a_budget_edited_by_sql_is_named(plan):
    item = plan.items.get(title="โครงการความรู้คู่คุณธรรม")
    ItemBudget.objects.filter(item=item, fiscal_year=2561).update(amount=Decimal("999999"))
    problems = kinds("wangphai")
    assert len(problems) == 1
    assert "plan_item" in problems[0] and "budgets" in problems[0] and "999999" in problems[0]


def test_a_published_plans_budget_and_status_edited_by_sql_are_named(plan, people):
    actions.approve_plan(people["bob"], actions.submit_plan(SETUP, plan))
    actions.publish_plan(people["bob"], plan)
    checkpoint()
    item = plan.items.first()
    ItemBudget.objects.filter(item=item).update(amount=Decimal("1"))
    Plan.objects.filter(pk=plan.pk).update(status="draft")
    text = "\n".join(kinds())
    assert "plan_item" in text and "budgets" in text
    assert "status 'published' → 'draft'" in text


def test_titles_memberships_and_part1_text_edited_by_sql_are_named(plan, people):
    PlanItem.objects.filter(plan=plan).update(title="ชื่อใหม่")
    Membership.objects.filter(user=people["dan"]).update(role=Role.APPROVER)
    Part1Entry.objects.filter(plan=plan, section="preface").update(text="ข้อความปลอม")
    Organization.objects.filter(slug="wangphai").update(name_th="ชื่อปลอม")
    text = "\n".join(kinds("wangphai"))
    for name in ("plan_item", "membership", "part1_entry", "organization", "ชื่อปลอม", "approver"):
        assert name in text


def test_a_deleted_and_an_injected_row_are_named(plan):
    deleted = plan.items.first()
    PlanItem.objects.filter(pk=deleted.pk).delete()
    PlanItem.objects.create(
        plan=plan, mission=plan.missions.get(code="4.1"), position=99, kind="project", title="โครงการแอบเพิ่ม"
    )
    text = "\n".join(kinds("wangphai"))
    assert "หายไปจากฐานข้อมูล" in text  # deleted outside the log
    assert "โครงการแอบเพิ่ม" in text and "ไม่มีในบันทึก" in text  # injected


def test_an_edited_entry_is_named_by_its_hash(plan):
    entry = AuditEvent.objects.filter(organization=plan.organization).order_by("seq")[2]
    AuditEvent.objects.filter(pk=entry.pk).update(params={"title": "แก้ย้อนหลัง"})
    assert any("รายการที่ 3 ถูกแก้ไข" in p for p in kinds("wangphai"))


def test_deleting_the_newest_entries_is_named(plan):
    log = AuditLog.objects.get(organization=plan.organization)
    AuditEvent.objects.filter(log=log, seq__gt=log.size - 2).delete()
    problems = kinds("wangphai")
    assert any("ควรมี" in p for p in problems)  # the head row still says how long the log was


def test_a_rewritten_and_rechained_log_no_longer_extends_its_checkpoint(plan):
    """The attacker edits an entry, recomputes every hash after it and fixes the head row: the chain
    holds, but the signed checkpoint does not."""
    checkpoint()
    log = AuditLog.objects.get(organization=plan.organization)
    entries = list(AuditEvent.objects.filter(log=log).order_by("seq"))
    entries[1].params = {"title": "แก้ย้อนหลัง"}
    previous = entries[0].hash
    for entry in entries[1:]:
        entry.previous_hash = previous
        entry.hash = entry_hash(entry, log.key)
        previous = entry.hash
        AuditEvent.objects.filter(pk=entry.pk).update(
            params=entry.params, previous_hash=entry.previous_hash, hash=entry.hash
        )
    AuditLog.objects.filter(pk=log.pk).update(head=previous)
    problems = kinds("wangphai")
    assert not any("ลิงก์" in p or "ค่าแฮช" in p for p in problems)  # the chain itself was mended
    assert any("ไม่ตรงกับที่ลงนามไว้" in p for p in problems)


def test_a_truncated_log_with_its_head_row_fixed_is_caught_by_the_checkpoint(plan):
    checkpoint()
    log = AuditLog.objects.get(organization=plan.organization)
    keep = log.size - 3
    AuditEvent.objects.filter(log=log, seq__gt=keep).delete()
    last = AuditEvent.objects.get(log=log, seq=keep)
    AuditLog.objects.filter(pk=log.pk).update(size=keep, head=last.hash)
    assert any("ถูกตัดหรือลบทิ้ง" in p for p in kinds("wangphai"))


def test_an_emptied_log_and_checkpoint_table_are_caught_by_the_copy_outside_the_database(plan):
    checkpoint()
    Checkpoint.objects.all().delete()
    AuditEvent.objects.all().delete()
    AuditLog.objects.all().update(size=0, head="0" * 64)
    problems = kinds()
    assert any("สำเนาจุดตรวจสอบนอกฐานข้อมูล" in p and "ถูกตัดหรือลบทิ้ง" in p for p in problems)
    assert any("ไม่มีในบันทึก" in p for p in problems)  # and every row is now unaccounted for


def test_a_whole_log_deleted_is_caught(plan):
    checkpoint()
    Checkpoint.objects.all().delete()
    AuditEvent.objects.all().delete()
    AuditLog.objects.all().delete()
    problems = kinds()
    assert any("หายไปจากฐานข้อมูลทั้งหมด" in p for p in problems) or any("ถูกตัดหรือลบทิ้ง" in p for p in problems)


def test_a_replaced_pdf_is_caught_even_with_its_recorded_hash_replaced(plan, people):
    actions.approve_plan(people["bob"], actions.submit_plan(SETUP, plan))
    actions.publish_plan(people["bob"], plan)
    forged = b"%PDF-1.7 forged"
    PublishedDocument.objects.filter(plan=plan).update(
        pdf=forged, sha256=hashlib.sha256(forged).hexdigest(), size=len(forged)
    )
    text = "\n".join(kinds("wangphai"))
    assert "published_document" in text and "sha256" in text


def test_a_checkpoint_signed_by_another_key_is_refused(plan, tmp_path):
    checkpoint()
    log = AuditLog.objects.get(organization=plan.organization)
    other = Signer.generate("prongsai.local")
    forged = other.sign(CheckpointBody(origin=log.origin, size=1, head="ab" * 32).text())
    Checkpoint.objects.create(
        log=log, size=1, head="ab" * 32, key_id="x", created_at=log.checkpoints.get().created_at, note=forged
    )
    assert any("ลายมือชื่อไม่ถูกต้อง" in p for p in kinds("wangphai"))


def test_a_log_that_does_not_hold_is_not_signed(plan):
    entry = AuditEvent.objects.filter(organization=plan.organization).order_by("seq")[1]
    AuditEvent.objects.filter(pk=entry.pk).update(params={"x": 1})
    with pytest.raises(CheckpointRefused):
        checkpoint("wangphai")


def test_checkpoints_are_c2sp_signed_notes_any_verifier_can_check(plan):
    checkpoint()
    stored = Checkpoint.objects.filter(log__organization=plan.organization).get()
    signer = Signer.decode(Path(__import__("django.conf").conf.settings.AUDIT_KEY_FILE).read_text())
    verifier = Verifier.decode(signer.verifier.encode())
    body = CheckpointBody.parse(open_note(stored.note, verifier))
    assert body.size == stored.size and body.head == stored.head
    assert stored.note.split("\n")[0].endswith(f"/org-{plan.organization_id}")
    with pytest.raises(SigningError):
        open_note(stored.note.replace(str(stored.size), str(stored.size + 1), 1), verifier)


def test_the_command_line_exits_non_zero_naming_the_problem(plan, capsys):
    assert main(["audit", "checkpoint"]) == 0
    assert main(["audit", "verify"]) == 0
    ItemBudget.objects.filter(item__plan=plan).update(amount=Decimal("5"))
    assert main(["audit", "verify", "--org", "wangphai"]) == 1
    assert "budgets" in capsys.readouterr().err


def test_the_export_carries_entries_and_checkpoints(plan, tmp_path, capsys):
    checkpoint()
    out = tmp_path / "log.jsonl"
    assert main(["audit", "export", "--org", "wangphai", "-o", str(out)]) == 0
    lines = [json.loads(line) for line in io.StringIO(out.read_text("utf-8"))]
    log = AuditLog.objects.get(organization=plan.organization)
    assert lines[0]["size"] == log.size and lines[-1]["checkpoint"].startswith(log.origin)
    assert [row["seq"] for row in lines[1:-1]] == list(range(1, log.size + 1))


def test_every_entry_of_a_whole_plan_workflow_verifies(plan, people):
    actions.approve_plan(people["bob"], actions.submit_plan(SETUP, plan))
    actions.publish_plan(people["bob"], plan)
    new = actions.start_revision(people["alice"], plan)
    item = new.items.first()
    assert item is not None
    actions.move_item(people["alice"], item, 1)
    actions.delete_item(people["alice"], item)
    entry = new.part1_entries.first()
    assert entry is not None
    actions.update_part1_entry(people["alice"], entry, "ข้อความใหม่")
    actions.delete_part1_entry(people["alice"], entry)
    assert kinds() == []
    assert SETUP.label == "system:test"
