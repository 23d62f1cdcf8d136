"""The rows of the open-data files: one per plan item (with its budget per fiscal year), one per indicator.

Rows are made from published revisions only (``plans.published``), one plan at a time through
``summary.plan_tables``: a few queries per plan whatever its size, and memory bounded by the largest
plan, not by the installation. The files are language-independent: headers are Thai (the plan's
language), keys English; ``Column.header`` is a Thai msgid only so that the /data/ page can explain
each column in English.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_noop

from prongsai.plans.models import ItemKind, Plan, PlanItem
from prongsai.plans.summary import plan_tables

BANGKOK = ZoneInfo("Asia/Bangkok")
KIND_TH: dict[str, str] = {
    ItemKind.PROJECT: "โครงการ",
    ItemKind.ACTIVITY: "กิจกรรม",
    ItemKind.MEASURE: "มาตรการ",
    ItemKind.GUIDELINE: "แนวปฏิบัติ",
}

Value = str | int | bool | Decimal | date | None


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key
    header: str  # the Thai header of CSV and XLSX (and a msgid, for the page that explains it)


@dataclass(frozen=True)
class Row:
    values: dict[str, Value]
    budgets: dict[int, Decimal] | None = None  # items only: fiscal year (พ.ศ.) → baht; no key = no budget

    @property
    def total(self) -> Decimal | None:
        if not self.budgets:
            return None
        return sum(self.budgets.values(), Decimal(0))


@dataclass(frozen=True)
class Dataset:
    key: str  # "items" or "indicators": the file name and the JSON list's key
    title: str  # Thai msgid
    description: str  # Thai msgid
    columns: tuple[Column, ...]
    yearly: bool  # one budget column per fiscal year, then the total

    def headers(self, years: list[int]) -> list[str]:
        headers = [column.header for column in self.columns]
        if self.yearly:
            headers += [budget_header(year) for year in years] + [TOTAL.header]
        return headers

    def cells(self, row: Row, years: list[int]) -> list[Value]:
        cells = [row.values[column.key] for column in self.columns]
        if self.yearly:
            budgets = row.budgets or {}
            cells += [budgets.get(year) for year in years] + [row.total]
        return cells

    def rows(self, plans: Iterable[Plan]) -> Iterator[Row]:
        for plan in plans:
            yield from (item_rows(plan) if self.key == "items" else indicator_rows(plan))


def budget_header(year: int) -> str:
    return f"งบประมาณปี พ.ศ. {year} (บาท)"


BUDGET_HEADER = gettext_noop("งบประมาณปี พ.ศ. … (บาท)")
TOTAL = Column("total", gettext_noop("รวมงบประมาณ (บาท)"))

PLAN_COLUMNS = (
    Column("organization_slug", gettext_noop("รหัสองค์กร")),
    Column("organization_name", gettext_noop("ชื่อองค์กรปกครองส่วนท้องถิ่น")),
    Column("district", gettext_noop("อำเภอ")),
    Column("province", gettext_noop("จังหวัด")),
    Column("plan_slug", gettext_noop("รหัสแผน")),
    Column("plan_title", gettext_noop("ชื่อแผน")),
    Column("revision", gettext_noop("ฉบับแก้ไขที่")),
    Column("published_date", gettext_noop("วันที่ประกาศ")),
    Column("dimension_number", gettext_noop("มิติที่")),
    Column("dimension_title", gettext_noop("ชื่อมิติ")),
    Column("mission_code", gettext_noop("ภารกิจที่")),
    Column("mission_title", gettext_noop("ภารกิจตามมิติ")),
    Column("item_uid", gettext_noop("รหัสรายการ (UUID)")),
    Column("item_number", gettext_noop("ลำดับ")),
)
ITEMS = Dataset(
    key="items",
    title=gettext_noop("โครงการ กิจกรรม และมาตรการ พร้อมงบประมาณรายปี"),
    description=gettext_noop("หนึ่งแถวต่อหนึ่งรายการของส่วนที่ 2 ของแผน พร้อมงบประมาณ (บาท) ในแต่ละปีงบประมาณและยอดรวม"),
    columns=(
        *PLAN_COLUMNS,
        Column("kind", gettext_noop("รหัสประเภท")),
        Column("kind_th", gettext_noop("ประเภท")),
        Column("title", gettext_noop("ชื่อโครงการ/กิจกรรม/มาตรการ")),
        Column("responsible_unit", gettext_noop("หน่วยงานที่รับผิดชอบ")),
        Column("illustrative", gettext_noop("ตัวอย่างประกอบ")),
    ),
    yearly=True,
)
INDICATORS = Dataset(
    key="indicators",
    title=gettext_noop("ตัวชี้วัดของโครงการ กิจกรรม และมาตรการ"),
    description=gettext_noop("หนึ่งแถวต่อหนึ่งตัวชี้วัด พร้อมค่าเป้าหมายและหน่วยนับ และรหัสรายการที่ตัวชี้วัดนั้นสังกัด"),
    columns=(
        *PLAN_COLUMNS,
        Column("title", gettext_noop("ชื่อโครงการ/กิจกรรม/มาตรการ")),
        Column("indicator_number", gettext_noop("ลำดับตัวชี้วัด")),
        Column("indicator", gettext_noop("ตัวชี้วัด")),
        Column("target_value", gettext_noop("ค่าเป้าหมาย")),
        Column("unit", gettext_noop("หน่วยนับ")),
    ),
    yearly=False,
)
DATASETS = {dataset.key: dataset for dataset in (ITEMS, INDICATORS)}


def published_date(plan: Plan) -> date | None:
    return plan.published_at.astimezone(BANGKOK).date() if plan.published_at else None


def years_of(plans: Iterable[Plan]) -> list[int]:
    """Every fiscal year of any of ``plans``, in order (the union; gaps stay gaps)."""
    return sorted({year for plan in plans for year in plan.years})


def _plan_values(plan: Plan) -> dict[str, Value]:
    org = plan.organization
    return {
        "organization_slug": org.slug,
        "organization_name": org.name_th,
        "district": org.district_th,
        "province": org.province_th,
        "plan_slug": plan.slug,
        "plan_title": plan.title,
        "revision": plan.revision,
        "published_date": published_date(plan),
    }


def _lines(plan: Plan) -> Iterator[tuple[dict[str, Value], PlanItem]]:
    """Each item of ``plan`` in document order (dimension, mission, item), with the values it shares
    with its indicators."""
    base = _plan_values(plan)
    for table in plan_tables(plan).dimensions:
        dimension = table.dimension
        for mission_row in table.rows:
            mission = mission_row.mission
            for number, item in enumerate(mission_row.items, start=1):
                values: dict[str, Value] = {
                    **base,
                    "dimension_number": dimension.number,
                    "dimension_title": dimension.title_th,
                    "mission_code": mission.code,
                    "mission_title": mission.title_th,
                    "item_uid": str(item.uid),
                    "item_number": number,
                    "title": item.title,
                }
                yield values, item


def item_rows(plan: Plan) -> Iterator[Row]:
    """One row per item of ``plan``."""
    for values, item in _lines(plan):
        values |= {
            "kind": item.kind,
            "kind_th": KIND_TH.get(item.kind, item.kind),
            "responsible_unit": item.responsible_unit,
            "illustrative": item.is_illustrative,
        }
        yield Row(values, {b.fiscal_year: b.amount for b in item.budgets.all()})


def indicator_rows(plan: Plan) -> Iterator[Row]:
    """One row per indicator of each item of ``plan``."""
    for values, item in _lines(plan):
        for number, indicator in enumerate(item.indicators.all(), start=1):
            yield Row(
                values
                | {
                    "indicator_number": number,
                    "indicator": indicator.description,
                    "target_value": indicator.target_value,
                    "unit": indicator.unit,
                }
            )
