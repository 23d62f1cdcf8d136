"""Benchmark: the 250-item plan page with its pieces cached per process, in the database, or in Redis.

    .venv/bin/python benchmarks/shared_caches.py [--items 250] [--repeat 40] [--redis redis://127.0.0.1:6379/0]

The choice behind PRONGSAI_PAGE_CACHES (docs/decisions/0016-several-servers.md): builds the plan of
``benchmarks/plan_page.py`` (scratch SQLite, or the PostgreSQL database of ``DATABASE_URL``, which it empties
first) and requests the officers' plan page with ``PLAN_PIECE_CACHE`` pointing at each cache in turn, the
requests interleaved (local, database, Redis, local, …) so that what else the shared machine runs falls on
all alike. Prints p50/p95 wall and CPU time for each and the ratio to the per-process cache, and the
sign-in page in the same run as the reference. Redis is measured when ``--redis`` names a server.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from _setup import bench_plan, p50_p95, setup_django

ROOT = Path(__file__).resolve().parents[1]


def summary(times: list[float]) -> tuple[float, float]:
    return p50_p95(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--redis", default="")
    args = parser.parse_args()

    setup_django()
    from django.conf import settings

    caches_measured = {
        "per process (LocMem)": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "b"},
        "database table": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "prongsai_cache_pieces",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
    if args.redis:
        caches_measured["Redis"] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": args.redis,
            "KEY_PREFIX": "prongsai-bench",
        }
    aliases = {label: f"bench{n}" for n, label in enumerate(caches_measured)}
    settings.CACHES = {**settings.CACHES, **{aliases[k]: v for k, v in caches_measured.items()}}

    from django.core.cache import caches
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("createcachetable", verbosity=0)
    _org, planner, plan = bench_plan(
        args.items, member="bench-planner", role="planner", title="เพื่อวัดเวลาของหน้าแผนสำหรับเจ้าหน้าที่"
    )
    for alias in aliases.values():
        caches[alias].clear()

    import prongsai.wsgi  # noqa: F401  (as a server process starts: the app loaded, its objects frozen)

    client = Client()
    client.force_login(planner)
    page = f"/o/bench/plans/{plan.slug}/"
    anonymous = Client()
    wall: dict[str, list[float]] = {label: [] for label in [*aliases, "sign-in page (reference)"]}
    cpu: dict[str, list[float]] = {label: [] for label in wall}
    for alias in aliases.values():  # the first request draws the pieces and stores them
        settings.PLAN_PIECE_CACHE = alias
        assert client.get(page).status_code == 200
    for _ in range(args.repeat):
        for label, alias in [*aliases.items(), ("sign-in page (reference)", "")]:
            if alias:
                settings.PLAN_PIECE_CACHE = alias
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(page) if alias else anonymous.get("/accounts/login/")
            wall[label].append(time.perf_counter() - started)
            cpu[label].append(time.process_time() - started_cpu)
            assert response.status_code == 200
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(
        f"plan page ({args.items} items) on {engine}, pieces kept in each cache; {args.repeat} requests each"
    )
    local_p50 = summary(wall["per process (LocMem)"])[0]
    local_cpu = summary(cpu["per process (LocMem)"])[0]
    for label in wall:
        p50, p95 = summary(wall[label])
        c50, c95 = summary(cpu[label])
        print(
            f"  {label:26} wall p50 {p50 * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms   "
            f"CPU p50 {c50 * 1000:6.1f} ms  p95 {c95 * 1000:6.1f} ms   "
            f"x local: wall {p50 / local_p50:4.2f}  CPU {c50 / local_cpu:4.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
