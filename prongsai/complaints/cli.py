"""``prongsai complaints purge``: destroy closed cases past the retention period (counts remain)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.utils.translation import gettext as _


def purge_command(args: argparse.Namespace) -> int:
    from django.conf import settings

    from prongsai.complaints.actions import purge

    today = dt.date.fromisoformat(args.today) if args.today else None
    days = settings.COMPLAINTS_RETENTION_DAYS if args.days is None else args.days
    destroyed = purge(today, days)
    print(_("ทำลายข้อมูลเรื่องร้องเรียนที่ยุติเกิน %(days)s วันแล้ว %(n)s เรื่อง") % {"days": days, "n": destroyed})
    return 0


def register(subparsers: Any) -> None:
    complaints = subparsers.add_parser("complaints", help="the anonymous complaint channel")
    commands = complaints.add_subparsers(dest="complaints_command", required=True)
    purge = commands.add_parser(
        "purge",
        help="destroy the content, messages, files, identity and keys of cases closed longer ago than"
        " COMPLAINTS_RETENTION_DAYS; the counting fields stay for the statistics; each destruction is logged",
    )
    purge.add_argument("--days", type=int, help="retention in days (default: COMPLAINTS_RETENTION_DAYS)")
    purge.add_argument("--today", help="the date to count from, YYYY-MM-DD (default: today)")
    purge.set_defaults(handler=purge_command)
