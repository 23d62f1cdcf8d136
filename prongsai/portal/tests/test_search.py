"""Finding a local government the way people type its name: with or without the prefix, in part."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prongsai.conftest import SETUP, client_for
from prongsai.organizations import actions as org_actions
from prongsai.organizations.models import OrganizationKind
from prongsai.portal import search
from prongsai.portal.tests.helpers import publish


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ทต.วังไผ่", "วังไผ่"),
        ("ทต. วังไผ่", "วังไผ่"),
        ("อบต.", "อบต."),  # a prefix alone is kept: it lists every อบต.
        ("เทศบาลตำบลวังไผ่", "วังไผ่"),
        ("องค์การบริหารส่วนตำบลนาชะอัง", "นาชะอัง"),
        ("อบต.นาชะอัง", "นาชะอัง"),
        ("เทศบาลเมืองชุมพร", "ชุมพร"),
        ("ทม.ชุมพร", "ชุมพร"),
        ("อำเภอเมืองชุมพร", "เมืองชุมพร"),
        ("อ.เมืองชุมพร", "เมืองชุมพร"),
        ("จ.ชุมพร", "ชุมพร"),
        ("  Wang Phai ", "wangphai"),
    ],
)
def test_the_key_drops_prefixes_spaces_and_case(typed, expected):
    assert search.key(typed) == expected


@pytest.fixture
def three(plan, people, org_b):
    """Three local governments with published plans; a fourth without one."""
    nachaang = org_actions.create_organization(
        SETUP,
        {
            "slug": "nachaang",
            "name_th": "องค์การบริหารส่วนตำบลนาชะอัง",
            "name_en": "Na Cha-ang",
            "kind": OrganizationKind.SAO,
            "district_th": "อำเภอเมืองชุมพร",
            "province_th": "จังหวัดชุมพร",
        },
    )
    org_actions.create_organization(
        SETUP,
        {
            "slug": "hidden",
            "name_th": "เทศบาลตำบลวังซ่อน",
            "kind": OrganizationKind.SUBDISTRICT_MUNICIPALITY,
            "district_th": "อำเภอหลังสวน",
            "province_th": "จังหวัดชุมพร",
        },
    )
    from prongsai.conftest import make_user
    from prongsai.organizations.models import Role
    from prongsai.plans import actions

    publish(plan, people)
    for org, who in ((org_b, people["erin"]), (nachaang, make_user("nok", nachaang, Role.PLANNER))):
        other = actions.create_plan(
            who, org, slug="2561-2564", title=f"แผนของ{org.name_th}", first_year=2561, last_year=2564
        )
        approver = make_user(f"boss-{org.slug}", org, Role.APPROVER)
        publish(other, {"bob": approver})


def found(query: str) -> list[str]:
    html = client_for(None).get(reverse("portal:directory"), {"q": query}).content.decode()
    return [
        name
        for name in ("เทศบาลตำบลวังไผ่", "เทศบาลตำบลบางรัก", "องค์การบริหารส่วนตำบลนาชะอัง", "เทศบาลตำบลวังซ่อน")
        if f">{name}</a>" in html
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["เทศบาลตำบลวังไผ่", "เทศบาลตำบลบางรัก", "องค์การบริหารส่วนตำบลนาชะอัง"]),
        ("วังไผ่", ["เทศบาลตำบลวังไผ่"]),
        ("วัง", ["เทศบาลตำบลวังไผ่"]),  # part of a name; วังซ่อน has published nothing
        ("ทต.วังไผ่", ["เทศบาลตำบลวังไผ่"]),
        ("ทต. วังไผ่", ["เทศบาลตำบลวังไผ่"]),
        ("เทศบาลตำบล วังไผ่", ["เทศบาลตำบลวังไผ่"]),
        ("อบต.นาชะ", ["องค์การบริหารส่วนตำบลนาชะอัง"]),
        ("อบต.", ["องค์การบริหารส่วนตำบลนาชะอัง"]),
        ("ทต.", ["เทศบาลตำบลวังไผ่", "เทศบาลตำบลบางรัก"]),
        ("อ.เมืองชุมพร", ["เทศบาลตำบลวังไผ่", "เทศบาลตำบลบางรัก", "องค์การบริหารส่วนตำบลนาชะอัง"]),
        ("จังหวัดชุมพร", ["เทศบาลตำบลวังไผ่", "เทศบาลตำบลบางรัก", "องค์การบริหารส่วนตำบลนาชะอัง"]),
        ("na cha", ["องค์การบริหารส่วนตำบลนาชะอัง"]),
        ("เชียงใหม่", []),
    ],
)
def test_the_directory_finds_by_name_district_or_province(three, query, expected):
    assert found(query) == expected


def test_the_directory_shows_what_each_has_published(three):
    html = client_for(None).get(reverse("portal:directory")).content.decode()
    assert "แผนของเทศบาลตำบลบางรัก" in html
    assert "ฉบับแก้ไขที่ ๑" in html and "๒๕๖๑–๒๕๖๔" in html
