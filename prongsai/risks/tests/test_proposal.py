"""The ITA → risk proposal: the latest assessment's weakest index proposes areas, as the method file maps them."""

from __future__ import annotations

from decimal import Decimal

from prongsai.ita import actions as ita_actions
from prongsai.organizations.access import SystemActor
from prongsai.risks.method import method
from prongsai.risks.proposal import ita_proposal


def test_without_an_assessment_there_is_no_proposal(org_a):
    assert ita_proposal(org_a, method()) is None


def test_the_weakest_index_proposes_its_areas_first(org_a):
    scores = {
        "transparency": "80.06",
        "accountability": "85.72",
        "corruption_free": "89.77",
        "integrity_culture": "72.83",
        "work_integrity": "60.48",
    }
    ita_actions.record_assessment(
        SystemActor("test"),
        org_a,
        year=2560,
        model_key="ita-2560",
        scores={k: Decimal(v) for k, v in scores.items()},
    )
    proposal = ita_proposal(org_a, method())
    assert proposal is not None
    assert proposal.weak[0].part.key == "work_integrity"
    assert [a.key for a in proposal.areas][:3] == ["power", "personnel", "budget"]


def test_the_register_page_shows_the_proposal_and_the_index_a_risk_answers(org_a, register, people):
    from django.urls import reverse

    from prongsai.conftest import client_for
    from prongsai.risks import actions
    from prongsai.risks.tests.conftest import risk_data

    page_url = reverse("risk_register", kwargs={"org": "wangphai", "year": 2562})
    assert "ชี้ให้ตรวจความเสี่ยงด้านใด" not in client_for(people["dan"]).get(page_url).content.decode()
    test_the_weakest_index_proposes_its_areas_first(org_a)
    actions.add_risk(people["alice"], register, risk_data(area="power", ita_indicator="work_integrity"))
    page = client_for(people["dan"]).get(page_url).content.decode()
    assert "ผล ITA ปี ๒๕๖๐ ชี้ให้ตรวจความเสี่ยงด้านใด" in page
    assert "ความโปร่งใสของการใช้อำนาจและตำแหน่งหน้าที่</li>" in page  # a proposed area
    proposal = ita_proposal(org_a, method())
    assert proposal is not None
    name = next(p.part.name_th for p in proposal.weak if p.part.key == "work_integrity")
    assert f"<dd>{name}</dd>" in page  # the risk shows the index by name, not its key
