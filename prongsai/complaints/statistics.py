"""Public complaint statistics (สถิติเรื่องร้องเรียนการทุจริต) per month and per 6 and 12 months of a fiscal year.

What the ITA asks for (O19 of recent years, see ../shared/domain/complaints.md): how many complaints were
received, how many are completed and how many still in progress, at least for the first 6 months of the
current fiscal year, with an explicit zero when there were none. We add how many were referred to another
body and how many were outside the organisation's remit, how many got a first answer within 15 days and
how many are overdue without one.

Every count is of the cases **received** in the month (by ``received_on``), as they stand on ``today``:

- *received* (เรื่องที่ได้รับ): every case received in the month;
- *completed* (ดำเนินการแล้วเสร็จ): its status is answered (แจ้งผลแล้ว), closed, referred or outside remit
  (``FINISHED_STATUSES`` or ``ANSWERED``);
- *in progress* (อยู่ระหว่างดำเนินการ): the others (received, acknowledged, under investigation), so that
  received = completed + in progress;
- *referred* and *outside remit*: those of the completed cases whose status is referred / outside remit;
- *answered within 15 days*: the first answer came at most ``FIRST_ANSWER_DAYS`` calendar days after the
  day of receipt (across month and year ends alike);
- *overdue unanswered*: not yet answered, not completed, and its 15 days ran out before ``today``.

A fiscal year runs from 1 October to 30 September and is named by the Buddhist Era year it ends in
(ปีงบประมาณ พ.ศ. 2569 = 1 Oct 2025 – 30 Sep 2026). A month after ``today`` is marked as not yet come (its
counts are zero and not a claim that there were none).

Only the counting fields of ``Case`` are read (organisation, ``received_on``, ``status``,
``first_answered_on``): they stay when a case's content is destroyed, so destroyed cases still count, and
no ciphertext is ever touched. The months are counted by one GROUP BY query, whatever the number of cases.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from prongsai.complaints.models import FINISHED_STATUSES, FIRST_ANSWER_DAYS, Case, Status
from prongsai.lib.thai import BE_OFFSET, fiscal_year_of, fiscal_year_start
from prongsai.organizations.models import Organization

MONTH_NAMES: tuple[Promise, ...] = (
    _("มกราคม"),
    _("กุมภาพันธ์"),
    _("มีนาคม"),
    _("เมษายน"),
    _("พฤษภาคม"),
    _("มิถุนายน"),
    _("กรกฎาคม"),
    _("สิงหาคม"),
    _("กันยายน"),
    _("ตุลาคม"),
    _("พฤศจิกายน"),
    _("ธันวาคม"),
)
COMPLETED_STATUSES = frozenset({*FINISHED_STATUSES, Status.ANSWERED})
# The counts in the order of the page's columns, the CSV's and the API's fields.
FIELDS = (
    "received",
    "completed",
    "in_progress",
    "referred",
    "outside_remit",
    "answered_within_15_days",
    "overdue_unanswered",
)


@dataclass(frozen=True)
class Counts:
    received: int = 0
    completed: int = 0
    in_progress: int = 0
    referred: int = 0
    outside_remit: int = 0
    answered_within_15_days: int = 0
    overdue_unanswered: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, name) + getattr(other, name) for name in FIELDS))

    @property
    def none_received(self) -> bool:
        """Nothing was received: the page says so in words (ไม่มีเรื่องร้องเรียน), as the ITA asks."""
        return self.received == 0

    def values(self) -> list[int]:
        return [getattr(self, name) for name in FIELDS]


@dataclass(frozen=True)
class MonthStatistics:
    first_day: dt.date
    counts: Counts
    come: bool  # False: the month starts after today, so nothing could have been received yet

    @property
    def key(self) -> str:
        return f"{self.first_day:%Y-%m}"

    @property
    def last_day(self) -> dt.date:
        return month_end(self.first_day)

    @property
    def be_year(self) -> int:
        return self.first_day.year + BE_OFFSET

    @property
    def name(self) -> Promise:
        return MONTH_NAMES[self.first_day.month - 1]


@dataclass(frozen=True)
class PeriodStatistics:
    months: int  # 6 (October–March) or 12
    first_day: dt.date
    last_day: dt.date
    counts: Counts
    ended: bool  # its last day is before today: the figures are final for the period

    @property
    def key(self) -> str:
        return f"{self.months}_months"


@dataclass(frozen=True)
class YearStatistics:
    organization_id: int
    fiscal_year: int
    today: dt.date
    months: list[MonthStatistics]
    first_6_months: PeriodStatistics
    twelve_months: PeriodStatistics

    @property
    def periods(self) -> list[PeriodStatistics]:
        return [self.first_6_months, self.twelve_months]

    def fingerprint(self) -> str:
        """Everything the published figures depend on, for cache keys and validators."""
        return repr(dataclasses.astuple(self))


def month_end(first_day: dt.date) -> dt.date:
    """The last day of ``first_day``'s month."""
    following = dt.date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def fiscal_year_end(fiscal_year: int) -> dt.date:
    return dt.date(fiscal_year - BE_OFFSET, 9, 30)


def month_starts(fiscal_year: int) -> list[dt.date]:
    """The first day of each month of the fiscal year, October first."""
    start = fiscal_year_start(fiscal_year)
    return [
        dt.date(start.year + (start.month + n - 1) // 12, (start.month + n - 1) % 12 + 1, 1)
        for n in range(12)
    ]


def _cases(organization: Organization, fiscal_year: int) -> QuerySet[Case]:
    """The cases received in the fiscal year, unordered (Case's default ordering would join a GROUP BY)."""
    return Case.objects.filter(
        organization=organization,
        received_on__gte=fiscal_year_start(fiscal_year),
        received_on__lte=fiscal_year_end(fiscal_year),
    ).order_by()


def year_statistics(
    organization: Organization, fiscal_year: int, today: dt.date | None = None
) -> YearStatistics:
    """The twelve months of ``fiscal_year`` (every one present, zero when nothing was received), the first
    6 months and the 12 months, as they stand on ``today``. One query."""
    today = today or timezone.localdate()
    completed = Q(status__in=COMPLETED_STATUSES)
    answered_in_time = Q(
        first_answered_on__isnull=False,
        first_answered_on__lte=F("received_on") + dt.timedelta(days=FIRST_ANSWER_DAYS),
    )
    overdue = (
        Q(
            first_answered_on__isnull=True,
            received_on__lt=today - dt.timedelta(days=FIRST_ANSWER_DAYS),
        )
        & ~completed
    )
    rows = (
        _cases(organization, fiscal_year)
        .annotate(month=ExtractMonth("received_on"))
        .values("month")
        .annotate(
            received=Count("pk"),
            completed=Count("pk", filter=completed),
            referred=Count("pk", filter=Q(status=Status.REFERRED)),
            outside_remit=Count("pk", filter=Q(status=Status.OUTSIDE_REMIT)),
            answered_within_15_days=Count("pk", filter=answered_in_time),
            overdue_unanswered=Count("pk", filter=overdue),
        )
    )
    by_month: dict[int, Counts] = {}
    for row in rows:
        by_month[row["month"]] = Counts(
            received=row["received"],
            completed=row["completed"],
            in_progress=row["received"] - row["completed"],
            referred=row["referred"],
            outside_remit=row["outside_remit"],
            answered_within_15_days=row["answered_within_15_days"],
            overdue_unanswered=row["overdue_unanswered"],
        )
    months = [
        MonthStatistics(first, by_month.get(first.month, Counts()), come=first <= today)
        for first in month_starts(fiscal_year)
    ]

    def period(count: int) -> PeriodStatistics:
        chosen = months[:count]
        total = sum((m.counts for m in chosen), Counts())
        last_day = chosen[-1].last_day
        return PeriodStatistics(count, chosen[0].first_day, last_day, total, ended=last_day < today)

    return YearStatistics(organization.pk, fiscal_year, today, months, period(6), period(12))


def counts_by_area(organization: Organization, fiscal_year: int) -> dict[str, int]:
    """How many complaints of the fiscal year an officer tagged with each corruption-risk area (the risk
    method's area keys); an area not in the answer had none. One query."""
    rows = _cases(organization, fiscal_year).exclude(risk_area="").values("risk_area").annotate(n=Count("pk"))
    return {row["risk_area"]: row["n"] for row in rows}


def available_years(organization: Organization, today: dt.date | None = None) -> list[int]:
    """The fiscal years with published statistics, newest first: from the year the organisation joined
    the installation (or of its first case, if earlier) to the current one. A year in between without
    cases is listed: it publishes zeros. One query."""
    today = today or timezone.localdate()
    current = fiscal_year_of(today)
    first_case: dt.date | None = Case.objects.filter(organization=organization).aggregate(
        first=Min("received_on")
    )["first"]
    joined = (
        fiscal_year_of(timezone.localdate(organization.created_at)) if organization.created_at else current
    )
    first = min(joined, fiscal_year_of(first_case) if first_case else current, current)
    return list(range(current, first - 1, -1))


@dataclass(frozen=True)
class Citable:
    """A complaint a risk assessment may cite: its officer reference, date and area, never its content."""

    reference: str
    received_on: dt.date
    risk_area: str


def citable(organization: Organization, fiscal_year: int) -> list[Citable]:
    """The complaints received in ``fiscal_year``, those tagged with a risk area first. One query."""
    cases = _cases(organization, fiscal_year).only("id", "received_on", "risk_area")
    found = [Citable(c.reference, c.received_on, c.risk_area) for c in cases]
    return sorted(found, key=lambda c: (c.risk_area == "", c.risk_area, c.received_on, c.reference))


def known_references(organization: Organization, references: Iterable[str]) -> set[str]:
    """Those of ``references`` that name a complaint of ``organization`` (whatever its year)."""
    wanted = {r.upper() for r in references}
    return {
        ref
        for ref in (c.reference for c in Case.objects.filter(organization=organization).only("id"))
        if ref in wanted
    }
