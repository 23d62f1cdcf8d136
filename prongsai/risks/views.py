"""Risk pages below /o/<org>/risks/. Tenant data only through ``get_access``; writes only through actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_stubs_ext import StrOrPromise

from prongsai.lib import xlsx
from prongsai.lib.http import AuthenticatedHttpRequest
from prongsai.lib.uploads import files_of
from prongsai.organizations.access import Access, Permission, get_access
from prongsai.plans.models import Plan, PlanItem
from prongsai.plans.published import current_revisions
from prongsai.risks import actions, charts, spreadsheet
from prongsai.risks.forms import ImportForm, MeasureForm, RegisterForm, RiskForm
from prongsai.risks.models import Measure, Risk, RiskRegister

View = Callable[..., HttpResponse]


# --- Access helpers --------------------------------------------------------------------------------


def _get_register(
    request: AuthenticatedHttpRequest, org: str, year: int, *needed: Permission
) -> tuple[Access, RiskRegister]:
    access = get_access(request.user, org, *needed)
    register = (
        RiskRegister.objects.filter(organization=access.organization, fiscal_year=year)
        .select_related("approved_by", "published_by")
        .first()
    )
    if register is None:
        raise Http404
    register.organization = access.organization
    return access, register


def _get_risk(
    request: AuthenticatedHttpRequest, org: str, year: int, risk_id: int, *needed: Permission
) -> tuple[Access, RiskRegister, Risk]:
    access, register = _get_register(request, org, year, *needed)
    risk = register.risks.filter(pk=risk_id).first()
    if risk is None:
        raise Http404
    risk.register = register
    return access, register, risk


def _get_measure(
    request: AuthenticatedHttpRequest, org: str, year: int, risk_id: int, measure_id: int, *needed: Permission
) -> tuple[Access, RiskRegister, Risk, Measure]:
    access, register, risk = _get_risk(request, org, year, risk_id, *needed)
    measure = risk.measures.filter(pk=measure_id).first()
    if measure is None:
        raise Http404
    measure.risk = risk
    return access, register, risk, measure


def register_url(register: RiskRegister) -> str:
    return reverse("risk_register", kwargs={"org": register.organization.slug, "year": register.fiscal_year})


def _apply_errors(form: Any, error: ValidationError) -> None:
    if isinstance(error, actions.StaleEdit):
        data = form.data.copy()
        data["version"] = str(error.current_version)
        form.data = data
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _published_plans(access: Access) -> list[Plan]:
    plans = list(current_revisions(access.organization).prefetch_related("items"))
    return plans


# --- Registers -------------------------------------------------------------------------------------


def register_list(request: AuthenticatedHttpRequest, org: str) -> HttpResponse:
    access = get_access(request.user, org)
    form = RegisterForm(request.POST or None) if access.may_edit_risks else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                register = actions.create_register(
                    access, access.organization, form.cleaned_data["fiscal_year"]
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("เปิดทะเบียนความเสี่ยงแล้ว"))
                return redirect(register_url(register))
    elif request.method != "GET":
        return HttpResponse(status=405)
    registers = RiskRegister.objects.filter(organization=access.organization).order_by("-fiscal_year")
    return render(
        request,
        "risks/register_list.html",
        {"access": access, "organization": access.organization, "registers": registers, "form": form},
    )


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    item: PlanItem | None  # the linked item in the current published revision; None: standalone or gone
    budget: Decimal | None  # the item's budget in the register's year
    overdue: bool


class Row:
    """One risk as the register page shows it: its area, its measures with their plan items and flags."""

    def __init__(
        self, risk: Risk, measures: list[Measure], items: dict[tuple[str, Any], PlanItem], year: int
    ) -> None:
        today = timezone.localdate()
        area = risk.register.method.area(risk.area)
        self.risk = risk
        self.area_title = area.title if area is not None else risk.area
        self.measures = []
        for measure in measures:
            item = items.get((measure.plan_slug, measure.item_uid))
            budget = actions.item_budget(item, year) if item is not None else None
            self.measures.append(MeasureRow(measure, item, budget, measure.is_overdue(today)))
        self.no_measure = not measures
        self.overdue = any(m.overdue for m in self.measures)


def _rows(register: RiskRegister) -> list[Row]:
    risks = list(register.risks.prefetch_related("measures"))
    for risk in risks:
        risk.register = register
    measures = [m for r in risks for m in r.measures.all()]
    slugs = {m.plan_slug for m in measures if m.plan_slug}
    items: dict[tuple[str, Any], PlanItem] = {}
    if slugs:
        plans = current_revisions(register.organization).filter(slug__in=slugs)
        for item in (
            PlanItem.objects.filter(plan__in=plans).select_related("plan").prefetch_related("budgets")
        ):
            items[(item.plan.slug, item.uid)] = item
    return [Row(risk, list(risk.measures.all()), items, register.fiscal_year) for risk in risks]


@require_GET
def register_detail(request: AuthenticatedHttpRequest, org: str, year: int) -> HttpResponse:
    access, register = _get_register(request, org, year)
    rows = _rows(register)
    method = register.method
    risks = [row.risk for row in rows]
    return render(
        request,
        "risks/register.html",
        {
            "access": access,
            "organization": access.organization,
            "register": register,
            "method": method,
            "rows": rows,
            "current_map": charts.heat_map(
                _("ก่อนจัดการความเสี่ยง"), method, ((r.likelihood, r.impact) for r in risks)
            ),
            "residual_map": charts.heat_map(
                _("หลังจัดการความเสี่ยง (เป้าหมาย)"),
                method,
                ((r.residual_likelihood, r.residual_impact) for r in risks),
            ),
            "no_measure": sum(row.no_measure for row in rows),
            "overdue": sum(row.overdue for row in rows),
            "digits": "thai",
        },
    )


def _risk_form(
    request: AuthenticatedHttpRequest, access: Access, register: RiskRegister, risk: Risk | None
) -> HttpResponse:
    if not register.is_editable:
        raise Http404
    form = RiskForm(request.POST or None, method=register.method, initial=RiskForm.initial_for(risk))
    if request.method == "POST":
        if form.is_valid():
            try:
                if risk is None:
                    saved = actions.add_risk(access, register, form.risk_data())
                else:
                    saved = actions.update_risk(
                        access, risk, form.risk_data(), expected_version=form.cleaned_data["version"]
                    )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("บันทึกความเสี่ยงแล้ว"))
                return redirect(register_url(register) + f"#risk-{saved.pk}")
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "risks/risk_form.html",
        {
            "access": access,
            "organization": access.organization,
            "register": register,
            "risk": risk,
            "form": form,
            "method": register.method,
            "digits": "thai",
        },
    )


def risk_new(request: AuthenticatedHttpRequest, org: str, year: int) -> HttpResponse:
    access, register = _get_register(request, org, year, Permission.RISK_EDIT)
    return _risk_form(request, access, register, None)


def risk_edit(request: AuthenticatedHttpRequest, org: str, year: int, risk_id: int) -> HttpResponse:
    access, register, risk = _get_risk(request, org, year, risk_id, Permission.RISK_EDIT)
    return _risk_form(request, access, register, risk)


@require_POST
def risk_delete(request: AuthenticatedHttpRequest, org: str, year: int, risk_id: int) -> HttpResponse:
    access, register, risk = _get_risk(request, org, year, risk_id, Permission.RISK_EDIT)
    try:
        actions.remove_risk(access, risk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("ลบความเสี่ยงแล้ว"))
    return redirect(register_url(register))


def _measure_form(
    request: AuthenticatedHttpRequest,
    access: Access,
    register: RiskRegister,
    risk: Risk,
    measure: Measure | None,
) -> HttpResponse:
    if not register.is_editable:
        raise Http404
    form = MeasureForm(
        request.POST or None, plans=_published_plans(access), initial=MeasureForm.initial_for(measure)
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                if measure is None:
                    actions.add_measure(access, risk, form.measure_data())
                else:
                    actions.update_measure(
                        access, measure, form.measure_data(), expected_version=form.cleaned_data["version"]
                    )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("บันทึกมาตรการแล้ว"))
                return redirect(register_url(register) + f"#risk-{risk.pk}")
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "risks/measure_form.html",
        {
            "access": access,
            "organization": access.organization,
            "register": register,
            "risk": risk,
            "measure": measure,
            "form": form,
            "digits": "thai",
        },
    )


def measure_new(request: AuthenticatedHttpRequest, org: str, year: int, risk_id: int) -> HttpResponse:
    access, register, risk = _get_risk(request, org, year, risk_id, Permission.RISK_EDIT)
    return _measure_form(request, access, register, risk, None)


def measure_edit(
    request: AuthenticatedHttpRequest, org: str, year: int, risk_id: int, measure_id: int
) -> HttpResponse:
    access, register, risk, measure = _get_measure(
        request, org, year, risk_id, measure_id, Permission.RISK_EDIT
    )
    return _measure_form(request, access, register, risk, measure)


@require_POST
def measure_delete(
    request: AuthenticatedHttpRequest, org: str, year: int, risk_id: int, measure_id: int
) -> HttpResponse:
    access, register, _risk, measure = _get_measure(
        request, org, year, risk_id, measure_id, Permission.RISK_EDIT
    )
    try:
        actions.remove_measure(access, measure)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("ลบมาตรการแล้ว"))
    return redirect(register_url(register))


# --- Workflow --------------------------------------------------------------------------------------


def _workflow(operation: Callable[[Any, RiskRegister], RiskRegister], done: StrOrPromise) -> View:
    @require_POST
    def view(request: AuthenticatedHttpRequest, org: str, year: int) -> HttpResponse:
        access, register = _get_register(request, org, year, Permission.RISK_APPROVE)
        try:
            operation(access, register)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return redirect(register_url(register))

    return view


register_approve = _workflow(actions.approve_register, gettext_lazy("อนุมัติทะเบียนความเสี่ยงแล้ว"))
register_return = _workflow(actions.return_register, gettext_lazy("ส่งทะเบียนความเสี่ยงกลับเป็นฉบับร่างแล้ว"))
register_publish = _workflow(actions.publish_register, gettext_lazy("ประกาศทะเบียนความเสี่ยงแล้ว"))


# --- Spreadsheets ----------------------------------------------------------------------------------

EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@require_GET
def register_export(request: AuthenticatedHttpRequest, org: str, year: int, fmt: str) -> HttpResponse:
    _access, register = _get_register(request, org, year)
    if fmt not in EXPORT_TYPES:
        raise Http404
    if fmt == "xlsx":
        body = spreadsheet.export_xlsx(register)
    else:
        body = spreadsheet.dumps(spreadsheet.register_json(register)).encode("utf-8")
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="risks-{register.organization.slug}-{year}.{fmt}"'
    )
    return response


def _signer(register: RiskRegister) -> signing.TimestampSigner:
    """Signs a checked file's rows for the confirming POST; any save to the register since voids it."""
    versions = ",".join(f"{pk}:{v}" for pk, v in register.risks.order_by("pk").values_list("pk", "version"))
    return signing.TimestampSigner(salt=f"risks.import:{register.pk}:{register.version}:{versions}")


def _encode(rows: list[tuple[Risk | None, actions.RiskData]]) -> list[Any]:
    return [
        [
            None if risk is None else risk.pk,
            {**asdict(data), "due_date": data.due_date and data.due_date.isoformat()},
        ]
        for risk, data in rows
    ]


def _decode(register: RiskRegister, payload: list[Any]) -> list[tuple[Risk | None, actions.RiskData]]:
    risks = {r.pk: r for r in register.risks.all()}
    rows: list[tuple[Risk | None, actions.RiskData]] = []
    for pk, values in payload:
        due = values.pop("due_date")
        data = actions.RiskData(**values, due_date=dt.date.fromisoformat(due) if due else None)
        rows.append((None if pk is None else risks.get(pk), data))
    return rows


def register_import(request: AuthenticatedHttpRequest, org: str, year: int) -> HttpResponse:
    """Upload the register's XLSX, see what it adds and changes, then save it all at once (or nothing)."""
    access, register = _get_register(request, org, year, Permission.RISK_EDIT)
    form = ImportForm(request.POST or None, files_of(request) if request.method == "POST" else None)
    context: dict[str, Any] = {"access": access, "organization": access.organization, "register": register}
    if request.method == "POST" and "confirm" in request.POST:
        try:
            payload = _signer(register).unsign_object(request.POST["confirm"], max_age=3600)
            count = actions.import_risks(
                access, register, _decode(register, payload), request.POST.get("file_name", "")
            )
        except signing.BadSignature:
            messages.error(request, _("การตรวจดูไฟล์หมดอายุหรือทะเบียนเปลี่ยนไปแล้ว โปรดอัปโหลดไฟล์อีกครั้ง"))
            return redirect(reverse("risk_import", kwargs={"org": org, "year": year}))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(reverse("risk_import", kwargs={"org": org, "year": year}))
        messages.success(request, _("นำเข้าความเสี่ยง %(count)s รายการแล้ว") % {"count": count})
        return redirect(register_url(register))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if not register.is_editable:
                raise xlsx.SpreadsheetRefused([_("ทะเบียนนี้อนุมัติหรือประกาศแล้ว จึงนำเข้าไม่ได้")])
            parsed = spreadsheet.read_xlsx(upload.read(xlsx.MAX_BYTES + 1), register)
        except xlsx.SpreadsheetRefused as refused:
            context["problems"] = refused.problems
        else:
            context["added"] = parsed.added
            context["changed"] = [
                risk.event
                for risk, data in parsed.rows
                if risk is not None and actions.RiskData.of(risk) != data
            ]
            context["confirm"] = _signer(register).sign_object(_encode(parsed.rows))
            context["file_name"] = upload.name
    elif request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    context["form"] = form
    return render(request, "risks/import.html", context)
