from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeographyConfig(AppConfig):
    name = "prongsai.geography"
    label = "geography"
    verbose_name = _("ภูมิศาสตร์การปกครอง")
    default_auto_field = "django.db.models.BigAutoField"
