"""The plan: Part 1 content, the dimension structure made from a template, and the items of Parts 2 and 3.

Years are Thai fiscal years in the Buddhist Era (ปีงบประมาณ พ.ศ.), stored as that integer in fields
whose names end in ``_year``: FY 2561 runs from 1 October 2017 to 30 September 2018.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.organizations.models import Organization

MAX_TITLE_LENGTH = 2000
MAX_TEXT_LENGTH = 20000
FISCAL_YEAR_VALIDATORS = [MinValueValidator(2500), MaxValueValidator(2700)]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("ฉบับร่าง")
    SUBMITTED = "submitted", _("เสนออนุมัติแล้ว")
    APPROVED = "approved", _("อนุมัติแล้ว")
    PUBLISHED = "published", _("ประกาศแล้ว")


class Digits(models.TextChoices):
    THAI = "thai", _("เลขไทย")
    ARABIC = "arabic", _("เลขอารบิก")


class Versioned(models.Model):
    """A row whose edit forms carry the version they were loaded from, so a stale save is refused.

    ``version`` starts at 1 and every save of an existing row adds one (every write to these rows is
    an audited action, so every audited write bumps it). Actions compare it under the row lock.
    """

    version = models.PositiveIntegerField(_("รุ่นที่บันทึก"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "version"]
        super().save(*args, **kwargs)


class Plan(Versioned):
    """One revision of an organisation's four-year plan. ``slug`` names the plan across its revisions."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="plans")
    slug = models.SlugField(_("รหัสแผน"), max_length=40)
    revision = models.PositiveIntegerField(_("ฉบับแก้ไขที่"), default=1)
    title = models.CharField(_("ชื่อแผน"), max_length=500)
    first_year = models.PositiveIntegerField(_("ปีงบประมาณแรก (พ.ศ.)"), validators=FISCAL_YEAR_VALIDATORS)
    last_year = models.PositiveIntegerField(_("ปีงบประมาณสุดท้าย (พ.ศ.)"), validators=FISCAL_YEAR_VALIDATORS)
    template_key = models.CharField(_("แม่แบบ"), max_length=60)
    status = models.CharField(_("สถานะ"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    digits = models.CharField(_("ตัวเลขที่แสดง"), max_length=10, choices=Digits.choices, default=Digits.THAI)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "slug", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug", "revision"], name="plan_revision_unique"),
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")), name="plan_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.slug}/{self.slug} r{self.revision}"

    @property
    def key(self) -> str:
        return f"{self.organization.slug}/{self.slug}"

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT


class Part1Entry(Versioned):
    """One paragraph or list entry of Part 1 (บทนำ), in a section named by ``section`` (see part1.py)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="part1_entries")
    section = models.CharField(max_length=40)
    position = models.PositiveIntegerField()
    text = models.TextField(max_length=MAX_TEXT_LENGTH)

    class Meta:
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "section", "position"], name="part1_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.section}[{self.position}] {self.text[:40]}"


class Dimension(models.Model):
    """มิติ: one of the plan's top-level dimensions, copied from the template when the plan is made."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="dimensions")
    number = models.PositiveIntegerField()
    title_th = models.CharField(max_length=500)
    title_en = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="dimension_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title_th}"


class Mission(models.Model):
    """ภารกิจตามมิติ: a sub-dimension (1.1) or sub-sub-dimension (1.1.1) under which items sit."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="missions")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="missions")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(max_length=20)
    position = models.PositiveIntegerField()
    title_th = models.CharField(max_length=1000)
    title_en = models.CharField(max_length=1000, blank=True)
    to_verify = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="mission_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title_th}"


class ItemKind(models.TextChoices):
    PROJECT = "project", _("โครงการ")
    ACTIVITY = "activity", _("กิจกรรม")
    MEASURE = "measure", _("มาตรการ")
    GUIDELINE = "guideline", _("แนวปฏิบัติ")


class PlanItem(Versioned):
    """A project, activity, measure or guideline of Part 2, with its Part 3 detail sheet.

    ``uid`` names the item across the plan's revisions: a new revision copies it, so reports, public
    pages and the API can follow one project from revision to revision (positions and ids change).
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(_("ประเภท"), max_length=20, choices=ItemKind.choices)
    title = models.TextField(_("ชื่อโครงการ/กิจกรรม/มาตรการ"), max_length=MAX_TITLE_LENGTH)
    responsible_unit = models.CharField(_("หน่วยงานที่รับผิดชอบ"), max_length=300, blank=True)
    note = models.CharField(_("หมายเหตุ"), max_length=500, blank=True)
    is_illustrative = models.BooleanField(_("ตัวอย่างประกอบ"), default=False)
    # Part 3 (รายละเอียดโครงการ/กิจกรรม/มาตรการ)
    rationale = models.TextField(_("หลักการและเหตุผล"), max_length=MAX_TEXT_LENGTH, blank=True)
    objectives = models.TextField(_("วัตถุประสงค์"), max_length=MAX_TEXT_LENGTH, blank=True)
    outputs = models.TextField(_("เป้าหมาย/ผลผลิต"), max_length=MAX_TEXT_LENGTH, blank=True)
    area = models.TextField(_("พื้นที่ดำเนินการ"), max_length=MAX_TEXT_LENGTH, blank=True)
    method = models.TextField(_("วิธีดำเนินการ"), max_length=MAX_TEXT_LENGTH, blank=True)
    duration = models.TextField(_("ระยะเวลาดำเนินการ"), max_length=MAX_TEXT_LENGTH, blank=True)
    responsible = models.TextField(_("ผู้รับผิดชอบโครงการ"), max_length=MAX_TEXT_LENGTH, blank=True)

    class Meta:
        ordering = ["mission__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "position"], name="item_position_unique"),
            models.UniqueConstraint(fields=["plan", "uid"], name="item_uid_unique"),
        ]

    def __str__(self) -> str:
        return self.title[:80]


class ItemBudget(models.Model):
    """The budget of an item in one fiscal year. No row for a year means it runs without a budget ("-")."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="budgets")
    fiscal_year = models.PositiveIntegerField(validators=FISCAL_YEAR_VALIDATORS)
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))])

    class Meta:
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["item", "fiscal_year"], name="one_budget_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.amount}"


class Indicator(models.Model):
    """ตัวชี้วัด/ผลลัพธ์: one indicator of an item with its target value and unit."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField()
    description = models.CharField(_("ตัวชี้วัด"), max_length=1000)
    target_value = models.DecimalField(_("ค่าเป้าหมาย"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("หน่วยนับ"), max_length=100, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.description[:80]
