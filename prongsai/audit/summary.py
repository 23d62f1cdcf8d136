"""What an organisation's pages show of its log: its size and the newest signed checkpoint."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from prongsai.audit.keys import verifier
from prongsai.audit.models import AuditLog, Checkpoint
from prongsai.audit.signing import SigningError
from prongsai.organizations.models import Organization


@dataclass(frozen=True)
class LogSummary:
    size: int
    checkpoint: Checkpoint | None
    verifier_key: str

    @property
    def head_base64(self) -> str:
        """The signed head as the checkpoint note writes it (base64), for comparing with a copy."""
        if self.checkpoint is None:
            return ""
        return base64.b64encode(bytes.fromhex(self.checkpoint.head)).decode()


def log_summary(organization: Organization) -> LogSummary:
    log = AuditLog.objects.filter(organization=organization).only("size").first()
    latest = Checkpoint.objects.filter(log__organization=organization).order_by("-size").first()
    try:
        key = verifier()
    except SigningError:
        key = None
    return LogSummary(
        size=log.size if log is not None else 0,
        checkpoint=latest,
        verifier_key=key.encode() if key is not None else "",
    )
