"""Reaching a plan through the organisation access helper: a plan of another organisation is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from prongsai.organizations.access import Access, Permission, get_access
from prongsai.plans.models import Plan


@dataclass(frozen=True)
class PlanAccess:
    access: Access
    plan: Plan
    latest_revision: int

    @property
    def is_latest(self) -> bool:
        return self.plan.revision == self.latest_revision


def get_plan(
    user: AbstractBaseUser | AnonymousUser,
    org_slug: str,
    plan_slug: str,
    revision: int | None = None,
    *needed: Permission,
) -> PlanAccess:
    """The plan revision (the latest when ``revision`` is None) if the caller may see it, else 404/403."""
    access = get_access(user, org_slug, *needed)
    revisions = Plan.objects.filter(organization=access.organization, slug=plan_slug).order_by("-revision")
    latest = revisions.first()
    if latest is None:
        raise Http404
    plan = latest if revision is None else revisions.filter(revision=revision).first()
    if plan is None:
        raise Http404
    plan.organization = access.organization  # already loaded; saves a query per use
    return PlanAccess(access=access, plan=plan, latest_revision=latest.revision)
