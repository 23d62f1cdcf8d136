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
    "size",
    "district",
    "subdistrict",
    "one_person_office",
)
# The place as text, which organisations held before organizations 0004 made it a reference.
PLACE_TEXT_FIELDS = ("district_th", "province_th", "district_en", "province_en")


def organization_state(organization: Organization) -> dict[str, Any]:
    return {
        "slug": organization.slug,
        "name_th": organization.name_th,
        "name_en": organization.name_en,
        "kind": organization.kind,
        "size": organization.size,
        "district": organization.district_id,
        "subdistrict": organization.subdistrict_id,
        "one_person_office": organization.one_person_office,
    }


def _place_as_reference(recorded: dict[str, Any]) -> dict[str, Any]:
    """A state written before organizations 0004: its place text read as the migration read it."""
    if "district" in recorded or "province_th" not in recorded:
        return recorded
    from prongsai.geography.load import find_district

    text = {name: recorded.get(name) or "" for name in PLACE_TEXT_FIELDS}
    district = find_district(text["province_th"], text["district_th"]) or find_district(
        text["province_en"], text["district_en"]
    )
    upgraded = {name: value for name, value in recorded.items() if name not in PLACE_TEXT_FIELDS}
    return {**upgraded, "district": district.pk if district else None}


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
        # organizations 0002_four_eyes: every organisation had two people; 0004: size unknown, no sub-district
        added={"one_person_office": False, "size": "", "subdistrict": None},
        upgrade=_place_as_reference,
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
