"""A round as one XLSX file and back: the same file officers keep in Excel.

Export writes one row per item (its uid, mission code and title, then one column per field of the
form, Thai headers) with drop-down lists for the status, the reason and the ticks. Import reads the
same file after editing, finds columns by their header, and refuses the whole file on any problem,
each named by row, column header and item title; nothing is written until every row is right.

Hostile files are stopped before they cost much: a size limit on the bytes, a limit on the unpacked
size of the archive, a row limit, formulas refused (a value must be typed, not computed), every cell
read as a value of the expected kind; Thai digits and thousands separators are accepted in numbers,
as in the web form.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from prongsai.lib.numbers import plain_number
from prongsai.lib.xlsx import SpreadsheetRefused, cell_text, open_workbook
from prongsai.reports.actions import ReportData, validate_report
from prongsai.reports.models import ItemStatus, ReportRound
from prongsai.reports.progress import round_rows

MAX_ROWS = 2000
MAX_PROBLEMS = 200
SHEET = "รายงานผล"
ABOUT_SHEET = "ข้อมูลรอบ"
YES, NO = "ใช่", "ไม่ใช่"


def _headers() -> dict[str, str]:
    """Field → header, in column order (indicator columns follow). The file's headers are always Thai,
    so a file exported by an officer reading English imports for one reading Thai, and back."""
    with translation.override("th"):
        return _header_texts()


def _header_texts() -> dict[str, str]:
    return {
        "uid": _("รหัสรายการ (uid)"),
        "mission": _("ภารกิจตามมิติ"),
        "title": _("ชื่อโครงการ/กิจกรรม/มาตรการ"),
        "plan_budget": _("งบประมาณตามแผนพัฒนาท้องถิ่น (บาท)"),
        "ordinance_budget": _("งบประมาณตามข้อบัญญัติ/เทศบัญญัติ (บาท)"),
        "disbursed": _("การเบิกจ่ายงบประมาณ (บาท)"),
        "included": _("บรรจุไว้ในข้อบัญญัติ/เทศบัญญัติ/แผนการดำเนินงาน"),
        "status": _("สถานะการดำเนินงาน"),
        "reason": _("เหตุผลที่ดำเนินการไม่ได้"),
        "reason_text": _("เหตุผลอื่นๆ (ระบุ)"),
        "q1": _("ไตรมาส ๑"),
        "q2": _("ไตรมาส ๒"),
        "q3": _("ไตรมาส ๓"),
        "q4": _("ไตรมาส ๔"),
        "narrative": _("ผลการดำเนินงานโดยสรุป"),
        "remark": _("หมายเหตุ"),
        "out_of_scope": _("ไม่สอดคล้องกับมิติของการป้องกันการทุจริต"),
    }


def _indicator_header(index: int) -> str:
    with translation.override("th"):
        return _("ตัวชี้วัดที่ %(n)s (เป้าหมาย)") % {"n": index + 1}


def _result_header(index: int) -> str:
    with translation.override("th"):
        return _("ผลตัวชี้วัดที่ %(n)s") % {"n": index + 1}


def _reason_labels() -> dict[str, str]:
    from prongsai.reports.rules import rules

    return {r.key: r.title_th for r in rules().reasons}


def _status_labels() -> dict[str, str]:
    # Thai labels in the file whatever the reader's language: the file is the national form's.
    return {
        ItemStatus.IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
        ItemStatus.COMPLETED: "ดำเนินการแล้วเสร็จ",
        ItemStatus.CANNOT: "ไม่สามารถดำเนินการได้",
    }


def export_xlsx(report_round: ReportRound) -> bytes:
    rows = [row for row in round_rows(report_round, set()) if row.item is not None]
    slots = max((len(row.report.indicator_results) for row in rows), default=0)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    headers = list(_headers().values())
    for index in range(slots):
        headers += [_indicator_header(index), _result_header(index)]
    sheet.append(headers)
    statuses, reasons = _status_labels(), _reason_labels()
    for row in rows:
        report = row.report
        values: list[Any] = [
            str(report.item_uid),
            row.item.mission.code if row.item is not None else "",
            report.title,
            row.plan_budget,
            report.ordinance_budget,
            report.disbursed,
            YES if report.included else NO,
            statuses.get(report.status, ""),
            reasons.get(report.reason, ""),
            report.reason_text,
            *(YES if ran else "" for ran in (report.q1, report.q2, report.q3, report.q4)),
            report.narrative,
            report.remark,
            YES if report.out_of_scope else NO,
        ]
        for slot in report.indicator_results:
            target = f"{slot.get('target')} {slot.get('unit') or ''}".strip() if slot.get("target") else ""
            values += [
                f"{slot.get('indicator', '')} ({target})" if target else slot.get("indicator", ""),
                _cell_decimal(slot.get("result")),
            ]
        sheet.append(values)
    last = max(len(rows) + 1, 2)
    columns = {name: index for index, name in enumerate(_headers())}

    def letter(name: str) -> str:
        from openpyxl.utils import get_column_letter

        return str(get_column_letter(columns[name] + 1))

    def listed(names: list[str], options: list[str]) -> None:
        validation = DataValidation(
            type="list", formula1='"' + ",".join(options) + '"', allow_blank=True, showErrorMessage=True
        )
        validation.error = _("เลือกจากรายการเท่านั้น")
        sheet.add_data_validation(validation)
        for name in names:
            validation.add(f"{letter(name)}2:{letter(name)}{last}")

    listed(["status"], list(statuses.values()))
    listed(["reason"], list(reasons.values()))
    listed(["included", "out_of_scope", "q1", "q2", "q3", "q4"], [YES, NO])
    for name, width in (("uid", 38), ("title", 60), ("narrative", 40), ("status", 22), ("reason", 24)):
        sheet.column_dimensions[letter(name)].width = width
    sheet.freeze_panes = "D2"
    about = book.create_sheet(ABOUT_SHEET)
    for key, value in (
        ("organization", report_round.organization.slug),
        ("plan", report_round.plan_slug),
        ("revision", report_round.plan.revision),
        ("fiscal_year", report_round.fiscal_year),
        ("months", report_round.months),
        ("illustrative", YES if report_round.is_illustrative else NO),
    ):
        about.append([key, value])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _cell_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- Import ----------------------------------------------------------------------------------------


@dataclass
class Parsed:
    rows: dict[UUID, ReportData] = field(default_factory=dict)
    changed_titles: list[str] = field(default_factory=list)


def _decimal(value: Any) -> Decimal | None:
    """A number as typed: Arabic or Thai digits, thousands separators; ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        result = Decimal(str(value))
    else:
        text = plain_number(str(value))
        if not text:
            return None
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError from None
    if not result.is_finite():
        raise ValueError
    return result


def _tick(value: Any) -> bool:
    text = cell_text(value).lower()
    if text in {"", NO, "no", "0", "false", "-"}:
        return False
    if text in {YES, "yes", "1", "true", "x", "✓", "/"}:
        return True
    raise ValueError


def _choice(value: Any, labels: dict[str, str], english: dict[str, str]) -> str:
    text = cell_text(value)
    if not text:
        return ""
    for key, label in labels.items():
        if text in {label, key, english.get(key, "")}:
            return key
    raise ValueError


def read_xlsx(raw: bytes, report_round: ReportRound) -> Parsed:
    """Read an exported file after editing; SpreadsheetRefused lists every problem (nothing is saved)."""
    with open_workbook(raw) as book:
        return _read_book(book, report_round)


def _check_about(book: Any, report_round: ReportRound) -> None:
    if ABOUT_SHEET not in book.sheetnames:
        return
    about = {}
    for row in book[ABOUT_SHEET].iter_rows(max_row=20, max_col=2, values_only=True):
        if row and row[0] is not None:
            about[cell_text(row[0])] = cell_text(row[1] if len(row) > 1 else None)
    expected = {
        "plan": report_round.plan_slug,
        "fiscal_year": str(report_round.fiscal_year),
        "months": str(report_round.months),
    }
    if any(about.get(k) not in (None, v) for k, v in expected.items()):
        raise SpreadsheetRefused(
            [
                _("ไฟล์นี้เป็นของรอบรายงานอื่น (แผน %(plan)s ปี %(year)s รอบ %(months)s เดือน)")
                % {"plan": about.get("plan"), "year": about.get("fiscal_year"), "months": about.get("months")}
            ]
        )


def _read_book(book: Any, report_round: ReportRound) -> Parsed:
    if SHEET not in book.sheetnames:
        raise SpreadsheetRefused([_("ไม่พบแผ่นงาน “%(sheet)s” ในไฟล์") % {"sheet": SHEET}])
    _check_about(book, report_round)
    sheet = book[SHEET]
    too_many = _("ไฟล์มีมากเกิน %(n)s แถว") % {"n": MAX_ROWS}
    if (sheet.max_row or 0) > MAX_ROWS + 1:  # the sheet's declared size; the loop below also counts
        raise SpreadsheetRefused([too_many])
    headers = _headers()
    by_header = {header: name for name, header in headers.items()}
    with translation.override("th"):
        result_headers = {_result_header(i): i for i in range(100)}
    rows_iter = sheet.iter_rows()
    try:
        header_row = next(rows_iter)
    except StopIteration:
        raise SpreadsheetRefused([_("ไฟล์ไม่มีหัวตาราง")]) from None
    columns: dict[int, str] = {}
    for index, cell in enumerate(header_row):
        text = cell_text(cell.value)
        if text in by_header:
            columns[index] = by_header[text]
        elif text in result_headers:
            columns[index] = f"result_{result_headers[text]}"
    missing = [headers[n] for n in ("uid", "status") if n not in columns.values()]
    if missing:
        raise SpreadsheetRefused(
            [_("ไม่พบคอลัมน์ “%(header)s” ในแถวหัวตาราง") % {"header": header} for header in missing]
        )
    reports = {r.report.item_uid: r for r in round_rows(report_round, set()) if r.item is not None}
    parsed = Parsed()
    problems: list[str] = []
    statuses, reasons = _status_labels(), _reason_labels()
    english_status = {k: str(ItemStatus(k).label) for k in statuses}
    seen: set[UUID] = set()
    for number, row in enumerate(rows_iter, start=2):
        if number > MAX_ROWS + 1:
            raise SpreadsheetRefused([too_many])
        cells = {columns[i]: cell for i, cell in enumerate(row) if i in columns}
        if all(c.value is None or cell_text(c.value) == "" for c in cells.values()):
            continue
        if len(problems) >= MAX_PROBLEMS:
            break
        title = cell_text(cells["title"].value) if "title" in cells else ""

        def problem(name: str, message: str, number: int = number, title: str = title) -> None:
            header = headers.get(name) or (
                _result_header(int(name.split("_")[1])) if name.startswith("result_") else name
            )
            problems.append(
                _("แถว %(row)s คอลัมน์ “%(column)s” (%(title)s): %(message)s")
                % {"row": number, "column": header, "title": title[:80] or "—", "message": message}
            )

        formulas = [
            name
            for name, cell in cells.items()
            if getattr(cell, "data_type", "") == "f"
            or (isinstance(cell.value, str) and cell.value.startswith("="))
        ]
        for name in formulas:
            problem(name, _("มีสูตรคำนวณ ให้พิมพ์ค่าแทนสูตร"))
        if formulas:
            continue
        try:
            uid = UUID(cell_text(cells["uid"].value))
        except ValueError:
            problem("uid", _("รหัสรายการไม่ถูกต้อง"))
            continue
        found = reports.get(uid)
        if found is None:
            problem("uid", _("ไม่พบรายการนี้ในรอบรายงาน"))
            continue
        if uid in seen:
            problem("uid", _("รายการนี้ซ้ำกับแถวก่อนหน้า"))
            continue
        seen.add(uid)
        title = title or found.report.title
        data = ReportData.of(found.report)
        values: dict[str, Any] = {name: cell.value for name, cell in cells.items()}
        bad = False

        def parse(name: str, reader: Any, message: str, values: dict[str, Any] = values) -> Any:
            nonlocal bad
            try:
                return reader(values.get(name))
            except (ValueError, TypeError):
                problem(name, message)
                bad = True
                return None

        number_message = _("ต้องเป็นตัวเลข (เช่น 20000 หรือ ๒๐,๐๐๐)")
        tick_message = _("ต้องเป็น “ใช่” หรือ “ไม่ใช่”")
        if "ordinance_budget" in cells:
            data.ordinance_budget = parse("ordinance_budget", _decimal, number_message)
        if "disbursed" in cells:
            data.disbursed = parse("disbursed", _decimal, number_message)
        for name in ("included", "out_of_scope"):
            if name in cells:
                setattr(data, name, bool(parse(name, _tick, tick_message)))
        quarters = set(data.quarters)
        for n in (1, 2, 3, 4):
            if f"q{n}" in cells:
                ran = parse(f"q{n}", _tick, tick_message)
                quarters = quarters | {n} if ran else quarters - {n}
        data.quarters = quarters
        data.status = (
            parse("status", lambda v: _choice(v, statuses, english_status), _("เลือกสถานะจากรายการเท่านั้น"))
            or ""
        )
        if "reason" in cells:
            data.reason = (
                parse("reason", lambda v: _choice(v, reasons, {}), _("เลือกเหตุผลจากรายการเท่านั้น")) or ""
            )
        for name in ("reason_text", "remark", "narrative"):
            if name in cells:
                setattr(data, name, cell_text(values.get(name)))
        results = list(data.results)
        for index in range(len(results)):
            name = f"result_{index}"
            if name in cells:
                results[index] = parse(name, _decimal, number_message)
        data.results = results
        if bad:
            continue
        try:
            validate_report(data, len(found.report.indicator_results))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    problem(name, message)
            continue
        parsed.rows[uid] = data
        if data != ReportData.of(found.report):
            parsed.changed_titles.append(found.report.title)
    if problems:
        raise SpreadsheetRefused(problems)
    return parsed
