"""``prongsai plan export`` and ``prongsai plan import``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _


def _find_plan(ref: str) -> Any:
    from prongsai.plans.models import Plan

    org_slug, _sep, plan_slug = ref.partition("/")
    plan = (
        Plan.objects.select_related("organization")
        .filter(organization__slug=org_slug, slug=plan_slug)
        .order_by("-revision")
        .first()
    )
    if plan is None:
        raise SystemExit(_("ไม่พบแผน %(ref)s (ใช้รูปแบบ ORG/PLAN เช่น wangphai/2561-2564)") % {"ref": ref})
    return plan


def export_command(args: argparse.Namespace) -> int:
    from prongsai.plans.interchange import dumps, export_plan

    text = dumps(export_plan(_find_plan(args.plan)))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _refused(problems: list[str]) -> int:
    print(_("ไม่ได้นำเข้า: ไฟล์มีปัญหา %(count)s จุด") % {"count": len(problems)}, file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 2


def import_command(args: argparse.Namespace) -> int:
    """Exit 2 with the problems for any bad file: never a traceback, nothing written."""
    from prongsai.organizations.access import SystemActor
    from prongsai.plans.interchange import ImportRefused, import_plan, validation

    path = Path(args.file)
    try:
        with path.open("rb") as file:
            raw = file.read(validation.MAX_BYTES + 1)  # no more than the limit is ever read
    except OSError as error:
        print(_("อ่านไฟล์ไม่ได้: %(error)s") % {"error": error.strerror or error}, file=sys.stderr)
        return 2
    try:
        if len(raw) > validation.MAX_BYTES:
            raise validation.too_large(path.stat().st_size)
        data = validation.parse(raw)
        plan = import_plan(data, actor=SystemActor("import"), org_slug=args.org)
    except ImportRefused as refused:
        return _refused(refused.problems)
    for notice in validation.notices(data):
        print(notice, file=sys.stderr)
    print(_("นำเข้าแผน %(key)s แล้ว (ฉบับร่าง)") % {"key": plan.key})
    return 0


def register(subparsers: Any) -> None:
    plan = subparsers.add_parser("plan", help="export or import a plan")
    commands = plan.add_subparsers(dest="plan_command", required=True)
    export = commands.add_parser("export", help="write a plan as JSON")
    export.add_argument("plan", metavar="ORG/PLAN")
    export.add_argument("--format", choices=["json"], default="json")
    export.add_argument("-o", "--output", metavar="FILE")
    export.set_defaults(handler=export_command)
    imp = commands.add_parser(
        "import", help="read a plan from JSON; nothing is written if the file has any problem"
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--org", metavar="ORG", help="import into this organisation (slug)")
    imp.set_defaults(handler=import_command)
