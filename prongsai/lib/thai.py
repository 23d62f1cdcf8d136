"""Thai presentation of numbers, years and dates: Thai or Arabic digits, Buddhist Era, thousands separators."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from pythainlp.util import arabic_digit_to_thai_digit, thai_strftime

BE_OFFSET = 543


def digits(text: str, style: str) -> str:
    """``text`` with its Arabic digits in Thai when ``style`` is "thai"."""
    return arabic_digit_to_thai_digit(text) if style == "thai" and text else text


def number(value: int | Decimal, style: str = "thai") -> str:
    """A number with thousands separators; amounts show satang only when there are any."""
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    else:
        text = f"{value:,}"
    return digits(text, style)


def baht(value: Decimal | None, style: str = "thai") -> str:
    """An amount in a budget column: "-" when the item runs without a budget that year."""
    return "-" if value is None else number(value, style)


def year(be_year: int, style: str = "thai") -> str:
    return digits(str(be_year), style)


def fiscal_year_start(be_year: int) -> dt.date:
    """Thai fiscal year N (พ.ศ.) starts on 1 October of the previous Gregorian year."""
    return dt.date(be_year - BE_OFFSET - 1, 10, 1)


def fiscal_year_of(day: dt.date) -> int:
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def thai_date(value: dt.date | dt.datetime, style: str = "thai", with_time: bool = False) -> str:
    """E.g. "๑ ตุลาคม ๒๕๖๐" (day, Thai month name, Buddhist Era year)."""
    fmt = "%-d %B %Y"
    if with_time and isinstance(value, dt.datetime):
        fmt += " %H:%M"
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return thai_strftime(value, fmt, thaidigit=(style == "thai"))
