"""Reading survey responses from CSV or XLSX: one row per respondent, one column per item.

A file is used whole or not at all: every problem (row, column, value, reason, in Thai) is collected
and reported together, and nothing is stored from a file that has any.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from prongsai.ita.catalog import ItaModel, Questionnaire, questionnaires_of
from prongsai.lib import files
from prongsai.lib.numbers import arabic_digits

MAX_ROWS = 10000  # answer rows, below the header
MAX_COLUMNS = 200  # the longest questionnaire has 43 items
# What 10,000 rows of the longest questionnaire can take, answered in the longest Thai labels.
MAX_FILE_SIZE = 16 * 1024 * 1024
# An XLSX is a zip: the sizes its directory declares bound what can come out of it (zipfile never
# inflates a member past its declared size), so a zip bomb is refused before openpyxl opens it.
MAX_XLSX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_XLSX_MEMBERS = 500
XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and other Office files)
CHECKLIST_YES = ("1", "ครบ", "ครบถ้วน", "ใช่", "มี")
CHECKLIST_NO = ("0", "ไม่ครบ", "ไม่ใช่", "ไม่มี")
# Control characters that no text file has; tab, line feed and carriage return are the ones it may.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def _refuse(reason: str, row: int | None = None, column: str = "", value: str = "") -> ImportRefused:
    return ImportRefused([Problem(row, column, value, reason)])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def code_of(value: str) -> str:
    """A cell's value as an answer code: Thai digits (๓) read as Arabic ones (3)."""
    return arabic_digits(value.strip())


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp874"):  # cp874: Thai Windows, what older Excel saves as CSV
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if CONTROL.search(text):
            break  # a binary file that happens to decode
        return text
    raise _refuse(_("อ่านไฟล์ไม่ได้: ไม่ใช่ CSV แบบ UTF-8 หรือ TIS-620"))


def _too_many_rows(row: int) -> ImportRefused:
    return _refuse(
        _("ไฟล์มีคำตอบเกินกว่าที่รับได้ %(max)s แถว (อ่านถึงแถว %(row)s ของไฟล์แล้วหยุด)") % {"max": MAX_ROWS, "row": row}
    )


def _too_many_columns(row: int, count: int) -> ImportRefused:
    return _refuse(
        _("มี %(n)s คอลัมน์ เกินกว่าที่รับได้ %(max)s คอลัมน์") % {"n": count, "max": MAX_COLUMNS},
        row=row,
    )


class _Rows:
    """Keeps the non-empty rows of a sheet and stops reading once there are more than can be used."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.seen = 0  # rows read, empty ones included: a file of blank lines stops too

    def add(self, row: list[str]) -> None:
        self.seen += 1
        while row and not row[-1]:
            row.pop()
        if len(row) > MAX_COLUMNS:
            raise _too_many_columns(self.seen, len(row))
        if row:
            self.rows.append(row)
        if len(self.rows) > MAX_ROWS + 1 or self.seen > 2 * (MAX_ROWS + 1):
            raise _too_many_rows(self.seen)


def read_table(content: bytes) -> list[list[str]]:
    """The cells of a CSV or XLSX file as text, without rows that are entirely empty.

    The type is told by the content, not the name. Reading stops at the first row past ``MAX_ROWS``."""
    if len(content) > MAX_FILE_SIZE:
        raise _refuse(_("ไฟล์มีขนาดเกินกว่าที่รับได้ %(max)s MB") % {"max": MAX_FILE_SIZE // (1024 * 1024)})
    if content.startswith(XLSX_MAGIC):
        return _read_xlsx(content)
    if content.startswith(OLE_MAGIC):
        raise _refuse(_("ไฟล์ Excel แบบเก่า (.xls) อ่านไม่ได้: บันทึกเป็น XLSX หรือ CSV แล้วนำเข้าใหม่"))
    return _read_csv(_decode(content))


def _read_csv(text: str) -> list[list[str]]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = _Rows()
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            rows.add([cell.strip() for cell in row])
    except csv.Error as error:
        raise _refuse(_("อ่าน CSV ไม่ได้: %(error)s") % {"error": error}) from None
    return rows.rows


def _check_zip(content: bytes) -> None:
    """Refuse what is not an XLSX, or would inflate past what a sheet of answers can need."""
    unreadable = _("อ่านไฟล์ XLSX ไม่ได้: ไฟล์เสียหรือไม่ใช่ XLSX")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except files.ZIP_ERRORS:
        raise _refuse(unreadable) from None
    names = {member.filename for member in members}
    if any(name not in names for name in XLSX_MEMBERS) or not any(
        name.startswith("xl/worksheets/") for name in names
    ):
        raise _refuse(unreadable)
    declared = sum(member.file_size for member in members)
    if len(members) > MAX_XLSX_MEMBERS or declared > MAX_XLSX_UNCOMPRESSED:
        raise _refuse(
            _("ไฟล์ XLSX ขยายออกได้ %(size)s MB เกินกว่าที่รับได้ %(max)s MB")
            % {"size": declared // (1024 * 1024), "max": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)}
        )


def _read_xlsx(content: bytes) -> list[list[str]]:
    import openpyxl
    from openpyxl.utils import get_column_letter

    _check_zip(content)
    unreadable = _("อ่านไฟล์ XLSX ไม่ได้: ไฟล์เสียหรือไม่ใช่ XLSX")
    # Formulas are read as formulas (data_only=False) so that they can be refused: the value a
    # formula last showed is whatever the program that saved the file computed, if it computed it.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged file; every one means "unreadable"
        raise _refuse(unreadable) from None
    rows = _Rows()
    header: list[str] = []
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a sheet's declared size may be false: read the rows that are there
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if len(row) > 4 * MAX_COLUMNS:
                raise _too_many_columns(number, len(row))
            values: list[str] = []
            for index, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    column = (
                        header[index]
                        if index < len(header) and header[index]
                        else get_column_letter(index + 1)
                    )
                    formula = str(getattr(cell.value, "text", cell.value))
                    raise _refuse(
                        _("เป็นสูตรคำนวณ ให้บันทึกไฟล์เป็นค่า (คัดลอกแล้ววางแบบค่า) แล้วนำเข้าใหม่"),
                        row=number,
                        column=column,
                        value=formula[:100],
                    )
                values.append(_cell(getattr(cell, "value", None)))
            if not header and any(values):
                header = list(values)
            rows.add(values)
    except ImportRefused:
        raise
    except Exception:  # as above: a damaged sheet fails in openpyxl's own ways
        raise _refuse(unreadable) from None
    finally:
        workbook.close()
    return rows.rows


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
                option = item.option_for_code(code_of(value))
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
        if code_of(value) in CHECKLIST_YES:
            complete.add(column)
        elif code_of(value) not in CHECKLIST_NO:
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
