from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "prongsai.audit"
    verbose_name = _("บันทึกการเปลี่ยนแปลง")
