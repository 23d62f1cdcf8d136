"""Template filters for Thai presentation: ``{{ value|digits:plan.digits }}``, ``|baht``, ``|kind_counts``."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from prongsai.lib import thai
from prongsai.plans.summary import Totals

register = template.Library()


@register.filter
def digits(value: object, style: str = "thai") -> str:
    return thai.digits(str(value), style)


@register.filter
def baht(value: Decimal | None, style: str = "thai") -> str:
    return thai.baht(value, style)


@register.filter
def thai_date(value: object, style: str = "thai") -> str:
    import datetime as dt

    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return thai.thai_date(timezone.localtime(value), style, with_time=True)
    if isinstance(value, dt.date):
        return thai.thai_date(value, style)
    return ""


@register.filter
def kind_counts(totals: Totals, style: str = "thai") -> str:
    """ "รวม ๓ โครงการ ๒ กิจกรรม ๑ มาตรการ" (and แนวปฏิบัติ when there are any)."""
    text = _("รวม %(projects)s โครงการ %(activities)s กิจกรรม %(measures)s มาตรการ") % {
        "projects": totals.projects,
        "activities": totals.activities,
        "measures": totals.measures,
    }
    if totals.guidelines:
        text = _("%(text)s %(guidelines)s แนวปฏิบัติ") % {"text": text, "guidelines": totals.guidelines}
    return thai.digits(text, style)


@register.filter
def piece(pieces: dict[int, object], item_id: int) -> object:
    """``{% with p=pieces|piece:item.pk %}``: an item's rendered pieces (plans/fragments.py)."""
    return pieces[item_id]
