"""``prongsai report summary|export|import``: a round of ORG/PLAN for fiscal year Y (พ.ศ.) and round 6|12."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _


def _find_round(ref: str, year: int, months: int) -> Any:
    from prongsai.reports.models import ReportRound

    org_slug, _sep, plan_slug = ref.partition("/")
    report_round = (
        ReportRound.objects.select_related("organization", "plan")
        .filter(organization__slug=org_slug, plan_slug=plan_slug, fiscal_year=year, months=months)
        .first()
    )
    if report_round is None:
        print(
            _(
                "ไม่พบรอบรายงาน %(ref)s ปี %(year)s รอบ %(months)s เดือน (ใช้รูปแบบ ORG/PLAN เช่น wangphai/2561-2564)"
            )
            % {"ref": ref, "year": year, "months": months},
            file=sys.stderr,
        )
        raise SystemExit(2)
    return report_round


def _write(args: argparse.Namespace, data: bytes) -> None:
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def summary_command(args: argparse.Namespace) -> int:
    from prongsai.reports.export import dumps
    from prongsai.reports.scores import summarise

    report_round = _find_round(args.plan, args.year, args.round)
    _write(args, dumps(summarise(report_round).as_json()).encode("utf-8"))
    return 0


def export_command(args: argparse.Namespace) -> int:
    from prongsai.reports.export import dumps, round_json
    from prongsai.reports.spreadsheet import export_xlsx

    report_round = _find_round(args.plan, args.year, args.round)
    if args.format != "json" and not args.output and sys.stdout.isatty():
        print(_("ไฟล์ %(format)s ต้องระบุ -o FILE") % {"format": args.format.upper()}, file=sys.stderr)
        return 2
    if args.format == "xlsx":
        _write(args, export_xlsx(report_round))
    elif args.format == "pdf":
        from prongsai.reports.actions import published_report_pdf
        from prongsai.reports.document import report_pdf

        # A published round's PDF is the one stored (and hashed in the log) when it was published.
        _write(args, published_report_pdf(report_round) or report_pdf(report_round))
    elif args.format == "docx":
        from prongsai.reports.document import report_docx

        _write(args, report_docx(report_round))
    else:
        _write(args, dumps(round_json(report_round)).encode("utf-8"))
    return 0


def _refused(problems: list[str]) -> int:
    print(_("ไม่ได้นำเข้า: ไฟล์มีปัญหา %(count)s จุด") % {"count": len(problems)}, file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 2


def import_command(args: argparse.Namespace) -> int:
    """Exit 2 with every problem for a refused file: nothing is written, never a traceback."""
    from django.core.exceptions import ValidationError

    from prongsai.lib import xlsx
    from prongsai.organizations.access import SystemActor
    from prongsai.reports import actions, spreadsheet

    report_round = _find_round(args.plan, args.year, args.round)
    path = Path(args.file)
    try:
        with path.open("rb") as file:
            raw = file.read(xlsx.MAX_BYTES + 1)  # never more than the limit is read
    except OSError as error:
        print(_("อ่านไฟล์ไม่ได้: %(error)s") % {"error": error.strerror or error}, file=sys.stderr)
        return 2
    try:
        parsed = spreadsheet.read_xlsx(raw, report_round)
        changed = actions.import_reports(SystemActor("import"), report_round, parsed.rows, path.name)
    except xlsx.SpreadsheetRefused as refused:
        return _refused(refused.problems)
    except ValidationError as error:
        return _refused(error.messages)
    print(_("นำเข้าผลการดำเนินงาน %(count)s รายการแล้ว") % {"count": len(changed)})
    return 0


def _round_arguments(parser: argparse.ArgumentParser, plan_positional: bool = True) -> None:
    if plan_positional:
        parser.add_argument("plan", metavar="ORG/PLAN")
    parser.add_argument("--year", type=int, required=True, help="fiscal year, Buddhist Era (e.g. 2561)")
    parser.add_argument("--round", type=int, choices=[6, 12], required=True, help="6- or 12-month round")


def register(subparsers: Any) -> None:
    report = subparsers.add_parser("report", help="6- and 12-month reports on carrying out a plan")
    commands = report.add_subparsers(dest="report_command", required=True)
    summary = commands.add_parser("summary", help="counts per status, score, band and budget sums")
    _round_arguments(summary)
    summary.add_argument("--format", choices=["json"], default="json")
    summary.add_argument("-o", "--output", metavar="FILE")
    summary.set_defaults(handler=summary_command)
    export = commands.add_parser(
        "export", help="write a round as XLSX (one row per item), the report document (PDF, DOCX) or JSON"
    )
    _round_arguments(export)
    export.add_argument("--format", choices=["xlsx", "pdf", "docx", "json"], default="json")
    export.add_argument("-o", "--output", metavar="FILE")
    export.set_defaults(handler=export_command)
    imp = commands.add_parser(
        "import", help="read an exported XLSX back; nothing is written if any row is wrong"
    )
    imp.add_argument("file", metavar="FILE.xlsx")
    imp.add_argument("--plan", metavar="ORG/PLAN", required=True)
    _round_arguments(imp, plan_positional=False)
    imp.set_defaults(handler=import_command)
