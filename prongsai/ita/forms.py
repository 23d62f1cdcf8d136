"""Forms of the ITA pages and the public survey. Writes go through ``prongsai.ita.actions``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prongsai.ita import catalog, tabular
from prongsai.ita.catalog import ItaModel, Questionnaire
from prongsai.ita.models import OitEntry, Tool
from prongsai.lib import thai
from prongsai.lib.numbers import ThaiDecimalField, ThaiIntegerField, year_field
from prongsai.lib.uploads import UploadField


def _year_field(initial: int | None = None) -> ThaiIntegerField:
    return year_field(gettext_lazy("ปีงบประมาณที่ประเมิน (พ.ศ.)"), initial=initial)


class ModelChoiceForm(forms.Form):
    def __init__(self, *args: Any, surveys_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"] = _model_field(
            [m for m in catalog.all_models() if m.has_surveys or not surveys_only]
        )


def _year_text(be_year: int) -> str:
    return thai.year(be_year, "thai" if translation.get_language() == "th" else "arabic")


def _model_field(models: list[ItaModel], year: int | None = None) -> forms.ChoiceField:
    """The models the catalogue has, newest first and chosen; when ``year`` is after the newest model's
    years, the help says so (the NACC has not published a newer model in the catalogue yet)."""
    models = sorted(models, key=lambda m: max(m.years, default=0), reverse=True)
    newest = models[0] if models else None
    help_text = ""
    if newest is not None and newest.years and year is not None and year > max(newest.years):
        help_text = _(
            "แบบล่าสุดที่มีในระบบใช้กับปี พ.ศ. %(first)s–%(last)s: ใช้แบบนี้ได้ หรือแจ้งผู้ดูแลระบบเพิ่มแบบใหม่"
            "เมื่อสำนักงาน ป.ป.ช. ประกาศ"
        ) % {"first": _year_text(min(newest.years)), "last": _year_text(max(newest.years))}
    return forms.ChoiceField(
        label=gettext_lazy("แบบการประเมิน"),
        choices=[(m.key, m.name) for m in models],
        initial=newest.key if newest is not None else None,
        help_text=help_text,
    )


class AssessmentForm(forms.Form):
    """The published figures of one assessment: a score per part, points and the total where published."""

    def __init__(self, model: ItaModel, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model = model
        self.fields["year"] = _year_field()
        for part in model.parts:
            self.fields[f"score_{part.key}"] = ThaiDecimalField(
                label=_("%(name)s — คะแนน (ร้อยละ)") % {"name": part.name},
                min_value=Decimal(0),
                max_value=Decimal(100),
                max_digits=7,
                decimal_places=4,
                error_messages={
                    "required": _("กรอกคะแนนของ%(name)s") % {"name": part.name},
                    "invalid": _("คะแนนของ%(name)s ต้องเป็นตัวเลข") % {"name": part.name},
                },
            )
            self.fields[f"points_{part.key}"] = ThaiDecimalField(
                label=_("%(name)s — คะแนนถ่วงน้ำหนักที่ประกาศ (ถ้ามี)") % {"name": part.name},
                required=False,
                min_value=Decimal(0),
                max_value=part.weight,
                max_digits=6,
                decimal_places=2,
            )
        self.fields["published_total"] = ThaiDecimalField(
            label=gettext_lazy("คะแนนรวมที่ประกาศ (ถ้ามี)"),
            required=False,
            min_value=Decimal(0),
            max_value=Decimal(100),
            max_digits=6,
            decimal_places=2,
        )
        self.fields["note"] = forms.CharField(
            label=gettext_lazy("หมายเหตุ / แหล่งที่มา"), required=False, max_length=500
        )

    def part_rows(self) -> list[tuple[catalog.Part, forms.BoundField, forms.BoundField]]:
        return [(p, self[f"score_{p.key}"], self[f"points_{p.key}"]) for p in self.model.parts]

    def scores(self) -> dict[str, Decimal]:
        return {p.key: self.cleaned_data[f"score_{p.key}"] for p in self.model.parts}

    def published_points(self) -> dict[str, Decimal]:
        return {
            p.key: self.cleaned_data[f"points_{p.key}"]
            for p in self.model.parts
            if self.cleaned_data.get(f"points_{p.key}") is not None
        }

    def add_action_errors(self, error: ValidationError) -> None:
        """Put an action's errors on the fields they name, the rest at the top of the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class RoundForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("ชื่อรอบการประเมิน"),
        max_length=200,
        error_messages={"required": gettext_lazy("กรอกชื่อรอบการประเมิน")},
    )

    def __init__(self, *args: Any, year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"] = _year_field(year)
        self.fields["model"] = _model_field([m for m in catalog.all_models() if m.has_surveys], year)


class ImportForm(forms.Form):
    tool = forms.ChoiceField(label=gettext_lazy("แบบสำรวจ"), choices=Tool.choices)
    file = UploadField(
        label=gettext_lazy("ไฟล์คำตอบ (CSV หรือ XLSX)"),
        max_size=tabular.MAX_FILE_SIZE,
        error_messages={"required": gettext_lazy("เลือกไฟล์ที่จะนำเข้า"), "empty": gettext_lazy("ไฟล์ว่าง")},
    )


class OitForm(forms.Form):
    """The OIT checklist of a round: a URL and a "complete" mark for each item."""

    def __init__(
        self, questionnaire: Questionnaire, entries: list[OitEntry], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        by_item = {entry.item: entry for entry in entries}
        for item in questionnaire.checklist:
            entry = by_item.get(item.key)
            self.fields[f"url_{item.key}"] = forms.CharField(
                label=_("%(key)s ที่อยู่เว็บ") % {"key": item.key},
                required=False,
                max_length=1000,
                initial=entry.url if entry else "",
            )
            self.fields[f"complete_{item.key}"] = forms.BooleanField(
                label=_("%(key)s เผยแพร่ครบถ้วน") % {"key": item.key},
                required=False,
                initial=entry.complete if entry else False,
            )

    def groups(self) -> list[tuple[catalog.ChecklistGroup, list[tuple[catalog.ChecklistItem, Any, Any]]]]:
        rows: list[tuple[catalog.ChecklistGroup, list[tuple[catalog.ChecklistItem, Any, Any]]]] = []
        for group in self.questionnaire.groups:
            items = [
                (item, self[f"url_{item.key}"], self[f"complete_{item.key}"])
                for item in self.questionnaire.checklist
                if item.group == group.key
            ]
            rows.append((group, items))
        return rows

    def add_action_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            field = f"url_{key}"
            self.add_error(field if field in self.fields else None, messages)


class SurveyForm(forms.Form):
    """A questionnaire as radio buttons; each item's value is the option's index in form order.

    The ticket and its proof of work travel beside it and are checked by the view before the form is.
    """

    def __init__(self, questionnaire: Questionnaire, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for item in questionnaire.items:
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.text_th,
                choices=[(str(index), option.label_th) for index, option in enumerate(item.options)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": gettext_lazy("โปรดตอบข้อนี้")},
            )

    def questions(self) -> list[tuple[catalog.Question, list[tuple[catalog.Item, Any]]]]:
        return [(q, [(item, self[item.key]) for item in q.items]) for q in self.questionnaire.questions]

    def choices(self) -> dict[str, int]:
        return {item.key: self.cleaned_data[item.key] for item in self.questionnaire.items}
