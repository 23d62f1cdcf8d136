"""Issue 10's "done when", as a user would run it on the demo database, in child processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow
REGISTER = ["--org", "wangphai", "--year", "2562"]
LIKELIHOOD = "โอกาส (๑–๕)"


def run(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(PRONGSAI_VAR_DIR=str(var), PRONGSAI_LANGUAGE="th")
    return subprocess.run(
        [sys.executable, "-m", "prongsai.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


def as_json(var: Path) -> dict:
    done = run(var, "risk", "export", *REGISTER, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_export_edit_import_json_levels_and_a_refused_file(tmp_path):
    var = tmp_path / "var"
    assert run(var, "demo", "--no-serve").returncode == 0
    before = as_json(var)
    assert before["illustrative"] is True and len(before["risks"]) == 4
    assert [(r["score"], r["level"]["key"]) for r in before["risks"]] == [
        (12, "high"),
        (9, "high"),
        (16, "very_high"),
        (6, "medium"),
    ]
    assert before["risks"][0]["ita_indicator"] == "work_integrity"  # the demo's weakest ITA index
    assert all(m["in_plan"] for r in before["risks"] for m in r["measures"])

    xlsx = tmp_path / "risks.xlsx"
    assert run(var, "risk", "export", *REGISTER, "--format", "xlsx", "-o", str(xlsx)).returncode == 0
    book = load_workbook(xlsx)
    sheet = book["ทะเบียนความเสี่ยง"]
    column = next(c.column for c in sheet[1] if c.value == LIKELIHOOD)
    sheet.cell(2, column, value=5)
    sheet.cell(5, column, value=1)
    book.save(xlsx)
    done = run(var, "risk", "import", str(xlsx), *REGISTER)
    assert done.returncode == 0, done.stderr
    after = as_json(var)
    assert [(r["likelihood"], r["score"], r["level"]["key"]) for r in after["risks"]][::3] == [
        (5, 20, "very_high"),
        (1, 3, "low"),
    ]

    sheet.cell(3, column, value=6)
    book.save(xlsx)
    refused = run(var, "risk", "import", str(xlsx), *REGISTER)
    assert refused.returncode == 2
    assert "แถว 3 คอลัมน์ “โอกาส (๑–๕)”" in refused.stderr
    assert as_json(var) == after
    audit = run(var, "audit", "verify")
    assert audit.returncode == 0, audit.stdout + audit.stderr
