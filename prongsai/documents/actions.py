"""Writing the stored PDF of a published plan: one transaction, one audit row."""

from __future__ import annotations

import hashlib
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from prongsai.audit.log import record
from prongsai.documents.models import PublishedDocument
from prongsai.documents.pdf import render_pdf
from prongsai.plans.models import Plan, PlanStatus

logger = logging.getLogger(__name__)


def store_published_pdf(plan: Plan) -> PublishedDocument:
    """The stored PDF of published ``plan``, rendered and stored now when it has none yet.

    Rendering happens outside the transaction (it reads only a published, hence frozen, revision); the
    row is written under a lock so two callers store one PDF.
    """
    existing = PublishedDocument.objects.filter(plan=plan).first()
    if existing is not None:
        return existing
    if plan.status != PlanStatus.PUBLISHED:
        raise ValueError(f"{plan} is not published")
    pdf = render_pdf(plan)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        document, created = PublishedDocument.objects.get_or_create(
            plan=plan, defaults={"pdf": pdf, "sha256": digest, "size": len(pdf)}
        )
        if created:
            record(
                actor=None,
                organization=plan.organization,
                action="document.store",
                target=document,
                plan_key=plan.key,
                summary=_("เก็บเอกสาร PDF ของแผนที่ประกาศ ฉบับแก้ไขที่ %(revision)s") % {"revision": plan.revision},
                after={"revision": plan.revision, "sha256": digest, "size": len(pdf)},
            )
    return document


def on_plan_published(sender: object, plan_id: int, **kwargs: object) -> None:
    """Receiver of ``plan_published``: store the PDF as published. A failure is logged, not raised — the
    plan is published either way, and the first download stores the PDF instead."""
    try:
        store_published_pdf(Plan.objects.select_related("organization").get(pk=plan_id))
    except Exception:
        logger.exception("could not store the PDF of published plan %s", plan_id)
