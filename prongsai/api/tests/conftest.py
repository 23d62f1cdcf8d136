"""API fixtures: published plans built through the same actions the product uses.

Laying out the official PDF is the documents app's business and takes seconds; here publishing stores a
small stand-in PDF instead, so the API's tests stay fast. Its SHA-256 is still what the API must show.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from prongsai.conftest import SETUP
from prongsai.ita import actions as ita_actions
from prongsai.ita.demo import load_demo_ita
from prongsai.plans import actions
from prongsai.plans.interchange import import_plan
from prongsai.plans.models import Plan

DEMO_FILE = "prongsai/plans/demo/wangphai-2561-2564.json"


def stand_in_pdf(plan: Plan, *args: Any, **kwargs: Any) -> bytes:
    return f"%PDF-1.7 stand-in for {plan.key} r{plan.revision}\n".encode()


@pytest.fixture(autouse=True)
def quick_pdf(monkeypatch: Any) -> None:
    monkeypatch.setattr("prongsai.documents.actions.render_pdf", stand_in_pdf)


def publish(plan: Plan) -> Plan:
    return actions.publish_plan(SETUP, actions.approve_plan(SETUP, actions.submit_plan(SETUP, plan)))


@pytest.fixture
def published_plan(plan: Plan) -> Plan:
    """The shared two-item draft of Wang Phai, approved and published (revision 1)."""
    return publish(plan)


@pytest.fixture
def wangphai(db: Any) -> Plan:
    """The demo plan as ``make demo`` loads it, published, with the demo's ITA result."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    plan = import_plan(json.loads((root / DEMO_FILE).read_text(encoding="utf-8")), actor=SETUP)
    load_demo_ita()
    return publish(plan)


def make_ranong_org() -> Any:
    """A second local government, in another จังหวัด and of another type."""
    from prongsai.organizations import actions as org_actions
    from prongsai.organizations.models import OrganizationKind

    return org_actions.create_organization(
        SETUP,
        {
            "slug": "thasae",
            "name_th": "องค์การบริหารส่วนตำบลท่าแซะ",
            "name_en": "Tha Sae SAO",
            "kind": OrganizationKind.SAO,
            "district_th": "อำเภอกะเปอร์",
            "province_th": "จังหวัดระนอง",
            "district_en": "Kapoe District",
            "province_en": "Ranong Province",
        },
    )


def add_project(
    plan: Plan, title: str, budgets: dict[int, Decimal] | None = None, code: str = "1.1.1"
) -> None:
    actions.add_item(
        SETUP,
        plan,
        plan.missions.get(code=code),
        actions.ItemData(kind="project", title=title, budgets=budgets or {}),
    )


def record_ita(org: Any, year: int = 2566) -> None:
    ita_actions.record_assessment(
        SETUP,
        org,
        year=year,
        model_key="ita-2560",
        scores={
            "transparency": Decimal("80"),
            "accountability": Decimal("85"),
            "corruption_free": Decimal("90"),
            "integrity_culture": Decimal("70"),
            "work_integrity": Decimal("60"),
        },
    )
