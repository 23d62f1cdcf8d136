"""``seed_national``: a small synthetic country, built the way the national one is (on SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from prongsai.conftest import SETUP, make_org
from prongsai.geography.models import District, SubDistrict
from prongsai.geography.seed import (
    NATIONAL,
    NATIONAL_TOTAL,
    PLAN_SLUG,
    SYNTHETIC_EN,
    SYNTHETIC_TH,
    Country,
    SeedRefused,
    kind_counts,
    place_organizations,
    real_organizations,
    seed_country,
    synthetic_organizations,
)
from prongsai.ita.models import Assessment, AssessmentScore
from prongsai.organizations import actions as org_actions
from prongsai.organizations.models import Organization, OrganizationKind
from prongsai.plans import actions
from prongsai.plans.models import ItemBudget, Plan, PlanItem, PlanStatus
from prongsai.reports.models import ItemReport, ItemStatus, ReportRound, RoundStatus

pytestmark = pytest.mark.django_db
MUNICIPAL = {
    OrganizationKind.CITY_MUNICIPALITY,
    OrganizationKind.TOWN_MUNICIPALITY,
    OrganizationKind.SUBDISTRICT_MUNICIPALITY,
    OrganizationKind.SAO,
}


def seed(n: int = 30, number: int = 1, **kwargs: Any) -> Any:
    return seed_country(n, number, out=lambda line: None, **kwargs)


def snapshot() -> list[tuple[Any, ...]]:
    """What a seeded country holds, without its keys (which depend on what the tables held before)."""
    rows: list[tuple[Any, ...]] = []
    for org in Organization.objects.order_by("slug"):
        rows.append(
            (org.slug, org.name_th, org.name_en, org.kind, org.size, org.district_id, org.subdistrict_id)
        )
        for plan in Plan.objects.filter(organization=org):
            rows.append((plan.status, str(plan.published_at)))
            for item in plan.items.order_by("mission__position", "position"):
                budgets = tuple(item.budgets.values_list("fiscal_year", "amount"))
                rows.append((item.mission.code, item.position, str(item.uid), item.kind, item.title, budgets))
        for report_round in ReportRound.objects.filter(organization=org).order_by("fiscal_year", "months"):
            rows.append((report_round.key, report_round.status, str(report_round.published_at)))
            rows.extend(
                report_round.reports.order_by("item_uid").values_list(
                    "item_uid", "status", "ordinance_budget", "disbursed", "q1", "q4"
                )
            )
        for assessment in Assessment.objects.filter(organization=org).order_by("year"):
            rows.append((assessment.year, assessment.published_total))
            rows.extend(assessment.scores.order_by("key").values_list("key", "score", "published_points"))
    return rows


def forget_country() -> None:
    ItemReport.objects.all().delete()
    ReportRound.objects.all().delete()
    AssessmentScore.objects.all().delete()
    Assessment.objects.all().delete()
    PlanItem.objects.all().delete()  # items are protected by their mission
    Plan.objects.all().delete()
    Organization.objects.all().delete()


def test_kind_counts_are_the_national_shares_and_add_up() -> None:
    assert kind_counts(NATIONAL_TOTAL) == NATIONAL
    assert NATIONAL_TOTAL == 7852
    assert kind_counts(1000)[OrganizationKind.PAO] == 76  # a PAO in every province while n allows
    for n in (1, 7, 30, 299, 1000, 4000, 7852, 9000):
        counts = kind_counts(n)
        assert sum(counts.values()) == n
        assert counts[OrganizationKind.PAO] <= 76
    small = kind_counts(30)
    assert all(small[kind] >= 1 for kind in MUNICIPAL)
    assert (
        small[OrganizationKind.SAO]
        > small[OrganizationKind.SUBDISTRICT_MUNICIPALITY]
        > small[OrganizationKind.TOWN_MUNICIPALITY]
    )


def test_the_same_seed_places_and_names_the_same_country() -> None:
    country = Country.load()
    first = place_organizations(300, 7, country)
    assert first == place_organizations(300, 7, country)
    assert [s.name_th for s in first] != [s.name_th for s in place_organizations(300, 8, country)]


def test_it_seeds_a_small_country_of_each_kind_in_real_places() -> None:
    result = seed(30, 1)
    assert result.organizations == 30
    orgs = list(Organization.objects.all())
    assert Counter(o.kind for o in orgs) == {k: v for k, v in kind_counts(30).items() if v}
    districts = set(District.objects.values_list("code", flat=True))
    subdistricts = dict(SubDistrict.objects.values_list("code", "district_id"))
    for org in orgs:
        assert org.slug.startswith("lao-")
        assert org.name_th.endswith(SYNTHETIC_TH) and org.name_en.endswith(SYNTHETIC_EN)
        assert org.district_id in districts
        assert org.district.province_id != "10"  # Bangkok holds only the BMA, a special form
        if org.kind in MUNICIPAL:
            assert org.subdistrict_id is not None
            assert subdistricts[org.subdistrict_id] == org.district_id
            assert SubDistrict.objects.get(code=org.subdistrict_id).name_th in org.name_th
        org.full_clean()  # what the admin would accept
    sao = next(o for o in orgs if o.kind == OrganizationKind.SAO)
    assert sao.name_th.startswith("อบต.")
    assert set(synthetic_organizations()) == set(orgs)
    assert not real_organizations().exists()


def test_plans_items_budgets_reports_and_ita_are_there() -> None:
    seed(30, 1)
    plans = list(Plan.objects.all())
    assert 25 <= len(plans) <= 30
    assert {p.slug for p in plans} == {PLAN_SLUG}
    assert {(p.first_year, p.last_year) for p in plans} == {(2565, 2568)}
    assert Counter(p.status for p in plans).most_common(1)[0][0] == PlanStatus.PUBLISHED
    for plan in plans:
        assert 50 <= plan.items.count() <= 70
        assert plan.dimensions.count() == 4
        if plan.status == PlanStatus.PUBLISHED:
            assert plan.published_at is not None and plan.approved_at is not None
        else:
            assert plan.published_at is None
    assert (
        ItemBudget.objects.filter(fiscal_year__in=[2565, 2566, 2567, 2568]).count()
        == ItemBudget.objects.count()
    )
    assert set(ItemBudget.objects.values_list("fiscal_year", flat=True)) == {2565, 2566, 2567, 2568}
    rounds = list(ReportRound.objects.select_related("plan"))
    assert {r.plan.status for r in rounds} == {PlanStatus.PUBLISHED}
    assert {(r.fiscal_year, r.months) for r in rounds} == {(y, m) for y in range(2565, 2569) for m in (6, 12)}
    for report_round in rounds:
        assert report_round.reports.count() == report_round.plan.items.count()
        assert set(report_round.reports.values_list("item_uid", flat=True)) == set(
            report_round.plan.items.values_list("uid", flat=True)
        )
        if report_round.status == RoundStatus.PUBLISHED:
            assert report_round.published_at is not None
    published = [r for r in rounds if r.status == RoundStatus.PUBLISHED]
    assert len(published) > len(rounds) / 2
    late = [r for r in published if r.published_at is not None and r.published_at.date() > r.due_date]
    assert late  # some late
    assert set(ItemReport.objects.values_list("status", flat=True)) >= {
        ItemStatus.COMPLETED,
        ItemStatus.IN_PROGRESS,
        ItemStatus.CANNOT,
    }
    assert ItemReport.objects.filter(ordinance_budget__gt=0, disbursed__gt=0).exists()
    # A 12-month report never undoes what the 6-month round of the year found completed.
    six = dict(
        ItemReport.objects.filter(round__months=6, status=ItemStatus.COMPLETED).values_list(
            "item_uid", "round__fiscal_year"
        )
    )
    for uid, status, year in ItemReport.objects.filter(round__months=12).values_list(
        "item_uid", "status", "round__fiscal_year"
    ):
        if six.get(uid) == year:
            assert status == ItemStatus.COMPLETED
    assessments = list(Assessment.objects.prefetch_related("scores"))
    assert {a.year for a in assessments} == {2565, 2566, 2567}  # the years the ITA model covers
    for assessment in assessments:
        result = assessment.result()
        assert not result.any_difference  # published figures agree with Prongsai's computation
    totals = [a.published_total for a in assessments if a.published_total is not None]
    assert len(totals) == len(assessments)
    passed = sum(total >= 85 for total in totals) / len(totals)
    assert 0.4 <= passed <= 0.95  # 60–80 % nationally; 30 organisations scatter


def test_missions_are_those_create_plan_makes_from_the_template() -> None:
    seed(30, 1)
    seeded = Plan.objects.first()
    assert seeded is not None
    org = make_org("wangphai", "เทศบาลตำบลวังไผ่")
    made = actions.create_plan(SETUP, org, slug="x", title="x", first_year=2565, last_year=2568)

    def structure(plan: Plan) -> list[tuple[Any, ...]]:
        return list(
            plan.missions.order_by("position").values_list(
                "dimension__number", "parent__code", "code", "position", "title_th", "title_en", "to_verify"
            )
        ) + list(plan.dimensions.values_list("number", "title_th", "title_en"))

    assert structure(seeded) == structure(made)


def test_the_same_seed_writes_the_same_rows() -> None:
    seed(12, 5)
    first = snapshot()
    forget_country()
    seed(12, 5)
    assert snapshot() == first
    forget_country()
    seed(12, 6)
    assert snapshot() != first


def test_keys_go_on_after_the_seed() -> None:
    """The sequences are moved past the chosen keys: the next organisation made the usual way saves."""
    seed(12, 1)
    org = make_org("wangphai", "เทศบาลตำบลวังไผ่")
    assert org.pk > Organization.objects.exclude(pk=org.pk).order_by("-pk").values_list("pk", flat=True)[0]
    plan = actions.create_plan(SETUP, org, slug="x", title="x", first_year=2565, last_year=2568)
    item = actions.add_item(
        SETUP, plan, plan.missions.get(code="1.1.1"), actions.ItemData(kind="project", title="โครงการใหม่")
    )
    assert item.pk > PlanItem.objects.exclude(pk=item.pk).order_by("-pk").values_list("pk", flat=True)[0]


def test_it_refuses_a_database_with_real_organisations() -> None:
    make_org("wangphai", "เทศบาลตำบลวังไผ่")
    with pytest.raises(SeedRefused, match="real"):
        seed(12, 1)
    assert not synthetic_organizations().exists()
    with pytest.raises(CommandError, match="wangphai"):
        call_command("seed_national", lao=12, seed=1, stdout=io.StringIO())
    assert not synthetic_organizations().exists()
    seed(12, 1, force=True)
    assert synthetic_organizations().count() == 12
    assert list(real_organizations().values_list("slug", flat=True)) == ["wangphai"]


def test_it_refuses_to_seed_twice() -> None:
    seed(12, 1)
    with pytest.raises(CommandError, match="12"):
        call_command("seed_national", lao=12, seed=1, stdout=io.StringIO())
    assert Organization.objects.count() == 12


def test_the_command_prints_times_rows_size_and_memory() -> None:
    out = io.StringIO()
    call_command("seed_national", lao=12, seed=1, stdout=out)
    text = out.getvalue()
    for part in (
        "organisations",
        "plans",
        "reports",
        "ITA",
        "reports.ItemReport",
        "MB",
        "RSS",
        "audit verify",
    ):
        assert part in text
    assert Organization.objects.count() == 12


def test_the_command_refuses_nonsense_numbers() -> None:
    with pytest.raises(CommandError, match="--lao"):
        call_command("seed_national", lao=0, stdout=io.StringIO())
    assert not Organization.objects.exists()


def test_a_seeded_organisation_can_still_be_written_through_the_actions() -> None:
    seed(12, 1)
    org = Organization.objects.get(slug="lao-1")
    org_actions.update_organization(SETUP, org, {"name_en": org.name_en})
    assert Organization.objects.get(slug="lao-1").name_en.endswith(SYNTHETIC_EN)
