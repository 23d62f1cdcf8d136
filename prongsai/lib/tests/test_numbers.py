from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from prongsai.lib.numbers import ThaiDecimalField, ThaiIntegerField, parse_decimal, plain_number, year_field
from prongsai.lib.thai import number


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("20000", "20000"),
        ("20,000", "20000"),
        ("๒๐,๐๐๐", "20000"),
        ("1,234,567.50", "1234567.50"),
        ("๑๒๓.๕", "123.5"),
        ("  15000 ", "15000"),
        ("-5", "-5"),
        ("", ""),
    ],
)
def test_it_reads_numbers_written_one_way(typed, read):
    assert plain_number(typed) == read


@pytest.mark.parametrize(
    "typed",
    ["1,2,3", "1e5", "1E5", "๑2๓", "20,00", "1,0000", ",100", "100,", "1.2.3", "1 000", "12a", ".", "--1"],
)
def test_it_refuses_numbers_it_would_have_to_guess(typed):
    with pytest.raises(ValueError):
        plain_number(typed)


def test_a_decimal_field_names_a_malformed_amount_invalid():
    field = ThaiDecimalField(error_messages={"invalid": "ต้องเป็นตัวเลข"})
    assert field.clean("๑๒,๓๔๕.๕๐") == Decimal("12345.50")
    for typed in ("1,2,3", "1e5", "๑2๓"):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(typed)
        assert refused.value.messages == ["ต้องเป็นตัวเลข"]


def test_a_year_may_be_typed_in_thai_digits_and_is_bounded():
    field = year_field("ปี")
    assert field.clean("๒๕๖๙") == 2569
    assert field.widget.input_type == "text"  # type=number would refuse Thai digits in the browser
    for typed, code in (
        ("2569.5", "invalid"),
        ("๒๕๖9", "invalid"),
        ("2400", "min_value"),
        ("9999", "max_value"),
    ):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(typed)
        assert refused.value.error_list[0].code == code


def test_an_integer_field_refuses_a_fraction():
    with pytest.raises(forms.ValidationError):
        ThaiIntegerField().clean("1.5")


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False))
def test_every_amount_as_the_plan_prints_it_reads_back(amount):
    for style in ("thai", "arabic"):
        assert parse_decimal(number(amount, style)) == amount
