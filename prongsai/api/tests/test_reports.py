"""The reports endpoints: published rounds only, totals and counts the scores' own, money as strings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prongsai.conftest import client_for
from prongsai.reports.scores import summarise
from prongsai.reports.tests.public_rounds import APPROVED_NARRATIVE, DRAFT_NARRATIVE, make_rounds

BASE = "/api/v1/organizations/wangphai/reports"


@pytest.fixture
def rounds(plan, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_rounds(plan, people)


def test_the_list_has_only_the_published_round_with_its_score_band_and_counts(rounds):
    answer = client_for(None).get(BASE).json()
    assert [(r["fiscal_year"], r["months"]) for r in answer] == [(2561, 6)]
    summary = summarise(rounds.published).as_json()
    (listed,) = answer
    assert listed["score"] == summary["score"] and listed["band"]["key"] == summary["band"]
    assert listed["counts"] == summary["counts"]
    assert listed["totals"]["disbursed"] == summary["total"]["disbursed"]
    assert listed["links"]["page"] == "/p/wangphai/reports/2561-2564/2561/6/"


def test_a_round_has_every_item_with_status_money_as_strings_and_indicator_results(rounds):
    answer = client_for(None).get(f"{BASE}/2561-2564/2561/6").json()
    summary = summarise(rounds.published)
    counted = [item for item in answer["items"] if item["counted"]]
    assert len(counted) == summary.total.items
    assert sum(Decimal(i["disbursed"]) for i in counted if i["disbursed"]) == summary.total.disbursed
    assert sum(Decimal(i["planned"]) for i in counted if i["planned"]) == summary.total.planned
    first = answer["items"][0]
    assert first["status"] == "completed" and first["disbursed"] == "17250.50"
    assert first["indicator_results"][0]["result"] == "85.00"
    assert len(first["evidence"]) == 1  # the private file is not listed
    assert [d["number"] for d in answer["dimensions"]] == [d.number for d in summary.dimensions]
    assert answer["totals"]["planned"] == f"{summary.total.planned:.2f}"


@pytest.mark.parametrize("path", ["2561-2564/2561/12", "2561-2564/2562/6", "2561-2564/2563/6", "nope/2561/6"])
def test_draft_approved_and_unknown_rounds_are_404(rounds, path, people):
    for person in (None, "alice", "bob"):
        response = client_for(people[person] if person else None).get(f"{BASE}/{path}")
        assert response.status_code == 404
        assert response.json()["code"] in ("report_not_found", "not_found")
    everything = client_for(None).get(BASE).content.decode()
    assert DRAFT_NARRATIVE not in everything and APPROVED_NARRATIVE not in everything
