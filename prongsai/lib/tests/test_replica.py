"""Read-only pages read from the replica (lib/replica.py): a replica alias pointed at the test's own
database, and every query recorded with the alias that ran it."""

from __future__ import annotations

import contextlib
import runpy
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connections, transaction
from django.test import Client

import prongsai.settings as prongsai_settings
from prongsai.conftest import client_for
from prongsai.lib.replica import REPLICA, read_only, replica_reads
from prongsai.plans import actions
from prongsai.plans.models import Plan


def test_the_replica_is_read_from_the_environment_and_mirrors_the_primary_in_tests(monkeypatch, tmp_path):
    monkeypatch.setenv("PRONGSAI_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", "postgres://app@primary.example:5432/prongsai")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader@replica.example:5432/prongsai")
    read = runpy.run_path(str(Path(prongsai_settings.__file__)))
    replica = read["DATABASES"]["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == ("replica.example", "reader", "prongsai")
    assert replica["TEST"] == {"MIRROR": "default"}
    assert read["DATABASE_ROUTERS"] == ["prongsai.lib.replica.ReplicaRouter"]
    monkeypatch.delenv("DATABASE_REPLICA_URL")
    assert "replica" not in runpy.run_path(str(Path(prongsai_settings.__file__)))["DATABASES"]


@pytest.fixture
def replica():
    """A ``replica`` alias on the primary's own (test) database, and a count of queries per alias."""
    connections.settings[REPLICA] = {**connections["default"].settings_dict}
    # Opened here: the test framework refuses connections to an alias a test did not declare, and this
    # one did not exist when the test was declared.
    connections[REPLICA].connect()
    used: Counter[str] = Counter()

    def recorder(alias):
        def record(execute, sql, params, many, context):
            used[alias] += 1
            return execute(sql, params, many, context)

        return record

    with contextlib.ExitStack() as stack:
        for alias in ("default", REPLICA):
            stack.enter_context(connections[alias].execute_wrapper(recorder(alias)))
        yield used
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.mark.django_db(transaction=True)
def test_public_pages_read_the_replica_and_everything_else_the_primary(plan, people, replica):
    bob = people["bob"]
    published = actions.publish_plan(
        bob, actions.approve_plan(bob, actions.submit_plan(people["alice"], plan))
    )
    assert replica[REPLICA] == 0 and replica["default"] > 0  # writes: the primary only

    replica.clear()
    page = f"/p/wangphai/plans/{published.slug}/"
    response = Client().get(page)
    assert response.status_code == 200 and published.title in response.content.decode()
    assert replica[REPLICA] > 0 and replica["default"] == 0  # anonymous: not even a session read

    replica.clear()
    assert client_for(people["dan"]).get(page).status_code == 200  # signed in: user and session
    assert replica[REPLICA] > 0 and replica["default"] > 0  # ... from the primary, the page from the replica

    replica.clear()
    assert client_for(people["alice"]).get(f"/o/wangphai/plans/{published.slug}/").status_code == 200
    assert replica[REPLICA] == 0  # officers' pages are not marked read-only

    replica.clear()
    assert Client().get("/api/v1/organizations").status_code == 200
    assert Client().get("/data/catalog.jsonld").status_code == 200
    assert replica[REPLICA] > 0 and replica["default"] == 0


@pytest.mark.django_db(transaction=True)
def test_marked_reads_stay_on_the_primary_in_a_transaction_and_for_users(plan, replica):
    with replica_reads():
        assert Plan.objects.count() == 1
        assert replica == Counter({REPLICA: 1})
        User.objects.count()  # users and sessions: always the primary
        assert replica["default"] == 1
        with transaction.atomic():
            Plan.objects.count()  # inside a transaction: what it reads, it may write
        assert replica[REPLICA] == 1
    Plan.objects.count()  # not marked
    assert replica[REPLICA] == 1

    @read_only
    def dashboard() -> int:
        return Plan.objects.count()

    assert dashboard() == 1 and replica[REPLICA] == 2


@pytest.mark.django_db
def test_without_a_replica_marked_reads_go_to_the_primary(plan):
    assert REPLICA not in connections.settings
    with replica_reads():
        assert Plan.objects.db == "default"
        assert Plan.objects.count() == 1
