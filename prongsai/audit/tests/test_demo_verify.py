"""The issue's "done when", as a user would run it: the demo database, then the two commands.

Runs the real ``prongsai`` command in child processes on a scratch SQLite database (never the test
database), so nothing here can fake a result.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def run(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(PRONGSAI_VAR_DIR=str(var), PRONGSAI_LANGUAGE="en")
    command = [sys.executable, "-m", "prongsai.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def test_the_demo_verifies_and_sql_edits_are_named(tmp_path):
    var = tmp_path / "var"
    prepared = run(var, "demo", "--no-serve")
    assert prepared.returncode == 0, prepared.stderr
    assert (var / "audit-signing.key").exists() and list((var / "checkpoints").glob("*.note"))
    assert run(var, "audit", "checkpoint").returncode == 0
    clean = run(var, "audit", "verify")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    database = sqlite3.connect(var / "prongsai.sqlite3")
    with database:
        status = database.execute(
            "SELECT status FROM plans_plan p JOIN organizations_organization o ON o.id = p.organization_id"
            " WHERE o.slug = 'wangphai'"
        ).fetchone()
        assert status == ("published",)
        database.execute(
            "UPDATE plans_itembudget SET amount = amount + 1000000 WHERE id = (SELECT MIN(id) FROM plans_itembudget)"
        )
    edited = run(var, "audit", "verify")
    assert edited.returncode == 1
    assert "plan_item" in edited.stderr and "budgets" in edited.stderr

    with database:
        database.execute(
            "UPDATE plans_itembudget SET amount = amount - 1000000 WHERE id = (SELECT MIN(id) FROM plans_itembudget)"
        )
    assert run(var, "audit", "verify", "--org", "wangphai").returncode == 0
    with database:
        database.execute(
            "DELETE FROM audit_auditevent WHERE log_id = (SELECT id FROM audit_auditlog WHERE organization_id ="
            " (SELECT id FROM organizations_organization WHERE slug = 'wangphai'))"
            " AND seq > (SELECT size - 2 FROM audit_auditlog WHERE organization_id ="
            " (SELECT id FROM organizations_organization WHERE slug = 'wangphai'))"
        )
    truncated = run(var, "audit", "verify", "--org", "wangphai")
    assert truncated.returncode == 1
    assert "entries" in truncated.stderr
    database.close()
