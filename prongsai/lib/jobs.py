"""Background jobs, on a durable queue kept in the database Prongsai already has.

Jobs are Django tasks (``django-tasks``, the backport of Django 6's ``django.tasks``) stored by
``django-tasks-db`` in one table of the primary database: no broker, the same on SQLite and PostgreSQL,
and a job asked for inside an action's transaction exists only if that transaction commits (it is
queued from ``transaction.on_commit``). ``prongsai worker`` (``lib/worker.py``) runs them, on as many
machines as wanted: each job is claimed under a row lock by one worker. Without a worker nothing is lost:
jobs wait in the table, and the application works without one: every job here but the oversight refresh
only does ahead of time what a request would otherwise do itself, and the dashboards wait for theirs. ``PRONGSAI_JOBS=immediate`` runs each job in the process
that asks for it, right after its commit.

- ``lay_out_plan``: a submitted or approved plan's PDF laid out before it is published, so that the
  chunks are in the document store (shared by every server: ``STORAGES["documents"]``) and publishing
  only puts the document together (``documents.actions.publish_plan`` still lays out what is missing).
- ``refresh_organization``: the oversight figures of one organisation (``enqueue_refresh``, called by
  ``oversight.hooks`` after each commit that changes what the dashboards count).
- ``sign_checkpoints`` and ``prune_results``: periodic, scheduled by the worker (``schedule_periodic``).

Complaint reminders are not jobs: the officers' list shows cases due within three days when it is read
(``complaints/views.py``), and Prongsai sends no mail.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def _path(job: Any) -> str:
    return str(job.module_path)


def _waiting(job: Any, **kwargs: Any) -> bool:
    """Whether ``job`` with these keyword arguments is already queued and not yet started (database
    queue only): asking again before it runs would only do the same work twice."""
    if settings.JOBS != "database":
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().filter(task_path=_path(job))
    for name, value in kwargs.items():
        waiting = waiting.filter(**{f"args_kwargs__kwargs__{name}": value})
    return waiting.exists()


ASKED = "_prongsai_job"  # marks the commit callbacks that queue a job: (job path, keyword arguments)


def enqueue_after_commit(job: Any, **kwargs: Any) -> None:
    """Queue ``job(**kwargs)`` once the current transaction commits (at once outside one), unless the same
    job is already waiting: in the queue, or among this transaction's commit callbacks (Django's own list,
    from which a rolled-back savepoint drops its callbacks, so nothing is remembered past it)."""
    asked = (_path(job), sorted(kwargs.items()))
    if connection.in_atomic_block and any(
        getattr(entry[1], ASKED, None) == asked for entry in connection.run_on_commit
    ):
        return

    def enqueue() -> None:
        if not _waiting(job, **kwargs):
            job.enqueue(**kwargs)

    setattr(enqueue, ASKED, asked)
    transaction.on_commit(enqueue)


# Documents ------------------------------------------------------------------------------------------


@task()
def lay_out_plan(plan_id: int) -> dict[str, int]:
    """Lay out the PDF that publishing ``plan_id`` will make, as ``documents.actions.publish_plan`` does,
    and keep its chunks; nothing is stored or published. A plan no longer waiting for publication is
    left alone."""
    from prongsai.documents import pdf
    from prongsai.documents.record import current_position
    from prongsai.plans.models import Plan, PlanStatus

    plan = Plan.objects.select_related("organization", "approved_by").filter(pk=plan_id).first()
    if plan is None or plan.status not in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
        return {"chunks": 0, "laid_out": 0}
    as_published = copy.copy(plan)
    as_published.status = PlanStatus.PUBLISHED
    as_published.published_at = timezone.now()
    as_published.published_by = plan.approved_by
    pdf.render_pdf(as_published, log_position=current_position(plan))
    return {"chunks": pdf.last_stats.chunks, "laid_out": pdf.last_stats.laid_out}


def lay_out_ahead(plan: Any) -> None:
    """Called by the workflow actions (submit, approve): lay ``plan``'s document out in the background."""
    enqueue_after_commit(lay_out_plan, plan_id=plan.pk)


# Oversight ------------------------------------------------------------------------------------------


@task()
def refresh_organization(org_id: int) -> bool:
    """Recompute one organisation's oversight figures (``prongsai.oversight.refresh``)."""
    from prongsai.oversight.refresh import refresh_organization as refresh  # the app imports jobs' callers

    refresh(org_id)
    return True


def enqueue_refresh(org_id: int) -> None:
    """The hook for actions that change what the oversight dashboards count (a report published, a plan
    announced): refresh organisation ``org_id``'s figures after the commit, once however often asked
    before the worker gets to it."""
    enqueue_after_commit(refresh_organization, org_id=org_id)


# Periodic -------------------------------------------------------------------------------------------


@task()
def sign_checkpoints() -> dict[str, int]:
    """``prongsai audit checkpoint`` for every log: sign each head not yet covered (the key file is read
    on the machine the worker runs on; none there: nothing signed, said in the result)."""
    from prongsai.audit.checkpoint import checkpoint

    try:
        signed = checkpoint()
    except LookupError:
        logger.warning("no audit signing key on this worker (PRONGSAI_AUDIT_KEY_FILE): nothing signed")
        return {"signed": 0, "logs": 0}
    return {"signed": sum(1 for s in signed if s.created), "logs": len(signed)}


@task()
def prune_results() -> int:
    """Remove finished jobs older than ``JOB_RESULT_DAYS``; how many went."""
    from django_tasks_db.models import DBTaskResult

    before = timezone.now() - dt.timedelta(days=settings.JOB_RESULT_DAYS)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return deleted


@dataclass(frozen=True)
class Periodic:
    job: Any
    every: dt.timedelta


def periodic_jobs() -> list[Periodic]:
    jobs = [Periodic(prune_results, dt.timedelta(days=1))]
    if settings.CHECKPOINT_MINUTES > 0:
        jobs.append(Periodic(sign_checkpoints, dt.timedelta(minutes=settings.CHECKPOINT_MINUTES)))
    return jobs


def schedule_periodic(now: dt.datetime | None = None) -> list[str]:
    """Queue each periodic job that is neither waiting nor running, to run ``every`` after it last
    finished (now if it never ran). Called by every worker before it looks for work; two workers that
    schedule at the same moment may queue a job twice, which is harmless: signing a head already signed
    does nothing, and pruning twice removes nothing more. Returns the paths of the jobs queued."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    queued = []
    for periodic in periodic_jobs():
        results = DBTaskResult.objects.filter(task_path=_path(periodic.job))
        if results.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists():
            continue
        last = results.exclude(finished_at=None).order_by("-finished_at").first()
        when = (
            now if last is None or last.finished_at is None else max(now, last.finished_at + periodic.every)
        )
        periodic.job.using(run_after=when).enqueue()
        queued.append(_path(periodic.job))
    return queued
