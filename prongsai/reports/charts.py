"""The round's pictures, drawn server-side with the ITA chart geometry and template (``ita/_chart.html``)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.utils.translation import gettext as _

from prongsai.ita.charts import BarChart, bar_chart
from prongsai.lib.thai import number
from prongsai.reports.scores import HUNDRED, Summary


def status_chart(summary: Summary, style: str) -> BarChart:
    """The status breakdown as a share of in-scope items (the national four-slice pie, as bars)."""
    total = summary.total
    rows = [
        (_("ดำเนินการแล้วเสร็จ"), total.completed, False),
        (_("อยู่ระหว่างดำเนินการ"), total.in_progress, False),
        (_("ไม่สามารถดำเนินการได้"), total.cannot, True),
        (_("รอการรายงานผล"), total.waiting, True),
    ]
    share = [
        (label, Decimal(count) * HUNDRED / total.items if total.items else Decimal(0), weak)
        for label, count, weak in rows
    ]
    chart = bar_chart(_("สถานะการดำเนินงาน (ร้อยละของรายการ)"), share)
    bars = [
        replace(bar, value_text=_("%(count)s รายการ") % {"count": number(count, style)})
        for bar, (_label, count, _weak) in zip(chart.bars, rows, strict=True)
    ]
    return replace(chart, bars=bars)


def budget_chart(summary: Summary, style: str) -> BarChart:
    """Planned, ordinance and disbursed baht per dimension, scaled to the largest amount (no percent axis).

    The largest bar spans three quarters of the scale, leaving room for its amount after it at 360 px."""
    rows: list[tuple[str, Decimal, bool]] = []
    amounts: list[Decimal] = []
    for dimension in summary.dimensions:
        tally = dimension.tally
        for label, amount, weak in (
            (_("มิติที่ %(n)s แผน") % {"n": number(dimension.number, style)}, tally.planned, False),
            (_("มิติที่ %(n)s ข้อบัญญัติ") % {"n": number(dimension.number, style)}, tally.ordinance, False),
            (_("มิติที่ %(n)s เบิกจ่าย") % {"n": number(dimension.number, style)}, tally.disbursed, True),
        ):
            rows.append((label, amount, weak))
            amounts.append(amount)
    largest = max(amounts, default=Decimal(0))
    scaled = [(label, amount * 75 / largest if largest else Decimal(0), weak) for label, amount, weak in rows]
    chart = bar_chart(_("งบประมาณรายมิติ (บาท): ตามแผน ตามข้อบัญญัติ และเบิกจ่าย"), scaled)
    bars = [
        replace(bar, value_text=number(amount, style))
        for bar, amount in zip(chart.bars, amounts, strict=True)
    ]
    return replace(chart, bars=bars, ticks=[])
