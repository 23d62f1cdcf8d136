"""The implementation score and bands against hand-computed cases."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from prongsai.reports import actions, rules
from prongsai.reports.actions import ReportData
from prongsai.reports.scores import Tally, summarise


def fill(people, report_round, title_start, **fields):
    report = report_round.reports.get(title__startswith=title_start)
    actions.save_report(people["alice"], report, ReportData(**fields))


def test_the_score_counts_completed_once_in_progress_half_and_skips_out_of_scope(published, people):
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
    fill(people, report_round, "มาตรการเปิดเผย", out_of_scope=True, status="completed")
    summary = summarise(report_round)
    # in scope: 2 items; (1 × 1 + 1 × 0.5) / 2 × 100 = 75.00 → green for 6 months (≥ 50)
    assert summary.total.score == Decimal("75.00")
    assert summary.band.key == "green"
    assert (summary.total.items, summary.total.waiting, summary.out_of_scope) == (2, 0, 1)
    assert summary.total.planned == Decimal(20000)  # the activity has no budget; the measure is out of scope
    assert summary.total.disbursed_percent == Decimal("75.00")
    first = summary.dimensions[0].tally
    assert (first.items, first.completed, first.ordinance, first.disbursed) == (
        1,
        1,
        Decimal(20000),
        Decimal(15000),
    )


def test_items_never_reported_count_as_waiting_with_no_points(published, people):
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 12)
    fill(people, report_round, "กิจกรรมประกาศ", status="in_progress")
    summary = summarise(report_round)
    # 0.5 / 3 × 100 = 16.666… → 16.67; red for 12 months (< 50)
    assert summary.total.score == Decimal("16.67")
    assert summary.total.waiting == 2
    assert summary.band.key == "red"
    data = summary.as_json()
    assert data["counts"]["waiting"] == 2 and data["band"] == "red"
    json.dumps(data)


def test_the_twelve_month_round_counts_each_items_latest_report(published, people):
    six = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    fill(people, six, "โครงการความรู้", status="in_progress")
    fill(people, six, "มาตรการเปิดเผย", status="cannot", reason="no_budget")
    actions.approve_round(people["bob"], six)
    twelve = actions.open_round(people["alice"], published.organization, published.slug, 2561, 12)
    fill(people, twelve, "โครงการความรู้", status="completed")
    fill(people, twelve, "กิจกรรมประกาศ", status="completed")
    summary = summarise(twelve)
    # completed 2, cannot 1 (carried over): 2 / 3 × 100 = 66.67 → orange for 12 months (50–79)
    assert (summary.total.completed, summary.total.cannot) == (2, 1)
    assert summary.total.score == Decimal("66.67")
    assert summary.band.key == "orange"


@pytest.mark.parametrize(
    ("months", "score", "band"),
    [
        (6, "50", "green"),
        (6, "49.99", "orange"),
        (6, "20", "orange"),
        (6, "19.99", "red"),
        (12, "80", "green"),
        (12, "79.99", "orange"),
        (12, "50", "orange"),
        (12, "49.99", "red"),
        (12, "0", "red"),
    ],
)
def test_the_bands_follow_the_data_file(months, score, band):
    assert rules.rules().band(months, Decimal(score)).key == band


def test_an_empty_tally_scores_zero_and_has_no_disbursed_percent():
    assert Tally().score == Decimal("0.00")
    assert Tally().disbursed_percent is None


def test_a_broken_rules_file_is_a_system_check_error(settings, tmp_path):
    from prongsai.reports.apps import check_rules

    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"key": "x", "rounds": {}}), encoding="utf-8")
    settings.REPORT_RULES_FILE = str(path)
    assert [e.id for e in check_rules()] == ["reports.E001"]
    settings.REPORT_RULES_FILE = ""
    assert check_rules() == []


def test_bands_must_run_down_to_zero():
    data = json.loads(rules.DEFAULT_FILE.read_text(encoding="utf-8"))
    data["bands"]["6"][-1]["from"] = "10"
    with pytest.raises(rules.RulesError):
        rules.parse(data)


def test_the_shipped_rules_mark_only_the_due_dates_to_verify():
    for rule in rules.rules().rounds.values():
        assert rule.due_verify and not rule.covers_verify


@pytest.mark.parametrize(
    ("value", "expected"), [(True, {"covers", "due"}), (False, set()), ([], set()), (["due"], {"due"})]
)
def test_verify_marks_are_read_from_the_data(value, expected):
    data = json.loads(rules.DEFAULT_FILE.read_text(encoding="utf-8"))
    data["rounds"]["6"]["verify"] = value
    assert rules.parse(data).rounds[6].verify == expected


@pytest.mark.parametrize("value", [["due", "deadline"], "due", [1]])
def test_a_verify_mark_it_does_not_know_is_refused(value):
    data = json.loads(rules.DEFAULT_FILE.read_text(encoding="utf-8"))
    data["rounds"]["12"]["verify"] = value
    with pytest.raises(rules.RulesError, match=r"rounds\.12\.verify"):
        rules.parse(data)
