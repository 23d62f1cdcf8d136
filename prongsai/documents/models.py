"""The PDF of a published plan revision, kept exactly as published so anyone can check a copy by its SHA-256."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.plans.models import Plan


class PublishedDocument(models.Model):
    """The official PDF of one published plan revision. Stored in the database beside the plan, so a backup
    of the database is a backup of what was published; ``sha256`` is shown next to the download."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="published_document")
    pdf = models.BinaryField(editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)  # looked up by /verify/
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("เอกสารแผนที่ประกาศ")
        verbose_name_plural = _("เอกสารแผนที่ประกาศ")

    def __str__(self) -> str:
        return f"{self.plan} {self.sha256[:12]}"
