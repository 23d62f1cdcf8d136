"""Keep the pre-aggregated rows current: after a transaction that published a plan or a report round,
recorded an NACC ITA result, published a risk register or changed a scope mark commits, a job rebuilding
the organisation's rows is queued (``lib.jobs.enqueue_refresh``, run by ``prongsai worker``; at once
in the process with ``PRONGSAI_JOBS=immediate``).

Connected to the models' save signals here, so the apps that own those writes need not know about
oversight; the job is queued after commit, so a rolled-back publication never reaches a dashboard.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save


def schedule(org_id: int) -> None:
    """Queue a refresh of ``org_id`` once the current transaction commits, once however often asked."""
    from prongsai.lib import jobs

    jobs.enqueue_refresh(org_id)


def _plan_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.status in ("published", "approved"):
        schedule(instance.organization_id)


def _round_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.status == "published":
        schedule(instance.organization_id)


def _assessment_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.source == "published":
        schedule(instance.organization_id)


def _register_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.status == "published":
        schedule(instance.organization_id)


def _mark_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    schedule(instance.organization_id)


def connect() -> None:
    from prongsai.ita.models import Assessment
    from prongsai.oversight.models import ScopeMark
    from prongsai.plans.models import Plan
    from prongsai.reports.models import ReportRound
    from prongsai.risks.models import RiskRegister

    post_save.connect(_plan_saved, sender=Plan, dispatch_uid="oversight.plan")
    post_save.connect(_round_saved, sender=ReportRound, dispatch_uid="oversight.round")
    post_save.connect(_assessment_saved, sender=Assessment, dispatch_uid="oversight.ita")
    post_save.connect(_register_saved, sender=RiskRegister, dispatch_uid="oversight.risks")
    post_save.connect(_mark_changed, sender=ScopeMark, dispatch_uid="oversight.mark.save")
    post_delete.connect(_mark_changed, sender=ScopeMark, dispatch_uid="oversight.mark.delete")
