"""The report dataset: one row per item report of a published round, as CSV (with BOM), XLSX and JSON.

Rounds come only from ``reports.published``. Each row says whether the item counts (``counted``): the
sums of the counted rows' planned, ordinance and disbursed amounts are the round's totals in
``reports.scores.summarise``, which the JSON file also carries under ``summary``. Headers are Thai and keys
English, as in the items files; text is neutralised against formulas the same way (``writers``).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from prongsai.opendata.metadata import CatalogFields
from prongsai.opendata.tables import BANGKOK, Column, Value
from prongsai.opendata.writers import BOM, FORMAT, _both, _xlsx_cell, csv_text, json_value
from prongsai.reports.models import ReportRound
from prongsai.reports.progress import round_rows
from prongsai.reports.published import STATUS_TH
from prongsai.reports.rules import rules
from prongsai.reports.scores import summarise_rounds

FORMAT_VERSION = 1
TITLE = gettext_noop("รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต")
DESCRIPTION = gettext_noop(
    "หนึ่งแถวต่อหนึ่งรายการในรอบรายงานที่ประกาศแล้ว: สถานะ งบประมาณตามแผน ตามข้อบัญญัติ การเบิกจ่าย และผลตัวชี้วัด"
)
# Thai msgids only for the /data/ page that explains the columns; the files are the same in every language.
COLUMNS = (
    Column("organization_slug", gettext_noop("รหัสองค์กร")),
    Column("organization_name", gettext_noop("ชื่อองค์กรปกครองส่วนท้องถิ่น")),
    Column("plan_slug", gettext_noop("รหัสแผน")),
    Column("revision", gettext_noop("ฉบับแก้ไขที่")),
    Column("fiscal_year", gettext_noop("ปีงบประมาณ (พ.ศ.)")),
    Column("months", gettext_noop("รอบรายงาน (เดือน)")),
    Column("published_date", gettext_noop("วันที่ประกาศ")),
    Column("dimension_number", gettext_noop("มิติที่")),
    Column("mission_code", gettext_noop("ภารกิจที่")),
    Column("item_uid", gettext_noop("รหัสรายการ (UUID)")),
    Column("title", gettext_noop("ชื่อโครงการ/กิจกรรม/มาตรการ")),
    Column("counted", gettext_noop("นับรวมในคะแนน")),
    Column("out_of_scope", gettext_noop("ไม่สอดคล้องกับมิติ")),
    Column("status", gettext_noop("รหัสสถานะ")),
    Column("status_th", gettext_noop("สถานะการดำเนินงาน")),
    Column("reason", gettext_noop("เหตุผลที่ดำเนินการไม่ได้")),
    Column("included", gettext_noop("บรรจุในข้อบัญญัติ/แผนการดำเนินงาน")),
    Column("quarters", gettext_noop("ไตรมาสที่ดำเนินการ")),
    Column("planned", gettext_noop("งบตามแผน (บาท)")),
    Column("ordinance_budget", gettext_noop("งบตามข้อบัญญัติ (บาท)")),
    Column("disbursed", gettext_noop("เบิกจ่าย (บาท)")),
    Column("indicator_results", gettext_noop("ผลตัวชี้วัด")),
    Column("narrative", gettext_noop("ผลการดำเนินงานโดยสรุป")),
    Column("remark", gettext_noop("หมายเหตุ")),
)


def published_date(report_round: ReportRound) -> date | None:
    return report_round.published_at.astimezone(BANGKOK).date() if report_round.published_at else None


def _results_text(slots: list[dict[str, Any]]) -> str:
    parts = []
    for slot in slots:
        result = slot.get("result") or "-"
        target = f" / {slot['target']} {slot.get('unit') or ''}".rstrip() if slot.get("target") else ""
        parts.append(f"{slot.get('indicator', '')}: {result}{target}")
    return " | ".join(parts)


def rows(report_round: ReportRound) -> Iterator[tuple[dict[str, Value], list[dict[str, Any]]]]:
    """Each report of the round in plan order (dropped items last), with its indicator results."""
    org = report_round.organization
    catalogue = rules()
    for row in round_rows(report_round, locked=set()):
        report = row.report
        reason = catalogue.reason(report.reason) if report.reason else None
        yield (
            {
                "organization_slug": org.slug,
                "organization_name": org.name_th,
                "plan_slug": report_round.plan_slug,
                "revision": report_round.plan.revision,
                "fiscal_year": report_round.fiscal_year,
                "months": report_round.months,
                "published_date": published_date(report_round),
                "dimension_number": row.dimension,
                "mission_code": None if row.item is None else row.item.mission.code,
                "item_uid": str(report.item_uid),
                "title": report.title,
                "counted": row.item is not None and not report.out_of_scope,
                "out_of_scope": report.out_of_scope,
                "status": report.status,
                "status_th": STATUS_TH.get(report.status, report.status),
                "reason": report.reason_text or (reason.title_th if reason else ""),
                "included": report.included,
                "quarters": ",".join(str(q) for q in report.quarters),
                "planned": row.plan_budget,
                "ordinance_budget": report.ordinance_budget,
                "disbursed": report.disbursed,
                "indicator_results": _results_text(report.indicator_results),
                "narrative": report.narrative,
                "remark": report.remark,
            },
            report.indicator_results,
        )


def headers() -> list[str]:
    return [column.header for column in COLUMNS]


def csv_chunks(rounds: list[ReportRound]) -> Iterator[str]:
    """A BOM (so Excel reads UTF-8), the Thai header row, then one round at a time (RFC 4180, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(headers())
    yield BOM + flush()
    for report_round in rounds:
        for values, _slots in rows(report_round):
            writer.writerow([csv_text(values[c.key]) for c in COLUMNS])
        yield flush()


def json_chunks(rounds: list[ReportRound], fields: CatalogFields, round_url: Any) -> Iterator[str]:
    """``{metadata…, "rounds": [{round…, "summary": …}], "reports": [row, …]}``; decimals as strings."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    licence = fields.licence
    summaries = summarise_rounds(rounds)
    metadata = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "dataset": "reports",
        "title": _both(TITLE),
        "licence": {
            "id": licence.id,
            "url": licence.url,
            "title": {"th": licence.title.th, "en": licence.title.en},
        },
        "currency": "THB",
        "rounds": [
            {
                "organization_slug": r.organization.slug,
                "plan_slug": r.plan_slug,
                "revision": r.plan.revision,
                "fiscal_year": r.fiscal_year,
                "months": r.months,
                "published_at": r.published_at.isoformat() if r.published_at else None,
                "illustrative": r.is_illustrative,
                "url": round_url(r),
                "summary": summaries[r.pk].as_json(),
            }
            for r in rounds
        ],
        "columns": [{"key": c.key, "header_th": c.header} for c in COLUMNS],
    }
    yield "{\n"
    for key, value in metadata.items():
        yield f"  {dumps(key)}: {dumps(value)},\n"
    yield '  "reports": ['
    separator = "\n"
    for report_round in rounds:
        lines = []
        for values, slots in rows(report_round):
            record = {key: json_value(value) for key, value in values.items()}
            record["indicator_results"] = slots
            lines.append(separator + "    " + dumps(record))
            separator = ",\n"
        yield "".join(lines)
    yield "\n  ]\n}\n"


def xlsx_file(rounds: list[ReportRound]) -> IO[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("รายงานผล")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers():
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        cell.data_type = "s"
        header_cells.append(cell)
    sheet.append(header_cells)
    for report_round in rounds:
        for values, _slots in rows(report_round):
            sheet.append([_xlsx_cell(sheet, values[c.key]) for c in COLUMNS])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - handed open to the response, which closes it
    workbook.save(spool)
    spool.seek(0)
    return spool
