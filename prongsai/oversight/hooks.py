"""Keep the pre-aggregated rows current: after a transaction that published a plan or a report round,
recorded an NACC ITA result, published a risk register or changed a scope mark commits, the organisation's
rows are rebuilt (``refresh.refresh_organization``).

Connected to the models' save signals here, so the apps that own those writes need not know about
oversight; the refresh runs after commit, so a rolled-back publication never reaches a dashboard.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

ORG_ATTR = "_prongsai_oversight_org"


def _refresh_after_commit(org_id: int) -> None:
    from prongsai.oversight.refresh import refresh_organization

    refresh_organization(org_id)


def schedule(org_id: int) -> None:
    """Refresh ``org_id`` once after the current transaction commits (at once outside one).

    A callback already waiting for this organisation in the transaction is enough; the waiting list is
    Django's own (a rolled-back savepoint drops its callbacks from it), so nothing is remembered past it.
    """
    if connection.in_atomic_block and any(
        getattr(entry[1], ORG_ATTR, None) == org_id for entry in connection.run_on_commit
    ):
        return

    def run() -> None:
        _refresh_after_commit(org_id)

    setattr(run, ORG_ATTR, org_id)
    transaction.on_commit(run)


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
