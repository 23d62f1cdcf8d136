from decimal import Decimal

from prongsai.plans.summary import plan_tables


def test_the_fixture_plan_totals_add_up(plan):
    tables = plan_tables(plan)
    assert tables.totals.projects == 1
    assert tables.totals.activities == 1
    assert tables.totals.budgets[2561] == Decimal("20000")
    assert tables.totals.budgets[2563] is None
