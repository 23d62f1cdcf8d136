"""A published plan to link measures to (its PDF is a stand-in: documents/tests lay real ones out)."""

from __future__ import annotations

from typing import Any

import pytest

from prongsai.plans.models import Plan
from prongsai.reports.tests.conftest import publish, quick_pdf  # noqa: F401 (fixture)
from prongsai.risks import actions
from prongsai.risks.models import RiskRegister


def risk_data(**overrides: Any) -> actions.RiskData:
    values: dict[str, Any] = {
        "process": "การอนุญาตก่อสร้างอาคาร",
        "event": "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งการออกใบอนุญาต",
        "cause": "ขั้นตอนไม่เปิดเผย ประชาชนไม่ทราบระยะเวลา",
        "area": "permits",
        "existing_controls": "มีคู่มือประชาชน",
        "likelihood": 4,
        "impact": 4,
        "residual_likelihood": 2,
        "residual_impact": 3,
        "owner_unit": "กองช่าง",
        "owner_person": "ผู้อำนวยการกองช่าง",
        "indicator": "จำนวนเรื่องร้องเรียน",
        "target": "ไม่มีเรื่องร้องเรียน",
    }
    values.update(overrides)
    return actions.RiskData(**values)


@pytest.fixture
def published(plan: Plan, people: dict[str, Any], quick_pdf: None) -> Plan:  # noqa: F811
    return publish(plan, people["bob"])


@pytest.fixture
def register(org_a: Any, people: dict[str, Any]) -> RiskRegister:
    return actions.create_register(people["alice"], org_a, 2562)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Evidence files go to a scratch folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published_register(register: RiskRegister, people: dict[str, Any]) -> RiskRegister:
    """A published register of two risks: one with a standalone measure, one with none."""
    risk = actions.add_risk(people["alice"], register, risk_data())
    actions.add_measure(
        people["alice"], risk, actions.MeasureData(title="ประกาศขั้นตอนและระยะเวลา", owner="กองช่าง")
    )
    actions.add_risk(people["alice"], register, risk_data(event="ตรวจรับงานไม่ตรงแบบ", area="budget"))
    actions.approve_register(people["bob"], register)
    return actions.publish_register(people["bob"], register)


@pytest.fixture
def monitoring_round(published_register: RiskRegister, people: dict[str, Any]) -> Any:
    return actions.open_round(people["alice"], published_register, 6)
