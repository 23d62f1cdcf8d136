"""The register as XLSX and back, and as JSON: the same file, all or nothing, hostile files refused."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from prongsai.audit.models import AuditEvent
from prongsai.cli import main
from prongsai.conftest import log_problems
from prongsai.lib import xlsx
from prongsai.lib.xlsx import MAX_UNPACKED
from prongsai.risks import actions, spreadsheet
from prongsai.risks.method import method
from prongsai.risks.models import Risk
from prongsai.risks.tests.conftest import risk_data

LIKELIHOOD = "โอกาส (๑–๕)"
IMPACT = "ผลกระทบ (๑–๕)"
AREA = "ด้านความเสี่ยง"


@pytest.fixture
def filled(register, people, published):
    first = actions.add_risk(people["alice"], register, risk_data())
    actions.add_risk(
        people["alice"],
        register,
        risk_data(event="จัดซื้อโดยแบ่งซื้อแบ่งจ้าง", area="budget", likelihood=2, impact=3),
    )
    item = published.items.get(title="โครงการความรู้คู่คุณธรรม")
    actions.add_measure(
        people["alice"], first, actions.MeasureData(plan_slug=published.slug, item_uid=item.uid)
    )
    return register


def workbook(register):
    return load_workbook(io.BytesIO(spreadsheet.export_xlsx(register)))


def column(sheet, header):
    return next(cell.column for cell in sheet[1] if cell.value == header)


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edit(register, row=2, **cells) -> bytes:
    book = workbook(register)
    sheet = book[spreadsheet.SHEET]
    for header, value in cells.items():
        sheet.cell(row=row, column=column(sheet, header), value=value)
    return save(book)


def problems_of(raw, register):
    with pytest.raises(xlsx.SpreadsheetRefused) as refused:
        spreadsheet.read_xlsx(raw, register)
    return refused.value.problems


def run(*args):
    return main(["risk", *args])


def test_the_export_has_thai_headers_computed_levels_and_drop_down_lists(filled):
    book = workbook(filled)
    sheet = book[spreadsheet.SHEET]
    assert [c.value for c in sheet[1]][:5] == ["ลำดับ", "กระบวนงาน/งานบริการ", "เหตุการณ์ความเสี่ยง", "สาเหตุ", AREA]
    assert sheet.cell(2, column(sheet, "ระดับความเสี่ยง (คำนวณ)")).value == "สูงมาก"
    assert sheet.cell(2, column(sheet, AREA)).value == "การพิจารณาอนุมัติ อนุญาต"
    formulas = sorted(v.formula1 for v in sheet.data_validations.dataValidation)
    assert '"1,2,3,4,5"' in formulas and any("รายการ" in f for f in formulas)
    assert [c.value for c in book[spreadsheet.LISTS_SHEET]["A"]] == [a.title_th for a in method().areas]


def test_round_trip_with_edited_likelihoods_on_the_command_line(filled, tmp_path, capsys):
    path = tmp_path / "risks.xlsx"
    assert run("export", "--org", "wangphai", "--year", "2562", "--format", "xlsx", "-o", str(path)) == 0
    book = load_workbook(path)
    sheet = book[spreadsheet.SHEET]
    sheet.cell(2, column(sheet, LIKELIHOOD), value=2)
    sheet.cell(3, column(sheet, LIKELIHOOD), value="๕")
    book.save(path)
    assert run("import", str(path), "--org", "wangphai", "--year", "2562") == 0
    assert [r.likelihood for r in Risk.objects.order_by("position")] == [2, 5]
    assert AuditEvent.objects.filter(event="risk.register.import").get().params["count"] == 2
    json_path = tmp_path / "risks.json"
    assert run("export", "--org", "wangphai", "--year", "2562", "--format", "json", "-o", str(json_path)) == 0
    data = json.loads(json_path.read_text(encoding="utf-8"))
    first, second = data["risks"]
    assert (first["likelihood"], first["impact"], first["score"], first["level"]["key"]) == (
        2,
        4,
        8,
        "medium",
    )
    assert (second["score"], second["level"]["title_th"]) == (15, "สูงมาก")
    assert first["measures"][0]["budget"] == "20000.00" and first["measures"][0]["in_plan"]
    assert log_problems() == []


def test_an_unchanged_file_changes_nothing(filled):
    parsed = spreadsheet.read_xlsx(spreadsheet.export_xlsx(filled), filled)
    assert (len(parsed.rows), parsed.changed, parsed.added) == (2, 0, 0)
    assert actions.import_risks(actions_actor(), filled, parsed.rows, "same.xlsx") == 0


def actions_actor():
    from prongsai.organizations.access import SystemActor

    return SystemActor("test")


def test_a_new_row_without_a_number_adds_a_risk(filled):
    book = workbook(filled)
    sheet = book[spreadsheet.SHEET]
    sheet.append(["", "การรับสมัครพนักงานจ้าง", "เรียกรับเงินเพื่อบรรจุ", "", "personnel", "", 3, 3, "", "", 1, 2])
    parsed = spreadsheet.read_xlsx(save(book), filled)
    assert parsed.added == 1
    actions.import_risks(actions_actor(), filled, parsed.rows, "new.xlsx")
    assert filled.risks.count() == 3


def test_likelihood_6_is_refused_with_exit_code_2_and_nothing_changes(filled, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(edit(filled, **{LIKELIHOOD: 6}))
    before = AuditEvent.objects.count()
    assert run("import", str(path), "--org", "wangphai", "--year", "2562") == 2
    assert "แถว 2 คอลัมน์ “โอกาส (๑–๕)”" in capsys.readouterr().err
    assert AuditEvent.objects.count() == before
    assert [r.likelihood for r in Risk.objects.order_by("position")] == [4, 2]


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        (LIKELIHOOD, 0, "๑ ถึง ๕"),
        (LIKELIHOOD, 6, "๑ ถึง ๕"),
        (IMPACT, "สูงมาก", "๑ ถึง ๕"),
        (IMPACT, 2.5, "๑ ถึง ๕"),
        ("โอกาสหลังจัดการ (๑–๕)", True, "๑ ถึง ๕"),
        (AREA, "", "ด้านความเสี่ยง"),
        (AREA, "ด้านอากาศ", "ด้านความเสี่ยง"),
        ("เหตุการณ์ความเสี่ยง", "", "เหตุการณ์"),
        ("ลำดับ", 9, "ไม่มีความเสี่ยงลำดับนี้"),
        ("ลำดับ", "สอง", "จำนวนเต็ม"),
        (LIKELIHOOD, "=1+1", "สูตร"),
        ("กำหนดแล้วเสร็จ (ปปปป-ดด-วว)", "พรุ่งนี้", "ปปปป-ดด-วว"),
    ],
)
def test_wrong_values_are_refused_by_row_and_header(filled, header, value, expected):
    problems = problems_of(edit(filled, **{header: value}), filled)
    assert len(problems) == 1
    assert problems[0].startswith(f"แถว 2 คอลัมน์ “{header}”") or problems[0].startswith("แถว 2 คอลัมน์")
    assert expected in problems[0]


def test_a_missing_area_column_is_named(filled):
    book = workbook(filled)
    sheet = book[spreadsheet.SHEET]
    sheet.cell(1, column(sheet, AREA), value="อะไรก็ได้")
    assert problems_of(save(book), filled) == ["ไม่พบคอลัมน์ “ด้านความเสี่ยง” ในแถวหัวตาราง"]


def test_ten_thousand_rows_are_refused(filled):
    book = workbook(filled)
    sheet = book[spreadsheet.SHEET]
    for n in range(10_000):
        sheet.append(["", f"row {n}", "x", "", "permits", "", 1, 1, "", "", 1, 1])
    assert problems_of(save(book), filled) == ["ไฟล์มีมากเกิน 500 แถว"]


def test_a_huge_file_a_zip_bomb_and_a_non_xlsx_are_refused(filled):
    assert "ใหญ่เกินไป" in problems_of(b"PK" + b"\0" * (xlsx.MAX_BYTES + 1), filled)[0]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNPACKED + 1))
    assert "แตกออก" in problems_of(bomb.getvalue(), filled)[0]
    assert "Excel" in problems_of(b"hello", filled)[0]


def test_a_file_of_another_year_is_refused(filled, people, org_a):
    other = actions.create_register(people["alice"], org_a, 2563)
    assert "ปี 2562" in problems_of(spreadsheet.export_xlsx(filled), other)[0]


def test_an_approved_register_cannot_be_imported(filled, people, tmp_path, capsys):
    actions.approve_register(people["bob"], filled)
    path = tmp_path / "risks.xlsx"
    path.write_bytes(edit(filled, **{LIKELIHOOD: 1}))
    assert run("import", str(path), "--org", "wangphai", "--year", "2562") == 2
    assert "อนุมัติหรือประกาศแล้ว" in capsys.readouterr().err


def test_an_unknown_register_exits_with_2(db, capsys):
    with pytest.raises(SystemExit) as exit_:
        run("export", "--org", "nowhere", "--year", "2562")
    assert exit_.value.code == 2
    assert "nowhere" in capsys.readouterr().err


def test_the_web_import_previews_then_saves_and_a_stale_preview_is_refused(filled, people):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from prongsai.conftest import client_for

    client = client_for(people["alice"])
    url = reverse("risk_import", kwargs={"org": "wangphai", "year": 2562})
    raw = edit(filled, **{LIKELIHOOD: 1})
    page = client.post(url, {"file": SimpleUploadedFile("risks.xlsx", raw)})
    text = page.content.decode()
    assert "ความเสี่ยงใหม่ ๐ รายการ แก้ไข ๑ รายการ" in text
    assert Risk.objects.order_by("position")[0].likelihood == 4  # nothing saved by the preview
    confirm = page.context["confirm"]
    assert client.post(url, {"confirm": confirm, "file_name": "risks.xlsx"}).status_code == 302
    assert Risk.objects.order_by("position")[0].likelihood == 1
    assert client.post(url, {"confirm": confirm, "file_name": "risks.xlsx"}).status_code == 302  # voided
    assert AuditEvent.objects.filter(event="risk.register.import").count() == 1


def test_the_web_import_names_the_problems_of_a_hostile_file(filled, people):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from prongsai.conftest import client_for

    url = reverse("risk_import", kwargs={"org": "wangphai", "year": 2562})
    page = client_for(people["alice"]).post(
        url, {"file": SimpleUploadedFile("x.xlsx", edit(filled, **{IMPACT: 0}))}
    )
    assert "แถว 2 คอลัมน์ “ผลกระทบ (๑–๕)”" in page.content.decode()
    assert "confirm" not in page.context or not page.context["confirm"]


def test_the_json_export_on_the_web_has_scores_and_levels(filled, people):
    from django.urls import reverse

    from prongsai.conftest import client_for

    url = reverse("risk_export", kwargs={"org": "wangphai", "year": 2562, "fmt": "json"})
    data = json.loads(client_for(people["dan"]).get(url).content)
    assert [(r["score"], r["level"]["key"]) for r in data["risks"]] == [(16, "very_high"), (6, "medium")]
    assert client_for(people["dan"]).get(url.replace(".json", ".csv")).status_code == 404
