from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prongsai.audit.models import AuditEvent
from prongsai.conftest import SETUP, changed_state, last_entry, log_problems, make_user
from prongsai.organizations import actions as org_actions
from prongsai.organizations.models import Role
from prongsai.plans import actions
from prongsai.plans.models import ItemBudget, Part1Entry, Plan, PlanItem, PlanStatus
from prongsai.plans.summary import plan_tables


def item(title="โครงการทดสอบ", kind="project", **kwargs):
    return actions.ItemData(kind=kind, title=title, **kwargs)


def test_making_a_plan_copies_the_template_structure(plan):
    assert [d.number for d in plan.dimensions.all()] == [1, 2, 3, 4]
    codes = list(plan.missions.order_by("position").values_list("code", flat=True))
    assert codes[:4] == ["1.1", "1.1.1", "1.1.2", "1.1.3"]
    assert "4.4" in codes
    assert plan.missions.get(code="1.1.1").to_verify is False
    assert plan.missions.get(code="2.2").to_verify is True


def test_totals_count_kinds_and_add_budgets_per_year(plan, people):
    actions.add_item(
        people["alice"],
        plan,
        plan.missions.get(code="1.1.2"),
        item(budgets={2561: Decimal("5000.50"), 2564: Decimal("0")}),
    )
    tables = plan_tables(plan)
    dim1 = tables.dimensions[0].totals
    assert (dim1.projects, dim1.activities, dim1.measures) == (2, 0, 0)
    assert dim1.budgets == {2561: Decimal("25000.50"), 2562: Decimal("20000"), 2563: None, 2564: Decimal("0")}
    assert tables.totals.activities == 1
    assert tables.totals.grand_total == Decimal("45000.50")


def test_each_change_writes_one_audit_row_with_what_happened_as_data(plan, people):
    target = plan.items.get(title="โครงการความรู้คู่คุณธรรม")
    count = AuditEvent.objects.count()
    actions.update_item(
        people["bob"], target, item(title="โครงการความรู้คู่คุณธรรม ปี ๒", budgets={2561: Decimal(1)})
    )
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == count + 1
    assert event.event == "item.update"
    assert event.params == {"title": "โครงการความรู้คู่คุณธรรม ปี ๒"}
    assert event.actor_name == "bob"
    assert changed_state(event, "plan_item")["budgets"] == {"2561": "1.00"}
    assert event.plan_key == "wangphai/2561-2564"
    assert log_problems() == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (item(budgets={2561: Decimal("-1")}), "budget_2561"),
        (item(budgets={2570: Decimal("10")}), "budget_2570"),
        (item(budgets={2561: Decimal("0.001")}), "budget_2561"),
        (item(title="   "), "title"),
        (item(title="ก" * 2001), "title"),
        (item(kind="wish"), "kind"),
        (item(indicators=[actions.IndicatorData("")]), "indicators"),
        (item(indicators=[actions.IndicatorData("ร้อยละ", Decimal("-5"))]), "indicators"),
    ],
)
def test_bad_items_are_refused_with_the_field_named_and_nothing_saved(plan, people, data, field):
    items, budgets, events = PlanItem.objects.count(), ItemBudget.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.add_item(people["alice"], plan, plan.missions.get(code="1.1.1"), data)
    assert field in refused.value.message_dict
    assert (PlanItem.objects.count(), ItemBudget.objects.count(), AuditEvent.objects.count()) == (
        items,
        budgets,
        events,
    )


def test_no_budget_is_distinct_from_a_zero_budget(plan, people):
    zero = actions.add_item(
        people["alice"], plan, plan.missions.get(code="3.1"), item(budgets={2562: Decimal(0)})
    )
    none = actions.add_item(
        people["alice"], plan, plan.missions.get(code="3.1"), item(title="มาตรการ", kind="measure")
    )
    rows = {r.mission.code: r for t in plan_tables(plan).dimensions for r in t.rows}
    lines = {line.item.pk: line for line in rows["3.1"].lines}
    assert lines[zero.pk].budgets == [None, Decimal(0), None, None]
    assert lines[none.pk].budgets == [None, None, None, None]


def test_a_published_plan_is_read_only_and_a_revision_keeps_the_earlier_one(plan, people):
    bob = people["bob"]
    actions.submit_plan(people["alice"], plan)
    actions.approve_plan(bob, plan)
    actions.publish_plan(bob, plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    with pytest.raises(ValidationError):
        actions.add_item(people["alice"], plan, plan.missions.get(code="2.1"), item())
    with pytest.raises(ValidationError):
        actions.add_part1_entry(people["alice"], plan, "preface", "ข้อความใหม่")
    revision = actions.start_revision(people["alice"], plan)
    assert (revision.revision, revision.status) == (2, PlanStatus.DRAFT)
    assert revision.items.count() == plan.items.count() == 2
    # Each item of the new revision is the same project as the one it was copied from.
    earlier = dict(plan.items.values_list("title", "uid"))
    assert dict(revision.items.values_list("title", "uid")) == earlier
    assert not set(revision.items.values_list("pk", flat=True)) & set(plan.items.values_list("pk", flat=True))
    new = actions.add_item(people["alice"], revision, revision.missions.get(code="2.1"), item(title="ใหม่"))
    assert new.uid not in earlier.values()
    assert plan.items.count() == 2
    assert revision.items.count() == 3
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.PUBLISHED


def test_a_plan_is_submitted_then_approved_and_only_an_approved_plan_published(plan, people):
    alice, bob = people["alice"], people["bob"]
    with pytest.raises(ValidationError):
        actions.publish_plan(bob, plan)
    with pytest.raises(ValidationError):
        actions.approve_plan(bob, plan)  # a draft nobody has submitted
    actions.submit_plan(alice, plan)
    with pytest.raises(ValidationError):
        actions.add_item(alice, plan, plan.missions.get(code="2.1"), item())  # waiting: nobody writes
    with pytest.raises(ValidationError):
        actions.start_revision(alice, plan)
    actions.approve_plan(bob, plan)
    with pytest.raises(ValidationError):
        actions.approve_plan(bob, plan)
    actions.return_to_draft(bob, plan)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by, plan.submitted_by) == (PlanStatus.DRAFT, None, None)


def test_the_last_editor_cannot_approve_the_plan(plan, people):
    alice, bob = people["alice"], people["bob"]
    actions.update_item(bob, plan.items.first(), item(title="แก้โดยผู้บริหาร"))  # the approver also edits
    actions.submit_plan(alice, plan)
    with pytest.raises(ValidationError, match="อนุมัติแผนเองไม่ได้"):
        actions.approve_plan(bob, plan)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    # Another executive may: give the role to someone who did not write the plan.
    other = make_user("frank", plan.organization, Role.APPROVER)
    assert actions.approve_plan(other, plan).approved_by == other


def test_the_submitter_cannot_approve_what_they_submitted(plan, people):
    bob = people["bob"]
    actions.submit_plan(bob, plan)  # an approver may also prepare and submit
    with pytest.raises(ValidationError, match="อนุมัติแผนเองไม่ได้"):
        actions.approve_plan(bob, plan)


def test_a_one_person_office_approves_its_own_plan_when_the_organisation_says_so(plan, people):
    bob = people["bob"]
    actions.update_item(bob, plan.items.first(), item(title="แก้โดยผู้บริหาร"))
    actions.submit_plan(bob, plan)
    org_actions.update_organization(SETUP, plan.organization, {"one_person_office": True})
    plan.refresh_from_db()
    assert actions.approve_plan(bob, plan).status == PlanStatus.APPROVED
    assert last_entry("organization.update").changes[0]["state"]["one_person_office"] is True


def test_moving_items_and_entries_renumbers_them(plan, people):
    mission = plan.missions.get(code="2.1")
    second = actions.add_item(people["alice"], plan, mission, item(title="ที่สอง"))
    actions.move_item(people["alice"], second, -1)
    assert list(mission.items.order_by("position").values_list("title", flat=True)) == [
        "ที่สอง",
        "กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร",
    ]
    entry = actions.add_part1_entry(people["alice"], plan, "strengths", "ข้อที่สอง")
    actions.move_part1_entry(people["alice"], entry, -5)
    texts = list(Part1Entry.objects.filter(plan=plan, section="strengths").values_list("text", flat=True))
    assert texts == ["ข้อที่สอง", "ผู้บริหารมาจากการเลือกตั้งโดยตรง"]
    actions.delete_part1_entry(people["alice"], Part1Entry.objects.get(plan=plan, text="ข้อที่สอง"))
    assert list(
        Part1Entry.objects.filter(plan=plan, section="strengths").values_list("position", flat=True)
    ) == [1]


def test_moving_an_item_to_another_mission_puts_it_last_there(plan, people):
    moved = plan.items.get(title="โครงการความรู้คู่คุณธรรม")
    target = plan.missions.get(code="2.1")
    actions.update_item(people["alice"], moved, item(title=moved.title), mission=target)
    assert list(target.items.order_by("position").values_list("title", flat=True))[-1] == moved.title


def test_a_mission_of_another_plan_is_refused(plan, people, org_b):
    other = actions.create_plan(people["erin"], org_b, slug="x", title="x", first_year=2561, last_year=2564)
    with pytest.raises(ValidationError):
        actions.add_item(people["alice"], plan, other.missions.get(code="2.1"), item())


def test_a_reader_or_an_outsider_cannot_write_through_an_action(plan, people):
    target = plan.items.first()
    for person in ("carol", "dan", "erin"):
        with pytest.raises(PermissionDenied):
            actions.update_item(people[person], target, item(title="แก้โดยไม่มีสิทธิ์"))
    with pytest.raises(PermissionDenied):
        actions.approve_plan(people["alice"], plan)  # a planner does not approve
    assert plan.items.filter(title="แก้โดยไม่มีสิทธิ์").count() == 0


def test_positions_stay_unique_after_moves_and_deletes(plan, people):
    mission = plan.missions.get(code="1.1.1")
    for n in range(3):
        actions.add_item(people["alice"], plan, mission, item(title=f"รายการ {n}"))
    first = mission.items.order_by("position").first()
    actions.move_item(people["alice"], first, 2)
    actions.delete_item(people["alice"], mission.items.order_by("position")[1])
    positions = list(mission.items.order_by("position").values_list("position", flat=True))
    assert positions == [1, 2, 3]
    assert log_problems() == []


def test_published_helpers_show_the_newest_published_revision_and_never_a_draft(plan, people):
    from prongsai.plans import published

    assert published.current_revision(plan.organization, plan.slug) is None
    assert not published.public_organizations().filter(pk=plan.organization_id).exists()
    actions.submit_plan(people["alice"], plan)
    actions.approve_plan(people["bob"], plan)
    actions.publish_plan(people["bob"], plan)
    draft = actions.start_revision(people["alice"], plan)
    assert published.current_revision(plan.organization, plan.slug) == plan
    assert published.published_revision(plan.organization, plan.slug, 2) is None
    assert published.has_draft_after(plan)
    assert list(published.current_revisions(plan.organization)) == [Plan.objects.get(pk=plan.pk)]
    actions.submit_plan(people["alice"], draft)
    actions.approve_plan(people["bob"], draft)
    actions.publish_plan(people["bob"], draft)
    assert published.current_revision(plan.organization, plan.slug) == draft
    assert published.published_revision(plan.organization, plan.slug, 1) == plan
    assert [p.revision for p in published.current_revisions()] == [2]
    assert not published.has_draft_after(draft)
    assert published.public_organizations().filter(pk=plan.organization_id).exists()


def test_a_draft_never_approved_is_deleted_with_all_its_rows_and_the_log_still_holds(plan, people):
    key = plan.key
    assert actions.may_delete(plan)
    actions.delete_plan(people["alice"], plan)
    assert not Plan.objects.filter(pk=plan.pk).exists()
    assert not PlanItem.objects.filter(plan_id=plan.pk).exists()
    assert not Part1Entry.objects.filter(plan_id=plan.pk).exists()
    entry = last_entry("plan.delete")
    assert entry.plan_key == key and {c["type"] for c in entry.changes} >= {"plan", "plan_item", "mission"}
    assert log_problems() == []


def test_a_plan_once_approved_is_kept_even_back_in_draft(plan, people):
    actions.submit_plan(people["alice"], plan)
    actions.approve_plan(people["bob"], plan)
    actions.return_to_draft(people["bob"], plan)
    plan.refresh_from_db()
    assert not actions.may_delete(plan)
    with pytest.raises(ValidationError):
        actions.delete_plan(people["alice"], plan)
    with pytest.raises(PermissionDenied):
        actions.delete_plan(people["dan"], plan)
    assert Plan.objects.filter(pk=plan.pk).exists()
