"""What the in-process benchmarks share: Django set up as a server process would be, percentiles, query counts.

Each script is run as ``.venv/bin/python benchmarks/<name>.py``, so this folder is on ``sys.path`` and the
scripts ``import _setup``. Figures are compared as ratios within one run (the machines are shared).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def setup_django(*, scratch: bool = True) -> str:
    """Settings for a benchmark: var/ in a scratch folder, plain-HTTP cookies, and -- without
    ``DATABASE_URL`` -- a scratch SQLite database (``scratch=False`` keeps the configured one). Returns
    the scratch folder."""
    folder = tempfile.mkdtemp(prefix="prongsai-bench-")
    os.environ.setdefault("PRONGSAI_VAR_DIR", folder)
    os.environ.setdefault("SECURE_COOKIES", "0")
    if scratch and not os.environ.get("DATABASE_URL"):
        os.environ["PRONGSAI_SQLITE_PATH"] = str(Path(folder) / "bench.sqlite3")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    import django

    django.setup()
    return folder


def let_test_client_in() -> None:
    """Not setup_test_environment(): its instrumented template rendering copies every context for the test
    client, which production does not do. Only the test client's host is let in."""
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def percentiles(
    repeat: int, run: Callable[[], Any], clock: Callable[[], float] = time.perf_counter
) -> tuple[float, float]:
    """(p50, p95) in seconds of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = clock()
        run()
        times.append(clock() - start)
    return p50_p95(times)


def p50_p95(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def count_queries(run: Callable[[], Any]) -> tuple[Any, int]:
    """What ``run`` returns and how many SQL statements it sent (Django's own query log is reset by
    every request_started, so a wrapper counts instead)."""
    from django.db import connection

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        result = run()
    return result, len(queries)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def bench_plan(
    items: int, *, member: str, role: str, title: str, years: tuple[int, ...] = (2561, 2562, 2563, 2564)
) -> tuple[Any, Any, Any]:
    """A migrated database (emptied first on PostgreSQL, with the country's map loaded again) holding one
    organisation ``bench``, one member ``member`` with ``role``, and a draft plan 2561–2564 of ``items``
    items, each with a budget for each of ``years`` and two indicators. Returns (organisation, member, plan)."""
    from decimal import Decimal

    from django.contrib.auth.models import User
    from django.core.management import call_command

    from prongsai.geography.load import load_country
    from prongsai.organizations import actions as org_actions
    from prongsai.organizations.access import SystemActor
    from prongsai.plans import actions

    call_command("migrate", verbosity=0)
    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
        load_country()  # the map of the country, loaded by a migration, went with the flush
    actor = SystemActor("benchmark")
    org = org_actions.create_organization(
        actor,
        {
            "slug": "bench",
            "name_th": "เทศบาลทดสอบ",
            "name_en": "Bench",
            "kind": "subdistrict",
            "district": "8601",
        },
    )
    person = User.objects.create(username=member)
    org_actions.add_member(actor, org, person, role)
    plan = actions.create_plan(
        actor, org, slug="2561-2564", title="แผนทดสอบ", first_year=2561, last_year=2564
    )
    missions = list(plan.missions.filter(children__isnull=True))
    for n in range(items):
        actions.add_item(
            actor,
            plan,
            missions[n % len(missions)],
            actions.ItemData(
                kind=("project", "activity", "measure")[n % 3],
                title=f"โครงการทดสอบที่ {n + 1} {title}",
                budgets={year: Decimal(10000 + n) for year in years},
                indicators=[
                    actions.IndicatorData("ร้อยละของผู้เข้าร่วม", Decimal(80), "ร้อยละ"),
                    actions.IndicatorData("จำนวนครั้งที่จัด", Decimal(4), "ครั้ง"),
                ],
            ),
        )
    return org, person, plan
