"""Hostile response files: too large, too long, zip bombs, formulas, binary; and Thai digits, which are fine."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prongsai.audit.models import AuditEvent
from prongsai.conftest import client_for
from prongsai.ita import catalog, tabular
from prongsai.ita.models import SurveyResponse
from prongsai.ita.tests.helpers import csv_for, link, open_round, same_answer_rows

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def questionnaire(tool: str) -> catalog.Questionnaire:
    return catalog.questionnaires_of(catalog.load_model("ita-2562"))[tool]


def _post(client, survey_round, content: bytes, name: str = "iit.csv"):
    url = reverse(
        "ita_round_import", kwargs={"org": survey_round.organization.slug, "round_id": survey_round.pk}
    )
    return client.post(url, {"tool": "IIT", "file": SimpleUploadedFile(name, content)})


def refused(content: bytes) -> list[str]:
    with pytest.raises(tabular.ImportRefused) as error:
        tabular.parse_responses(questionnaire("IIT"), tabular.read_table(content))
    return [str(problem) for problem in error.value.problems]


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_file_over_the_forms_limit_is_refused_on_the_page_and_nothing_is_stored(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    content = b"I1\n" + b"1\n" * (tabular.MAX_FILE_SIZE // 2 + 1)
    response = _post(client_for(people["alice"]), survey_round, content)
    assert response.status_code == 200
    assert "ไฟล์ “iit.csv” มีขนาด 16 MB เกินกว่าที่รับได้ 16 MB" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    assert not AuditEvent.objects.filter(event="ita.responses.import").exists()


@override_settings(MAX_UPLOAD_SIZE=1 * MB)
def test_a_file_over_the_sites_limit_is_dropped_while_streaming_and_refused_on_the_page(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    response = _post(client_for(people["alice"]), survey_round, b"1" * (3 * MB))
    assert response.status_code == 200
    assert "ไฟล์ “iit.csv” มีขนาด 3 MB เกินกว่าที่รับได้ 1 MB" in response.content.decode()
    assert not SurveyResponse.objects.exists()


@override_settings(MAX_REQUEST_SIZE=1 * MB)
def test_a_request_over_the_body_limit_is_refused_on_the_page_in_english_too(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    client = client_for(people["alice"])
    client.cookies["django_language"] = "en"
    response = _post(client, survey_round, b"1" * (2 * MB))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is too large: the request is 2.0 MB and at most 1 MB is accepted at a time" in page
    assert not SurveyResponse.objects.exists()


def test_reading_stops_at_the_first_row_past_the_limit():
    keys = questionnaire("IIT").item_keys
    row = ",".join("1" for _key in keys) + "\n"
    content = (",".join(keys) + "\n" + row * (tabular.MAX_ROWS + 1)).encode()
    assert refused(content) == ["ไฟล์มีคำตอบเกินกว่าที่รับได้ 10000 แถว (อ่านถึงแถว 10002 ของไฟล์แล้วหยุด)"]
    # exactly the limit is fine
    table = tabular.read_table((",".join(keys) + "\n" + row * tabular.MAX_ROWS).encode())
    assert len(tabular.parse_responses(questionnaire("IIT"), table)) == tabular.MAX_ROWS


def test_a_file_of_blank_lines_stops_too():
    assert refused(b"I1\n" + b",\n" * (3 * tabular.MAX_ROWS)) == [
        "ไฟล์มีคำตอบเกินกว่าที่รับได้ 10000 แถว (อ่านถึงแถว 20003 ของไฟล์แล้วหยุด)"
    ]


def test_an_xlsx_with_10001_rows_is_refused_while_reading():
    content = xlsx([["I1"]] + [[1]] * (tabular.MAX_ROWS + 1))  # one column: the reader stops first
    assert refused(content) == ["ไฟล์มีคำตอบเกินกว่าที่รับได้ 10000 แถว (อ่านถึงแถว 10002 ของไฟล์แล้วหยุด)"]


def test_a_zip_bomb_is_refused_from_its_directory_before_it_is_opened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (200 * MB))
    content = buffer.getvalue()
    assert len(content) < 1 * MB
    assert refused(content) == ["ไฟล์ XLSX ขยายออกได้ 200 MB เกินกว่าที่รับได้ 64 MB"]


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert refused(buffer.getvalue()) == ["อ่านไฟล์ XLSX ไม่ได้: ไฟล์เสียหรือไม่ใช่ XLSX"]


def test_a_formula_is_refused_naming_row_column_and_formula():
    keys = list(questionnaire("IIT").item_keys)
    content = xlsx([keys, [1] * len(keys), ["=1+2", *([1] * (len(keys) - 1))]])
    assert refused(content) == [
        f"แถว 3 คอลัมน์ {keys[0]} ค่า “=1+2”: เป็นสูตรคำนวณ ให้บันทึกไฟล์เป็นค่า (คัดลอกแล้ววางแบบค่า) แล้วนำเข้าใหม่"
    ]


def test_thai_digits_are_read_as_answer_codes_in_csv_and_xlsx():
    iit = questionnaire("IIT")
    keys = list(iit.item_keys)
    thai = ["๔" if len(item.options) == 4 else "๑" for item in iit.items]
    arabic = ["4" if len(item.options) == 4 else "1" for item in iit.items]
    from_csv = tabular.parse_responses(
        iit, tabular.read_table(f"{','.join(keys)}\n{','.join(thai)}\n".encode())
    )
    from_xlsx = tabular.parse_responses(iit, tabular.read_table(xlsx([keys, thai])))
    expected = tabular.parse_responses(iit, [keys, arabic])
    assert from_csv == from_xlsx == expected


def test_a_wrong_thai_digit_is_named_as_typed():
    iit = questionnaire("IIT")
    keys = list(iit.item_keys)
    row = ["๙" if key == "I1" else "1" for key in keys]
    with pytest.raises(tabular.ImportRefused) as error:
        tabular.parse_responses(iit, [keys, row])
    assert str(error.value.problems[0]).startswith("แถว 2 คอลัมน์ I1 ค่า “๙”: ค่าที่รับได้คือ")


def test_thai_digits_in_the_oit_checklist():
    oit = questionnaire("OIT")
    keys = list(oit.item_keys)
    assert tabular.parse_checklist(oit, [keys, ["๑"] * 3 + ["๐"] * (len(keys) - 3)]) == set(keys[:3])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "อ่านไฟล์ไม่ได้: ไม่ใช่ CSV แบบ UTF-8 หรือ TIS-620"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "ไฟล์ Excel แบบเก่า (.xls) อ่านไม่ได้: บันทึกเป็น XLSX หรือ CSV แล้วนำเข้าใหม่",
        ),
        (b"I1" + b",x" * 300 + b"\n", "แถว 1 คอลัมน์ - ค่า “”: มี 301 คอลัมน์ เกินกว่าที่รับได้ 200 คอลัมน์"),
    ],
)
def test_binary_and_malformed_files_are_refused_with_a_reason(content, message):
    assert refused(content) == [message]


def test_a_good_file_still_imports_through_the_page(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    iit = link(survey_round, "IIT")
    response = _post(client_for(people["alice"]), survey_round, csv_for(iit, same_answer_rows(iit, "3", 2)))
    assert response.status_code == 302
    assert SurveyResponse.objects.count() == 2


# --- Properties -----------------------------------------------------------------------------------

BOUNDED = settings(
    max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
CELLS = st.sampled_from(
    ["1", "2", "3", "4", "0", "๓", "มาก", "", " ", '"', "=1+1", "I1", "E1", "\x00", "ก,ข"]
)


def read_and_parse(content: bytes) -> None:
    try:
        table = tabular.read_table(content)
        tabular.parse_responses(questionnaire("IIT"), table)
        tabular.parse_checklist(questionnaire("OIT"), table)
    except tabular.ImportRefused as refusal:
        assert refusal.problems and all(str(problem) for problem in refusal.problems)


@BOUNDED
@given(content=st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused(content):
    read_and_parse(content)


@BOUNDED
@given(
    rows=st.lists(st.lists(CELLS | st.text(max_size=5), max_size=8), max_size=8),
    separator=st.sampled_from([",", ";", "\t"]),
    header=st.booleans(),
)
def test_any_csv_text_is_read_or_refused(rows, separator, header):
    keys = list(questionnaire("IIT").item_keys)
    lines = ([separator.join(keys)] if header else []) + [separator.join(row) for row in rows]
    read_and_parse("\n".join(lines).encode())


XLSX = xlsx([list(questionnaire("IIT").item_keys), [1] * len(questionnaire("IIT").item_keys)])


@BOUNDED
@given(flips=st.lists(st.tuples(st.integers(0, len(XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=4))
def test_a_damaged_xlsx_is_read_or_refused(flips):
    content = bytearray(XLSX)
    for at, value in flips:
        content[at] = value
    read_and_parse(bytes(content))
