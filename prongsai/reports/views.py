"""Report pages below /o/<org>/reports/. Tenant data only through ``get_access``; writes only through actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_stubs_ext import StrOrPromise

from prongsai.audit.history import HistoryRow, plan_history_rows
from prongsai.lib import evidence, xlsx
from prongsai.lib.http import AuthenticatedHttpRequest
from prongsai.lib.uploads import files_of
from prongsai.organizations.access import Access, Permission, get_access
from prongsai.plans.published import current_revision, current_revisions
from prongsai.reports import actions, charts, document, spreadsheet
from prongsai.reports.actions import ReportData
from prongsai.reports.forms import EvidenceForm, ImportForm, OpenRoundForm, ReportForm
from prongsai.reports.models import Evidence, ItemReport, ReportRound
from prongsai.reports.progress import round_rows
from prongsai.reports.rules import rules
from prongsai.reports.scores import summarise

View = Callable[..., HttpResponse]


# --- Access helpers --------------------------------------------------------------------------------


def _get_round(
    request: AuthenticatedHttpRequest, org: str, plan: str, year: int, months: int, *needed: Permission
) -> tuple[Access, ReportRound]:
    access = get_access(request.user, org, *needed)
    report_round = (
        ReportRound.objects.filter(
            organization=access.organization, plan_slug=plan, fiscal_year=year, months=months
        )
        .select_related("plan", "approved_by", "published_by")
        .first()
    )
    if report_round is None:
        raise Http404
    report_round.organization = access.organization
    report_round.plan.organization = access.organization
    return access, report_round


def _get_report(
    request: AuthenticatedHttpRequest,
    org: str,
    plan: str,
    year: int,
    months: int,
    uid: UUID,
    *needed: Permission,
) -> tuple[Access, ReportRound, ItemReport]:
    access, report_round = _get_round(request, org, plan, year, months, *needed)
    report = report_round.reports.filter(item_uid=uid).first()
    if report is None:
        raise Http404
    report.round = report_round
    return access, report_round, report


def round_url(report_round: ReportRound, name: str = "report_round") -> str:
    return reverse(
        name,
        kwargs={
            "org": report_round.organization.slug,
            "plan": report_round.plan_slug,
            "year": report_round.fiscal_year,
            "months": report_round.months,
        },
    )


def _apply_errors(form: Any, error: ValidationError) -> None:
    if isinstance(error, actions.StaleReport):
        data = form.data.copy()
        data["version"] = str(error.current_version)
        form.data = data
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Rounds ----------------------------------------------------------------------------------------


@require_GET
def round_list(request: AuthenticatedHttpRequest, org: str) -> HttpResponse:
    access = get_access(request.user, org)
    waiting = Q(reports__status="", reports__out_of_scope=False)
    rounds = (
        ReportRound.objects.filter(organization=access.organization)
        .select_related("plan")
        .annotate(
            items=Count("reports", filter=Q(reports__out_of_scope=False)),
            waiting=Count("reports", filter=waiting),
        )
        .order_by("plan_slug", "-fiscal_year", "-months")
    )
    plans = list(current_revisions(access.organization))
    form = OpenRoundForm(plans=plans) if plans and access.may_edit_reports else None
    return render(
        request,
        "reports/round_list.html",
        {
            "access": access,
            "organization": access.organization,
            "rounds": rounds,
            "form": form,
            "rules": rules(),
            # Rounds whose due date the rules file marks "verify": shown as still to be checked.
            "verify_due": {months for months, rule in rules().rounds.items() if rule.due_verify},
        },
    )


@require_POST
def round_new(request: AuthenticatedHttpRequest, org: str) -> HttpResponse:
    access = get_access(request.user, org, Permission.EDIT_REPORT)
    plans = list(current_revisions(access.organization))
    form = OpenRoundForm(request.POST, plans=plans)
    if form.is_valid():
        try:
            report_round = actions.open_round(
                access,
                access.organization,
                form.cleaned_data["plan"],
                form.cleaned_data["fiscal_year"],
                form.cleaned_data["months"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("เปิดรอบรายงานผลแล้ว"))
            return redirect(round_url(report_round))
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
    return redirect("reports", org=org)


def _round_history(access: Access, report_round: ReportRound) -> list[HistoryRow]:
    if not access.may_read_history:
        return []
    wanted = actions.round_params(report_round)
    return [
        row
        for row in plan_history_rows(access.organization, report_round.plan_key)
        if row.entry.event.startswith("report.")
        and all(row.entry.params.get(k) == v for k, v in wanted.items())
    ]


@require_GET
def round_detail(
    request: AuthenticatedHttpRequest, org: str, plan: str, year: int, months: int
) -> HttpResponse:
    access, report_round = _get_round(request, org, plan, year, months)
    rows = round_rows(report_round, actions.completed_elsewhere(report_round))
    newest = current_revision(access.organization, report_round.plan_slug)
    summary = summarise(report_round)
    return render(
        request,
        "reports/round.html",
        {
            "access": access,
            "organization": access.organization,
            "round": report_round,
            "rule": rules().rounds[report_round.months],
            "rows": rows,
            "summary": summary,
            "missing_count": sum(1 for row in rows if row.missing),
            "newer_revision": newest if newest is not None and newest.pk != report_round.plan_id else None,
            "history": _round_history(access, report_round),
            "digits": report_round.plan.digits,
        },
    )


@require_GET
def round_summary(
    request: AuthenticatedHttpRequest, org: str, plan: str, year: int, months: int
) -> HttpResponse:
    access, report_round = _get_round(request, org, plan, year, months)
    summary = summarise(report_round)
    style = report_round.plan.digits
    return render(
        request,
        "reports/summary.html",
        {
            "access": access,
            "organization": access.organization,
            "round": report_round,
            "summary": summary,
            "status_chart": charts.status_chart(summary, style),
            "budget_chart": charts.budget_chart(summary, style),
            "bands": rules().bands[report_round.months],
            "digits": style,
        },
    )


# --- One item's report -----------------------------------------------------------------------------


def item_report(
    request: AuthenticatedHttpRequest, org: str, plan: str, year: int, months: int, uid: UUID
) -> HttpResponse:
    access, report_round, report = _get_report(request, org, plan, year, months, uid, Permission.EDIT_REPORT)
    item = actions.plan_item(report_round, report.item_uid)
    budget = None
    if item is not None:
        budget = next(
            (b.amount for b in item.budgets.all() if b.fiscal_year == report_round.fiscal_year), None
        )
    locked = report.item_uid in actions.completed_elsewhere(report_round)
    editable = report_round.is_editable and item is not None and not locked
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        report=report,
        has_budget=budget is not None,
        initial=ReportForm.initial_for(report),
    )
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            try:
                _saved, checked = actions.save_report(
                    access, report, form.report_data(), expected_version=form.cleaned_data["version"]
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("บันทึกผลการดำเนินงานแล้ว: %(title)s") % {"title": report.title[:80]})
                for warnings in checked.warnings.values():
                    for warning in warnings:
                        messages.warning(request, warning)
                return redirect(round_url(report_round) + f"#r-{report.item_uid}")
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "reports/item_form.html",
        {
            "access": access,
            "organization": access.organization,
            "round": report_round,
            "report": report,
            "item": item,
            "plan_budget": budget,
            "form": form,
            "editable": editable,
            "locked": locked,
            "digits": report_round.plan.digits,
            "evidence": list(report.evidence.all()),
            "evidence_form": EvidenceForm() if editable else None,
        },
    )


@require_GET
def item_report_view(
    request: AuthenticatedHttpRequest, org: str, plan: str, year: int, months: int, uid: UUID
) -> HttpResponse:
    """An item's report in the round, read-only, for everyone who may read the organisation's reports."""
    access, report_round, report = _get_report(request, org, plan, year, months, uid)
    item = actions.plan_item(report_round, report.item_uid)
    budget = None
    if item is not None:
        budget = next(
            (b.amount for b in item.budgets.all() if b.fiscal_year == report_round.fiscal_year), None
        )
    locked = report.item_uid in actions.completed_elsewhere(report_round)
    reason = rules().reason(report.reason) if report.reason else None
    return render(
        request,
        "reports/item_view.html",
        {
            "access": access,
            "organization": access.organization,
            "round": report_round,
            "report": report,
            "item": item,
            "plan_budget": budget,
            "reason": reason,
            "locked": locked,
            "may_edit": report_round.is_editable
            and item is not None
            and not locked
            and access.may_edit_reports,
            "digits": report_round.plan.digits,
            "evidence": list(report.evidence.all()),
        },
    )


# --- Workflow --------------------------------------------------------------------------------------


def _workflow(
    operation: Callable[[Any, ReportRound], ReportRound], needed: Permission, done: StrOrPromise
) -> View:
    @require_POST
    def view(request: AuthenticatedHttpRequest, org: str, plan: str, year: int, months: int) -> HttpResponse:
        access, report_round = _get_round(request, org, plan, year, months, needed)
        try:
            operation(access, report_round)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return redirect(round_url(report_round))

    return view


round_approve = _workflow(actions.approve_round, Permission.APPROVE_REPORT, gettext_lazy("อนุมัติรายงานผลแล้ว"))
round_return = _workflow(
    actions.return_round, Permission.APPROVE_REPORT, gettext_lazy("ส่งรายงานผลกลับเป็นฉบับร่างแล้ว")
)
round_publish = _workflow(actions.publish_round, Permission.APPROVE_REPORT, gettext_lazy("ประกาศรายงานผลแล้ว"))
round_retarget = _workflow(
    actions.retarget_round, Permission.EDIT_REPORT, gettext_lazy("รอบรายงานนี้รายงานตามแผนฉบับล่าสุดแล้ว")
)


# --- Spreadsheets ----------------------------------------------------------------------------------


@require_GET
def round_export(
    request: AuthenticatedHttpRequest, org: str, plan: str, year: int, months: int
) -> HttpResponse:
    _access, report_round = _get_round(request, org, plan, year, months)
    response = HttpResponse(
        spreadsheet.export_xlsx(report_round),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"report-{report_round.organization.slug}-{report_round.plan_slug}-{year}-{months}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@require_GET
def round_document(
    request: AuthenticatedHttpRequest, org: str, plan: str, year: int, months: int, fmt: str
) -> HttpResponse:
    """The report document of the round: laid out now (a draft carries the draft mark on every page), or
    for a published round's PDF the bytes stored when it was published."""
    _access, report_round = _get_round(request, org, plan, year, months)
    if fmt not in DOCUMENT_TYPES:
        raise Http404
    stored = actions.published_report_pdf(report_round) if fmt == "pdf" else None
    if stored is not None:
        data = stored  # a published round's PDF is the one stored when it was published
    elif fmt == "pdf":
        data = document.report_pdf(report_round)
    else:
        data = document.report_docx(report_round)
    response = HttpResponse(data, content_type=DOCUMENT_TYPES[fmt])
    name = f"report-{report_round.organization.slug}-{report_round.plan_slug}-{year}-{months}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _signer(report_round: ReportRound) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"reports.import.{report_round.pk}.{report_round.version}")


def _encode(rows: dict[UUID, ReportData]) -> dict[str, Any]:
    return {
        str(uid): {
            **asdict(data),
            "quarters": sorted(data.quarters),
            "ordinance_budget": None if data.ordinance_budget is None else str(data.ordinance_budget),
            "disbursed": None if data.disbursed is None else str(data.disbursed),
            "results": [None if r is None else str(r) for r in data.results],
        }
        for uid, data in rows.items()
    }


def _decode(payload: dict[str, Any]) -> dict[UUID, ReportData]:
    def number(value: Any) -> Decimal | None:
        return None if value is None else Decimal(value)

    return {
        UUID(uid): ReportData(
            **{
                **raw,
                "quarters": set(raw["quarters"]),
                "ordinance_budget": number(raw["ordinance_budget"]),
                "disbursed": number(raw["disbursed"]),
                "results": [number(r) for r in raw["results"]],
            }
        )
        for uid, raw in payload.items()
    }


def round_import(
    request: AuthenticatedHttpRequest, org: str, plan: str, year: int, months: int
) -> HttpResponse:
    """Upload the round's XLSX, see what it changes, then save it all at once (or nothing)."""
    access, report_round = _get_round(request, org, plan, year, months, Permission.EDIT_REPORT)
    form = ImportForm(request.POST or None, files_of(request) if request.method == "POST" else None)
    context: dict[str, Any] = {"access": access, "organization": access.organization, "round": report_round}
    if request.method == "POST" and "confirm" in request.POST:
        try:
            payload = _signer(report_round).unsign_object(request.POST["confirm"], max_age=3600)
            changed = actions.import_reports(
                access, report_round, _decode(payload), request.POST.get("file_name", "")
            )
        except signing.BadSignature:
            messages.error(request, _("การตรวจดูไฟล์หมดอายุหรือรอบรายงานเปลี่ยนไปแล้ว โปรดอัปโหลดไฟล์อีกครั้ง"))
            return redirect(round_url(report_round, "report_import"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(round_url(report_round, "report_import"))
        messages.success(request, _("นำเข้าผลการดำเนินงาน %(count)s รายการแล้ว") % {"count": len(changed)})
        return redirect(round_url(report_round))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if not report_round.is_editable:
                raise xlsx.SpreadsheetRefused([_("รอบรายงานนี้อนุมัติหรือประกาศแล้ว จึงนำเข้าไม่ได้")])
            parsed = spreadsheet.read_xlsx(upload.read(xlsx.MAX_BYTES + 1), report_round)
        except xlsx.SpreadsheetRefused as refused:
            context["problems"] = refused.problems
        else:
            context["changed_titles"] = parsed.changed_titles
            context["confirm"] = _signer(report_round).sign_object(_encode(parsed.rows))
            context["file_name"] = upload.name
    elif request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    context["form"] = form
    return render(request, "reports/import.html", context)


# --- Evidence --------------------------------------------------------------------------------------


def _item_anchor(report_round: ReportRound, report: ItemReport) -> str:
    return reverse(
        "report_item",
        kwargs={
            "org": report_round.organization.slug,
            "plan": report_round.plan_slug,
            "year": report_round.fiscal_year,
            "months": report_round.months,
            "uid": report.item_uid,
        },
    )


@require_POST
def evidence_add(
    request: AuthenticatedHttpRequest, org: str, plan: str, year: int, months: int, uid: UUID
) -> HttpResponse:
    access, report_round, report = _get_report(request, org, plan, year, months, uid, Permission.EDIT_REPORT)
    evidence.add_from_form(
        request,
        EvidenceForm,
        lambda name, data, public: actions.add_evidence(access, report, name, data, public=public),
    )
    return redirect(_item_anchor(report_round, report) + "#evidence")


def _get_evidence(
    request: AuthenticatedHttpRequest,
    org: str,
    plan: str,
    year: int,
    months: int,
    uid: UUID,
    evidence_id: int,
    *needed: Permission,
) -> tuple[Access, ReportRound, ItemReport, Evidence]:
    access, report_round, report = _get_report(request, org, plan, year, months, uid, *needed)
    item = report.evidence.filter(pk=evidence_id).first()
    if item is None:
        raise Http404
    item.report = report
    return access, report_round, report, item


@require_GET
def evidence_file(
    request: AuthenticatedHttpRequest,
    org: str,
    plan: str,
    year: int,
    months: int,
    uid: UUID,
    evidence_id: int,
) -> HttpResponseBase:
    """The file, to members of the organisation only (the public page will use the same helper)."""
    _access, _round, _report, item = _get_evidence(request, org, plan, year, months, uid, evidence_id)
    return evidence.serve(item)


@require_POST
def evidence_delete(
    request: AuthenticatedHttpRequest,
    org: str,
    plan: str,
    year: int,
    months: int,
    uid: UUID,
    evidence_id: int,
) -> HttpResponse:
    access, report_round, report, item = _get_evidence(
        request, org, plan, year, months, uid, evidence_id, Permission.EDIT_REPORT
    )
    evidence.remove_with_message(request, lambda: actions.remove_evidence(access, item))
    return redirect(_item_anchor(report_round, report) + "#evidence")
