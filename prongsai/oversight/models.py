"""Oversight: who follows which organisations (grants), and the per-organisation figures dashboards sum.

An ``OversightGrant`` gives one user read access over every organisation of an area: a district, a
province, an NACC region or the whole country (``organizations.access`` resolves it like a membership).
``OrgYearSummary`` and ``OrgYearAreaCount`` are pre-aggregated rows, one organisation and fiscal year
each, rebuilt by ``refresh.refresh_organization``; nothing else writes them and they are never the
source of truth (see docs/decisions/0015-oversight.md).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.geography.models import District, Province, Region
from prongsai.organizations.models import Organization


class Level(models.TextChoices):
    DISTRICT = "district", _("อำเภอ")
    PROVINCE = "province", _("จังหวัด")
    REGION = "region", _("ภาค")
    COUNTRY = "country", _("ทั้งประเทศ")


# The national system lets a province-level user mark items out of scope; regions and the country read.
REVIEWS_BY_DEFAULT = {Level.DISTRICT: True, Level.PROVINCE: True, Level.REGION: False, Level.COUNTRY: False}


class OversightGrant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oversight_grants",
        verbose_name=_("ผู้ใช้"),
    )
    level = models.CharField(_("ระดับ"), max_length=10, choices=Level.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("อำเภอ")
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("จังหวัด")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ภาค")
    )
    may_review = models.BooleanField(
        _("ตรวจความสอดคล้องของรายการในแผนได้"),
        default=False,
        help_text=_("ทำเครื่องหมายรายการที่ไม่สอดคล้องกับมิติของการป้องกันการทุจริต"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "level"]
        verbose_name = _("สิทธิ์กำกับดูแล")
        verbose_name_plural = _("สิทธิ์กำกับดูแล")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        level="district", district__isnull=False, province__isnull=True, region__isnull=True
                    )
                    | models.Q(
                        level="province", district__isnull=True, province__isnull=False, region__isnull=True
                    )
                    | models.Q(
                        level="region", district__isnull=True, province__isnull=True, region__isnull=False
                    )
                    | models.Q(
                        level="country", district__isnull=True, province__isnull=True, region__isnull=True
                    )
                ),
                name="oversight_grant_area_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.area_label}"

    @property
    def area_code(self) -> str:
        """The code of the area covered ("" for the country)."""
        return {
            Level.DISTRICT: self.district_id,
            Level.PROVINCE: self.province_id,
            Level.REGION: self.region_id,
        }.get(Level(self.level)) or ""

    @property
    def area_label(self) -> str:
        if self.level == Level.DISTRICT and self.district is not None:
            return str(self.district)
        if self.level == Level.PROVINCE and self.province is not None:
            return self.province.label_th
        if self.level == Level.REGION and self.region is not None:
            return self.region.name_th
        return str(_("ทั้งประเทศ"))

    def clean(self) -> None:
        needed = {Level.DISTRICT: "district", Level.PROVINCE: "province", Level.REGION: "region"}
        field = needed.get(Level(self.level)) if self.level in Level.values else None
        for name in ("district", "province", "region"):
            value = getattr(self, f"{name}_id")
            if name == field and not value:
                raise ValidationError({name: _("โปรดเลือกพื้นที่ที่กำกับดูแล")})
            if name != field and value:
                raise ValidationError({name: _("ระดับนี้ไม่ต้องระบุพื้นที่นี้")})

    def covers(self, organization: Organization) -> bool:
        district = organization.district
        return (
            self.level == Level.COUNTRY
            or (self.level == Level.REGION and district.province.region_id == self.region_id)
            or (self.level == Level.PROVINCE and district.province_id == self.province_id)
            or (self.level == Level.DISTRICT and district.pk == self.district_id)
        )


def covering(organization: Organization) -> models.Q:
    """The grants whose area contains ``organization`` (a filter on OversightGrant)."""
    province = organization.district.province
    return (
        models.Q(level=Level.COUNTRY)
        | models.Q(level=Level.REGION, region_id=province.region_id)
        | models.Q(level=Level.PROVINCE, province_id=province.pk)
        | models.Q(level=Level.DISTRICT, district_id=organization.district_id)
    )


class ScopeMark(models.Model):
    """An item a reviewer marked ไม่สอดคล้องกับมิติของการป้องกันการทุจริต: it counts nowhere for its organisation.

    Keyed by plan slug and item uid, so the mark holds across the plan's revisions.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="scope_marks")
    plan_slug = models.SlugField(max_length=40)
    item_uid = models.UUIDField()
    reason = models.TextField(_("เหตุผล"), max_length=2000)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "plan_slug", "marked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "plan_slug", "item_uid"], name="one_scope_mark_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.plan_slug}/{self.item_uid}"


class SubmissionState(models.TextChoices):
    ON_TIME = "on_time", _("ส่งตรงเวลา")
    LATE = "late", _("ส่งล่าช้า")
    OPEN = "open", _("ยังไม่ส่ง")  # missing once the due date has passed (decided when read)


def _money() -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))


class OrgYearSummary(models.Model):
    """One organisation's figures for one fiscal year (พ.ศ.), as the dashboards sum them."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="year_summaries")
    fiscal_year = models.PositiveIntegerField()
    # The plan of the cycle that contains the year (its newest revision's status, and whether any was).
    plan_slug = models.SlugField(max_length=40, blank=True)
    has_plan = models.BooleanField(default=False)
    approved = models.BooleanField(default=False)
    published = models.BooleanField(default=False)
    # Items of the newest published revision that count (marked out of scope ones excluded).
    items = models.PositiveIntegerField(default=0)
    out_of_scope = models.PositiveIntegerField(default=0)
    # Per round (6, 12): submitted = the round published; the counts of the round as reports/scores.py makes them.
    r6_state = models.CharField(max_length=10, choices=SubmissionState.choices, default=SubmissionState.OPEN)
    r6_due = models.DateField(null=True)
    r6_completed = models.PositiveIntegerField(default=0)
    r6_in_progress = models.PositiveIntegerField(default=0)
    r6_cannot = models.PositiveIntegerField(default=0)
    r12_state = models.CharField(max_length=10, choices=SubmissionState.choices, default=SubmissionState.OPEN)
    r12_due = models.DateField(null=True)
    r12_completed = models.PositiveIntegerField(default=0)
    r12_in_progress = models.PositiveIntegerField(default=0)
    r12_cannot = models.PositiveIntegerField(default=0)
    # Money of the year per dimension (มิติ 1–4): planned from the plan, ordinance and disbursed from the
    # latest published round.
    d1_planned = _money()
    d1_ordinance = _money()
    d1_disbursed = _money()
    d2_planned = _money()
    d2_ordinance = _money()
    d2_disbursed = _money()
    d3_planned = _money()
    d3_ordinance = _money()
    d3_disbursed = _money()
    d4_planned = _money()
    d4_ordinance = _money()
    d4_disbursed = _money()
    # The NACC's published ITA result of the year.
    ita_score = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    ita_grade = models.CharField(max_length=20, blank=True)
    ita_passed = models.BooleanField(null=True)
    ita_model = models.CharField(max_length=40, blank=True)  # the ITA model the result was scored by
    ita_weakest = models.CharField(max_length=20, blank=True)  # the key of its lowest-scoring part
    risks = models.PositiveIntegerField(default=0)
    complaints_received = models.PositiveIntegerField(default=0)
    complaints_answered_in_time = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "fiscal_year"], name="one_summary_per_org_year"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "organization"], name="summary_year_org")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.fiscal_year}"


class AreaSource(models.TextChoices):
    RISK = "risk", _("ความเสี่ยง")
    COMPLAINT = "complaint", _("เรื่องร้องเรียน")


class OrgYearAreaCount(models.Model):
    """How many risks (of the year's register) or complaints (received in the year) fall in a risk area."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=AreaSource.choices)
    area = models.CharField(max_length=60)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "source", "area"], name="one_count_per_area"
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year", "source"], name="area_count_year")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.fiscal_year} {self.source}:{self.area} {self.count}"
