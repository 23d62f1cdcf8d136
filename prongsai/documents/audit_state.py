"""The stored PDF of each published revision, as the change log vouches for it: the SHA-256 of its
bytes as they are now, beside the hash recorded when it was stored. Replacing the PDF and its recorded
hash together still differs from the log."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.translation import gettext_lazy as _

from prongsai.audit.events import describe_events
from prongsai.audit.state import track
from prongsai.documents.models import PublishedDocument


def document_state(document: PublishedDocument) -> dict[str, Any]:
    body = bytes(document.pdf)
    return {
        "plan": document.plan_id,
        "sha256": hashlib.sha256(body).hexdigest(),
        "recorded_sha256": document.sha256,
        "size": len(body),
    }


def register() -> None:
    track(
        "published_document",
        PublishedDocument,
        state=document_state,
        rows=lambda org: PublishedDocument.objects.filter(plan__organization=org),
        label=lambda d: d.sha256[:12],
    )
    describe_events({"document.store": _("เก็บเอกสาร PDF ของแผนที่ประกาศ ฉบับแก้ไขที่ %(revision)s")})
