"""Writing and checking the audit chain. Every write operation in Prongsai calls ``record``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from prongsai.audit.models import AuditEvent
from prongsai.organizations.models import Organization

GENESIS = "0" * 64


class AuditChainBroken(Exception):
    def __init__(self, event_id: int, reason: str) -> None:
        super().__init__(f"audit event {event_id}: {reason}")
        self.event_id = event_id


def record(
    *,
    actor: User | None,
    organization: Organization | None,
    action: str,
    target: Any,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    plan_key: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside the operation's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the operation's transaction")
    # Serialise writers of the chain: on PostgreSQL lock the newest row; SQLite's IMMEDIATE
    # transactions already hold the database's write lock.
    last = AuditEvent.objects.select_for_update().order_by("-id").only("hash").first()
    event = AuditEvent(
        organization=organization,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None else "",
        at=timezone.now(),
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=str(getattr(target, "pk", "") or ""),
        plan_key=plan_key,
        summary=summary[:500],
        before=before,
        after=after,
        previous_hash=last.hash if last else GENESIS,
    )
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    return event


def verify_chain() -> int:
    """Check every event's hash and link; return how many were checked or raise AuditChainBroken."""
    previous = GENESIS
    count = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous:
            raise AuditChainBroken(event.pk, "link to the previous event does not match")
        if event.compute_hash() != event.hash:
            raise AuditChainBroken(event.pk, "content does not match its hash")
        previous = event.hash
        count += 1
    return count
