"""``prongsai worker``: run the queued jobs (``lib/jobs.py``) and schedule the periodic ones.

Each round schedules the periodic jobs that are due (``jobs.schedule_periodic``), then runs every job
that is ready with ``django-tasks-db``'s own worker (each claimed under a row lock, so any number of
workers on any number of machines share one queue), then sleeps ``--interval`` seconds. ``--once`` runs
one round and exits (a cron line, a test). SIGTERM and Ctrl+C finish the job in hand, then stop.
``prongsai manage db_worker`` is the package's plain worker, without the periodic jobs.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from types import FrameType
from typing import Any

from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _


class _Stop:
    def __init__(self) -> None:
        self.requested = False
        self.worker: Any = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True
        if self.worker is not None:
            self.worker.running = False  # ends the package worker's loop after the job in hand


def run(*, once: bool, interval: float, worker_id: str) -> int:
    from django.conf import settings

    if settings.JOBS != "database":
        print(_("PRONGSAI_JOBS=immediate: งานทำทันทีในโปรเซสที่สั่ง ไม่ต้องใช้ worker"), file=sys.stderr)
        return 2
    stop = _Stop()
    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        _rounds(stop, once=once, interval=interval, worker_id=worker_id)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0


def _rounds(stop: _Stop, *, once: bool, interval: float, worker_id: str) -> None:
    from django.db import close_old_connections
    from django_tasks_db.management.commands.db_worker import Worker

    from prongsai.lib.jobs import schedule_periodic

    while not stop.requested:
        close_old_connections()
        schedule_periodic()
        stop.worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,  # run what is ready, then come back here
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        stop.worker.run()
        stop.worker = None
        if once:
            break
        slept = 0.0
        while slept < interval and not stop.requested:
            time.sleep(min(0.2, interval))
            slept += min(0.2, interval)
    close_old_connections()


def worker_command(args: argparse.Namespace) -> int:
    return run(once=args.once, interval=args.interval, worker_id=args.worker_id)


def register(subparsers: Any) -> None:
    worker = subparsers.add_parser(
        "worker", help="run background jobs (document layout, checkpoint signing, oversight refresh)"
    )
    worker.add_argument("--once", action="store_true", help="run what is due, then exit")
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the queue")
    worker.add_argument(
        "--worker-id", default=get_random_string(32), help="unique among the workers (default: random)"
    )
    worker.set_defaults(handler=worker_command)
