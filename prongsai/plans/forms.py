"""Forms for plan pages. They only parse and check input; the write itself is an action in actions.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from prongsai.lib.numbers import ThaiDecimalField, year_field
from prongsai.lib.thai import digits, number
from prongsai.lib.uploads import UploadField
from prongsai.plans import actions
from prongsai.plans.models import MAX_TITLE_LENGTH, Digits, ItemKind, Mission, Plan, PlanItem
from prongsai.plans.structure import available_templates, load_template


class BahtField(ThaiDecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=14,
            decimal_places=2,
            min_value=Decimal(0),
            required=False,
            error_messages={
                "invalid": _("ต้องเป็นตัวเลข (เช่น 20000 หรือ ๒๐,๐๐๐)"),
                "min_value": _("งบประมาณต้องไม่ติดลบ"),
                "max_digits": _("จำนวนเงินมากเกินไป"),
                "max_decimal_places": _("ทศนิยมได้ไม่เกิน ๒ ตำแหน่ง"),
                "max_whole_digits": _("จำนวนเงินมากเกินไป"),
            },
            **kwargs,
        )


class PlanCreateForm(forms.Form):
    title = forms.CharField(label=_("ชื่อแผน"), max_length=500)
    first_year = year_field(_("ปีงบประมาณแรก (พ.ศ.)"))
    last_year = year_field(_("ปีงบประมาณสุดท้าย (พ.ศ.)"))
    template_key = forms.ChoiceField(label=_("แม่แบบ"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template_key"].choices = template_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        if first and last:
            # The address of the plan comes from its years (the officer never types a code): 2565-2570.
            data["slug"] = f"{first}-{last}"
        if first and last and last < first:
            self.add_error("last_year", _("ปีสุดท้ายต้องไม่น้อยกว่าปีแรก"))
        if first and last and last - first > 9:
            self.add_error("last_year", _("แผนหนึ่งครอบคลุมได้ไม่เกิน ๑๐ ปีงบประมาณ"))
        return data


def template_choices() -> list[tuple[str, str]]:
    """Each plan template by its title in the language of the page, newest first."""
    english = get_language() == "en"
    choices = []
    for key in reversed(available_templates()):
        template = load_template(key)
        choices.append((key, str(template.get("name_en" if english else "name_th") or key)))
    return choices


def version_field() -> forms.IntegerField:
    """The version of the row the form was loaded from (hidden); empty on a form that adds a row."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class PlanSettingsForm(forms.Form):
    version = version_field()
    title = forms.CharField(label=_("ชื่อแผน"), max_length=500)
    digits = forms.ChoiceField(label=_("ตัวเลขที่แสดง"), choices=Digits.choices)


class Part1EntryForm(forms.Form):
    text = forms.CharField(label=_("ข้อความ"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    version = version_field()


class ItemForm(forms.Form):
    """An item with one budget field per fiscal year of the plan; an empty budget field means no budget."""

    kind = forms.ChoiceField(label=_("ประเภท"), choices=ItemKind.choices)
    title = forms.CharField(
        label=_("ชื่อโครงการ/กิจกรรม/มาตรการ"),
        max_length=MAX_TITLE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ"),
            "max_length": _("ชื่อยาวเกิน %(limit_value)d ตัวอักษร (ตอนนี้ %(show_value)d)"),
        },
    )
    mission = forms.ChoiceField(label=_("ภารกิจตามมิติ"))
    responsible_unit = forms.CharField(label=_("หน่วยงานที่รับผิดชอบ"), max_length=300, required=False)
    note = forms.CharField(label=_("หมายเหตุ"), max_length=500, required=False)
    rationale = forms.CharField(
        label=_("หลักการและเหตุผล"), widget=forms.Textarea, required=False, max_length=20000
    )
    objectives = forms.CharField(
        label=_("วัตถุประสงค์"), widget=forms.Textarea, required=False, max_length=20000
    )
    outputs = forms.CharField(
        label=_("เป้าหมาย/ผลผลิต"), widget=forms.Textarea, required=False, max_length=20000
    )
    area = forms.CharField(label=_("พื้นที่ดำเนินการ"), widget=forms.Textarea, required=False, max_length=20000)
    method = forms.CharField(label=_("วิธีดำเนินการ"), widget=forms.Textarea, required=False, max_length=20000)
    duration = forms.CharField(
        label=_("ระยะเวลาดำเนินการ"), widget=forms.Textarea, required=False, max_length=20000
    )
    responsible = forms.CharField(
        label=_("ผู้รับผิดชอบโครงการ"), widget=forms.Textarea, required=False, max_length=20000
    )
    version = version_field()

    def __init__(self, plan: Plan, missions: list[Mission], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.missions = {m.code: m for m in missions}
        self.fields["mission"].choices = [  # type: ignore[attr-defined]
            (m.code, f"{digits(m.code, plan.digits)} {m.title_th[:90]}") for m in missions
        ]
        for year in plan.years:
            self.fields[f"budget_{year}"] = BahtField(
                label=_("ปี %(year)s งบประมาณ (บาท)") % {"year": number(year, plan.digits).replace(",", "")},
            )

    @property
    def budget_fields(self) -> list[forms.BoundField]:
        return [self[f"budget_{year}"] for year in self.plan.years]

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in actions.ItemData.DETAIL_FIELDS]

    def clean_mission(self) -> Mission:
        code = self.cleaned_data["mission"]
        if code not in self.missions:
            raise ValidationError(_("ภารกิจไม่ถูกต้อง"))
        return self.missions[code]

    def item_data(
        self, indicators: list[actions.IndicatorData], is_illustrative: bool = False
    ) -> actions.ItemData:
        data = self.cleaned_data
        return actions.ItemData(
            kind=data["kind"],
            title=data["title"],
            responsible_unit=data["responsible_unit"],
            note=data["note"],
            is_illustrative=is_illustrative,
            budgets={
                year: data[f"budget_{year}"]
                for year in self.plan.years
                if data.get(f"budget_{year}") is not None
            },
            indicators=indicators,
            **{name: data[name] for name in actions.ItemData.DETAIL_FIELDS},
        )

    @classmethod
    def initial_for(cls, item: PlanItem) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": item.version,
            "kind": item.kind,
            "title": item.title,
            "mission": item.mission.code,
            "responsible_unit": item.responsible_unit,
            "note": item.note,
            **{name: getattr(item, name) for name in actions.ItemData.DETAIL_FIELDS},
        }
        for budget in item.budgets.all():
            initial[f"budget_{budget.fiscal_year}"] = budget.amount
        return initial


def show_current_version(form: forms.Form, version: int) -> None:
    """Re-show a refused form with what the user typed but the version saved now, so saving again is deliberate."""
    data = QueryDict(mutable=True)
    data.update(form.data)
    data[form.add_prefix("version")] = str(version)
    form.data = data


class IndicatorForm(forms.Form):
    description = forms.CharField(label=_("ตัวชี้วัด"), max_length=1000, required=False)
    target_value = ThaiDecimalField(
        label=_("ค่าเป้าหมาย"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        error_messages={"invalid": _("ค่าเป้าหมายต้องเป็นตัวเลข"), "min_value": _("ค่าเป้าหมายต้องไม่ติดลบ")},
    )
    unit = forms.CharField(label=_("หน่วยนับ"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("description") and (data.get("target_value") is not None or data.get("unit")):
            self.add_error("description", _("กรุณากรอกตัวชี้วัด"))
        return data


class BaseIndicatorFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def indicators(self) -> list[actions.IndicatorData]:
        return [
            actions.IndicatorData(
                description=form.cleaned_data["description"],
                target_value=form.cleaned_data.get("target_value"),
                unit=form.cleaned_data.get("unit", ""),
            )
            for form in self.forms
            if form.cleaned_data.get("description") and not form.cleaned_data.get("DELETE")
        ]


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=BaseIndicatorFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
)


class PlanImportForm(forms.Form):
    file = UploadField(label=_("ไฟล์แผน (.json) ที่ส่งออกจาก Prongsai (prongsai plan export)"))
