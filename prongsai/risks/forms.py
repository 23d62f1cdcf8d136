"""Forms for the risk pages: they parse what was typed (Thai digits too); the actions check and save it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.utils.translation import gettext_lazy as _

from prongsai.lib import evidence
from prongsai.lib.numbers import arabic_digits, year_field
from prongsai.lib.uploads import UploadField
from prongsai.plans.forms import version_field
from prongsai.plans.models import Plan
from prongsai.risks.actions import MeasureData, MeasureReportData, RiskData
from prongsai.risks.method import Method
from prongsai.risks.models import Measure, MeasureReport, MeasureStatus, Risk, RiskReview, RoundMonths


class RegisterForm(forms.Form):
    fiscal_year = year_field(_("ปีงบประมาณ (พ.ศ.)"))


class ScaleField(forms.TypedChoiceField):
    """1–5 from a list; Thai digits typed or pasted are read as Arabic ones."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(arabic_digits(value.strip()) if isinstance(value, str) else value))


def _scale(label: Any, steps: Any) -> ScaleField:
    return ScaleField(
        label=label, coerce=int, choices=[(s.value, f"{s.value} {s.title} — {s.description}") for s in steps]
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RiskForm(forms.Form):
    """One risk; score and level are shown, never asked."""

    version = version_field()
    process = forms.CharField(label=_("กระบวนงาน/งานบริการ"), max_length=500)
    event = forms.CharField(
        label=_("เหตุการณ์ความเสี่ยง"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    cause = forms.CharField(
        label=_("สาเหตุ"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    area = forms.ChoiceField(label=_("ด้านความเสี่ยง"))
    existing_controls = forms.CharField(
        label=_("การควบคุมที่มีอยู่"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_unit = forms.CharField(label=_("หน่วยงานที่รับผิดชอบ"), max_length=300, required=False)
    owner_person = forms.CharField(label=_("ผู้รับผิดชอบ"), max_length=300, required=False)
    indicator = forms.CharField(label=_("ตัวบ่งชี้"), max_length=1000, required=False)
    target = forms.CharField(label=_("ค่าเป้าหมาย"), max_length=300, required=False)
    due_date = forms.DateField(label=_("กำหนดแล้วเสร็จ"), required=False, widget=DATE)
    ita_indicator = forms.CharField(label=_("ตัวชี้วัด ITA ที่เกี่ยวข้อง"), max_length=40, required=False)

    def __init__(self, *args: Any, method: Method, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "—"), *((a.key, a.title) for a in method.areas)]  # type: ignore[attr-defined]
        self.fields["likelihood"] = _scale(_("โอกาส"), method.likelihood)
        self.fields["impact"] = _scale(_("ผลกระทบ"), method.impact)
        self.fields["residual_likelihood"] = _scale(_("โอกาสหลังจัดการ"), method.likelihood)
        self.fields["residual_impact"] = _scale(_("ผลกระทบหลังจัดการ"), method.impact)

    @staticmethod
    def initial_for(risk: Risk | None) -> dict[str, Any]:
        if risk is None:
            return {}
        return {"version": risk.version, **RiskData.of(risk).__dict__}

    def risk_data(self) -> RiskData:
        data = self.cleaned_data
        return RiskData(**{k: data[k] for k in RiskData.__dataclass_fields__})


class CiteComplaintsForm(forms.Form):
    """Which of the year's complaints a risk's assessment rests on (references, never content)."""

    version = version_field()
    complaint_refs = forms.MultipleChoiceField(
        label=_("เรื่องร้องเรียนที่อ้างอิง"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complaint_refs"].choices = choices  # type: ignore[attr-defined]


class MeasureForm(forms.Form):
    """A plan item (chosen from the published plans) or a standalone measure."""

    version = version_field()
    item = forms.ChoiceField(label=_("รายการในแผน"), required=False)
    title = forms.CharField(label=_("มาตรการ (ถ้าไม่อยู่ในแผน)"), max_length=1000, required=False)
    owner = forms.CharField(label=_("ผู้รับผิดชอบ"), max_length=300, required=False)
    start_date = forms.DateField(label=_("วันเริ่ม"), required=False, widget=DATE)
    due_date = forms.DateField(label=_("กำหนดแล้วเสร็จ"), required=False, widget=DATE)
    done = forms.BooleanField(label=_("ดำเนินการแล้วเสร็จ"), required=False)

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = [("", _("— มาตรการที่ไม่อยู่ในแผน —"))]
        for plan in plans:
            items = [(f"{plan.slug}/{item.uid}", item.title[:120]) for item in plan.items.all()]
            choices.append((f"{plan.title} ({plan.slug})", items))
        self.fields["item"].choices = choices  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(measure: Measure | None) -> dict[str, Any]:
        if measure is None:
            return {}
        data = MeasureData.of(measure)
        item = f"{data.plan_slug}/{data.item_uid}" if data.item_uid else ""
        title = "" if data.item_uid else data.title
        return {**data.__dict__, "version": measure.version, "item": item, "title": title}

    def measure_data(self) -> MeasureData:
        data = self.cleaned_data
        plan_slug, item_uid = "", None
        if data["item"]:
            plan_slug, _sep, uid = data["item"].partition("/")
            item_uid = UUID(uid)
        return MeasureData(
            plan_slug=plan_slug,
            item_uid=item_uid,
            title=data["title"],
            owner=data["owner"],
            start_date=data["start_date"],
            due_date=data["due_date"],
            done=data["done"],
        )


class ImportForm(forms.Form):
    file = UploadField(label=_("ไฟล์ Excel (.xlsx) ที่ส่งออกจากทะเบียนนี้"))


class OpenRoundForm(forms.Form):
    months = forms.TypedChoiceField(label=_("รอบการติดตาม"), coerce=int, choices=RoundMonths.choices)


def _optional_scale(label: Any, steps: Any) -> ScaleField:
    return ScaleField(
        label=label,
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("— ยังไม่ประเมิน —")), *((s.value, f"{s.value} {s.title}") for s in steps)],
    )


class MonitoringForm(forms.Form):
    """One risk in a round: its re-assessment and, per measure, the result and what was done."""

    version = version_field()

    def __init__(self, *args: Any, method: Method, reports: list[MeasureReport], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reports = reports
        self.fields["likelihood"] = _optional_scale(_("โอกาส (ประเมินซ้ำ)"), method.likelihood)
        self.fields["impact"] = _optional_scale(_("ผลกระทบ (ประเมินซ้ำ)"), method.impact)
        for report in reports:
            prefix = f"m{report.pk}-"
            self.fields[prefix + "version"] = version_field()
            self.fields[prefix + "status"] = forms.ChoiceField(
                label=_("ผลการดำเนินการ"),
                required=False,
                choices=[("", _("— ยังไม่รายงาน —")), *MeasureStatus.choices],
            )
            self.fields[prefix + "what_done"] = forms.CharField(
                label=_("สิ่งที่ดำเนินการ"),
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def _scale_value(self, name: str) -> int | None:
        value: Any = self.cleaned_data.get(name)
        return None if value in (None, "", "None") else int(value)

    def clean_likelihood(self) -> int | None:
        return self._scale_value("likelihood")

    def clean_impact(self) -> int | None:
        return self._scale_value("impact")

    @staticmethod
    def initial_for(review: RiskReview, reports: list[MeasureReport]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": review.version,
            "likelihood": review.likelihood,
            "impact": review.impact,
        }
        for report in reports:
            prefix = f"m{report.pk}-"
            initial[prefix + "version"] = report.version
            initial[prefix + "status"] = report.status
            initial[prefix + "what_done"] = report.what_done
        return initial

    def measure_fields(self) -> list[tuple[MeasureReport, list[Any]]]:
        """Each measure's report with its bound fields, for the template."""
        return [(r, [self[f"m{r.pk}-{name}"] for name in ("status", "what_done")]) for r in self.reports]

    def report_data(self) -> dict[int, MeasureReportData]:
        data = self.cleaned_data
        return {
            r.pk: MeasureReportData(status=data[f"m{r.pk}-status"], what_done=data[f"m{r.pk}-what_done"])
            for r in self.reports
        }

    def versions(self) -> dict[str, int]:
        data = self.cleaned_data
        versions = {"review": data["version"]} if data.get("version") else {}
        for r in self.reports:
            if data.get(f"m{r.pk}-version"):
                versions[f"m{r.pk}"] = data[f"m{r.pk}-version"]
        return versions


EvidenceForm = evidence.form_class(_("เผยแพร่ต่อสาธารณะเมื่อประกาศผลการติดตาม"))
