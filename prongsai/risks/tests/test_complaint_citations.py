"""A risk cites complaints: complaint themes feeding the risk assessment (issue 11, item 5).

The officer picks from the year's complaints by reference (date and risk area shown, never content);
the action checks each reference names a complaint of the organisation; the log and audit verify cover
it; a new revision keeps the citations; the public register and its data say how many, not which.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prongsai.audit.verify import verify
from prongsai.complaints import actions as complaint_actions
from prongsai.complaints.tests.conftest import _fast, file, officer  # noqa: F401 (fixtures)
from prongsai.lib.thai import fiscal_year_of
from prongsai.risks import actions, spreadsheet
from prongsai.risks.models import Risk, RiskRegister
from prongsai.risks.tests.conftest import risk_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year(org_a: Any, people: dict[str, Any]) -> RiskRegister:
    """A draft register of the fiscal year complaints filed today fall in."""
    return actions.create_register(people["alice"], org_a, fiscal_year_of(timezone.localdate()))


@pytest.fixture
def cases(org_a: Any, org_b: Any, people: dict[str, Any]) -> dict[str, Any]:
    mine = [file(org_a, "ลับ-7731 เรียกรับเงินค่าออกใบอนุญาต").case, file(org_a, "ลับ-7732 ตรวจรับงานไม่ตรงแบบ").case]
    theirs = file(org_b, "เรื่องของอีกองค์กร").case
    return {"mine": mine, "theirs": theirs}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_risk_cites_complaints_of_its_organisation(
    this_year: RiskRegister, cases: dict[str, Any], people: dict[str, Any], org_a: Any
) -> None:
    risk = actions.add_risk(people["alice"], this_year, risk_data())
    refs = [c.reference for c in cases["mine"]]
    cited = actions.cite_complaints(
        people["alice"], risk, [r.lower() for r in refs], expected_version=risk.version
    )
    assert cited.complaint_refs == sorted(refs)
    assert [p for report in verify(org_a.slug) for p in report.problems] == []
    entry = org_a.audit_events.order_by("-seq").first()
    assert entry.event == "risk.cite_complaints"
    assert entry.params["count"] == 2
    # The log keeps the references (the risk's state) but nothing the reporter wrote.
    assert "ลับ-773" not in str(entry.params) + str(entry.changes)


def test_references_of_another_organisation_or_malformed_are_refused(
    this_year: RiskRegister, cases: dict[str, Any], people: dict[str, Any]
) -> None:
    risk = actions.add_risk(people["alice"], this_year, risk_data())
    for refs in ([cases["theirs"].reference], ["NOTAREF!"], ["00000000"]):
        with pytest.raises(ValidationError) as refused:
            actions.cite_complaints(people["alice"], risk, refs)
        assert "complaint_refs" in refused.value.message_dict
        assert refs[0] in " ".join(refused.value.message_dict["complaint_refs"])
    risk.refresh_from_db()
    assert risk.complaint_refs == []


def test_only_editors_of_a_draft_cite(
    this_year: RiskRegister, cases: dict[str, Any], people: dict[str, Any]
) -> None:
    risk = actions.add_risk(people["alice"], this_year, risk_data())
    ref = cases["mine"][0].reference
    for outsider in (people["dan"], people["erin"]):  # viewer of A, planner of B
        with pytest.raises(Exception):  # noqa: B017 (PermissionDenied)
            actions.cite_complaints(outsider, risk, [ref])
    actions.approve_register(people["bob"], this_year)
    with pytest.raises(ValidationError):
        actions.cite_complaints(people["alice"], Risk.objects.get(pk=risk.pk), [ref])


def test_a_stale_page_is_refused(
    this_year: RiskRegister, cases: dict[str, Any], people: dict[str, Any]
) -> None:
    risk = actions.add_risk(people["alice"], this_year, risk_data())
    loaded = risk.version
    actions.cite_complaints(people["alice"], risk, [cases["mine"][0].reference], expected_version=loaded)
    with pytest.raises(actions.StaleEdit):
        actions.cite_complaints(
            people["alice"],
            Risk.objects.get(pk=risk.pk),
            [cases["mine"][1].reference],
            expected_version=loaded,
        )


def test_the_page_lists_the_years_complaints_without_content_and_saves(
    this_year: RiskRegister,
    cases: dict[str, Any],
    people: dict[str, Any],
    org_a: Any,
    officer: Any,  # noqa: F811
) -> None:
    complaint_actions.tag_risk_area(officer, cases["mine"][0], "permits")
    risk = actions.add_risk(people["alice"], this_year, risk_data(area="permits"))
    url = reverse(
        "risk_complaints", kwargs={"org": org_a.slug, "year": this_year.fiscal_year, "risk_id": risk.pk}
    )
    alice = client_for(people["alice"])
    page = alice.get(url).content.decode()
    for case in cases["mine"]:
        assert case.reference in page
    assert cases["theirs"].reference not in page
    assert "ลับ-773" not in page
    assert "๑ เรื่อง" in page  # one complaint tagged with this risk's area
    response = alice.post(url, {"version": risk.version, "complaint_refs": [cases["mine"][0].reference]})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.complaint_refs == [cases["mine"][0].reference]
    register_page = alice.get(
        reverse("risk_register", kwargs={"org": org_a.slug, "year": this_year.fiscal_year})
    ).content.decode()
    assert cases["mine"][0].reference in register_page
    # A choice that is not on the list is refused by the form, nothing saved.
    response = alice.post(url, {"version": risk.version, "complaint_refs": [cases["theirs"].reference]})
    assert response.status_code == 200
    risk.refresh_from_db()
    assert risk.complaint_refs == [cases["mine"][0].reference]


def test_others_cannot_open_the_page(
    this_year: RiskRegister, cases: dict[str, Any], people: dict[str, Any], org_a: Any
) -> None:
    risk = actions.add_risk(people["alice"], this_year, risk_data())
    url = reverse(
        "risk_complaints", kwargs={"org": org_a.slug, "year": this_year.fiscal_year, "risk_id": risk.pk}
    )
    assert Client().get(url).status_code in (302, 404)
    assert client_for(people["dan"]).get(url).status_code == 403  # viewer of A
    assert client_for(people["erin"]).get(url).status_code == 404  # planner of B


def test_revisions_keep_citations_and_the_public_sees_a_count(
    this_year: RiskRegister, cases: dict[str, Any], people: dict[str, Any], org_a: Any, published: Any
) -> None:
    """(``published``: the organisation's public pages exist once it has a published plan.)"""
    risk = actions.add_risk(people["alice"], this_year, risk_data())
    refs = sorted(c.reference for c in cases["mine"])
    actions.cite_complaints(people["alice"], risk, refs)
    actions.approve_register(people["bob"], this_year)
    register = actions.publish_register(people["bob"], RiskRegister.objects.get(pk=this_year.pk))
    data = spreadsheet.register_json(register)
    assert data["risks"][0]["complaints_cited"] == 2
    assert not any(ref in str(data) for ref in refs)
    page = (
        Client()
        .get(reverse("portal:risk_register", kwargs={"org": org_a.slug, "year": register.fiscal_year}))
        .content.decode()
    )
    assert "๒ เรื่อง" in page
    assert not any(ref in page for ref in refs)
    second = actions.revise_register(people["alice"], register)
    assert second.risks.get().complaint_refs == refs
    assert [p for report in verify(org_a.slug) for p in report.problems] == []
