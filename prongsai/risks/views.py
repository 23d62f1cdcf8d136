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
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from prongsai.complaints.statistics import citable, counts_by_area
from prongsai.lib import evidence, xlsx
from prongsai.lib.http import AuthenticatedHttpRequest
from prongsai.lib.thai import thai_date
from prongsai.lib.uploads import files_of
from prongsai.organizations.access import Access, Permission, get_access
from prongsai.organizations.models import Organization
from prongsai.plans.models import Plan, PlanItem, PlanStatus
from prongsai.plans.published import current_revisions
from prongsai.reports.rules import rules
from prongsai.risks import actions, charts, document, plan_text, spreadsheet
from prongsai.risks.forms import (
    CiteComplaintsForm,
    EvidenceForm,
    ImportForm,
    MeasureForm,
    MonitoringForm,
    OpenRoundForm,
    RegisterForm,
    RiskForm,
)
from prongsai.risks.method import Method
from prongsai.risks.models import (
    Measure,
    MeasureReport,
    MonitoringEvidence,
    MonitoringRound,
    Risk,
    RiskRegister,
    RiskReview,
)
from prongsai.risks.proposal import ita_proposal

View = Callable[..., HttpResponse]


# --- Access helpers --------------------------------------------------------------------------------


def _get_register(
    request: AuthenticatedHttpRequest, org: str, year: int, *needed: Permission, revision: int | None = None
) -> tuple[Access, RiskRegister]:
    """The year's newest revision (the one being worked on), or revision ``revision``."""
    access = get_access(request.user, org, *needed)
    registers = RiskRegister.objects.filter(organization=access.organization, fiscal_year=year)
    if revision is not None:
        registers = registers.filter(revision=revision)
    register = registers.select_related("approved_by", "published_by").order_by("-revision").first()
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


def revision_url(register: RiskRegister) -> str:
    return reverse(
        "risk_register_revision",
        kwargs={"org": register.organization.slug, "year": register.fiscal_year, "rev": register.revision},
    )


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
    registers = list(
        RiskRegister.objects.filter(organization=access.organization).order_by("-fiscal_year", "-revision")
    )
    newest: dict[int, RiskRegister] = {}
    for r in registers:
        newest.setdefault(r.fiscal_year, r)  # the list shows each year once, at its newest revision
    registers = list(newest.values())
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
    reported: bool  # a monitoring round, or (a plan item) a progress report of the year, says what was done


class Row:
    """One risk as the register page shows it: its area, its measures with their plan items and flags."""

    def __init__(
        self,
        risk: Risk,
        measures: list[Measure],
        items: dict[tuple[str, Any], PlanItem],
        year: int,
        reported: set[Any] | None = None,
    ) -> None:
        today = timezone.localdate()
        area = risk.register.method.area(risk.area)
        self.risk = risk
        self.area_title = area.title if area is not None else risk.area
        self.measures = []
        for measure in measures:
            item = items.get((measure.plan_slug, measure.item_uid))
            budget = actions.item_budget(item, year) if item is not None else None
            done = reported is not None and (
                measure.pk in reported
                or measure.source_id in reported  # reported in a round of the revision it was copied from
                or (measure.plan_slug, measure.item_uid) in reported
            )
            self.measures.append(MeasureRow(measure, item, budget, measure.is_overdue(today), done))
        self.no_measure = not measures
        self.overdue = any(m.overdue for m in self.measures)
        self.unreported = sum(not m.reported for m in self.measures)
        self.ita_name = risk.ita_indicator  # the ITA index's name, once the page knows it


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
    reported = _reported(register, measures)
    return [Row(risk, list(risk.measures.all()), items, register.fiscal_year, reported) for risk in risks]


def _reported(register: RiskRegister, measures: list[Measure]) -> set[Any]:
    """Measures with a report: ids reported in a monitoring round, and (plan slug, item uid) of the
    items with a progress report in the register's fiscal year (reports app, two queries)."""
    from prongsai.reports.models import ItemReport

    found: set[Any] = set(
        MeasureReport.objects.filter(
            round__register__organization=register.organization,
            round__register__fiscal_year=register.fiscal_year,
        )
        .exclude(status="")
        .values_list("measure_id", flat=True)
    )
    uids = {m.item_uid for m in measures if m.item_uid is not None}
    if uids:
        found |= set(
            ItemReport.objects.filter(
                round__organization=register.organization,
                round__fiscal_year=register.fiscal_year,
                item_uid__in=uids,
            )
            .exclude(status="")
            .values_list("round__plan_slug", "item_uid")
        )
    return found


@require_GET
def register_detail(request: AuthenticatedHttpRequest, org: str, year: int) -> HttpResponse:
    """The year's newest revision: the draft being prepared, or the latest approved or published."""
    access, register = _get_register(request, org, year)
    return _register_page(request, access, register)


@require_GET
def register_revision(request: AuthenticatedHttpRequest, org: str, year: int, rev: int) -> HttpResponse:
    """One revision of the year, as it is (an earlier one is read-only: only the newest can be a draft)."""
    access, register = _get_register(request, org, year, revision=rev)
    return _register_page(request, access, register)


def year_rounds(register: RiskRegister) -> list[MonitoringRound]:
    """The year's monitoring rounds, each on the revision it was opened on."""
    rounds = list(
        MonitoringRound.objects.filter(
            register__organization=register.organization, register__fiscal_year=register.fiscal_year
        )
        .select_related("register")
        .order_by("months")
    )
    for report_round in rounds:
        report_round.register.organization = register.organization
    return rounds


def _complaint_areas(organization: Organization, year: int, method: Method) -> list[tuple[str, int]]:
    """Each area of the method with the number of the year's complaints tagged with it (zeros included)."""
    counts = counts_by_area(organization, year)
    return [(area.title, counts.get(area.key, 0)) for area in method.areas]


def _register_page(request: AuthenticatedHttpRequest, access: Access, register: RiskRegister) -> HttpResponse:
    year = register.fiscal_year
    revisions = list(
        RiskRegister.objects.filter(organization=access.organization, fiscal_year=year)
        .order_by("revision")
        .values_list("revision", "status")
    )
    newest = revisions[-1][0]
    is_newest = register.revision == newest
    published_now = max((n for n, status in revisions if status == "published"), default=None)
    rows = _rows(register)
    method = register.method
    risks = [row.risk for row in rows]
    rounds = year_rounds(register)
    proposal = ita_proposal(access.organization, method)
    ita_names = {}
    if proposal is not None:
        ita_names = {p.part.key: p.part.name_th for p in proposal.assessment.result().parts}
    for row in rows:
        row.ita_name = ita_names.get(row.risk.ita_indicator, row.risk.ita_indicator)
    draft_plans = (
        list(Plan.objects.filter(organization=access.organization, status=PlanStatus.DRAFT).order_by("slug"))
        if access.may_edit_plans and register.status != "draft"
        else []
    )
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
            "area_chart": charts.area_chart(method, ((r.area, r.likelihood, r.impact) for r in risks)),
            # Complaint themes feeding the assessment: how many of the year's complaints an officer tagged
            # with each area (counts only; the cases stay with the complaints officers).
            "complaint_areas": _complaint_areas(access.organization, year, method),
            "rounds": rounds,
            "round_form": (
                OpenRoundForm(initial={"months": 12 if rounds else 6})
                if access.may_edit_risks and published_now is not None and len(rounds) < 2
                else None
            ),
            "round_revision": published_now,
            "revisions": revisions,
            "is_newest": is_newest,
            "public_revision": published_now,
            "can_edit": is_newest and register.is_editable and access.may_edit_risks,
            "can_approve": is_newest and access.may_approve_risks,
            "can_revise": is_newest and register.status == "published" and access.may_edit_risks,
            "can_import": is_newest and register.status != "approved" and access.may_edit_risks,
            "proposal": proposal,
            "proposed_keys": {a.key for a in proposal.areas} if proposal else set(),
            "factor_lines": plan_text.risk_factor_lines(register) if draft_plans else [],
            "draft_plans": draft_plans,
            "unreported": sum(row.unreported for row in rows) if register.status == "published" else 0,
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


def risk_complaints(request: AuthenticatedHttpRequest, org: str, year: int, risk_id: int) -> HttpResponse:
    """Cite the complaints of the year that feed this risk's assessment: their references, dates and
    risk areas are listed (what the risk register's counts already say), never what they contain."""
    access, register, risk = _get_risk(request, org, year, risk_id, Permission.RISK_EDIT)
    if not register.is_editable:
        raise Http404
    method = register.method
    cases = citable(register.organization, register.fiscal_year)
    listed = {c.reference for c in cases}
    # A reference cited earlier whose case is of another year (or was destroyed) stays choosable.
    extra = [ref for ref in risk.complaint_refs if ref not in listed]

    def label(case: Any) -> str:
        area = method.area(case.risk_area) if case.risk_area else None
        parts = [case.reference, thai_date(case.received_on, "thai")]
        parts.append(str(area.title) if area is not None else str(_("ยังไม่ระบุด้าน")))
        return " · ".join(parts)

    choices = [(c.reference, label(c)) for c in cases] + [(ref, ref) for ref in extra]
    initial = {"complaint_refs": list(risk.complaint_refs), "version": risk.version}
    form = CiteComplaintsForm(request.POST or None, choices=choices, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.cite_complaints(
                    access,
                    risk,
                    form.cleaned_data["complaint_refs"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("บันทึกเรื่องร้องเรียนที่อ้างอิงแล้ว"))
                return redirect(register_url(register) + f"#risk-{risk.pk}")
    elif request.method != "GET":
        return HttpResponse(status=405)
    same_area = sum(1 for c in cases if c.risk_area == risk.area)
    risk_area = method.area(risk.area)
    return render(
        request,
        "risks/risk_complaints.html",
        {
            "access": access,
            "organization": access.organization,
            "register": register,
            "risk": risk,
            "form": form,
            "cases": cases,
            "same_area": same_area,
            "area_title": risk_area.title if risk_area is not None else risk.area,
            "digits": "thai",
        },
    )


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


def _confirm(
    request: AuthenticatedHttpRequest,
    access: Access,
    register: RiskRegister,
    *,
    question: StrOrPromise,
    consequence: StrOrPromise,
    button: StrOrPromise,
) -> HttpResponse:
    return render(
        request,
        "risks/confirm.html",
        {
            "access": access,
            "organization": access.organization,
            "register": register,
            "question": question,
            "consequence": consequence,
            "button": button,
        },
    )


@require_http_methods(["GET", "POST"])
def register_revise(request: AuthenticatedHttpRequest, org: str, year: int) -> HttpResponse:
    """ปรับปรุงทะเบียน: a GET asks for confirmation saying what will happen, a POST opens the revision."""
    access, register = _get_register(request, org, year, Permission.RISK_EDIT)
    if request.method == "GET":
        if register.status != "published":
            raise Http404
        return _confirm(
            request,
            access,
            register,
            question=_("ปรับปรุงทะเบียนความเสี่ยงเป็นฉบับที่ %(revision)s?") % {"revision": register.revision + 1},
            consequence=_(
                "ระบบจะคัดลอกความเสี่ยงและมาตรการของฉบับที่ %(revision)s เป็นฉบับร่างใหม่ให้แก้ไข "
                "ฉบับที่ประกาศแล้วยังคงเผยแพร่อยู่โดยไม่เปลี่ยนแปลงจนกว่าฉบับใหม่จะอนุมัติและประกาศ "
                "การติดตามผลที่เปิดไว้แล้วยังอยู่กับฉบับเดิม"
            )
            % {"revision": register.revision},
            button=_("ปรับปรุงทะเบียน (ฉบับที่ %(revision)s)") % {"revision": register.revision + 1},
        )
    try:
        new = actions.revise_register(access, register)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(register_url(register))
    messages.success(
        request,
        _("เปิดฉบับที่ %(revision)s เป็นฉบับร่างแล้ว แก้ไขแล้วเสนอผู้อนุมัติเพื่ออนุมัติและประกาศ") % {"revision": new.revision},
    )
    return redirect(register_url(new))


register_approve = _workflow(actions.approve_register, gettext_lazy("อนุมัติทะเบียนความเสี่ยงแล้ว"))
register_return = _workflow(actions.return_register, gettext_lazy("ส่งทะเบียนความเสี่ยงกลับเป็นฉบับร่างแล้ว"))
register_publish = _workflow(actions.publish_register, gettext_lazy("ประกาศทะเบียนความเสี่ยงแล้ว"))


# --- Spreadsheets ----------------------------------------------------------------------------------

EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@require_GET
def register_export(
    request: AuthenticatedHttpRequest, org: str, year: int, fmt: str, rev: int | None = None
) -> HttpResponse:
    _access, register = _get_register(request, org, year, revision=rev)
    if fmt not in EXPORT_TYPES:
        raise Http404
    if fmt == "xlsx":
        body = spreadsheet.export_xlsx(register)
    elif fmt == "pdf":
        body = document.register_pdf(register)
    elif fmt == "docx":
        body = document.register_docx(register)
    else:
        body = spreadsheet.dumps(spreadsheet.register_json(register)).encode("utf-8")
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="risks-{register.organization.slug}-{year}-r{register.revision}.{fmt}"'
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
    # A row names a risk of the revision the file came from (the import finds its copy in the draft).
    risks = {
        r.pk: r
        for r in Risk.objects.filter(
            register__organization=register.organization, register__fiscal_year=register.fiscal_year
        )
    }
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
    context: dict[str, Any] = {
        "access": access,
        "organization": access.organization,
        "register": register,
        "next_revision": register.revision + 1 if register.status == "published" else None,
    }
    if request.method == "POST" and "confirm" in request.POST:
        try:
            payload = _signer(register).unsign_object(request.POST["confirm"], max_age=3600)
            written, count = actions.import_into_year(
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
        if written.pk != register.pk:
            messages.success(
                request,
                _("เปิดฉบับที่ %(revision)s เป็นฉบับร่างและนำเข้าในฉบับนั้นแล้ว อนุมัติและประกาศเพื่อให้แทนฉบับที่ประกาศอยู่")
                % {"revision": written.revision},
            )
        return redirect(register_url(written))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if register.status == "approved":
                raise xlsx.SpreadsheetRefused([_("ทะเบียนนี้อนุมัติแล้ว จึงนำเข้าไม่ได้ ให้ผู้อนุมัติส่งกลับเป็นฉบับร่างก่อน")])
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


# --- Monitoring rounds -----------------------------------------------------------------------------


def _get_round(
    request: AuthenticatedHttpRequest, org: str, year: int, months: int, *needed: Permission
) -> tuple[Access, RiskRegister, MonitoringRound]:
    access = get_access(request.user, org, *needed)
    # A round stays on the revision it was opened on; a year has at most one round of each length.
    report_round = (
        MonitoringRound.objects.filter(
            register__organization=access.organization, register__fiscal_year=year, months=months
        )
        .select_related("register__approved_by", "register__published_by", "approved_by", "published_by")
        .first()
    )
    if report_round is None:
        raise Http404
    register = report_round.register
    register.organization = access.organization
    return access, register, report_round


def round_url(report_round: MonitoringRound) -> str:
    register = report_round.register
    return reverse(
        "risk_round",
        kwargs={
            "org": register.organization.slug,
            "year": register.fiscal_year,
            "months": report_round.months,
        },
    )


@require_POST
def round_open(request: AuthenticatedHttpRequest, org: str, year: int) -> HttpResponse:
    """Open a round on the year's newest published revision (a draft revision being prepared is not it)."""
    access, register = _get_register(request, org, year, Permission.RISK_EDIT)
    published_now = actions.latest_published(access.organization, year)
    if published_now is not None:
        register = published_now
    form = OpenRoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("รอบการติดตามต้องเป็น ๖ หรือ ๑๒ เดือน"))
        return redirect(register_url(register))
    try:
        report_round = actions.open_round(access, register, form.cleaned_data["months"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(register_url(register))
    messages.success(request, _("เปิดการติดตามผลแล้ว"))
    return redirect(round_url(report_round))


@dataclass(frozen=True)
class RoundRow:
    risk: Risk
    review: RiskReview
    reports: list[MeasureReport]


def round_rows(report_round: MonitoringRound, public_only: bool = False) -> list[RoundRow]:
    """Each risk of the round with its re-assessment and its measures' reports (and their evidence)."""
    register = report_round.register
    reviews = {r.risk_id: r for r in report_round.reviews.all()}
    evidence = MonitoringEvidence.objects.filter(report__round=report_round)
    if public_only:
        evidence = evidence.filter(is_public=True)
    reports = list(
        report_round.reports.select_related("measure").prefetch_related(Prefetch("evidence", evidence))
    )
    rows = []
    for risk in register.risks.all():
        risk.register = register
        review = reviews.get(risk.pk)
        if review is None:
            continue
        review.round = report_round
        review.risk = risk
        mine = [r for r in reports if r.measure.risk_id == risk.pk]
        for r in mine:
            r.round = report_round
        rows.append(RoundRow(risk, review, mine))
    return rows


@require_GET
def round_detail(request: AuthenticatedHttpRequest, org: str, year: int, months: int) -> HttpResponse:
    access, register, report_round = _get_round(request, org, year, months)
    rows = round_rows(report_round)
    method = register.method
    reviewed = [
        (row.review.likelihood, row.review.impact)
        for row in rows
        if row.review.likelihood is not None and row.review.impact is not None
    ]
    rule = rules().rounds[months]
    start, end = rule.period(year)
    editable = report_round.is_editable and access.may_edit_risks
    if editable:
        for row in rows:
            for report in row.reports:
                report.evidence_form = EvidenceForm(auto_id=f"ev{report.pk}-%s")  # type: ignore[attr-defined]
    return render(
        request,
        "risks/round.html",
        {
            "access": access,
            "organization": access.organization,
            "register": register,
            "round": report_round,
            "rule": rule,
            "period": (start, end),
            "rows": rows,
            "method": method,
            "reviewed_map": charts.heat_map(_("ประเมินซ้ำในรอบนี้"), method, reviewed),
            "waiting": sum(1 for row in rows for r in row.reports if not r.status),
            "editable": editable,
            "digits": "thai",
        },
    )


def round_edit(
    request: AuthenticatedHttpRequest, org: str, year: int, months: int, risk_id: int
) -> HttpResponse:
    access, register, report_round = _get_round(request, org, year, months, Permission.RISK_EDIT)
    if not report_round.is_editable:
        raise Http404
    review = report_round.reviews.select_related("risk").filter(risk_id=risk_id).first()
    if review is None:
        raise Http404
    review.round = report_round
    review.risk.register = register
    reports = list(report_round.reports.select_related("measure").filter(measure__risk_id=risk_id))
    form = MonitoringForm(
        request.POST or None,
        method=register.method,
        reports=reports,
        initial=MonitoringForm.initial_for(review, reports),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.save_monitoring(
                    access,
                    review,
                    form.cleaned_data["likelihood"],
                    form.cleaned_data["impact"],
                    form.report_data(),
                    versions=form.versions(),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("บันทึกผลการติดตามแล้ว"))
                return redirect(round_url(report_round) + f"#risk-{risk_id}")
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "risks/round_form.html",
        {
            "access": access,
            "organization": access.organization,
            "register": register,
            "round": report_round,
            "risk": review.risk,
            "form": form,
            "digits": "thai",
        },
    )


def _round_workflow(operation: Callable[[Any, MonitoringRound], MonitoringRound], done: StrOrPromise) -> View:
    @require_POST
    def view(request: AuthenticatedHttpRequest, org: str, year: int, months: int) -> HttpResponse:
        access, _register, report_round = _get_round(request, org, year, months, Permission.RISK_APPROVE)
        try:
            operation(access, report_round)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return redirect(round_url(report_round))

    return view


round_approve = _round_workflow(actions.approve_round, gettext_lazy("อนุมัติผลการติดตามแล้ว"))
round_return = _round_workflow(actions.return_round, gettext_lazy("ส่งผลการติดตามกลับเป็นฉบับร่างแล้ว"))
round_publish = _round_workflow(actions.publish_round, gettext_lazy("ประกาศผลการติดตามแล้ว"))


@require_POST
def evidence_add(
    request: AuthenticatedHttpRequest, org: str, year: int, months: int, report_id: int
) -> HttpResponse:
    access, _register, report_round = _get_round(request, org, year, months, Permission.RISK_EDIT)
    report = report_round.reports.select_related("measure").filter(pk=report_id).first()
    if report is None:
        raise Http404
    report.round = report_round
    evidence.add_from_form(
        request,
        EvidenceForm,
        lambda name, data, public: actions.add_evidence(access, report, name, data, public=public),
    )
    return redirect(round_url(report_round) + f"#measure-{report.pk}")


def _get_evidence(
    request: AuthenticatedHttpRequest, org: str, year: int, months: int, evidence_id: int, *needed: Permission
) -> tuple[Access, MonitoringRound, MonitoringEvidence]:
    access, _register, report_round = _get_round(request, org, year, months, *needed)
    item = (
        MonitoringEvidence.objects.filter(pk=evidence_id, report__round=report_round)
        .select_related("report__measure")
        .first()
    )
    if item is None:
        raise Http404
    item.report.round = report_round
    return access, report_round, item


@require_GET
def evidence_file(
    request: AuthenticatedHttpRequest, org: str, year: int, months: int, evidence_id: int
) -> FileResponse:
    """To members of the organisation only; the public copy goes through the portal once published."""
    _access, _round, item = _get_evidence(request, org, year, months, evidence_id)
    return evidence.serve(item)


@require_POST
def evidence_delete(
    request: AuthenticatedHttpRequest, org: str, year: int, months: int, evidence_id: int
) -> HttpResponse:
    access, report_round, item = _get_evidence(request, org, year, months, evidence_id, Permission.RISK_EDIT)
    report_pk = item.report_id
    evidence.remove_with_message(request, lambda: actions.remove_evidence(access, item))
    return redirect(round_url(report_round) + f"#measure-{report_pk}")


@require_GET
def round_document(
    request: AuthenticatedHttpRequest, org: str, year: int, months: int, fmt: str
) -> HttpResponse:
    """The round's monitoring report as PDF or Word, to members (the public copy is on the portal)."""
    _access, register, report_round = _get_round(request, org, year, months)
    if fmt not in ("pdf", "docx"):
        raise Http404
    body = document.round_pdf(report_round) if fmt == "pdf" else document.round_docx(report_round)
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="risks-{register.organization.slug}-{year}-{months}.{fmt}"'
    )
    return response


@require_POST
def plan_insert(request: AuthenticatedHttpRequest, org: str, year: int) -> HttpResponse:
    """Put the chosen risks into a draft plan's Part 1 risk factors (the plan's own action, all or none)."""
    access, register = _get_register(request, org, year, Permission.EDIT_PLAN)
    plan = (
        Plan.objects.filter(organization=access.organization, slug=request.POST.get("plan", ""))
        .order_by("-revision")
        .first()
    )
    try:
        if plan is None:
            raise ValidationError(_("กรุณาเลือกแผนฉบับร่าง"))
        ids = [int(v) for v in request.POST.getlist("risk") if v.isdigit()]
        count = actions.insert_risk_factors(access, register, plan, ids)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(register_url(register) + "#plan-text")
    messages.success(request, _("เพิ่มปัจจัยเสี่ยง %(count)s รายการในส่วนที่ ๑ ของแผนแล้ว") % {"count": count})
    return redirect(reverse("part1_edit", kwargs={"org": org, "plan": plan.slug, "section": "risk_factors"}))
