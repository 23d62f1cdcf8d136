"""A published plan to report on. Its PDF is not laid out (documents/tests test that): publishing stays
the audited action, with placeholder bytes for the document, so these tests stay quick."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from prongsai.conftest import SETUP
from prongsai.plans import actions as plan_actions
from prongsai.plans.models import Plan


@pytest.fixture
def quick_pdf(monkeypatch: Any) -> None:
    monkeypatch.setattr("prongsai.documents.actions.render_pdf", lambda plan, **kwargs: b"%PDF-1.7 test")


def publish(plan: Plan, approver: Any) -> Plan:
    plan_actions.approve_plan(approver, plan_actions.submit_plan(SETUP, plan))
    return plan_actions.publish_plan(approver, plan)


@pytest.fixture
def published(plan: Plan, people: dict[str, Any], quick_pdf: None) -> Plan:
    """The shared draft plan with a third item (no budget in 2561), approved and published by Bob.

    Items: 1 project with 20,000 baht in 2561 and one indicator (dimension 1); 2 an activity without a
    budget (dimension 2); 3 a measure with 5,000 baht in 2561 (dimension 3).
    """
    plan_actions.add_item(
        people["alice"],
        plan,
        plan.missions.get(code="3.1"),
        plan_actions.ItemData(
            kind="measure", title="มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้าง", budgets={2561: Decimal("5000")}
        ),
    )
    return publish(plan, people["bob"])


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Evidence files go to a scratch folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_location() -> bytes:
    """A small photo carrying EXIF with a camera make and a GPS position, as phones write them."""
    import io

    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (10.0, 30.0, 0.0), "E", (99.0, 10.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
