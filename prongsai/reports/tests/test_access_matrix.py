"""Every report URL for every persona: members of organisation A by role, a member of B, anonymous.

A new URL in prongsai/reports/urls.py fails ``test_the_matrix_covers_every_report_url`` until it is added here.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from prongsai.conftest import OVERSEER_OUTSIDE, OVERSEERS_INSIDE, client_for, overseer_expects
from prongsai.reports import actions
from prongsai.reports import urls as report_urls

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
EVERY_MEMBER = {"alice": OK, "bob": OK, "carol": OK, "dan": OK}
EDITORS_ONLY = {"alice": OK, "bob": OK, "carol": FORBIDDEN, "dan": FORBIDDEN}
EDITORS_POST = {"alice": REDIRECT, "bob": REDIRECT, "carol": FORBIDDEN, "dan": FORBIDDEN}
APPROVER_POST = {"alice": FORBIDDEN, "bob": REDIRECT, "carol": FORBIDDEN, "dan": FORBIDDEN}

MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "reports": ("get", EVERY_MEMBER),
    "report_round_new": ("post", EDITORS_POST),
    "report_round": ("get", EVERY_MEMBER),
    "report_summary": ("get", EVERY_MEMBER),
    "report_item": ("get", EDITORS_ONLY),
    "report_item_view": ("get", EVERY_MEMBER),
    "report_round_approve": ("post", APPROVER_POST),
    "report_round_return": ("post", APPROVER_POST),
    "report_round_publish": ("post", APPROVER_POST),
    "report_round_retarget": ("post", EDITORS_POST),
    "report_export": ("get", EVERY_MEMBER),
    "report_document": ("get", EVERY_MEMBER),
    "report_import": ("get", EDITORS_ONLY),
    "report_evidence_add": ("post", EDITORS_POST),
    "report_evidence": ("get", EVERY_MEMBER),
    "report_evidence_delete": ("post", EDITORS_POST),
}


@pytest.fixture
def report_round(published, people):
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    report = report_round.reports.first()
    assert report is not None
    actions.add_evidence(people["alice"], report, "minutes.pdf", b"%PDF-1.7 test")
    return report_round


def url_for(name, report_round):
    org = report_round.organization.slug
    if name in {"reports", "report_round_new"}:
        return reverse(name, kwargs={"org": org})
    kwargs = {
        "org": org,
        "plan": report_round.plan_slug,
        "year": report_round.fiscal_year,
        "months": report_round.months,
    }
    if name.startswith(("report_item", "report_evidence")):
        kwargs["uid"] = report_round.reports.first().item_uid
    if name == "report_document":
        kwargs["fmt"] = "docx"  # the PDF is laid out in test_document.py
    if name in {"report_evidence", "report_evidence_delete"}:
        kwargs["evidence_id"] = report_round.reports.first().evidence.get().pk
    return reverse(name, kwargs=kwargs)


def test_the_matrix_covers_every_report_url():
    assert {pattern.name for pattern in report_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("person", ["alice", "bob", "carol", "dan"])
def test_members_get_what_their_role_allows(name, person, report_round, people):
    method, expected = MATRIX[name]
    response = getattr(client_for(people[person]), method)(url_for(name, report_round))
    assert response.status_code == expected[person]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_member_of_another_organisation_gets_404_everywhere(name, report_round, people):
    method, _expected = MATRIX[name]
    assert getattr(client_for(people["erin"]), method)(url_for(name, report_round)).status_code == NOT_FOUND


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_anonymous_visitor_is_sent_to_sign_in(name, report_round):
    method, _expected = MATRIX[name]
    response = getattr(client_for(None), method)(url_for(name, report_round))
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(n for n, (method, _e) in MATRIX.items() if method == "post"))
def test_post_only_urls_refuse_get(name, report_round, people):
    assert client_for(people["bob"]).get(url_for(name, report_round)).status_code == 405


@pytest.mark.parametrize(
    "name", ["report_round", "report_summary", "report_item", "report_export", "report_evidence"]
)
def test_an_unknown_round_or_item_is_404(name, report_round, people):
    url = url_for(name, report_round)
    client = client_for(people["alice"])
    assert client.get(url.replace("/2561/6/", "/2562/6/")).status_code == NOT_FOUND
    assert client.get(url.replace("/o/wangphai/", "/o/bangrak/")).status_code == NOT_FOUND


def test_an_item_of_another_round_is_404_through_this_rounds_url(report_round, people):
    other = actions.open_round(people["alice"], report_round.organization, report_round.plan_slug, 2562, 6)
    uid = report_round.reports.first().item_uid
    url = reverse(
        "report_item",
        kwargs={"org": "wangphai", "plan": other.plan_slug, "year": 2562, "months": 6, "uid": uid},
    )
    assert client_for(people["alice"]).get(url).status_code == OK  # same item, its own report in 2562
    import uuid

    stranger = url.replace(str(uid), str(uuid.uuid4()))
    assert client_for(people["alice"]).get(stranger).status_code == NOT_FOUND


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("person", [*OVERSEERS_INSIDE, OVERSEER_OUTSIDE])
def test_oversight_officers_read_like_an_auditor_inside_their_area_and_get_404_outside(
    name, person, report_round, people, overseers
):
    """Inside the grant: what the auditor (Carol, read and history) gets, so every write is 403; outside: 404."""
    method, expected = MATRIX[name]
    response = getattr(client_for(overseers[person]), method)(url_for(name, report_round))
    assert response.status_code == overseer_expects(person, expected["carol"]), (
        name,
        person,
    )
