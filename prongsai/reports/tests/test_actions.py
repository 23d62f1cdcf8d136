"""Report rounds and item reports are written by audited actions; refused input saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prongsai.audit.models import AuditEvent
from prongsai.conftest import last_entry, log_problems
from prongsai.plans import actions as plan_actions
from prongsai.reports import actions
from prongsai.reports.actions import ReportData
from prongsai.reports.models import ItemReport, ItemStatus, ReportRound, RoundStatus

from .conftest import publish


def open_round(people, plan, year=2561, months=6):
    return actions.open_round(people["alice"], plan.organization, plan.slug, year, months)


def report_of(report_round, title_start):
    return report_round.reports.get(title__startswith=title_start)


def test_opening_a_round_makes_one_waiting_report_per_item_keyed_by_uid(published, people):
    report_round = open_round(people, published)
    assert report_round.plan == published
    assert report_round.due_date == dt.date(2018, 4, 30)  # 30 April after the period (data file)
    uids = set(published.items.values_list("uid", flat=True))
    assert set(report_round.reports.values_list("item_uid", flat=True)) == uids
    assert all(r.status == "" for r in report_round.reports.all())
    project = report_of(report_round, "โครงการความรู้")
    assert project.indicator_results[0]["target"] == "80.00"
    entry = last_entry("report.round.open")
    assert entry.params == {"year": 2561, "months": 6}
    assert {c["type"] for c in entry.changes} == {"report_round", "item_report"}
    assert log_problems() == []


def test_a_plan_never_published_cannot_be_reported_on(plan, people):
    with pytest.raises(ValidationError) as error:
        open_round(people, plan)
    assert "plan" in error.value.message_dict
    assert not ReportRound.objects.exists()


def test_a_year_outside_the_plan_and_a_second_round_are_refused(published, people):
    with pytest.raises(ValidationError):
        open_round(people, published, year=2570)
    open_round(people, published)
    with pytest.raises(ValidationError):
        open_round(people, published)
    assert ReportRound.objects.count() == 1


def test_viewers_auditors_and_outsiders_may_not_open_rounds(published, people):
    for name in ("carol", "dan", "erin"):
        with pytest.raises(PermissionDenied):
            actions.open_round(people[name], published.organization, published.slug, 2561, 6)


def test_saving_a_report_writes_every_field_and_one_entry(published, people):
    report_round = open_round(people, published)
    report = report_of(report_round, "โครงการความรู้")
    data = ReportData(
        status=ItemStatus.IN_PROGRESS,
        ordinance_budget=Decimal("18000"),
        disbursed=Decimal("9000.50"),
        included=True,
        quarters={1, 2},
        remark="ดำเนินการครั้งที่ ๑ แล้ว",
        narrative="อบรมพนักงาน ๔๐ คน",
        results=[Decimal("85")],
    )
    saved, checked = actions.save_report(people["alice"], report, data, expected_version=report.version)
    saved.refresh_from_db()
    assert (saved.status, saved.ordinance_budget, saved.disbursed, saved.quarters) == (
        "in_progress",
        Decimal("18000.00"),
        Decimal("9000.50"),
        [1, 2],
    )
    assert saved.indicator_results[0]["result"] == "85.00"
    assert checked.warnings == {}
    entry = last_entry("report.item.update")
    assert entry.changes[0]["state"]["disbursed"] == "9000.50"
    assert log_problems() == []


def test_disbursed_above_the_ordinance_budget_warns_but_saves(published, people):
    report = report_of(open_round(people, published), "โครงการความรู้")
    data = ReportData(status="in_progress", ordinance_budget=Decimal(100), disbursed=Decimal(200))
    saved, checked = actions.save_report(people["alice"], report, data)
    assert "disbursed" in checked.warnings
    assert ItemReport.objects.get(pk=saved.pk).disbursed == Decimal(200)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ReportData(ordinance_budget=Decimal(-1)), "ordinance_budget"),
        (ReportData(disbursed=Decimal("1.005")), "disbursed"),
        (ReportData(disbursed=Decimal("NaN")), "disbursed"),
        (ReportData(status="cannot"), "reason"),
        (ReportData(status="cannot", reason="made_up"), "reason"),
        (ReportData(status="cannot", reason="other"), "reason_text"),
        (ReportData(status="finished"), "status"),
        (ReportData(quarters={5}), "quarters"),
        (ReportData(results=[Decimal(-3)]), "result_0"),
        (ReportData(remark="ก" * 1001), "remark"),
    ],
)
def test_refused_input_names_the_field_and_saves_nothing(published, people, data, field):
    report = report_of(open_round(people, published), "โครงการความรู้")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.save_report(people["alice"], report, data)
    assert field in error.value.message_dict
    report.refresh_from_db()
    assert (report.status, report.version, report.ordinance_budget) == ("", 1, None)
    assert AuditEvent.objects.count() == before


def test_a_reason_is_kept_only_for_an_item_that_cannot_be_done(published, people):
    report = report_of(open_round(people, published), "โครงการความรู้")
    saved, _ = actions.save_report(
        people["alice"], report, ReportData(status="cannot", reason="other", reason_text="น้ำท่วม")
    )
    assert (saved.reason, saved.reason_text) == ("other", "น้ำท่วม")
    saved, _ = actions.save_report(
        people["alice"], saved, ReportData(status="in_progress", reason="other", reason_text="x")
    )
    assert (saved.reason, saved.reason_text) == ("", "")


def test_a_stale_save_is_refused(published, people):
    report = report_of(open_round(people, published), "โครงการความรู้")
    actions.save_report(people["alice"], report, ReportData(status="in_progress"), expected_version=1)
    with pytest.raises(actions.StaleReport) as error:
        actions.save_report(people["bob"], report, ReportData(status="completed"), expected_version=1)
    assert error.value.current_version == 2
    report.refresh_from_db()
    assert report.status == "in_progress"


def test_approve_publish_and_return_follow_the_workflow(published, people):
    report_round = open_round(people, published)
    with pytest.raises(PermissionDenied):
        actions.approve_round(people["alice"], report_round)
    with pytest.raises(ValidationError):
        actions.publish_round(people["bob"], report_round)
    actions.approve_round(people["bob"], report_round)
    report = report_of(report_round, "โครงการความรู้")
    with pytest.raises(ValidationError):
        actions.save_report(people["alice"], report, ReportData(status="in_progress"))
    actions.return_round(people["bob"], report_round)
    actions.save_report(people["alice"], report, ReportData(status="in_progress"))
    actions.approve_round(people["bob"], report_round)
    published_round = actions.publish_round(people["bob"], report_round)
    assert published_round.status == RoundStatus.PUBLISHED
    assert published_round.published_by == people["bob"]
    with pytest.raises(ValidationError):
        actions.return_round(people["bob"], report_round)
    assert log_problems() == []


def test_the_twelve_month_round_starts_from_the_six_month_one_and_completion_locks_the_year(
    published, people
):
    six = open_round(people, published)
    report = report_of(six, "โครงการความรู้")
    actions.save_report(
        people["alice"], report, ReportData(status="completed", ordinance_budget=Decimal(20000))
    )
    actions.approve_round(people["bob"], six)
    twelve = open_round(people, published, months=12)
    copied = report_of(twelve, "โครงการความรู้")
    assert (copied.status, copied.ordinance_budget) == ("completed", Decimal("20000.00"))
    with pytest.raises(ValidationError) as error:
        actions.save_report(people["alice"], copied, ReportData(status="in_progress"))
    assert "ล็อก" in error.value.messages[0]
    with pytest.raises(ValidationError):
        actions.return_round(people["bob"], six)  # the 12-month round was made from it
    actions.approve_round(people["bob"], twelve)
    with pytest.raises(ValidationError) as error:
        actions.return_round(people["bob"], twelve)
    assert "ล็อก" in error.value.messages[0]


def test_a_new_revision_keeps_reports_by_uid_and_shows_dropped_items(published, people):
    report_round = open_round(people, published)
    activity = report_of(report_round, "กิจกรรมประกาศ")
    actions.save_report(people["alice"], activity, ReportData(status="in_progress"))
    dropped = report_of(report_round, "มาตรการเปิดเผย")
    revision = plan_actions.start_revision(people["alice"], published)
    plan_actions.delete_item(people["alice"], revision.items.get(title__startswith="มาตรการเปิดเผย"))
    moved = revision.items.get(title__startswith="กิจกรรมประกาศ")
    plan_actions.update_item(
        people["alice"], moved, plan_actions.ItemData.of(moved), mission=revision.missions.get(code="2.2")
    )
    plan_actions.add_item(
        people["alice"],
        revision,
        revision.missions.get(code="4.1"),
        plan_actions.ItemData(kind="activity", title="กิจกรรมใหม่"),
    )
    revision = publish(revision, people["bob"])
    report_round = actions.retarget_round(people["alice"], report_round)
    assert report_round.plan == revision
    assert report_of(report_round, "กิจกรรมประกาศ").status == "in_progress"  # moved, same uid
    assert report_of(report_round, "กิจกรรมใหม่").status == ""
    assert actions.plan_item(report_round, dropped.item_uid) is None  # "no longer in the plan"
    with pytest.raises(ValidationError):
        actions.save_report(people["alice"], dropped, ReportData(status="completed"))
    assert log_problems() == []


def test_import_is_all_or_nothing(published, people):
    report_round = open_round(people, published)
    project = report_of(report_round, "โครงการความรู้")
    activity = report_of(report_round, "กิจกรรมประกาศ")
    rows = {
        project.item_uid: ReportData(status="completed", results=[None]),
        activity.item_uid: ReportData(disbursed=Decimal(-5)),
    }
    with pytest.raises(ValidationError) as error:
        actions.import_reports(people["alice"], report_round, rows)
    assert str(activity.item_uid) in error.value.message_dict
    assert not report_round.reports.exclude(status="").exists()
    rows[activity.item_uid] = ReportData(status="in_progress")
    changed = actions.import_reports(people["alice"], report_round, rows, "round.xlsx")
    assert len(changed) == 2
    assert last_entry("report.round.import").params["count"] == 2
    assert log_problems() == []
