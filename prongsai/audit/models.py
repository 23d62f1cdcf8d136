"""The change log: one hash chain per organisation, signed checkpoints of its head.

Each ``AuditEvent`` is one entry of a log: what happened as data (``event`` and ``params``), the state
of every record it changed (``changes``), and a SHA-256 over all of that and the previous entry's hash.
``AuditLog`` holds a log's current size and head so that writers of one organisation are serialised by
locking one row, and writers of different organisations never wait on each other.
``Checkpoint`` is a signed statement "this log had N entries and its head was H" (see ``signing.py``);
a log that does not extend its checkpoints has been rewritten. See docs/decisions/0006-audit-log.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.organizations.models import Organization

GENESIS = "0" * 64


class AuditLog(models.Model):
    """One organisation's log (or the installation's own, ``key="site"``, for accounts and grants)."""

    key = models.CharField(max_length=40, unique=True)
    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_log"
    )
    size = models.PositiveBigIntegerField(default=0)
    head = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"{self.key} ({self.size})"

    @staticmethod
    def key_for(organization: Organization | None) -> str:
        return f"org-{organization.pk}" if organization is not None else "site"

    @property
    def origin(self) -> str:
        """The log's name in signed checkpoints: the installation's origin and the log key."""
        return f"{settings.AUDIT_ORIGIN}/{self.key}"


class AuditEvent(models.Model):
    log = models.ForeignKey(AuditLog, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveBigIntegerField()
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="audit_events", null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()
    event = models.CharField(_("การกระทำ"), max_length=60)
    # The plan the change belongs to ("org/plan"), so a plan's history is one indexed query.
    plan_key = models.CharField(max_length=120, blank=True, db_index=True)
    params = models.JSONField(default=dict)
    # [{"type": "plan_item", "id": "12", "state": {...} | null}] — the state after the change; null: removed.
    changes = models.JSONField(default=list)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["log", "seq"]
        constraints = [models.UniqueConstraint(fields=["log", "seq"], name="audit_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.log_id}#{self.seq} {self.actor_name} {self.event}"


class Checkpoint(models.Model):
    """A signed head of one log, in the C2SP signed-note checkpoint format (``note``)."""

    log = models.ForeignKey(AuditLog, on_delete=models.PROTECT, related_name="checkpoints")
    size = models.PositiveBigIntegerField()
    head = models.CharField(max_length=64)
    key_id = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    note = models.TextField()

    class Meta:
        ordering = ["log", "size", "created_at"]
        get_latest_by = "size"

    def __str__(self) -> str:
        return f"{self.log_id} @ {self.size}"
