"""Reading an uploaded XLSX file safely: size and archive limits before parsing, and one refusal type.

Every import that reads back a spreadsheet Prongsai wrote (report rounds, risk registers) opens it
through ``open_workbook``, so the same defences hold for each: a file over ``MAX_BYTES``, something that
is not a zip archive, or an archive that unpacks to more than ``MAX_UNPACKED`` (a zip bomb) is refused
before openpyxl reads anything.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from prongsai.lib import files

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_ENTRIES = 200


class SpreadsheetRefused(Exception):
    """A file refused whole; ``problems`` names each, by row and column header where it can."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:3]))
        self.problems = problems


def check_archive(raw: bytes) -> None:
    if len(raw) > MAX_BYTES:
        raise SpreadsheetRefused([_("ไฟล์ใหญ่เกินไป (สูงสุด %(mb)s MB)") % {"mb": MAX_BYTES // (1024 * 1024)}])
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = archive.infolist()
    except files.ZIP_ERRORS:
        raise SpreadsheetRefused([_("ไม่ใช่ไฟล์ Excel (.xlsx)")]) from None
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
        raise SpreadsheetRefused([_("ไฟล์เมื่อแตกออกมีขนาดใหญ่เกินไป")])


@contextmanager
def open_workbook(raw: bytes) -> Iterator[Any]:
    """The workbook of ``raw`` (read-only, formulas kept as written so they can be refused), closed after."""
    check_archive(raw)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        raise SpreadsheetRefused([_("อ่านไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหาย")]) from None
    try:
        yield book
    finally:
        book.close()


def cell_text(value: Any) -> str:
    """A cell as text: empty for nothing, whole numbers without ".0", surrounding spaces dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
