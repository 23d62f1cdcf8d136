"""The public side under a crowd: gunicorn (2 workers) on 127.0.0.1, 50 clients, 20 s a phase, ratios.

Prepares a scratch database (SQLite in var/public-load/, or the PostgreSQL database of DATABASE_URL, which
must be a scratch one) with the Wang Phai plan and a 250-item plan, both published, then measures in one
run, each phase bounded in clients and time:

1. Django's cheapest page, ``/healthz`` (no database, no template): the ceiling;
2. the directory ``/``;
3. the public page of the 250-item plan;
4. the same plan as JSON from the API;
5. the plan's items as open data (JSON).

Prints requests/s, the ratio to the ceiling, p50 and p99. Target: every public page ≥ 0.5 of the
ceiling and p99 < 200 ms.

    .venv/bin/python benchmarks/public_load.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/prongsai_public .venv/bin/python benchmarks/public_load.py
    .venv/bin/python benchmarks/public_load.py --clients 20 --seconds 5

Not a test: the figures go into docs/decisions/0007-public-portal.md.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sys
from typing import Any

from loadkit import ROOT, Server, pct, phase_pages, request

SCRATCH = ROOT / "var" / "public-load"
BIG_ORG = "load-250"
ITEMS = 250


def big_plan(source: dict[str, Any], items: int) -> dict[str, Any]:
    """The Wang Phai file with its items copied round the missions until the plan has ``items``."""
    data = copy.deepcopy(source)
    data["organization"] |= {"slug": BIG_ORG, "name_th": "เทศบาลตำบลทดสอบภาระ", "name_en": "Load test"}
    missions: list[dict[str, Any]] = []

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            missions.append(node)
            walk(node["missions"])

    for dimension in data["plan"]["dimensions"]:
        walk(dimension["missions"])
    originals = [item for mission in missions for item in mission["items"]]
    count = len(originals)
    n = 0
    while count < items:
        mission = missions[n % len(missions)]
        item = copy.deepcopy(originals[n % len(originals)])
        item["title"] = f"{item['title']} (ชุดที่ {n + 2})"
        mission["items"].append(item)
        count += 1
        n += 1
    return data


def prepare(env: dict[str, str]) -> str:
    """A migrated scratch database with both plans published; returns the big plan's slug."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from prongsai.demo import DEMO_FILE
    from prongsai.organizations.access import SystemActor
    from prongsai.plans import actions
    from prongsai.plans.interchange import import_plan

    call_command("migrate", interactive=False, verbosity=0)
    actor = SystemActor("benchmark")
    source = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    for data in (source, big_plan(source, ITEMS)):
        plan = import_plan(data, actor=actor)
        plan = actions.approve_plan(actor, plan)
        actions.publish_plan(actor, plan)
    connections.close_all()
    return str(source["plan"]["slug"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients per phase (default 50)")
    parser.add_argument(
        "--seconds", type=float, default=20, help="length of each phase, at most 20 (default 20)"
    )
    args = parser.parse_args()
    seconds = min(args.seconds, 20)
    clients = min(args.clients, 50)

    env = {"SECURE_COOKIES": "0", "LOG_LEVEL": "ERROR", "DJANGO_SETTINGS_MODULE": "prongsai.settings"}
    shutil.rmtree(SCRATCH, ignore_errors=True)
    SCRATCH.mkdir(parents=True)
    env["PRONGSAI_VAR_DIR"] = str(SCRATCH)
    if not os.environ.get("DATABASE_URL"):
        env["PRONGSAI_SQLITE_PATH"] = str(SCRATCH / "public-load.sqlite3")
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    plan = prepare(env)
    phases = [
        ("cheapest page GET /healthz", "/healthz"),
        ("directory GET /", "/"),
        (f"plan page, {ITEMS} items", f"/p/{BIG_ORG}/plans/{plan}/"),
        (f"plan JSON (API), {ITEMS} items", f"/api/v1/organizations/{BIG_ORG}/plans/{plan}"),
        (f"items open data JSON, {ITEMS} items", f"/data/o/{BIG_ORG}/{plan}/latest/items.json"),
    ]
    print(f"{database}, gunicorn 2 workers, {clients} clients, {seconds:g} s per phase")
    server = Server(env, SCRATCH)
    rows = []
    try:
        for name, path in phases:
            status = request(server.port, "GET", path)[0]
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            rps, tally = phase_pages(server.port, [path], clients, seconds)
            rows.append((name, rps, tally))
    finally:
        server.stop()
    ceiling = rows[0][1]
    print(f"{'':36} {'req/s':>8} {'ratio':>6} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for name, rps, tally in rows:
        print(
            f"{name:36} {rps:8.1f} {rps / ceiling:6.2f} {pct(tally.latencies, 0.5):8.1f} "
            f"{pct(tally.latencies, 0.99):8.1f}  {dict(sorted(tally.statuses.items()))}"
        )


if __name__ == "__main__":
    main()
