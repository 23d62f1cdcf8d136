"""Reports on carrying out a plan: one round per (plan, fiscal year, 6 or 12 months), one report per item.

A round belongs to a plan by its ``plan_slug`` (the plan across revisions) and reports against one
published revision (``plan``); an item's report is keyed by the item's ``uid``, never by its primary key,
so it survives a new revision (see docs/decisions/0010-reports.md).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.lib.evidence import EvidenceFile
from prongsai.organizations.models import Organization
from prongsai.plans.models import FISCAL_YEAR_VALIDATORS, MAX_TEXT_LENGTH, Plan, Versioned


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("ฉบับร่าง")
    APPROVED = "approved", _("อนุมัติแล้ว")
    PUBLISHED = "published", _("ประกาศแล้ว")


class RoundMonths(models.IntegerChoices):
    SIX = 6, _("รอบ ๖ เดือน")
    TWELVE = 12, _("รอบ ๑๒ เดือน")


class ItemStatus(models.TextChoices):
    """The national form's three statuses; an empty status means the item waits for its report."""

    IN_PROGRESS = "in_progress", _("อยู่ระหว่างดำเนินการ")
    COMPLETED = "completed", _("ดำเนินการแล้วเสร็จ")
    CANNOT = "cannot", _("ไม่สามารถดำเนินการได้")


class ReportRound(Versioned):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="report_rounds")
    plan_slug = models.SlugField(max_length=40)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="report_rounds")
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"), validators=FISCAL_YEAR_VALIDATORS)
    months = models.PositiveSmallIntegerField(_("รอบรายงาน"), choices=RoundMonths.choices)
    status = models.CharField(
        _("สถานะ"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    due_date = models.DateField(_("กำหนดส่ง"))
    is_illustrative = models.BooleanField(_("ตัวอย่างประกอบ"), default=False)
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
        ordering = ["plan_slug", "-fiscal_year", "-months"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "plan_slug", "fiscal_year", "months"], name="report_round_unique"
            ),
            models.CheckConstraint(condition=models.Q(months__in=[6, 12]), name="report_round_months"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.slug}/{self.plan_slug} {self.fiscal_year}/{self.months}"

    @property
    def key(self) -> str:
        """How the log and the command line name a round: ``2561-2564/2561/12``."""
        return f"{self.plan_slug}/{self.fiscal_year}/{self.months}"

    @property
    def plan_key(self) -> str:
        return f"{self.organization.slug}/{self.plan_slug}"

    @property
    def is_editable(self) -> bool:
        return self.status == RoundStatus.DRAFT


class ItemReport(Versioned):
    """One item's report in one round: every field of the national form, and what it lacks.

    Money is left empty (None) for an item that runs without a budget that year.
    """

    round = models.ForeignKey(ReportRound, on_delete=models.CASCADE, related_name="reports")
    item_uid = models.UUIDField()
    # What the item was called when last reported: kept for an item a later revision dropped.
    title = models.TextField(max_length=2000)
    out_of_scope = models.BooleanField(_("ไม่สอดคล้องกับมิติของการป้องกันการทุจริต"), default=False)
    ordinance_budget = models.DecimalField(
        _("งบประมาณตามข้อบัญญัติ/เทศบัญญัติ (บาท)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    disbursed = models.DecimalField(
        _("การเบิกจ่ายงบประมาณ (บาท)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    included = models.BooleanField(_("บรรจุไว้ในข้อบัญญัติ/เทศบัญญัติ/แผนการดำเนินงาน"), default=False)
    status = models.CharField(_("สถานะการดำเนินงาน"), max_length=20, choices=ItemStatus.choices, blank=True)
    reason = models.CharField(_("เหตุผลที่ดำเนินการไม่ได้"), max_length=40, blank=True)
    reason_text = models.CharField(_("เหตุผลอื่นๆ (ระบุ)"), max_length=500, blank=True)
    q1 = models.BooleanField(_("ไตรมาส ๑"), default=False)
    q2 = models.BooleanField(_("ไตรมาส ๒"), default=False)
    q3 = models.BooleanField(_("ไตรมาส ๓"), default=False)
    q4 = models.BooleanField(_("ไตรมาส ๔"), default=False)
    remark = models.CharField(_("หมายเหตุ"), max_length=1000, blank=True)
    narrative = models.TextField(_("ผลการดำเนินงานโดยสรุป"), max_length=MAX_TEXT_LENGTH, blank=True)
    # One entry per indicator of the item, in order: {"indicator", "target", "unit", "result"} as text,
    # copied from the plan when reported so that a later revision's indicators never change it.
    indicator_results = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "item_uid"], name="item_report_unique"),
            models.CheckConstraint(
                condition=models.Q(ordinance_budget__gte=0) | models.Q(ordinance_budget__isnull=True),
                name="report_ordinance_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(disbursed__gte=0) | models.Q(disbursed__isnull=True),
                name="report_disbursed_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title[:80]

    @property
    def quarters(self) -> list[int]:
        return [n for n, ran in enumerate((self.q1, self.q2, self.q3, self.q4), start=1) if ran]

    @property
    def is_reported(self) -> bool:
        return bool(self.status)


def _evidence_path(instance: Evidence, filename: str) -> str:
    # A random name: the original name is kept in the row, never used as a path.
    return f"evidence/{instance.report.round.organization_id}/{uuid.uuid4().hex}.{instance.extension}"


class Evidence(EvidenceFile):
    """A file attached to an item's report (photo, PDF, Word, Excel), kept through Django's storage API."""

    report = models.ForeignKey(ItemReport, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    is_public = models.BooleanField(_("เผยแพร่ต่อสาธารณะเมื่อประกาศรายงาน"), default=False)

    class Meta(EvidenceFile.Meta):
        pass


class PublishedReport(models.Model):
    """The report document (PDF) of a published round, exactly as published: laid out once when the round
    is published, kept in the database beside the round, served from these bytes and checked against the
    SHA-256 the log recorded (like ``documents.PublishedDocument`` for a plan)."""

    round = models.OneToOneField(ReportRound, on_delete=models.CASCADE, related_name="published_document")
    pdf = models.BinaryField(editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("เอกสารรายงานผลที่ประกาศ")
        verbose_name_plural = _("เอกสารรายงานผลที่ประกาศ")

    def __str__(self) -> str:
        return f"{self.round} {self.sha256[:12]}"
