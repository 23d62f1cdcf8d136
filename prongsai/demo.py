"""``prongsai demo``: migrate the embedded database, load the Wang Phai plan and demo users, serve.

A second, illustrative organisation (``tambon-sample``, which does not exist) has a plan published in two
revisions, so the public directory lists more than one local government and a revision's changes can be
seen. Running it again keeps existing data: plans are loaded only when missing, users only created when
missing.
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

DEMO_ORG = "wangphai"
DEMO_FILE = Path(__file__).resolve().parent / "plans" / "demo" / "wangphai-2561-2564.json"
DEMO_ROLES = ("planner", "approver", "auditor", "viewer", "complaints")
SAMPLE_ORG = "tambon-sample"
SAMPLE_FILE = Path(__file__).resolve().parent / "plans" / "demo" / "tambon-sample-2561-2564.json"
SAMPLE_ROLES = ("planner", "approver")
OVERSIGHT_USERS = ("chumphon-province", "national")
NOTES: list[str] = []  # printed once by the demo command (see prepare)


def _demo_actor() -> Any:
    from prongsai.organizations.access import SystemActor

    return SystemActor("demo")


def load_demo_plan(path: Path = DEMO_FILE) -> bool:
    """Import the plan of ``path`` (Wang Phai's by default) unless it is there; True when imported now."""
    from prongsai.plans.interchange import import_plan
    from prongsai.plans.models import Plan

    data = json.loads(path.read_text(encoding="utf-8"))
    if Plan.objects.filter(
        organization__slug=data["organization"]["slug"], slug=data["plan"]["slug"]
    ).exists():
        return False
    import_plan(data, actor=_demo_actor())
    return True


def _passwords_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-users.json"


@transaction.atomic
def ensure_demo_users() -> dict[str, str]:
    """One user per role in the demo organisation, plus a site administrator; returns user name → password.

    Passwords are random, made once, and kept in var/ (never in the repository) so a second run prints them again.
    """
    from django.contrib.auth import get_user_model

    from prongsai.organizations import actions
    from prongsai.organizations.models import Membership, Organization

    user_model = get_user_model()
    path = _passwords_file()
    known: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    wanted = [(f"{DEMO_ORG}-{role}", role, DEMO_ORG) for role in DEMO_ROLES]
    wanted += [(f"{SAMPLE_ORG}-{role}", role, SAMPLE_ORG) for role in SAMPLE_ROLES]
    wanted += [("admin", "", "")]
    wanted += [(name, "oversight", "") for name in OVERSIGHT_USERS]  # granted by oversight.demo
    for username, role, slug in wanted:
        user = user_model.objects.filter(username=username).first()
        if user is None or username not in known:
            password = secrets.token_urlsafe(9)
            created = user is None
            if user is None:
                user = user_model(username=username)
            user.set_password(password)
            user.is_staff = user.is_superuser = role == ""
            user.save()
            actions.record_user_saved(_demo_actor(), user, created=created)
            known[username] = password
        organization = Organization.objects.filter(slug=slug).first() if role else None
        if (
            organization is not None
            and not Membership.objects.filter(user=user, organization=organization).exists()
        ):
            actions.add_member(_demo_actor(), organization, user, role)
    path.write_text(json.dumps(known, indent=2), encoding="utf-8")
    path.chmod(0o600)
    return {username: known[username] for username, _role, _slug in wanted}


def demo_loaders() -> list[Any]:
    """Further demo data from other apps (ITA results, reports, …): each run after the plan is published."""
    from prongsai.complaints.demo import load_demo_complaints
    from prongsai.ita.demo import load_demo_ita
    from prongsai.oversight.demo import load_demo_oversight
    from prongsai.reports.demo import load_demo_reports
    from prongsai.risks.demo import load_demo_risks

    # Oversight last: its refresh reads what the others made.
    return [load_demo_ita, load_demo_reports, load_demo_risks, load_demo_complaints, load_demo_oversight]


def publish_demo_plan(org_slug: str = DEMO_ORG, revision: int = 1) -> Any:
    """The organisation's demo planner submits revision ``revision`` as it stands, and its demo approver
    (another person: four eyes) approves and publishes it."""
    from django.contrib.auth import get_user_model

    from prongsai.plans import actions
    from prongsai.plans.models import Plan, PlanStatus

    plan = Plan.objects.select_related("organization").get(organization__slug=org_slug, revision=revision)
    users = get_user_model().objects
    planner, approver = users.get(username=f"{org_slug}-planner"), users.get(username=f"{org_slug}-approver")
    if plan.status == PlanStatus.DRAFT:
        plan = actions.submit_plan(planner, plan)
    if plan.status == PlanStatus.SUBMITTED:
        plan = actions.approve_plan(approver, plan)
    if plan.status == PlanStatus.APPROVED:
        plan = actions.publish_plan(approver, plan)
    return plan


def revise_sample_plan() -> None:
    """The sample organisation's second revision (illustrative): one budget raised and one project added,
    made by its planner and published by its approver, so the public can see what changed."""
    from dataclasses import replace
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from prongsai.plans import actions

    planner = get_user_model().objects.get(username=f"{SAMPLE_ORG}-planner")
    first = publish_demo_plan(SAMPLE_ORG, 1)
    draft = actions.start_revision(planner, first)
    item = draft.items.select_related("mission").order_by("mission__position", "position").first()
    if item is not None:
        data = actions.ItemData.of(item)
        year = draft.first_year + 1
        actions.update_item(
            planner,
            item,
            replace(data, budgets=data.budgets | {year: data.budgets.get(year, Decimal(0)) + 15000}),
        )
        actions.add_item(
            planner,
            draft,
            item.mission,
            actions.ItemData(
                kind="project",
                title="โครงการเสริมสร้างความโปร่งใสในการจัดซื้อจัดจ้าง (ตัวอย่างเพิ่มในฉบับแก้ไข)",
                responsible_unit="กองคลัง",
                is_illustrative=True,
                budgets={draft.last_year - 1: Decimal(20000), draft.last_year: Decimal(20000)},
            ),
        )
    publish_demo_plan(SAMPLE_ORG, 2)


def prepare() -> dict[str, str]:
    """Migrate, load the demo data, make the log's signing key (under var/) and sign every log's head.

    The plan is published by the demo approver when it is first loaded; later runs keep whatever the
    demo users did since."""
    from django.core.management import call_command

    from prongsai.audit.checkpoint import checkpoint
    from prongsai.audit.keys import ensure_signer

    call_command("migrate", interactive=False, verbosity=0)
    imported = load_demo_plan()
    sample_imported = load_demo_plan(SAMPLE_FILE)
    users = ensure_demo_users()
    if imported:
        publish_demo_plan()
    if sample_imported:
        revise_sample_plan()
    # After publishing: reports need the published plan and the demo users. A loader may return lines to
    # print once (the demo complaint's receipt, which is stored nowhere).
    NOTES.clear()
    for loader in demo_loaders():
        note = loader()
        if isinstance(note, str):
            NOTES.append(note)
    ensure_signer()
    checkpoint()
    return users


def demo_command(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    users = prepare()
    address = f"127.0.0.1:{args.port}"
    print(f"\nProngsai demo: http://{address}/ (public) · http://{address}/o/{DEMO_ORG}/ (officers)")
    print("ผู้ใช้สาธิต / demo users (user name: password):")
    for username, password in users.items():
        print(f"  {username}: {password}")
    for note in NOTES:
        print(note)
    if args.no_serve:
        return 0
    worker = start_worker()
    try:
        call_command("runserver", address, use_reloader=False, use_threading=True)
    finally:
        stop_worker(worker)
    return 0


def start_worker() -> subprocess.Popen[bytes] | None:
    """The demo runs one job worker beside its web server, as production does (``prongsai worker``), so
    that plans submitted in the demo are laid out ahead and logs are signed every hour."""
    if settings.JOBS != "database":
        return None
    process = subprocess.Popen([sys.executable, "-m", "prongsai.cli", "worker"])
    print(f"job worker: pid {process.pid} (prongsai worker)")
    return process


def stop_worker(process: subprocess.Popen[bytes] | None) -> None:
    if process is None:
        return
    process.terminate()  # finishes the job in hand, then stops
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo", help="prepare the demo database with the Wang Phai plan and serve it"
    )
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="prepare the database and users, do not serve")
    demo.set_defaults(handler=demo_command)
