"""A round as JSON: the summary (counts, score, band, sums) and every item's report, keyed by uid."""

from __future__ import annotations

import json
from typing import Any

from prongsai.reports.audit_state import report_state
from prongsai.reports.models import ReportRound
from prongsai.reports.progress import round_rows
from prongsai.reports.scores import summarise


def round_json(report_round: ReportRound) -> dict[str, Any]:
    items = []
    for row in round_rows(report_round, set()):
        state = report_state(row.report)
        del state["round"]
        items.append(
            {
                "mission": None if row.item is None else row.item.mission.code,
                "in_plan": row.item is not None,
                "plan_budget": None if row.plan_budget is None else f"{row.plan_budget:.2f}",
                **state,
            }
        )
    return {"summary": summarise(report_round).as_json(), "items": items}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
