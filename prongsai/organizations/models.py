"""Local governments (the tenants) and who belongs to them in which role."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    PAO = "pao", _("องค์การบริหารส่วนจังหวัด")
    CITY_MUNICIPALITY = "city", _("เทศบาลนคร")
    TOWN_MUNICIPALITY = "town", _("เทศบาลเมือง")
    SUBDISTRICT_MUNICIPALITY = "subdistrict", _("เทศบาลตำบล")
    SAO = "sao", _("องค์การบริหารส่วนตำบล")
    SPECIAL = "special", _("องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ")


# Slugs that name a site-wide page below /p/ or /o/ rather than an organisation: /p/complaints/ is
# where a reporter comes back with a receipt, whichever organisation the complaint went to.
RESERVED_SLUGS = frozenset({"complaints"})


def validate_not_reserved(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("รหัส “%(slug)s” สงวนไว้สำหรับระบบ โปรดใช้รหัสอื่น"), params={"slug": value})


class Organization(models.Model):
    """One local government (องค์กรปกครองส่วนท้องถิ่น): every piece of plan data belongs to one."""

    slug = models.SlugField(_("รหัสในที่อยู่เว็บ"), max_length=60, unique=True, validators=[validate_not_reserved])
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=200)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=200, blank=True)
    kind = models.CharField(_("ประเภท"), max_length=20, choices=OrganizationKind.choices)
    district_th = models.CharField(_("อำเภอ"), max_length=100)
    province_th = models.CharField(_("จังหวัด"), max_length=100)
    district_en = models.CharField(_("อำเภอ (ภาษาอังกฤษ)"), max_length=100, blank=True)
    province_en = models.CharField(_("จังหวัด (ภาษาอังกฤษ)"), max_length=100, blank=True)
    # Four eyes: whoever last wrote a plan cannot also approve it -- unless the organisation says it
    # has one person to do both (a small office), which the site administrator records here.
    one_person_office = models.BooleanField(
        _("ผู้จัดทำและผู้อนุมัติเป็นคนเดียวกันได้"),
        default=False,
        help_text=_("เลือกเฉพาะเมื่อหน่วยงานมีเจ้าหน้าที่เพียงคนเดียวที่ทั้งจัดทำและอนุมัติแผน"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("องค์กรปกครองส่วนท้องถิ่น")
        verbose_name_plural = _("องค์กรปกครองส่วนท้องถิ่น")

    def __str__(self) -> str:
        return self.name_th


class Role(models.TextChoices):
    PLANNER = "planner", _("ผู้จัดทำแผน")
    APPROVER = "approver", _("ผู้บริหาร (อนุมัติ)")
    AUDITOR = "auditor", _("ผู้ตรวจสอบภายใน")
    VIEWER = "viewer", _("ผู้อ่าน")
    COMPLAINTS = "complaints", _("เจ้าหน้าที่รับเรื่องร้องเรียน")


class Membership(models.Model):
    """A user's role in one organisation.

    Oversight roles that read many organisations (a province, the whole country) will be a separate
    grant over a set of organisations, not a membership of each: see docs/architecture.md.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org"),
        ]
        verbose_name = _("สมาชิก")
        verbose_name_plural = _("สมาชิก")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization.slug} ({self.role})"
