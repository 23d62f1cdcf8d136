"""Every reader of an uploaded ZIP (Office files, the spreadsheets of the imports) refuses a damaged one with
its message, whatever ``zipfile`` raises: found by Hypothesis, a central directory claiming "version 6.4"
raised NotImplementedError past the refusals."""

from __future__ import annotations

import io

import openpyxl
import pytest

from prongsai.ita import tabular
from prongsai.lib import files, xlsx


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["I1", "I2"])
    book.active.append([1, 2])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def claiming_version(data: bytes, version: int) -> bytes:
    """``data`` with its first central directory entry saying it needs ``version`` to be extracted."""
    at = data.index(b"PK\x01\x02") + 6
    return data[:at] + version.to_bytes(2, "little") + data[at + 2 :]


def truncated_directory(data: bytes) -> bytes:
    at = data.index(b"PK\x01\x02")
    return data[: at + 10] + data[-22:]  # the end record promises a directory that is cut short


@pytest.mark.parametrize("damage", [lambda d: claiming_version(d, 64), truncated_directory])
def test_a_damaged_archive_is_refused_by_every_reader(damage):
    damaged = damage(workbook())
    with pytest.raises(files.FileRefused):
        files.sniff(damaged)
    with pytest.raises(xlsx.SpreadsheetRefused):
        xlsx.check_archive(damaged)
    with pytest.raises(tabular.ImportRefused):
        tabular.read_table(damaged)


def test_the_undamaged_workbook_is_read():
    data = workbook()
    assert files.sniff(data).key == "xlsx"
    xlsx.check_archive(data)
    assert tabular.read_table(data)[0][:2] == ["I1", "I2"]
