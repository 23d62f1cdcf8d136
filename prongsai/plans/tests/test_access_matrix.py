"""Every plan URL for every persona: members of organisation A by role, a member of organisation B, anonymous.

A new URL in prongsai/plans/urls.py fails ``test_the_matrix_covers_every_plan_url`` until it is added here.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from prongsai.conftest import OVERSEER_OUTSIDE, OVERSEERS_INSIDE, client_for, overseer_expects
from prongsai.plans import urls as plan_urls

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
EDITORS_ONLY = {"alice": OK, "bob": OK, "carol": FORBIDDEN, "dan": FORBIDDEN}
EDITORS_POST = {"alice": REDIRECT, "bob": REDIRECT, "carol": FORBIDDEN, "dan": FORBIDDEN}
APPROVER_POST = {"alice": FORBIDDEN, "bob": REDIRECT, "carol": FORBIDDEN, "dan": FORBIDDEN}
EVERY_MEMBER = {"alice": OK, "bob": OK, "carol": OK, "dan": OK}
APPROVER_ONLY = {"alice": FORBIDDEN, "bob": OK, "carol": FORBIDDEN, "dan": FORBIDDEN}

# url name → (method, expected status per member of A); erin (org B) always gets 404,
# anonymous visitors are sent to sign in (GET) or refused (POST-only views answer 405 to GET).
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "organization": ("get", EVERY_MEMBER),
    "plan_create": ("get", EDITORS_ONLY),
    "plan_import": ("get", EDITORS_ONLY),
    "plan": ("get", EVERY_MEMBER),
    "plan_revision": ("get", EVERY_MEMBER),
    "plan_history": ("get", {"alice": OK, "bob": OK, "carol": OK, "dan": FORBIDDEN}),
    "plan_settings": ("get", EDITORS_ONLY),
    # Workflow steps: a GET asks for confirmation, the POST (WORKFLOW_POST below) does the step.
    "plan_submit": ("get", EDITORS_ONLY),
    "plan_delete": ("get", EDITORS_ONLY),
    "plan_approve": ("get", APPROVER_ONLY),
    "plan_publish": ("get", APPROVER_ONLY),
    "plan_return": ("get", APPROVER_ONLY),
    "plan_revise": ("get", EDITORS_ONLY),
    "part1_edit": ("get", EDITORS_ONLY),
    "part1_entry_edit": ("get", EDITORS_ONLY),
    "part1_entry_delete": ("post", EDITORS_POST),
    "part1_entry_move": ("post", EDITORS_POST),
    "item_add": ("get", EDITORS_ONLY),
    "item_edit": ("get", EDITORS_ONLY),
    "item_delete": ("post", EDITORS_POST),
    "item_move": ("post", EDITORS_POST),
}


def url_for(name: str, plan) -> str:
    org = plan.organization.slug
    item = plan.items.first()
    entry = plan.part1_entries.first()
    kwargs = {
        "organization": {"org": org},
        "plan_create": {"org": org},
        "plan_import": {"org": org},
        "plan_revision": {"org": org, "plan": plan.slug, "rev": plan.revision},
        "part1_edit": {"org": org, "plan": plan.slug, "section": "strengths"},
        "part1_entry_edit": {"org": org, "plan": plan.slug, "entry_id": entry.pk},
        "part1_entry_delete": {"org": org, "plan": plan.slug, "entry_id": entry.pk},
        "part1_entry_move": {"org": org, "plan": plan.slug, "entry_id": entry.pk},
        "item_edit": {"org": org, "plan": plan.slug, "item_id": item.pk},
        "item_delete": {"org": org, "plan": plan.slug, "item_id": item.pk},
        "item_move": {"org": org, "plan": plan.slug, "item_id": item.pk},
    }.get(name, {"org": org, "plan": plan.slug})
    return reverse(name, kwargs=kwargs)


def test_the_matrix_covers_every_plan_url():
    names = {pattern.name for pattern in plan_urls.urlpatterns}
    assert names == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("person", ["alice", "bob", "carol", "dan"])
def test_members_of_the_organisation_get_what_their_role_allows(name, person, plan, people):
    method, expected = MATRIX[name]
    response = getattr(client_for(people[person]), method)(url_for(name, plan))
    assert response.status_code == expected[person]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_member_of_another_organisation_gets_404_everywhere(name, plan, people):
    method, _expected = MATRIX[name]
    response = getattr(client_for(people["erin"]), method)(url_for(name, plan))
    assert response.status_code == NOT_FOUND


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_anonymous_visitor_is_sent_to_sign_in(name, plan):
    method, _expected = MATRIX[name]
    url = url_for(name, plan)
    response = getattr(client_for(None), method)(url)
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("login"))


WORKFLOW_POST = {
    "plan_submit": EDITORS_POST,
    "plan_delete": EDITORS_POST,
    "plan_approve": APPROVER_POST,
    "plan_publish": APPROVER_POST,
    "plan_return": APPROVER_POST,
    "plan_revise": EDITORS_POST,
}


@pytest.mark.parametrize("name", sorted(WORKFLOW_POST))
@pytest.mark.parametrize("person", ["alice", "bob", "carol", "dan", "erin", None])
def test_workflow_steps_are_done_only_by_the_roles_they_belong_to(name, person, plan, people):
    response = client_for(people[person] if person else None).post(url_for(name, plan))
    if person is None:
        assert response.status_code == REDIRECT and response["Location"].startswith(reverse("login"))
    elif person == "erin":
        assert response.status_code == NOT_FOUND
    else:
        assert response.status_code == WORKFLOW_POST[name][person]


@pytest.mark.parametrize("name", sorted(n for n, (method, _e) in MATRIX.items() if method == "post"))
def test_post_only_urls_refuse_get(name, plan, people):
    assert client_for(people["bob"]).get(url_for(name, plan)).status_code == 405


@pytest.mark.parametrize("name", ["plan", "plan_settings", "item_edit", "part1_edit"])
def test_an_unknown_organisation_or_plan_is_404_for_a_member(name, plan, people):
    url = url_for(name, plan)
    client = client_for(people["alice"])
    assert client.get(url.replace("/o/wangphai/", "/o/nowhere/")).status_code == NOT_FOUND
    if "/plans/" in url:
        assert client.get(url.replace("/plans/2561-2564/", "/plans/2599-2602/")).status_code == NOT_FOUND


def test_an_item_of_another_organisations_plan_is_404_through_this_organisations_url(plan, people, org_b):
    from prongsai.plans import actions

    other = actions.create_plan(
        people["erin"], org_b, slug="2561-2564", title="แผนบางรัก", first_year=2561, last_year=2564
    )
    foreign = actions.add_item(
        people["erin"],
        other,
        other.missions.get(code="2.1"),
        actions.ItemData(kind="measure", title="มาตรการ"),
    )
    url = reverse("item_edit", kwargs={"org": "wangphai", "plan": "2561-2564", "item_id": foreign.pk})
    assert client_for(people["alice"]).get(url).status_code == NOT_FOUND


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("person", [*OVERSEERS_INSIDE, OVERSEER_OUTSIDE])
def test_oversight_officers_read_like_an_auditor_inside_their_area_and_get_404_outside(
    name, person, plan, people, overseers
):
    """Inside the grant: what the auditor (Carol, read and history) gets, so every write is 403; outside: 404."""
    method, expected = MATRIX[name]
    response = getattr(client_for(overseers[person]), method)(url_for(name, plan))
    assert response.status_code == overseer_expects(person, expected["carol"]), (
        name,
        person,
    )


@pytest.mark.parametrize("name", sorted(WORKFLOW_POST))
@pytest.mark.parametrize("person", [*OVERSEERS_INSIDE, OVERSEER_OUTSIDE])
def test_oversight_officers_never_do_a_workflow_step(name, person, plan, people, overseers):
    response = client_for(overseers[person]).post(url_for(name, plan))
    assert response.status_code == overseer_expects(person, FORBIDDEN)
    plan.refresh_from_db()
    assert plan.status == "draft"
