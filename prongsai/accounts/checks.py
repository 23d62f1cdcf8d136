"""System checks: sign-in throttling settings that would switch the throttle off are refused at start-up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_signin_throttle(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    for name in ("SIGNIN_MAX_FAILURES", "SIGNIN_CLIENT_MAX_FAILURES"):
        if getattr(settings, name) < 1:
            errors.append(
                Error(
                    f"{name} must be at least 1.",
                    hint="The default is 5 (20 per client).",
                    id="accounts.E001",
                )
            )
    if settings.SIGNIN_WINDOW_SECONDS < 60:
        errors.append(
            Error(
                "SIGNIN_WINDOW_SECONDS below 60 would let password guessing run almost unslowed.",
                hint="The default is 900 (15 minutes).",
                id="accounts.E002",
            )
        )
    return errors
