"""Public complaint statistics: every month present with explicit zeros, the fiscal-year boundary, the
6- and 12-month periods, destroyed cases counted, other organisations never, the 15-day answer across a
month end, the page/CSV/API for everyone, a fixed number of queries, and counts only.

Cases are made directly with their counting fields (content stays null): statistics never read more.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prongsai.api.cli import SNAPSHOT
from prongsai.complaints.models import Case, ReferredTo, Status
from prongsai.complaints.statistics import (
    FIELDS,
    available_years,
    counts_by_area,
    year_statistics,
)
from prongsai.conftest import client_for, make_user
from prongsai.lib.thai import fiscal_year_of
from prongsai.opendata.complaints import COLUMNS
from prongsai.organizations.models import Role
from prongsai.portal.tests.helpers import publish

D = dt.date
TODAY = timezone.localdate
# A day well after FY 2569 (1 Oct 2025 – 30 Sep 2026): every month of it has come.
AFTER_2569 = D(2026, 11, 1)
PERSONAS = ["alice", "bob", "carol", "dan", "erin", "officer", None]


def case(org, received_on, status=Status.RECEIVED, answered=None, **fields) -> Case:
    return Case.objects.create(
        organization=org,
        received_on=received_on,
        status=status,
        first_answer_due=Case.due_for(received_on),
        first_answered_on=answered,
        **fields,
    )


@pytest.fixture(autouse=True)
def _stand_in_pdf(monkeypatch):
    monkeypatch.setattr("prongsai.documents.actions.render_pdf", lambda plan, **kw: b"%PDF-1.7 stand-in\n")


@pytest.fixture
def public_org(plan, people, org_a, settings, tmp_path):
    """Wang Phai on the portal (its plan published), with a complaints officer among its people."""
    settings.MEDIA_ROOT = tmp_path / "media"
    publish(plan, people)
    people["officer"] = make_user("officer", org_a, Role.COMPLAINTS)
    return org_a


def month(stats, key):
    return next(m for m in stats.months if m.key == key)


# --- Counting -------------------------------------------------------------------------------------


def test_a_year_without_cases_has_twelve_zero_months_and_two_zero_periods(org_a):
    stats = year_statistics(org_a, 2569, AFTER_2569)
    assert [m.key for m in stats.months] == [
        "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03",
        "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09",
    ]  # fmt: skip
    for m in stats.months:
        assert m.come and m.counts.values() == [0] * len(FIELDS) and m.counts.none_received
    assert [(p.months, p.first_day, p.last_day) for p in stats.periods] == [
        (6, D(2025, 10, 1), D(2026, 3, 31)),
        (12, D(2025, 10, 1), D(2026, 9, 30)),
    ]
    assert all(p.counts.none_received and p.ended for p in stats.periods)


def test_30_september_and_1_october_fall_in_different_fiscal_years(org_a):
    case(org_a, D(2025, 9, 30))
    case(org_a, D(2025, 10, 1))
    case(org_a, D(2025, 10, 1))
    before = year_statistics(org_a, 2568, AFTER_2569)
    after = year_statistics(org_a, 2569, AFTER_2569)
    assert month(before, "2025-09").counts.received == 1
    assert before.twelve_months.counts.received == 1
    assert month(after, "2025-10").counts.received == 2
    assert after.twelve_months.counts.received == 2


def test_the_6_month_period_is_october_to_march(org_a):
    for day in (D(2025, 10, 1), D(2026, 1, 15), D(2026, 3, 31), D(2026, 4, 1), D(2026, 9, 30)):
        case(org_a, day, Status.CLOSED, closed_on=day)
    case(org_a, D(2026, 2, 1), Status.INVESTIGATING)
    stats = year_statistics(org_a, 2569, AFTER_2569)
    six = stats.first_6_months.counts
    assert (six.received, six.completed, six.in_progress) == (4, 3, 1)
    twelve = stats.twelve_months.counts
    assert (twelve.received, twelve.completed, twelve.in_progress) == (6, 5, 1)
    assert stats.twelve_months.counts == sum((m.counts for m in stats.months), type(six)())


def test_completed_and_in_progress_follow_the_stated_statuses(org_a):
    day = D(2026, 5, 4)
    for status in Status:
        case(org_a, day, status, referred_to=ReferredTo.NACC if status == Status.REFERRED else "")
    counts = month(year_statistics(org_a, 2569, AFTER_2569), "2026-05").counts
    # answered, closed, referred, outside remit | received, acknowledged, investigating
    assert (counts.received, counts.completed, counts.in_progress) == (7, 4, 3)
    assert (counts.referred, counts.outside_remit) == (1, 1)


def test_destroyed_cases_are_still_counted(org_a):
    case(
        org_a,
        D(2026, 1, 5),
        Status.CLOSED,
        answered=D(2026, 1, 6),
        closed_on=D(2026, 1, 7),
        destroyed_on=D(2026, 9, 1),
    )
    counts = month(year_statistics(org_a, 2569, AFTER_2569), "2026-01").counts
    assert (counts.received, counts.completed, counts.answered_within_15_days) == (1, 1, 1)


def test_another_organisations_cases_are_never_counted(org_a, org_b):
    case(org_b, D(2026, 1, 5))
    case(org_b, D(2026, 1, 5), risk_area="procurement")
    assert year_statistics(org_a, 2569, AFTER_2569).twelve_months.counts.received == 0
    assert counts_by_area(org_a, 2569) == {}
    assert year_statistics(org_b, 2569, AFTER_2569).twelve_months.counts.received == 2


def test_an_answer_within_15_days_across_a_month_end_counts_in_the_month_of_receipt(org_a):
    case(org_a, D(2026, 1, 20), Status.ANSWERED, answered=D(2026, 2, 4))  # day 15: in time
    case(org_a, D(2026, 1, 20), Status.ANSWERED, answered=D(2026, 2, 5))  # day 16: late
    case(org_a, D(2025, 9, 20), Status.ANSWERED, answered=D(2025, 10, 5))  # across the year end: in time
    stats = year_statistics(org_a, 2569, AFTER_2569)
    assert month(stats, "2026-01").counts.answered_within_15_days == 1
    assert month(stats, "2026-02").counts.received == 0
    assert month(year_statistics(org_a, 2568, AFTER_2569), "2025-09").counts.answered_within_15_days == 1


def test_overdue_unanswered_counts_cases_whose_15_days_ran_out(org_a):
    case(org_a, D(2026, 3, 1))  # due 16 March: overdue on the 17th
    case(org_a, D(2026, 3, 2), Status.INVESTIGATING)  # due 17 March: not yet overdue on the 17th
    case(org_a, D(2026, 3, 1), Status.CLOSED, closed_on=D(2026, 3, 3))  # closed: not overdue
    assert month(year_statistics(org_a, 2569, D(2026, 3, 17)), "2026-03").counts.overdue_unanswered == 1
    assert month(year_statistics(org_a, 2569, D(2026, 3, 18)), "2026-03").counts.overdue_unanswered == 2


def test_months_after_today_are_marked_not_yet_come(org_a):
    stats = year_statistics(org_a, 2569, D(2026, 1, 31))
    assert [m.come for m in stats.months] == [True] * 4 + [False] * 8
    assert not stats.first_6_months.ended and not stats.twelve_months.ended
    assert year_statistics(org_a, 2569, D(2026, 4, 1)).first_6_months.ended


def test_counts_by_area_for_the_risk_register(org_a):
    case(org_a, D(2026, 1, 5), risk_area="procurement")
    case(org_a, D(2026, 2, 5), risk_area="procurement", destroyed_on=D(2026, 9, 1))
    case(org_a, D(2026, 2, 5), risk_area="permits")
    case(org_a, D(2026, 2, 5))  # not tagged
    case(org_a, D(2025, 9, 30), risk_area="permits")  # FY 2568
    assert counts_by_area(org_a, 2569) == {"procurement": 2, "permits": 1}


def test_available_years_run_from_the_first_case_or_joining_to_now(org_a):
    current = fiscal_year_of(TODAY())
    assert available_years(org_a) == [current]
    case(org_a, D(2024, 10, 1))  # FY 2568
    assert available_years(org_a) == list(range(current, 2567, -1))


def test_one_query_whatever_the_number_of_cases(org_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            year_statistics(org_a, 2569, AFTER_2569)
        return len(seen)

    case(org_a, D(2026, 1, 5))
    few = queries()
    for n in range(40):
        case(org_a, D(2025, 10, 1) + dt.timedelta(days=9 * n), Status.ANSWERED, answered=D(2026, 9, 30))
    assert queries() == few == 1


# --- Page, CSV, API -------------------------------------------------------------------------------


def page_url(year=None):
    return "/p/wangphai/complaints/statistics/" + (f"?year={year}" if year else "")


def test_a_year_without_cases_publishes_zeros_on_the_page_csv_and_api(public_org):
    year = fiscal_year_of(TODAY())
    page = client_for(None).get(page_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count('<tr id="m-') == 12 and 'id="p-6_months"' in text and 'id="p-12_months"' in text
    assert "ไม่มีเรื่องร้องเรียน" in text
    assert f"/data/o/wangphai/complaints/{year}/statistics.csv" in text

    table = read_csv(client_for(None).get(f"/p/wangphai/complaints/statistics.csv?year={year}"))
    assert len(table) == 14
    assert [row["ช่วงเวลา"] for row in table[-2:]] == ["6_months", "12_months"]
    assert all(row["เรื่องร้องเรียนที่ได้รับ"] == "0" for row in table)

    data = json.loads(
        client_for(None).get(f"/api/v1/organizations/wangphai/complaints/statistics/{year}").content
    )
    assert len(data["months"]) == 12
    assert all(m[name] == 0 for m in data["months"] for name in FIELDS)
    assert data["first_6_months"]["received"] == data["twelve_months"]["received"] == 0


def test_the_page_shows_the_counts_with_the_plans_digits(public_org):
    case(public_org, D(2026, 1, 20), Status.ANSWERED, answered=D(2026, 2, 4))
    case(public_org, D(2026, 1, 21))
    text = client_for(None).get(page_url(2569)).content.decode()
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙" in text
    row = text.split('<tr id="m-2026-01">')[1].split("</tr>")[0]
    assert "มกราคม ๒๕๖๙" in row
    assert [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]] == [
        "๒", "๑", "๑", "๐", "๐", "๑", "๑",
    ]  # fmt: skip
    assert "แล้วเสร็จ" in text and "อยู่ระหว่างดำเนินการ" in text  # and what they mean
    assert "เรื่องที่แจ้งผลแล้ว ยุติเรื่องแล้ว" in text


def test_the_page_reads_in_english(public_org):
    client = client_for(None)
    client.post("/language/", {"language": "en", "next": "/"})
    text = client.get(page_url()).content.decode()
    assert "Complaint statistics" in text and "No complaints" in text


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(body[1:]))
    assert reader.fieldnames == [c.header for c in COLUMNS]
    return list(reader)


def test_the_csv_parses_and_has_the_thai_headers(public_org):
    case(public_org, D(2025, 10, 1), Status.REFERRED, answered=D(2025, 10, 3), referred_to=ReferredTo.PACC)
    for url in (
        "/p/wangphai/complaints/statistics.csv?year=2569",
        "/data/o/wangphai/complaints/2569/statistics.csv",
    ):
        table = read_csv(client_for(None).get(url))
        assert table[0]["รหัสองค์กร"] == "wangphai" and table[0]["ปีงบประมาณ (พ.ศ.)"] == "2569"
        assert table[0]["ช่วงเวลา"] == "2025-10" and table[0]["วันสุดท้าย"] == "2025-10-31"
        assert (table[0]["ดำเนินการแล้วเสร็จ"], table[0]["ส่งต่อหน่วยงานอื่น"]) == ("1", "1")
        assert table[0]["ยังไม่ถึง"] == "false"
        assert table[13]["ช่วงเวลา"] == "12_months" and table[13]["เรื่องร้องเรียนที่ได้รับ"] == "1"


def test_the_csv_answers_a_conditional_get_until_the_counts_change(public_org):
    client = client_for(None)
    url = "/data/o/wangphai/complaints/2569/statistics.csv"
    case(public_org, D(2026, 1, 5))  # FY 2569 is offered from its first case on
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    case(public_org, D(2026, 1, 5))
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_api_answer_validates_against_the_committed_schema(public_org):
    case(public_org, D(2026, 1, 20), Status.ANSWERED, answered=D(2026, 2, 4))
    response = client_for(None).get("/api/v1/organizations/wangphai/complaints/statistics/2569")
    assert response.status_code == 200
    data = json.loads(response.content)
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    operation = document["paths"]["/api/v1/organizations/{org}/complaints/statistics/{year}"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(data)
    assert data["months"][3]["month"] == "2026-01" and data["months"][3]["answered_within_15_days"] == 1
    assert data["months"][3]["name_th"] == "มกราคม 2569"
    assert data["links"]["csv"] == "/data/o/wangphai/complaints/2569/statistics.csv"
    assert data["years"][-1] == 2569


def test_the_api_counts_afresh_after_a_case_is_answered(public_org):
    url = "/api/v1/organizations/wangphai/complaints/statistics/2569"
    first = case(public_org, D(2026, 1, 20))
    assert json.loads(client_for(None).get(url).content)["twelve_months"]["completed"] == 0
    first.status, first.first_answered_on = Status.ANSWERED, D(2026, 1, 22)
    first.save(update_fields=["status", "first_answered_on"])
    assert json.loads(client_for(None).get(url).content)["twelve_months"]["completed"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "/p/nowhere/complaints/statistics/",
        "/p/wangphai/complaints/statistics/?year=2400",
        "/p/wangphai/complaints/statistics/?year=abc",
        "/p/wangphai/complaints/statistics/?year=%E0%B9%92%E0%B9%95%E0%B9%96%E0%B9%99",
        "/p/bangrak/complaints/statistics/",  # has published nothing: not on the portal
        "/p/nowhere/complaints/statistics.csv",
        "/data/o/wangphai/complaints/2400/statistics.csv",
        "/api/v1/organizations/nowhere/complaints/statistics/2569",
        "/api/v1/organizations/wangphai/complaints/statistics/2501",
    ],
)
def test_an_unknown_organisation_or_year_is_404(public_org, url):
    assert client_for(None).get(url).status_code == 404


PUBLIC_URLS = {
    "complaint_statistics": "/p/wangphai/complaints/statistics/?year=2569",
    "complaint_statistics_csv": "/p/wangphai/complaints/statistics.csv?year=2569",
    "complaint_statistics_data": "/data/o/wangphai/complaints/2569/statistics.csv",
}


def test_the_matrix_covers_every_public_statistics_url():
    from prongsai.complaints import stats_urls

    assert {p.name for p in stats_urls.urlpatterns} == set(PUBLIC_URLS)


@pytest.mark.parametrize("person", PERSONAS)
def test_everyone_reads_the_same_counts(public_org, people, person):
    case(public_org, D(2026, 1, 5), Status.CLOSED, closed_on=D(2026, 1, 9))
    for url in PUBLIC_URLS.values():
        theirs = client_for(people[person] if person else None).get(url)
        anonymous = client_for(None).get(url)
        assert theirs.status_code == anonymous.status_code == 200, (url, person)
        if url.endswith(".csv"):
            assert theirs.content == anonymous.content, url


def test_the_page_keeps_no_case_detail(public_org):
    marked = case(
        public_org,
        D(2026, 1, 5),
        Status.REFERRED,
        referred_to=ReferredTo.OTHER,
        referred_body="สำนักงานลับ",
        risk_area="procurement",
    )
    text = client_for(None).get(page_url(2569)).content.decode()
    for secret in (marked.reference, str(marked.id), "สำนักงานลับ", "procurement", "2026-01-05", "๕ มกราคม"):
        assert secret not in text, secret


def test_an_anonymous_page_is_kept_until_the_counts_change_and_a_signed_in_one_never(public_org, people):
    client = client_for(None)
    case(public_org, D(2026, 1, 5))
    assert client.get(page_url(2569))["X-Portal-Cache"] == "miss"
    assert client.get(page_url(2569))["X-Portal-Cache"] == "hit"
    case(public_org, D(2026, 1, 5))
    fresh = client.get(page_url(2569))
    assert fresh["X-Portal-Cache"] == "miss"
    assert not fresh.cookies and b"csrfmiddlewaretoken" not in fresh.content
    signed_in = client_for(people["officer"]).get(page_url(2569))
    # The page sits under /p/<org>/complaints/, where the no-trace middleware forbids any copy on the way.
    assert "X-Portal-Cache" not in signed_in and signed_in["Cache-Control"] == "no-store"


def test_the_page_costs_the_same_queries_whatever_the_number_of_cases(public_org):
    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client_for(None).get(page_url(2569)).status_code == 200
        return len(seen)

    case(public_org, D(2026, 1, 5))
    few = queries()
    for n in range(30):
        case(public_org, D(2025, 10, 1) + dt.timedelta(days=11 * n), Status.CLOSED, closed_on=D(2026, 9, 30))
    assert queries() == few <= 6
