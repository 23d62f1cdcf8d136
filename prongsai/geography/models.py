"""The map of the country as data: NACC regions, provinces, districts and sub-districts by official code.

Rows come from the versioned files in ``data/`` (see ``data/SOURCE.md``), loaded by ``load.load_country``;
the official DOPA codes are the primary keys, so an organisation's place and every oversight grant name a
code that means the same thing in every installation.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A regional office of the NACC (สำนักงาน ป.ป.ช. ภาค): the provinces it follows."""

    code = models.CharField(_("รหัส"), max_length=4, primary_key=True)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=100)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=100, blank=True)
    verify = models.BooleanField(_("ยังต้องตรวจสอบกับเอกสารทางการ"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ภาค (สำนักงาน ป.ป.ช. ภาค)")
        verbose_name_plural = _("ภาค (สำนักงาน ป.ป.ช. ภาค)")

    def __str__(self) -> str:
        return self.name_th


class Province(models.Model):
    code = models.CharField(_("รหัสจังหวัด"), max_length=2, primary_key=True)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=100)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="provinces",
        null=True,
        blank=True,
        verbose_name=_("ภาค"),
    )

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("จังหวัด")
        verbose_name_plural = _("จังหวัด")

    def __str__(self) -> str:
        return self.name_th

    @property
    def label_th(self) -> str:
        """How documents name it: จังหวัดชุมพร; Bangkok is named as it is."""
        return self.name_th if self.code == "10" else f"จังหวัด{self.name_th}"

    @property
    def label_en(self) -> str:
        return self.name_en if self.code == "10" else f"{self.name_en} Province"


class District(models.Model):
    """An อำเภอ (a เขต in Bangkok)."""

    code = models.CharField(_("รหัสอำเภอ"), max_length=4, primary_key=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("จังหวัด")
    )
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=100)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("อำเภอ")
        verbose_name_plural = _("อำเภอ")

    def __str__(self) -> str:
        return f"{self.label_th} {self.province.label_th}"

    @property
    def label_th(self) -> str:
        """อำเภอเมืองชุมพร; Bangkok's เขต names already carry the word."""
        return self.name_th if self.name_th.startswith("เขต") else f"อำเภอ{self.name_th}"

    @property
    def label_en(self) -> str:
        if not self.name_en:
            return ""
        return self.name_en if self.name_en.startswith("Khet") else f"{self.name_en} District"


class SubDistrict(models.Model):
    """A ตำบล (a แขวง in Bangkok)."""

    code = models.CharField(_("รหัสตำบล"), max_length=6, primary_key=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="subdistricts", verbose_name=_("อำเภอ")
    )
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=100)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=100, blank=True)
    postcode = models.CharField(_("รหัสไปรษณีย์"), max_length=5, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ตำบล")
        verbose_name_plural = _("ตำบล")

    def __str__(self) -> str:
        return self.name_th
