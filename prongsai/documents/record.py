"""Where a published document stands in its organisation's change log, as the document prints it.

When a plan is published its PDF is laid out first, then the publication is logged. The document cannot
print the hash of the entry that records it (that entry holds the document's own hash), so it prints the
log as it was just before: its size and head. Anyone holding a copy can then check, against the log or
against a signed checkpoint taken later, that the log went on from exactly that point — and the entry
``plan.publish`` after it names this document's SHA-256. The position is kept in that entry's
parameters, so the DOCX (rendered on request) and a re-rendered PDF print the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from prongsai.audit.models import GENESIS, AuditEvent, AuditLog
from prongsai.plans.models import Plan


@dataclass(frozen=True)
class LogPosition:
    origin: str
    size: int
    head: str

    @property
    def head_lines(self) -> tuple[str, str]:
        """The head as two printed lines of four groups of eight hex digits (easy to read out and compare)."""
        groups = [self.head[i : i + 8] for i in range(0, len(self.head), 8)]
        return " ".join(groups[:4]), " ".join(groups[4:])

    def as_params(self) -> dict[str, object]:
        return {"log_size": self.size, "log_head": self.head}


def current_position(plan: Plan) -> LogPosition:
    """The size and head of ``plan``'s organisation's log now (before the publication is logged)."""
    log = AuditLog.objects.filter(organization_id=plan.organization_id).first()
    if log is None:
        log = AuditLog(key=AuditLog.key_for(plan.organization))
        return LogPosition(origin=log.origin, size=0, head=GENESIS)
    return LogPosition(origin=log.origin, size=log.size, head=log.head)


def publication_position(plan: Plan) -> LogPosition | None:
    """The position recorded when ``plan`` was published, or None (not published, or logged without one)."""
    event = (
        AuditEvent.objects.filter(
            log__organization_id=plan.organization_id, event="plan.publish", plan_key=plan.key
        )
        .filter(params__revision=plan.revision)
        .select_related("log")
        .order_by("-seq")
        .first()
    )
    if event is None or "log_size" not in event.params or "log_head" not in event.params:
        return None
    return LogPosition(
        origin=event.log.origin, size=int(event.params["log_size"]), head=str(event.params["log_head"])
    )
