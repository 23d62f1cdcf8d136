from importlib import import_module
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def check_rules(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """reports.E001: the reporting rules file (due dates, reasons, bands) must load."""
    from prongsai.reports.rules import RulesError, rules_file
    from prongsai.reports.rules import _load as load

    try:
        load(rules_file())
    except RulesError as error:
        return [checks.Error(f"reporting rules: {error}", id="reports.E001")]
    return []


def check_storage(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """reports.E002: evidence kept in S3 (PRONGSAI_STORAGE=s3) needs the ``s3`` extra installed."""
    from django.conf import settings

    backend = str(settings.STORAGES["default"]["BACKEND"])
    if not backend.startswith("storages."):
        return []
    try:
        import_module(backend.rsplit(".", 1)[0])
    except ImportError as error:
        return [
            checks.Error(
                f"PRONGSAI_STORAGE=s3 needs django-storages and boto3: pip install 'prongsai[s3]' ({error})",
                id="reports.E002",
            )
        ]
    return []


class ReportsConfig(AppConfig):
    name = "prongsai.reports"
    verbose_name = _("รายงานผลการดำเนินงาน")

    def ready(self) -> None:
        from prongsai.reports import audit_state

        audit_state.register()
        checks.register(check_rules)
        checks.register(check_storage)
