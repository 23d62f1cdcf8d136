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
