"""The demo's second, illustrative organisation: published twice, so the public has a revision to compare."""

from __future__ import annotations

import pytest

from prongsai.demo import SAMPLE_FILE, SAMPLE_ORG, ensure_demo_users, load_demo_plan, revise_sample_plan
from prongsai.plans import published
from prongsai.plans.models import Plan
from prongsai.plans.summary import plan_tables

pytestmark = pytest.mark.django_db


def test_the_sample_organisation_is_published_in_two_revisions_that_differ(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert load_demo_plan(SAMPLE_FILE)
    ensure_demo_users()
    revise_sample_plan()
    first, second = Plan.objects.filter(organization__slug=SAMPLE_ORG).order_by("revision")
    assert published.current_revision(second.organization, second.slug) == second
    assert all(item.is_illustrative for item in second.items.all())
    assert second.items.count() == first.items.count() + 1
    assert set(first.items.values_list("uid", flat=True)) < set(second.items.values_list("uid", flat=True))
    first_total = plan_tables(first).totals.grand_total
    assert first_total is not None
    assert plan_tables(second).totals.grand_total == first_total + 15000 + 40000
    assert not load_demo_plan(SAMPLE_FILE)  # a second run keeps what is there
