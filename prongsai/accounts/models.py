"""Sign-in attempt counters, in the database so that every process and restart sees the same counts."""

from django.db import models


class SignInThrottle(models.Model):
    """Failed sign-ins counted on one key: a user name, a client address or a device cookie.

    The key is ``a:``, ``c:`` or ``d:`` followed by an HMAC-SHA256 digest keyed by ``SECRET_KEY``;
    neither the user name, nor the address, nor the cookie is stored (see ``throttle.py``)."""

    key = models.CharField(max_length=66, unique=True)
    failures = models.PositiveIntegerField(default=0)
    wait_until = models.DateTimeField(null=True, blank=True)
    forget_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:10]}… {self.failures}"
