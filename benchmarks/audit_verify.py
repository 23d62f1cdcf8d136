"""Benchmark: the cost of ``prongsai audit verify`` per 100,000 log entries.

    .venv/bin/python benchmarks/audit_verify.py [--entries 100000] [--items 250]

Builds, in a scratch SQLite database (or the PostgreSQL database named by ``DATABASE_URL``, whose tables
it empties first — never point it at real data), one organisation with a 250-item plan made through the
actions, then appends ``--entries`` further entries to its log, each an item edit carrying that item's
full state (about what a busy organisation writes in years), chained and hashed exactly as ``record``
does. It then times, in the same run:

- a plain scan of the organisation's entries (reading every row and its JSON, nothing checked): the floor;
- ``verify`` for that organisation: every hash and link, the signed checkpoint, and every tracked row
  compared with the replayed states.

and prints the seconds per 100,000 entries and the ratio to the plain scan, and the peak memory.
The national installation's cost is this per-organisation figure times its entries: verification of
one organisation never reads another's log.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=250)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="prongsai-bench-")
    os.environ.setdefault("PRONGSAI_VAR_DIR", scratch)
    if not os.environ.get("DATABASE_URL"):
        os.environ["PRONGSAI_SQLITE_PATH"] = str(Path(scratch) / "bench.sqlite3")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from prongsai.audit.checkpoint import checkpoint
    from prongsai.audit.keys import ensure_signer
    from prongsai.audit.log import entry_hash
    from prongsai.audit.models import AuditEvent, AuditLog, Checkpoint
    from prongsai.audit.state import change
    from prongsai.audit.verify import verify
    from prongsai.organizations import actions as org_actions
    from prongsai.organizations.access import SystemActor
    from prongsai.plans import actions
    from prongsai.plans.audit_state import items_of

    call_command("migrate", verbosity=0)
    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    actor = SystemActor("benchmark")
    org = org_actions.create_organization(
        actor,
        {
            "slug": "bench",
            "name_th": "เทศบาลตำบลทดสอบ",
            "kind": "subdistrict",
            "district": "8601",
        },
    )
    plan = actions.create_plan(actor, org, slug="p", title="แผน", first_year=2561, last_year=2564)
    leaves = list(plan.missions.filter(children__isnull=True))
    from decimal import Decimal

    for n in range(args.items):
        actions.add_item(
            actor,
            plan,
            leaves[n % len(leaves)],
            actions.ItemData(
                kind="project",
                title=f"โครงการส่งเสริมความโปร่งใสในการปฏิบัติงาน ลำดับที่ {n}",
                rationale="เทศบาลส่งเสริมให้บุคลากรและประชาชนมีส่วนร่วมในการป้องกันการทุจริต " * 6,
                budgets={2561: Decimal(10000 + n), 2562: Decimal(20000)},
                indicators=[actions.IndicatorData("ร้อยละของผู้เข้าร่วม", Decimal(80), "ร้อยละ")],
            ),
        )
    states = [change(item) for item in items_of(plan)]
    started = time.perf_counter()
    with transaction.atomic():
        log = AuditLog.objects.select_for_update().get(organization=org)
        batch: list[AuditEvent] = []
        previous, seq = log.head, log.size
        for n in range(args.entries):
            seq += 1
            entry = AuditEvent(
                log=log,
                seq=seq,
                organization=org,
                actor=None,
                actor_name=actor.label,
                at=timezone.now(),
                event="item.update",
                plan_key=plan.key,
                params={"title": f"edit {n}"},
                changes=[states[n % len(states)]],
                previous_hash=previous,
            )
            entry.hash = entry_hash(entry, log.key)
            previous = entry.hash
            batch.append(entry)
            if len(batch) == 5000:
                AuditEvent.objects.bulk_create(batch)
                batch = []
        AuditEvent.objects.bulk_create(batch)
        AuditLog.objects.filter(pk=log.pk).update(size=seq, head=previous)
    print(f"made {args.entries:,} entries in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    ensure_signer()
    checkpoint("bench")
    assert Checkpoint.objects.filter(log__organization=org).exists()

    started = time.perf_counter()
    scanned = 0
    for row in AuditEvent.objects.filter(log__organization=org).order_by("seq").iterator(chunk_size=2000):
        scanned += len(row.changes)
    scan = time.perf_counter() - started

    started = time.perf_counter()
    reports = verify("bench")
    checked = time.perf_counter() - started
    problems = [p for r in reports for p in r.problems]
    entries = sum(r.entries for r in reports)
    per = 100_000 / entries
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"entries verified: {entries:,}; rows compared: {sum(r.rows for r in reports):,}; problems: {len(problems)}"
    )
    print(f"plain scan:  {scan:.2f} s  ({scan * per:.2f} s per 100,000 entries)")
    print(f"verify:      {checked:.2f} s  ({checked * per:.2f} s per 100,000 entries)")
    print(f"ratio verify / plain scan: {checked / scan:.2f}")
    print(f"peak memory: {peak:.0f} MB")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
