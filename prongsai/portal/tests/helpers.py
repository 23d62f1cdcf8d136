"""Published plans for the portal's tests, made through the same actions officers use."""

from __future__ import annotations

from decimal import Decimal

from prongsai.conftest import SETUP
from prongsai.plans import actions
from prongsai.plans.models import Plan


def publish(plan: Plan, people) -> Plan:
    """Bob approves and publishes ``plan`` (stored PDF and its log entry included)."""
    approved = actions.approve_plan(people["bob"], actions.submit_plan(SETUP, plan))
    return actions.publish_plan(people["bob"], approved)


def new_revision(plan: Plan, people) -> Plan:
    return actions.start_revision(people["alice"], plan)


def add_items(plan: Plan, people, count: int, prefix: str = "มาตรการที่") -> None:
    mission = plan.missions.get(code="2.2")
    for n in range(count):
        actions.add_item(
            people["alice"],
            plan,
            mission,
            actions.ItemData(kind="measure", title=f"{prefix} {n}", budgets={2562: Decimal(1000 + n)}),
        )
