"""Sign-in failures, kept per user name so that password guessing is throttled across processes."""

from django.db import models


class SignInFailure(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
