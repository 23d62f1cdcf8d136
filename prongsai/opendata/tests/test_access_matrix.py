"""Every open-data URL for every persona: members of organisation A by role, a member of B, anonymous.

Open data is public: everybody gets the same answer, 200 for a published plan and 404 for a plan that
was never published — even its own planner, since open data never shows a draft. A new URL in
prongsai/opendata/urls.py fails ``test_the_matrix_covers_every_opendata_url`` until it is added here.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from prongsai.conftest import SETUP, client_for
from prongsai.opendata import urls as opendata_urls
from prongsai.opendata.tests.helpers import publish
from prongsai.plans import actions

OK, NOT_FOUND = 200, 404
PERSONAS = ["alice", "bob", "carol", "dan", "erin", None]
FORMATS = ["csv", "xlsx", "json"]

# url name → (kwargs for a plan, answer when the plan is published, answer when it never was).
PLAN = lambda plan: {"org": plan.organization.slug, "plan": plan.slug}  # noqa: E731
MATRIX = {
    "index": (lambda plan: {}, OK, OK),
    "licence": (lambda plan: {}, OK, OK),
    "gd_terms": (lambda plan: {}, OK, OK),
    "catalog": (lambda plan: {}, OK, OK),
    "plan_items": (lambda plan: PLAN(plan) | {"rev": plan.revision}, OK, NOT_FOUND),
    "plan_items_latest": (PLAN, OK, NOT_FOUND),
    "org_items": (lambda plan: {"org": plan.organization.slug}, OK, NOT_FOUND),
    "all_items": (lambda plan: {}, OK, OK),
    "plan_indicators": (lambda plan: PLAN(plan) | {"rev": plan.revision}, OK, NOT_FOUND),
    "plan_indicators_latest": (PLAN, OK, NOT_FOUND),
    "org_indicators": (lambda plan: {"org": plan.organization.slug}, OK, NOT_FOUND),
    "all_indicators": (lambda plan: {}, OK, OK),
    # A report round exists only for a published plan: the published case has its FY 2561 6-month round
    # published (draft and approved rounds are in test_reports.py).
    "report": (lambda plan: PLAN(plan) | {"year": 2561, "months": 6}, OK, NOT_FOUND),
    "all_reports": (lambda plan: {}, OK, OK),
    # A published risk register of FY 2562 (with its published 6-month round) of the published plan's
    # organisation; an organisation that published nothing has no public register.
    "risks": (lambda plan: {"org": plan.organization.slug, "year": 2562}, OK, NOT_FOUND),
}
WITH_FORMAT = {
    name
    for name in MATRIX
    if name.endswith(("_items", "_indicators", "_latest", "report", "_reports", "risks"))
}


def urls_for(name, plan):
    kwargs, _published, _unpublished = MATRIX[name]
    if name in WITH_FORMAT:
        return [reverse(f"opendata:{name}", kwargs=kwargs(plan) | {"fmt": fmt}) for fmt in FORMATS]
    return [reverse(f"opendata:{name}", kwargs=kwargs(plan))]


def test_the_matrix_covers_every_opendata_url():
    assert {pattern.name for pattern in opendata_urls.urlpatterns} == set(MATRIX)


# Personas are looped inside each test (not parametrized) so that the plan is made and published once
# per URL rather than once per URL and persona.
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_everybody_reads_a_published_plans_open_data(name, plan, people, settings, tmp_path):
    plan = publish(plan)
    if name == "report":
        from prongsai.reports.tests.public_rounds import published_round

        settings.MEDIA_ROOT = tmp_path / "media"
        published_round(plan, people)
    if name == "risks":
        from prongsai.risks.tests.public_registers import published_register_with_round

        settings.MEDIA_ROOT = tmp_path / "media"
        published_register_with_round(plan.organization, people)
    for person in PERSONAS:
        client = client_for(people[person] if person else None)
        for url in urls_for(name, plan):
            assert client.get(url).status_code == MATRIX[name][1], (url, person)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_nobody_reads_open_data_of_a_plan_never_published(name, plan, people):
    actions.approve_plan(people["bob"], actions.submit_plan(SETUP, plan))  # approved is not published
    for person in PERSONAS:
        client = client_for(people[person] if person else None)
        for url in urls_for(name, plan):
            response = client.get(url)
            assert response.status_code == MATRIX[name][2], (url, person)
            if response.status_code == OK and url.endswith((".csv", ".json", ".jsonld")):
                assert "โครงการความรู้คู่คุณธรรม".encode() not in response.getvalue()


def test_the_data_page_lists_published_plans_only(plan, people, org_b):
    publish(plan)
    other = actions.create_plan(
        people["erin"], org_b, slug="2561-2564", title="แผนบางรักที่ยังเป็นร่าง", first_year=2561, last_year=2564
    )
    for person in PERSONAS:
        page = client_for(people[person] if person else None).get(reverse("opendata:index")).content.decode()
        assert plan.title in page, person
        assert other.title not in page, person
        assert "/data/o/bangrak/" not in page, person
