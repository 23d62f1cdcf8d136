"""Every ITA URL for every persona: members of organisation A by role, a member of organisation B, anonymous.

A new URL in prongsai/ita/urls.py fails ``test_the_matrix_covers_every_ita_url`` until it is added here.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from prongsai.conftest import OVERSEER_OUTSIDE, OVERSEERS_INSIDE, client_for, overseer_expects
from prongsai.ita import public_urls
from prongsai.ita import urls as ita_urls
from prongsai.ita.tests.helpers import answer_all, link, open_round, record_source_row

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
EVERY_MEMBER = {"alice": OK, "bob": OK, "carol": OK, "dan": OK}
EDITORS_ONLY = {"alice": OK, "bob": OK, "carol": FORBIDDEN, "dan": FORBIDDEN}
EDITORS_POST = {"alice": REDIRECT, "bob": REDIRECT, "carol": FORBIDDEN, "dan": FORBIDDEN}

# url name → (method, expected status per member of A). Erin (org B) gets 404; anonymous visitors are sent
# to sign in (the same on every private page, see LoginRequiredMiddleware).
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "ita": ("get", EVERY_MEMBER),
    "ita_assessment_new": ("get", EDITORS_ONLY),
    "ita_assessment": ("get", EVERY_MEMBER),
    "ita_assessment_delete": ("post", EDITORS_POST),
    "ita_round_new": ("get", EDITORS_ONLY),
    "ita_round": ("get", EVERY_MEMBER),
    "ita_round_oit": ("get", EVERY_MEMBER),
    "ita_round_import": ("get", EDITORS_ONLY),
    "ita_round_close": ("post", EDITORS_POST),
    "ita_round_qr": ("get", EVERY_MEMBER),
    "ita_round_template": ("get", EVERY_MEMBER),
}
PERSONAS = ["alice", "bob", "carol", "dan", "erin", None]


@pytest.fixture
def ita_data(people, org_a):
    """A published result and an open round with one answer to each questionnaire."""
    assessment = record_source_row(people["alice"], org_a)
    survey_round = open_round(people["alice"], org_a)
    answer_all(link(survey_round, "IIT"), 3)
    answer_all(link(survey_round, "EIT"), 3)
    return assessment, survey_round


def url_for(name: str, ita_data) -> str:
    assessment, survey_round = ita_data
    org = assessment.organization.slug
    kwargs = {
        "ita": {"org": org},
        "ita_assessment_new": {"org": org},
        "ita_round_new": {"org": org},
        "ita_assessment": {"org": org, "assessment_id": assessment.pk},
        "ita_assessment_delete": {"org": org, "assessment_id": assessment.pk},
        "ita_round_qr": {"org": org, "round_id": survey_round.pk, "tool": "IIT"},
        "ita_round_template": {"org": org, "round_id": survey_round.pk, "tool": "EIT"},
    }.get(name, {"org": org, "round_id": survey_round.pk})
    return reverse(name, kwargs=kwargs)


def test_the_matrix_covers_every_ita_url():
    assert {pattern.name for pattern in ita_urls.urlpatterns} == set(MATRIX)
    assert {pattern.name for pattern in public_urls.urlpatterns} == {"ita_survey"}


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("person", PERSONAS)
def test_every_persona_gets_what_their_role_allows(name, person, ita_data, people):
    method, expected = MATRIX[name]
    client = client_for(people[person] if person else None)
    response = getattr(client, method)(url_for(name, ita_data))
    wanted = expected.get(person, NOT_FOUND) if person in expected else NOT_FOUND
    if person is None:
        assert response.status_code == REDIRECT and response["Location"].startswith("/accounts/login/?next=")
        return
    assert response.status_code == wanted, (name, person)


@pytest.mark.parametrize("name", [name for name, (method, _e) in MATRIX.items() if method == "post"])
def test_post_only_views_refuse_get(name, ita_data, people):
    assert client_for(people["alice"]).get(url_for(name, ita_data)).status_code == 405


@pytest.mark.parametrize("person", ["carol", "dan"])
def test_readers_cannot_save_the_oit_checklist(person, ita_data, people):
    url = url_for("ita_round_oit", ita_data)
    response = client_for(people[person]).post(url, {"url_O1": "https://example.org", "complete_O1": "on"})
    assert response.status_code == FORBIDDEN
    assert not ita_data[1].oit_entries.filter(complete=True).exists()


@pytest.mark.parametrize("person", PERSONAS)
def test_the_public_survey_link_works_for_anyone_without_an_account(person, ita_data, people):
    survey_round = ita_data[1]
    client = client_for(people[person] if person else None)
    response = client.get(reverse("ita_survey", kwargs={"token": link(survey_round, "IIT").token}))
    assert response.status_code == OK
    assert "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน" in response.content.decode()


def test_an_unknown_survey_token_is_404(client, db):
    assert client.get(reverse("ita_survey", kwargs={"token": "not-a-real-token"})).status_code == NOT_FOUND


def test_another_organisations_objects_are_404_even_for_its_own_members(ita_data, people, org_b):
    """Erin is a planner of org B: org A's assessment and round under org B's address are not found."""
    assessment, survey_round = ita_data
    erin = client_for(people["erin"])
    assert (
        erin.get(
            reverse("ita_assessment", kwargs={"org": org_b.slug, "assessment_id": assessment.pk})
        ).status_code
        == 404
    )
    assert (
        erin.get(reverse("ita_round", kwargs={"org": org_b.slug, "round_id": survey_round.pk})).status_code
        == 404
    )
    assert (
        erin.post(
            reverse("ita_round_close", kwargs={"org": org_b.slug, "round_id": survey_round.pk})
        ).status_code
        == 404
    )


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("person", [*OVERSEERS_INSIDE, OVERSEER_OUTSIDE])
def test_oversight_officers_read_like_an_auditor_inside_their_area_and_get_404_outside(
    name, person, ita_data, people, overseers
):
    """Inside the grant: what the auditor (Carol, read and history) gets, so every write is 403; outside: 404."""
    method, expected = MATRIX[name]
    response = getattr(client_for(overseers[person]), method)(url_for(name, ita_data))
    assert response.status_code == overseer_expects(person, expected["carol"]), (
        name,
        person,
    )
