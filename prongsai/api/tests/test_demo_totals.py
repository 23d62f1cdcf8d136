"""The issue's "done when": the API's Wang Phai items add up to the plan's Part 2 summary."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from prongsai.plans.summary import plan_tables

PLAN = "/api/v1/organizations/wangphai/plans/2561-2564"


def test_the_api_items_add_up_to_the_part2_summary(client, wangphai):
    totals = plan_tables(wangphai).totals
    items = []
    url: str | None = f"{PLAN}/items?limit=10"
    while url:
        page = client.get(url).json()
        items.extend(page["results"])
        url = page["next"]
    assert len(items) == totals.item_count > 10  # read over several pages

    by_year: dict[int, Decimal] = {}
    for item in items:
        for budget in item["budgets"]:
            by_year[budget["fiscal_year"]] = by_year.get(budget["fiscal_year"], Decimal(0)) + Decimal(
                budget["amount"]
            )
    assert by_year == {year: amount for year, amount in totals.budgets.items() if amount is not None}
    assert sum(by_year.values()) == totals.grand_total
    assert Counter(item["kind"]["code"] for item in items) == totals.counts

    plan = client.get(PLAN).json()
    assert plan["totals"]["grand_total"] == f"{totals.grand_total:.2f}"
    assert plan["totals"]["budgets"] == [
        {"fiscal_year": year, "amount": None if amount is None else f"{amount:.2f}"}
        for year, amount in totals.budgets.items()
    ]
    tree_items = []

    def walk(missions: list[dict[str, Any]]) -> None:
        for mission in missions:
            tree_items.extend(mission["items"])
            walk(mission["missions"])

    for dimension in plan["dimensions"]:
        walk(dimension["missions"])
    assert [i["uid"] for i in tree_items] == [i["uid"] for i in items]
    for year in totals.years:
        in_year = client.get(f"{PLAN}/items?fiscal_year={year}&limit=1").json()["count"]
        assert in_year == sum(1 for i in items if any(b["fiscal_year"] == year for b in i["budgets"]))


def test_the_demo_ita_result_is_published(client, wangphai):
    [result] = client.get("/api/v1/organizations/wangphai/ita").json()
    assert (result["year"], result["published_total"]) == (2560, "78.54")
