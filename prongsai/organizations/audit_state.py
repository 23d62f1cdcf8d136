"""Organisations and memberships as the change log vouches for them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from prongsai.audit.events import describe_events
from prongsai.audit.state import track
from prongsai.organizations.models import Membership, Organization, Role

ORG_FIELDS = (
    "slug",
    "name_th",
    "name_en",
    "kind",
    "district_th",
    "province_th",
    "district_en",
    "province_en",
    "one_person_office",
)


def organization_state(organization: Organization) -> dict[str, Any]:
    return {name: getattr(organization, name) for name in ORG_FIELDS}


def membership_state(membership: Membership) -> dict[str, Any]:
    return {"user": membership.user.get_username(), "role": membership.role}


def _role(value: Any) -> Any:
    return Role(value).label


def register() -> None:
    track(
        "organization",
        Organization,
        state=organization_state,
        rows=lambda org: [org],
        label=str,
        added={"one_person_office": False},  # organizations 0002_four_eyes: every organisation had two people
    )
    track(
        "membership",
        Membership,
        state=membership_state,
        rows=lambda org: Membership.objects.filter(organization=org).select_related("user"),
        label=lambda m: m.user.get_username(),
    )
    describe_events(
        {
            "organization.create": _("เพิ่มองค์กร %(name)s"),
            "organization.update": _("แก้ไขข้อมูลองค์กร %(name)s"),
            "member.add": _("เพิ่มสมาชิก %(user)s บทบาท %(role)s"),
            "member.change_role": _("เปลี่ยนบทบาทของ %(user)s เป็น %(role)s"),
            "member.remove": _("นำ %(user)s ออกจากสมาชิก"),
            "user.create": _("สร้างบัญชีผู้ใช้ %(user)s"),
            "user.update": _("แก้ไขบัญชีผู้ใช้ %(user)s"),
        },
        presenters={"role": _role},
    )
