"""Who may do what in which organisation: the one place both views and actions ask.

``get_access`` is how views reach tenant data: the organisation and the caller's access to it, or 404.
A user who is not a member of the organisation gets 404, never 403, so that the existence of another
organisation's data is not revealed. A member whose role does not allow an action gets 403.

``authorize`` is how actions check their caller: every write names the permission it needs, so the
pages, the command line, the admin and the coming API share one rule. The command line, the demo
loader and the importer act as a named ``SystemActor``, which the log records by that name.

An ``Access`` is a role over a scope: a membership of one organisation, or an oversight grant over many
organisations (a district, a province, a region, the country) resolved to the same object for the one
organisation asked about. A membership comes first; a grant gives role "oversight": reading and the
change log, and the scope check (``SCOPE_REVIEW``) when the grant allows it; never a write to the
organisation's own data, never its complaints. Templates ask it ("may I edit?") instead of reading a
membership's fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from prongsai.organizations.models import Membership, Organization, Role

if TYPE_CHECKING:
    from prongsai.oversight.models import OversightGrant


class Permission(StrEnum):
    READ = "read"  # the organisation's private pages: plans, drafts, ITA
    EDIT_PLAN = "plan.edit"  # write drafts, start revisions
    APPROVE_PLAN = "plan.approve"  # approve, return to draft, publish
    READ_HISTORY = "history.read"  # the change log with its details
    EDIT_ITA = "ita.edit"  # record results, run self-assessment rounds
    EDIT_REPORT = "report.edit"  # open report rounds, fill in items' 6- and 12-month reports
    APPROVE_REPORT = "report.approve"  # approve, return and publish report rounds
    RISK_EDIT = "risk.edit"  # open a year's risk register, write its risks and measures
    RISK_APPROVE = "risk.approve"  # approve, return and publish a risk register
    MANAGE_MEMBERS = "members.manage"  # grant and remove roles
    # Complaints: reading a case also needs an active Handler row and an unlocked key (complaints/keys.py).
    COMPLAINT_HANDLE = "complaint.handle"  # be authorised as a handler: read, reply, change status
    COMPLAINT_ADMIN = "complaint.admin"  # the executive: assign handlers, the recovery key, see disclosures
    # Oversight (a grant, never a membership): mark a plan item out of scope (the national scope check).
    SCOPE_REVIEW = "scope.review"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.PLANNER: frozenset(
        {
            Permission.READ,
            Permission.EDIT_PLAN,
            Permission.EDIT_ITA,
            Permission.READ_HISTORY,
            Permission.EDIT_REPORT,
            Permission.RISK_EDIT,
        }
    ),
    Role.APPROVER: frozenset(
        {
            Permission.READ,
            Permission.EDIT_PLAN,
            Permission.APPROVE_PLAN,
            Permission.READ_HISTORY,
            Permission.EDIT_ITA,
            Permission.EDIT_REPORT,
            Permission.APPROVE_REPORT,
            Permission.RISK_EDIT,
            Permission.RISK_APPROVE,
            Permission.COMPLAINT_ADMIN,
        }
    ),
    Role.AUDITOR: frozenset({Permission.READ, Permission.READ_HISTORY}),
    Role.VIEWER: frozenset({Permission.READ}),
    Role.COMPLAINTS: frozenset({Permission.READ, Permission.COMPLAINT_HANDLE}),
}

OVERSIGHT = "oversight"  # the role of an Access resolved from an oversight grant
OVERSIGHT_PERMISSIONS = frozenset({Permission.READ, Permission.READ_HISTORY})


@dataclass(frozen=True)
class SystemActor:
    """A change made by the installation itself (command line, demo loader, importer), not by a person.

    ``name`` is recorded in the log as ``system:<name>``; only code can make one, never a request.
    """

    name: str

    @property
    def label(self) -> str:
        return f"system:{self.name}"


@dataclass(frozen=True)
class Access:
    """A caller's role over an organisation, and what that lets them do there."""

    organization: Organization
    user: User | None
    role: str  # a Role value, or "system"
    permissions: frozenset[Permission]
    membership: Membership | None = None
    system: SystemActor | None = None
    grant: OversightGrant | None = None

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.may(permission):
            raise PermissionDenied(permission.value)

    # Questions templates ask.
    @property
    def may_edit_plans(self) -> bool:
        return self.may(Permission.EDIT_PLAN)

    @property
    def may_approve(self) -> bool:
        return self.may(Permission.APPROVE_PLAN)

    @property
    def may_read_history(self) -> bool:
        return self.may(Permission.READ_HISTORY)

    @property
    def may_edit_ita(self) -> bool:
        return self.may(Permission.EDIT_ITA)

    @property
    def may_edit_reports(self) -> bool:
        return self.may(Permission.EDIT_REPORT)

    @property
    def may_approve_reports(self) -> bool:
        return self.may(Permission.APPROVE_REPORT)

    @property
    def may_edit_risks(self) -> bool:
        return self.may(Permission.RISK_EDIT)

    @property
    def may_approve_risks(self) -> bool:
        return self.may(Permission.RISK_APPROVE)

    @property
    def may_handle_complaints(self) -> bool:
        return self.may(Permission.COMPLAINT_HANDLE) or self.may(Permission.COMPLAINT_ADMIN)

    @property
    def may_admin_complaints(self) -> bool:
        return self.may(Permission.COMPLAINT_ADMIN)

    @property
    def may_review_scope(self) -> bool:
        return self.may(Permission.SCOPE_REVIEW)

    @property
    def is_oversight(self) -> bool:
        return self.grant is not None

    @property
    def role_label(self) -> str:
        if self.role == OVERSIGHT:
            return str(_("ผู้กำกับดูแล"))
        return str(Role(self.role).label) if self.role in Role.values else self.role

    @property
    def actor_label(self) -> str:
        """How the log names the caller: the user name, or ``system:<name>``."""
        if self.system is not None:
            return self.system.label
        return self.user.get_username() if self.user is not None else ""


# Who an action acts for: a signed-in user, an access a view already resolved, or the system.
Actor = User | Access | SystemActor


def _membership_access(membership: Membership) -> Access:
    return Access(
        organization=membership.organization,
        user=membership.user,
        role=membership.role,
        permissions=ROLE_PERMISSIONS.get(membership.role, frozenset()),
        membership=membership,
    )


def _grant(user_id: int, organization: Organization) -> OversightGrant | None:
    """The user's grant whose area contains ``organization`` (one reviewing, if any does); one query."""
    from prongsai.oversight.models import OversightGrant, covering

    return (
        OversightGrant.objects.filter(covering(organization), user_id=user_id, user__is_active=True)
        .order_by("-may_review", "pk")
        .first()
    )


def _grant_access(grant: OversightGrant, organization: Organization, user: User) -> Access:
    permissions = OVERSIGHT_PERMISSIONS | ({Permission.SCOPE_REVIEW} if grant.may_review else set())
    if user.is_active and user.is_superuser:
        permissions |= {Permission.MANAGE_MEMBERS}  # what an administrator has anyway (authorize)
    return Access(
        organization=organization,
        user=user,
        role=OVERSIGHT,
        permissions=frozenset(permissions),
        grant=grant,
    )


def system_access(actor: SystemActor, organization: Organization) -> Access:
    return Access(
        organization=organization,
        user=None,
        role="system",
        permissions=frozenset(Permission),
        system=actor,
    )


def get_access(user: AbstractBaseUser | AnonymousUser, org_slug: str, *needed: Permission) -> Access:
    """The caller's access to organisation ``org_slug``; 404 for outsiders, 403 without ``needed``."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organization__district__province", "user")
        .filter(user_id=user.pk, organization__slug=org_slug)
        .first()
    )
    if membership is not None:
        access = _membership_access(membership)
    else:
        organization = Organization.objects.filter(slug=org_slug).select_related("district__province").first()
        grant = None if organization is None else _grant(user.pk, organization)
        if organization is None or grant is None:
            raise Http404
        assert isinstance(user, User)
        access = _grant_access(grant, organization, user)
    for permission in needed:
        access.require(permission)
    return access


def authorize(actor: Actor, organization: Organization, permission: Permission) -> Access:
    """The access ``actor`` has to ``organization`` if it includes ``permission``; PermissionDenied otherwise.

    Actions call this first. A user's membership is looked up afresh (one query), so a role removed a
    moment ago no longer counts; an ``Access`` a view already holds is reused when it is for the same
    organisation.
    """
    if isinstance(actor, SystemActor):
        return system_access(actor, organization)
    if isinstance(actor, Access):
        if actor.organization.pk != organization.pk:
            raise PermissionDenied("another organisation")
        access = actor
    else:
        if actor is None or not actor.is_authenticated:
            raise PermissionDenied("anonymous")
        membership = (
            Membership.objects.select_related("user")
            .filter(user_id=actor.pk, organization=organization)
            .first()
        )
        grant = None if membership is not None else _grant(actor.pk, organization)
        if membership is not None:
            membership.organization = organization
            access = _membership_access(membership)
        elif grant is not None:
            access = _grant_access(grant, organization, actor)
        elif actor.is_active and actor.is_superuser:
            # The installation's administrators manage organisations and memberships, and nothing else.
            access = Access(
                organization=organization,
                user=actor,
                role="admin",
                permissions=frozenset({Permission.MANAGE_MEMBERS}),
            )
        else:
            raise PermissionDenied("not a member")
    access.require(permission)
    return access
