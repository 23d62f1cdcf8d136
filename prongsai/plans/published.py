"""What the public may see of the plans: published revisions only, and which of them is current.

A revision is public once it is published, and stays public (readable, never edited) after a later
revision is published. The *current* revision of a plan is its newest published one: while a new draft
revision is prepared, the public keeps seeing the last published one. Every public page, open-data file
and API answer reads plans through these functions, never through ``Plan.objects`` directly.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, Max, Min, OuterRef, QuerySet

from prongsai.organizations.models import Organization
from prongsai.plans.models import Plan, PlanItem, PlanStatus


def published_revisions(organization: Organization | None = None) -> QuerySet[Plan]:
    """Every published revision (of ``organization``, or of the whole installation)."""
    plans = Plan.objects.filter(status=PlanStatus.PUBLISHED).select_related(
        "organization__district__province", "approved_by", "published_by"
    )
    return plans if organization is None else plans.filter(organization=organization)


def current_revisions(organization: Organization | None = None) -> QuerySet[Plan]:
    """The newest published revision of each plan (of ``organization``, or of the whole installation)."""
    newer = Plan.objects.filter(
        organization=OuterRef("organization"),
        slug=OuterRef("slug"),
        status=PlanStatus.PUBLISHED,
        revision__gt=OuterRef("revision"),
    )
    return published_revisions(organization).filter(~Exists(newer)).order_by("organization__slug", "slug")


def current_revision(organization: Organization, plan_slug: str) -> Plan | None:
    """The newest published revision of ``plan_slug``, or None if it was never published."""
    return published_revisions(organization).filter(slug=plan_slug).order_by("-revision").first()


def published_revision(organization: Organization, plan_slug: str, revision: int) -> Plan | None:
    """Published revision ``revision`` of ``plan_slug``, or None (a draft or approved one is not public)."""
    return published_revisions(organization).filter(slug=plan_slug, revision=revision).first()


def public_organizations() -> QuerySet[Organization]:
    """Every organisation with at least one published plan, annotated with ``last_published_at``."""
    published = Plan.objects.filter(organization=OuterRef("pk"), status=PlanStatus.PUBLISHED)
    return (
        Organization.objects.filter(Exists(published))
        .annotate(last_published_at=Max("plans__published_at"))
        .order_by("district__province__name_th", "district__name_th", "name_th")
    )


def public_organization(slug: str) -> Organization | None:
    """The organisation ``slug`` if it has published a plan (annotated like ``public_organizations``)."""
    return public_organizations().filter(slug=slug).first()


def current_items() -> QuerySet[PlanItem]:
    """The items of every current revision in the installation (a draft's items never)."""
    return PlanItem.objects.filter(plan__in=current_revisions().order_by().values("pk"))


def newest_publication() -> datetime | None:
    """When the newest revision in the installation was published: what any list of public data dates from."""
    newest: datetime | None = published_revisions().aggregate(newest=Max("published_at"))["newest"]
    return newest


def first_publications(organization: Organization | None = None) -> dict[tuple[int, str], datetime]:
    """When each plan (organisation id, plan slug) was first published: its revision 1, or the oldest
    published one. One query."""
    rows = (
        published_revisions(organization)
        .order_by()
        .values("organization_id", "slug")
        .annotate(first=Min("published_at"))
    )
    return {(row["organization_id"], row["slug"]): row["first"] for row in rows}


def has_draft_after(plan: Plan) -> bool:
    """Whether a newer, unpublished revision of ``plan`` is being prepared (shown to officers only)."""
    return (
        Plan.objects.filter(organization_id=plan.organization_id, slug=plan.slug, revision__gt=plan.revision)
        .exclude(status=PlanStatus.PUBLISHED)
        .exists()
    )


def plan_published_revisions(organization: Organization, plan_slug: str) -> QuerySet[Plan]:
    """Every published revision of one plan, newest first."""
    return published_revisions(organization).filter(slug=plan_slug).order_by("-revision")


def previous_published_revision(plan: Plan) -> Plan | None:
    """The published revision of the same plan just before ``plan``, or None for the first one."""
    return plan_published_revisions(plan.organization, plan.slug).filter(revision__lt=plan.revision).first()


def revision_with_pdf(sha256: str) -> Plan | None:
    """The published revision whose stored PDF has this SHA-256 (lower-case hex), or None."""
    return published_revisions().filter(published_document__sha256=sha256).first()
