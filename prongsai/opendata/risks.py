"""The risk-register dataset: one row per measure (a risk without a measure has one row with the measure
columns empty) of a published register, as CSV (with BOM), XLSX and JSON.

Registers come only from ``risks.published``. Score and level are computed from the register's method,
as the register page shows them; headers are Thai and keys English, text neutralised against formulas
(``writers``).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from prongsai.opendata.tables import Column, Value
from prongsai.opendata.writers import BOM, FORMAT, _both, _xlsx_cell, csv_text, json_value
from prongsai.risks.models import RiskRegister

FORMAT_VERSION = 1
TITLE = gettext_noop("การประเมินความเสี่ยงการทุจริต")
COLUMNS = (
    Column("organization_slug", gettext_noop("รหัสองค์กร")),
    Column("fiscal_year", gettext_noop("ปีงบประมาณ (พ.ศ.)")),
    Column("method", gettext_noop("วิธีประเมิน")),
    Column("risk_number", gettext_noop("ความเสี่ยงที่")),
    Column("process", gettext_noop("กระบวนงาน/งานบริการ")),
    Column("event", gettext_noop("เหตุการณ์ความเสี่ยง")),
    Column("area", gettext_noop("รหัสด้านความเสี่ยง")),
    Column("likelihood", gettext_noop("โอกาส")),
    Column("impact", gettext_noop("ผลกระทบ")),
    Column("score", gettext_noop("คะแนนความเสี่ยง")),
    Column("level", gettext_noop("รหัสระดับความเสี่ยง")),
    Column("residual_likelihood", gettext_noop("โอกาสหลังจัดการ")),
    Column("residual_impact", gettext_noop("ผลกระทบหลังจัดการ")),
    Column("residual_score", gettext_noop("คะแนนหลังจัดการ")),
    Column("residual_level", gettext_noop("รหัสระดับหลังจัดการ")),
    Column("ita_indicator", gettext_noop("ตัวชี้วัด ITA ที่เกี่ยวข้อง")),
    Column("measure", gettext_noop("มาตรการ")),
    Column("plan_slug", gettext_noop("รหัสแผน")),
    Column("item_uid", gettext_noop("รหัสรายการในแผน (UUID)")),
)


def rows(register: RiskRegister) -> Iterator[list[Value]]:
    method = register.method
    for number, risk in enumerate(register.risks.prefetch_related("measures"), start=1):
        risk.register = register
        head: list[Value] = [
            register.organization.slug,
            register.fiscal_year,
            method.key,
            number,
            risk.process,
            risk.event,
            risk.area,
            risk.likelihood,
            risk.impact,
            risk.score,
            risk.level.key,
            risk.residual_likelihood,
            risk.residual_impact,
            risk.residual_score,
            risk.residual_level.key,
            risk.ita_indicator,
        ]
        measures = list(risk.measures.all())
        if not measures:
            yield [*head, "", "", ""]
        for measure in measures:
            yield [*head, measure.title, measure.plan_slug, str(measure.item_uid) if measure.item_uid else ""]


def csv_text_file(register: RiskRegister) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    for row in rows(register):
        writer.writerow([csv_text(v) for v in row])
    return BOM + buffer.getvalue()


def json_text(register: RiskRegister) -> str:
    keys = [c.key for c in COLUMNS]
    document: dict[str, Any] = {
        "format": FORMAT,
        "dataset": "risks",
        "format_version": FORMAT_VERSION,
        "title": _both(TITLE),
        "organization": {"slug": register.organization.slug, "name_th": register.organization.name_th},
        "fiscal_year": register.fiscal_year,
        "illustrative": register.is_illustrative,
        "published_at": register.published_at.isoformat() if register.published_at else None,
        "columns": [{"key": c.key, "title": _both(c.header)} for c in COLUMNS],
        "rows": [dict(zip(keys, (json_value(v) for v in row), strict=True)) for row in rows(register)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def xlsx_file(register: RiskRegister) -> IO[bytes]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("ความเสี่ยง")
    sheet.append([WriteOnlyCell(sheet, value=c.header) for c in COLUMNS])
    for row in rows(register):
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed open to the response, which closes it
    book.save(out)
    out.seek(0)
    return out
