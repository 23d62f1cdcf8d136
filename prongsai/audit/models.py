"""A tamper-evident record of every change: each row carries a hash over its content and its predecessor's."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.organizations.models import Organization


class AuditEvent(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="audit_events", null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(db_index=True)
    action = models.CharField(_("การกระทำ"), max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=60)
    # The plan the change belongs to, so a plan's history is one indexed query.
    plan_key = models.CharField(max_length=120, blank=True, db_index=True)
    summary = models.CharField(_("สรุป"), max_length=500)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def content(self) -> dict[str, Any]:
        return {
            "organization": self.organization_id,
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "at": self.at.isoformat(),
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "plan_key": self.plan_key,
            "summary": self.summary,
            "before": self.before,
            "after": self.after,
            "previous_hash": self.previous_hash,
        }

    def compute_hash(self) -> str:
        # Round-trip through JSON so the hash is over exactly what the database keeps.
        canonical = json.dumps(
            json.loads(json.dumps(self.content(), cls=DjangoJSONEncoder)),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
