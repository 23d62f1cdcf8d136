from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from prongsai.accounts import throttle


def wait_message(seconds: int) -> str:
    if seconds < 60:
        return ngettext(
            "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป โปรดลองใหม่ในอีก %(seconds)s วินาที",
            "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป โปรดลองใหม่ในอีก %(seconds)s วินาที",
            seconds,
        ) % {"seconds": seconds}
    minutes = -(-seconds // 60)
    return ngettext(
        "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป โปรดลองใหม่ในอีก %(minutes)s นาที",
        "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป โปรดลองใหม่ในอีก %(minutes)s นาที",
        minutes,
    ) % {"minutes": minutes}


class SignInForm(AuthenticationForm):
    """Django's sign-in form with every attempt counted by ``throttle`` before the password is checked."""

    attempt: throttle.Attempt | None = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (username and password and self.request is not None):
            return super().clean()  # a field is missing: its error is shown, no password is checked
        self.attempt = throttle.begin(self.request, username)
        if self.attempt.refused:
            raise ValidationError(wait_message(self.attempt.wait_seconds), code="throttled")
        return super().clean()

    @property
    def throttled(self) -> bool:
        return self.attempt is not None and self.attempt.refused
