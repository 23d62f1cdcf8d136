"""Reading survey responses from CSV or XLSX: one row per respondent, one column per item.

A file is used whole or not at all: every problem (row, column, value, reason, in Thai) is collected
and reported together, and nothing is stored from a file that has any.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from prongsai.ita.catalog import ItaModel, Questionnaire, questionnaires_of

MAX_ROWS = 10000
XLSX_MAGIC = b"PK\x03\x04"
CHECKLIST_YES = ("1", "ครบ", "ครบถ้วน", "ใช่", "มี")
CHECKLIST_NO = ("0", "ไม่ครบ", "ไม่ใช่", "ไม่มี")


@dataclass(frozen=True)
class Problem:
    row: int | None  # as the spreadsheet numbers it: the header is row 1
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        if self.row is None and not self.column:
            return self.reason
        if self.row is None:
            return _("คอลัมน์ %(column)s: %(reason)s") % {"column": self.column, "reason": self.reason}
        return _("แถว %(row)s คอลัมน์ %(column)s ค่า “%(value)s”: %(reason)s") % {
            "row": self.row,
            "column": self.column or "-",
            "value": self.value,
            "reason": self.reason,
        }


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp874"):  # cp874: Thai Windows, what older Excel saves as CSV
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused([Problem(None, "", "", _("อ่านไฟล์ไม่ได้: ไม่ใช่ CSV แบบ UTF-8 หรือ TIS-620"))])


def read_table(content: bytes) -> list[list[str]]:
    """The cells of a CSV or XLSX file as text, without rows that are entirely empty."""
    if content.startswith(XLSX_MAGIC):
        rows = _read_xlsx(content)
    else:
        text = _decode(content)
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
        except csv.Error as error:
            raise ImportRefused(
                [Problem(None, "", "", _("อ่าน CSV ไม่ได้: %(error)s") % {"error": error})]
            ) from None
    return [row for row in rows if any(row)]


def _read_xlsx(content: bytes) -> list[list[str]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportRefused([Problem(None, "", "", _("อ่านไฟล์ XLSX ไม่ได้: ไฟล์เสียหรือไม่ใช่ XLSX"))]) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _header(table: list[list[str]], expected: tuple[str, ...]) -> tuple[list[str], list[Problem]]:
    problems: list[Problem] = []
    if not table:
        return [], [Problem(None, "", "", _("ไฟล์ว่าง ไม่มีแถวหัวตารางหรือคำตอบ"))]
    header = list(table[0])
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(1, _("ลำดับที่ %(n)s") % {"n": index}, "", _("หัวคอลัมน์ว่าง ให้ใส่รหัสข้อคำถาม")))
        elif name in seen:
            problems.append(Problem(1, name, name, _("หัวคอลัมน์ซ้ำ")))
        elif name not in expected:
            problems.append(Problem(1, name, name, _("ไม่มีข้อคำถามรหัสนี้ในแบบสำรวจ")))
        seen.add(name)
    for key in expected:
        if key not in seen:
            problems.append(Problem(None, key, "", _("ไม่มีคอลัมน์ของข้อคำถามนี้")))
    return header, problems


def parse_responses(questionnaire: Questionnaire, table: list[list[str]]) -> list[dict[str, int]]:
    """Each respondent's points by item key; ImportRefused with every problem of the file."""
    expected = questionnaire.item_keys
    header, problems = _header(table, expected)
    body = table[1:]
    if table and not body:
        problems.append(Problem(None, "", "", _("ไม่มีแถวคำตอบใต้หัวตาราง")))
    if len(body) > MAX_ROWS:
        problems.append(
            Problem(
                None,
                "",
                "",
                _("ไฟล์มีคำตอบ %(n)s แถว เกินกว่าที่รับได้ %(max)s แถว") % {"n": len(body), "max": MAX_ROWS},
            )
        )
    if problems:
        raise ImportRefused(problems)
    items = {item.key: item for item in questionnaire.items}
    respondents: list[dict[str, int]] = []
    for row_number, row in enumerate(body, start=2):
        points: dict[str, int] = {}
        for index, column in enumerate(header):
            value = row[index] if index < len(row) else ""
            item = items[column]
            if not value:
                problems.append(Problem(row_number, column, value, _("ไม่มีคำตอบ")))
                continue
            option = item.option_for_code(value)
            if option is None:
                problems.append(
                    Problem(
                        row_number,
                        column,
                        value,
                        _("ค่าที่รับได้คือ %(accepted)s") % {"accepted": ", ".join(item.accepted_codes)},
                    )
                )
                continue
            points[column] = item.points_of(option)
        for index in range(len(header), len(row)):
            if row[index]:
                problems.append(
                    Problem(
                        row_number,
                        _("ลำดับที่ %(n)s") % {"n": index + 1},
                        row[index],
                        _("มีค่าในคอลัมน์ที่ไม่มีหัวตาราง"),
                    )
                )
        respondents.append(points)
    if problems:
        raise ImportRefused(problems)
    return respondents


def parse_checklist(questionnaire: Questionnaire, table: list[list[str]]) -> set[str]:
    """The complete OIT items from a one-row table (columns O1…O43, 1/0 or ครบ/ไม่ครบ)."""
    header, problems = _header(table, questionnaire.item_keys)
    body = table[1:]
    if table and len(body) != 1:
        problems.append(
            Problem(None, "", "", _("ไฟล์ OIT ต้องมีแถวผลการตรวจเพียงหนึ่งแถว แต่มี %(n)s แถว") % {"n": len(body)})
        )
    if problems:
        raise ImportRefused(problems)
    complete: set[str] = set()
    row = body[0]
    for index, column in enumerate(header):
        value = row[index] if index < len(row) else ""
        if value in CHECKLIST_YES:
            complete.add(column)
        elif value not in CHECKLIST_NO:
            accepted = ", ".join((*CHECKLIST_YES, *CHECKLIST_NO))
            problems.append(Problem(2, column, value, _("ค่าที่รับได้คือ %(accepted)s") % {"accepted": accepted}))
    if problems:
        raise ImportRefused(problems)
    return complete


def detect_questionnaire(model: ItaModel, table: list[list[str]]) -> Questionnaire:
    """The model's questionnaire whose item keys the file's header uses (for files given without a tool)."""
    header = {cell for cell in (table[0] if table else []) if cell}
    for questionnaire in questionnaires_of(model).values():
        if header & set(questionnaire.item_keys):
            return questionnaire
    raise ImportRefused(
        [
            Problem(
                1,
                "",
                ", ".join(sorted(header))[:200],
                _("หัวตารางไม่ตรงกับแบบสำรวจใดของแบบ %(model)s") % {"model": model.key},
            )
        ]
    )


def template_header(questionnaire: Questionnaire) -> list[str]:
    return list(questionnaire.item_keys)
