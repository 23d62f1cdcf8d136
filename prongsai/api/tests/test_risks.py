"""The risk-register endpoints: published registers only, every risk's score and level as computed."""

from __future__ import annotations

import json

import pytest

from prongsai.conftest import client_for
from prongsai.risks import actions
from prongsai.risks.tests.public_registers import published_register_with_round


@pytest.fixture
def registers(published_plan, org_a, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    published_register_with_round(org_a, people)
    return actions.create_register(people["alice"], org_a, 2563)  # a draft


def get(url):
    response = client_for(None).get(url)
    return response.status_code, json.loads(response.content)


def test_the_list_has_only_published_registers(registers):
    status, data = get("/api/v1/organizations/wangphai/risks")
    assert status == 200
    assert [(r["fiscal_year"], r["risks"]) for r in data] == [(2562, 1)]
    assert data[0]["links"]["page"] == "/p/wangphai/risks/2562/"


def test_a_register_has_each_risks_computed_level_and_its_published_round(registers):
    status, data = get("/api/v1/organizations/wangphai/risks/2562")
    assert status == 200
    entry = data["entries"][0]
    assert (entry["current"]["score"], entry["current"]["level"]["key"]) == (16, "very_high")
    assert (entry["residual"]["score"], entry["residual"]["level"]["key"]) == (6, "medium")
    [round_6] = entry["monitoring"]
    assert round_6["reassessed"]["score"] == 6 and round_6["measures"][0]["status"] == "done"
    assert len(round_6["measures"][0]["evidence"]) == 1  # the public file of the two


def test_a_draft_register_is_404(registers):
    status, data = get("/api/v1/organizations/wangphai/risks/2563")
    assert status == 404 and data["code"] == "risk_register_not_found"
