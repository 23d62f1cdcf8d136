"""The round as XLSX and back: the same file, all or nothing, hostile files refused with named problems."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from prongsai.audit.models import AuditEvent
from prongsai.cli import main
from prongsai.conftest import log_problems
from prongsai.lib import xlsx
from prongsai.reports import actions, spreadsheet
from prongsai.reports.actions import ReportData


@pytest.fixture
def report_round(published, people):
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 12)
    project = report_round.reports.get(title__startswith="โครงการความรู้")
    actions.save_report(
        people["alice"],
        project,
        ReportData(
            status="in_progress", ordinance_budget=Decimal(20000), disbursed=Decimal(5000), quarters={1}
        ),
    )
    return report_round


def workbook(report_round):
    return load_workbook(io.BytesIO(spreadsheet.export_xlsx(report_round)))


def column(sheet, header):
    return next(cell.column for cell in sheet[1] if cell.value == header)


def row_of(sheet, title_start):
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if str(row[2].value).startswith(title_start))


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edit(report_round, title_start, **cells) -> bytes:
    book = workbook(report_round)
    sheet = book[spreadsheet.SHEET]
    row = row_of(sheet, title_start)
    for header, value in cells.items():
        sheet.cell(row=row, column=column(sheet, header), value=value)
    return save(book)


def problems_of(raw, report_round):
    with pytest.raises(xlsx.SpreadsheetRefused) as refused:
        spreadsheet.read_xlsx(raw, report_round)
    return refused.value.problems


def test_the_export_has_one_row_per_item_thai_headers_and_drop_down_lists(report_round):
    book = workbook(report_round)
    sheet = book[spreadsheet.SHEET]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["รหัสรายการ (uid)", "ภารกิจตามมิติ", "ชื่อโครงการ/กิจกรรม/มาตรการ"]
    assert "สถานะการดำเนินงาน" in headers and "ผลตัวชี้วัดที่ 1" in headers
    assert sheet.max_row == 1 + report_round.reports.count()
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert '"อยู่ระหว่างดำเนินการ,ดำเนินการแล้วเสร็จ,ไม่สามารถดำเนินการได้"' in lists
    assert any("อื่นๆ" in f for f in lists)
    project = row_of(sheet, "โครงการความรู้")
    assert sheet.cell(project, column(sheet, "งบประมาณตามแผนพัฒนาท้องถิ่น (บาท)")).value == 20000
    assert sheet.cell(project, column(sheet, "สถานะการดำเนินงาน")).value == "อยู่ระหว่างดำเนินการ"


def test_round_trip_export_edit_import_export_shows_the_edit(report_round, people, tmp_path):
    raw = edit(
        report_round,
        "โครงการความรู้",
        **{"การเบิกจ่ายงบประมาณ (บาท)": "๑๒,๕๐๐", "สถานะการดำเนินงาน": "ดำเนินการแล้วเสร็จ", "ผลตัวชี้วัดที่ 1": 85},
    )
    path = tmp_path / "round.xlsx"
    path.write_bytes(raw)
    code = main(
        ["report", "import", str(path), "--plan", "wangphai/2561-2564", "--year", "2561", "--round", "12"]
    )
    assert code == 0
    sheet = workbook(report_round)[spreadsheet.SHEET]
    row = row_of(sheet, "โครงการความรู้")
    assert sheet.cell(row, column(sheet, "การเบิกจ่ายงบประมาณ (บาท)")).value == 12500
    assert sheet.cell(row, column(sheet, "สถานะการดำเนินงาน")).value == "ดำเนินการแล้วเสร็จ"
    assert sheet.cell(row, column(sheet, "ผลตัวชี้วัดที่ 1")).value == 85
    assert AuditEvent.objects.filter(event="report.round.import").get().params["count"] == 1
    assert log_problems() == []


def test_an_unchanged_file_changes_nothing(report_round):
    parsed = spreadsheet.read_xlsx(spreadsheet.export_xlsx(report_round), report_round)
    assert parsed.changed_titles == []
    assert len(parsed.rows) == 3


def test_letters_in_an_amount_are_refused_with_exit_code_2_naming_row_column_and_title(
    report_round, tmp_path, capsys
):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(edit(report_round, "โครงการความรู้", **{"การเบิกจ่ายงบประมาณ (บาท)": "ห้าพันบาท"}))
    before = AuditEvent.objects.count()
    code = main(
        ["report", "import", str(path), "--plan", "wangphai/2561-2564", "--year", "2561", "--round", "12"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "แถว 2 คอลัมน์ “การเบิกจ่ายงบประมาณ (บาท)” (โครงการความรู้คู่คุณธรรม)" in err
    assert AuditEvent.objects.count() == before
    assert report_round.reports.get(title__startswith="โครงการความรู้").disbursed == Decimal(5000)


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("การเบิกจ่ายงบประมาณ (บาท)", -5, "ไม่ติดลบ"),
        ("การเบิกจ่ายงบประมาณ (บาท)", True, "ตัวเลข"),
        ("สถานะการดำเนินงาน", "เสร็จแล้วมั้ง", "สถานะ"),
        ("บรรจุไว้ในข้อบัญญัติ/เทศบัญญัติ/แผนการดำเนินงาน", "บางส่วน", "ใช่"),
        ("รหัสรายการ (uid)", "not-a-uid", "รหัสรายการ"),
        ("รหัสรายการ (uid)", "00000000-0000-0000-0000-000000000000", "ไม่พบรายการ"),
        ("การเบิกจ่ายงบประมาณ (บาท)", "=1+1", "สูตร"),
        ("สถานะการดำเนินงาน", "ไม่สามารถดำเนินการได้", "เหตุผล"),
    ],
)
def test_wrong_values_and_formulas_are_refused_by_row_and_column(report_round, header, value, expected):
    problems = problems_of(edit(report_round, "โครงการความรู้", **{header: value}), report_round)
    assert len(problems) == 1
    assert problems[0].startswith("แถว 2 คอลัมน์")
    assert expected in problems[0]


def test_thai_digits_and_separators_are_accepted_in_numbers(report_round):
    raw = edit(report_round, "โครงการความรู้", **{"งบประมาณตามข้อบัญญัติ/เทศบัญญัติ (บาท)": "๑๘,๐๐๐.๕๐"})
    parsed = spreadsheet.read_xlsx(raw, report_round)
    uid = report_round.reports.get(title__startswith="โครงการความรู้").item_uid
    assert parsed.rows[uid].ordinance_budget == Decimal("18000.50")


def test_ten_thousand_rows_are_refused_without_reading_them_all(report_round):
    book = workbook(report_round)
    sheet = book[spreadsheet.SHEET]
    for n in range(10_000):
        sheet.append([f"row {n}", "", "x"])
    problems = problems_of(save(book), report_round)
    assert problems == ["ไฟล์มีมากเกิน 2000 แถว"]


def test_an_oversized_file_and_a_zip_bomb_are_refused(report_round):
    assert "ใหญ่เกินไป" in problems_of(b"PK" + b"\0" * (xlsx.MAX_BYTES + 1), report_round)[0]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (xlsx.MAX_UNPACKED + 1))
    assert "แตกออก" in problems_of(bomb.getvalue(), report_round)[0]


def test_a_file_that_is_not_xlsx_or_of_another_round_is_refused(report_round, published, people):
    assert "Excel" in problems_of(b"hello", report_round)[0]
    other = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    assert "รอบรายงานอื่น" in problems_of(spreadsheet.export_xlsx(report_round), other)[0]


def test_an_approved_round_cannot_be_imported(report_round, people, tmp_path, capsys):
    actions.approve_round(people["bob"], report_round)
    path = tmp_path / "r.xlsx"
    path.write_bytes(spreadsheet.export_xlsx(report_round))
    code = main(
        ["report", "import", str(path), "--plan", "wangphai/2561-2564", "--year", "2561", "--round", "12"]
    )
    assert code == 2


def test_summary_and_json_export_on_the_command_line(report_round, tmp_path):
    out = tmp_path / "summary.json"
    assert (
        main(["report", "summary", "wangphai/2561-2564", "--year", "2561", "--round", "12", "-o", str(out)])
        == 0
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    # 0.5 / 3 items × 100
    assert data["score"] == "16.67" and data["band"] == "red"
    assert data["counts"]["in_progress"] == 1 and data["counts"]["waiting"] == 2
    assert data["total"]["planned"] == "25000.00" and data["total"]["disbursed"] == "5000.00"
    assert [d["number"] for d in data["dimensions"]] == [1, 2, 3, 4]
    exported = tmp_path / "round.json"
    assert (
        main(
            [
                "report",
                "export",
                "wangphai/2561-2564",
                "--year",
                "2561",
                "--round",
                "12",
                "--format",
                "json",
                "-o",
                str(exported),
            ]
        )
        == 0
    )
    items = json.loads(exported.read_text(encoding="utf-8"))["items"]
    assert {i["item_uid"] for i in items} == {
        str(u) for u in report_round.reports.values_list("item_uid", flat=True)
    }
    xlsx = tmp_path / "round.xlsx"
    assert (
        main(
            [
                "report",
                "export",
                "wangphai/2561-2564",
                "--year",
                "2561",
                "--round",
                "12",
                "--format",
                "xlsx",
                "-o",
                str(xlsx),
            ]
        )
        == 0
    )
    assert xlsx.read_bytes()[:2] == b"PK"


def test_an_unknown_round_exits_with_2(db, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["report", "summary", "nowhere/x", "--year", "2561", "--round", "6"])
    assert exit_.value.code == 2
