"""A synthetic country for measuring oversight at national scale (``prongsai manage seed_national``).

Builds ``n`` local governments placed in real districts and sub-districts of the map, spread over the
provinces like the real country (by their number of sub-districts), each with a plan for the cycle
2565–2568 made from the plan template, ~60 items and budgets for the four years, 6- and 12-month report
rounds with a report per item, and published ITA results. Everything follows from ``seed``: the same seed
gives the same country, row for row.

Rows are written in bulk -- PostgreSQL ``COPY`` (psycopg), ``bulk_create`` elsewhere -- with their keys
chosen here, one transaction per batch of organisations, so memory stays bounded. They do NOT go through
the audited actions: no organisation of a seeded database has a change log, so ``prongsai audit verify``
means nothing there. Seeded organisations are marked: slug ``lao-<n>``, and "(สมมติ)" / "(synthetic)" at
the end of their names (``SYNTHETIC_TH`` / ``SYNTHETIC_EN``); ``real_organizations`` finds the others.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from prongsai.geography.models import District, Province, SubDistrict
from prongsai.ita.catalog import load_model
from prongsai.ita.models import Assessment, AssessmentScore, Source
from prongsai.organizations.models import Organization, OrganizationKind, OrganizationSize
from prongsai.plans.models import Dimension, ItemBudget, ItemKind, Mission, Plan, PlanItem, PlanStatus
from prongsai.plans.structure import load_template
from prongsai.reports.models import ItemReport, ItemStatus, ReportRound, RoundStatus
from prongsai.reports.rules import rules

SYNTHETIC_TH = "(สมมติ)"
SYNTHETIC_EN = "(synthetic)"
SLUG_PATTERN = r"^lao-[0-9]+$"
PLAN_SLUG = "2565-2568"
FIRST_YEAR, LAST_YEAR = 2565, 2568
TEMPLATE_KEY = "dla-2561-2564"
ITA_MODEL = "ita-2562"
BANGKOK, PATTAYA_DISTRICT, BANGKOK_DISTRICT = "10", "2004", "1001"

# The real country (DLA, 2567): 76 PAOs, 30 city, 195 town, ~2,247 sub-district municipalities, ~5,300
# SAOs, and the two special forms (Bangkok, Pattaya); smaller countries are scaled from these shares.
NATIONAL: dict[str, int] = {
    OrganizationKind.SPECIAL: 2,
    OrganizationKind.PAO: 76,
    OrganizationKind.CITY_MUNICIPALITY: 30,
    OrganizationKind.TOWN_MUNICIPALITY: 195,
    OrganizationKind.SUBDISTRICT_MUNICIPALITY: 2249,
    OrganizationKind.SAO: 5300,
}
NATIONAL_TOTAL = sum(NATIONAL.values())  # 7,852

NAME_TH: dict[str, str] = {
    OrganizationKind.PAO: "อบจ.{place}",
    OrganizationKind.CITY_MUNICIPALITY: "เทศบาลนคร{place}",
    OrganizationKind.TOWN_MUNICIPALITY: "เทศบาลเมือง{place}",
    OrganizationKind.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล{place}",
    OrganizationKind.SAO: "อบต.{place}",
}
NAME_EN: dict[str, str] = {
    OrganizationKind.PAO: "{place} PAO",
    OrganizationKind.CITY_MUNICIPALITY: "{place} City Municipality",
    OrganizationKind.TOWN_MUNICIPALITY: "{place} Town Municipality",
    OrganizationKind.SUBDISTRICT_MUNICIPALITY: "{place} Subdistrict Municipality",
    OrganizationKind.SAO: "{place} SAO",
}
SIZES: dict[str, tuple[tuple[str, float], ...]] = {
    OrganizationKind.SPECIAL: ((OrganizationSize.LARGE, 1.0),),
    OrganizationKind.PAO: ((OrganizationSize.LARGE, 1.0),),
    OrganizationKind.CITY_MUNICIPALITY: ((OrganizationSize.LARGE, 1.0),),
    OrganizationKind.TOWN_MUNICIPALITY: ((OrganizationSize.MEDIUM, 0.7), (OrganizationSize.LARGE, 0.3)),
    OrganizationKind.SUBDISTRICT_MUNICIPALITY: (
        (OrganizationSize.SMALL, 0.6),
        (OrganizationSize.MEDIUM, 0.4),
    ),
    OrganizationKind.SAO: (
        (OrganizationSize.SMALL, 0.7),
        (OrganizationSize.MEDIUM, 0.28),
        (OrganizationSize.LARGE, 0.02),
    ),
}
ITEM_KINDS: tuple[tuple[str, float, float], ...] = (
    (ItemKind.PROJECT, 0.5, 0.85),  # kind, share of items, share with a budget
    (ItemKind.ACTIVITY, 0.25, 0.5),
    (ItemKind.MEASURE, 0.2, 0.1),
    (ItemKind.GUIDELINE, 0.05, 0.05),
)
TITLES: dict[str, tuple[str, ...]] = {
    ItemKind.PROJECT: (
        "โครงการส่งเสริมคุณธรรมและจริยธรรมแก่บุคลากร",
        "โครงการอบรมให้ความรู้ด้านการป้องกันการทุจริต",
        "โครงการเสริมสร้างความรู้เรื่องผลประโยชน์ทับซ้อน",
        "โครงการโรงเรียนสุจริตในท้องถิ่น",
        "โครงการปลูกจิตสำนึกรักษ์ท้องถิ่นแก่เยาวชน",
        "โครงการส่งเสริมการดำเนินชีวิตตามหลักเศรษฐกิจพอเพียง",
        "โครงการประชุมประชาคมหมู่บ้าน",
        "โครงการอบรมคณะกรรมการตรวจรับพัสดุ",
    ),
    ItemKind.ACTIVITY: (
        "กิจกรรมเผยแพร่ข้อมูลข่าวสารการจัดซื้อจัดจ้าง",
        "กิจกรรมประกาศเจตจำนงสุจริตของผู้บริหาร",
        "กิจกรรมรายงานผลการใช้จ่ายงบประมาณต่อสาธารณะ",
        "กิจกรรมเปิดโอกาสให้ประชาชนร่วมตรวจสอบการดำเนินงาน",
        "กิจกรรมจัดทำคู่มือการปฏิบัติงาน",
    ),
    ItemKind.MEASURE: (
        "มาตรการจัดการเรื่องร้องเรียนการทุจริต",
        "มาตรการป้องกันการรับสินบน",
        "มาตรการตรวจสอบการใช้ดุลพินิจ",
        "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ",
    ),
    ItemKind.GUIDELINE: (
        "แนวปฏิบัติการจัดการข้อร้องเรียน",
        "แนวปฏิบัติการมอบอำนาจของผู้บริหาร",
    ),
}
UNITS = ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม")
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


# Every table the seed writes, parents first.
TABLES: tuple[type[models.Model], ...] = (
    Organization,
    Plan,
    Dimension,
    Mission,
    PlanItem,
    ItemBudget,
    ReportRound,
    ItemReport,
    Assessment,
    AssessmentScore,
)


class SeedRefused(Exception):
    """The database is not one to seed (it holds real or already seeded organisations)."""


def synthetic_organizations() -> models.QuerySet[Organization]:
    return Organization.objects.filter(slug__regex=SLUG_PATTERN, name_en__endswith=SYNTHETIC_EN)


def real_organizations() -> models.QuerySet[Organization]:
    return Organization.objects.exclude(slug__regex=SLUG_PATTERN, name_en__endswith=SYNTHETIC_EN)


# --- How many of each kind, and where ---------------------------------------------------------------


def kind_counts(n: int) -> dict[str, int]:
    """Organisations of each kind for a country of ``n``: the national shares, one PAO per province while
    ``n`` allows (at most a tenth of the country), every kind at least once when ``n`` is large enough."""
    if n < 1:
        raise ValueError("n must be at least 1")
    counts: dict[str, int] = dict.fromkeys(NATIONAL, 0)
    if n >= NATIONAL_TOTAL:
        counts.update(NATIONAL)
        counts[OrganizationKind.SAO] += n - NATIONAL_TOTAL
        return counts
    counts[OrganizationKind.SPECIAL] = min(2, n // 1000)
    counts[OrganizationKind.PAO] = min(NATIONAL[OrganizationKind.PAO], n // 10)
    rest = n - counts[OrganizationKind.SPECIAL] - counts[OrganizationKind.PAO]
    others = (
        OrganizationKind.CITY_MUNICIPALITY,
        OrganizationKind.TOWN_MUNICIPALITY,
        OrganizationKind.SUBDISTRICT_MUNICIPALITY,
        OrganizationKind.SAO,
    )
    floor = 1 if rest >= 2 * len(others) else 0
    for kind in others:
        counts[kind] = floor
    spread = rest - floor * len(others)
    weight = sum(NATIONAL[k] for k in others)
    quotas = {k: spread * NATIONAL[k] / weight for k in others}
    for kind in others:
        counts[kind] += math.floor(quotas[kind])
    left = rest - sum(counts[k] for k in others)
    for kind in sorted(others, key=lambda k: (-(quotas[k] % 1), k))[:left]:  # largest remainders
        counts[kind] += 1
    return counts


@dataclass(frozen=True)
class Place:
    district: str
    subdistrict: str | None
    name_th: str  # of the place the organisation is named after
    name_en: str


@dataclass(frozen=True)
class OrgSpec:
    number: int
    kind: str
    size: str
    place: Place
    name_th: str
    name_en: str

    @property
    def slug(self) -> str:
        return f"lao-{self.number}"


@dataclass
class Country:
    """The map as the seed needs it: provinces outside Bangkok with their districts and sub-districts."""

    provinces: list[tuple[str, str, str]]  # code, name_th, name_en
    seat: dict[str, str]  # province → its first district (อำเภอเมือง)
    subdistricts: dict[str, list[tuple[str, str, str, str]]]  # province → (code, district, th, en)

    @classmethod
    def load(cls) -> Country:
        provinces = list(
            Province.objects.exclude(code=BANGKOK).order_by("code").values_list("code", "name_th", "name_en")
        )
        seat: dict[str, str] = {}
        for code, province in District.objects.order_by("code").values_list("code", "province_id"):
            seat.setdefault(province, code)
        subdistricts: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
        for row in SubDistrict.objects.order_by("code").values_list(
            "code", "district_id", "name_th", "name_en", "district__province_id"
        ):
            subdistricts[row[4]].append(row[:4])
        if not provinces or not subdistricts:
            raise SeedRefused("geography")
        return cls(provinces=provinces, seat=seat, subdistricts=dict(subdistricts))


def _choose(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    point, total = rng.random(), 0.0
    for value, share in weighted:
        total += share
        if point < total:
            return value
    return weighted[-1][0]


def place_organizations(n: int, seed: int, country: Country) -> list[OrgSpec]:
    """Where each organisation is and what it is called, numbered in map order (province, district)."""
    rng = random.Random(f"{seed}:places")
    counts = kind_counts(n)
    placed: list[tuple[str, Place]] = []
    special: list[tuple[str, Place]] = [
        (OrganizationKind.SPECIAL, Place(BANGKOK_DISTRICT, None, "กรุงเทพมหานคร", "Bangkok")),
        (OrganizationKind.SPECIAL, Place(PATTAYA_DISTRICT, None, "เมืองพัทยา", "Pattaya City")),
    ]
    placed.extend(special[: counts[OrganizationKind.SPECIAL]])
    provinces = country.provinces
    paos = counts[OrganizationKind.PAO]
    chosen = provinces if paos >= len(provinces) else sorted(rng.sample(provinces, paos))
    for code, name_th, name_en in chosen:
        placed.append((OrganizationKind.PAO, Place(country.seat[code], None, name_th, name_en)))
    # Municipalities and SAOs: each kind spread over the provinces in proportion to their sub-districts
    # (systematic sampling from a random start), each in a sub-district of its own while they last.
    weights = [len(country.subdistricts.get(code, [])) for code, _th, _en in provinces]
    queues = {code: rng.sample(rows, len(rows)) for code, rows in country.subdistricts.items()}
    taken: Counter[str] = Counter()
    total = sum(weights)
    for local in (
        OrganizationKind.CITY_MUNICIPALITY,
        OrganizationKind.TOWN_MUNICIPALITY,
        OrganizationKind.SUBDISTRICT_MUNICIPALITY,
        OrganizationKind.SAO,
    ):
        count = counts[local]
        if count == 0:
            continue
        step, start = total / count, rng.random()
        index, cumulative = 0, weights[0]
        for k in range(count):
            point = (start + k) * step
            while point >= cumulative and index < len(weights) - 1:
                index += 1
                cumulative += weights[index]
            province = provinces[index][0]
            queue = queues[province]
            sub_code, district, sub_th, sub_en = queue[taken[province] % len(queue)]
            taken[province] += 1
            placed.append((local, Place(district, sub_code, sub_th, sub_en)))
    placed.sort(key=lambda row: (row[1].district, row[1].subdistrict or "", row[0]))
    specs: list[OrgSpec] = []
    seen: Counter[str] = Counter()
    for number, (kind, place) in enumerate(placed, start=1):
        if kind == OrganizationKind.SPECIAL:
            name_th, name_en = place.name_th, place.name_en
        else:
            name_th = NAME_TH[kind].format(place=place.name_th)
            name_en = NAME_EN[kind].format(place=place.name_en)
        seen[name_th] += 1
        if seen[name_th] > 1:  # a second of the same kind in one sub-district: ที่ ๒
            count = seen[name_th]
            name_th, name_en = f"{name_th} ที่ {str(count).translate(THAI_DIGITS)}", f"{name_en} {count}"
        specs.append(
            OrgSpec(
                number=number,
                kind=kind,
                size=_choose(random.Random(f"{seed}:size:{number}"), SIZES[kind]),
                place=place,
                name_th=f"{name_th} {SYNTHETIC_TH}",
                name_en=f"{name_en} {SYNTHETIC_EN}",
            )
        )
    return specs


# --- Writing rows in bulk ----------------------------------------------------------------------------


class Writer:
    """Rows of one model at a time, as dicts of attribute names: COPY on PostgreSQL, bulk_create elsewhere.

    Keys are chosen here (``next_id``), from the largest key already in the table, so that children can
    name their parents without a round trip; ``finish`` moves the sequences past them.
    """

    def __init__(self, batch_size: int = 2000) -> None:
        self.copy = connection.vendor == "postgresql"
        self.batch_size = batch_size
        self.rows: Counter[str] = Counter()
        self.models: list[type[models.Model]] = []
        self._next: dict[type[models.Model], int] = {}

    def start(self, *tables: type[models.Model]) -> None:
        """Read where each table's keys go on, before any COPY (no other query can run during one)."""
        for model in tables:
            self._next[model] = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
            self.models.append(model)

    def next_id(self, model: type[models.Model]) -> int:
        value = self._next[model]
        self._next[model] = value + 1
        return value

    def write(self, model: type[models.Model], rows: Iterable[dict[str, Any]], now: dt.datetime) -> None:
        fields = model._meta.concrete_fields
        defaults: dict[str, Any] = {}
        for f in fields:
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                defaults[f.attname] = now
            elif f.has_default() and not callable(f.default):
                defaults[f.attname] = f.default
            elif f.null:
                defaults[f.attname] = None
            elif f.empty_strings_allowed and not f.has_default():
                defaults[f.attname] = ""
        label = model._meta.label
        if self.copy:
            self._copy(model, fields, defaults, rows, label)
        else:
            iterator = iter(rows)
            while chunk := list(islice(iterator, self.batch_size)):
                model._default_manager.bulk_create(
                    [model(**{**defaults, **row}) for row in chunk], batch_size=self.batch_size
                )
                self.rows[label] += len(chunk)

    def _copy(
        self,
        model: type[models.Model],
        fields: Sequence[models.Field[Any, Any]],
        defaults: Mapping[str, Any],
        rows: Iterable[dict[str, Any]],
        label: str,
    ) -> None:
        quote = connection.ops.quote_name
        names = [f.attname for f in fields]
        as_json = {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
        sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                values = [row[name] if name in row else defaults[name] for name in names]
                for i in as_json:
                    values[i] = json.dumps(values[i], ensure_ascii=False)
                copy.write_row(values)
                count += 1
        self.rows[label] += count

    def finish(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


# --- One organisation's data -------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    id: int
    uid: uuid.UUID
    kind: str
    title: str
    budgets: dict[int, Decimal]


@dataclass
class OrgData:
    """What one organisation gets, decided by its own random stream (so batches do not change it)."""

    spec: OrgSpec
    id: int
    plan_status: str | None = None
    plan_id: int | None = None
    items: list[ItemSpec] = field(default_factory=list)
    diligence: float = 0.0


def _bangkok(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _money(value: float) -> Decimal:
    return Decimal(round(value, -2)).quantize(CENT)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class TemplateMission(NamedTuple):
    dimension: int
    code: str
    parent: str | None
    title_th: str
    title_en: str
    verify: bool


def template_missions(key: str = TEMPLATE_KEY) -> list[TemplateMission]:
    """The template's missions in the order ``plans.actions.create_plan`` numbers them (position = index + 1)."""
    rows: list[TemplateMission] = []

    def walk(number: int, parent: str | None, nodes: Sequence[Mapping[str, Any]]) -> None:
        for node in nodes:
            rows.append(
                TemplateMission(
                    number,
                    node["code"],
                    parent,
                    node["title_th"],
                    node.get("title_en", ""),
                    bool(node.get("verify", False)),
                )
            )
            walk(number, node["code"], node.get("missions", []))

    for dim in load_template(key)["dimensions"]:
        walk(dim["number"], None, dim.get("missions", []))
    return rows


@dataclass
class Seeded:
    organizations: int
    rows: Counter[str]
    seconds: dict[str, float]


class Seeder:
    def __init__(self, n: int, seed: int, *, batch: int = 200, out: Callable[[str], None] = print) -> None:
        self.n, self.seed, self.batch, self.out = n, seed, batch, out
        self.writer = Writer()
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.seconds: dict[str, float] = defaultdict(float)
        self.template = load_template(TEMPLATE_KEY)
        self.missions = template_missions()
        parents = {m.parent for m in self.missions}
        self.leaves = [i for i, m in enumerate(self.missions) if m.code not in parents]
        self.rules = rules()
        self.ita = load_model(ITA_MODEL)

    def _timed(self, part: str, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
        began = time.perf_counter()
        self.writer.write(model, rows, self.now)
        self.seconds[part] += time.perf_counter() - began

    def run(self) -> Seeded:
        began = time.perf_counter()
        country = Country.load()
        specs = place_organizations(self.n, self.seed, country)
        self.writer.start(*TABLES)
        self.seconds["placing"] = time.perf_counter() - began
        batches = time.perf_counter()
        for start in range(0, len(specs), self.batch):
            with transaction.atomic():
                self._batch(specs[start : start + self.batch])
            done = min(start + self.batch, len(specs))
            if done == len(specs) or done // self.batch % 10 == 0:
                self.out(f"  {done:,}/{len(specs):,}")
        # Deciding each organisation's plan, rounds and results in Python, and the commits.
        written = sum(self.seconds[part] for part in ("organisations", "plans", "reports", "ITA"))
        self.seconds["other"] = time.perf_counter() - batches - written
        with transaction.atomic():
            self.writer.finish()
        return Seeded(len(specs), self.writer.rows, dict(self.seconds))

    def _batch(self, specs: Sequence[OrgSpec]) -> None:
        orgs = [OrgData(spec=s, id=self.writer.next_id(Organization)) for s in specs]
        self._timed("organisations", Organization, (self._organization(o) for o in orgs))
        for org in orgs:
            self._decide_plan(org)
        with_plan = [o for o in orgs if o.plan_id is not None]
        self._timed("plans", Plan, (self._plan(o) for o in with_plan))
        mission_ids: dict[int, list[int]] = {}
        dimension_rows: list[dict[str, Any]] = []
        mission_rows: list[dict[str, Any]] = []
        for org in with_plan:
            assert org.plan_id is not None
            dims: dict[int, int] = {}
            for dim in self.template["dimensions"]:
                dims[dim["number"]] = self.writer.next_id(Dimension)
                dimension_rows.append(
                    {
                        "id": dims[dim["number"]],
                        "plan_id": org.plan_id,
                        "number": dim["number"],
                        "title_th": dim["title_th"],
                        "title_en": dim.get("title_en", ""),
                    }
                )
            by_code: dict[str, int] = {}
            ids = []
            for position, m in enumerate(self.missions, start=1):
                by_code[m.code] = self.writer.next_id(Mission)
                ids.append(by_code[m.code])
                mission_rows.append(
                    {
                        "id": by_code[m.code],
                        "plan_id": org.plan_id,
                        "dimension_id": dims[m.dimension],
                        "parent_id": by_code[m.parent] if m.parent else None,
                        "code": m.code,
                        "position": position,
                        "title_th": m.title_th,
                        "title_en": m.title_en,
                        "to_verify": m.verify,
                    }
                )
            mission_ids[org.id] = ids
        self._timed("plans", Dimension, dimension_rows)
        self._timed("plans", Mission, mission_rows)
        self._timed("plans", PlanItem, (row for o in with_plan for row in self._items(o, mission_ids[o.id])))
        self._timed("plans", ItemBudget, (row for o in with_plan for row in self._budgets(o)))
        published = [o for o in with_plan if o.plan_status == PlanStatus.PUBLISHED]
        rounds = [r for o in published for r in self._rounds(o)]
        self._timed("reports", ReportRound, (r[0] for r in rounds))
        self._timed("reports", ItemReport, (row for r in rounds for row in self._reports(*r)))
        assessments = [a for o in orgs for a in self._assessments(o)]
        self._timed("ITA", Assessment, (a[0] for a in assessments))
        self._timed("ITA", AssessmentScore, (row for a in assessments for row in a[1]))

    def _organization(self, org: OrgData) -> dict[str, Any]:
        s = org.spec
        return {
            "id": org.id,
            "slug": s.slug,
            "name_th": s.name_th,
            "name_en": s.name_en,
            "kind": s.kind,
            "size": s.size,
            "district_id": s.place.district,
            "subdistrict_id": s.place.subdistrict,
            "one_person_office": False,
        }

    def _rng(self, org: OrgData, part: str) -> random.Random:
        return random.Random(f"{self.seed}:{part}:{org.spec.number}")

    def _decide_plan(self, org: OrgData) -> None:
        rng = self._rng(org, "plan")
        org.diligence = rng.random() ** 0.8
        u = rng.random()
        if u < 0.02:  # a few have no plan for the cycle
            return
        org.plan_status = (
            PlanStatus.PUBLISHED if u < 0.88 else PlanStatus.APPROVED if u < 0.93 else PlanStatus.DRAFT
        )
        org.plan_id = self.writer.next_id(Plan)
        count = rng.randint(50, 70)
        seen: Counter[str] = Counter()
        for _n in range(count):
            kind = _choose(rng, [(k, share) for k, share, _b in ITEM_KINDS])
            has_budget = rng.random() < next(b for k, _s, b in ITEM_KINDS if k == kind)
            stem = rng.choice(TITLES[kind])
            seen[stem] += 1
            title = stem if seen[stem] == 1 else f"{stem} ({str(seen[stem]).translate(THAI_DIGITS)})"
            budgets: dict[int, Decimal] = {}
            if has_budget:
                base = rng.choice((5_000, 10_000, 20_000, 30_000, 50_000, 100_000, 200_000, 500_000))
                for year in range(FIRST_YEAR, LAST_YEAR + 1):
                    if rng.random() < 0.9:
                        budgets[year] = _money(base * rng.uniform(0.8, 1.2))
            org.items.append(ItemSpec(self.writer.next_id(PlanItem), _uuid(rng), kind, title, budgets))

    def _plan(self, org: OrgData) -> dict[str, Any]:
        rng = self._rng(org, "plan-dates")
        status = org.plan_status
        row: dict[str, Any] = {
            "id": org.plan_id,
            "organization_id": org.id,
            "slug": PLAN_SLUG,
            "revision": 1,
            "title": "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๕ – ๒๕๖๘)",
            "first_year": FIRST_YEAR,
            "last_year": LAST_YEAR,
            "template_key": TEMPLATE_KEY,
            "status": status,
            "digits": "thai",
        }
        if status in (PlanStatus.APPROVED, PlanStatus.PUBLISHED):
            approved = dt.date(2021, 8, 1) + dt.timedelta(days=rng.randint(0, 60))
            row["submitted_at"] = _bangkok(approved - dt.timedelta(days=rng.randint(1, 14)), 10)
            row["approved_at"] = _bangkok(approved, 14)
            if status == PlanStatus.PUBLISHED:
                row["published_at"] = _bangkok(approved + dt.timedelta(days=rng.randint(0, 20)), 15)
        return row

    def _items(self, org: OrgData, missions: list[int]) -> Iterator[dict[str, Any]]:
        rng = self._rng(org, "items")
        per_mission: Counter[int] = Counter()
        placed = sorted(((rng.choice(self.leaves), item) for item in org.items), key=lambda p: p[0])
        for leaf, item in placed:
            per_mission[leaf] += 1
            yield {
                "id": item.id,
                "plan_id": org.plan_id,
                "uid": item.uid,
                "mission_id": missions[leaf],
                "position": per_mission[leaf],
                "kind": item.kind,
                "title": item.title,
                "responsible_unit": rng.choice(UNITS),
                "version": 1,
            }

    def _budgets(self, org: OrgData) -> Iterator[dict[str, Any]]:
        for item in org.items:
            for year, amount in item.budgets.items():
                yield {
                    "id": self.writer.next_id(ItemBudget),
                    "item_id": item.id,
                    "fiscal_year": year,
                    "amount": amount,
                }

    def _rounds(self, org: OrgData) -> Iterator[tuple[dict[str, Any], OrgData, int, int]]:
        rng = self._rng(org, "rounds")
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for months in (6, 12):
                u = rng.random()
                if u < 0.06:  # missing: never opened
                    continue
                due = self.rules.rounds[months].due_date(year)
                row: dict[str, Any] = {
                    "id": self.writer.next_id(ReportRound),
                    "organization_id": org.id,
                    "plan_slug": PLAN_SLUG,
                    "plan_id": org.plan_id,
                    "fiscal_year": year,
                    "months": months,
                    "due_date": due,
                    "status": RoundStatus.DRAFT,
                    "version": 1,
                }
                if u >= 0.08:  # approved, and most of those published: on time, or late
                    row["status"] = RoundStatus.APPROVED
                    if u < 0.10:
                        day = due + dt.timedelta(days=rng.randint(-10, 40))
                    elif u < 0.22:
                        day = due + dt.timedelta(days=rng.randint(1, 60))
                        row["status"] = RoundStatus.PUBLISHED
                    else:
                        day = due - dt.timedelta(days=rng.randint(0, 25))
                        row["status"] = RoundStatus.PUBLISHED
                    row["approved_at"] = _bangkok(day, 11)
                    if row["status"] == RoundStatus.PUBLISHED:
                        row["published_at"] = _bangkok(day, 16)
                yield row, org, year, months

    def _reports(self, row: dict[str, Any], org: OrgData, year: int, months: int) -> Iterator[dict[str, Any]]:
        """One report per item; a 12-month round keeps what the 6-month round found completed (both
        rounds of a year draw the 6-month statuses from the same stream)."""
        d = org.diligence
        reasons = [r.key for r in self.rules.reasons]
        year_rng = random.Random(f"{self.seed}:year:{org.spec.number}:{year}")
        six_draws = [year_rng.random() for _item in org.items]
        rng = random.Random(f"{self.seed}:reports:{org.spec.number}:{year}:{months}")
        for item, u6 in zip(org.items, six_draws, strict=True):
            u12 = rng.random()
            six: str
            status: str
            if u6 < 0.05 + 0.40 * d:
                six = ItemStatus.COMPLETED
            elif u6 < 0.25 + 0.80 * d:
                six = ItemStatus.IN_PROGRESS
            elif u6 < 0.30 + 0.80 * d:
                six = ItemStatus.CANNOT
            else:
                six = ""
            if months == 6:
                status = six
            elif six == ItemStatus.COMPLETED or u12 < 0.30 + 0.60 * d:
                status = ItemStatus.COMPLETED
            elif u12 < 0.35 + 0.60 * d:
                status = ItemStatus.CANNOT
            elif u12 < 0.97:
                status = ItemStatus.IN_PROGRESS
            else:
                status = ""
            planned = item.budgets.get(year)
            ordinance = disbursed = None
            if planned is not None:
                ordinance = _money(float(planned) * rng.choice((1.0, 1.0, 0.9, 1.1)))
                share: float | None = {
                    str(ItemStatus.COMPLETED): rng.uniform(0.85, 1.0),
                    str(ItemStatus.IN_PROGRESS): rng.uniform(0.1, 0.6),
                    str(ItemStatus.CANNOT): 0.0,
                }.get(status)
                disbursed = None if share is None else _money(float(ordinance) * share)
            quarters = (1, 2) if months == 6 else (1, 2, 3, 4)
            ran = {q for q in quarters if status and rng.random() < 0.6}
            reason = rng.choice(reasons) if status == ItemStatus.CANNOT else ""
            yield {
                "id": self.writer.next_id(ItemReport),
                "round_id": row["id"],
                "item_uid": item.uid,
                "title": item.title,
                "ordinance_budget": ordinance,
                "disbursed": disbursed,
                "included": planned is not None or rng.random() < 0.8,
                "status": status,
                "reason": reason,
                "reason_text": "ติดภารกิจเร่งด่วนของหน่วยงาน" if reason == "other" else "",
                "q1": 1 in ran,
                "q2": 2 in ran,
                "q3": 3 in ran,
                "q4": 4 in ran,
                "indicator_results": [],
                "version": 1,
            }

    def _assessments(self, org: OrgData) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Published ITA results for the years of the cycle the model covers; about 60–80 % pass 85."""
        rng = self._rng(org, "ita")
        level = rng.gauss(87.0, 7.0)
        for year in (y for y in range(FIRST_YEAR, LAST_YEAR + 1) if y in self.ita.years):
            target = level + (year - FIRST_YEAR) * 1.0 + rng.gauss(0, 2.5)
            if rng.random() < 0.03:
                continue
            assessment_id = self.writer.next_id(Assessment)
            scores = []
            total = Decimal(0)
            for part in self.ita.parts:
                score = Decimal(min(100.0, max(0.0, rng.gauss(target, 4.0)))).quantize(CENT)
                points = (score * part.weight / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
                total += score * part.weight / HUNDRED
                scores.append(
                    {
                        "id": self.writer.next_id(AssessmentScore),
                        "assessment_id": assessment_id,
                        "key": part.key,
                        "score": score,
                        "published_points": points,
                    }
                )
            yield (
                {
                    "id": assessment_id,
                    "organization_id": org.id,
                    "year": year,
                    "model_key": self.ita.key,
                    "source": Source.PUBLISHED,
                    "published_total": total.quantize(CENT, rounding=ROUND_HALF_UP),
                },
                scores,
            )


def database_size() -> int:
    """Bytes the database takes: ``pg_database_size`` on PostgreSQL, the files on SQLite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    name = str(connection.settings_dict["NAME"])
    return sum(os.path.getsize(p) for p in (name, f"{name}-wal") if Path(p).exists())


def seed_country(
    n: int, seed: int, *, force: bool = False, batch: int = 200, out: Callable[[str], None] = print
) -> Seeded:
    """Build the synthetic country; SeedRefused (with what was found) on a database that is not for it."""
    if synthetic_organizations().exists():
        raise SeedRefused("seeded")
    if real_organizations().exists() and not force:
        raise SeedRefused("real")
    return Seeder(n, seed, batch=batch, out=out).run()
