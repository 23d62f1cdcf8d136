"""A plan's history as people read it: each entry described in the reader's language, with what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prongsai.audit.events import describe
from prongsai.audit.models import AuditEvent
from prongsai.organizations.models import Organization

MAX_ROWS = 500


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RecordChange:
    type: str
    id: str
    kind: str  # added | changed | removed
    fields: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryRow:
    entry: AuditEvent
    description: str
    changes: list[RecordChange]


def _diff(
    type_name: str, row_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> RecordChange:
    if before is None and after is not None:
        return RecordChange(
            type_name, row_id, "added", [FieldChange(k, None, v) for k, v in sorted(after.items())]
        )
    if after is None:
        return RecordChange(
            type_name, row_id, "removed", [FieldChange(k, v, None) for k, v in sorted((before or {}).items())]
        )
    names = sorted(set(before or {}) | set(after))
    return RecordChange(
        type_name,
        row_id,
        "changed",
        [
            FieldChange(n, (before or {}).get(n), after.get(n))
            for n in names
            if (before or {}).get(n) != after.get(n)
        ],
    )


def plan_history_rows(organization: Organization, plan_key: str) -> list[HistoryRow]:
    """The newest ``MAX_ROWS`` entries of one plan, newest first, each with before/after of what it changed."""
    states: dict[tuple[str, str], dict[str, Any] | None] = {}
    rows: list[HistoryRow] = []
    entries = AuditEvent.objects.filter(organization=organization, plan_key=plan_key).order_by("seq")
    for entry in entries.iterator(chunk_size=500):
        changes = []
        for item in entry.changes or []:
            key = (str(item.get("type")), str(item.get("id")))
            changes.append(_diff(key[0], key[1], states.get(key), item.get("state")))
            states[key] = item.get("state")
        rows.append(HistoryRow(entry=entry, description=describe(entry.event, entry.params), changes=changes))
    return rows[::-1][:MAX_ROWS]
