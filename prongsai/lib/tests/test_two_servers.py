"""Two application servers and a job worker, each its own process with its own var/ folder, against one
database (on PostgreSQL the test database, ``test_<name>``; on SQLite a file holding a copy of the
in-memory test database): what one counts, publishes or queues, the others see.

- the sign-in throttle counts failures made on either server for the same user name;
- the public directory cached by server A is served anew by A once server B has published a plan;
- the plan submitted on server B is laid out by a worker process, which also signs the logs.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from prongsai.audit.keys import ensure_signer
from prongsai.audit.models import Checkpoint
from prongsai.conftest import PASSWORD
from prongsai.lib import jobs

pytestmark = pytest.mark.django_db(transaction=True)


GUNICORN = [sys.executable, "-m", "gunicorn", "prongsai.wsgi", "--workers", "1", "--threads", "2"]
GUNICORN += ["--log-level", "warning"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: its cookies go to every server (cookies are per host, not per port)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, url: str, data: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310 (http://127.0.0.1 only)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def post_form(self, url: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """GET the form's page for its CSRF token, then POST ``fields`` with it."""
        status, _headers, page = self.request(url)
        assert status == 200, (url, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None, url
        return self.request(url, {"csrfmiddlewaretoken": token.group(1), **fields})

    def sign_in(self, server: str, username: str, password: str = PASSWORD) -> int:
        return self.post_form(f"{server}/accounts/login/", {"username": username, "password": password})[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SharedDatabase:
    """The environment that points a process at the test's database, and a way to read it here: the
    test's own connection on PostgreSQL (the servers use the same test database), the file on SQLite."""

    def __init__(self, tmp_path: Path) -> None:
        own = connection.settings_dict
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
        self.file: Path | None = None
        if connection.vendor == "sqlite":
            self.file = tmp_path / "shared.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)  # schema, migrations' data and the fixtures' rows
            self.env.pop("DATABASE_URL", None)
            self.env["PRONGSAI_SQLITE_PATH"] = str(self.file)
        else:
            user = urllib.parse.quote(own["USER"] or "")
            password = f":{urllib.parse.quote(own['PASSWORD'])}" if own["PASSWORD"] else ""
            host = f"{own['HOST'] or '127.0.0.1'}:{own['PORT'] or 5432}"
            self.env["DATABASE_URL"] = f"postgres://{user}{password}@{host}/{own['NAME']}"

    def rows(self, sql: str, *params: str | int) -> list[tuple[Any, ...]]:
        """``sql`` (``%s`` placeholders) run on the database the servers use."""
        if self.file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        with sqlite3.connect(self.file) as shared:
            return shared.execute(sql.replace("%s", "?"), params).fetchall()

    def jobs(self, job: Any) -> list[tuple[str, list[str], dict[str, Any] | None]]:
        """Status, workers and return value of each queued ``job``."""
        table = DBTaskResult._meta.db_table
        found = self.rows(
            f"SELECT status, worker_ids, return_value FROM {table} WHERE task_path = %s",  # noqa: S608
            job.module_path,
        )
        decoded = lambda value: json.loads(value) if isinstance(value, str) else value  # noqa: E731
        return [(status, decoded(workers), decoded(value)) for status, workers, value in found]


@pytest.fixture
def shared_database(tmp_path):
    return SharedDatabase(tmp_path)


def process_env(base: dict[str, str], var: Path, **extra: str) -> dict[str, str]:
    var.mkdir()
    return {**base, "PRONGSAI_VAR_DIR": str(var), **extra}


@pytest.fixture
def servers(shared_database, tmp_path):
    """Two gunicorn servers, A and B, sharing nothing but the database and the secret key."""
    common = {
        "SECRET_KEY": secrets.token_urlsafe(40),
        "SECURE_COOKIES": "0",
        "SIGNIN_MAX_FAILURES": "2",
        "PRONGSAI_JOBS": "database",
    }
    started = []
    for name in ("a", "b"):
        port = free_port()
        env = process_env(shared_database.env, tmp_path / f"server-{name}", **common)
        log = (tmp_path / f"server-{name}.log").open("wb")
        process = subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR.parent,
        )
        started.append((f"http://127.0.0.1:{port}", process, log, tmp_path / f"server-{name}.log"))
    try:
        for url, process, _log, log_path in started:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
        yield {"a": started[0][0], "b": started[1][0], "env": {**shared_database.env, **common}}
    finally:
        for _url, process, log, _path in started:
            process.terminate()
            process.wait(timeout=30)
            log.close()


def test_two_servers_share_the_throttle_the_published_pages_and_the_job_queue(
    plan, people, shared_database, servers, tmp_path
):
    a, b = servers["a"], servers["b"]

    # 1. Sign-in throttle: two failures (SIGNIN_MAX_FAILURES=2), one on each server, make the name wait.
    guesser = Browser()
    assert guesser.sign_in(a, "erin", "wrong one") == 200
    assert guesser.sign_in(b, "erin", "wrong two") == 200  # the second failure: now the name waits
    status, headers, _page = Browser().post_form(
        f"{a}/accounts/login/", {"username": "erin", "password": PASSWORD}
    )
    assert status == 429 and int(headers["Retry-After"]) > 0  # on A, from another browser, even rightly

    # 2. A caches the public directory; nothing of Wang Phai's is published yet.
    visitor = Browser()
    page = f"{a}/"
    assert visitor.request(page)[0] == 200
    status, headers, body = visitor.request(page)
    assert status == 200 and headers["X-Portal-Cache"] == "hit"
    assert 'href="/p/wangphai/"' not in body

    # 3. On B the planner submits and the executive approves; each queues the layout (once, in the
    # database), which a worker process on "another machine" lays out, signing the logs as well.
    workflow = f"{b}/o/wangphai/plans/2561-2564"
    alice, bob = Browser(), Browser()
    assert alice.sign_in(b, "alice") == 302
    assert alice.post_form(f"{workflow}/submit/", {})[0] == 302
    assert bob.sign_in(b, "bob") == 302
    assert bob.post_form(f"{workflow}/approve/", {})[0] == 302
    assert shared_database.jobs(jobs.lay_out_plan) == [(TaskResultStatus.READY, [], None)]

    ensure_signer()  # the signing key the worker's machine holds (outside the database)
    worker_env = process_env(
        servers["env"],
        tmp_path / "worker",
        PRONGSAI_AUDIT_KEY_FILE=settings.AUDIT_KEY_FILE,
        PRONGSAI_AUDIT_WITNESS_DIR=str(tmp_path / "worker" / "checkpoints"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "prongsai.cli", "worker", "--once", "--worker-id", "worker-machine"],
        env=worker_env,
        cwd=settings.BASE_DIR.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    [(status, workers, laid_out)] = shared_database.jobs(jobs.lay_out_plan)
    assert status == TaskResultStatus.SUCCESSFUL and workers == ["worker-machine"], done.stdout
    assert laid_out["laid_out"] > 0
    [(signing, _workers, signed)] = shared_database.jobs(jobs.sign_checkpoints)
    assert signing == TaskResultStatus.SUCCESSFUL and signed["signed"] >= 1
    assert shared_database.rows(f"SELECT COUNT(*) FROM {Checkpoint._meta.db_table}") != [(0,)]  # noqa: S608

    # 4. B publishes; A's cached page is not served again: within its stamp time A serves the new page.
    assert bob.post_form(f"{workflow}/publish/", {})[0] == 302
    deadline = time.monotonic() + 15
    while True:
        status, headers, body = visitor.request(page)
        if 'href="/p/wangphai/"' in body:
            break
        assert time.monotonic() < deadline, "server A kept serving the page cached before the publication"
        time.sleep(0.3)
    assert status == 200 and headers["X-Portal-Cache"] == "miss"
