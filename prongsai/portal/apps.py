from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "prongsai.portal"
    label = "portal"
    verbose_name = "Public portal"
