"""Every change to organisations and memberships: one transaction, one audited entry.

The admin, the demo loader, the importer and the tests call these; nothing writes the tables directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prongsai.audit.log import record, record_site
from prongsai.audit.state import change, removal
from prongsai.geography.load import ensure_country, find_district
from prongsai.geography.models import District, SubDistrict
from prongsai.organizations.access import Actor, Permission, SystemActor, authorize
from prongsai.organizations.audit_state import PLACE_TEXT_FIELDS
from prongsai.organizations.models import Membership, Organization, Role


def _assign(organization: Organization, fields: Mapping[str, Any]) -> None:
    """Set the fields given; the place as a district (a code or a row) or, as the plan files and older
    callers give it, as text (``district_th`` + ``province_th``, or the English pair)."""
    for name in ("slug", "name_th", "name_en", "kind", "size", "one_person_office"):
        if name in fields:
            setattr(organization, name, fields[name])
    ensure_country()
    if fields.get("district"):
        district = fields["district"]
        code = district.pk if isinstance(district, District) else str(district)
        if not District.objects.filter(pk=code).exists():
            raise ValidationError({"district": _("ไม่พบอำเภอรหัส %(code)s") % {"code": code}})
        organization.district_id = code
    elif any(fields.get(name) for name in PLACE_TEXT_FIELDS):
        found = find_district(fields.get("province_th", ""), fields.get("district_th", "")) or find_district(
            fields.get("province_en", ""), fields.get("district_en", "")
        )
        if found is None:
            raise ValidationError(
                {
                    "district_th": _("ไม่พบ “%(district)s” ใน “%(province)s”: โปรดใช้ชื่ออำเภอและจังหวัดตามทะเบียน")
                    % {"district": fields.get("district_th", ""), "province": fields.get("province_th", "")}
                }
            )
        organization.district_id = found.pk
    if "subdistrict" in fields:
        sub = fields["subdistrict"]
        organization.subdistrict_id = (sub.pk if isinstance(sub, SubDistrict) else str(sub)) if sub else None


@transaction.atomic
def create_organization(actor: Actor, fields: Mapping[str, Any]) -> Organization:
    organization = Organization(one_person_office=False)
    _assign(organization, fields)
    organization.full_clean()
    organization.save()
    access = authorize(actor, organization, Permission.MANAGE_MEMBERS)
    record(
        access, "organization.create", params={"name": organization.name_th}, changes=[change(organization)]
    )
    return organization


@transaction.atomic
def update_organization(actor: Actor, organization: Organization, fields: Mapping[str, Any]) -> Organization:
    access = authorize(actor, organization, Permission.MANAGE_MEMBERS)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _assign(organization, fields)
    organization.full_clean()
    organization.save()
    record(
        access, "organization.update", params={"name": organization.name_th}, changes=[change(organization)]
    )
    return organization


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("บทบาทไม่ถูกต้อง")})


@transaction.atomic
def add_member(actor: Actor, organization: Organization, user: User, role: str) -> Membership:
    access = authorize(actor, organization, Permission.MANAGE_MEMBERS)
    _check_role(role)
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise ValidationError({"user": _("ผู้ใช้นี้เป็นสมาชิกขององค์กรนี้อยู่แล้ว")})
    membership = Membership.objects.create(organization=organization, user=user, role=role)
    record(
        access,
        "member.add",
        params={"user": user.get_username(), "role": role},
        changes=[change(membership)],
    )
    return membership


@transaction.atomic
def change_role(actor: Actor, membership: Membership, role: str) -> Membership:
    access = authorize(actor, membership.organization, Permission.MANAGE_MEMBERS)
    _check_role(role)
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.role == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        access,
        "member.change_role",
        params={"user": membership.user.get_username(), "role": role},
        changes=[change(membership)],
    )
    return membership


@transaction.atomic
def remove_member(actor: Actor, membership: Membership) -> None:
    access = authorize(actor, membership.organization, Permission.MANAGE_MEMBERS)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    gone = removal(membership)
    username = membership.user.get_username()
    membership.delete()
    record(access, "member.remove", params={"user": username}, changes=[gone])


def _user_params(user: User) -> dict[str, Any]:
    return {
        "user": user.get_username(),
        "staff": user.is_staff,
        "superuser": user.is_superuser,
        "active": user.is_active,
    }


@transaction.atomic
def record_user_saved(by: User | SystemActor, user: User, *, created: bool) -> None:
    """An account made or changed (its rights, never its password) goes into the installation's log."""
    name = by.label if isinstance(by, SystemActor) else by.get_username()
    record_site(
        None if isinstance(by, SystemActor) else by,
        name,
        "user.create" if created else "user.update",
        params=_user_params(user),
    )
