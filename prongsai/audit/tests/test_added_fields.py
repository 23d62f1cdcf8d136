"""A log written before a field was added to a record's state still verifies after the upgrade, and a
value of that field changed outside the system is still named."""

from django.db import connection

from prongsai.audit import state as audit_state
from prongsai.conftest import log_problems
from prongsai.plans import actions
from prongsai.plans import audit_state as plan_audit
from prongsai.plans.models import Plan
from prongsai.risks import actions as risk_actions
from prongsai.risks import audit_state as risk_audit
from prongsai.risks.models import RiskRegister


def test_entries_written_before_a_field_existed_read_it_at_its_first_value(org_a, people, monkeypatch):
    # The entries as the version before four eyes (plans) and revisions (risks) wrote them.
    old_plan_state = plan_audit.plan_state
    old_register_state = risk_audit.register_state

    def plan_state_then(plan):
        state = old_plan_state(plan)
        del state["submitted_by"], state["submitted_at"]
        return state

    def register_state_then(register):
        state = old_register_state(register)
        del state["revision"]
        return state

    with monkeypatch.context() as then:
        for type_name, reader in (("plan", plan_state_then), ("risk_register", register_state_then)):
            tracked = audit_state.tracked_type(type_name)
            assert tracked is not None
            then.setitem(
                audit_state._BY_TYPE, type_name, type(tracked)(**{**tracked.__dict__, "state": reader})
            )
            then.setitem(audit_state._BY_MODEL, tracked.model, audit_state._BY_TYPE[type_name])
        plan = actions.create_plan(
            people["alice"], org_a, slug="2561-2564", title="แผน", first_year=2561, last_year=2564
        )
        register = risk_actions.create_register(people["alice"], org_a, 2562)
    assert log_problems() == []  # read with the fields at their first values: nothing to report

    # ... but a value set outside the system is named, as any other edit is.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE risks_riskregister SET revision = 7 WHERE id = %s", [register.pk])
        cursor.execute("UPDATE plans_plan SET submitted_at = '2020-01-01 00:00:00' WHERE id = %s", [plan.pk])
    problems = "\n".join(log_problems())
    assert "revision 1 → 7" in problems
    assert "submitted_at None →" in problems
    assert (
        RiskRegister.objects.get(pk=register.pk).revision == 7 and Plan.objects.get(pk=plan.pk).submitted_at
    )


def test_an_organisation_logged_with_its_place_as_text_verifies_after_the_place_became_a_reference(
    db, monkeypatch
):
    """organizations 0004 turned the free-text district and province into a reference: an entry written
    before holds the text, which is read as the migration read it; a district changed by SQL is named."""
    from prongsai.organizations import actions as org_actions
    from prongsai.organizations import audit_state as org_audit
    from prongsai.organizations.access import SystemActor

    old_state = org_audit.organization_state

    def state_then(org):
        state = old_state(org)
        for name in ("district", "subdistrict", "size"):
            del state[name]
        return {
            **state,
            "district_th": "อำเภอหลังสวน",
            "province_th": "จังหวัดชุมพร",
            "district_en": "",
            "province_en": "",
        }

    with monkeypatch.context() as then:
        tracked = audit_state.tracked_type("organization")
        assert tracked is not None
        then.setitem(
            audit_state._BY_TYPE, "organization", type(tracked)(**{**tracked.__dict__, "state": state_then})
        )
        then.setitem(audit_state._BY_MODEL, tracked.model, audit_state._BY_TYPE["organization"])
        org = org_actions.create_organization(
            SystemActor("test"),
            {"slug": "langsuan", "name_th": "เทศบาลเมืองหลังสวน", "kind": "town", "district": "8604"},
        )
    assert log_problems() == []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE organizations_organization SET district_id = '8601' WHERE id = %s", [org.pk])
    assert "district '8604' → '8601'" in "\n".join(log_problems())
