"""The corruption-risk register: one per organisation and fiscal year, its risks and their measures.

Score and level are never stored: they are computed from likelihood × impact with the register's
method (``method.py``), so a corrected band in the data file shows at once and no one can type a level.
A measure either points at an item of the organisation's plan by (plan slug, item uid) — the uid is
kept across revisions, so the link survives a new revision — or stands alone with its own owner and
dates (see docs/decisions/0011-risk-register.md).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.lib.evidence import EvidenceFile
from prongsai.organizations.models import Organization
from prongsai.plans.models import FISCAL_YEAR_VALIDATORS, Versioned
from prongsai.risks.method import DEFAULT_METHOD, Level, Method, method

SCALE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class RegisterStatus(models.TextChoices):
    DRAFT = "draft", _("ฉบับร่าง")
    APPROVED = "approved", _("อนุมัติแล้ว")
    PUBLISHED = "published", _("ประกาศแล้ว")


class RiskRegister(Versioned):
    """One revision (ฉบับที่) of an organisation's register for a fiscal year.

    Revision 1 is opened empty; each later one copies the latest published revision (``revise_register``)
    so a register can be amended mid-year. A published revision never changes; the year's public register
    is its newest published revision. At most one revision of a year is unpublished at a time."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="risk_registers")
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"), validators=FISCAL_YEAR_VALIDATORS)
    revision = models.PositiveIntegerField(_("ฉบับที่"), default=1)
    method_key = models.CharField(_("วิธีประเมิน"), max_length=40, default=DEFAULT_METHOD)
    status = models.CharField(
        _("สถานะ"), max_length=20, choices=RegisterStatus.choices, default=RegisterStatus.DRAFT
    )
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
        ordering = ["-fiscal_year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "revision"], name="risk_register_revision_unique"
            ),
            # One revision of a year in preparation at a time: two revise calls cannot both succeed.
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                condition=~models.Q(status="published"),
                name="risk_register_one_unpublished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.slug}/risks/{self.fiscal_year} r{self.revision}"

    @property
    def key(self) -> str:
        """How the log and the command line name a register (every revision of the year): ``risks/2562``."""
        return f"risks/{self.fiscal_year}"

    @property
    def method(self) -> Method:
        return method(self.method_key)

    @property
    def is_editable(self) -> bool:
        return self.status == RegisterStatus.DRAFT


class Risk(Versioned):
    """One row of the register: ประเด็นความเสี่ยง with its assessment, owner, indicator and target."""

    register = models.ForeignKey(RiskRegister, on_delete=models.CASCADE, related_name="risks")
    # The risk of the published revision this one was copied from (None in revision 1 or when added in a
    # later revision): an exported file's row of the published revision finds its copy through it.
    source = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies", editable=False
    )
    position = models.PositiveIntegerField(default=1)
    process = models.CharField(_("กระบวนงาน/งานบริการ"), max_length=500)
    event = models.TextField(_("เหตุการณ์ความเสี่ยง"), max_length=2000)
    cause = models.TextField(_("สาเหตุ"), max_length=2000, blank=True)
    area = models.CharField(_("ด้านความเสี่ยง"), max_length=40)
    existing_controls = models.TextField(_("การควบคุมที่มีอยู่"), max_length=2000, blank=True)
    likelihood = models.PositiveSmallIntegerField(_("โอกาส"), validators=SCALE_VALIDATORS)
    impact = models.PositiveSmallIntegerField(_("ผลกระทบ"), validators=SCALE_VALIDATORS)
    residual_likelihood = models.PositiveSmallIntegerField(_("โอกาสหลังจัดการ"), validators=SCALE_VALIDATORS)
    residual_impact = models.PositiveSmallIntegerField(_("ผลกระทบหลังจัดการ"), validators=SCALE_VALIDATORS)
    owner_unit = models.CharField(_("หน่วยงานที่รับผิดชอบ"), max_length=300, blank=True)
    owner_person = models.CharField(_("ผู้รับผิดชอบ"), max_length=300, blank=True)
    indicator = models.CharField(_("ตัวบ่งชี้"), max_length=1000, blank=True)
    target = models.CharField(_("ค่าเป้าหมาย"), max_length=300, blank=True)
    due_date = models.DateField(_("กำหนดแล้วเสร็จ"), null=True, blank=True)
    ita_indicator = models.CharField(_("ตัวชี้วัด ITA ที่เกี่ยวข้อง"), max_length=40, blank=True)
    # The complaints this assessment rests on: their officer references (complaints.Case.reference), no
    # content. Written by risks.actions.cite_complaints; the public sees how many, not which.
    complaint_refs = models.JSONField(_("เรื่องร้องเรียนที่อ้างอิง"), default=list, blank=True)

    class Meta:
        ordering = ["register", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_scale",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    residual_likelihood__gte=1,
                    residual_likelihood__lte=5,
                    residual_impact__gte=1,
                    residual_impact__lte=5,
                ),
                name="risk_residual_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.event[:60]

    @property
    def score(self) -> int:
        return Method.score(self.likelihood, self.impact)

    @property
    def level(self) -> Level:
        return self.register.method.level(self.score)

    @property
    def residual_score(self) -> int:
        return Method.score(self.residual_likelihood, self.residual_impact)

    @property
    def residual_level(self) -> Level:
        return self.register.method.level(self.residual_score)


class Measure(Versioned):
    """A treatment: a plan item by (plan slug, item uid), or standalone with its own owner and dates."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="measures")
    source = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies", editable=False
    )
    position = models.PositiveIntegerField(default=1)
    plan_slug = models.SlugField(_("รหัสแผน"), max_length=40, blank=True)
    item_uid = models.UUIDField(_("รายการในแผน"), null=True, blank=True)
    title = models.CharField(_("มาตรการ"), max_length=1000)
    owner = models.CharField(_("ผู้รับผิดชอบ"), max_length=300, blank=True)
    start_date = models.DateField(_("วันเริ่ม"), null=True, blank=True)
    due_date = models.DateField(_("กำหนดแล้วเสร็จ"), null=True, blank=True)
    done = models.BooleanField(_("ดำเนินการแล้วเสร็จ"), default=False)

    class Meta:
        ordering = ["risk", "position", "id"]
        constraints = [
            models.CheckConstraint(
                # Linked (both parts of the link) or standalone (neither), never half a link.
                condition=models.Q(plan_slug="", item_uid__isnull=True)
                | (~models.Q(plan_slug="") & models.Q(item_uid__isnull=False)),
                name="risk_measure_link_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.title[:60]

    @property
    def is_linked(self) -> bool:
        return self.item_uid is not None

    def is_overdue(self, today: dt.date) -> bool:
        return not self.done and self.due_date is not None and self.due_date < today


# --- Monitoring: the report on managing corruption risk, per round (6 and 12 months) ---------------


class RoundMonths(models.IntegerChoices):
    """The same rounds as the implementation reports (``reports/rules.py`` gives their periods)."""

    SIX = 6, _("รอบ ๖ เดือน")
    TWELVE = 12, _("รอบ ๑๒ เดือน")


class MeasureStatus(models.TextChoices):
    DONE = "done", _("ดำเนินการแล้ว")
    IN_PROGRESS = "in_progress", _("อยู่ระหว่างดำเนินการ")
    NOT_DONE = "not_done", _("ยังไม่ได้ดำเนินการ")


class MonitoringRound(Versioned):
    """One round of monitoring a published register: a report per measure and a re-assessment per risk."""

    register = models.ForeignKey(RiskRegister, on_delete=models.PROTECT, related_name="rounds")
    months = models.PositiveSmallIntegerField(_("รอบการติดตาม"), choices=RoundMonths.choices)
    status = models.CharField(
        _("สถานะ"), max_length=20, choices=RegisterStatus.choices, default=RegisterStatus.DRAFT
    )
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
        ordering = ["register", "months"]
        constraints = [
            models.UniqueConstraint(fields=["register", "months"], name="risk_round_unique"),
            models.CheckConstraint(condition=models.Q(months__in=[6, 12]), name="risk_round_months"),
        ]

    def __str__(self) -> str:
        return f"{self.register}/{self.months}"

    @property
    def key(self) -> str:
        """How the log names a round: ``risks/2562/6``."""
        return f"{self.register.key}/{self.months}"

    @property
    def is_editable(self) -> bool:
        return self.status == RegisterStatus.DRAFT


class RiskReview(Versioned):
    """A risk re-assessed in a round: likelihood × impact as found (empty until the planner fills it)."""

    round = models.ForeignKey(MonitoringRound, on_delete=models.CASCADE, related_name="reviews")
    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="reviews")
    likelihood = models.PositiveSmallIntegerField(
        _("โอกาส (ประเมินซ้ำ)"), validators=SCALE_VALIDATORS, null=True, blank=True
    )
    impact = models.PositiveSmallIntegerField(
        _("ผลกระทบ (ประเมินซ้ำ)"), validators=SCALE_VALIDATORS, null=True, blank=True
    )

    class Meta:
        ordering = ["round", "risk__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "risk"], name="risk_review_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(likelihood__isnull=True, impact__isnull=True)
                    | models.Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5)
                ),
                name="risk_review_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.risk}"

    @property
    def is_filled(self) -> bool:
        return self.likelihood is not None and self.impact is not None

    @property
    def score(self) -> int | None:
        if self.likelihood is None or self.impact is None:
            return None
        return Method.score(self.likelihood, self.impact)

    @property
    def level(self) -> Level | None:
        score = self.score
        return None if score is None else self.round.register.method.level(score)


class MeasureReport(Versioned):
    """What was done about one measure in a round, with its evidence."""

    round = models.ForeignKey(MonitoringRound, on_delete=models.CASCADE, related_name="reports")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("ผลการดำเนินการ"), max_length=20, choices=MeasureStatus.choices, blank=True)
    what_done = models.TextField(_("สิ่งที่ดำเนินการ"), max_length=2000, blank=True)

    class Meta:
        ordering = ["round", "measure__risk__position", "measure__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "measure"], name="risk_measure_report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.measure}"


def _evidence_path(instance: MonitoringEvidence, filename: str) -> str:
    # A random name: the original name is kept in the row, never used as a path.
    organization_id = instance.report.round.register.organization_id
    return f"risk-evidence/{organization_id}/{uuid.uuid4().hex}.{instance.extension}"


class MonitoringEvidence(EvidenceFile):
    """A file attached to a measure's report (photo, PDF, Word, Excel), kept through Django's storage API."""

    report = models.ForeignKey(MeasureReport, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    is_public = models.BooleanField(_("เผยแพร่ต่อสาธารณะเมื่อประกาศผลการติดตาม"), default=False)

    class Meta(EvidenceFile.Meta):
        pass
