"""Plan pages. Every view reaches tenant data through ``get_access`` / ``get_plan`` and writes through actions."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from prongsai.audit.history import plan_history_rows
from prongsai.audit.summary import log_summary
from prongsai.lib.http import AuthenticatedHttpRequest
from prongsai.lib.uploads import files_of
from prongsai.organizations.access import Permission, get_access
from prongsai.oversight.models import ScopeMark
from prongsai.plans import actions, part1, published
from prongsai.plans.access import PlanAccess, get_plan
from prongsai.plans.content import part1_headings, part1_view
from prongsai.plans.forms import (
    BaseIndicatorFormSet,
    IndicatorFormSet,
    ItemForm,
    Part1EntryForm,
    PlanCreateForm,
    PlanImportForm,
    PlanSettingsForm,
    show_current_version,
)
from prongsai.plans.fragments import plan_pieces
from prongsai.plans.interchange import ImportRefused, import_plan, validation
from prongsai.plans.models import Mission, Part1Entry, Plan, PlanItem, PlanStatus
from prongsai.plans.summary import plan_tables

View = Callable[..., HttpResponse]


def _apply_errors(form: Any, error: ValidationError) -> None:
    """Put an action's ValidationError next to the fields it names (or at the top of the form).

    A stale save (someone else saved first) goes at the top, and the form then carries the version
    saved now, so that saving again over the other person's change is a deliberate second step.
    """
    if isinstance(error, actions.StaleVersion):
        show_current_version(form, error.current_version)
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _editable_plan(request: AuthenticatedHttpRequest, org: str, plan: str) -> PlanAccess:
    """The latest revision for an editor, refusing a plan that is no longer a draft."""
    access = get_plan(request.user, org, plan, None, Permission.EDIT_PLAN)
    if not access.plan.is_editable:
        raise Http404
    return access


def _plan_url(plan: Plan) -> str:
    return reverse("plan", kwargs={"org": plan.organization.slug, "plan": plan.slug})


# --- Organisation and plan list ---------------------------------------------------------------------


@login_required
def organization_home(request: AuthenticatedHttpRequest, org: str) -> HttpResponse:
    access = get_access(request.user, org)
    latest = (
        Plan.objects.filter(organization=access.organization)
        .values("slug")
        .annotate(latest=Max("revision"))
        .values_list("slug", "latest")
    )
    wanted = dict(latest)
    plans = [
        p
        for p in Plan.objects.filter(organization=access.organization, slug__in=wanted)
        if wanted[p.slug] == p.revision
    ]
    plans.sort(key=lambda p: (-p.first_year, p.slug))
    return render(
        request,
        "plans/organization.html",
        {"access": access, "plans": plans, "log": log_summary(access.organization)},
    )


@login_required
def plan_create(request: AuthenticatedHttpRequest, org: str) -> HttpResponse:
    access = get_access(request.user, org, Permission.EDIT_PLAN)
    form = PlanCreateForm(request.POST or None, initial={"template_key": "dla-2561-2564"})
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.create_plan(access, access.organization, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("สร้างแผนแล้ว"))
            return redirect(_plan_url(plan))
    return render(request, "plans/plan_create.html", {"access": access, "form": form})


def _import_signer(request: AuthenticatedHttpRequest, org: str) -> signing.TimestampSigner:
    """Signs a checked plan file for the confirming POST: for this person and organisation only."""
    return signing.TimestampSigner(salt=f"plans.import:{org}:{request.user.pk}")


def _preview(data: dict[str, Any]) -> dict[str, Any]:
    """What the page shows of a checked file before it is saved."""
    content = data["plan"]
    missions = items = 0
    budget = Decimal(0)

    def walk(mission: dict[str, Any]) -> None:
        nonlocal missions, items, budget
        missions += 1
        for item in mission.get("items", []):
            items += 1
            budget += sum((Decimal(amount) for amount in item.get("budgets", {}).values()), Decimal(0))
        for child in mission.get("missions", []):
            walk(child)

    for dimension in content.get("dimensions", []):
        for mission in dimension.get("missions", []):
            walk(mission)
    return {
        "title": content["title"],
        "slug": content["slug"],
        "first_year": content["first_year"],
        "last_year": content["last_year"],
        "dimensions": len(content.get("dimensions", [])),
        "missions": missions,
        "items": items,
        "budget": budget,
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: AuthenticatedHttpRequest, org: str) -> HttpResponse:
    """Upload a plan file (``prongsai plan export``), see what it holds, then save it as a new draft plan of
    this organisation — all of it or, on any problem, nothing (the same checks as ``prongsai plan import``)."""
    access = get_access(request.user, org, Permission.EDIT_PLAN)
    form = PlanImportForm(request.POST or None, files_of(request))
    context: dict[str, Any] = {"access": access, "form": form}
    if request.method == "POST" and "confirm" in request.POST:
        try:
            data = _import_signer(request, org).unsign_object(request.POST["confirm"], max_age=3600)
            plan = import_plan(data, actor=access, org_slug=access.organization.slug)
        except signing.BadSignature:
            messages.error(request, _("การตรวจไฟล์หมดอายุแล้ว โปรดอัปโหลดไฟล์อีกครั้ง"))
            return redirect(reverse("plan_import", kwargs={"org": org}))
        except ImportRefused as refused:
            context["problems"] = refused.problems
        else:
            messages.success(request, _("นำเข้าแผน %(title)s แล้ว (ฉบับร่าง)") % {"title": plan.title})
            return redirect(_plan_url(plan))
    elif request.method == "POST" and form.is_valid():
        try:
            data = validation.parse(form.cleaned_data["file"].read(validation.MAX_BYTES + 1))
            validation.check(data)
            if Plan.objects.filter(organization=access.organization, slug=data["plan"]["slug"]).exists():
                raise ImportRefused(
                    [
                        _("องค์กรนี้มีแผนรหัส %(slug)s อยู่แล้ว: ลบแผนเดิม (ถ้ายังเป็นฉบับร่าง) หรือแก้รหัสแผนในไฟล์")
                        % {"slug": data["plan"]["slug"]}
                    ]
                )
        except ImportRefused as refused:
            context["problems"] = refused.problems
        else:
            context["preview"] = _preview(data)
            context["notices"] = validation.notices(data)
            context["confirm"] = _import_signer(request, org).sign_object(data, compress=True)
    return render(request, "plans/plan_import.html", context)


# --- Reading ----------------------------------------------------------------------------------------


def _render_plan(request: AuthenticatedHttpRequest, pa: PlanAccess) -> HttpResponse:
    plan = pa.plan
    tables = plan_tables(plan)
    sections = part1_view(plan)
    revisions = list(
        Plan.objects.filter(organization=plan.organization, slug=plan.slug)
        .order_by("-revision")
        .values_list("revision", "status")
    )
    can_edit = pa.is_latest and plan.is_editable and pa.access.may_edit_plans
    titles = {item.uid: item.title for item in tables.items}
    # Items an oversight reviewer marked not consistent with the dimensions: the organisation sees each
    # with its reason (they count nowhere).
    scope_marks = [
        (titles.get(mark.item_uid, ""), mark)
        for mark in ScopeMark.objects.filter(organization=plan.organization, plan_slug=plan.slug)
    ]
    return render(
        request,
        "plans/plan_detail.html",
        {
            "access": pa.access,
            "pa": pa,
            "plan": plan,
            "is_latest": pa.is_latest,
            "tables": tables,
            "pieces": plan_pieces(tables, plan, public=False, can_edit=can_edit),
            "s": sections,
            "headings": part1_headings(plan),
            "situation_rows": list(
                zip(
                    [sections[k] for k in part1.SITUATION_GENERAL],
                    [sections[k] for k in part1.SITUATION_SPECIFIC],
                    strict=True,
                )
            ),
            "has_illustrative": any(item.is_illustrative for item in tables.items),
            "can_edit": can_edit,
            "can_approve": pa.is_latest and pa.access.may_approve,
            "can_revise": pa.is_latest
            and plan.status in (PlanStatus.APPROVED, PlanStatus.PUBLISHED)
            and pa.access.may_edit_plans,
            "can_submit": pa.is_latest and plan.status == PlanStatus.DRAFT and pa.access.may_edit_plans,
            "can_delete": pa.is_latest and pa.access.may_edit_plans and actions.may_delete(plan),
            "can_read_history": pa.access.may_read_history,
            "scope_marks": scope_marks,
            "can_review_scope": pa.access.may(Permission.SCOPE_REVIEW)
            and plan.status == PlanStatus.PUBLISHED,
            "revisions": revisions,
            "public_revision": published.current_revision(plan.organization, plan.slug),
            "years": plan.years,
        },
    )


@login_required
def plan_detail(request: AuthenticatedHttpRequest, org: str, plan: str) -> HttpResponse:
    return _render_plan(request, get_plan(request.user, org, plan))


@login_required
def plan_revision(request: AuthenticatedHttpRequest, org: str, plan: str, rev: int) -> HttpResponse:
    return _render_plan(request, get_plan(request.user, org, plan, rev))


@login_required
def plan_history(request: AuthenticatedHttpRequest, org: str, plan: str) -> HttpResponse:
    pa = get_plan(request.user, org, plan, None, Permission.READ_HISTORY)
    rows = plan_history_rows(pa.access.organization, pa.plan.key)
    return render(request, "plans/plan_history.html", {"access": pa.access, "plan": pa.plan, "rows": rows})


# --- Plan settings and workflow ---------------------------------------------------------------------


@login_required
def plan_settings(request: AuthenticatedHttpRequest, org: str, plan: str) -> HttpResponse:
    pa = _editable_plan(request, org, plan)
    form = PlanSettingsForm(
        request.POST or None,
        initial={"title": pa.plan.title, "digits": pa.plan.digits, "version": pa.plan.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_plan_settings(
                pa.access,
                pa.plan,
                title=form.cleaned_data["title"],
                digits=form.cleaned_data["digits"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("บันทึกแล้ว"))
            return redirect(_plan_url(pa.plan))
    return render(request, "plans/plan_settings.html", {"access": pa.access, "plan": pa.plan, "form": form})


def _workflow(
    operation: Callable[[Any, Plan], Plan],
    needed: Permission,
    done: StrOrPromise,
    *,
    question: StrOrPromise,
    consequence: StrOrPromise,
    button: StrOrPromise,
) -> View:
    """A step of the plan's workflow: a GET asks for confirmation saying what will happen, a POST does it."""

    @require_http_methods(["GET", "POST"])
    @login_required
    def view(request: AuthenticatedHttpRequest, org: str, plan: str) -> HttpResponse:
        pa = get_plan(request.user, org, plan, None, needed)
        if request.method == "GET":
            return render(
                request,
                "plans/confirm.html",
                {
                    "access": pa.access,
                    "plan": pa.plan,
                    "question": question,
                    "consequence": consequence,
                    "button": button,
                },
            )
        try:
            result = operation(pa.access, pa.plan)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(_plan_url(pa.plan))
        messages.success(request, done)
        return redirect(_plan_url(result))

    return view


@require_http_methods(["GET", "POST"])
@login_required
def plan_delete(request: AuthenticatedHttpRequest, org: str, plan: str) -> HttpResponse:
    """Delete a first draft never approved: a GET asks for confirmation, a POST deletes."""
    pa = get_plan(request.user, org, plan, None, Permission.EDIT_PLAN)
    if not pa.is_latest or not actions.may_delete(pa.plan):
        raise Http404
    if request.method == "POST":
        actions.delete_plan(pa.access, pa.plan)
        messages.success(request, _("ลบแผน %(title)s แล้ว") % {"title": pa.plan.title})
        return redirect("organization", org=pa.access.organization.slug)
    return render(
        request,
        "plans/confirm.html",
        {
            "access": pa.access,
            "plan": pa.plan,
            "question": _("ลบแผนฉบับร่างนี้?"),
            "consequence": _(
                "แผนนี้ยังไม่เคยได้รับอนุมัติ เนื้อหาทั้งหมดจะถูกลบ ย้อนกลับไม่ได้ "
                "บันทึกการเปลี่ยนแปลงยังเก็บไว้ว่าแผนมีเนื้อหาอะไรและใครลบ"
            ),
            "button": _("ลบแผน"),
        },
    )


plan_submit = _workflow(
    actions.submit_plan,
    Permission.EDIT_PLAN,
    gettext_lazy("เสนอแผนให้ผู้บริหารอนุมัติแล้ว"),
    question=gettext_lazy("เสนอแผนนี้ให้ผู้บริหารอนุมัติ?"),
    consequence=gettext_lazy("ระหว่างรออนุมัติจะแก้ไขแผนไม่ได้ ผู้บริหารที่ไม่ใช่ผู้แก้ไขแผนล่าสุดจะอนุมัติ หรือส่งกลับมาให้แก้ไข"),
    button=gettext_lazy("เสนออนุมัติ"),
)
plan_approve = _workflow(
    actions.approve_plan,
    Permission.APPROVE_PLAN,
    gettext_lazy("อนุมัติแผนแล้ว"),
    question=gettext_lazy("อนุมัติแผนนี้?"),
    consequence=gettext_lazy("ชื่อของท่านจะอยู่ในบันทึกการประกาศในฐานะผู้อนุมัติ แผนยังไม่เผยแพร่ต่อประชาชนจนกว่าจะกดประกาศ"),
    button=gettext_lazy("อนุมัติแผน"),
)
plan_publish = _workflow(
    actions.publish_plan,
    Permission.APPROVE_PLAN,
    gettext_lazy("ประกาศแผนแล้ว"),
    question=gettext_lazy("ประกาศแผนนี้ต่อประชาชน?"),
    consequence=gettext_lazy(
        "ระบบจะจัดทำเอกสาร PDF ฉบับทางการ เก็บไว้พร้อมค่าแฮช และเผยแพร่บนหน้าสาธารณะ "
        "การประกาศย้อนกลับไม่ได้ การแก้ไขภายหลังต้องทำเป็นฉบับแก้ไขใหม่"
    ),
    button=gettext_lazy("ประกาศแผน"),
)
plan_return = _workflow(
    actions.return_to_draft,
    Permission.APPROVE_PLAN,
    gettext_lazy("ส่งแผนกลับเป็นฉบับร่างแล้ว"),
    question=gettext_lazy("ส่งแผนกลับเป็นฉบับร่าง?"),
    consequence=gettext_lazy("ผู้จัดทำจะแก้ไขได้อีกครั้ง และต้องเสนออนุมัติใหม่"),
    button=gettext_lazy("ส่งกลับเป็นฉบับร่าง"),
)
plan_revise = _workflow(
    actions.start_revision,
    Permission.EDIT_PLAN,
    gettext_lazy("สร้างฉบับแก้ไขใหม่แล้ว แก้ไขได้ในฉบับร่างนี้"),
    question=gettext_lazy("สร้างฉบับแก้ไขใหม่ของแผนนี้?"),
    consequence=gettext_lazy(
        "ระบบจะคัดลอกฉบับนี้เป็นฉบับร่างใหม่ให้แก้ไข ฉบับที่ประกาศแล้วยังคงเผยแพร่อยู่จนกว่าฉบับใหม่จะประกาศ"
    ),
    button=gettext_lazy("สร้างฉบับแก้ไขใหม่"),
)


# --- Part 1 -----------------------------------------------------------------------------------------


@login_required
def part1_edit(request: AuthenticatedHttpRequest, org: str, plan: str, section: str) -> HttpResponse:
    pa = _editable_plan(request, org, plan)
    try:
        sec = part1.section(section)
    except LookupError:
        raise Http404 from None
    form = Part1EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_part1_entry(pa.access, pa.plan, sec.key, form.cleaned_data["text"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("เพิ่มข้อความแล้ว"))
            return redirect("part1_edit", org=org, plan=plan, section=sec.key)
    entries = pa.plan.part1_entries.filter(section=sec.key).order_by("position")
    return render(
        request,
        "plans/part1_edit.html",
        {"access": pa.access, "plan": pa.plan, "section": sec, "entries": entries, "form": form},
    )


def _entry(
    request: AuthenticatedHttpRequest, org: str, plan: str, entry_id: int
) -> tuple[PlanAccess, Part1Entry]:
    pa = _editable_plan(request, org, plan)
    return pa, get_object_or_404(Part1Entry, pk=entry_id, plan=pa.plan)


@login_required
def part1_entry_edit(request: AuthenticatedHttpRequest, org: str, plan: str, entry_id: int) -> HttpResponse:
    pa, entry = _entry(request, org, plan, entry_id)
    form = Part1EntryForm(request.POST or None, initial={"text": entry.text, "version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_part1_entry(
                request.user, entry, form.cleaned_data["text"], expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("บันทึกแล้ว"))
            return redirect("part1_edit", org=org, plan=plan, section=entry.section)
    return render(
        request,
        "plans/part1_entry_edit.html",
        {
            "access": pa.access,
            "plan": pa.plan,
            "entry": entry,
            "section": part1.section(entry.section),
            "form": form,
        },
    )


@require_POST
@login_required
def part1_entry_delete(request: AuthenticatedHttpRequest, org: str, plan: str, entry_id: int) -> HttpResponse:
    _pa, entry = _entry(request, org, plan, entry_id)
    actions.delete_part1_entry(request.user, entry)
    messages.success(request, _("ลบข้อความแล้ว"))
    return redirect("part1_edit", org=org, plan=plan, section=entry.section)


@require_POST
@login_required
def part1_entry_move(request: AuthenticatedHttpRequest, org: str, plan: str, entry_id: int) -> HttpResponse:
    _pa, entry = _entry(request, org, plan, entry_id)
    actions.move_part1_entry(request.user, entry, -1 if request.POST.get("direction") == "up" else 1)
    return redirect(
        reverse("part1_edit", kwargs={"org": org, "plan": plan, "section": entry.section}) + f"#e{entry.pk}"
    )


# --- Items ------------------------------------------------------------------------------------------


def _item_page(
    request: AuthenticatedHttpRequest, pa: PlanAccess, item: PlanItem | None, initial: dict[str, Any]
) -> HttpResponse:
    missions = list(pa.plan.missions.order_by("position"))
    form = ItemForm(pa.plan, missions, request.POST or None, initial=initial)
    indicator_initial = (
        [
            {"description": i.description, "target_value": i.target_value, "unit": i.unit}
            for i in item.indicators.all()
        ]
        if item
        else []
    )
    formset = cast(
        BaseIndicatorFormSet,
        IndicatorFormSet(request.POST or None, initial=indicator_initial, prefix="indicators"),
    )
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        data = form.item_data(formset.indicators(), is_illustrative=item.is_illustrative if item else False)
        try:
            if item is None:
                saved = actions.add_item(pa.access, pa.plan, form.cleaned_data["mission"], data)
            else:
                saved = actions.update_item(
                    request.user,
                    item,
                    data,
                    mission=form.cleaned_data["mission"],
                    expected_version=form.cleaned_data["version"],
                )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("บันทึก %(title)s แล้ว") % {"title": saved.title[:100]})
            return redirect(_plan_url(pa.plan) + f"#item-{saved.pk}")
    from prongsai.risks.published import treating_measures  # the risk register links items by uid

    item_risks = treating_measures(pa.access.organization, pa.plan.slug, item.uid) if item else []
    return render(
        request,
        "plans/item_form.html",
        {
            "access": pa.access,
            "plan": pa.plan,
            "item": item,
            "form": form,
            "formset": formset,
            "item_risks": item_risks,
        },
    )


@login_required
def item_add(request: AuthenticatedHttpRequest, org: str, plan: str) -> HttpResponse:
    pa = _editable_plan(request, org, plan)
    code = request.GET.get("mission", "")
    initial = {"mission": code} if Mission.objects.filter(plan=pa.plan, code=code).exists() else {}
    return _item_page(request, pa, None, initial)


def _item(
    request: AuthenticatedHttpRequest, org: str, plan: str, item_id: int
) -> tuple[PlanAccess, PlanItem]:
    pa = _editable_plan(request, org, plan)
    item = get_object_or_404(
        PlanItem.objects.select_related("mission").prefetch_related("budgets", "indicators"),
        pk=item_id,
        plan=pa.plan,
    )
    return pa, item


@login_required
def item_edit(request: AuthenticatedHttpRequest, org: str, plan: str, item_id: int) -> HttpResponse:
    pa, item = _item(request, org, plan, item_id)
    return _item_page(request, pa, item, ItemForm.initial_for(item))


@require_POST
@login_required
def item_delete(request: AuthenticatedHttpRequest, org: str, plan: str, item_id: int) -> HttpResponse:
    pa, item = _item(request, org, plan, item_id)
    actions.delete_item(request.user, item)
    messages.success(request, _("ลบ %(title)s แล้ว") % {"title": item.title[:100]})
    return redirect(_plan_url(pa.plan) + "#part2")


@require_POST
@login_required
def item_move(request: AuthenticatedHttpRequest, org: str, plan: str, item_id: int) -> HttpResponse:
    pa, item = _item(request, org, plan, item_id)
    actions.move_item(request.user, item, -1 if request.POST.get("direction") == "up" else 1)
    return redirect(_plan_url(pa.plan) + f"#item-{item.pk}")
