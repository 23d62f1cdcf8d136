"""``prongsai risk export|import``: the corruption-risk register of ORG for fiscal year Y (พ.ศ.)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from prongsai.lib import xlsx
from prongsai.reports.cli import _refused, _write


def _find_register(org_slug: str, year: int, revision: int | None = None) -> Any:
    """The year's newest revision (any state), or revision ``revision``; exit 2 when there is none."""
    from prongsai.risks.models import RiskRegister

    registers = RiskRegister.objects.select_related("organization").filter(
        organization__slug=org_slug, fiscal_year=year
    )
    if revision is not None:
        registers = registers.filter(revision=revision)
    register = registers.order_by("-revision").first()
    if register is None:
        print(
            _("ไม่พบทะเบียนความเสี่ยงของ %(org)s ปี %(year)s") % {"org": org_slug, "year": year}, file=sys.stderr
        )
        raise SystemExit(2)
    return register


def export_command(args: argparse.Namespace) -> int:
    from prongsai.risks import document
    from prongsai.risks.spreadsheet import dumps, export_xlsx, register_json

    register = _find_register(args.org, args.year, args.revision)
    if args.format != "json" and not args.output and sys.stdout.isatty():
        print(_("ไฟล์ %(format)s ต้องระบุ -o FILE") % {"format": args.format.upper()}, file=sys.stderr)
        return 2
    if args.round is not None:
        if args.format not in ("pdf", "docx"):
            print(_("รายงานผลการติดตามส่งออกได้เป็น pdf หรือ docx"), file=sys.stderr)
            return 2
        from prongsai.risks.models import MonitoringRound

        # A round belongs to the revision it was opened on, whichever revision is the newest now.
        report_round = (
            MonitoringRound.objects.select_related("register__organization")
            .filter(register__organization=register.organization, register__fiscal_year=args.year)
            .filter(months=args.round)
            .first()
        )
        if report_round is None:
            print(
                _("ไม่พบการติดตามผลรอบ %(months)s เดือน ของทะเบียนนี้") % {"months": args.round},
                file=sys.stderr,
            )
            return 2
        maker = document.round_pdf if args.format == "pdf" else document.round_docx
        _write(args, maker(report_round))
    elif args.format == "xlsx":
        _write(args, export_xlsx(register))
    elif args.format == "pdf":
        _write(args, document.register_pdf(register))
    elif args.format == "docx":
        _write(args, document.register_docx(register))
    else:
        _write(args, dumps(register_json(register)).encode("utf-8"))
    return 0


def import_command(args: argparse.Namespace) -> int:
    """Exit 2 with every problem for a refused file: nothing is written, never a traceback."""
    from django.core.exceptions import ValidationError

    from prongsai.organizations.access import SystemActor
    from prongsai.risks import actions, spreadsheet

    register = _find_register(args.org, args.year)
    path = Path(args.file)
    try:
        with path.open("rb") as file:
            raw = file.read(xlsx.MAX_BYTES + 1)  # never more than the limit is read
    except OSError as error:
        print(_("อ่านไฟล์ไม่ได้: %(error)s") % {"error": error.strerror or error}, file=sys.stderr)
        return 2
    try:
        parsed = spreadsheet.read_xlsx(raw, register)
        written, count = actions.import_into_year(SystemActor("import"), register, parsed.rows, path.name)
    except xlsx.SpreadsheetRefused as refused:
        return _refused(refused.problems)
    except ValidationError as error:
        return _refused(error.messages)
    print(_("นำเข้าความเสี่ยง %(count)s รายการแล้ว") % {"count": count})
    if written.pk != register.pk:
        print(
            _(
                "ทะเบียนปี %(year)s ฉบับที่ %(published)s ประกาศแล้ว จึงเปิดฉบับที่ %(revision)s เป็นฉบับร่าง"
                "และนำเข้าในฉบับนั้น ฉบับที่ประกาศแล้วยังเผยแพร่อยู่จนกว่าผู้อนุมัติจะอนุมัติและประกาศฉบับที่ %(revision)s"
            )
            % {"year": written.fiscal_year, "published": register.revision, "revision": written.revision}
        )
    elif count == 0 and written.status == "published":
        print(_("ไฟล์ไม่มีสิ่งที่เปลี่ยน จึงไม่ได้เปิดฉบับใหม่"))
    return 0


def register(subparsers: Any) -> None:
    risk = subparsers.add_parser(
        "risk", help="the corruption-risk register of an organisation and fiscal year"
    )
    commands = risk.add_subparsers(dest="risk_command", required=True)
    export = commands.add_parser(
        "export",
        help="write a register as XLSX (one row per risk), JSON (with computed score and level), or the"
        " ITA document as PDF or DOCX; with --round, that round's monitoring report",
    )
    export.add_argument("--org", required=True, metavar="ORG")
    export.add_argument("--year", type=int, required=True, help="fiscal year, Buddhist Era (e.g. 2562)")
    export.add_argument("--format", choices=["xlsx", "json", "pdf", "docx"], default="json")
    export.add_argument(
        "--revision", type=int, metavar="N", help="an earlier revision of the register (default: the newest)"
    )
    export.add_argument(
        "--round", type=int, choices=[6, 12], help="the 6- or 12-month monitoring report (pdf or docx)"
    )
    export.add_argument("-o", "--output", metavar="FILE")
    export.set_defaults(handler=export_command)
    imp = commands.add_parser(
        "import",
        help="read an exported XLSX back; nothing is written if any row is wrong. When the year's newest"
        " revision is published, the file goes into a new draft revision copied from it",
    )
    imp.add_argument("file", metavar="FILE.xlsx")
    imp.add_argument("--org", required=True, metavar="ORG")
    imp.add_argument("--year", type=int, required=True, help="fiscal year, Buddhist Era (e.g. 2562)")
    imp.set_defaults(handler=import_command)
