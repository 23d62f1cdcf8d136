"""Every risk URL for every persona: members of organisation A by role, a member of B, anonymous.

A new URL in prongsai/risks/urls.py fails ``test_the_matrix_covers_every_risk_url`` until it is added here.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from prongsai.conftest import OVERSEER_OUTSIDE, OVERSEERS_INSIDE, client_for, overseer_expects
from prongsai.risks import actions
from prongsai.risks import urls as risk_urls
from prongsai.risks.tests.conftest import risk_data

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
EVERY_MEMBER = {"alice": OK, "bob": OK, "carol": OK, "dan": OK}
EDITORS_ONLY = {"alice": OK, "bob": OK, "carol": FORBIDDEN, "dan": FORBIDDEN}
EDITORS_POST = {"alice": REDIRECT, "bob": REDIRECT, "carol": FORBIDDEN, "dan": FORBIDDEN}
APPROVER_POST = {"alice": FORBIDDEN, "bob": REDIRECT, "carol": FORBIDDEN, "dan": FORBIDDEN}

MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "risks": ("get", EVERY_MEMBER),
    "risk_register": ("get", EVERY_MEMBER),
    "risk_register_approve": ("post", APPROVER_POST),
    "risk_register_return": ("post", APPROVER_POST),
    "risk_register_publish": ("post", APPROVER_POST),
    "risk_export": ("get", EVERY_MEMBER),
    "risk_register_revision": ("get", EVERY_MEMBER),
    "risk_revision_export": ("get", EVERY_MEMBER),
    "risk_import": ("get", EDITORS_ONLY),
    "risk_new": ("get", EDITORS_ONLY),
    "risk_edit": ("get", EDITORS_ONLY),
    "risk_delete": ("post", EDITORS_POST),
    "risk_complaints": ("get", EDITORS_ONLY),
    "risk_measure_new": ("get", EDITORS_ONLY),
    "risk_measure_edit": ("get", EDITORS_ONLY),
    "risk_measure_delete": ("post", EDITORS_POST),
    "risk_plan_insert": ("post", EDITORS_POST),
}
# Monitoring URLs, on a published register with its 6-month round (a measure's report with one file).
ROUND_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "risk_round_open": ("post", EDITORS_POST),
    "risk_register_revise": ("get", EDITORS_ONLY),  # the confirmation page (a published register)
    "risk_round": ("get", EVERY_MEMBER),
    "risk_round_edit": ("get", EDITORS_ONLY),
    "risk_round_document": ("get", EVERY_MEMBER),
    "risk_round_approve": ("post", APPROVER_POST),
    "risk_round_return": ("post", APPROVER_POST),
    "risk_round_publish": ("post", APPROVER_POST),
    "risk_evidence_add": ("post", EDITORS_POST),
    "risk_evidence": ("get", EVERY_MEMBER),
    "risk_evidence_delete": ("post", EDITORS_POST),
}


@pytest.fixture
def measure(register, people):
    risk = actions.add_risk(people["alice"], register, risk_data())
    return actions.add_measure(
        people["alice"], risk, actions.MeasureData(title="ประกาศขั้นตอน", owner="กองช่าง")
    )


def url_for(name, measure):
    risk = measure.risk
    kwargs = {"org": risk.register.organization.slug}
    if name != "risks":
        kwargs["year"] = risk.register.fiscal_year
    if name in {"risk_export", "risk_revision_export"}:
        kwargs["fmt"] = "xlsx"
    if name.startswith("risk_revision") or name == "risk_register_revision":
        kwargs["rev"] = risk.register.revision
    if name.startswith(("risk_edit", "risk_delete", "risk_complaints", "risk_measure")):
        kwargs["risk_id"] = risk.pk
    if name in {"risk_measure_edit", "risk_measure_delete"}:
        kwargs["measure_id"] = measure.pk
    return reverse(name, kwargs=kwargs)


def test_the_matrix_covers_every_risk_url():
    assert {pattern.name for pattern in risk_urls.urlpatterns} == set(MATRIX) | set(ROUND_MATRIX)


@pytest.fixture
def evidence(monitoring_round, people):
    report = monitoring_round.reports.get()
    return actions.add_evidence(people["alice"], report, "a.pdf", b"%PDF-1.7 evidence")


def round_url_for(name, evidence):
    report = evidence.report
    register = report.round.register
    kwargs = {"org": register.organization.slug, "year": register.fiscal_year}
    if name not in {"risk_round_open", "risk_register_revise"}:
        kwargs["months"] = report.round.months
    if name == "risk_round_edit":
        kwargs["risk_id"] = report.measure.risk_id
    if name == "risk_round_document":
        kwargs["fmt"] = "docx"
    if name == "risk_evidence_add":
        kwargs["report_id"] = report.pk
    if name in {"risk_evidence", "risk_evidence_delete"}:
        kwargs["evidence_id"] = evidence.pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", sorted(ROUND_MATRIX))
@pytest.mark.parametrize("person", ["alice", "bob", "carol", "dan"])
def test_members_get_what_their_role_allows_in_monitoring(name, person, evidence, people):
    method, expected = ROUND_MATRIX[name]
    response = getattr(client_for(people[person]), method)(round_url_for(name, evidence))
    assert response.status_code == expected[person]


@pytest.mark.parametrize("name", sorted(ROUND_MATRIX))
def test_monitoring_is_404_to_another_organisation_and_sign_in_to_anonymous(name, evidence, people):
    method, _expected = ROUND_MATRIX[name]
    url = round_url_for(name, evidence)
    assert getattr(client_for(people["erin"]), method)(url).status_code == NOT_FOUND
    response = getattr(client_for(None), method)(url)
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(n for n, (method, _e) in ROUND_MATRIX.items() if method == "post"))
def test_monitoring_post_only_urls_refuse_get(name, evidence, people):
    assert client_for(people["bob"]).get(round_url_for(name, evidence)).status_code == 405


def test_evidence_of_another_round_is_404_through_this_rounds_url(evidence, people, published_register):
    twelve = actions.open_round(people["alice"], published_register, 12)
    url = reverse(
        "risk_evidence",
        kwargs={"org": "wangphai", "year": 2562, "months": twelve.months, "evidence_id": evidence.pk},
    )
    assert client_for(people["alice"]).get(url).status_code == NOT_FOUND


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("person", ["alice", "bob", "carol", "dan"])
def test_members_get_what_their_role_allows(name, person, measure, people):
    method, expected = MATRIX[name]
    response = getattr(client_for(people[person]), method)(url_for(name, measure))
    assert response.status_code == expected[person]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_member_of_another_organisation_gets_404_everywhere(name, measure, people):
    method, _expected = MATRIX[name]
    assert getattr(client_for(people["erin"]), method)(url_for(name, measure)).status_code == NOT_FOUND


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_anonymous_visitor_is_sent_to_sign_in(name, measure):
    method, _expected = MATRIX[name]
    response = getattr(client_for(None), method)(url_for(name, measure))
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(n for n, (method, _e) in MATRIX.items() if method == "post"))
def test_post_only_urls_refuse_get(name, measure, people):
    assert client_for(people["bob"]).get(url_for(name, measure)).status_code == 405


def test_a_risk_or_measure_of_another_register_is_404_through_this_registers_url(
    measure, people, org_a, org_b
):
    other_register = actions.create_register(people["erin"], org_b, 2562)
    stranger = actions.add_risk(people["erin"], other_register, risk_data())
    client = client_for(people["alice"])
    url = reverse("risk_edit", kwargs={"org": "wangphai", "year": 2562, "risk_id": stranger.pk})
    assert client.get(url).status_code == NOT_FOUND
    url = reverse("risk_register", kwargs={"org": "wangphai", "year": 2563})
    assert client.get(url).status_code == NOT_FOUND
    newer = actions.create_register(people["alice"], org_a, 2563)
    url = reverse(
        "risk_edit", kwargs={"org": "wangphai", "year": newer.fiscal_year, "risk_id": measure.risk.pk}
    )
    assert client.get(url).status_code == NOT_FOUND


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("person", [*OVERSEERS_INSIDE, OVERSEER_OUTSIDE])
def test_oversight_officers_read_like_an_auditor_inside_their_area_and_get_404_outside(
    name, person, measure, people, overseers
):
    """Inside the grant: what the auditor (Carol, read and history) gets, so every write is 403; outside: 404."""
    method, expected = MATRIX[name]
    response = getattr(client_for(overseers[person]), method)(url_for(name, measure))
    assert response.status_code == overseer_expects(person, expected["carol"]), (
        name,
        person,
    )


@pytest.mark.parametrize("name", sorted(ROUND_MATRIX))
@pytest.mark.parametrize("person", [*OVERSEERS_INSIDE, OVERSEER_OUTSIDE])
def test_oversight_officers_read_monitoring_like_an_auditor_and_get_404_outside(
    name, person, evidence, people, overseers
):
    method, expected = ROUND_MATRIX[name]
    response = getattr(client_for(overseers[person]), method)(round_url_for(name, evidence))
    assert response.status_code == overseer_expects(person, expected["carol"]), (
        name,
        person,
    )
