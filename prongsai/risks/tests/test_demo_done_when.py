"""Issue 10's "done when", as a user would run it on the demo database, in child processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow
REGISTER = ["--org", "wangphai", "--year", "2562"]  # published, with a published 6-month round
DRAFT = ["--org", "wangphai", "--year", "2563"]  # the same risks carried forward, a draft to edit
LIKELIHOOD = "โอกาส (๑–๕)"


def run(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(PRONGSAI_VAR_DIR=str(var), PRONGSAI_LANGUAGE="th")
    return subprocess.run(
        [sys.executable, "-m", "prongsai.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


def as_json(var: Path, register: list[str] = REGISTER) -> dict[str, Any]:
    done = run(var, "risk", "export", *register, "--format", "json")
    assert done.returncode == 0, done.stderr
    exported: dict[str, Any] = json.loads(done.stdout)
    return exported


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
    assert before["status"] == "published"

    # Both documents render, and the 6-month monitoring report.
    for args in (["--format", "pdf"], ["--format", "docx"], ["--format", "pdf", "--round", "6"]):
        out = tmp_path / ("doc." + args[1])
        done = run(var, "risk", "export", *REGISTER, *args, "-o", str(out))
        assert done.returncode == 0, done.stderr
        assert out.read_bytes()[:4] in (b"%PDF", b"PK\x03\x04")
    assert (
        run(var, "risk", "export", *REGISTER, "--format", "pdf", "--round", "12", "-o", "x").returncode == 2
    )

    # A published register does not change in place: its own file, unedited, opens no revision.
    published = tmp_path / "published.xlsx"
    assert run(var, "risk", "export", *REGISTER, "--format", "xlsx", "-o", str(published)).returncode == 0
    unchanged = run(var, "risk", "import", str(published), *REGISTER)
    assert unchanged.returncode == 0 and "ไม่ได้เปิดฉบับใหม่" in unchanged.stdout
    assert as_json(var) == before

    xlsx = tmp_path / "risks.xlsx"
    assert run(var, "risk", "export", *DRAFT, "--format", "xlsx", "-o", str(xlsx)).returncode == 0
    book = load_workbook(xlsx)
    sheet = book["ทะเบียนความเสี่ยง"]
    column = next(c.column for c in sheet[1] if c.value == LIKELIHOOD)
    sheet.cell(2, column, value=5)
    sheet.cell(5, column, value=1)
    book.save(xlsx)
    done = run(var, "risk", "import", str(xlsx), *DRAFT)
    assert done.returncode == 0, done.stderr
    after = as_json(var, DRAFT)
    assert [(r["likelihood"], r["score"], r["level"]["key"]) for r in after["risks"]][::3] == [
        (5, 20, "very_high"),
        (1, 3, "low"),
    ]

    sheet.cell(3, column, value=6)
    book.save(xlsx)
    refused = run(var, "risk", "import", str(xlsx), *DRAFT)
    assert refused.returncode == 2
    assert "แถว 3 คอลัมน์ “โอกาส (๑–๕)”" in refused.stderr
    assert as_json(var, DRAFT) == after
    audit = run(var, "audit", "verify")
    assert audit.returncode == 0, audit.stdout + audit.stderr
