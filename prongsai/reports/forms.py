"""Forms for report pages: they parse what was typed (Thai digits too); the actions check and save it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prongsai.lib import evidence
from prongsai.lib.numbers import ThaiDecimalField
from prongsai.lib.uploads import UploadField
from prongsai.plans.forms import BahtField, version_field
from prongsai.plans.models import Plan
from prongsai.reports.actions import ReportData
from prongsai.reports.models import ItemReport, ItemStatus, RoundMonths
from prongsai.reports.rules import rules

QUARTERS = [
    (n, label) for n, label in enumerate((_("ไตรมาส ๑"), _("ไตรมาส ๒"), _("ไตรมาส ๓"), _("ไตรมาส ๔")), 1)
]


class OpenRoundForm(forms.Form):
    plan = forms.ChoiceField(label=_("แผน"))
    fiscal_year = forms.TypedChoiceField(label=_("ปีงบประมาณ (พ.ศ.)"), coerce=int)
    months = forms.TypedChoiceField(label=_("รอบรายงาน"), coerce=int, choices=RoundMonths.choices)

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(p.slug, f"{p.title} ({p.slug})") for p in plans]  # type: ignore[attr-defined]
        years = sorted({y for p in plans for y in p.years})
        self.fields["fiscal_year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    """One item's report. Money fields exist only for an item with a plan budget that year."""

    version = version_field()
    status = forms.ChoiceField(
        label=_("สถานะการดำเนินงาน"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("", _("ยังไม่รายงานผล")), *ItemStatus.choices],
    )
    reason = forms.ChoiceField(label=_("เหตุผลที่ดำเนินการไม่ได้"), required=False)
    reason_text = forms.CharField(label=_("เหตุผลอื่นๆ (ระบุ)"), required=False, max_length=500)
    ordinance_budget = BahtField(label=_("งบประมาณตามข้อบัญญัติ/เทศบัญญัติ (บาท)"))
    disbursed = BahtField(label=_("การเบิกจ่ายงบประมาณ (บาท)"))
    confirm_overspend = forms.BooleanField(
        label=_("ยืนยันว่ายอดเบิกจ่ายมากกว่างบประมาณตามข้อบัญญัติจริง"), required=False
    )
    included = forms.BooleanField(label=_("บรรจุไว้ในข้อบัญญัติ/เทศบัญญัติ/แผนการดำเนินงาน"), required=False)
    quarters = forms.TypedMultipleChoiceField(
        label=_("ดำเนินการในไตรมาส"),
        required=False,
        coerce=int,
        choices=QUARTERS,
        widget=forms.CheckboxSelectMultiple,
    )
    narrative = forms.CharField(
        label=_("ผลการดำเนินงานโดยสรุป"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    remark = forms.CharField(label=_("หมายเหตุ"), required=False, max_length=1000)
    out_of_scope = forms.BooleanField(label=_("ไม่สอดคล้องกับมิติของการป้องกันการทุจริต (ไม่นับรวม)"), required=False)

    def __init__(self, *args: Any, report: ItemReport, has_budget: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        self.has_budget = has_budget
        self.fields["reason"].choices = [("", "—"), *((r.key, r.title) for r in rules().reasons)]  # type: ignore[attr-defined]
        if not has_budget:
            for name in ("ordinance_budget", "disbursed", "confirm_overspend"):
                del self.fields[name]
        self.result_names: list[str] = []
        for index, slot in enumerate(report.indicator_results):
            name = f"result_{index}"
            target = slot.get("target")
            unit = slot.get("unit") or ""
            help_text = (
                _("ค่าเป้าหมาย %(target)s %(unit)s") % {"target": target, "unit": unit} if target else ""
            )
            self.fields[name] = ThaiDecimalField(
                label=slot.get("indicator", ""),
                required=False,
                max_digits=14,
                decimal_places=2,
                help_text=help_text,
                error_messages={"invalid": _("ต้องเป็นตัวเลข (เช่น 80 หรือ ๘๐)")},
            )
            self.result_names.append(name)

    @classmethod
    def initial_for(cls, report: ItemReport) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": report.version,
            "status": report.status,
            "reason": report.reason,
            "reason_text": report.reason_text,
            "ordinance_budget": report.ordinance_budget,
            "disbursed": report.disbursed,
            "included": report.included,
            "quarters": report.quarters,
            "narrative": report.narrative,
            "remark": report.remark,
            "out_of_scope": report.out_of_scope,
        }
        for index, slot in enumerate(report.indicator_results):
            initial[f"result_{index}"] = slot.get("result")
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ordinance, disbursed = data.get("ordinance_budget"), data.get("disbursed")
        if (
            ordinance is not None
            and disbursed is not None
            and disbursed > ordinance
            and not data.get("confirm_overspend")
        ):
            self.add_error(
                "disbursed",
                _("ยอดเบิกจ่ายมากกว่างบประมาณตามข้อบัญญัติ/เทศบัญญัติ ถ้าถูกต้องให้ทำเครื่องหมายยืนยันแล้วบันทึกอีกครั้ง"),
            )
        return data

    def report_data(self) -> ReportData:
        data = self.cleaned_data
        results: list[Decimal | None] = [data.get(name) for name in self.result_names]
        return ReportData(
            status=data.get("status") or "",
            ordinance_budget=data.get("ordinance_budget"),
            disbursed=data.get("disbursed"),
            included=bool(data.get("included")),
            reason=data.get("reason") or "",
            reason_text=data.get("reason_text") or "",
            quarters=set(data.get("quarters") or []),
            remark=data.get("remark") or "",
            narrative=data.get("narrative") or "",
            results=results,
            out_of_scope=bool(data.get("out_of_scope")),
        )


class ImportForm(forms.Form):
    file = UploadField(label=_("ไฟล์ Excel (.xlsx) ที่ส่งออกจากรอบนี้"))


EvidenceForm = evidence.form_class(_("เผยแพร่ต่อสาธารณะเมื่อประกาศรายงาน"))
