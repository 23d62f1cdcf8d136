from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def check_methods(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """risks.E001: every risk-method file in risks/data, and the default one, must load."""
    from prongsai.risks.method import DEFAULT_METHOD, MethodError, available, method

    problems: list[checks.CheckMessage] = []
    keys = available()
    if DEFAULT_METHOD not in keys:
        problems.append(checks.Error(f"risk method {DEFAULT_METHOD} is missing", id="risks.E001"))
    for key in keys:
        try:
            method(key)
        except MethodError as error:
            problems.append(checks.Error(f"risk method {key}: {error}", id="risks.E001"))
    return problems


class RisksConfig(AppConfig):
    name = "prongsai.risks"
    verbose_name = _("ทะเบียนความเสี่ยงการทุจริต")

    def ready(self) -> None:
        from prongsai.risks import audit_state

        audit_state.register()
        checks.register(check_methods)
