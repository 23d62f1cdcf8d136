"""A published risk register with a published 6-month round and one public evidence file (portal tests)."""

from __future__ import annotations

from typing import Any

from prongsai.risks import actions
from prongsai.risks.models import MonitoringRound
from prongsai.risks.tests.conftest import risk_data


def published_register_with_round(
    organization: Any, people: dict[str, Any], year: int = 2562
) -> MonitoringRound:
    register = actions.create_register(people["alice"], organization, year)
    risk = actions.add_risk(people["alice"], register, risk_data())
    actions.add_measure(people["alice"], risk, actions.MeasureData(title="ประกาศขั้นตอน", owner="กองช่าง"))
    actions.approve_register(people["bob"], register)
    actions.publish_register(people["bob"], register)
    report_round = actions.open_round(people["alice"], register, 6)
    review = report_round.reviews.get()
    report = report_round.reports.get()
    actions.save_monitoring(
        people["alice"], review, 2, 3, {report.pk: actions.MeasureReportData("done", "ติดประกาศแล้ว")}
    )
    actions.add_evidence(people["alice"], report, "public.pdf", b"%PDF-1.7 public", public=True)
    actions.add_evidence(people["alice"], report, "private.pdf", b"%PDF-1.7 private", public=False)
    actions.approve_round(people["bob"], report_round)
    return actions.publish_round(people["bob"], report_round)
