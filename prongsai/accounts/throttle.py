"""Sign-in throttling: after SIGNIN_MAX_FAILURES failures within SIGNIN_WINDOW_SECONDS a user name is locked
for the rest of the window, whatever the password. Keyed by user name, not address, so that no
visitor's IP address is stored."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from prongsai.accounts.models import SignInFailure


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def _window_start() -> datetime:
    return timezone.now() - timedelta(seconds=settings.SIGNIN_WINDOW_SECONDS)


def is_locked(username: str) -> bool:
    recent = SignInFailure.objects.filter(username=_key(username), at__gte=_window_start())
    return recent.count() >= settings.SIGNIN_MAX_FAILURES


@transaction.atomic
def record_failure(username: str) -> None:
    SignInFailure.objects.filter(at__lt=_window_start()).delete()
    SignInFailure.objects.create(username=_key(username), at=timezone.now())


@transaction.atomic
def clear_failures(username: str) -> None:
    SignInFailure.objects.filter(username=_key(username)).delete()
