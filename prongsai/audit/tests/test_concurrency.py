"""Many writers in several organisations at once: every log stays one unbroken chain.

PostgreSQL only: that is where writers run truly in parallel (SQLite's IMMEDIATE transactions take the
whole database's write lock, so they are serial by construction).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from prongsai.audit.models import AuditEvent, AuditLog
from prongsai.conftest import SETUP, log_problems, make_org, make_user
from prongsai.organizations.models import Role
from prongsai.plans import actions

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")

ORGS, WRITERS_PER_ORG, EDITS = 3, 4, 8


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_in_several_organisations_keep_every_log_whole():
    plans = []
    for n in range(ORGS):
        org = make_org(f"org{n}", f"เทศบาลตำบลทดสอบ {n}")
        planner = make_user(f"planner{n}", org, Role.PLANNER)
        plan = actions.create_plan(planner, org, slug="p", title="แผน", first_year=2561, last_year=2564)
        plans.append((planner, plan))
    errors: list[BaseException] = []
    start = threading.Barrier(ORGS * WRITERS_PER_ORG)

    def write(planner, plan, writer: int) -> None:
        try:
            start.wait()
            mission = plan.missions.get(code="1.1.1")
            for edit in range(EDITS):
                item = actions.add_item(
                    planner, plan, mission, actions.ItemData(kind="project", title=f"รายการ {writer}-{edit}")
                )
                actions.update_item(
                    planner, item, actions.ItemData(kind="activity", title=f"รายการ {writer}-{edit} แก้")
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=write, args=(planner, plan, w))
        for planner, plan in plans
        for w in range(WRITERS_PER_ORG)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for _planner, plan in plans:
        log = AuditLog.objects.get(organization=plan.organization)
        seqs = list(AuditEvent.objects.filter(log=log).order_by("seq").values_list("seq", flat=True))
        # organisation, member, plan, then two entries per edit
        assert seqs == list(range(1, 3 + WRITERS_PER_ORG * EDITS * 2 + 1))
        assert plan.items.count() == WRITERS_PER_ORG * EDITS
    assert log_problems() == []
    assert SETUP.name == "test"
