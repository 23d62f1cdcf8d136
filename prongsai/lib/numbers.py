"""Numbers as people type them, and nothing else.

Officers type amounts with Thai or Arabic digits and with thousands separators ("๒๐,๐๐๐", "20,000.50").
A number is read only when it is written one way: one digit system, separators only between groups of
three, at most one decimal point, no exponent, no spaces inside. "1,2,3", "1e5", "๑2๓" and "20,00" are
refused rather than guessed at (they used to be stored as 123, 100000, 123 and 2000).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
# Fiscal years (Buddhist Era) every form and import accepts.
YEAR_MIN, YEAR_MAX = 2500, 2700

_ARABIC = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?")
_THAI = re.compile(r"[+-]?(?:[๐-๙]+|[๐-๙]{1,3}(?:,[๐-๙]{3})+)(?:\.[๐-๙]+)?")
_SPACES = " \t\u00a0\u200b"


def arabic_digits(text: str) -> str:
    """``text`` with its Thai digits written as Arabic ones (dates, codes; not a number check)."""
    return text.translate(TO_ARABIC)


def plain_number(text: str) -> str:
    """The number ``text`` as Python reads it ("๒๐,๐๐๐" → "20000"); ValueError when it is malformed.

    An empty text stays empty (the field decides whether it is required).
    """
    text = text.strip(_SPACES)
    if not text:
        return ""
    if not (_ARABIC.fullmatch(text) or _THAI.fullmatch(text)):
        raise ValueError(text)
    return arabic_digits(text).replace(",", "")


def parse_decimal(text: str) -> Decimal | None:
    """``plain_number`` as a Decimal (None when empty); ValueError when malformed."""
    plain = plain_number(text)
    if not plain:
        return None
    try:
        return Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise ValueError(text) from None


class ThaiDecimalField(forms.DecimalField):
    """A decimal typed with Thai or Arabic digits and thousands separators (a text input, not type=number)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            try:
                value = plain_number(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        result: Decimal | None = super().to_python(value)
        return result


class ThaiIntegerField(forms.IntegerField):
    """A whole number (a year, a count) typed with Thai or Arabic digits: ๒๕๖๙ is 2569."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            try:
                value = plain_number(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            if "." in value:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def year_field(label: Any, **kwargs: Any) -> ThaiIntegerField:
    """A fiscal year (พ.ศ.) field with the bounds every form shares and messages that name them."""
    kwargs.setdefault(
        "error_messages",
        {
            "required": _("กรอกปี พ.ศ."),
            "invalid": _("ปีต้องเป็นตัวเลข เช่น 2569 หรือ ๒๕๖๙"),
            "min_value": _("ปีต้องเป็นปีพุทธศักราช ไม่น้อยกว่า %(limit_value)s"),
            "max_value": _("ปีต้องไม่เกิน %(limit_value)s"),
        },
    )
    return ThaiIntegerField(label=label, min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)
