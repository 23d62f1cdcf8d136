import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prongsai.organizations.access import Permission, SystemActor, authorize, get_access
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
        assert get_access(people[person], "wangphai", Permission.EDIT_PLAN).user == people[person]
    else:
        with pytest.raises(PermissionDenied):
            get_access(people[person], "wangphai", Permission.EDIT_PLAN)


def test_a_plan_is_reached_only_through_its_organisation(plan, people, org_b):
    assert get_plan(people["dan"], "wangphai", "2561-2564").plan == plan
    with pytest.raises(Http404):
        get_plan(people["erin"], "wangphai", "2561-2564")
    with pytest.raises(Http404):
        get_plan(people["erin"], "bangrak", "2561-2564")  # erin's organisation has no such plan
    with pytest.raises(Http404):
        get_plan(people["dan"], "wangphai", "2561-2564", 7)


@pytest.mark.parametrize(
    ("person", "permission", "allowed"),
    [
        ("alice", Permission.EDIT_PLAN, True),
        ("alice", Permission.APPROVE_PLAN, False),
        ("bob", Permission.APPROVE_PLAN, True),
        ("carol", Permission.READ_HISTORY, True),
        ("carol", Permission.EDIT_PLAN, False),
        ("dan", Permission.READ_HISTORY, False),
        ("dan", Permission.READ, True),
        ("erin", Permission.READ, False),
    ],
)
def test_actions_ask_the_same_rule_as_pages(people, org_a, person, permission, allowed):
    if allowed:
        assert authorize(people[person], org_a, permission).may(permission)
    else:
        with pytest.raises(PermissionDenied):
            authorize(people[person], org_a, permission)


def test_an_access_for_one_organisation_does_not_act_in_another(people, org_a, org_b):
    access = get_access(people["alice"], "wangphai")
    with pytest.raises(PermissionDenied):
        authorize(access, org_b, Permission.READ)


def test_anonymous_callers_and_removed_members_cannot_act(people, org_a):
    with pytest.raises(PermissionDenied):
        authorize(AnonymousUser(), org_a, Permission.READ)  # type: ignore[arg-type]
    people["alice"].memberships.all().delete()
    with pytest.raises(PermissionDenied):
        authorize(people["alice"], org_a, Permission.EDIT_PLAN)


def test_the_system_may_do_anything_and_is_named(org_a):
    access = authorize(SystemActor("import"), org_a, Permission.APPROVE_PLAN)
    assert access.actor_label == "system:import" and access.user is None


def test_an_administrator_manages_members_but_not_plans(org_a):
    from django.contrib.auth.models import User

    admin = User.objects.create(username="root", is_superuser=True, is_staff=True)
    assert authorize(admin, org_a, Permission.MANAGE_MEMBERS).role == "admin"
    with pytest.raises(PermissionDenied):
        authorize(admin, org_a, Permission.EDIT_PLAN)
