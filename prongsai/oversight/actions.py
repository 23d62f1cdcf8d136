"""Every change to oversight grants: one transaction, one entry in the installation's log.

A grant is not one organisation's data (it covers many), so it is recorded in the site log like an
account's rights (``organizations.actions.record_user_saved``). Only the installation's administrators
(or the system: demo, command line, tests) grant and revoke.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prongsai.audit.log import record, record_site
from prongsai.audit.state import change, removal
from prongsai.geography.models import District, Province, Region
from prongsai.organizations.access import Permission, SystemActor, authorize
from prongsai.oversight.models import REVIEWS_BY_DEFAULT, Level, OversightGrant, ScopeMark
from prongsai.plans.published import current_revision

GrantActor = User | SystemActor


def _actor(actor: GrantActor) -> tuple[User | None, str]:
    if isinstance(actor, SystemActor):
        return None, actor.label
    if not (actor.is_authenticated and actor.is_active and actor.is_superuser):
        raise PermissionDenied("grants are made by the installation's administrators")
    return actor, actor.get_username()


def _params(grant: OversightGrant) -> dict[str, Any]:
    return {
        "user": grant.user.get_username(),
        "level": grant.level,
        "area": grant.area_code,
        "may_review": grant.may_review,
    }


@transaction.atomic
def grant(
    actor: GrantActor,
    user: User,
    level: str,
    area: District | Province | Region | str | None = None,
    *,
    may_review: bool | None = None,
) -> OversightGrant:
    """Give ``user`` oversight of ``area`` (a district, province or region by row or code; none for the
    country). ``may_review`` defaults to what the level has in the national system."""
    by, name = _actor(actor)
    if level not in Level.values:
        raise ValidationError({"level": _("ระดับการกำกับดูแลไม่ถูกต้อง")})
    row = OversightGrant(
        user=user,
        level=level,
        may_review=REVIEWS_BY_DEFAULT[Level(level)] if may_review is None else may_review,
    )
    code = area.pk if isinstance(area, District | Province | Region) else area
    areas: dict[str, Any] = {
        Level.DISTRICT: District.objects,
        Level.PROVINCE: Province.objects,
        Level.REGION: Region.objects,
    }
    rows = areas.get(level)
    if rows is not None:
        if not code or not rows.filter(pk=code).exists():
            raise ValidationError({level: _("ไม่พบพื้นที่รหัส “%(code)s”") % {"code": code or ""}})
        setattr(row, f"{level}_id", str(code))
    elif code:
        raise ValidationError({"level": _("ระดับทั้งประเทศไม่ต้องระบุพื้นที่")})
    row.full_clean()
    if OversightGrant.objects.filter(
        user=user,
        level=level,
        district_id=row.district_id,
        province_id=row.province_id,
        region_id=row.region_id,
    ).exists():
        raise ValidationError({"user": _("ผู้ใช้นี้มีสิทธิ์กำกับดูแลพื้นที่นี้อยู่แล้ว")})
    row.save()
    record_site(by, name, "oversight.grant", params=_params(row))
    return row


@transaction.atomic
def change_review(actor: GrantActor, grant_row: OversightGrant, may_review: bool) -> OversightGrant:
    by, name = _actor(actor)
    row = OversightGrant.objects.select_for_update().select_related("user").get(pk=grant_row.pk)
    if row.may_review == may_review:
        return row
    row.may_review = may_review
    row.save(update_fields=["may_review"])
    record_site(by, name, "oversight.change", params=_params(row))
    return row


@transaction.atomic
def revoke(actor: GrantActor, grant_row: OversightGrant) -> None:
    by, name = _actor(actor)
    row = OversightGrant.objects.select_for_update().select_related("user").get(pk=grant_row.pk)
    params = _params(row)
    row.delete()
    record_site(by, name, "oversight.revoke", params=params)


# --- The national system's scope check ------------------------------------------------------------------
MAX_REASON = 2000


@transaction.atomic
def mark_out_of_scope(actor: Any, organization: Any, plan_slug: str, item_uid: Any, reason: str) -> Any:
    """A reviewer (SCOPE_REVIEW through an oversight grant) marks an item of ``organization``'s published
    plan ไม่สอดคล้องกับมิติของการป้องกันการทุจริต: it drops out of every count and score. Recorded in the
    organisation's own log, since it changes what counts for it."""
    access = authorize(actor, organization, Permission.SCOPE_REVIEW)
    item = _published_item(organization, plan_slug, item_uid)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("โปรดระบุเหตุผลที่รายการนี้ไม่สอดคล้องกับมิติ")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("เหตุผลยาวได้ไม่เกิน %(limit)s ตัวอักษร") % {"limit": MAX_REASON}})
    mark = (
        ScopeMark.objects.select_for_update()
        .filter(organization=organization, plan_slug=plan_slug, item_uid=item.uid)
        .first()
    )
    if mark is None:
        mark = ScopeMark(organization=organization, plan_slug=plan_slug, item_uid=item.uid)
    if access.user is None:
        raise PermissionDenied("a scope mark is made by a person")
    mark.reason = reason
    mark.marked_by = access.user
    mark.save()
    record(
        access,
        "scope.mark",
        params={"item": item.title[:200], "reason": reason[:200]},
        changes=[change(mark)],
        plan_key=f"{organization.slug}/{plan_slug}",
    )
    return mark


@transaction.atomic
def unmark_out_of_scope(actor: Any, organization: Any, plan_slug: str, item_uid: Any) -> None:
    access = authorize(actor, organization, Permission.SCOPE_REVIEW)
    item = _published_item(organization, plan_slug, item_uid)
    mark = (
        ScopeMark.objects.select_for_update()
        .filter(organization=organization, plan_slug=plan_slug, item_uid=item.uid)
        .first()
    )
    if mark is None:
        return
    gone = removal(mark)
    mark.delete()
    record(
        access,
        "scope.unmark",
        params={"item": item.title[:200]},
        changes=[gone],
        plan_key=f"{organization.slug}/{plan_slug}",
    )


def _published_item(organization: Any, plan_slug: str, item_uid: Any) -> Any:
    """The item ``item_uid`` of the newest published revision of ``plan_slug``; refused otherwise."""

    plan = current_revision(organization, plan_slug)
    item = plan.items.filter(uid=item_uid).first() if plan is not None else None
    if item is None:
        raise ValidationError(_("ไม่พบรายการนี้ในแผนฉบับที่ประกาศแล้ว"))
    return item
