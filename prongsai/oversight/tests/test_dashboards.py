"""Dashboards against hand-computed small cases, downloads read back, queries per page, access."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from prongsai.conftest import SETUP, client_for, make_org, make_user, streamed
from prongsai.lib import jobs, worker
from prongsai.oversight import actions as oversight_actions
from prongsai.oversight.dashboards import build
from prongsai.oversight.models import Level, OrgYearSummary
from prongsai.oversight.refresh import refresh_all, refresh_organization
from prongsai.oversight.views import _area_url
from prongsai.reports import actions
from prongsai.reports.actions import ReportData
from prongsai.reports.models import ReportRound

MUEANG_CHUMPHON = "8601"


@pytest.fixture(autouse=True)
def _no_report_pdf(monkeypatch):
    monkeypatch.setattr("prongsai.reports.document.report_pdf", lambda report_round: b"%PDF-1.7 test")


def fill(people, report_round, title_start, **fields):
    report = report_round.reports.get(title__startswith=title_start)
    actions.save_report(people["alice"], report, ReportData(**fields))


def publish_round(people, report_round, *, on=None):
    actions.approve_round(people["bob"], report_round)
    published = actions.publish_round(people["bob"], report_round)
    if on is not None:  # as if published that day (the test cannot wait for a due date)
        ReportRound.objects.filter(pk=published.pk).update(
            published_at=dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC)
        )
    return published


@pytest.fixture
def six_months(published, people):
    """Wang Phai's 2561 6-month round: 1 completed, 1 in progress, 1 waiting → (1 + 0.5) / 3 = 50.00 %."""
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    fill(
        people,
        report_round,
        "โครงการความรู้",
        status="completed",
        ordinance_budget=Decimal(20000),
        disbursed=Decimal(15000),
        included=True,
    )
    fill(people, report_round, "กิจกรรมประกาศ", status="in_progress")
    return publish_round(people, report_round, on=report_round.due_date)


def test_the_province_dashboard_sums_wang_phai_and_counts_bang_rak_as_without_a_plan(six_months, people):
    refresh_all()
    d = build(Level.PROVINCE, "86", 2561, _area_url, today=dt.date(2026, 1, 1))
    t = d.total
    assert (t.organizations, t.has_plan, t.approved, t.published) == (2, 1, 1, 1)
    r6 = t.rounds[6]
    assert (r6.on_time, r6.late, r6.missing) == (1, 0, 1)  # Bang Rak has no plan: no report either
    assert (r6.tally.items, r6.tally.completed, r6.tally.in_progress, r6.tally.waiting) == (3, 1, 1, 1)
    # (1 × 1 + 1 × 0.5) / 3 × 100 = 50.00: exactly the 6-month green edge
    assert r6.score == Decimal("50.00") and r6.band.key == "green"
    # The 12-month round is not reported: 0 % is red; both organisations missing it
    assert t.rounds[12].band.key == "red" and t.rounds[12].missing == 2
    assert t.money[1] == {"planned": Decimal(20000), "ordinance": Decimal(20000), "disbursed": Decimal(15000)}
    assert t.money[3]["planned"] == Decimal(5000)
    mueang = next(u for u in d.units if u.code == MUEANG_CHUMPHON)
    assert mueang.organizations == 2 and mueang.url == reverse("oversight_district", kwargs={"code": "8601"})
    assert [o["slug"] for o in d.without_plan] == ["bangrak"]
    assert all(u.organizations == 0 for u in d.units if u.code != MUEANG_CHUMPHON)
    assert d.ranked(6)[0].code == MUEANG_CHUMPHON  # the only unit with points comes first


def test_a_score_below_the_edge_turns_orange_and_a_late_round_counts_late(published, people):
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    fill(people, report_round, "โครงการความรู้", status="in_progress")
    fill(people, report_round, "กิจกรรมประกาศ", status="in_progress")
    fill(people, report_round, "มาตรการเปิดเผย", status="cannot", reason="no_budget")
    publish_round(people, report_round, on=report_round.due_date + dt.timedelta(days=1))
    refresh_all()
    r6 = build(Level.DISTRICT, MUEANG_CHUMPHON, 2561, _area_url).total.rounds[6]
    # (0 + 2 × 0.5) / 3 × 100 = 33.33: orange for 6 months (20–49)
    assert (r6.score, r6.band.key, r6.late, r6.on_time) == (Decimal("33.33"), "orange", 1, 0)


def test_an_item_out_of_scope_drops_out_of_the_counts(published, people):
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    fill(people, report_round, "โครงการความรู้", status="completed")
    fill(people, report_round, "กิจกรรมประกาศ", status="in_progress")
    fill(people, report_round, "มาตรการเปิดเผย", out_of_scope=True)
    publish_round(people, report_round)
    refresh_all()
    t = build(Level.PROVINCE, "86", 2561, _area_url).total
    # 2 items count: (1 + 0.5) / 2 = 75.00; the measure's 5,000 baht counts nowhere
    assert (t.items, t.rounds[6].score) == (2, Decimal("75.00"))
    assert t.money[3]["planned"] == Decimal(0)


@pytest.mark.django_db(transaction=True)
def test_publishing_queues_a_refresh_after_commit_that_the_worker_runs(published, people):
    def refreshes() -> list[dict[str, int]]:
        return [
            job.args_kwargs["kwargs"]
            for job in DBTaskResult.objects.filter(task_path=jobs.refresh_organization.module_path).ready()
        ]

    # The fixture's publication of the plan committed: a refresh is queued, and nothing is refreshed yet.
    assert refreshes() == [{"org_id": published.organization_id}]
    assert not OrgYearSummary.objects.filter(organization=published.organization).exists()
    assert worker.run(once=True, interval=0, worker_id="test-worker") == 0
    assert refreshes() == []
    assert OrgYearSummary.objects.filter(
        organization=published.organization, fiscal_year=2561, published=True
    ).exists()
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    fill(people, report_round, "โครงการความรู้", status="completed")
    publish_round(people, report_round)
    assert refreshes() == [{"org_id": published.organization_id}]
    assert worker.run(once=True, interval=0, worker_id="test-worker") == 0
    row = OrgYearSummary.objects.get(organization=published.organization, fiscal_year=2561)
    assert row.r6_completed == 1 and row.r6_state == "late"


def test_one_transaction_asking_again_and_again_queues_one_refresh(
    published, people, django_capture_on_commit_callbacks
):
    reviewer = make_user("province-reviewer", None, None)
    oversight_actions.grant(SETUP, reviewer, "province", "86")
    connection.run_on_commit.clear()
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    fill(people, report_round, "โครงการความรู้", status="completed")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        publish_round(people, report_round)  # approved, then published
        oversight_actions.mark_out_of_scope(
            reviewer, published.organization, published.slug, published.items.first().uid, "ทดสอบ"
        )
    assert len([c for c in callbacks if hasattr(c, jobs.ASKED)]) == 1
    assert [
        job.args_kwargs["kwargs"]
        for job in DBTaskResult.objects.filter(task_path=jobs.refresh_organization.module_path)
    ] == [{"org_id": published.organization_id}]


def test_a_rolled_back_publication_queues_no_refresh(published, people, django_capture_on_commit_callbacks):
    connection.run_on_commit.clear()
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    fill(people, report_round, "โครงการความรู้", status="completed")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish_round(people, report_round)
        raise RuntimeError("the request failed after publishing")
    assert not DBTaskResult.objects.filter(task_path=jobs.refresh_organization.module_path).exists()


def test_refresh_of_one_year_leaves_the_other_years(published):
    refresh_organization(published.organization_id)
    years = set(
        OrgYearSummary.objects.filter(organization=published.organization).values_list(
            "fiscal_year", flat=True
        )
    )
    assert years == {2561, 2562, 2563, 2564}
    refresh_organization(published.organization_id, 2562)
    assert OrgYearSummary.objects.filter(organization=published.organization).count() == 4


@pytest.fixture
def paula(db):
    user = make_user("paula", None, None)
    oversight_actions.grant(SETUP, user, "province", "86")
    return user


def test_csv_and_xlsx_downloads_read_back(six_months, paula):
    refresh_all()
    url = reverse("oversight_province", kwargs={"code": "86"})
    client = client_for(paula)
    response = client.get(url, {"year": "2561", "format": "csv", "table": "units"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(streamed(response).decode("utf-8-sig"))))
    mueang = next(r for r in rows if r[0] == MUEANG_CHUMPHON)
    header = rows[0]
    assert mueang[header.index("จำนวน อปท.")] == "2"
    assert mueang[header.index("รอบ 6 เดือน: คะแนน (%)")] == "50.00"
    response = client.get(url, {"year": "2561", "format": "xlsx", "table": "money"})
    book = openpyxl.load_workbook(io.BytesIO(streamed(response)))
    sheet = book["money"]
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[MUEANG_CHUMPHON][2] == 20000 and values[MUEANG_CHUMPHON][4] == 15000
    assert client.get(url, {"format": "csv", "table": "nothing"}).status_code == 404


def test_queries_per_page_do_not_grow_with_the_number_of_organisations(six_months, paula):
    url = reverse("oversight_province", kwargs={"code": "86"})
    client = client_for(paula)

    def count() -> int:
        refresh_all()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"year": 2561}).status_code == 200
        return len(queries)

    before = count()
    for n in range(4):
        make_org(f"more-{n}", f"เทศบาลตำบลเพิ่ม {n}")
    assert count() == before


def test_access_inside_outside_and_anonymous(six_months, paula):
    quinn = make_user("quinn", None, None)
    oversight_actions.grant(SETUP, quinn, "province", "10")
    nora = make_user("nora", None, None)
    oversight_actions.grant(SETUP, nora, "country")
    refresh_all()
    pages = {
        "country": reverse("oversight"),
        "region": reverse("oversight_region", kwargs={"code": "8"}),
        "province": reverse("oversight_province", kwargs={"code": "86"}),
        "district": reverse("oversight_district", kwargs={"code": MUEANG_CHUMPHON}),
    }
    paula_client, quinn_client, nora_client = client_for(paula), client_for(quinn), client_for(nora)
    assert paula_client.get(pages["country"]).status_code == 302  # to her province
    assert paula_client.get(pages["country"])["Location"] == pages["province"]
    assert paula_client.get(pages["province"]).status_code == 200
    assert paula_client.get(pages["district"]).status_code == 200
    assert paula_client.get(pages["region"]).status_code == 404
    assert paula_client.get(reverse("oversight_province", kwargs={"code": "10"})).status_code == 404
    for name in ("province", "district"):
        assert quinn_client.get(pages[name]).status_code == 404
    for name in pages:
        assert nora_client.get(pages[name]).status_code == 200, name
    assert client_for(None).get(pages["province"])["Location"].startswith(reverse("login"))
    assert client_for(make_user("nobody", None, None)).get(pages["country"]).status_code == 404
    district_page = paula_client.get(pages["district"], {"year": 2561}).content.decode()
    assert 'href="/o/wangphai/"' in district_page
    assert paula_client.get("/o/wangphai/").status_code == 200
