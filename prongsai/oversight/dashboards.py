"""The dashboards' figures: the pre-aggregated rows of an area summed per unit of the level below.

Each page costs the same few queries whatever the number of organisations: one GROUP BY over the
organisations of the area (with their year's summary row, so an organisation with no row still counts
as "no plan"), one for the ITA grades and weakest indices, one for risk and complaint areas, one for the
organisations without a published plan. Scores are summed counts run through ``reports.scores.Tally``,
the national formula, and banded by ``reports.rules``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, FilteredRelation, Q, Sum
from django.utils.translation import gettext_lazy as _

from prongsai.geography.models import District, Province, Region
from prongsai.ita import catalog
from prongsai.organizations.models import Organization
from prongsai.oversight.models import AreaSource, Level, OrgYearAreaCount, OrgYearSummary, SubmissionState
from prongsai.reports.rules import Band, rules
from prongsai.reports.scores import Tally

ROUNDS = (6, 12)
DIMENSIONS = (1, 2, 3, 4)
ITA_PASS = Decimal(85)
MISSING_LIST_LIMIT = 500

# The level below each level, and the organisation field that names a unit of it.
CHILD = {
    Level.COUNTRY: Level.REGION,
    Level.REGION: Level.PROVINCE,
    Level.PROVINCE: Level.DISTRICT,
    Level.DISTRICT: None,
}
GROUP_FIELD = {
    Level.COUNTRY: "district__province__region_id",
    Level.REGION: "district__province_id",
    Level.PROVINCE: "district_id",
    Level.DISTRICT: "pk",
}
AREA_FILTER = {
    Level.COUNTRY: "",
    Level.REGION: "district__province__region_id",
    Level.PROVINCE: "district__province_id",
    Level.DISTRICT: "district_id",
}


def area_organizations(level: Level, code: str) -> Any:
    """The organisations of an area, as a queryset (no ordering, no joins chosen yet)."""
    rows = Organization.objects.order_by()
    return rows if level == Level.COUNTRY else rows.filter(**{AREA_FILTER[level]: code})


@dataclass
class RoundFigures:
    months: int
    on_time: int
    late: int
    missing: int  # not submitted and the due date has passed
    pending: int  # not submitted, not yet due
    tally: Tally
    band: Band

    @property
    def score(self) -> Decimal:
        return self.tally.score


@dataclass
class Unit:
    """One row of a level's table: a region, province, district or organisation, with its figures."""

    code: str
    name: str
    url: str
    organizations: int = 0
    has_plan: int = 0
    approved: int = 0
    published: int = 0
    items: int = 0
    rounds: dict[int, RoundFigures] = field(default_factory=dict)
    money: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    ita_scored: int = 0
    ita_passed: int = 0
    ita_average: Decimal | None = None
    risks: int = 0
    complaints: int = 0
    complaints_in_time: int = 0

    @property
    def no_plan(self) -> int:
        return self.organizations - self.has_plan

    @property
    def not_published(self) -> int:
        return self.organizations - self.published

    @property
    def round_list(self) -> list[RoundFigures]:
        return [self.rounds[m] for m in ROUNDS]

    @property
    def money_list(self) -> list[tuple[int, dict[str, Decimal]]]:
        return [(n, self.money[n]) for n in DIMENSIONS]

    @property
    def money_total(self) -> dict[str, Decimal]:
        return {
            k: sum((self.money[n][k] for n in DIMENSIONS), Decimal(0))
            for k in ("planned", "ordinance", "disbursed")
        }


def _aggregates() -> dict[str, Any]:
    values: dict[str, Any] = {
        "organizations": Count("pk"),
        "has_plan": Count("pk", filter=Q(s__has_plan=True)),
        "approved": Count("pk", filter=Q(s__approved=True)),
        "published": Count("pk", filter=Q(s__published=True)),
        "items": Sum("s__items"),
        "ita_scored": Count("pk", filter=Q(s__ita_score__isnull=False)),
        "ita_passed": Count("pk", filter=Q(s__ita_score__gte=ITA_PASS)),
        "ita_sum": Sum("s__ita_score"),
        "risks": Sum("s__risks"),
        "complaints": Sum("s__complaints_received"),
        "complaints_in_time": Sum("s__complaints_answered_in_time"),
    }
    for m in ROUNDS:
        values[f"r{m}_on_time"] = Count("pk", filter=Q(**{f"s__r{m}_state": SubmissionState.ON_TIME}))
        values[f"r{m}_late"] = Count("pk", filter=Q(**{f"s__r{m}_state": SubmissionState.LATE}))
        for name in ("completed", "in_progress", "cannot"):
            values[f"r{m}_{name}"] = Sum(f"s__r{m}_{name}")
    for n in DIMENSIONS:
        for kind in ("planned", "ordinance", "disbursed"):
            values[f"d{n}_{kind}"] = Sum(f"s__d{n}_{kind}")
    return values


def _fill(unit: Unit, row: dict[str, Any], year: int, today: dt.date) -> None:
    unit.organizations = row["organizations"]
    unit.has_plan, unit.approved, unit.published = row["has_plan"], row["approved"], row["published"]
    unit.items = row["items"] or 0
    for m in ROUNDS:
        tally = Tally(
            items=unit.items,
            completed=row[f"r{m}_completed"] or 0,
            in_progress=row[f"r{m}_in_progress"] or 0,
            cannot=row[f"r{m}_cannot"] or 0,
        )
        on_time, late = row[f"r{m}_on_time"], row[f"r{m}_late"]
        open_ = unit.organizations - on_time - late
        due = rules().rounds[m].due_date(year)
        unit.rounds[m] = RoundFigures(
            months=m,
            on_time=on_time,
            late=late,
            missing=open_ if today > due else 0,
            pending=0 if today > due else open_,
            tally=tally,
            band=rules().band(m, tally.score),
        )
    for n in DIMENSIONS:
        unit.money[n] = {k: row[f"d{n}_{k}"] or Decimal(0) for k in ("planned", "ordinance", "disbursed")}
    unit.ita_scored, unit.ita_passed = row["ita_scored"], row["ita_passed"]
    if unit.ita_scored:
        unit.ita_average = (Decimal(row["ita_sum"]) / unit.ita_scored).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    unit.risks = row["risks"] or 0
    unit.complaints = row["complaints"] or 0
    unit.complaints_in_time = row["complaints_in_time"] or 0


@dataclass
class Dashboard:
    level: Level
    code: str
    year: int
    total: Unit
    units: list[Unit]
    grades: list[tuple[str, int]]
    weakest: list[tuple[str, int]]
    risk_areas: list[tuple[str, int]]
    complaint_areas: list[tuple[str, int]]
    without_plan: list[dict[str, Any]]
    without_plan_count: int

    @property
    def child_level(self) -> Level | None:
        return CHILD[self.level]

    @property
    def ranked_rounds(self) -> list[tuple[int, list[Unit]]]:
        return [(months, self.ranked(months)) for months in ROUNDS]

    def ranked(self, months: int) -> list[Unit]:
        """Units by the round's score, highest first (the national system's tables)."""
        return sorted(self.units, key=lambda u: (-u.rounds[months].score, u.name))


def part_name(model_key: str, part_key: str) -> str:
    """An ITA index or indicator by its name in the model it was scored by ("คุณธรรมการทำงานในหน่วยงาน"); its
    key only when the model is no longer in the catalogue."""
    try:
        return catalog.load_model(model_key).part(part_key).name
    except LookupError:  # KeyError too
        return part_key


def _children(level: Level, code: str) -> list[tuple[str, str]]:
    """(code, name) of every unit of the level below, including those with no organisation."""
    if level == Level.COUNTRY:
        return [(r.code, r.name_th) for r in Region.objects.order_by("code")]
    if level == Level.REGION:
        return [(p.code, p.label_th) for p in Province.objects.filter(region_id=code).order_by("name_th")]
    if level == Level.PROVINCE:
        return [(d.code, d.label_th) for d in District.objects.filter(province_id=code).order_by("code")]
    return []


def build(level: Level, code: str, year: int, url_for: Any, today: dt.date | None = None) -> Dashboard:
    """The dashboard of an area (``code`` of a region, province or district; "" for the country)."""
    today = today or dt.date.today()
    organizations = area_organizations(level, code).annotate(
        s=FilteredRelation("year_summaries", condition=Q(year_summaries__fiscal_year=year))
    )
    group = GROUP_FIELD[level]
    aggregates = _aggregates()
    names: dict[str, str] = {}
    if level == Level.DISTRICT:
        rows = list(organizations.values("pk", "slug", "name_th").annotate(**aggregates).order_by("name_th"))
        units = []
        for row in rows:
            unit = Unit(code=row["slug"], name=row["name_th"], url=url_for(None, row["slug"]))
            _fill(unit, row, year, today)
            units.append(unit)
    else:
        child = CHILD[level]
        assert child is not None
        names = dict(_children(level, code))
        by_code = {str(row[group]): row for row in organizations.values(group).annotate(**aggregates)}
        units = []
        for child_code, name in names.items():
            unit = Unit(code=child_code, name=name, url=url_for(child, child_code))
            row = by_code.get(child_code)
            if row is not None:
                _fill(unit, row, year, today)
            else:
                _fill(unit, _empty(aggregates), year, today)
            units.append(unit)
    total = Unit(code=code, name="", url="")
    _fill(total, organizations.aggregate(**aggregates), year, today)

    summaries = OrgYearSummary.objects.filter(
        fiscal_year=year, organization__in=area_organizations(level, code)
    )
    grades: dict[str, int] = {}
    weakest: dict[str, int] = {}
    for grade, model, weak, n in (
        summaries.filter(ita_score__isnull=False)
        .values_list("ita_grade", "ita_model", "ita_weakest")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        grades[grade] = grades.get(grade, 0) + n
        if weak:
            name = part_name(model, weak)
            weakest[name] = weakest.get(name, 0) + n
    areas: dict[str, dict[str, int]] = {AreaSource.RISK: {}, AreaSource.COMPLAINT: {}}
    for source, area, n in (
        OrgYearAreaCount.objects.filter(fiscal_year=year, organization__in=area_organizations(level, code))
        .values_list("source", "area")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        areas[source][area] = n
    missing = organizations.filter(Q(s__isnull=True) | Q(s__published=False)).order_by(
        "district_id", "name_th"
    )
    without = list(
        missing.values("slug", "name_th", "district_id", "s__has_plan", "s__approved")[:MISSING_LIST_LIMIT]
    )
    return Dashboard(
        level=level,
        code=code,
        year=year,
        total=total,
        units=units,
        grades=sorted(grades.items()),
        weakest=sorted(weakest.items(), key=lambda kv: (-kv[1], kv[0])),
        risk_areas=sorted(areas[AreaSource.RISK].items()),
        complaint_areas=sorted(areas[AreaSource.COMPLAINT].items()),
        without_plan=without,
        without_plan_count=total.organizations - total.published,
    )


def _empty(aggregates: dict[str, Any]) -> dict[str, Any]:
    return {name: 0 if isinstance(agg, Count) else None for name, agg in aggregates.items()}


PLAN_STATE = {
    "none": _("ไม่มีแผน"),
    "draft": _("มีแผนแต่ยังไม่อนุมัติ"),
    "approved": _("อนุมัติแล้วแต่ยังไม่ประกาศ"),
}
