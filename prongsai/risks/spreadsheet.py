"""A register as one XLSX file and back, and as JSON with every risk's computed score and level.

Export writes one row per risk (its number in the register, then one column per field, Thai headers,
the computed score and level for reading) with drop-down lists for the area, likelihood and impact.
Import reads the same file after editing, finds columns by header, and refuses the whole file on any
problem, each named by row and header; nothing is written until every row is right. Score, level and
measures in the file are ignored on import: score and level are computed, measures are edited on the
register page. The size, archive and formula defences are the report import's (``reports.spreadsheet``).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from prongsai.lib.numbers import arabic_digits, plain_number
from prongsai.lib.xlsx import MAX_BYTES, SpreadsheetRefused, cell_text, open_workbook
from prongsai.reports.export import dumps
from prongsai.risks.actions import MAX_ROWS, RISK_TEXTS, RiskData, item_budget, linked_item, validate_risk
from prongsai.risks.audit_state import measure_state, risk_state
from prongsai.risks.method import SCALE, Method
from prongsai.risks.models import Risk, RiskRegister

__all__ = ["MAX_BYTES", "SpreadsheetRefused", "dumps", "export_xlsx", "read_xlsx", "register_json"]

SHEET = "ทะเบียนความเสี่ยง"
LISTS_SHEET = "รายการ"
ABOUT_SHEET = "ข้อมูลทะเบียน"
MAX_PROBLEMS = 200
READ_ONLY = ("score", "level", "residual_score", "residual_level", "measures")


def _headers() -> dict[str, str]:
    """Field → header in column order; always Thai, so a file moves between readers of either language."""
    with translation.override("th"):
        return {
            "number": _("ลำดับ"),
            "process": _("กระบวนงาน/งานบริการ"),
            "event": _("เหตุการณ์ความเสี่ยง"),
            "cause": _("สาเหตุ"),
            "area": _("ด้านความเสี่ยง"),
            "existing_controls": _("การควบคุมที่มีอยู่"),
            "likelihood": _("โอกาส (๑–๕)"),
            "impact": _("ผลกระทบ (๑–๕)"),
            "score": _("คะแนน (คำนวณ)"),
            "level": _("ระดับความเสี่ยง (คำนวณ)"),
            "residual_likelihood": _("โอกาสหลังจัดการ (๑–๕)"),
            "residual_impact": _("ผลกระทบหลังจัดการ (๑–๕)"),
            "residual_score": _("คะแนนหลังจัดการ (คำนวณ)"),
            "residual_level": _("ระดับหลังจัดการ (คำนวณ)"),
            "owner_unit": _("หน่วยงานที่รับผิดชอบ"),
            "owner_person": _("ผู้รับผิดชอบ"),
            "indicator": _("ตัวบ่งชี้"),
            "target": _("ค่าเป้าหมาย"),
            "due_date": _("กำหนดแล้วเสร็จ (ปปปป-ดด-วว)"),
            "ita_indicator": _("ตัวชี้วัด ITA ที่เกี่ยวข้อง"),
            "measures": _("มาตรการ (แก้ไขในหน้าทะเบียน)"),
        }


def _risks(register: RiskRegister) -> list[Risk]:
    risks = list(register.risks.prefetch_related("measures"))
    for risk in risks:
        risk.register = register
    return risks


def export_xlsx(register: RiskRegister) -> bytes:
    method = register.method
    headers = _headers()
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(headers.values()))
    for number, risk in enumerate(_risks(register), start=1):
        area = method.area(risk.area)
        values = {
            **RiskData.of(risk).__dict__,
            "number": number,
            "area": area.title_th if area is not None else risk.area,
            "score": risk.score,
            "level": risk.level.title_th,
            "residual_score": risk.residual_score,
            "residual_level": risk.residual_level.title_th,
            "measures": "\n".join(m.title for m in risk.measures.all()),
        }
        sheet.append([values[name] for name in headers])
    letters = {name: get_column_letter(index) for index, name in enumerate(headers, start=1)}
    last = max(register.risks.count() + 1, 200)  # room to add rows in Excel with the same lists
    lists = book.create_sheet(LISTS_SHEET)
    for row, area in enumerate(method.areas, start=1):
        lists.cell(row=row, column=1, value=area.title_th)
    lists.sheet_state = "hidden"

    def listed(names: tuple[str, ...], formula: str) -> None:
        validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
        validation.error = _("เลือกจากรายการเท่านั้น")
        sheet.add_data_validation(validation)
        for name in names:
            validation.add(f"{letters[name]}2:{letters[name]}{last}")

    # The area titles are too long for an inline list (Excel allows 255 characters): a hidden sheet.
    listed(("area",), f"'{LISTS_SHEET}'!$A$1:$A${len(method.areas)}")
    listed(
        ("likelihood", "impact", "residual_likelihood", "residual_impact"),
        '"' + ",".join(map(str, SCALE)) + '"',
    )
    for name, width in (("process", 30), ("event", 50), ("cause", 40), ("area", 40), ("measures", 50)):
        sheet.column_dimensions[letters[name]].width = width
    sheet.freeze_panes = "C2"
    about = book.create_sheet(ABOUT_SHEET)
    for key, value in (
        ("organization", register.organization.slug),
        ("fiscal_year", register.fiscal_year),
        ("revision", register.revision),
        ("method", register.method_key),
        ("illustrative", "ใช่" if register.is_illustrative else "ไม่ใช่"),
    ):
        about.append([key, value])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


# --- Import ----------------------------------------------------------------------------------------


@dataclass
class Parsed:
    """Rows in file order: the register's risk at that number (None: a new risk) and what the row says."""

    rows: list[tuple[Risk | None, RiskData]] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(risk is None for risk, _data in self.rows)

    @property
    def changed(self) -> int:
        return sum(risk is not None and RiskData.of(risk) != data for risk, data in self.rows)


def _scale(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float) and not value.is_integer():
        raise ValueError
    if isinstance(value, int | float):
        return int(value)
    text = plain_number(cell_text(value))
    if not text or "." in text:
        raise ValueError(text)
    return int(text)


def _date(value: Any) -> dt.date | None:
    if value is None or cell_text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    day = dt.date.fromisoformat(arabic_digits(cell_text(value)))
    if day.year > 2400:  # typed in the Buddhist Era
        day = day.replace(year=day.year - 543)
    return day


def _area(value: Any, method: Method) -> str:
    text = cell_text(value)
    if not text:
        return ""
    for area in method.areas:
        if text in {area.key, area.title_th, area.title_en}:
            return area.key
    return text  # validate_risk names it


def read_xlsx(raw: bytes, register: RiskRegister) -> Parsed:
    """Read an exported file after editing; SpreadsheetRefused lists every problem (nothing is saved).

    The file's numbers name the risks of the revision it was exported from (its ข้อมูลทะเบียน sheet
    says which; ``register`` when it does not): rows of a published revision are matched to their copies
    in the draft by the import (``actions.import_risks``)."""
    with open_workbook(raw) as book:
        return _read_book(book, register)


def _check_about(book: Any, register: RiskRegister) -> RiskRegister:
    """The revision the file was exported from (a revision of ``register``'s year)."""
    if ABOUT_SHEET not in book.sheetnames:
        return register
    about = {}
    for row in book[ABOUT_SHEET].iter_rows(max_row=20, max_col=2, values_only=True):
        if row and row[0] is not None:
            about[cell_text(row[0])] = cell_text(row[1] if len(row) > 1 else None)
    year = about.get("fiscal_year")
    if year is not None and year != str(register.fiscal_year):
        raise SpreadsheetRefused([_("ไฟล์นี้เป็นของทะเบียนปี %(year)s") % {"year": year}])
    revision = about.get("revision")
    if revision is None or revision == str(register.revision):
        return register
    basis = (
        RiskRegister.objects.filter(
            organization_id=register.organization_id, fiscal_year=register.fiscal_year, revision=revision
        ).first()
        if revision.isdigit()
        else None
    )
    if basis is None:
        raise SpreadsheetRefused([_("ไม่พบทะเบียนฉบับที่ %(revision)s ที่ไฟล์นี้ส่งออกมา") % {"revision": revision}])
    basis.organization = register.organization
    return basis


def _read_book(book: Any, register: RiskRegister) -> Parsed:
    if SHEET not in book.sheetnames:
        raise SpreadsheetRefused([_("ไม่พบแผ่นงาน “%(sheet)s” ในไฟล์") % {"sheet": SHEET}])
    register = _check_about(book, register)
    sheet = book[SHEET]
    too_many = _("ไฟล์มีมากเกิน %(n)s แถว") % {"n": MAX_ROWS}
    if (sheet.max_row or 0) > MAX_ROWS + 1:  # the sheet's declared size; the loop below also counts
        raise SpreadsheetRefused([too_many])
    headers = _headers()
    by_header = {header: name for name, header in headers.items()}
    rows_iter = sheet.iter_rows()
    try:
        header_row = next(rows_iter)
    except StopIteration:
        raise SpreadsheetRefused([_("ไฟล์ไม่มีหัวตาราง")]) from None
    columns = {
        i: by_header[cell_text(c.value)] for i, c in enumerate(header_row) if cell_text(c.value) in by_header
    }
    required = ("process", "event", "area", "likelihood", "impact", "residual_likelihood", "residual_impact")
    if missing := [headers[n] for n in required if n not in columns.values()]:
        raise SpreadsheetRefused([_("ไม่พบคอลัมน์ “%(header)s” ในแถวหัวตาราง") % {"header": h} for h in missing])
    method = register.method
    existing = _risks(register)
    parsed = Parsed()
    problems: list[str] = []
    seen: set[int] = set()
    for number, row in enumerate(rows_iter, start=2):
        if number > MAX_ROWS + 1:
            raise SpreadsheetRefused([too_many])
        cells = {
            columns[i]: cell for i, cell in enumerate(row) if i in columns and columns[i] not in READ_ONLY
        }
        if all(c.value is None or cell_text(c.value) == "" for c in cells.values()):
            continue
        if len(problems) >= MAX_PROBLEMS:
            break

        def problem(name: str, message: str, number: int = number) -> None:
            problems.append(
                _("แถว %(row)s คอลัมน์ “%(column)s”: %(message)s")
                % {"row": number, "column": headers.get(name, name), "message": message}
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
        risk: Risk | None = None
        if "number" in cells and cell_text(cells["number"].value):
            try:
                position = _scale(cells["number"].value)
            except ValueError:
                problem("number", _("ลำดับต้องเป็นจำนวนเต็ม"))
                continue
            if not 1 <= position <= len(existing):
                problem("number", _("ไม่มีความเสี่ยงลำดับนี้ในทะเบียน ให้เว้นว่างสำหรับความเสี่ยงใหม่"))
                continue
            if position in seen:
                problem("number", _("ลำดับนี้ซ้ำกับแถวก่อนหน้า"))
                continue
            seen.add(position)
            risk = existing[position - 1]
        data = RiskData()
        for name in RISK_TEXTS:
            if name in cells:
                setattr(data, name, cell_text(cells[name].value))
        data.area = _area(cells["area"].value, method)
        bad = False
        for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
            value = cells[name].value
            if value is None or cell_text(value) == "":
                setattr(data, name, None)
                continue
            try:
                setattr(data, name, _scale(value))
            except ValueError:
                problem(name, _("ต้องเป็นจำนวนเต็ม ๑ ถึง ๕"))
                bad = True
        if "due_date" in cells:
            try:
                data.due_date = _date(cells["due_date"].value)
            except ValueError:
                problem("due_date", _("วันที่ต้องอยู่ในรูป ปปปป-ดด-วว"))
                bad = True
        if bad:
            continue
        try:
            validate_risk(data, method)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    problem(name, message)
            continue
        parsed.rows.append((risk, data))
    if problems:
        raise SpreadsheetRefused(problems)
    if len(existing) + parsed.added > MAX_ROWS:
        raise SpreadsheetRefused([too_many])
    return parsed


# --- JSON ------------------------------------------------------------------------------------------


def register_json(register: RiskRegister) -> dict[str, Any]:
    """The register as data: every risk with the score and level the method file gives it."""
    method = register.method
    risks = []
    for number, risk in enumerate(_risks(register), start=1):
        state = risk_state(risk)
        del state["register"], state["position"]
        # Which complaints an assessment cites stays with the organisation; the data says how many.
        state["complaints_cited"] = len(state.pop("complaint_refs"))
        measures = []
        for measure in risk.measures.all():
            item_state = measure_state(measure)
            del item_state["risk"], item_state["position"]
            item = None
            if measure.item_uid is not None:
                item = linked_item(register.organization, measure.plan_slug, measure.item_uid)
            budget = None if item is None else item_budget(item, register.fiscal_year)
            item_state["in_plan"] = item is not None
            item_state["budget"] = None if budget is None else f"{budget:.2f}"
            measures.append(item_state)
        risks.append(
            {
                "number": number,
                **state,
                "score": risk.score,
                "level": {
                    "key": risk.level.key,
                    "title_th": risk.level.title_th,
                    "title_en": risk.level.title_en,
                },
                "residual_score": risk.residual_score,
                "residual_level": {
                    "key": risk.residual_level.key,
                    "title_th": risk.residual_level.title_th,
                    "title_en": risk.residual_level.title_en,
                },
                "measures": measures,
            }
        )
    return {
        "organization": register.organization.slug,
        "fiscal_year": register.fiscal_year,
        "revision": register.revision,
        "method": method.key,
        "status": register.status,
        "illustrative": register.is_illustrative,
        "risks": risks,
    }
