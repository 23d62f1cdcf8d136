import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prongsai.organizations.access import EDITORS, get_access
from prongsai.organizations.models import Role
from prongsai.plans.access import get_plan


def test_a_member_gets_the_organisation_and_their_role(people, org_a):
    access = get_access(people["carol"], "wangphai")
    assert access.organization == org_a
    assert access.role == Role.AUDITOR


def test_a_member_of_another_organisation_gets_404(people):
    with pytest.raises(Http404):
        get_access(people["erin"], "wangphai")


def test_an_anonymous_visitor_gets_404(people):
    with pytest.raises(Http404):
        get_access(AnonymousUser(), "wangphai")


def test_an_unknown_organisation_is_404(people):
    with pytest.raises(Http404):
        get_access(people["alice"], "nowhere")


@pytest.mark.parametrize(
    ("person", "allowed"), [("alice", True), ("bob", True), ("carol", False), ("dan", False)]
)
def test_a_role_outside_the_allowed_ones_is_403(people, person, allowed):
    if allowed:
        assert get_access(people[person], "wangphai", *EDITORS).membership.user == people[person]
    else:
        with pytest.raises(PermissionDenied):
            get_access(people[person], "wangphai", *EDITORS)


def test_a_plan_is_reached_only_through_its_organisation(plan, people, org_b):
    assert get_plan(people["dan"], "wangphai", "2561-2564").plan == plan
    with pytest.raises(Http404):
        get_plan(people["erin"], "wangphai", "2561-2564")
    with pytest.raises(Http404):
        get_plan(people["erin"], "bangrak", "2561-2564")  # erin's organisation has no such plan
    with pytest.raises(Http404):
        get_plan(people["dan"], "wangphai", "2561-2564", 7)
