"""``prongsai audit checkpoint``, ``prongsai audit verify`` and ``prongsai audit export``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _


def checkpoint_command(args: argparse.Namespace) -> int:
    from prongsai.audit.checkpoint import CheckpointRefused, checkpoint
    from prongsai.audit.signing import SigningError

    try:
        signed = checkpoint(args.org)
    except LookupError:
        print(
            _("ไม่มีกุญแจสำหรับลงนาม: ตั้ง PRONGSAI_AUDIT_KEY_FILE หรือสร้างด้วย prongsai audit keygen"),
            file=sys.stderr,
        )
        return 2
    except SigningError as error:
        print(_("กุญแจสำหรับลงนามใช้ไม่ได้: %(error)s") % {"error": error}, file=sys.stderr)
        return 2
    except CheckpointRefused as refused:
        print(_("ไม่ลงนาม: บันทึกไม่สมบูรณ์"), file=sys.stderr)
        for problem in refused.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    for item in signed:
        if item.created:
            print(_("%(log)s: ลงนามจุดตรวจสอบที่ %(size)s รายการ") % {"log": item.log, "size": item.size})
        else:
            print(
                _("%(log)s: จุดตรวจสอบล่าสุดครอบคลุม %(size)s รายการแล้ว") % {"log": item.log, "size": item.size}
            )
    return 0


def verify_command(args: argparse.Namespace) -> int:
    from prongsai.audit.signing import SigningError
    from prongsai.audit.verify import verify

    started = time.perf_counter()
    try:
        reports = verify(args.org)
    except SigningError as error:
        print(_("กุญแจสำหรับตรวจลายมือชื่อใช้ไม่ได้: %(error)s") % {"error": error}, file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    problems = [problem for report in reports for problem in report.problems]
    for report in reports:
        if report.log == "-":
            continue
        print(
            _(
                "%(log)s (%(org)s): %(entries)s รายการ, จุดตรวจสอบ %(checkpoints)s, ตรวจข้อมูล %(rows)s แถว, ปัญหา %(problems)s"
            )
            % {
                "log": report.log,
                "org": report.organization or "site",
                "entries": report.entries,
                "checkpoints": report.checkpoints,
                "rows": report.rows,
                "problems": len(report.problems),
            }
        )
    for problem in problems:
        print(f"  ✗ {problem}", file=sys.stderr)
    if problems:
        print(
            _("ไม่ผ่าน: พบปัญหา %(count)s จุด (%(seconds).1f วินาที)")
            % {"count": len(problems), "seconds": elapsed}
        )
        return 1
    print(_("ผ่าน: บันทึกครบถ้วนและตรงกับข้อมูล (%(seconds).1f วินาที)") % {"seconds": elapsed})
    return 0


def export_command(args: argparse.Namespace) -> int:
    """One organisation's log as JSON lines: its entries, then its checkpoints, to verify elsewhere."""
    from prongsai.audit.models import AuditEvent, AuditLog, Checkpoint

    log = AuditLog.objects.filter(organization__slug=args.org).first()
    if log is None:
        print(_("ไม่พบบันทึกขององค์กร %(org)s") % {"org": args.org}, file=sys.stderr)
        return 2
    out = Path(args.output).open("w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        header: dict[str, Any] = {"log": log.key, "origin": log.origin, "size": log.size, "head": log.head}
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        for entry in AuditEvent.objects.filter(log=log).order_by("seq").iterator(chunk_size=2000):
            row = {
                "seq": entry.seq,
                "at": entry.at.isoformat(),
                "actor": entry.actor_id,
                "actor_name": entry.actor_name,
                "event": entry.event,
                "plan_key": entry.plan_key,
                "params": entry.params,
                "changes": entry.changes,
                "previous_hash": entry.previous_hash,
                "hash": entry.hash,
            }
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        for signed in Checkpoint.objects.filter(log=log).order_by("size"):
            out.write(json.dumps({"checkpoint": signed.note}, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def keygen_command(args: argparse.Namespace) -> int:
    from prongsai.audit.keys import ensure_signer, key_path

    signer, created = ensure_signer()
    if created:
        print(_("สร้างกุญแจสำหรับลงนามที่ %(path)s") % {"path": key_path()})
    else:
        print(_("มีกุญแจอยู่แล้วที่ %(path)s") % {"path": key_path()})
    print(_("กุญแจสำหรับตรวจ (เผยแพร่ได้): %(key)s") % {"key": signer.verifier.encode()})
    return 0


def register(subparsers: Any) -> None:
    audit = subparsers.add_parser("audit", help="sign, verify and export the change logs")
    commands = audit.add_subparsers(dest="audit_command", required=True)
    sign = commands.add_parser("checkpoint", help="sign each organisation's current log head")
    sign.add_argument("--org", metavar="SLUG")
    sign.set_defaults(handler=checkpoint_command)
    check = commands.add_parser(
        "verify",
        help="check every log, its signed checkpoints and the data against it; non-zero on any problem",
    )
    check.add_argument("--org", metavar="SLUG")
    check.set_defaults(handler=verify_command)
    export = commands.add_parser("export", help="write one organisation's log as JSON lines")
    export.add_argument("--org", metavar="SLUG", required=True)
    export.add_argument("-o", "--output", metavar="FILE")
    export.set_defaults(handler=export_command)
    keygen = commands.add_parser("keygen", help="create the signing key file when there is none")
    keygen.set_defaults(handler=keygen_command)
