"""Signing each log's current head (``prongsai audit checkpoint``), and the latest checkpoints shown.

A checkpoint is stored in the database (so pages and documents can show it) and the newest one of each
log is also written to ``AUDIT_WITNESS_DIR`` outside the database, so that emptying the checkpoint table
does not make a truncated log look whole. Outsiders who keep copies (the public portal will publish
them) hold the same evidence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from prongsai.audit.keys import signer as configured_signer
from prongsai.audit.models import AuditLog, Checkpoint
from prongsai.audit.signing import CheckpointBody, Signer
from prongsai.audit.verify import Problem, verify_log, witness_path
from prongsai.organizations.models import Organization


class CheckpointRefused(Exception):
    """The log does not hold, so its head is not signed: signing it would bless the damage."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Signed:
    log: str
    size: int
    created: bool


def _write_witness(log_key: str, note: str) -> None:
    path = witness_path(log_key)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(note, encoding="utf-8")
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def sign_log(log_key: str, signer: Signer) -> Signed:
    """Sign the current head of log ``log_key`` unless its newest checkpoint already covers it."""
    with transaction.atomic():
        log = AuditLog.objects.select_for_update(of=("self",)).select_related("organization").get(key=log_key)
        latest = Checkpoint.objects.filter(log=log).order_by("-size").first()
        if log.size == 0 or (latest is not None and latest.size == log.size):
            return Signed(log=log.key, size=log.size, created=False)
        # Only chain and checkpoints: a state difference is reported by verify, and must not stop
        # the signing of what the log itself says.
        problems = [p for p in verify_log(log, signer.verifier).problems if p.kind != "state"]
        if problems:
            raise CheckpointRefused(problems)
        body = CheckpointBody(origin=log.origin, size=log.size, head=log.head)
        note = signer.sign(body.text())
        Checkpoint.objects.create(
            log=log,
            size=log.size,
            head=log.head,
            key_id=signer.verifier.key_id,
            created_at=timezone.now(),
            note=note,
        )
    _write_witness(log.key, note)
    return Signed(log=log.key, size=log.size, created=True)


def checkpoint(org_slug: str | None = None) -> list[Signed]:
    """Sign every log's head (or one organisation's). LookupError when there is no signing key."""
    signer = configured_signer()
    if signer is None:
        raise LookupError("no signing key")
    logs = AuditLog.objects.order_by("key")
    if org_slug is not None:
        logs = logs.filter(organization__slug=org_slug)
    return [sign_log(key, signer) for key in logs.values_list("key", flat=True)]


def latest_checkpoint(organization: Organization) -> Checkpoint | None:
    return (
        Checkpoint.objects.filter(log__organization=organization)
        .order_by("-size")
        .select_related("log")
        .first()
    )
