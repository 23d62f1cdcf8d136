"""ITA pages of an organisation (below /o/<org>/ita/). Tenant data only through ``get_access``."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prongsai.ita import actions, catalog, charts, steer, survey_scores, tabular
from prongsai.ita.catalog import CHECKLIST_TOOL, SURVEY_TOOLS, ItaModel
from prongsai.ita.forms import AssessmentForm, ImportForm, ModelChoiceForm, OitForm, RoundForm
from prongsai.ita.models import Assessment, Source, SurveyLink, SurveyRound
from prongsai.ita.scoring import Result, compute
from prongsai.lib.thai import fiscal_year_of
from prongsai.lib.uploads import files_of
from prongsai.organizations.access import Access, Permission, get_access

MAX_PROBLEMS_SHOWN = 200


# --- Access helpers --------------------------------------------------------------------------------


def _get_assessment(
    user: AbstractBaseUser | AnonymousUser, org: str, assessment_id: int, *roles: Any
) -> tuple[Access, Assessment]:
    access = get_access(user, org, *roles)
    assessment = (
        Assessment.objects.filter(organization=access.organization, pk=assessment_id)
        .prefetch_related("scores")
        .first()
    )
    if assessment is None:
        raise Http404
    assessment.organization = access.organization
    return access, assessment


def _get_round(
    user: AbstractBaseUser | AnonymousUser, org: str, round_id: int, *roles: Any
) -> tuple[Access, SurveyRound]:
    access = get_access(user, org, *roles)
    survey_round = SurveyRound.objects.filter(organization=access.organization, pk=round_id).first()
    if survey_round is None:
        raise Http404
    survey_round.organization = access.organization
    return access, survey_round


def _actor(request: HttpRequest) -> User:
    """The signed-in user behind a write; views call it after ``get_access`` has refused outsiders."""
    if not isinstance(request.user, User):
        raise Http404
    return request.user


def _can_edit(access: Access) -> bool:
    return access.may_edit_ita


# --- Presentation ----------------------------------------------------------------------------------


def _pass_label(model: ItaModel) -> str:
    if model.pass_mark is None:
        return ""
    return _("เกณฑ์ผ่าน %(mark)s") % {"mark": f"{model.pass_mark:.0f}"}


def _result_chart(result: Result) -> charts.BarChart:
    weak = {part.part.key for part in result.weak_parts}
    rows = [(part.part.name, part.score, part.part.key in weak) for part in result.parts]
    return charts.bar_chart(
        _("คะแนนรายดัชนี (ร้อยละ)") if result.model.part_kind == "index" else _("คะแนนรายตัวชี้วัด (ร้อยละ)"),
        rows,
        result.model.pass_mark,
        _pass_label(result.model),
    )


def _result_context(access: Access, assessment: Assessment) -> dict[str, Any]:
    result = assessment.result()
    plan, areas = steer.weak_areas(result, access.organization, assessment.year, _can_edit(access))
    return {
        "assessment": assessment,
        "result": result,
        "chart": _result_chart(result),
        "plan": plan,
        "weak_areas": areas,
    }


@dataclass(frozen=True)
class YearRow:
    assessment: Assessment
    result: Result


def _years_chart(rows: list[YearRow]) -> charts.BarChart | None:
    if not rows:
        return None
    newest = max(rows, key=lambda row: row.assessment.year).result.model
    bars = [
        (
            _("พ.ศ. %(year)s · %(source)s")
            % {"year": row.assessment.year, "source": row.assessment.get_source_display()},
            row.result.total,
            row.result.passed is False,
        )
        for row in rows
    ]
    return charts.bar_chart(_("คะแนนรวมแต่ละปี"), bars, newest.pass_mark, _pass_label(newest))


# --- Overview and results --------------------------------------------------------------------------


@require_GET
def overview(request: HttpRequest, org: str) -> HttpResponse:
    access = get_access(request.user, org)
    assessments = list(Assessment.objects.filter(organization=access.organization).prefetch_related("scores"))
    for assessment in assessments:
        assessment.organization = access.organization
    years = sorted(
        (YearRow(a, a.result()) for a in assessments),
        key=lambda row: (row.assessment.year, row.assessment.source),
    )
    context: dict[str, Any] = {
        "access": access,
        "organization": access.organization,
        "can_edit": _can_edit(access),
        "years": years,
        "years_chart": _years_chart(years),
        "rounds": list(SurveyRound.objects.filter(organization=access.organization)),
    }
    if assessments:
        context.update(_result_context(access, assessments[0]))
    return render(request, "ita/overview.html", context)


@require_GET
def assessment_detail(request: HttpRequest, org: str, assessment_id: int) -> HttpResponse:
    access, assessment = _get_assessment(request.user, org, assessment_id)
    context = {"access": access, "organization": access.organization, "can_edit": _can_edit(access)}
    context.update(_result_context(access, assessment))
    return render(request, "ita/assessment.html", context)


@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, org: str) -> HttpResponse:
    access = get_access(request.user, org, Permission.EDIT_ITA)
    chooser = ModelChoiceForm(request.GET or None)
    model_key = request.POST.get("model") or request.GET.get("model") or ""
    try:
        model = catalog.load_model(model_key) if model_key else None
    except LookupError:
        model = None
    if model is None:
        return render(
            request,
            "ita/assessment_new.html",
            {"access": access, "organization": access.organization, "chooser": chooser},
        )
    form = AssessmentForm(model, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = actions.record_assessment(
                _actor(request),
                access.organization,
                year=form.cleaned_data["year"],
                model_key=model.key,
                scores=form.scores(),
                published_points=form.published_points(),
                published_total=form.cleaned_data.get("published_total"),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("บันทึกผลการประเมินปี %(year)s แล้ว") % {"year": assessment.year})
            return redirect("ita_assessment", org=org, assessment_id=assessment.pk)
    return render(
        request,
        "ita/assessment_new.html",
        {
            "access": access,
            "organization": access.organization,
            "chooser": chooser,
            "model": model,
            "form": form,
        },
    )


@require_POST
def assessment_delete(request: HttpRequest, org: str, assessment_id: int) -> HttpResponse:
    _access, assessment = _get_assessment(request.user, org, assessment_id, Permission.EDIT_ITA)
    try:
        actions.delete_assessment(_actor(request), assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ita_assessment", org=org, assessment_id=assessment_id)
    messages.success(request, _("ลบผลการประเมินแล้ว"))
    return redirect("ita", org=org)


# --- Self-assessment rounds ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest, org: str) -> HttpResponse:
    access = get_access(request.user, org, Permission.EDIT_ITA)
    form = RoundForm(request.POST or None, year=fiscal_year_of(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            survey_round = actions.open_round(
                _actor(request),
                access.organization,
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                model_key=form.cleaned_data["model"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("เปิดรอบประเมินตนเองแล้ว ส่งลิงก์หรือคิวอาร์โค้ดให้ผู้ตอบได้เลย"))
            return redirect("ita_round", org=org, round_id=survey_round.pk)
    return render(
        request, "ita/round_new.html", {"access": access, "organization": access.organization, "form": form}
    )


@dataclass(frozen=True)
class LiveRow:
    part: catalog.Part
    score: Decimal | None
    points: Decimal | None


def _survey_url(request: HttpRequest, link: SurveyLink) -> str:
    return request.build_absolute_uri(reverse("ita_survey", kwargs={"token": link.token}))


@require_GET
def round_detail(request: HttpRequest, org: str, round_id: int) -> HttpResponse:
    access, survey_round = _get_round(request.user, org, round_id)
    model = survey_round.model
    scores = survey_scores.score_round(survey_round)
    counts = survey_scores.respondents(survey_round)
    rows = [
        LiveRow(
            part,
            scores.get(part.key),
            None if part.key not in scores else part.weight * scores[part.key] / 100,
        )
        for part in model.parts
    ]
    complete = all(row.score is not None for row in rows)
    result = compute(model, scores) if complete else None
    chart = charts.bar_chart(
        _("คะแนนรายตัวชี้วัดขณะนี้ (ร้อยละ)"),
        [
            (row.part.name, row.score, bool(model.pass_mark and row.score < model.pass_mark))
            for row in rows
            if row.score is not None
        ],
        model.pass_mark,
        _pass_label(model),
    )
    links = []
    for link in sorted(survey_round.links.all(), key=lambda link: SURVEY_TOOLS.index(link.tool)):
        url = _survey_url(request, link)
        links.append(
            {
                "link": link,
                "url": url,
                "questionnaire": link.questionnaire,
                "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
                "respondents": counts.get(link.tool, 0),
            }
        )
    assessment = Assessment.objects.filter(survey_round=survey_round, source=Source.SELF).first()
    return render(
        request,
        "ita/round.html",
        {
            "access": access,
            "organization": access.organization,
            "can_edit": _can_edit(access),
            "round": survey_round,
            "model": model,
            "rows": rows,
            "result": result,
            "chart": chart,
            "links": links,
            "missing": survey_scores.missing_parts(survey_round, scores),
            "round_assessment": assessment,
        },
    )


@require_http_methods(["GET", "POST"])
def round_oit(request: HttpRequest, org: str, round_id: int) -> HttpResponse:
    access, survey_round = _get_round(request.user, org, round_id)
    can_edit = _can_edit(access) and survey_round.is_open
    if request.method == "POST" and not can_edit:
        get_access(request.user, org, Permission.EDIT_ITA)  # 403 for readers
        messages.error(request, _("รอบการประเมินนี้ปิดแล้ว"))
        return redirect("ita_round_oit", org=org, round_id=round_id)
    questionnaire = survey_scores.questionnaire_for(survey_round, CHECKLIST_TOOL)
    entries = list(survey_round.oit_entries.all())
    form = OitForm(questionnaire, entries, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes = {
            item.key: actions.OitChange(
                form.cleaned_data[f"url_{item.key}"], form.cleaned_data[f"complete_{item.key}"]
            )
            for item in questionnaire.checklist
        }
        try:
            changed = actions.update_oit_checklist(_actor(request), survey_round, changes)
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(
                request, _("บันทึกแบบตรวจ OIT แล้ว (%(count)s รายการเปลี่ยนแปลง)") % {"count": changed}
            )
            return redirect("ita_round_oit", org=org, round_id=round_id)
    done = sum(1 for entry in entries if entry.complete)
    return render(
        request,
        "ita/round_oit.html",
        {
            "access": access,
            "organization": access.organization,
            "round": survey_round,
            "form": form,
            "can_edit": can_edit,
            "done": done,
            "total": len(questionnaire.checklist),
        },
    )


@require_http_methods(["GET", "POST"])
def round_import(request: HttpRequest, org: str, round_id: int) -> HttpResponse:
    access, survey_round = _get_round(request.user, org, round_id, Permission.EDIT_ITA)
    form = ImportForm(request.POST or None, files_of(request))
    problems: list[tabular.Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = actions.import_responses(
                _actor(request), survey_round, form.cleaned_data["tool"], upload.read(), filename=upload.name
            )
        except tabular.ImportRefused as refused:
            problems = refused.problems
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("นำเข้าคำตอบ %(count)s ชุดแล้ว") % {"count": count})
            return redirect("ita_round", org=org, round_id=round_id)
    questionnaires = [survey_scores.questionnaire_for(survey_round, tool) for tool in SURVEY_TOOLS]
    return render(
        request,
        "ita/round_import.html",
        {
            "access": access,
            "organization": access.organization,
            "round": survey_round,
            "form": form,
            "problems": problems[:MAX_PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "more_problems": max(0, len(problems) - MAX_PROBLEMS_SHOWN),
            "questionnaires": questionnaires,
        },
    )


@require_POST
def round_close(request: HttpRequest, org: str, round_id: int) -> HttpResponse:
    _access, survey_round = _get_round(request.user, org, round_id, Permission.EDIT_ITA)
    try:
        assessment = actions.close_round(_actor(request), survey_round)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ita_round", org=org, round_id=round_id)
    messages.success(request, _("ปิดรอบและบันทึกผลการประเมินตนเองแล้ว"))
    return redirect("ita_assessment", org=org, assessment_id=assessment.pk)


def _round_link(survey_round: SurveyRound, tool: str) -> SurveyLink:
    link = survey_round.links.filter(tool=tool).first()
    if link is None:
        raise Http404
    return link


@require_GET
def round_qr(request: HttpRequest, org: str, round_id: int, tool: str) -> HttpResponse:
    _access, survey_round = _get_round(request.user, org, round_id)
    link = _round_link(survey_round, tool)
    buffer = io.BytesIO()
    segno.make(_survey_url(request, link), error="m").save(
        buffer, kind="svg", scale=10, border=4, xmldecl=True
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="ita-{survey_round.year}-{tool.lower()}-qr.svg"'
    return response


@require_GET
def round_template(request: HttpRequest, org: str, round_id: int, tool: str) -> HttpResponse:
    _access, survey_round = _get_round(request.user, org, round_id)
    if tool not in SURVEY_TOOLS:
        raise Http404
    questionnaire = survey_scores.questionnaire_for(survey_round, tool)
    text = io.StringIO()
    csv.writer(text).writerow(tabular.template_header(questionnaire))
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{questionnaire.key}-template.csv"'
    return response
