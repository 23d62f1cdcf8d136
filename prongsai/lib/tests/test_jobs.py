"""The job queue (lib/jobs.py, lib/worker.py): jobs queued after commit, once; the worker runs them and
the periodic ones; a plan laid out ahead is only put together when it is published."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from prongsai.audit.keys import ensure_signer
from prongsai.audit.models import Checkpoint
from prongsai.documents import pdf
from prongsai.lib import jobs, worker
from prongsai.plans import actions


@pytest.fixture(autouse=True)
def document_cache(tmp_path, monkeypatch):
    """Each test starts with no laid-out chunk kept."""
    monkeypatch.setattr(pdf._store, "root", tmp_path / "document-cache")


def queued(job: Any) -> list[DBTaskResult[Any, Any]]:
    return list(DBTaskResult.objects.filter(task_path=job.module_path).order_by("enqueued_at"))


def test_submitting_queues_the_layout_after_commit_once(plan, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submitted = actions.submit_plan(people["alice"], plan)
        assert queued(jobs.lay_out_plan) == []  # nothing before the commit
    for callback in callbacks:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_plan(people["bob"], submitted)  # the submit's job still waits: not queued again
    [job] = queued(jobs.lay_out_plan)
    assert job.status == TaskResultStatus.READY
    assert job.args_kwargs == {"args": [], "kwargs": {"plan_id": plan.pk}}


def test_a_plan_laid_out_ahead_is_only_put_together_when_published(plan, people, monkeypatch):
    # The publication record prints the time to the minute: the job and the publication share one clock
    # reading here, as they do unless a minute turns between them (then that one page is laid out again).
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    approved = actions.approve_plan(people["bob"], actions.submit_plan(people["alice"], plan))
    done = jobs.lay_out_plan.call(plan_id=approved.pk)
    assert done["chunks"] > 0 and done["laid_out"] > 0
    actions.publish_plan(people["bob"], approved)
    assert pdf.last_stats.chunks == done["chunks"] and pdf.last_stats.laid_out == 0


def test_the_layout_job_leaves_a_draft_or_published_plan_alone(plan, people):
    assert jobs.lay_out_plan.call(plan_id=plan.pk) == {"chunks": 0, "laid_out": 0}
    assert jobs.lay_out_plan.call(plan_id=10**9) == {"chunks": 0, "laid_out": 0}


def test_the_refresh_job_rebuilds_the_organisations_oversight_rows(
    org_a, monkeypatch, django_capture_on_commit_callbacks
):
    from prongsai.oversight.models import OrgYearSummary

    OrgYearSummary.objects.filter(organization=org_a).delete()
    assert jobs.refresh_organization.call(org_id=org_a.pk) is True
    seen: list[int] = []
    monkeypatch.setattr("prongsai.oversight.refresh.refresh_organization", seen.append)
    assert jobs.refresh_organization.call(org_id=org_a.pk) is True
    assert seen == [org_a.pk]
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue_refresh(org_a.pk)
        jobs.enqueue_refresh(org_a.pk)  # asked twice before the worker came: one job
    assert [j.args_kwargs["kwargs"] for j in queued(jobs.refresh_organization)] == [{"org_id": org_a.pk}]


def test_periodic_jobs_are_queued_once_and_next_after_their_interval(db, settings):
    settings.CHECKPOINT_MINUTES = 60
    now = timezone.now()
    assert sorted(jobs.schedule_periodic(now)) == sorted(
        [jobs.sign_checkpoints.module_path, jobs.prune_results.module_path]
    )
    assert jobs.schedule_periodic(now) == []  # both already waiting
    [waiting] = queued(jobs.sign_checkpoints)
    waiting.status, waiting.finished_at = TaskResultStatus.SUCCESSFUL, now
    waiting.save(update_fields=["status", "finished_at"])
    assert jobs.schedule_periodic(now) == [jobs.sign_checkpoints.module_path]
    assert queued(jobs.sign_checkpoints)[-1].run_after == now + dt.timedelta(minutes=60)
    settings.CHECKPOINT_MINUTES = 0
    assert [p.job for p in jobs.periodic_jobs()] == [jobs.prune_results]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_and_periodic_jobs_then_stops(plan, people, settings):
    ensure_signer()
    with_job = actions.submit_plan(people["alice"], plan)  # outside a test transaction: queued at once
    assert [j.status for j in queued(jobs.lay_out_plan)] == [TaskResultStatus.READY]
    assert worker.run(once=True, interval=0, worker_id="test-worker") == 0
    [layout] = queued(jobs.lay_out_plan)
    assert layout.status == TaskResultStatus.SUCCESSFUL and layout.worker_ids == ["test-worker"]
    assert layout.return_value["laid_out"] > 0
    [signing] = queued(jobs.sign_checkpoints)
    assert signing.status == TaskResultStatus.SUCCESSFUL and signing.return_value["signed"] >= 1
    assert Checkpoint.objects.filter(log__organization=with_job.organization).exists()
    # An hour later is the next signing; until then a round runs nothing.
    assert worker.run(once=True, interval=0, worker_id="test-worker") == 0
    assert [j.status for j in queued(jobs.sign_checkpoints)] == [
        TaskResultStatus.SUCCESSFUL,
        TaskResultStatus.READY,
    ]


def test_old_finished_jobs_are_pruned(db, settings):
    settings.JOB_RESULT_DAYS = 14
    job = jobs.prune_results.enqueue()
    DBTaskResult.objects.filter(id=job.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now() - dt.timedelta(days=15)
    )
    fresh = jobs.prune_results.enqueue()
    assert jobs.prune_results.call() == 1
    assert [str(i) for i in DBTaskResult.objects.values_list("id", flat=True)] == [fresh.id]


def test_the_worker_says_it_is_not_needed_when_jobs_run_at_once(settings, capsys):
    settings.JOBS = "immediate"
    assert worker.run(once=True, interval=0, worker_id="w") == 2
    assert "PRONGSAI_JOBS=immediate" in capsys.readouterr().err


def test_the_demo_runs_a_worker_beside_its_server_and_stops_it(settings, monkeypatch):
    import subprocess

    from prongsai import demo

    started = []
    real_popen = subprocess.Popen

    def popen(command):
        started.append(command)
        # A stand-in for the worker (which would reach the database named in the environment).
        return real_popen([sys.executable, "-c", "import time; time.sleep(60)"])

    monkeypatch.setattr("prongsai.demo.subprocess.Popen", popen)
    process = demo.start_worker()
    assert started == [[sys.executable, "-m", "prongsai.cli", "worker"]]
    assert process is not None and process.poll() is None
    demo.stop_worker(process)
    assert process.poll() is not None  # stopped with the server
    settings.JOBS = "immediate"
    assert demo.start_worker() is None
