"""The API's JSON shapes. Field names are English and stable; Thai text is sent as stored.

Money is a decimal string with two places (``"20000.00"``), never a float; years are Buddhist Era
fiscal years (ปีงบประมาณ พ.ศ.) as integers; times are ISO 8601 with their offset.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from prongsai.organizations.models import OrganizationKind
from prongsai.plans.models import ItemKind

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_OFFSET = 100_000
MAX_TEXT_PARAM = 100

Money = Annotated[
    str,
    Field(
        pattern=r"^[0-9]+\.[0-9]{2}$",
        description="Baht, a decimal string with two places",
        examples=["20000.00"],
    ),
]
FiscalYear = Annotated[
    int, Field(ge=2500, le=2700, description="Thai fiscal year, Buddhist Era", examples=[2562])
]
OrgSlug = Annotated[
    str,
    Field(max_length=60, pattern=r"^[-a-zA-Z0-9_]+$", description="Organisation slug", examples=["wangphai"]),
]
PlanSlug = Annotated[
    str, Field(max_length=40, pattern=r"^[-a-zA-Z0-9_]+$", description="Plan slug", examples=["2561-2564"])
]
Revision = Annotated[int, Field(ge=1, le=100_000, description="Revision number (ฉบับแก้ไขที่)", examples=[1])]
TextParam = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_PARAM)]


# --- Query parameters ------------------------------------------------------------------------------


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Page size, at most {MAX_PAGE_SIZE}"
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many results to skip")


class OrganizationFilters(Schema):
    q: TextParam | None = Field(None, description="Part of the name, Thai or English", examples=["วังไผ่"])
    province: TextParam | None = Field(
        None, description="จังหวัด, Thai (with or without 'จังหวัด') or English", examples=["ชุมพร"]
    )
    district: TextParam | None = Field(
        None, description="อำเภอ, Thai (with or without 'อำเภอ') or English", examples=["เมืองชุมพร"]
    )
    kind: OrganizationKind | None = Field(None, description="Type of local government")


class PlanItemFilters(Schema):
    fiscal_year: FiscalYear | None = Field(None, description="Only items with a budget in this fiscal year")
    kind: ItemKind | None = Field(None, description="Only items of this kind")
    dimension: int | None = Field(None, ge=1, le=99, description="Only items of this dimension (มิติ) number")


class ItemSearchFilters(Schema):
    province: TextParam | None = Field(None, description="จังหวัด of the organisation", examples=["ชุมพร"])
    kind: ItemKind | None = Field(None, description="Only items of this kind")
    fiscal_year: FiscalYear | None = Field(None, description="Only items with a budget in this fiscal year")


class PlanPath(Schema):
    org: OrgSlug
    plan: PlanSlug


class RevisionPath(PlanPath):
    rev: Revision


class ItemPath(PlanPath):
    uid: uuid.UUID = Field(description="The item's uid, the same in every revision of the plan")


class RevisionItemPath(RevisionPath):
    uid: uuid.UUID = Field(description="The item's uid, the same in every revision of the plan")


# --- Answers -------------------------------------------------------------------------------------------


class FieldError(Schema):
    location: str = Field(examples=["query"])
    field: str = Field(examples=["limit"])
    message: str = Field(examples=["Input should be less than or equal to 100"])
    type: str = Field(examples=["less_than_equal"])


class Error(Schema):
    code: str = Field(description="Stable error code", examples=["plan_not_found"])
    detail: str = Field(description="The message in Thai", examples=["ไม่พบแผนฉบับที่ประกาศแล้วตามที่ขอ"])
    detail_en: str = Field(
        description="The message in English", examples=["No such published plan revision."]
    )
    errors: list[FieldError] | None = Field(None, description="One entry per invalid parameter (422 only)")


class Label(Schema):
    code: str = Field(examples=["subdistrict"])
    label_th: str = Field(examples=["เทศบาลตำบล"])
    label_en: str = Field(examples=["Subdistrict municipality"])


class Page(Schema):
    count: int = Field(description="Results in all pages")
    limit: int
    offset: int
    next: str | None = Field(description="Path of the next page, or null")
    previous: str | None = Field(description="Path of the previous page, or null")


class OrganizationLinks(Schema):
    self: str = Field(examples=["/api/v1/organizations/wangphai"])
    plans: str = Field(examples=["/api/v1/organizations/wangphai/plans"])
    ita: str = Field(examples=["/api/v1/organizations/wangphai/ita"])
    public_page: str = Field(examples=["/p/wangphai/"])


class Organization(Schema):
    slug: str = Field(examples=["wangphai"])
    name_th: str = Field(examples=["เทศบาลตำบลวังไผ่"])
    name_en: str = Field(examples=["Wang Phai Subdistrict Municipality"])
    kind: Label
    district_th: str = Field(description="อำเภอ", examples=["อำเภอเมืองชุมพร"])
    district_en: str = Field(examples=["Mueang Chumphon District"])
    province_th: str = Field(description="จังหวัด", examples=["จังหวัดชุมพร"])
    province_en: str = Field(examples=["Chumphon Province"])
    district_code: str = Field(description="รหัสอำเภอ (DOPA)", examples=["8601"])
    province_code: str = Field(description="รหัสจังหวัด (DOPA)", examples=["86"])
    last_published_at: datetime | None = Field(description="When its newest plan revision was published")
    links: OrganizationLinks


class OrganizationPage(Page):
    results: list[Organization]


class YearAmount(Schema):
    fiscal_year: int = Field(examples=[2562])
    amount: Money


class YearTotal(Schema):
    fiscal_year: int = Field(examples=[2562])
    amount: Money | None = Field(description="null: no item has a budget that year ('-' in Part 2)")


class KindCounts(Schema):
    project: int
    activity: int
    measure: int
    guideline: int


class Totals(Schema):
    """As in the Part 2 summary (สรุปจำนวนโครงการและงบประมาณ)."""

    item_count: int
    counts: KindCounts
    budgets: list[YearTotal] = Field(description="One entry per fiscal year of the plan")
    grand_total: Money | None = Field(description="All years together; null when no item has a budget")


class Indicator(Schema):
    description: str = Field(examples=["ร้อยละของผู้เข้าร่วมที่ผ่านการทดสอบ"])
    target: str | None = Field(description="Target value as a decimal string", examples=["80.00"])
    unit: str = Field(examples=["ร้อยละ"])


class ItemLinks(Schema):
    self: str


class ItemBase(Schema):
    uid: uuid.UUID = Field(description="Stable across revisions")
    kind: Label
    title: str
    dimension: int = Field(description="Dimension (มิติ) number", examples=[1])
    mission: str = Field(description="Mission (ภารกิจ) code", examples=["1.1.1"])
    responsible_unit: str
    note: str
    is_illustrative: bool = Field(description="An example item of the template, not a real commitment")
    budgets: list[YearAmount] = Field(description="Only the years with a budget")
    total: Money | None = Field(description="All years together; null when the item has no budget")
    indicators: list[Indicator]
    links: ItemLinks


class Item(ItemBase):
    number: int = Field(description="Its number within its mission: ๑) ๒) …", examples=[1])


class ItemDetails(Schema):
    """Part 3 (รายละเอียดโครงการ/กิจกรรม/มาตรการ)."""

    rationale: str
    objectives: str
    outputs: str
    area: str
    method: str
    duration: str
    responsible: str


class ItemWithDetails(Item):
    organization: str
    plan: str
    revision: int
    details: ItemDetails


class ItemPage(Page):
    results: list[Item]


class FoundItem(ItemBase):
    organization: str = Field(examples=["wangphai"])
    plan: str = Field(examples=["2561-2564"])
    revision: int = Field(examples=[1])


class FoundItemPage(Page):
    results: list[FoundItem]


class Mission(Schema):
    code: str = Field(examples=["1.1.1"])
    title_th: str
    title_en: str
    to_verify: bool = Field(description="Title not yet checked against the official text")
    items: list[Item]
    missions: list[Mission] = Field(description="Sub-missions (1.1 → 1.1.1)")


class Dimension(Schema):
    number: int = Field(examples=[1])
    title_th: str
    title_en: str
    totals: Totals
    missions: list[Mission]


class Document(Schema):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the published PDF")
    size: int = Field(description="Bytes")
    url: str = Field(
        description="Where the public portal serves the PDF",
        examples=["/p/wangphai/plans/2561-2564/r/1/plan.pdf"],
    )


class RevisionLinks(Schema):
    self: str
    items: str
    plan: str = Field(description="The plan's current revision")
    organization: str


class RevisionRef(Schema):
    revision: int
    title: str
    published_at: datetime | None
    links: RevisionLinks


class Plan(Schema):
    slug: str = Field(examples=["2561-2564"])
    title: str
    first_year: int = Field(examples=[2561])
    last_year: int = Field(examples=[2564])
    current_revision: int
    published_at: datetime | None = Field(description="When the current revision was published")
    revisions: list[RevisionRef] = Field(description="Every published revision, newest first")
    links: RevisionLinks


class PlanRevision(Schema):
    organization: str = Field(examples=["wangphai"])
    slug: str = Field(examples=["2561-2564"])
    revision: int
    is_current: bool = Field(description="Whether this is the plan's newest published revision")
    current_revision: int
    title: str
    first_year: int
    last_year: int
    fiscal_years: list[int]
    approved_at: datetime | None
    published_at: datetime | None
    document: Document | None = Field(description="The official PDF stored when it was published")
    totals: Totals
    dimensions: list[Dimension]
    links: RevisionLinks


class ItaModel(Schema):
    key: str = Field(examples=["ita-2562"])
    name_th: str
    name_en: str


class ItaPart(Schema):
    key: str = Field(examples=["I1"])
    name_th: str
    name_en: str
    weight: str = Field(description="Points this part carries")
    score: str = Field(description="Score in per cent, as published")
    points: str = Field(description="Points computed from the score and weight")
    published_points: str | None = Field(description="Points as published, when the publication gives them")


class ItaResult(Schema):
    year: int = Field(description="Year assessed, Buddhist Era", examples=[2566])
    model: ItaModel
    published_total: str | None = Field(description="Total as the NACC published it")
    total: str = Field(description="Total computed from the published scores")
    band_th: str = Field(description="Grade or level of the total")
    band_en: str
    passed: bool | None = Field(description="Against the model's pass mark; null for a model without one")
    parts: list[ItaPart]


# --- Progress reports ------------------------------------------------------------------------------

Months = Annotated[int, Field(ge=6, le=12, description="The round: 6 or 12 months", examples=[6])]
Percent = Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]{2}$", examples=["62.50"])]


class ReportCounts(Schema):
    """Items of a round by status; out-of-scope items and items no longer in the plan count nowhere."""

    items: int = Field(description="Items counted (in scope and still in the plan)")
    completed: int = Field(description="ดำเนินการแล้วเสร็จ")
    in_progress: int = Field(description="อยู่ระหว่างดำเนินการ")
    cannot: int = Field(description="ไม่สามารถดำเนินการได้")
    waiting: int = Field(description="รอรายงานผล: not reported yet")
    included: int = Field(description="Put in the budget ordinance / operating plan")
    out_of_scope: int
    no_longer_in_plan: int


class ReportTotals(Schema):
    planned: Money = Field(description="Budget in the plan for the round's fiscal year")
    ordinance: Money = Field(description="Budget in the ordinance (ข้อบัญญัติ/เทศบัญญัติ)")
    disbursed: Money
    disbursed_percent: Percent | None = Field(
        description="Disbursed over ordinance; null when nothing was budgeted"
    )


class ReportBand(Schema):
    key: str = Field(examples=["green"])
    title_th: str
    title_en: str


class ReportDimension(Schema):
    number: int
    title_th: str
    score: Percent
    counts: ReportCounts
    totals: ReportTotals


class ReportLinks(Schema):
    self: str
    page: str = Field(description="The round's public page")
    pdf: str
    docx: str
    csv: str


class ReportRound(Schema):
    plan: str = Field(examples=["2561-2564"])
    revision: int = Field(description="The plan revision the round reports against")
    fiscal_year: int = Field(examples=[2561])
    months: int = Field(examples=[6])
    published_at: datetime | None
    illustrative: bool = Field(description="Demonstration data, not real results")
    score: Percent = Field(description="(completed × 1 + in progress × 0.5) ÷ items × 100")
    band: ReportBand
    counts: ReportCounts
    totals: ReportTotals
    links: ReportLinks


class IndicatorResult(Schema):
    indicator: str
    target: str | None = Field(description="Target value as a decimal string")
    unit: str
    result: str | None = Field(description="Result as a decimal string; null when not reported")


class ItemReport(Schema):
    uid: uuid.UUID = Field(description="The item's uid (stable across plan revisions)")
    title: str
    dimension: int | None = Field(description="Null for an item the revision no longer has")
    mission: str | None
    counted: bool = Field(description="Whether the item counts in the score and sums")
    out_of_scope: bool
    status: str = Field(description="in_progress | completed | cannot, or empty when not reported")
    status_th: str
    reason: str = Field(description="Why it could not be carried out (the national list's title or the text)")
    included: bool
    quarters: list[int]
    planned: Money | None = Field(description="Null: no budget in the plan for the year")
    ordinance_budget: Money | None
    disbursed: Money | None
    indicator_results: list[IndicatorResult]
    narrative: str
    remark: str
    evidence: list[str] = Field(description="Public evidence files (URLs of the portal)")


class ReportRoundDetail(ReportRound):
    organization: str = Field(examples=["wangphai"])
    dimensions: list[ReportDimension]
    items: list[ItemReport]


# --- Corruption-risk registers ---------------------------------------------------------------------


class RiskLevel(Schema):
    key: str = Field(examples=["very_high"])
    title_th: str
    title_en: str


class RiskAssessment(Schema):
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    score: int = Field(description="likelihood × impact, computed, never typed")
    level: RiskLevel = Field(description="The band of the register's method that holds the score")


class RiskMeasure(Schema):
    title: str
    plan: str = Field(description="The linked plan's slug; empty for a standalone measure")
    item_uid: uuid.UUID | None = Field(description="The linked plan item's uid (stable across revisions)")
    owner: str
    due_date: date | None


class RiskMeasureResult(Schema):
    measure: str
    status: str = Field(description="done | in_progress | not_done, or empty when not reported")
    what_done: str
    evidence: list[str] = Field(description="Public evidence files (URLs of the portal)")


class RiskRoundResult(Schema):
    months: int = Field(examples=[6])
    published_at: datetime | None
    reassessed: RiskAssessment | None
    measures: list[RiskMeasureResult]


class RiskEntry(Schema):
    number: int
    process: str
    event: str
    cause: str
    area: str = Field(description="A key of the method's areas")
    area_th: str
    current: RiskAssessment
    residual: RiskAssessment = Field(description="The target after treatment")
    ita_indicator: str = Field(description="The ITA index key the risk answers; empty if none")
    complaints_cited: int = Field(
        description="How many of the organisation's complaints this assessment cites (which ones is not public)"
    )
    measures: list[RiskMeasure]
    monitoring: list[RiskRoundResult] = Field(
        description="The year's published monitoring rounds that assessed this risk (or the risk of an"
        " earlier revision it was copied from)"
    )


class RiskRegisterLinks(Schema):
    self: str
    page: str = Field(description="The register's public page")
    pdf: str
    docx: str
    csv: str


class RiskRegisterSummary(Schema):
    fiscal_year: int = Field(examples=[2562])
    revision: int = Field(
        examples=[1],
        description="The year's newest published revision (ฉบับที่); earlier ones are on the portal",
    )
    method: str = Field(examples=["lao-common-1"])
    published_at: datetime | None
    illustrative: bool = Field(description="Demonstration data, not a real assessment")
    risks: int
    links: RiskRegisterLinks


class RiskRegisterDetail(RiskRegisterSummary):
    organization: str = Field(examples=["wangphai"])
    entries: list[RiskEntry]


# --- Complaint statistics ---------------------------------------------------------------------------

Count = Annotated[int, Field(ge=0)]


class ComplaintCounts(Schema):
    """Counts of the cases received in the month or period, as they stand on ``as_of``."""

    received: Count = Field(description="Complaints received (by day of receipt)")
    completed: Count = Field(description="Answered, closed, referred or outside remit")
    in_progress: Count = Field(
        description="Received, acknowledged or under investigation: received − completed"
    )
    referred: Count = Field(
        description="Referred to another body (NACC, PACC, the province …); part of completed"
    )
    outside_remit: Count = Field(description="Not within the organisation's remit; part of completed")
    answered_within_15_days: Count = Field(description="First answer at most 15 calendar days after receipt")
    overdue_unanswered: Count = Field(description="Not completed, no first answer, 15 days passed")


class ComplaintMonth(ComplaintCounts):
    month: str = Field(
        pattern=r"^[0-9]{4}-[0-9]{2}$", description="Gregorian year and month", examples=["2025-10"]
    )
    name_th: str = Field(examples=["ตุลาคม 2568"])
    first_day: date
    last_day: date
    come: bool = Field(description="False for a month that starts after as_of (its zeros claim nothing)")


class ComplaintPeriod(ComplaintCounts):
    months: int = Field(description="6 (October to March) or 12 (the fiscal year)", examples=[6])
    first_day: date
    last_day: date
    ended: bool = Field(description="The period's last day is before as_of")


class ComplaintStatisticsLinks(Schema):
    self: str
    page: str = Field(description="The statistics' public page")
    csv: str = Field(description="The same figures as open data (CSV)")


class ComplaintStatistics(Schema):
    organization: str = Field(examples=["wangphai"])
    fiscal_year: int = Field(examples=[2569])
    as_of: date = Field(description="The day the counts stand on (today, Asia/Bangkok)")
    months: list[ComplaintMonth] = Field(description="Always twelve, October first; zeros when none")
    first_6_months: ComplaintPeriod
    twelve_months: ComplaintPeriod
    years: list[int] = Field(description="Every fiscal year with statistics, newest first")
    links: ComplaintStatisticsLinks
