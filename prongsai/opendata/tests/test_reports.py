"""The report dataset: published rounds only, in CSV (BOM), XLSX and JSON whose sums are the scores' own,
listed on /data/ and in the catalogue with the GD Catalog fields (updated twice a year)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from prongsai.conftest import client_for
from prongsai.opendata.tests.helpers import body, csv_rows, json_document, xlsx_rows
from prongsai.reports.scores import summarise
from prongsai.reports.tests.public_rounds import DRAFT_NARRATIVE, make_rounds

FORMATS = ["csv", "xlsx", "json"]
PERSONAS = ["alice", "bob", "carol", "dan", "erin", None]


@pytest.fixture
def rounds(plan, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_rounds(plan, people)


def report_url(report_round, fmt):
    kwargs = {
        "org": report_round.organization.slug,
        "plan": report_round.plan_slug,
        "year": report_round.fiscal_year,
        "months": report_round.months,
        "fmt": fmt,
    }
    return reverse("opendata:report", kwargs=kwargs)


def _sum(values) -> Decimal:
    return sum((Decimal(str(v)) for v in values if v not in ("", None)), Decimal(0))


def _counted(rows, key="นับรวมในคะแนน"):
    return [row for row in rows if row[key] in ("true", True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_counted_rows_add_up_to_the_rounds_summary(rounds, fmt):
    response = client_for(None).get(report_url(rounds.published, fmt))
    assert response.status_code == 200
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    total = summarise(rounds.published).total
    counted = _counted(rows)
    assert len(counted) == total.items
    assert _sum(r["งบตามแผน (บาท)"] for r in counted) == total.planned
    assert _sum(r["งบตามข้อบัญญัติ (บาท)"] for r in counted) == total.ordinance
    assert _sum(r["เบิกจ่าย (บาท)"] for r in counted) == total.disbursed
    assert sum(1 for r in counted if r["รหัสสถานะ"] == "completed") == total.completed


def test_the_json_file_carries_the_summary_and_decimal_strings(rounds):
    document = json_document(client_for(None).get(report_url(rounds.published, "json")))
    assert document["format"] == "prongsai-open-data" and document["dataset"] == "reports"
    summary = summarise(rounds.published).as_json()
    assert document["rounds"][0]["summary"] == summary
    counted = [r for r in document["reports"] if r["counted"]]
    assert _sum(r["disbursed"] for r in counted) == Decimal(summary["total"]["disbursed"])
    assert all(isinstance(r["disbursed"], str | None) for r in document["reports"])
    assert document["reports"][0]["indicator_results"][0]["result"] == "85.00"


def test_csv_starts_with_a_bom_and_is_an_attachment(rounds):
    response = client_for(None).get(report_url(rounds.published, "csv"))
    assert body(response).startswith("\ufeff".encode())
    assert response["Content-Disposition"] == 'attachment; filename="wangphai-2561-2564-2561-6-report.csv"'
    assert response["Access-Control-Allow-Origin"] == "*"
    again = client_for(None).get(report_url(rounds.published, "csv"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_draft_and_approved_rounds_have_no_file_for_anyone(rounds, people):
    for person in PERSONAS:
        client = client_for(people[person] if person else None)
        for hidden in (rounds.draft, rounds.approved):
            for fmt in FORMATS:
                assert client.get(report_url(hidden, fmt)).status_code == 404, (hidden, fmt, person)
        for fmt in FORMATS:
            assert client.get(report_url(rounds.published, fmt)).status_code == 200, (fmt, person)


def test_the_installation_file_has_the_latest_published_round_of_each_plan(rounds, people):
    client = client_for(None)
    document = json_document(client.get(reverse("opendata:all_reports", kwargs={"fmt": "json"})))
    assert [(r["fiscal_year"], r["months"]) for r in document["rounds"]] == [(2561, 6)]
    assert DRAFT_NARRATIVE.encode() not in body(
        client.get(reverse("opendata:all_reports", kwargs={"fmt": "csv"}))
    )
    from prongsai.reports import actions

    actions.publish_round(people["bob"], rounds.approved)
    document = json_document(client.get(reverse("opendata:all_reports", kwargs={"fmt": "json"})))
    assert [(r["fiscal_year"], r["months"]) for r in document["rounds"]] == [(2562, 6)]


def test_the_catalogue_lists_each_published_round_with_the_gd_fields(rounds):
    catalogue = json.loads(client_for(None).get(reverse("opendata:catalog")).content)
    by_id = {d["dct:identifier"]: d for d in catalogue["dcat:dataset"]}
    dataset = by_id["wangphai/2561-2564/reports/2561/6"]
    assert dataset["gd:update_frequency_unit"] == "ครึ่งปี"
    assert dataset["gd:update_frequency_interval"] == "1"
    assert dataset["dct:accrualPeriodicity"]["@id"].endswith("/ANNUAL_2")
    assert dataset["dcat:landingPage"]["@id"].endswith("/p/wangphai/reports/2561-2564/2561/6/")
    assert "all/reports" in by_id
    assert "wangphai/2561-2564/reports/2561/12" not in by_id  # the draft
    assert "wangphai/2561-2564/reports/2562/6" not in by_id  # approved, not published
    client = client_for(None)
    for node in dataset["dcat:distribution"] + by_id["all/reports"]["dcat:distribution"]:
        path = node["dcat:downloadURL"]["@id"].removeprefix("http://testserver")
        assert client.get(path).status_code == 200, path


def test_the_data_page_lists_the_published_round(rounds):
    page = client_for(None).get(reverse("opendata:index")).content.decode()
    assert report_url(rounds.published, "csv") in page
    assert report_url(rounds.draft, "csv") not in page
    assert report_url(rounds.approved, "csv") not in page
