"""``prongsai render ORG/PLAN --format pdf|docx [--digits thai|arabic] -o FILE``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _


def render_command(args: argparse.Namespace) -> int:
    from prongsai.documents.pdf import render_pdf
    from prongsai.documents.word import render_docx
    from prongsai.plans.models import Plan

    org_slug, _sep, plan_slug = args.plan.partition("/")
    revisions = Plan.objects.select_related("organization").filter(
        organization__slug=org_slug, slug=plan_slug
    )
    plan = (
        revisions.filter(revision=args.revision) if args.revision else revisions.order_by("-revision")
    ).first()
    if plan is None:
        print(
            _("ไม่พบแผน %(ref)s (ใช้รูปแบบ ORG/PLAN เช่น wangphai/2561-2564)") % {"ref": args.plan},
            file=sys.stderr,
        )
        return 2
    render = render_pdf if args.format == "pdf" else render_docx
    Path(args.output).write_bytes(render(plan, args.digits))
    print(_("เขียน %(file)s แล้ว") % {"file": args.output})
    return 0


def register(subparsers: Any) -> None:
    render = subparsers.add_parser("render", help="write a plan's official document as PDF or Word")
    render.add_argument("plan", metavar="ORG/PLAN")
    render.add_argument("--format", choices=["pdf", "docx"], required=True)
    render.add_argument(
        "--digits",
        choices=["thai", "arabic"],
        default=None,
        help="digits of the amount columns (default: the plan's)",
    )
    render.add_argument("--revision", type=int, default=None, help="a revision number (default: the latest)")
    render.add_argument("-o", "--output", metavar="FILE", required=True)
    render.set_defaults(handler=render_command)
