"""Load the versioned files in ``data/`` into the geography tables, and find places by their names.

``load_country`` is idempotent: rows are written by code (new ones added, names and regions updated), and
a row the new files no longer hold is kept, since organisations may refer to it. Migrations pass their
historical ``apps``; the command ``prongsai manage load_geography`` passes none.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Loaded:
    regions: int
    provinces: int
    districts: int
    subdistricts: int


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _models(apps: Any) -> tuple[Any, Any, Any, Any]:
    if apps is None:
        from prongsai.geography.models import District, Province, Region, SubDistrict

        return Region, Province, District, SubDistrict
    return tuple(
        apps.get_model("geography", name) for name in ("Region", "Province", "District", "SubDistrict")
    )


def _upsert(model: Any, rows: list[dict[str, Any]], fields: list[str]) -> None:
    existing = set(model.objects.values_list("pk", flat=True))
    new = [model(**row) for row in rows if row["code"] not in existing]
    old = [model(**row) for row in rows if row["code"] in existing]
    model.objects.bulk_create(new, batch_size=1000)
    if old:
        model.objects.bulk_update(old, fields, batch_size=1000)


def load_country(apps: Any = None) -> Loaded:
    Region, Province, District, SubDistrict = _models(apps)
    regions = json.loads((DATA / "nacc-regions.json").read_text(encoding="utf-8"))["regions"]
    region_of = {code: r["code"] for r in regions for code in r["provinces"]}
    _upsert(
        Region,
        [{k: r[k] for k in ("code", "name_th", "name_en", "verify")} for r in regions],
        ["name_th", "name_en", "verify"],
    )
    provinces = [{**row, "region_id": region_of.get(row["code"])} for row in _rows("provinces.csv")]
    _upsert(Province, provinces, ["name_th", "name_en", "region_id"])
    districts = [
        {"code": r["code"], "province_id": r["province"], "name_th": r["name_th"], "name_en": r["name_en"]}
        for r in _rows("districts.csv")
    ]
    _upsert(District, districts, ["province_id", "name_th", "name_en"])
    subdistricts = [
        {
            "code": r["code"],
            "district_id": r["district"],
            "name_th": r["name_th"],
            "name_en": r["name_en"],
            "postcode": r["postcode"],
        }
        for r in _rows("subdistricts.csv")
    ]
    _upsert(SubDistrict, subdistricts, ["district_id", "name_th", "name_en", "postcode"])
    return Loaded(len(regions), len(provinces), len(districts), len(subdistricts))


def ensure_country() -> None:
    """Load the map if its tables are empty: a database made by migrations has it, but one emptied
    since (a test framework's flush between tests) would otherwise place no organisation."""
    from prongsai.geography.models import District

    if not District.objects.exists():
        load_country()


def _bare(text: str, *prefixes: str) -> str:
    text = " ".join(text.split())
    for prefix in prefixes:
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def find_district(province: str, district: str, apps: Any = None) -> Any | None:
    """The district named ``district`` in province ``province`` (Thai or English, with or without the
    words จังหวัด / อำเภอ / เขต / Province / District), or None when there is no single match."""
    _, Province, District, _ = _models(apps)
    province_name = _bare(province, "จังหวัด", "จ.")
    province_name = province_name.removesuffix(" Province").strip()
    district_name = _bare(district, "อำเภอ", "อ.", "กิ่งอำเภอ")
    district_name = district_name.removesuffix(" District").strip()
    provinces = Province.objects.filter(name_th=province_name) | Province.objects.filter(
        name_en__iexact=province_name
    )
    found = list(
        District.objects.filter(province__in=provinces).filter(
            name_th__in=[district_name, f"เขต{district_name}"]
        )
    ) or list(District.objects.filter(province__in=provinces, name_en__iexact=district_name))
    return found[0] if len(found) == 1 else None
