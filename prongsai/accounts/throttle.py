"""Slowing down password guessing without giving anyone a button that locks a real user out.

Every sign-in attempt is counted, before the password is checked, against keys (a ``SignInThrottle``
row each):

- a browser that carries a valid *device cookie* for the user name (it signed in as that user
  before) is counted on that cookie alone, so a flood of guesses against the user name from
  elsewhere does not keep the real user's browser out (OWASP, "Slow Down Online Guessing Attacks
  with Device Cookies");
- any other attempt is counted on the user name **and** on the client address.

A key may fail ``SIGNIN_MAX_FAILURES`` times (``SIGNIN_CLIENT_MAX_FAILURES`` for an address, which
many officers of one office may share); after that each further failure makes the next attempt wait
2, 4, 8 … seconds, at most ``SIGNIN_WINDOW_SECONDS``. A key is forgotten ``SIGNIN_WINDOW_SECONDS``
after its last wait ended without a new failure. While a key waits, the attempt is refused before any
password hashing, so a refused guess costs nothing and tells nothing.

Counting before checking means that parallel requests cannot slip many guesses past one check; a
successful sign-in then clears the user name and device counts and gives back the client's count.

No key is stored in plain: user names, addresses and device nonces are stored as HMAC-SHA256 digests
keyed by ``SECRET_KEY`` (``salted_hmac``), and only until the key is forgotten.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from prongsai.accounts.models import SignInThrottle

DEVICE_COOKIE_PREFIX = "signin_device_"
DEVICE_COOKIE_MAX_AGE = 180 * 24 * 60 * 60
_DEVICE_SALT = "prongsai.accounts.throttle.device"


def now() -> datetime:
    """The clock of the throttle; tests move it instead of sleeping."""
    return timezone.now()


def _digest(kind: str, value: str) -> str:
    return salted_hmac(f"prongsai.accounts.throttle.{kind}", value, algorithm="sha256").hexdigest()


def _account(username: str) -> str:
    # Case and surrounding spaces do not make a new key: guessing "Alice" counts for "alice".
    return _digest("account", username.strip().lower())


def client_address(request: HttpRequest) -> str:
    """The address the request came from; behind a proxy, the one the proxy added to X-Forwarded-For.

    Only the right-most entry is taken: the earlier ones are whatever the client chose to send."""
    if settings.SIGNIN_CLIENT_ADDRESS_FROM_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))


def _delay(failures: int, allowed: int) -> timedelta:
    """The wait after the ``failures``-th failure: none up to ``allowed``, then 2, 4, 8 … seconds, capped."""
    if failures < allowed:
        return timedelta(0)
    exponent = min(failures - allowed + 1, 30)
    return timedelta(seconds=min(2**exponent, settings.SIGNIN_WINDOW_SECONDS))


@dataclass
class Attempt:
    """One sign-in attempt: the keys it was counted on and, if refused, how long to wait."""

    username: str
    keys: dict[str, int] = field(default_factory=dict)  # key → failures allowed before waits begin
    device_key: str | None = None
    wait: timedelta = timedelta(0)

    @property
    def refused(self) -> bool:
        return self.wait > timedelta(0)

    @property
    def wait_seconds(self) -> int:
        return max(1, int(-(-self.wait.total_seconds() // 1)))  # rounded up


def _device_nonce(request: HttpRequest, username: str) -> str | None:
    """The nonce of a valid device cookie for this user name, or None."""
    account = _account(username)
    value = request.COOKIES.get(DEVICE_COOKIE_PREFIX + account[:16])
    if not value:
        return None
    try:
        payload = signing.TimestampSigner(salt=_DEVICE_SALT).unsign(value, max_age=DEVICE_COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None
    cookie_account, _, nonce = payload.partition(":")
    if not nonce or not constant_time_compare(cookie_account, account):
        return None
    return nonce


@transaction.atomic
def begin(request: HttpRequest, username: str) -> Attempt:
    """Count an attempt for ``username`` from this request, or refuse it with the wait still to run."""
    nonce = _device_nonce(request, username)
    attempt = Attempt(username=username)
    if nonce is not None:
        attempt.device_key = "d:" + _digest("device", nonce)
        attempt.keys = {attempt.device_key: settings.SIGNIN_MAX_FAILURES}
    else:
        attempt.keys = {
            "a:" + _account(username): settings.SIGNIN_MAX_FAILURES,
            "c:" + _digest("client", client_address(request)): settings.SIGNIN_CLIENT_MAX_FAILURES,
        }
    moment = now()
    SignInThrottle.objects.filter(forget_at__lte=moment).delete()
    window = timedelta(seconds=settings.SIGNIN_WINDOW_SECONDS)
    rows = []
    for key in sorted(attempt.keys):  # one order of row locks everywhere: no deadlock between attempts
        row, _created = SignInThrottle.objects.select_for_update().get_or_create(
            key=key, defaults={"failures": 0, "forget_at": moment + window}
        )
        rows.append(row)
    waits = [row.wait_until - moment for row in rows if row.wait_until and row.wait_until > moment]
    if waits:
        attempt.wait = max(waits)
        return attempt
    for row in rows:
        row.failures += 1
        row.wait_until = moment + _delay(row.failures, attempt.keys[row.key])
        row.forget_at = row.wait_until + window
        row.save(update_fields=["failures", "wait_until", "forget_at"])
    return attempt


@transaction.atomic
def succeeded(attempt: Attempt) -> None:
    """The password was right: the user name and device start afresh; the client gets its count back.

    The client's count is only given back, never cleared, so that signing in to an account of one's
    own does not wipe the guesses one made against others."""
    for key in attempt.keys:
        if key.startswith(("a:", "d:")):
            SignInThrottle.objects.filter(key=key).delete()
            continue
        row = SignInThrottle.objects.select_for_update().filter(key=key).first()
        if row is None:
            continue
        row.failures = max(row.failures - 1, 0)
        if row.failures < attempt.keys[key]:
            row.wait_until = None
        row.save(update_fields=["failures", "wait_until"])


def remember_device(response: HttpResponse, username: str) -> None:
    """Give the browser a fresh device cookie for this user name (a new nonce after every sign-in)."""
    account = _account(username)
    value = signing.TimestampSigner(salt=_DEVICE_SALT).sign(f"{account}:{secrets.token_urlsafe(24)}")
    response.set_cookie(
        DEVICE_COOKIE_PREFIX + account[:16],
        value,
        max_age=DEVICE_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
