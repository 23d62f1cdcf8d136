"""CSV, XLSX and JSON writers of a dataset's rows.

CSV and JSON are generators of text, so a whole-installation file streams row by row; XLSX is written by
openpyxl in write-only mode to a temporary file (rows go to disk as they come). Numbers keep their
exactness: amounts are written from ``Decimal`` as ``1234.50`` in CSV and JSON (strings in JSON), and as
numbers in XLSX. A text cell that a spreadsheet would take for a formula (first character = + - @, tab
or carriage return) starts with an apostrophe in CSV and is stored as text in XLSX.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from prongsai.opendata.metadata import CatalogFields
from prongsai.opendata.tables import TOTAL, Dataset, Value
from prongsai.plans.models import Plan

FORMAT = "prongsai-open-data"
FORMAT_VERSION = 1  # part of every ETag: a change of the files' layout is a new version
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
AMOUNT_FORMAT = "#,##0.00"
SHEET_NAMES = {"items": "รายการ", "indicators": "ตัวชี้วัด"}
COLUMNS_SHEET = "คำอธิบาย"


@dataclass(frozen=True)
class Source:
    """What one file is made of: published revisions, the fiscal years of its budget columns, and the
    stable (per-revision) URL of each plan's file of the same dataset and format."""

    dataset: Dataset
    plans: list[Plan]
    years: list[int]
    plan_url: Callable[[Plan], str]
    fields: CatalogFields


def neutralised(text: str) -> str:
    """``text`` made safe for a spreadsheet: a leading apostrophe where it could start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _amount(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralised(value)


def json_value(value: Value) -> Any:
    if isinstance(value, Decimal):
        return _amount(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- CSV -------------------------------------------------------------------------------------------


def csv_chunks(source: Source) -> Iterator[str]:
    """The file as text chunks: a BOM (so Excel reads UTF-8), the Thai header row, one line per row.

    RFC 4180: comma separated, CRLF line ends, fields with commas, quotes or line breaks quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    dataset = source.dataset

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(dataset.headers(source.years))
    yield BOM + flush()
    for count, row in enumerate(dataset.rows(source.plans), start=1):
        writer.writerow([csv_text(cell) for cell in dataset.cells(row, source.years)])
        if count % 200 == 0:
            yield flush()
    yield flush()


# --- JSON ------------------------------------------------------------------------------------------


def _both(msgid: str) -> dict[str, str]:
    with translation.override("en"):
        english = _(msgid)
    return {"th": msgid, "en": english}


def _timestamp(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def json_metadata(source: Source) -> dict[str, Any]:
    """Everything in the JSON file before its list of rows (see docs/decisions/0008-open-data.md)."""
    dataset, licence = source.dataset, source.fields.licence
    metadata: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "dataset": dataset.key,
        "title": _both(dataset.title),
        "licence": {
            "id": licence.id,
            "url": licence.url,
            "title": {"th": licence.title.th, "en": licence.title.en},
        },
        "plans": [
            {
                "organization_slug": plan.organization.slug,
                "organization_name": plan.organization.name_th,
                "plan_slug": plan.slug,
                "revision": plan.revision,
                "published_at": _timestamp(plan.published_at),
                "url": source.plan_url(plan),
            }
            for plan in source.plans
        ],
        "columns": [{"key": c.key, "header_th": c.header} for c in dataset.columns],
    }
    if dataset.yearly:
        metadata |= {
            "currency": "THB",
            "fiscal_years": source.years,
            "fiscal_year_era": "BE",
            "budgets": "fiscal year (Buddhist Era, FY 2561 = 2017-10-01..2018-09-30) → baht as a decimal "
            "string; a year absent from an item's budgets means no budget that year",
        }
        metadata["columns"] += [
            {"key": "budgets", "header_th": "งบประมาณปี พ.ศ. … (บาท)"},
            {"key": TOTAL.key, "header_th": TOTAL.header},
        ]
    return metadata


def json_record(
    source: Source, values: dict[str, Value], budgets: dict[int, Decimal] | None
) -> dict[str, Any]:
    record = {key: json_value(value) for key, value in values.items()}
    if source.dataset.yearly:
        budgets = budgets or {}
        record["budgets"] = {str(year): _amount(budgets[year]) for year in sorted(budgets)}
        record[TOTAL.key] = _amount(sum(budgets.values(), Decimal(0))) if budgets else None
    return record


def json_chunks(source: Source) -> Iterator[str]:
    """``{metadata…, "<dataset>": [row, row, …]}`` with one row per line, written as the rows come."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    yield "{\n"
    for key, value in json_metadata(source).items():
        yield f"  {dumps(key)}: {dumps(value)},\n"
    yield f"  {dumps(source.dataset.key)}: ["
    separator = "\n"
    lines: list[str] = []
    for row in source.dataset.rows(source.plans):
        lines.append(separator + "    " + dumps(json_record(source, row.values, row.budgets)))
        separator = ",\n"
        if len(lines) == 200:
            yield "".join(lines)
            lines = []
    yield "".join(lines) + "\n  ]\n}\n"


# --- XLSX ------------------------------------------------------------------------------------------


def _xlsx_cell(sheet: Any, value: Value) -> Any:
    if isinstance(value, bool):  # as in CSV: spreadsheets disagree on how to show a boolean cell
        value = "true" if value else "false"
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = AMOUNT_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def xlsx_file(source: Source) -> IO[bytes]:
    """The workbook in a temporary file, positioned at its start: the rows, then a sheet that explains
    each column (Thai header, JSON key, English) and names the licence and the revisions used."""
    dataset = source.dataset
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_NAMES[dataset.key])
    headers = dataset.headers(source.years)
    keys = [column.key for column in dataset.columns]
    for index, header in enumerate(headers):
        key = keys[index] if index < len(keys) else "budget"
        sheet.column_dimensions[_column_letter(index)].width = WIDTHS.get(key, _width(header))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        cell.data_type = "s"
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in dataset.rows(source.plans):
        sheet.append([_xlsx_cell(sheet, value) for value in dataset.cells(row, source.years)])

    about = workbook.create_sheet(COLUMNS_SHEET)
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 22
    about.column_dimensions["C"].width = 60
    about.append([WriteOnlyCell(about, value=v) for v in ("หัวคอลัมน์", "JSON key", "English")])
    with translation.override("en"):
        explained = [(c.header, c.key, _(c.header)) for c in dataset.columns]
        if dataset.yearly:
            explained += [
                ("งบประมาณปี พ.ศ. … (บาท)", "budgets", "Budget in fiscal year … (Buddhist Era), baht"),
                (TOTAL.header, TOTAL.key, _(TOTAL.header)),
            ]
    for values in explained:
        about.append([_xlsx_cell(about, v) for v in values])
    licence = source.fields.licence
    about.append([])
    about.append([_xlsx_cell(about, v) for v in (licence.title.th, licence.id, licence.url)])
    for plan in source.plans:
        label = f"{plan.organization.name_th} · {plan.slug} · ฉบับแก้ไขที่ {plan.revision}"
        about.append([_xlsx_cell(about, v) for v in (label, "", source.plan_url(plan))])

    spool = tempfile.TemporaryFile()  # noqa: SIM115 - handed open to the response, which closes it
    workbook.save(spool)
    spool.seek(0)
    return spool


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


# Widths (in characters) of the columns whose content is longer than their header.
WIDTHS = {
    "organization_name": 24,
    "district": 20,
    "province": 16,
    "plan_title": 40,
    "dimension_title": 40,
    "mission_title": 50,
    "item_uid": 38,
    "title": 60,
    "responsible_unit": 24,
    "indicator": 50,
    "budget": 25,
}


def _width(header: str) -> float:
    return float(min(max(len(header) * 0.9, 10), 48))
