"""Checking that a log holds and that the tables are what the log says.

For each organisation's log, ``verify_log``:
1. walks the entries in order and recomputes every hash and link (an edited, deleted or inserted entry);
2. compares the log's head row with its last entry (the newest entries deleted);
3. checks every signed checkpoint of the log — those in the database and the latest one kept outside it
   (``AUDIT_WITNESS_DIR``) — against the verifier key, and that the log still extends each (a log
   truncated, emptied or rewritten and re-chained since it was signed);
4. replays the states the entries recorded and compares them with every tracked row of the
   organisation now (a budget, title, status, membership or Part 1 text changed by SQL; a deleted or
   injected row; a stored published PDF whose bytes no longer match the hash the log recorded);
5. runs the checks of derived data the apps registered (``state.check_derived``: the ITA rounds' running
   sums recomputed from the answers), naming each difference under its organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from prongsai.audit import state as audit_state
from prongsai.audit.keys import verifier as configured_verifier
from prongsai.audit.log import entry_hash
from prongsai.audit.models import GENESIS, AuditEvent, AuditLog, Checkpoint
from prongsai.audit.signing import CheckpointBody, SigningError, Verifier, open_note
from prongsai.organizations.models import Organization

CHUNK = 2000


@dataclass(frozen=True)
class Problem:
    log: str
    kind: str  # chain | head | checkpoint | state | derived
    message: str

    def __str__(self) -> str:
        return f"{self.log}: {self.message}"


@dataclass
class LogReport:
    log: str
    organization: str
    entries: int = 0
    checkpoints: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)


def witness_path(log_key: str) -> Path:
    return Path(settings.AUDIT_WITNESS_DIR) / f"{log_key}.note"


def _signed_bodies(
    log: AuditLog, verifier: Verifier | None, report: LogReport
) -> list[tuple[str, CheckpointBody]]:
    """Every checkpoint of ``log`` whose signature holds, labelled by where it was found."""
    notes: list[tuple[str, str]] = [
        (_("จุดตรวจสอบที่ลงนามเมื่อ %(at)s") % {"at": c.created_at.isoformat()}, c.note)
        for c in (Checkpoint.objects.filter(log=log).order_by("size") if log.pk else [])
    ]
    witness = witness_path(log.key)
    if witness.exists():
        notes.append((_("สำเนาจุดตรวจสอบนอกฐานข้อมูล %(path)s") % {"path": witness}, witness.read_text("utf-8")))
    if notes and verifier is None:
        report.problems.append(
            Problem(log.key, "checkpoint", _("มีจุดตรวจสอบที่ลงนามไว้ แต่ไม่มีกุญแจสำหรับตรวจลายมือชื่อ"))
        )
        return []
    bodies: list[tuple[str, CheckpointBody]] = []
    for where, note in notes:
        assert verifier is not None
        try:
            body = CheckpointBody.parse(open_note(note, verifier))
        except SigningError as error:
            report.problems.append(
                Problem(
                    log.key,
                    "checkpoint",
                    _("%(where)s: ลายมือชื่อไม่ถูกต้อง (%(error)s)") % {"where": where, "error": error},
                )
            )
            continue
        if body.origin != log.origin:
            report.problems.append(
                Problem(
                    log.key,
                    "checkpoint",
                    _("%(where)s: เป็นของบันทึก %(origin)s ไม่ใช่บันทึกนี้") % {"where": where, "origin": body.origin},
                )
            )
            continue
        bodies.append((where, body))
    report.checkpoints = len(bodies)
    return bodies


def _replay(
    log: AuditLog, report: LogReport, wanted_sizes: set[int]
) -> tuple[dict[tuple[str, str], dict[str, Any] | None], dict[int, str], int, str]:
    """Walk the entries: check hashes and links, collect the hashes at ``wanted_sizes`` and the states."""
    states: dict[tuple[str, str], dict[str, Any] | None] = {}
    hashes: dict[int, str] = {}
    previous = GENESIS
    expected_seq = 1
    last_seq = 0
    broken = 0
    entries = AuditEvent.objects.filter(log=log).order_by("seq") if log.pk else AuditEvent.objects.none()
    for entry in entries.iterator(chunk_size=CHUNK):
        if entry.seq != expected_seq:
            report.problems.append(
                Problem(
                    log.key,
                    "chain",
                    _("รายการที่ %(expected)s ถึง %(found)s หายไปจากบันทึก")
                    % {"expected": expected_seq, "found": entry.seq - 1}
                    if entry.seq > expected_seq
                    else _("รายการที่ %(seq)s ซ้ำหรือผิดลำดับ") % {"seq": entry.seq},
                )
            )
        if entry.previous_hash != previous:
            broken += 1
            if broken <= 5:
                report.problems.append(
                    Problem(
                        log.key,
                        "chain",
                        _("รายการที่ %(seq)s ไม่ได้ต่อจากรายการก่อนหน้า (ลิงก์ถูกแก้ไข)") % {"seq": entry.seq},
                    )
                )
        if entry_hash(entry, log.key) != entry.hash:
            broken += 1
            if broken <= 5:
                report.problems.append(
                    Problem(
                        log.key,
                        "chain",
                        _("รายการที่ %(seq)s ถูกแก้ไขหลังบันทึก (เนื้อหาไม่ตรงกับค่าแฮช)") % {"seq": entry.seq},
                    )
                )
        if entry.seq in wanted_sizes:
            hashes[entry.seq] = entry.hash
        for change in entry.changes or []:
            try:
                states[(str(change["type"]), str(change["id"]))] = change["state"]
            except (KeyError, TypeError):
                report.problems.append(
                    Problem(
                        log.key, "chain", _("รายการที่ %(seq)s มีข้อมูลการเปลี่ยนแปลงผิดรูปแบบ") % {"seq": entry.seq}
                    )
                )
        previous = entry.hash
        expected_seq = entry.seq + 1
        last_seq = entry.seq
        report.entries += 1
    if broken > 5:
        report.problems.append(
            Problem(log.key, "chain", _("และอีก %(count)s รายการที่ไม่ตรง") % {"count": broken - 5})
        )
    return states, hashes, last_seq, previous


def _check_states(
    organization: Organization, states: dict[tuple[str, str], dict[str, Any] | None], report: LogReport
) -> None:
    key = report.log
    for tracked in audit_state.registry():
        seen: set[str] = set()
        for row in tracked.rows(organization):
            report.rows += 1
            row_id = str(row.pk)
            seen.add(row_id)
            recorded = states.get((tracked.type, row_id), "missing")
            if recorded == "missing" or recorded is None:
                report.problems.append(
                    Problem(
                        key,
                        "state",
                        _("%(type)s %(id)s (%(label)s) มีในฐานข้อมูลแต่ไม่มีในบันทึก (เพิ่มโดยไม่ผ่านระบบ)")
                        % {"type": tracked.type, "id": row_id, "label": tracked.label(row)},
                    )
                )
                continue
            now = audit_state.state_of(row)
            assert isinstance(recorded, dict)
            recorded = tracked.as_recorded(recorded)
            if now != recorded:
                fields = sorted(
                    name for name in set(now) | set(recorded) if now.get(name) != recorded.get(name)
                )
                report.problems.append(
                    Problem(
                        key,
                        "state",
                        _("%(type)s %(id)s (%(label)s) ถูกแก้ไขโดยไม่ผ่านระบบ: %(fields)s")
                        % {
                            "type": tracked.type,
                            "id": row_id,
                            "label": tracked.label(row),
                            "fields": ", ".join(
                                f"{name} {recorded.get(name)!r} → {now.get(name)!r}"[:300] for name in fields
                            ),
                        },
                    )
                )
        for (type_name, row_id), recorded in states.items():
            if type_name == tracked.type and recorded is not None and row_id not in seen:
                report.problems.append(
                    Problem(
                        key,
                        "state",
                        _("%(type)s %(id)s อยู่ในบันทึกแต่หายไปจากฐานข้อมูล (ลบโดยไม่ผ่านระบบ)")
                        % {"type": type_name, "id": row_id},
                    )
                )


def verify_log(log: AuditLog, verifier: Verifier | None) -> LogReport:
    organization = log.organization
    report = LogReport(log=log.key, organization=organization.slug if organization else "")
    bodies = _signed_bodies(log, verifier, report)
    states, hashes, last_seq, last_hash = _replay(log, report, {body.size for _where, body in bodies})
    if log.size != last_seq or log.head != last_hash:
        report.problems.append(
            Problem(
                log.key,
                "head",
                _("บันทึกควรมี %(size)s รายการ แต่พบ %(found)s รายการ หรือรายการล่าสุดไม่ตรง (รายการล่าสุดถูกลบหรือแก้ไข)")
                % {"size": log.size, "found": last_seq},
            )
        )
    for where, body in bodies:
        if body.size > last_seq:
            report.problems.append(
                Problem(
                    log.key,
                    "checkpoint",
                    _("%(where)s รับรองไว้ %(size)s รายการ แต่บันทึกเหลือ %(found)s รายการ (ถูกตัดหรือลบทิ้ง)")
                    % {"where": where, "size": body.size, "found": last_seq},
                )
            )
        elif body.size and hashes.get(body.size) != body.head:
            report.problems.append(
                Problem(
                    log.key,
                    "checkpoint",
                    _("%(where)s: รายการที่ %(size)s ไม่ตรงกับที่ลงนามไว้ (บันทึกถูกเขียนใหม่)")
                    % {"where": where, "size": body.size},
                )
            )
    if organization is not None:
        _check_states(organization, states, report)
    return report


def _orphan_witnesses(known: set[str]) -> list[Problem]:
    """Checkpoints kept outside the database for logs the database no longer has."""
    folder = Path(settings.AUDIT_WITNESS_DIR)
    if not folder.is_dir():
        return []
    return [
        Problem(
            path.stem,
            "checkpoint",
            _("มีจุดตรวจสอบที่ลงนามไว้ของบันทึกนี้ แต่บันทึกหายไปจากฐานข้อมูลทั้งหมด"),
        )
        for path in sorted(folder.glob("*.note"))
        if path.stem not in known
    ]


def verify(org_slug: str | None = None) -> list[LogReport]:
    """Reports for every log (or one organisation's), including organisations that have no log at all."""
    verifier = configured_verifier()
    logs: Iterable[AuditLog]
    organizations = (
        Organization.objects.all() if org_slug is None else Organization.objects.filter(slug=org_slug)
    )
    logs = AuditLog.objects.select_related("organization").order_by("key")
    if org_slug is not None:
        logs = logs.filter(organization__slug=org_slug)
    reports = [verify_log(log, verifier) for log in logs]
    with_log = {r.organization for r in reports}
    for organization in organizations:
        if organization.slug not in with_log:
            # An organisation without a log: every row it has is unaccounted for.
            empty = AuditLog(key=AuditLog.key_for(organization), organization=organization)
            reports.append(verify_log(empty, verifier))
    by_slug = {report.organization: report for report in reports}
    for check in audit_state.derived_checks():
        for slug, message in check(org_slug):
            report = by_slug.get(slug)
            if report is None:
                report = LogReport(log="-", organization=slug)
                reports.append(report)
                by_slug[slug] = report
            report.problems.append(Problem(report.log, "derived", message))
    if org_slug is None:
        orphans = _orphan_witnesses({r.log for r in reports})
        if orphans:
            reports.append(LogReport(log="-", organization="", problems=orphans))
    return reports
