"""The map of the country: every code consistent with its parent, loaded once, found by its names."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from prongsai.geography.load import find_district, load_country
from prongsai.geography.models import District, Province, Region, SubDistrict
from prongsai.organizations import actions as org_actions
from prongsai.organizations.access import SystemActor

pytestmark = pytest.mark.django_db


def test_the_migration_loaded_the_whole_country() -> None:
    assert (Region.objects.count(), Province.objects.count()) == (9, 77)
    assert District.objects.count() == 929
    assert SubDistrict.objects.count() == 7451
    assert not Province.objects.filter(region__isnull=True).exists()  # every province in a NACC region


def test_every_code_starts_with_its_parents_code() -> None:
    for code, province in District.objects.values_list("code", "province_id"):
        assert code[:2] == province, code
    for code, district in SubDistrict.objects.values_list("code", "district_id"):
        assert code[:4] == district, code


def test_wang_phai_is_in_mueang_chumphon_of_region_8() -> None:
    wang_phai = SubDistrict.objects.get(name_th="วังไผ่", district__province__name_th="ชุมพร")
    assert (wang_phai.code, wang_phai.district.code) == ("860110", "8601")
    assert wang_phai.district.label_th == "อำเภอเมืองชุมพร"
    assert wang_phai.district.province.label_th == "จังหวัดชุมพร"
    region = wang_phai.district.province.region
    assert region is not None and region.code == "8"


def test_loading_again_changes_nothing() -> None:
    before = list(District.objects.order_by("code").values_list("code", "name_th", "province_id"))
    loaded = load_country()
    assert (loaded.provinces, loaded.districts, loaded.subdistricts) == (77, 929, 7451)
    assert list(District.objects.order_by("code").values_list("code", "name_th", "province_id")) == before


@pytest.mark.parametrize(
    ("province", "district"),
    [
        ("จังหวัดชุมพร", "อำเภอเมืองชุมพร"),
        ("ชุมพร", "เมืองชุมพร"),
        ("จ.ชุมพร", "อ.เมืองชุมพร"),
        ("Chumphon Province", "Mueang Chumphon District"),
        ("chumphon", "mueang chumphon"),
    ],
)
def test_a_district_is_found_by_how_people_write_it(province: str, district: str) -> None:
    found = find_district(province, district)
    assert found is not None and found.code == "8601"


def test_bangkok_districts_are_khet() -> None:
    found = find_district("กรุงเทพมหานคร", "พระนคร")
    assert found is not None and found.code == "1001" and found.label_th == "เขตพระนคร"


def test_an_unknown_place_is_refused_with_the_names_given() -> None:
    assert find_district("จังหวัดชุมพร", "อำเภอไม่มีจริง") is None
    with pytest.raises(ValidationError) as refused:
        org_actions.create_organization(
            SystemActor("test"),
            {
                "slug": "x",
                "name_th": "x",
                "kind": "sao",
                "district_th": "อำเภอไม่มีจริง",
                "province_th": "จังหวัดชุมพร",
            },
        )
    assert "อำเภอไม่มีจริง" in " ".join(refused.value.message_dict["district_th"])
    with pytest.raises(ValidationError) as refused:
        org_actions.create_organization(
            SystemActor("test"), {"slug": "y", "name_th": "y", "kind": "sao", "district": "9999"}
        )
    assert "9999" in " ".join(refused.value.message_dict["district"])


def test_a_subdistrict_must_lie_in_the_district() -> None:
    with pytest.raises(ValidationError) as refused:
        org_actions.create_organization(
            SystemActor("test"),
            {"slug": "z", "name_th": "z", "kind": "sao", "district": "8601", "subdistrict": "860401"},
        )
    assert "subdistrict" in refused.value.message_dict
