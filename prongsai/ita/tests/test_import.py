"""Importing responses from CSV/XLSX: used whole or refused whole, with every problem named in Thai."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.audit.models import AuditEvent
from prongsai.conftest import client_for
from prongsai.ita import actions, survey_scores, tabular
from prongsai.ita.models import Answer, SurveyResponse
from prongsai.ita.tests.helpers import csv_for, link, open_round, same_answer_rows


def _post(client, survey_round, tool: str, name: str, content: bytes):
    url = reverse(
        "ita_round_import", kwargs={"org": survey_round.organization.slug, "round_id": survey_round.pk}
    )
    return client.post(url, {"tool": tool, "file": SimpleUploadedFile(name, content)})


def test_a_good_csv_is_imported_and_scored(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    eit = link(survey_round, "EIT")
    rows = same_answer_rows(eit, "4", 3) + same_answer_rows(eit, "1", 1)
    response = _post(client_for(people["alice"]), survey_round, "EIT", "eit.csv", csv_for(eit, rows))
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(round=survey_round, tool="EIT", via="import").count() == 4
    assert Answer.objects.filter(round=survey_round).count() == 4 * len(eit.questionnaire.items)
    scores = survey_scores.score_round(survey_round)
    assert scores["i8"] == Decimal(300) / 4  # E11–E15: three at 100, one at 0
    event = AuditEvent.objects.get(event="ita.responses.import")
    assert event.params == {"tool": "EIT", "count": 4, "file": "eit.csv"}


def test_an_xlsx_with_thai_labels_is_imported(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    iit = link(survey_round, "IIT")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(iit.questionnaire.item_keys))
    sheet.append(["มากที่สุด" if len(item.options) == 4 else "ไม่ใช่" for item in iit.questionnaire.items])
    sheet.append(
        [3 if len(item.options) == 4 else 0 for item in iit.questionnaire.items]
    )  # numbers, not text
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert actions.import_responses(people["alice"], survey_round, "IIT", buffer.getvalue(), "iit.xlsx") == 2
    assert SurveyResponse.objects.count() == 2


def test_a_csv_saved_by_thai_windows_excel_is_read():
    questionnaire = link_questionnaire("EIT")
    text = (
        ",".join(questionnaire.item_keys)
        + "\n"
        + ",".join(
            "มาก" if len(item.options) == 4 else item.options[1].label_th for item in questionnaire.items
        )
    )
    table = tabular.read_table(text.encode("cp874"))
    [answers] = tabular.parse_responses(questionnaire, table)
    assert answers["E2"] == 67 and answers["E8"] == 100


def link_questionnaire(tool: str):
    from prongsai.ita import catalog

    return catalog.questionnaires_of(catalog.load_model("ita-2562"))[tool]


def test_a_file_with_any_problem_is_refused_whole_with_row_column_value_and_reason(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    iit = link(survey_round, "IIT")
    keys = list(iit.questionnaire.item_keys)
    rows = same_answer_rows(iit, "3", 5)
    rows[1][keys.index("I1")] = "5"  # row 3 of the sheet
    rows[3][keys.index("I5.2")] = "อาจจะ"  # row 5
    rows[4][keys.index("I30")] = ""  # row 6
    content = csv_for(iit, rows)
    response = _post(client_for(people["alice"]), survey_round, "IIT", "iit.csv", content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "ไม่ได้นำเข้า: ไฟล์มีปัญหา 3 จุด" in page
    assert "<td>I1</td><td>5</td><td>ค่าที่รับได้คือ 1, น้อยที่สุดหรือไม่มีเลย, 2, น้อย, 3, มาก, 4, มากที่สุด</td>" in page
    with pytest.raises(tabular.ImportRefused) as refused:
        actions.import_responses(people["alice"], survey_round, "IIT", content)
    messages = [str(problem) for problem in refused.value.problems]
    assert messages == [
        "แถว 3 คอลัมน์ I1 ค่า “5”: ค่าที่รับได้คือ 1, น้อยที่สุดหรือไม่มีเลย, 2, น้อย, 3, มาก, 4, มากที่สุด",
        "แถว 5 คอลัมน์ I5.2 ค่า “อาจจะ”: ค่าที่รับได้คือ 0, ไม่, ไม่ใช่, 1, ใช่",
        "แถว 6 คอลัมน์ I30 ค่า “”: ไม่มีคำตอบ",
    ]
    assert not SurveyResponse.objects.exists()
    assert not Answer.objects.exists()
    assert not AuditEvent.objects.filter(event="ita.responses.import").exists()


def test_header_problems_are_reported_by_column(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    keys = list(link(survey_round, "EIT").questionnaire.item_keys)
    header = [*keys[1:], "E99", keys[2], "ชื่อผู้ตอบ"]
    content = (",".join(header) + "\n" + ",".join(["1"] * len(header)) + "\n").encode()
    with pytest.raises(tabular.ImportRefused) as refused:
        actions.import_responses(people["alice"], survey_round, "EIT", content)
    messages = [str(problem) for problem in refused.value.problems]
    assert "แถว 1 คอลัมน์ E99 ค่า “E99”: ไม่มีข้อคำถามรหัสนี้ในแบบสำรวจ" in messages
    assert f"แถว 1 คอลัมน์ {keys[2]} ค่า “{keys[2]}”: หัวคอลัมน์ซ้ำ" in messages
    assert "แถว 1 คอลัมน์ ชื่อผู้ตอบ ค่า “ชื่อผู้ตอบ”: ไม่มีข้อคำถามรหัสนี้ในแบบสำรวจ" in messages
    assert f"คอลัมน์ {keys[0]}: ไม่มีคอลัมน์ของข้อคำถามนี้" in messages
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "ไฟล์ว่าง ไม่มีแถวหัวตารางหรือคำตอบ"),
        (b"PK\x03\x04garbage", "อ่านไฟล์ XLSX ไม่ได้: ไฟล์เสียหรือไม่ใช่ XLSX"),
        (b"\xff\xfe\x00\x81\x9f", "อ่านไฟล์ไม่ได้: ไม่ใช่ CSV แบบ UTF-8 หรือ TIS-620"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(people, org_a, content, message):
    survey_round = open_round(people["alice"], org_a)
    with pytest.raises(tabular.ImportRefused) as refused:
        actions.import_responses(people["alice"], survey_round, "IIT", content)
    assert [str(problem) for problem in refused.value.problems] == [message]


def test_a_header_without_answers_is_refused(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    content = csv_for(link(survey_round, "IIT"), [])
    with pytest.raises(tabular.ImportRefused) as refused:
        actions.import_responses(people["alice"], survey_round, "IIT", content)
    assert "ไม่มีแถวคำตอบใต้หัวตาราง" in str(refused.value.problems[0])


def test_a_closed_round_takes_no_import(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    survey_round.status = "closed"
    survey_round.save(update_fields=["status"])
    eit = link(survey_round, "EIT")
    response = _post(
        client_for(people["bob"]), survey_round, "EIT", "eit.csv", csv_for(eit, same_answer_rows(eit, "4", 1))
    )
    assert "รอบการประเมินนี้ปิดแล้ว" in response.content.decode()
    assert not SurveyResponse.objects.exists()
