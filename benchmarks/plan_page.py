"""Benchmark: the officers' plan page of a 250-item plan, against the sign-in page in the same run.

    .venv/bin/python benchmarks/plan_page.py [--items 250] [--repeat 40]

Builds, in a scratch SQLite database (or the PostgreSQL database named by ``DATABASE_URL``, whose tables
it empties first — never point it at real data), one organisation with a draft plan of ``--items`` items
(each with a budget in every year and two indicators) made through the actions. It then requests, through
Django's test client (without the test environment's template instrumentation) as the signed-in planner, the plan page ``--repeat`` times and the sign-in page as
many times, and prints p50/p95 of each (wall time) and their ratio, the plan page's p50/p95 in CPU time
(what it costs whatever else the shared machine runs), its queries and its HTML size.
``PRONGSAI_PROFILE=cumulative`` (or ``tottime``) prints a profile of one request first.
Target (issue 12): plan page p95 ≤ 100 ms for 250 items on the development machine.
"""

from __future__ import annotations

import argparse
import os
import time

from _setup import bench_plan, count_queries, let_test_client_in, percentiles, setup_django


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()

    setup_django()
    from django.test import Client

    let_test_client_in()  # not setup_test_environment(): its template instrumentation is a third of this page
    began = time.perf_counter()
    _org, planner, plan = bench_plan(
        args.items, member="bench-planner", role="planner", title="เพื่อวัดเวลาของหน้าแผนสำหรับเจ้าหน้าที่"
    )
    print(f"{args.items} items made in {time.perf_counter() - began:.1f} s")

    import prongsai.wsgi  # noqa: F401  (as a server process starts: the app loaded, its objects frozen)

    client = Client()
    client.force_login(planner)
    page = f"/o/bench/plans/{plan.slug}/"
    response = client.get(page)
    assert response.status_code == 200, response.status_code
    _response, queries = count_queries(lambda: client.get(page))
    anonymous = Client()
    assert anonymous.get("/accounts/login/").status_code == 200
    if os.environ.get("PRONGSAI_PROFILE"):  # where the time goes: PRONGSAI_PROFILE=1 prints the top 25
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(client.get, page)
        pstats.Stats(profile).sort_stats(
            os.environ["PRONGSAI_PROFILE"] if os.environ["PRONGSAI_PROFILE"] != "1" else "cumulative"
        ).print_stats(25)
    plan_p50, plan_p95 = percentiles(args.repeat, lambda: client.get(page))
    login_p50, login_p95 = percentiles(args.repeat, lambda: anonymous.get("/accounts/login/"))
    print(f"plan page ({args.items} items): p50 {plan_p50 * 1000:.1f} ms  p95 {plan_p95 * 1000:.1f} ms")
    print(f"sign-in page (reference):  p50 {login_p50 * 1000:.1f} ms  p95 {login_p95 * 1000:.1f} ms")
    print(f"ratio plan/sign-in: p50 {plan_p50 / login_p50:.1f}x  p95 {plan_p95 / login_p95:.1f}x")
    # CPU time of this process: what the page costs, whatever else the shared machine is doing.
    cpu_p50, cpu_p95 = percentiles(args.repeat, lambda: client.get(page), time.process_time)
    print(f"plan page CPU time: p50 {cpu_p50 * 1000:.1f} ms  p95 {cpu_p95 * 1000:.1f} ms")
    print(f"queries {queries}  HTML {len(response.content) / 1024:.0f} KiB")
    print(
        f"target p95 <= 100 ms: wall {'met' if plan_p95 <= 0.1 else 'NOT met'}, CPU {'met' if cpu_p95 <= 0.1 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
