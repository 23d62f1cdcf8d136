"""Forms of the complaint pages. Files come from ``request.FILES.getlist("files")`` and are checked by
``actions.clean_uploads`` (kind by content, size, count); errors are attached to the ``files`` field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prongsai.complaints.models import ReferredTo, Status


def _area(rows: int = 5, maxlength: int = 20_000, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": maxlength}),
        required=required,
        max_length=maxlength,
        strip=True,
        **kwargs,
    )


class FilingForm(forms.Form):
    what = _area(
        8,
        required=True,
        label=_("เกิดอะไรขึ้น"),
        help_text=_("เล่าสิ่งที่พบเห็นให้ละเอียดที่สุดเท่าที่ทำได้"),
        error_messages={"required": _("โปรดเล่าว่าเกิดอะไรขึ้น")},
    )
    when_where = _area(3, label=_("เมื่อไรและที่ไหน"))
    who = _area(3, label=_("ใครเกี่ยวข้อง"), help_text=_("ชื่อ ตำแหน่ง หรือหน่วยงานของผู้ถูกร้องเรียน (ถ้าทราบ)"))
    remedy = _area(3, label=_("ต้องการให้ดำเนินการอย่างไร"))
    identity = _area(
        3,
        maxlength=2_000,
        label=_("ชื่อและช่องทางติดต่อของคุณ (ไม่บังคับ)"),
        help_text=_(
            "เว้นว่างไว้ได้ หากให้ไว้ ข้อมูลนี้เข้ารหัสแยกจากเรื่องร้องเรียน เจ้าหน้าที่เปิดดูได้เมื่อเขียนเหตุผลไว้ "
            "และผู้บริหารเห็นว่าใครเปิดดูเมื่อใดเพราะอะไร"
        ),
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("เลขรับเรื่อง 16 หลัก"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )


class MessageForm(forms.Form):
    body = _area(5, label=_("ข้อความ"))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("สถานะ"), choices=Status.choices)
    referred_to = forms.ChoiceField(
        label=_("ส่งต่อไปยัง"), choices=[("", "—"), *ReferredTo.choices], required=False
    )
    referred_body = forms.CharField(label=_("ชื่อหน่วยงานที่ส่งต่อ"), max_length=200, required=False)


class RiskAreaForm(forms.Form):
    risk_area = forms.ChoiceField(label=_("ด้านความเสี่ยงการทุจริต"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk_area"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = _area(3, maxlength=2_000, required=True, label=_("เหตุผลที่ต้องเปิดดูข้อมูลผู้ร้องเรียน"))


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("กุญแจกู้คืน 24 หลัก"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class HandlerForm(forms.Form):
    user = forms.ChoiceField(label=_("ผู้ใช้"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = choices  # type: ignore[attr-defined]
