"""Reading the open-data files back the way their users would: csv, openpyxl, json."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import openpyxl
from django.urls import reverse

from prongsai.organizations.access import SystemActor
from prongsai.plans import actions
from prongsai.plans.models import Plan

SETUP = SystemActor("test")


def publish(plan: Plan) -> Plan:
    plan = actions.approve_plan(SETUP, actions.submit_plan(SETUP, plan))
    return actions.publish_plan(SETUP, plan)


def plan_url(name: str, plan: Plan, fmt: str, **extra: Any) -> str:
    kwargs = {"org": plan.organization.slug, "plan": plan.slug, "fmt": fmt, **extra}
    return reverse(f"opendata:{name}", kwargs=kwargs)


def body(response: Any) -> bytes:
    content: bytes = response.getvalue()
    return content


def csv_rows(response: Any) -> list[dict[str, str]]:
    data = body(response)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def xlsx_rows(response: Any) -> list[dict[str, Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    headers = rows[0]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def json_document(response: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(body(response).decode("utf-8"))
    return document


def header(year: int) -> str:
    return f"งบประมาณปี พ.ศ. {year} (บาท)"


def _sum(amounts: list[Decimal]) -> Decimal | None:
    return sum(amounts, Decimal(0)) if amounts else None


def totals_from_table(
    rows: list[dict[str, Any]], years: list[int]
) -> tuple[dict[int, Decimal | None], Decimal | None]:
    """Per-year totals and grand total of CSV or XLSX rows (empty cells: no budget)."""
    by_year = {
        year: _sum([Decimal(str(row[header(year)])) for row in rows if row[header(year)] not in ("", None)])
        for year in years
    }
    grand = _sum(
        [Decimal(str(row["รวมงบประมาณ (บาท)"])) for row in rows if row["รวมงบประมาณ (บาท)"] not in ("", None)]
    )
    return by_year, grand


def totals_from_json(
    document: dict[str, Any], years: list[int]
) -> tuple[dict[int, Decimal | None], Decimal | None]:
    items = document["items"]
    by_year = {
        year: _sum([Decimal(item["budgets"][str(year)]) for item in items if str(year) in item["budgets"]])
        for year in years
    }
    grand = _sum([Decimal(item["total"]) for item in items if item["total"] is not None])
    return by_year, grand
