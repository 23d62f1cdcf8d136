"""What the public may see of the reports: published rounds only, and their public evidence.

A round is public once the approver publishes it (draft → approved → published), and a published round
never changes again. An evidence file is public only when the officer marked it so *and* its round is
published. Every public page, open-data file and API answer reads rounds through these functions, never
through ``ReportRound.objects`` directly, so a draft or approved round has no public address (404).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db.models import Max, QuerySet

from prongsai.organizations.models import Organization
from prongsai.plans.published import current_revisions
from prongsai.reports.models import Evidence, ItemReport, ItemStatus, ReportRound, RoundStatus

# The status as the national form writes it, for files and API answers that are Thai whatever the
# visitor's language (the model's labels are msgids that pages translate).
STATUS_TH = {
    ItemStatus.IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
    ItemStatus.COMPLETED: "ดำเนินการแล้วเสร็จ",
    ItemStatus.CANNOT: "ไม่สามารถดำเนินการได้",
    "": "รอรายงานผล",
}


def published_rounds(organization: Organization | None = None) -> QuerySet[ReportRound]:
    """Every published round (of ``organization``, or of the installation), newest year and round first."""
    rounds = (
        ReportRound.objects.filter(status=RoundStatus.PUBLISHED)
        .select_related("organization", "plan", "plan__organization", "approved_by", "published_by")
        .order_by("organization__slug", "plan_slug", "-fiscal_year", "-months")
    )
    return rounds if organization is None else rounds.filter(organization=organization)


def published_round(organization: Organization, plan_slug: str, year: int, months: int) -> ReportRound | None:
    """The published round (``plan_slug``, fiscal year, 6 | 12 months), or None: a draft or approved
    round is not public."""
    return published_rounds(organization).filter(plan_slug=plan_slug, fiscal_year=year, months=months).first()


def latest_rounds() -> list[ReportRound]:
    """The newest published round of each plan of the installation (newest fiscal year, then 12 over 6)
    — for current plans only, so a plan no longer published shows nothing."""
    plans = set(current_revisions().values_list("organization_id", "slug"))
    newest: dict[tuple[int, str], ReportRound] = {}
    for report_round in published_rounds():
        key = (report_round.organization_id, report_round.plan_slug)
        if key in plans and key not in newest:  # ordered newest first within each plan
            newest[key] = report_round
    return list(newest.values())


def item_reports(organization: Organization, plan_slug: str, uid: UUID) -> list[ItemReport]:
    """An item's reports in the published rounds of its plan, newest first (the item page shows them)."""
    return list(
        ItemReport.objects.filter(
            round__organization=organization,
            round__plan_slug=plan_slug,
            round__status=RoundStatus.PUBLISHED,
            item_uid=uid,
        )
        .select_related("round")
        .order_by("-round__fiscal_year", "-round__months")
    )


def public_evidence(report_round: ReportRound) -> QuerySet[Evidence]:
    """The files of a published round that the officer marked public (none for any other round)."""
    return Evidence.objects.filter(
        report__round=report_round, report__round__status=RoundStatus.PUBLISHED, is_public=True
    ).order_by("report_id", "id")


def newest_publication(organization: Organization | None = None) -> datetime | None:
    newest: datetime | None = published_rounds(organization).aggregate(newest=Max("published_at"))["newest"]
    return newest
