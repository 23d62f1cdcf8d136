"""Shared test fixtures: two organisations and named people.

In organisation A (``wangphai``): Alice plans, Bob approves, Carol audits, Dan only reads.
In organisation B (``bangrak``): Erin plans. Anonymous visitors are nobody.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.http import HttpResponseBase, StreamingHttpResponse
from django.test import Client

from prongsai.organizations import actions as org_actions
from prongsai.organizations.access import SystemActor
from prongsai.organizations.models import Organization, OrganizationKind, Role
from prongsai.plans import actions
from prongsai.plans.models import Plan

PASSWORD = "correct horse battery staple"
# Test data is made through the audited actions like any other data, so ``audit verify`` holds on it.
SETUP = SystemActor("test")


def make_org(slug: str, name: str) -> Organization:
    return org_actions.create_organization(
        SETUP,
        {
            "slug": slug,
            "name_th": name,
            "name_en": slug.title(),
            "kind": OrganizationKind.SUBDISTRICT_MUNICIPALITY,
            "district_th": "อำเภอเมืองชุมพร",
            "province_th": "จังหวัดชุมพร",
        },
    )


@functools.cache
def password_hash() -> str:
    """Argon2 is slow on purpose: hash the shared test password once per run, not once per user."""
    return make_password(PASSWORD)


def make_user(username: str, org: Organization | None, role: str | None) -> User:
    user = User.objects.create(username=username, password=password_hash())
    if org is not None and role is not None:
        org_actions.add_member(SETUP, org, user, role)
    return user


@pytest.fixture(autouse=True)
def _own_signing_key(settings: Any, tmp_path_factory: Any) -> None:
    """Each test signs with a key and keeps checkpoint copies of its own, never the demo's under var/
    (a developer runs ``make demo`` and then ``make test`` in the same checkout)."""
    folder = tmp_path_factory.mktemp("audit")
    settings.AUDIT_KEY_FILE = str(folder / "audit-signing.key")
    settings.AUDIT_WITNESS_DIR = str(folder / "checkpoints")


def _is_transactional(item: Any) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    # live_server asks for transactional_db while the test starts, so it is not among the names.
    return (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and bool(marker.kwargs.get("transaction")))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: Any, nextitem: Any) -> Any:
    """The country's map is loaded by a migration; a transactional test's flush empties it with every other
    table. Put it back once that flush is done, so that the tests after it (pytest-django runs them last,
    and tests that ask for the database only while they run come later still) find it."""
    yield
    if not _is_transactional(item) or nextitem is None:
        return  # after the last test of a run (or of a worker) the test database is already gone
    from pytest_django.plugin import blocking_manager_key

    from prongsai.geography.load import load_country
    from prongsai.geography.models import SubDistrict

    with item.config.stash[blocking_manager_key].unblock():
        if not SubDistrict.objects.exists():
            load_country()


@pytest.fixture(autouse=True)
def _fresh_caches() -> Any:
    """Cached public pages never outlive a test: ids are reused after a rollback on SQLite, so an old
    page could otherwise carry a stamp that a later test's publication has again."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    from prongsai.portal.cache import forget_stamp

    # The database cache lives in the test database, which each test's rollback (or flush) empties; a
    # test without database access could not clear it anyway.
    for cache in caches.all():
        if not isinstance(cache, DatabaseCache):
            cache.clear()
    forget_stamp()
    yield


@pytest.fixture(autouse=True)
def _thai_first() -> Any:
    """Each test starts in Thai, the site's language: a page a test read in English leaves the thread's
    active language behind (LocaleMiddleware activates it and nothing deactivates it outside a server)."""
    from django.utils import translation

    translation.activate("th")
    yield
    translation.deactivate()


@pytest.fixture
def org_a(db: Any) -> Organization:
    return make_org("wangphai", "เทศบาลตำบลวังไผ่")


@pytest.fixture
def org_b(db: Any) -> Organization:
    return make_org("bangrak", "เทศบาลตำบลบางรัก")


@pytest.fixture
def people(org_a: Organization, org_b: Organization) -> dict[str, User]:
    return {
        "alice": make_user("alice", org_a, Role.PLANNER),
        "bob": make_user("bob", org_a, Role.APPROVER),
        "carol": make_user("carol", org_a, Role.AUDITOR),
        "dan": make_user("dan", org_a, Role.VIEWER),
        "erin": make_user("erin", org_b, Role.PLANNER),
    }


@pytest.fixture
def plan(org_a: Organization, people: dict[str, User]) -> Plan:
    """A draft 2561–2564 plan of organisation A with a little Part 1 and two items."""
    alice = people["alice"]
    plan = actions.create_plan(
        alice, org_a, slug="2561-2564", title="แผนปฏิบัติการป้องกันการทุจริตสี่ปี", first_year=2561, last_year=2564
    )
    actions.add_part1_entry(alice, plan, "preface", "ด้วยคณะรัฐมนตรีได้มีมติเห็นชอบยุทธศาสตร์ชาติ")
    actions.add_part1_entry(alice, plan, "strengths", "ผู้บริหารมาจากการเลือกตั้งโดยตรง")
    mission = plan.missions.get(code="1.1.1")
    actions.add_item(
        alice,
        plan,
        mission,
        actions.ItemData(
            kind="project",
            title="โครงการความรู้คู่คุณธรรม",
            budgets={2561: Decimal("20000"), 2562: Decimal("20000")},
            indicators=[actions.IndicatorData("ร้อยละของผู้เข้าร่วมที่ผ่านการทดสอบ", Decimal("80"), "ร้อยละ")],
        ),
    )
    actions.add_item(
        alice,
        plan,
        plan.missions.get(code="2.1"),
        actions.ItemData(kind="activity", title="กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร"),
    )
    return plan


# Oversight personas (grants, not memberships): Paula follows the province of ชุมพร (86), where both
# organisations above are; Quinn follows another province (กรุงเทพมหานคร, 10); Nora the whole country.
OVERSEERS_INSIDE = ("paula", "nora")
OVERSEER_OUTSIDE = "quinn"


def overseer_expects(person: str, inside: int) -> int:
    """What an oversight persona gets: inside its area what the auditor gets (``inside``), outside 404."""
    return 404 if person == OVERSEER_OUTSIDE else inside


@pytest.fixture
def overseers(db: Any) -> dict[str, User]:
    from prongsai.oversight import actions as oversight_actions

    found = {name: make_user(name, None, None) for name in ("paula", "quinn", "nora")}
    oversight_actions.grant(SETUP, found["paula"], "province", "86")
    oversight_actions.grant(SETUP, found["quinn"], "province", "10")
    oversight_actions.grant(SETUP, found["nora"], "country")
    return found


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def streamed(response: HttpResponseBase) -> bytes:
    """The body of a streamed answer (a file download): the test client leaves it unread."""
    assert isinstance(response, StreamingHttpResponse), type(response)
    return response.getvalue()


CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright never downloads a browser of its own here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def phone() -> Any:
    """A page in headless Chromium the size of a phone, asking for Thai as a Thai officer's browser would."""
    import os

    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls around it are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="th-TH"
        )
        yield context.new_page()
        browser.close()
        # ORM calls made while Playwright's loop runs get their own connection: close it, or PostgreSQL
        # cannot drop the test database afterwards.
        connections.close_all()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def log_problems(org_slug: str | None = None) -> list[str]:
    """What ``prongsai audit verify`` would report, as text; empty when every log holds."""
    from prongsai.audit.verify import verify

    return [str(problem) for report in verify(org_slug) for problem in report.problems]


def last_entry(event: str) -> Any:
    from prongsai.audit.models import AuditEvent

    return AuditEvent.objects.filter(event=event).order_by("-id").first()


def changed_state(entry: Any, type_name: str) -> dict[str, Any]:
    """The state the entry recorded for the (first) record of ``type_name`` it changed."""
    return next(c["state"] for c in entry.changes if c["type"] == type_name)
