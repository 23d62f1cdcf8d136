"""Every API path answers everyone the same: anonymous visitors and signed-in users of every role, inside
and outside the organisation. Fails when the schema has a path this table does not name."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from prongsai.api.tests.conftest import record_ita
from prongsai.api.views import api
from prongsai.conftest import client_for
from prongsai.lib.thai import fiscal_year_of

# Each path of the schema, filled with the fixture's published plan (revision 1 and one item).
PATHS = {
    "/api/v1/organizations": "/api/v1/organizations",
    "/api/v1/organizations/{org}": "/api/v1/organizations/wangphai",
    "/api/v1/organizations/{org}/plans": "/api/v1/organizations/wangphai/plans",
    "/api/v1/organizations/{org}/plans/{plan}": "/api/v1/organizations/wangphai/plans/2561-2564",
    "/api/v1/organizations/{org}/plans/{plan}/revisions/{rev}": "/api/v1/organizations/wangphai/plans/2561-2564/revisions/1",
    "/api/v1/organizations/{org}/plans/{plan}/items": "/api/v1/organizations/wangphai/plans/2561-2564/items",
    "/api/v1/organizations/{org}/plans/{plan}/revisions/{rev}/items": "/api/v1/organizations/wangphai/plans/2561-2564/revisions/1/items",
    "/api/v1/organizations/{org}/plans/{plan}/items/{uid}": "/api/v1/organizations/wangphai/plans/2561-2564/items/{uid}",
    "/api/v1/organizations/{org}/plans/{plan}/revisions/{rev}/items/{uid}": "/api/v1/organizations/wangphai/plans/2561-2564/revisions/1/items/{uid}",
    "/api/v1/items": "/api/v1/items",
    "/api/v1/organizations/{org}/ita": "/api/v1/organizations/wangphai/ita",
    "/api/v1/organizations/{org}/reports": "/api/v1/organizations/wangphai/reports",
    "/api/v1/organizations/{org}/reports/{plan}/{year}/{months}": "/api/v1/organizations/wangphai/reports/2561-2564/2561/6",
    "/api/v1/organizations/{org}/risks": "/api/v1/organizations/wangphai/risks",
    "/api/v1/organizations/{org}/risks/{year}": "/api/v1/organizations/wangphai/risks/2562",
    # The current fiscal year: every organisation on the portal has its (possibly all-zero) statistics.
    "/api/v1/organizations/{org}/complaints/statistics/{year}": "/api/v1/organizations/wangphai/complaints/statistics/"
    + str(fiscal_year_of(timezone.localdate())),
}
EXTRA = [
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/api/v1/organizations/bangrak",
    "/api/v1/nothing",
    "/api/v1/organizations/wangphai/reports/2561-2564/2561/12",  # a draft round: 404 for everyone
    "/api/v1/organizations/wangphai/risks/2563",  # a draft register: 404 for everyone
]
PERSONAS = ["alice", "bob", "carol", "dan", "erin", "staff"]


def test_every_schema_path_has_a_row():
    assert set(api.get_openapi_schema()["paths"]) == set(PATHS)


@pytest.fixture
def signed_in(people, published_plan, org_a, settings, tmp_path):
    from prongsai.reports import actions
    from prongsai.reports.tests.public_rounds import published_round

    settings.MEDIA_ROOT = tmp_path / "media"
    published_round(published_plan, people)
    actions.open_round(people["alice"], org_a, published_plan.slug, 2561, 12)  # a draft
    for name, user in people.items():
        user.email = f"{name}@private.example"
        user.first_name = f"Private{name.title()}"
        user.save(update_fields=["email", "first_name"])
    people["staff"] = User.objects.create(username="staff", email="staff@private.example", is_staff=True)
    record_ita(org_a)
    from prongsai.risks import actions as risk_actions
    from prongsai.risks.tests.public_registers import published_register_with_round

    published_register_with_round(org_a, people)
    risk_actions.create_register(people["alice"], org_a, 2563)  # a draft
    return people


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_path_answers_signed_in_users_as_anonymous_visitors(signed_in, published_plan, persona):
    uid = published_plan.items.first().uid
    urls = [url.format(uid=uid) for url in PATHS.values()] + EXTRA
    anonymous = client_for(None)
    user = client_for(signed_in[persona])
    for url in urls:
        seen = anonymous.get(url)
        assert seen.status_code in (200, 404), url
        theirs = user.get(url)
        assert (theirs.status_code, theirs.content) == (seen.status_code, seen.content), url
        assert theirs.get("ETag") == seen.get("ETag"), url
        assert "Set-Cookie" not in theirs.headers or not theirs.cookies.get("sessionid"), url
        for private in ("@private.example", "Private"):  # e-mail addresses and names of the users
            assert private.encode() not in theirs.content, (url, private)
