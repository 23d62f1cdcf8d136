"""Benchmark: a report round of a 250-item plan — the round page, the summary, the XLSX export and import.

    .venv/bin/python benchmarks/report_round.py [--items 250] [--repeat 5]

Builds, in a scratch SQLite database (or the PostgreSQL database named by ``DATABASE_URL``, whose tables
it empties first — never point it at real data), one organisation with a plan of ``--items`` items (each
with a budget in the first year and two indicators) made through the actions, publishes it (the PDF is
not laid out: ``benchmarks/render.py`` measures that), opens the 6-month round and fills every item. It
then prints the median seconds of ``--repeat`` runs of: the round page and the summary page (through
Django's test client, as a signed-in approver), ``summarise``, the XLSX export, and reading plus saving
an edited XLSX in which every row changed (one transaction, one log entry), and the peak memory.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from _setup import bench_plan, peak_rss_mb, percentiles, setup_django


def timed(repeat: int, run: Callable[[], Any]) -> float:
    return percentiles(repeat, run)[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from openpyxl import load_workbook

    from prongsai.documents import actions as document_actions
    from prongsai.organizations.access import SystemActor
    from prongsai.plans import actions
    from prongsai.reports import actions as report_actions
    from prongsai.reports import spreadsheet
    from prongsai.reports.scores import summarise

    setup_test_environment()
    actor = SystemActor("benchmark")
    org, approver, plan = bench_plan(
        args.items, member="bench-approver", role="approver", title="เพื่อวัดเวลาของหน้ารายงานผล", years=(2561,)
    )
    actions.submit_plan(actor, plan)  # four eyes: submitted before approved (decision 0014)
    actions.approve_plan(actor, plan)
    document_actions.render_pdf = lambda plan, **kwargs: b"%PDF-1.7 benchmark"  # type: ignore[attr-defined]
    plan = actions.publish_plan(actor, plan)
    report_round = report_actions.open_round(actor, org, plan.slug, 2561, 6)
    rows = {
        r.item_uid: report_actions.ReportData(
            status="in_progress",
            ordinance_budget=Decimal(10000),
            disbursed=Decimal(4000),
            quarters={1, 2},
            results=[Decimal(40), Decimal(2)],
        )
        for r in report_round.reports.all()
    }
    report_actions.import_reports(actor, report_round, rows, "fill")

    client = Client()
    client.force_login(approver)
    base = f"/o/bench/reports/{plan.slug}/2561/6/"
    assert client.get(base).status_code == 200
    figures = {
        "round page": timed(args.repeat, lambda: client.get(base)),
        "summary page": timed(args.repeat, lambda: client.get(base + "summary/")),
        "summarise()": timed(args.repeat, lambda: summarise(report_round)),
        "XLSX export": timed(args.repeat, lambda: spreadsheet.export_xlsx(report_round)),
    }
    raw = spreadsheet.export_xlsx(report_round)
    book = load_workbook(io.BytesIO(raw))
    sheet = book[spreadsheet.SHEET]
    status_column = next(c.column for c in sheet[1] if c.value == "สถานะการดำเนินงาน")
    disbursed_column = next(c.column for c in sheet[1] if c.value == "การเบิกจ่ายงบประมาณ (บาท)")

    def edited(k: int) -> bytes:
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, status_column, value="ดำเนินการแล้วเสร็จ" if k % 2 else "อยู่ระหว่างดำเนินการ")
            sheet.cell(row, disbursed_column, value=5000 + k)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    files = [edited(k) for k in range(args.repeat)]
    counter = iter(files)

    def import_once() -> None:
        data = next(counter)
        parsed = spreadsheet.read_xlsx(data, report_round)
        report_actions.import_reports(actor, report_round, parsed.rows, "bench.xlsx")

    figures["XLSX import (read + save)"] = timed(args.repeat, import_once)
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"{args.items} items, {engine}, median of {args.repeat}")
    for name, seconds in figures.items():
        print(f"  {name:28s} {seconds * 1000:8.0f} ms")
    peak = peak_rss_mb()
    print(f"  peak memory (RSS)            {peak:8.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
