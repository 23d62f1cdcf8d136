"""The counts live in the database: one process's failures hold in another, and after a restart.

Each step runs in a new ``python`` process against one database: on PostgreSQL the test database
itself (committed by ``transactional_db``, so this process sees the children's rows too); on SQLite,
whose test database lives in this process's memory, a file database that the first child migrates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from prongsai.accounts.models import SignInThrottle
from prongsai.conftest import PASSWORD

CHILD = r"""
import json, sys
from datetime import UTC, datetime

import django

django.setup()
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from prongsai.accounts import throttle

throttle.now = lambda: datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # one moment for every process
step, username, password = sys.argv[1], sys.argv[2], sys.argv[3]
if step == "prepare":
    if sys.argv[4] == "migrate":
        call_command("migrate", verbosity=0)
    User.objects.get_or_create(username=username, defaults={"password": make_password(password)})
    print(json.dumps([]))
else:
    count = int(sys.argv[4])
    client = Client(REMOTE_ADDR="198.51.100.66")
    print(json.dumps([client.post("/accounts/login/", {"username": username, "password": password}).status_code
                      for _ in range(count)]))
"""


def _child_environment(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PRONGSAI_SQLITE_PATH"}}
    env["DJANGO_SETTINGS_MODULE"] = "prongsai.settings"
    env["SECRET_KEY"] = settings.SECRET_KEY
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        env["PRONGSAI_SQLITE_PATH"] = str(tmp_path / "shared.sqlite3")
    return env


def start(env, *arguments):
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def result(child):
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == 0, stderr
    return json.loads(stdout.strip().splitlines()[-1])


def run(env, *arguments):
    return result(start(env, *arguments))


@pytest.mark.django_db(transaction=True)
def test_failures_in_one_process_throttle_the_next(tmp_path, monkeypatch):
    env = _child_environment(tmp_path)
    run(env, "prepare", "bob", PASSWORD, "keep" if connection.vendor == "postgresql" else "migrate")

    assert run(env, "guess", "bob", "wrong", "5") == [200] * 5  # the first process guesses and ends
    assert run(env, "guess", "bob", PASSWORD, "1") == [429]  # a new process is refused, right password or not

    if connection.vendor == "postgresql":
        # The same database from this process as well: it sees the counts and refuses too.
        from datetime import UTC, datetime

        from prongsai.accounts import throttle

        monkeypatch.setattr(throttle, "now", lambda: datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
        assert SignInThrottle.objects.filter(failures=5).count() == 2
        refused = Client(REMOTE_ADDR="192.0.2.10").post(
            "/accounts/login/", {"username": "bob", "password": PASSWORD}
        )
        assert refused.status_code == 429


@pytest.mark.django_db(transaction=True)
def test_processes_guessing_at_once_get_no_more_guesses_than_one(tmp_path):
    """Each attempt is counted before its password is checked, so parallel guesses cannot slip past."""
    env = _child_environment(tmp_path)
    run(env, "prepare", "carol", PASSWORD, "keep" if connection.vendor == "postgresql" else "migrate")
    children = [start(env, "guess", "carol", "wrong", "8") for _ in range(3)]
    statuses = [status for child in children for status in result(child)]
    assert sorted(statuses) == [200] * 5 + [429] * 19
