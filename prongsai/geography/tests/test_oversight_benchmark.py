"""The parts of ``benchmarks/oversight.py`` that are not timing: areas, officers, pages, the growth table."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from prongsai.geography.seed import seed_country
from prongsai.organizations.models import Organization

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bench() -> Any:
    sys.path.insert(0, str(BENCHMARKS))  # the script imports its sibling _setup
    try:
        spec = importlib.util.spec_from_file_location("oversight_benchmark", BENCHMARKS / "oversight.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


def oversight_installed() -> bool:
    return importlib.util.find_spec("prongsai.oversight") is not None


def test_the_busiest_areas_are_those_with_most_organisations(bench: Any) -> None:
    seed_country(40, 3, out=lambda line: None)
    areas = bench.busiest_areas()
    orgs = list(Organization.objects.select_related("district__province"))
    by_region = Counter(o.district.province.region_id for o in orgs)
    assert by_region[areas.region] == max(by_region.values())
    in_region = Counter(o.district.province_id for o in orgs if o.district.province.region_id == areas.region)
    assert in_region[areas.province] == max(in_region.values())
    in_province = Counter(o.district_id for o in orgs if o.district.province_id == areas.province)
    assert in_province[areas.district] == max(in_province.values())
    urls = bench.officer_urls(areas)
    assert urls == {
        "national": "/oversight/",
        "region": f"/oversight/r/{areas.region}/",
        "province": f"/oversight/p/{areas.province}/",
        "district": f"/oversight/d/{areas.district}/",
    }


def test_an_empty_country_has_no_areas(bench: Any) -> None:
    areas = bench.busiest_areas()
    assert (areas.region, areas.province, areas.district) == (None, None, None)
    assert bench.officer_urls(areas)["province"] is None


def test_officers_get_their_grants_once_or_are_skipped_without_the_app(bench: Any) -> None:
    seed_country(20, 1, out=lambda line: None)
    areas = bench.busiest_areas()
    users = bench.ensure_officers(areas)
    if not oversight_installed():
        assert users is None
        return
    assert set(users) == {"national", "region", "province", "district"}
    again = bench.ensure_officers(areas)  # a second run reuses them
    assert {k: u.pk for k, u in again.items()} == {k: u.pk for k, u in users.items()}
    from prongsai.oversight.models import OversightGrant

    assert OversightGrant.objects.filter(user__username__startswith="bench-").count() == 4


def test_a_missing_page_is_reported_not_found_and_not_timed(bench: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    page = bench.measure(Client(), "nothing", "/no-such-page/", 3)
    assert (page.status, page.p95, page.queries) == (404, 0.0, 0)
    assert "not found" in page.line(None)
    found = bench.measure(Client(), "reference", "/healthz", 3)
    assert found.found and found.size == len(b"ok") and found.queries == 0 and found.p95 > 0
    assert "p95" in found.line(found) and "1.0x" in found.line(found)


def test_each_size_gets_a_database_of_its_own(bench: Any) -> None:
    url = "postgres://postgres@127.0.0.1:5432/prongsai_national"
    assert bench.database_url_for(url, 1000) == "postgres://postgres@127.0.0.1:5432/prongsai_national_1000"


def test_the_growth_table_compares_p95_with_the_number_of_organisations(bench: Any) -> None:
    def result(n: int, p95: float, status: int = 200) -> dict[str, Any]:
        pages = [
            {"label": "reference (healthz)", "url": "/healthz", "status": 200, "p95": 0.001},
            {"label": "province dashboard", "url": "/oversight/p/86/", "status": status, "p95": p95},
        ]
        return {"organizations": n, "pages": pages}

    lines = bench.growth_table({1000: result(1000, 0.050), 7852: result(7852, 0.100)})
    assert "1,000" in lines[0] and "7,852" in lines[0]
    province = next(line for line in lines if "province dashboard" in line)
    assert "50.0 ms" in province and "100.0 ms" in province and "2.00x / 7.9x" in province
    missing = bench.growth_table({1000: result(1000, 0.05, 404), 7852: result(7852, 0.1, 404)})
    assert "not found" in next(line for line in missing if "province" in line)
