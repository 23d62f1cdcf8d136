"""Benchmark: every oversight dashboard level on a seeded country, against the cheapest page in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/prongsai_national \\
        .venv/bin/python benchmarks/oversight.py [--repeat 30] [--sizes 1000,7852]

Reads the database named by ``DATABASE_URL`` as it is (seed it first: ``prongsai manage seed_national
--lao 7852``); it only adds four officers (``bench-national``, ``bench-region``, ``bench-province``,
``bench-district``) with their grants, through ``prongsai.oversight.actions`` -- skipped with a message
when that app is not installed. The region, province and district are the ones with the most
organisations. Through Django's test client (without the test environment's template instrumentation)
each officer requests their level ``--repeat`` times: ``/oversight/`` (country), ``/oversight/r/<code>/``,
``/oversight/p/<code>/``, ``/oversight/d/<code>/``; the script prints p50/p95, queries and response size
per level, "not found" for a page that answers 404, and each p95 as a ratio to the reference page
(``/healthz``, which touches neither the database nor a template) and to the sign-in page (a template).
Then the number of organisations and the database size.

``--sizes 1000,7852``: growth with the number of organisations. Each size N is measured on a database of
its own: the one ``DATABASE_URL`` names when it holds N organisations, else ``<name>_<N>`` on the same
server, created, migrated and seeded (``seed_national --lao N``) when missing. Each size runs in a process
of its own; the table at the end gives every level's p95 per size and the growth against the smallest.
Target (issue 13): every dashboard p95 <= 300 ms at the national level, growth sub-linear.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from _setup import ROOT, count_queries, let_test_client_in, p50_p95, setup_django

OFFICERS = ("national", "region", "province", "district")
TARGET_P95 = 0.300
REFERENCE, SIGN_IN = "/healthz", "/accounts/login/"


@dataclass
class Page:
    label: str
    url: str
    status: int
    p50: float = 0.0
    p95: float = 0.0
    queries: int = 0
    size: int = 0

    @property
    def found(self) -> bool:
        return self.status == 200

    def line(self, reference: Page | None) -> str:
        if self.status == 404:
            return f"  {self.label:24s} {self.url:28s} not found"
        if not self.found:
            return f"  {self.label:24s} {self.url:28s} HTTP {self.status}"
        ratio = f"  {self.p95 / reference.p95:7.1f}x" if reference and reference.p95 else ""
        return (
            f"  {self.label:24s} {self.url:28s} p50 {self.p50 * 1000:7.1f} ms  p95 {self.p95 * 1000:7.1f} ms"
            f"{ratio}  queries {self.queries:3d}  {self.size / 1024:7.1f} KiB"
        )


@dataclass(frozen=True)
class Areas:
    """The heaviest area of each level: the region, its province and that province's district with the
    most organisations (ties broken by code)."""

    region: str | None
    province: str | None
    district: str | None


def busiest_areas() -> Areas:
    from django.db.models import Count

    from prongsai.organizations.models import Organization

    def top(field: str, **within: str) -> str | None:
        row = (
            Organization.objects.filter(**within)
            .values(field)
            .annotate(n=Count("id"))
            .order_by("-n", field)
            .values_list(field, flat=True)
            .first()
        )
        return str(row) if row is not None else None

    region = top("district__province__region")
    province = top("district__province", district__province__region=region) if region else None
    district = top("district", district__province=province) if province else None
    return Areas(region, province, district)


def officer_urls(areas: Areas) -> dict[str, str | None]:
    return {
        "national": "/oversight/",
        "region": f"/oversight/r/{areas.region}/" if areas.region else None,
        "province": f"/oversight/p/{areas.province}/" if areas.province else None,
        "district": f"/oversight/d/{areas.district}/" if areas.district else None,
    }


def ensure_officers(areas: Areas) -> dict[str, Any] | None:
    """The four officers with their grants (made once, kept for later runs); None without the oversight app."""
    try:
        from prongsai.oversight import actions
    except ModuleNotFoundError as error:
        if error.name in ("prongsai.oversight", "prongsai.oversight.actions"):
            return None
        raise
    from django.contrib.auth.models import User
    from django.core.exceptions import ValidationError

    from prongsai.organizations.access import SystemActor

    actor = SystemActor("benchmark")
    area_of = {
        "national": None,
        "region": areas.region,
        "province": areas.province,
        "district": areas.district,
    }
    level_of = {"national": "country", "region": "region", "province": "province", "district": "district"}
    users: dict[str, Any] = {}
    for officer in OFFICERS:
        user, _created = User.objects.get_or_create(username=f"bench-{officer}")
        if officer != "national" and area_of[officer] is None:
            continue
        with contextlib.suppress(ValidationError):  # granted by an earlier run (one per user and area)
            actions.grant(actor, user, level_of[officer], area_of[officer])
        users[officer] = user
    return users


def measure(client: Any, label: str, url: str, repeat: int) -> Page:
    """One page: a first request (its status, queries and size), then ``repeat`` timed ones."""
    import time

    response, queries = count_queries(lambda: client.get(url))
    page = Page(label, url, response.status_code)
    if not page.found:
        return page
    page.queries, page.size = queries, len(response.content)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    page.p50, page.p95 = p50_p95(times)
    return page


def database_url_for(url: str, size: int) -> str:
    """``postgres://…/prongsai_national`` → ``postgres://…/prongsai_national_1000``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{size}"))


def run_once(repeat: int) -> dict[str, Any]:
    setup_django(scratch=False)
    from django.db import connection
    from django.test import Client

    import prongsai.wsgi  # noqa: F401  (as a server process starts: the app loaded, its objects frozen)
    from prongsai.geography.seed import database_size
    from prongsai.organizations.models import Organization

    let_test_client_in()
    anonymous = Client()
    pages = [measure(anonymous, "reference (healthz)", REFERENCE, repeat)]
    pages.append(measure(anonymous, "sign-in page", SIGN_IN, repeat))
    areas = busiest_areas()
    users = ensure_officers(areas)
    note = ""
    if users is None:
        note = "prongsai.oversight is not installed: no officers, dashboards not measured"
    else:
        for officer, url in officer_urls(areas).items():
            if url is None or officer not in users:
                continue
            client = Client()
            client.force_login(users[officer])
            pages.append(measure(client, f"{officer} dashboard", url, repeat))
    return {
        "engine": connection.vendor,
        "organizations": Organization.objects.count(),
        "database_bytes": database_size(),
        "areas": asdict(areas),
        "pages": [asdict(p) for p in pages],
        "note": note,
    }


def report(result: dict[str, Any]) -> None:
    pages = [Page(**p) for p in result["pages"]]
    reference = pages[0] if pages and pages[0].found else None
    print(
        f"{result['organizations']:,} organisations on {result['engine']}, database "
        f"{result['database_bytes'] / 2**20:,.0f} MB; areas {result['areas']}"
    )
    print("  p95 ratios are to the reference page")
    for page in pages:
        print(page.line(reference))
    if result["note"]:
        print(f"  {result['note']}")
    dashboards = [p for p in pages if p.label.endswith("dashboard") and p.found]
    if dashboards:
        worst = max(p.p95 for p in dashboards)
        verdict = "met" if worst <= TARGET_P95 else "NOT met"
        print(
            f"  slowest dashboard p95 {worst * 1000:.1f} ms: target <= {TARGET_P95 * 1000:.0f} ms {verdict}"
        )


def growth_table(results: dict[int, dict[str, Any]]) -> list[str]:
    """Every page's p95 per size, and its growth against the smallest size beside the growth in
    organisations (sub-linear: the first ratio stays below the second)."""
    sizes = sorted(results)
    labels: list[str] = []
    for size in sizes:
        for page in results[size]["pages"]:
            if page["label"] not in labels:
                labels.append(page["label"])
    lines = [
        "  "
        + "page".ljust(24)
        + "".join(f"{size:>12,}" for size in sizes)
        + "   growth (p95 / organisations)"
    ]
    first = sizes[0]
    for label in labels:
        cells, p95s = [], {}
        for size in sizes:
            page = next((p for p in results[size]["pages"] if p["label"] == label), None)
            if page is None or page["status"] != 200:
                cells.append(f"{'not found' if page and page['status'] == 404 else '-':>12}")
            else:
                p95s[size] = page["p95"]
                cells.append(f"{page['p95'] * 1000:>9.1f} ms")
        growth = ""
        last = sizes[-1]
        if first in p95s and last in p95s and p95s[first] and len(sizes) > 1:
            orgs = results[last]["organizations"] / max(1, results[first]["organizations"])
            growth = f"   {p95s[last] / p95s[first]:.2f}x / {orgs:.1f}x"
        lines.append("  " + label.ljust(24) + "".join(cells) + growth)
    return lines


def count_organizations(url: str) -> int | None:
    """How many organisations the database at ``url`` holds; None when it does not exist or is not migrated."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute("SELECT count(*) FROM organizations_organization").fetchone()
            return int(row[0]) if row else 0
    except psycopg.Error:
        return None


def prepare(url: str, size: int) -> None:
    """Create, migrate and seed the database for one size (only what is missing)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')  # a name of our own making: <name>_<digits>
    env = os.environ | {"DATABASE_URL": url}
    prongsai = [sys.executable, "-m", "prongsai.cli", "manage"]
    subprocess.run([*prongsai, "migrate", "-v0"], check=True, env=env, cwd=ROOT)  # noqa: S603
    if count_organizations(url) == 0:
        subprocess.run([*prongsai, "seed_national", "--lao", str(size)], check=True, env=env, cwd=ROOT)  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--sizes", default="", help="e.g. 1000,7852: growth with the number of organisations")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one size, for --sizes
    args = parser.parse_args(argv)
    if not args.sizes:
        result = run_once(args.repeat)
        if args.json:
            print(json.dumps(result))
        else:
            report(result)
        return 0
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        print("--sizes needs DATABASE_URL naming a PostgreSQL database", file=sys.stderr)
        return 2
    results: dict[int, dict[str, Any]] = {}
    for size in sorted({int(s) for s in args.sizes.split(",") if s.strip()}):
        url = base if count_organizations(base) == size else database_url_for(base, size)
        if url != base:
            prepare(url, size)
        print(f"--- {size:,} organisations: {urlsplit(url).path.lstrip('/')}", flush=True)
        done = subprocess.run(  # noqa: S603 - this script, fixed arguments
            [sys.executable, __file__, "--json", "--repeat", str(args.repeat)],
            env=os.environ | {"DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=True,
        )
        results[size] = json.loads(done.stdout.strip().splitlines()[-1])
        report(results[size])
    print("growth:")
    for line in growth_table(results):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
