"""Publishing a plan revision together with its official PDF: one transaction, one audited entry.

The PDF is laid out before the transaction (it reads only an approved revision, which no one can
edit), then the status change, the stored PDF and its SHA-256 are written and logged together. A crash
at any point leaves either an approved plan with nothing stored, or a published plan with its document
and its entry — never a published plan without its PDF.
"""

from __future__ import annotations

import copy
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.audit.log import record
from prongsai.audit.state import change
from prongsai.documents.models import PublishedDocument
from prongsai.documents.pdf import render_pdf
from prongsai.documents.record import current_position
from prongsai.organizations.access import Actor, Permission, authorize
from prongsai.plans.models import Plan, PlanStatus


def publish_plan(actor: Actor, plan: Plan) -> Plan:
    """Publish approved ``plan`` and store its PDF as published, or change nothing."""
    access = authorize(actor, plan.organization, Permission.APPROVE_PLAN)
    plan = Plan.objects.select_related("organization", "approved_by").get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("ต้องอนุมัติแผนก่อนจึงจะประกาศได้"))
    published_at = timezone.now()
    as_published = copy.copy(plan)
    as_published.status = PlanStatus.PUBLISHED
    as_published.published_at = published_at
    as_published.published_by = access.user
    position = current_position(plan)
    pdf = render_pdf(as_published, log_position=position)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        locked = Plan.objects.select_for_update().select_related("organization").get(pk=plan.pk)
        if locked.status != PlanStatus.APPROVED or locked.approved_at != plan.approved_at:
            # Returned to draft (and perhaps approved again) while the PDF was being laid out.
            raise ValidationError(_("แผนเปลี่ยนไประหว่างการประกาศ โปรดลองอีกครั้ง"))
        locked.status = PlanStatus.PUBLISHED
        locked.published_at = published_at
        locked.published_by = access.user
        locked.save(update_fields=["status", "published_at", "published_by"])
        document = PublishedDocument.objects.create(plan=locked, pdf=pdf, sha256=digest, size=len(pdf))
        record(
            access,
            "plan.publish",
            params={"revision": locked.revision, "sha256": digest, **position.as_params()},
            changes=[change(locked), change(document)],
            plan_key=locked.key,
        )
    return locked


def published_pdf(plan: Plan) -> bytes | None:
    """The PDF stored when ``plan`` was published, exactly as stored; None if it has none."""
    document = PublishedDocument.objects.filter(plan=plan).only("pdf").first()
    return None if document is None else bytes(document.pdf)
