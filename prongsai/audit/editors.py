"""Who last wrote something, as the change log says: the four-eyes rule's one reader.

Plans, report rounds and risk registers are approved by someone other than the person who last wrote
them (decision 0014). The log, not a column, says who that was: every write is an entry with its actor,
and entries carry the plan key of what they belong to (``org/plan``, ``org/risks/2562``) and parameters
such as the year and round, so one indexed query finds the newest writing entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q
from django_stubs_ext import StrOrPromise

from prongsai.audit.models import AuditEvent
from prongsai.organizations.access import Access
from prongsai.organizations.models import Organization


def last_editor(
    organization: Organization,
    plan_key: str,
    *,
    prefixes: Sequence[str] = (),
    exclude: Iterable[str] = (),
    exclude_prefixes: Sequence[str] = (),
    params: dict[str, Any] | None = None,
) -> User | None:
    """The actor of the newest entry of ``plan_key`` whose event starts with one of ``prefixes`` (any
    event when empty), is neither in ``exclude`` nor starts with one of ``exclude_prefixes``, and has
    ``params`` among its parameters; None when there is none or the system wrote it."""
    events = AuditEvent.objects.filter(organization=organization, plan_key=plan_key).exclude(
        event__in=list(exclude)
    )
    for prefix in exclude_prefixes:
        events = events.exclude(event__startswith=prefix)
    if prefixes:
        wanted = Q()
        for prefix in prefixes:
            wanted |= Q(event__startswith=prefix)
        events = events.filter(wanted)
    for name, value in (params or {}).items():
        events = events.filter(**{f"params__{name}": value})
    event = events.select_related("actor").order_by("-seq").first()
    return event.actor if event is not None else None


def require_four_eyes(access: Access, preparers: Iterable[User | None], refusal: StrOrPromise) -> None:
    """Refuse ``access`` when its user is one of ``preparers``, unless the organisation is recorded as a
    one-person office (or the system acts)."""
    if access.user is None:
        return
    # Read afresh: the flag may have been set since the caller's copy of the organisation was loaded.
    one_person = Organization.objects.filter(pk=access.organization.pk, one_person_office=True).exists()
    if one_person:
        return
    if access.user.pk in {user.pk for user in preparers if user is not None}:
        raise ValidationError(refusal)
