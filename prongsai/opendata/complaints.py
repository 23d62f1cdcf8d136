"""The complaint-statistics dataset: one row per month of a fiscal year and one per 6- and 12-month period,
as CSV with a BOM and Thai headers, like the other open-data files. Counts only
(``complaints.statistics``): nothing of any case's content, date or reference.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext_noop

from prongsai.complaints.statistics import YearStatistics
from prongsai.opendata.tables import Column, Value
from prongsai.opendata.writers import BOM, csv_text

FORMAT_VERSION = 1
TITLE = gettext_noop("สถิติเรื่องร้องเรียนการทุจริต")
COLUMNS = (
    Column("organization_slug", gettext_noop("รหัสองค์กร")),
    Column("fiscal_year", gettext_noop("ปีงบประมาณ (พ.ศ.)")),
    Column("period", gettext_noop("ช่วงเวลา")),
    Column("first_day", gettext_noop("วันแรก")),
    Column("last_day", gettext_noop("วันสุดท้าย")),
    Column("not_yet", gettext_noop("ยังไม่ถึง")),
    Column("received", gettext_noop("เรื่องร้องเรียนที่ได้รับ")),
    Column("completed", gettext_noop("ดำเนินการแล้วเสร็จ")),
    Column("in_progress", gettext_noop("อยู่ระหว่างดำเนินการ")),
    Column("referred", gettext_noop("ส่งต่อหน่วยงานอื่น")),
    Column("outside_remit", gettext_noop("ไม่อยู่ในอำนาจหน้าที่")),
    Column("answered_within_15_days", gettext_noop("แจ้งผลครั้งแรกภายใน 15 วัน")),
    Column("overdue_unanswered", gettext_noop("เกินกำหนด 15 วันยังไม่แจ้งผล")),
)


def rows(org_slug: str, stats: YearStatistics) -> list[list[Value]]:
    """Twelve month rows (``2025-10`` … ``2026-09``), then ``6_months`` and ``12_months``."""
    out: list[list[Value]] = []
    for month in stats.months:
        out.append(
            [
                org_slug,
                stats.fiscal_year,
                month.key,
                month.first_day,
                month.last_day,
                not month.come,
                *month.counts.values(),
            ]
        )
    for period in stats.periods:
        out.append(
            [
                org_slug,
                stats.fiscal_year,
                period.key,
                period.first_day,
                period.last_day,
                period.first_day > stats.today,
                *period.counts.values(),
            ]
        )
    return out


def csv_text_file(org_slug: str, stats: YearStatistics) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    for row in rows(org_slug, stats):
        writer.writerow([csv_text(v) for v in row])
    return BOM + buffer.getvalue()


def filename(org_slug: str, fiscal_year: int) -> str:
    return f"{org_slug}-{fiscal_year}-complaint-statistics.csv"
