"""Is this document a published plan revision? Found by the SHA-256 of its bytes, with the log entry of
its publication and the signed checkpoint that covers that entry."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from prongsai.audit.models import AuditEvent, Checkpoint
from prongsai.plans import published
from prongsai.plans.models import Plan


@dataclass(frozen=True)
class Verification:
    sha256: str
    plan: Plan | None
    entry: AuditEvent | None
    checkpoint: Checkpoint | None

    @property
    def found(self) -> bool:
        return self.plan is not None


def digest(chunks: Iterable[bytes]) -> str:
    sha = hashlib.sha256()
    for chunk in chunks:
        sha.update(chunk)
    return sha.hexdigest()


def publication_entry(plan: Plan) -> AuditEvent | None:
    """The log entry that recorded the publication of ``plan`` (event ``plan.publish``)."""
    return (
        AuditEvent.objects.filter(
            organization_id=plan.organization_id,
            event="plan.publish",
            plan_key=plan.key,
            params__revision=plan.revision,
        )
        .select_related("log")
        .order_by("-seq")
        .first()
    )


def covering_checkpoint(entry: AuditEvent) -> Checkpoint | None:
    """The first signed checkpoint of the entry's log that includes it (its size reaches the entry's seq)."""
    return (
        Checkpoint.objects.filter(log_id=entry.log_id, size__gte=entry.seq)
        .order_by("size", "created_at")
        .first()
    )


def verify(sha256: str) -> Verification:
    sha256 = sha256.lower()
    plan = published.revision_with_pdf(sha256)
    if plan is None:
        return Verification(sha256, None, None, None)
    entry = publication_entry(plan)
    return Verification(sha256, plan, entry, covering_checkpoint(entry) if entry is not None else None)
