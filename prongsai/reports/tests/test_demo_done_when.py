"""Issue 9's "done when", as a user would run it on the demo database, in child processes.

The demo's 2561 12-month round is filled in and waits for approval, so the officer can still correct it
from the spreadsheet.
"""

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
ROUND = ["--year", "2561", "--round", "12"]


def run(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(PRONGSAI_VAR_DIR=str(var), PRONGSAI_LANGUAGE="th")
    return subprocess.run(
        [sys.executable, "-m", "prongsai.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


def summary(var: Path) -> dict[str, Any]:
    done = run(var, "report", "summary", "wangphai/2561-2564", *ROUND, "--format", "json")
    assert done.returncode == 0, done.stderr
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def test_summary_export_edit_import_and_a_refused_file(tmp_path):
    var = tmp_path / "var"
    assert run(var, "demo", "--no-serve").returncode == 0
    before = summary(var)
    assert before["illustrative"] is True and before["counts"]["items"] == 28
    assert before["score"] == "67.86" and before["band"] == "orange"

    xlsx = tmp_path / "round.xlsx"
    assert (
        run(
            var, "report", "export", "wangphai/2561-2564", *ROUND, "--format", "xlsx", "-o", str(xlsx)
        ).returncode
        == 0
    )
    book = load_workbook(xlsx)
    sheet = book["รายงานผล"]
    header = {cell.value: cell.column for cell in sheet[1]}
    row = next(
        r[0].row
        for r in sheet.iter_rows(min_row=2)
        if r[header["สถานะการดำเนินงาน"] - 1].value == "อยู่ระหว่างดำเนินการ"
        and r[header["การเบิกจ่ายงบประมาณ (บาท)"] - 1].value
    )
    old = sheet.cell(row, header["การเบิกจ่ายงบประมาณ (บาท)"]).value
    sheet.cell(row, header["การเบิกจ่ายงบประมาณ (บาท)"], value=old + 1000)
    sheet.cell(row, header["สถานะการดำเนินงาน"], value="ดำเนินการแล้วเสร็จ")
    book.save(xlsx)
    imported = run(var, "report", "import", str(xlsx), "--plan", "wangphai/2561-2564", *ROUND)
    assert imported.returncode == 0, imported.stderr
    after = summary(var)
    assert after["counts"]["completed"] == before["counts"]["completed"] + 1
    assert float(after["total"]["disbursed"]) == float(before["total"]["disbursed"]) + 1000
    assert float(after["score"]) > float(before["score"])

    sheet.cell(row, header["การเบิกจ่ายงบประมาณ (บาท)"], value="หนึ่งพันบาท")
    book.save(xlsx)
    refused = run(var, "report", "import", str(xlsx), "--plan", "wangphai/2561-2564", *ROUND)
    assert refused.returncode == 2
    assert f"แถว {row} คอลัมน์ “การเบิกจ่ายงบประมาณ (บาท)”" in refused.stderr
    assert summary(var) == after
    verified = run(var, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
        out = tmp_path / f"round.{fmt}"
        done = run(var, "report", "export", "wangphai/2561-2564", *ROUND, "--format", fmt, "-o", str(out))
        assert done.returncode == 0, done.stderr
        assert out.read_bytes().startswith(magic)
