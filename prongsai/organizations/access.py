"""The one way views reach tenant data: the organisation and the caller's membership, or 404.

A user who is not a member of the organisation gets 404, never 403, so that the existence of
another organisation's data is not revealed. A member whose role does not allow an action gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prongsai.organizations.models import Membership, Organization, Role


@dataclass(frozen=True)
class Access:
    organization: Organization
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role


def get_access(user: AbstractBaseUser | AnonymousUser, org_slug: str, *roles: Role) -> Access:
    """The caller's access to organisation ``org_slug``; 404 for outsiders, 403 for a role not in ``roles``."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organization")
        .filter(user_id=user.pk, organization__slug=org_slug)
        .first()
    )
    if membership is None:
        raise Http404
    if roles and membership.role not in roles:
        raise PermissionDenied
    return Access(organization=membership.organization, membership=membership)


EDITORS = (Role.PLANNER, Role.APPROVER)
HISTORY_READERS = (Role.AUDITOR, Role.APPROVER)
