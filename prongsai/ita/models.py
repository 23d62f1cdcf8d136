"""ITA results and self-assessment surveys.

``Assessment`` holds one set of results: as the NACC published them, or as a closed self-assessment
round produced them. Survey answers are anonymous by construction: ``SurveyResponse`` and ``Answer``
have no column that could hold a name, an IP address, a user agent or even the time of answering.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.ita import catalog
from prongsai.organizations.models import Organization
from prongsai.plans.models import FISCAL_YEAR_VALIDATORS

if TYPE_CHECKING:
    from prongsai.ita.scoring import Result

SCORE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Source(models.TextChoices):
    PUBLISHED = "published", _("ผลที่ ป.ป.ช. ประกาศ")
    SELF = "self", _("ผลการประเมินตนเอง")


class Tool(models.TextChoices):
    IIT = "IIT", _("ผู้มีส่วนได้ส่วนเสียภายใน (IIT)")
    EIT = "EIT", _("ผู้มีส่วนได้ส่วนเสียภายนอก (EIT)")


class Assessment(models.Model):
    """The ITA results of one organisation for one year (ปีงบประมาณ พ.ศ.) under one model."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="ita_assessments")
    year = models.PositiveIntegerField(_("ปีที่ประเมิน (พ.ศ.)"), validators=FISCAL_YEAR_VALIDATORS)
    model_key = models.CharField(_("แบบการประเมิน"), max_length=40)
    source = models.CharField(_("ที่มา"), max_length=20, choices=Source.choices)
    published_total = models.DecimalField(
        _("คะแนนรวมที่ประกาศ"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    note = models.CharField(_("หมายเหตุ"), max_length=500, blank=True)
    survey_round = models.OneToOneField(
        "SurveyRound", on_delete=models.PROTECT, null=True, blank=True, related_name="assessment"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "source", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=models.Q(source="published"),
                name="ita_one_published_result_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.model_key} ({self.source})"

    @property
    def model(self) -> catalog.ItaModel:
        return catalog.load_model(self.model_key)

    def result(self) -> Result:
        """Prongsai's computation beside the published figures. Uses prefetched ``scores`` when present."""
        from prongsai.ita.scoring import compute

        rows = list(self.scores.all())
        return compute(
            self.model,
            {row.key: row.score for row in rows},
            published_points={
                row.key: row.published_points for row in rows if row.published_points is not None
            },
            published_total=self.published_total,
        )


class AssessmentScore(models.Model):
    """The score (per cent) of one index or indicator, with the points where the publication gives them."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    key = models.CharField(max_length=20)
    # Four places: a self-assessment's score is a mean of means, kept less rounded than a published one.
    score = models.DecimalField(max_digits=7, decimal_places=4, validators=SCORE_VALIDATORS)
    published_points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="ita_one_score_per_part"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100), name="ita_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.score}"


class RoundStatus(models.TextChoices):
    OPEN = "open", _("เปิดรับคำตอบ")
    CLOSED = "closed", _("ปิดแล้ว")


class SurveyRound(models.Model):
    """An organisation's own dry run of the ITA: public survey links, the OIT checklist, live scores."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="ita_rounds")
    year = models.PositiveIntegerField(_("ปีที่ประเมิน (พ.ศ.)"), validators=FISCAL_YEAR_VALIDATORS)
    model_key = models.CharField(_("แบบการประเมิน"), max_length=40)
    title = models.CharField(_("ชื่อรอบการประเมิน"), max_length=200)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.title}"

    @property
    def model(self) -> catalog.ItaModel:
        return catalog.load_model(self.model_key)

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class SurveyLink(models.Model):
    """The public link (and QR code) of one questionnaire in a round. The token is the capability."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="links")
    tool = models.CharField(max_length=3, choices=Tool.choices)
    questionnaire_key = models.CharField(max_length=40)
    token = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["tool"]
        constraints = [models.UniqueConstraint(fields=["round", "tool"], name="ita_one_link_per_tool")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.tool}"

    @property
    def questionnaire(self) -> catalog.Questionnaire:
        return catalog.load_questionnaire(self.questionnaire_key)


class UsedTicket(models.Model):
    """The digest of a one-time answer ticket already used, as its own key: no time, no row number, and no
    link to the answers it carried."""

    digest = models.CharField(max_length=64, primary_key=True)
    link = models.ForeignKey(SurveyLink, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.digest[:12]


class LinkBudget(models.Model):
    """How many answers a survey link took in the current window (``prongsai.lib.ratelimit``).

    One row per link, overwritten when the window turns: no history of earlier windows is kept. Kept in
    the database so that the limit holds across server processes and restarts.
    """

    link = models.OneToOneField(SurveyLink, on_delete=models.CASCADE, primary_key=True, related_name="+")
    window = models.BigIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.link_id}: {self.hits}"


class Via(models.TextChoices):
    WEB = "web", _("ตอบผ่านลิงก์")
    IMPORT = "import", _("นำเข้าจากไฟล์")


class SurveyResponse(models.Model):
    """One respondent's answers to one questionnaire. Deliberately nothing about who, where or when.

    The key is a random UUID, so that not even the order of the rows' keys tells which answered first.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses", db_index=False)
    tool = models.CharField(max_length=3, choices=Tool.choices)
    via = models.CharField(max_length=10, choices=Via.choices)

    class Meta:
        indexes = [models.Index(fields=["round", "tool"], name="ita_response_round_tool")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.tool} #{self.pk}"


class Answer(models.Model):
    """The points (0–100, already reversed for negative items) one respondent gave one item.

    ``round`` repeats the response's round so that a round, or every round in the country, is scored
    by one GROUP BY over this table (and its scoring index) without a join. The key is a random UUID,
    as on ``SurveyResponse``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="+", db_index=False)
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    item = models.CharField(max_length=10)
    points = models.PositiveSmallIntegerField()

    class Meta:
        # The scoring index: GROUP BY (round, item) over SUM(points) reads it alone and in order, without
        # hashing (an index-only scan on PostgreSQL, a covering index on SQLite); it also serves the
        # foreign key to the round.
        indexes = [models.Index(fields=["round", "item", "points"], name="ita_answer_scoring")]
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="ita_one_answer_per_item"),
            models.CheckConstraint(condition=models.Q(points__lte=100), name="ita_points_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.item}={self.points}"


class ItemTally(models.Model):
    """The running count and sum of points of one item in one round: what scoring reads.

    Kept in the same transaction as the answers it counts (``prongsai.ita.tallies``), so that scoring a
    round, or every round in the country, reads a few dozen rows per round instead of every answer.
    It holds counts only: no respondent, no time, no order (its key is the round and the item).
    ``prongsai ita check-tallies`` recomputes it from the answers (docs/decisions/0004).
    """

    pk = models.CompositePrimaryKey("round", "item")
    # The key's own index (round, item) serves the foreign key too.
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="+", db_index=False)
    item = models.CharField(max_length=10)
    answers = models.PositiveIntegerField(default=0)
    points = models.PositiveBigIntegerField(default=0)  # the sum of the answers' points

    def __str__(self) -> str:
        return f"{self.round_id} {self.item}: {self.points}/{self.answers}"


class OitEntry(models.Model):
    """One OIT checklist item of a round: the public URL of the disclosure and whether it is complete."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="oit_entries")
    item = models.CharField(max_length=10)
    url = models.URLField(_("ที่อยู่เว็บของข้อมูลที่เผยแพร่"), max_length=1000, blank=True)
    complete = models.BooleanField(_("เผยแพร่ครบถ้วน"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "item"], name="ita_one_entry_per_oit_item"),
            models.CheckConstraint(
                condition=models.Q(complete=False) | ~models.Q(url=""), name="ita_complete_needs_url"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {'✓' if self.complete else '–'}"
