"""Appending to an organisation's log. Every write operation in Prongsai calls ``record`` once.

An entry says what happened as data (an event type and its parameters, translated only when shown,
see ``events.py``) and the state after the change of every record it touched (``state.py``), so that
``verify`` can replay the log and compare it with the tables.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from prongsai.audit.models import GENESIS, AuditEvent, AuditLog
from prongsai.audit.state import Change
from prongsai.organizations.access import Access
from prongsai.organizations.models import Organization

__all__ = ["GENESIS", "canonical", "entry_hash", "lock_log", "record", "record_site"]


def canonical(value: Any) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8, Decimals and dates as text."""
    return json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_content(event: AuditEvent, log_key: str) -> dict[str, Any]:
    return {
        "log": log_key,
        "seq": event.seq,
        "organization": event.organization_id,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "at": event.at.isoformat(),
        "event": event.event,
        "plan_key": event.plan_key,
        "params": event.params,
        "changes": event.changes,
        "previous_hash": event.previous_hash,
    }


def entry_hash(event: AuditEvent, log_key: str) -> str:
    return hashlib.sha256(canonical(entry_content(event, log_key)).encode("utf-8")).hexdigest()


def lock_log(organization: Organization | None) -> AuditLog:
    """The organisation's log row, locked until the transaction ends (created on first use).

    Locking this one row serialises writers of one organisation and no one else. On PostgreSQL a writer
    that waited gets the row as the previous writer left it (READ COMMITTED re-reads a locked row), so
    two writers can never take the same predecessor.
    """
    key = AuditLog.key_for(organization)
    log = AuditLog.objects.select_for_update().filter(key=key).first()
    if log is None:
        try:
            with transaction.atomic():
                AuditLog.objects.create(key=key, organization=organization)
        except IntegrityError:
            pass  # another writer created it first
        log = AuditLog.objects.select_for_update().get(key=key)
    return log


def _json_safe(value: Any) -> Any:
    # Store exactly what the hash covers: what JSON gives back, on SQLite and on PostgreSQL alike.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _append(
    organization: Organization | None,
    user: Any,
    actor_name: str,
    event: str,
    params: Mapping[str, Any] | None,
    changes: Sequence[Change],
    plan_key: str,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the operation's transaction")
    log = lock_log(organization)
    entry = AuditEvent(
        log=log,
        seq=log.size + 1,
        organization=organization,
        actor=user if user is not None and user.pk else None,
        actor_name=actor_name,
        at=timezone.now(),
        event=event,
        plan_key=plan_key,
        params=_json_safe(dict(params or {})),
        changes=_json_safe([dict(change) for change in changes]),
        previous_hash=log.head,
    )
    entry.hash = entry_hash(entry, log.key)
    entry.save(force_insert=True)
    log.size = entry.seq
    log.head = entry.hash
    log.save(update_fields=["size", "head"])
    return entry


def record(
    access: Access,
    event: str,
    *,
    params: Mapping[str, Any] | None = None,
    changes: Sequence[Change] = (),
    plan_key: str = "",
) -> AuditEvent:
    """Append one entry to the log of ``access.organization``. Must run inside the operation's transaction."""
    return _append(access.organization, access.user, access.actor_label, event, params, changes, plan_key)


def record_site(
    user: Any,
    actor_name: str,
    event: str,
    *,
    params: Mapping[str, Any] | None = None,
    changes: Sequence[Change] = (),
) -> AuditEvent:
    """Append one entry to the installation's own log (user accounts, staff rights)."""
    return _append(None, user, actor_name, event, params, changes, "")
