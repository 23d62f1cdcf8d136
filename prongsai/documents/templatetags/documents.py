"""``{% published_pdf_sha256 plan %}`` for the download buttons."""

from __future__ import annotations

from django import template
from django.db.models import OuterRef, QuerySet, Subquery

from prongsai.documents.models import PublishedDocument
from prongsai.plans.models import Plan, PlanStatus

register = template.Library()

ANNOTATION = "published_pdf_sha256"


def with_published_pdf_sha256(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """``plans`` annotated with the SHA-256 of their stored PDF, so a list of plans needs no query per plan."""
    digest = PublishedDocument.objects.filter(plan=OuterRef("pk")).values("sha256")[:1]
    return plans.annotate(**{ANNOTATION: Subquery(digest)})


@register.simple_tag
def published_pdf_sha256(plan: Plan) -> str | None:
    """The SHA-256 of the stored PDF of a published plan; None for other plans (no query for them)."""
    if plan.status != PlanStatus.PUBLISHED:
        return None
    if hasattr(plan, ANNOTATION):
        value: str | None = getattr(plan, ANNOTATION)
        return value
    return PublishedDocument.objects.filter(plan=plan).values_list("sha256", flat=True).first()
