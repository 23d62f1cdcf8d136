"""The officers' pages below /o/<org>/complaints/: the dashboard, a case, and the executive's pages.

Every page asks ``get_access`` (404 outside the organisation) and needs a complaint permission (403
otherwise). A case's content is decrypted only with the caller's unlocked key (``keys.private_key``);
without it the page says to sign in again, and nobody (the executive, the site administrator) sees
more than the counting fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prongsai.complaints import actions, keys
from prongsai.complaints.forms import (
    HandlerForm,
    MessageForm,
    ReasonForm,
    RecoveryCodeForm,
    RiskAreaForm,
    StatusForm,
)
from prongsai.complaints.models import Attachment, Case, Handler, IdentityDisclosure, RecoveryKey, Status
from prongsai.complaints.public_views import _form_errors, _uploads
from prongsai.organizations.access import Access, Permission, get_access
from prongsai.organizations.models import Membership

REMINDER_DAYS = 3  # cases due within this many days are listed as reminders


def _access(request: HttpRequest, org: str) -> Access:
    access = get_access(request.user, org, Permission.READ)
    if not access.may_handle_complaints:
        raise PermissionDenied("complaints")
    return access


def _case(access: Access, case_id: Any) -> Case:
    case = (
        Case.objects.select_related("organization")
        .filter(organization=access.organization, pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def _is_handler(access: Access) -> bool:
    if access.user is None:
        return False
    return Handler.objects.filter(
        organization=access.organization, user_id=access.user.pk, active=True
    ).exists()


def _risk_choices() -> list[tuple[str, str]]:
    from prongsai.risks.method import DEFAULT_METHOD, method

    return [(a.key, a.title) for a in method(DEFAULT_METHOD).areas]


def _context(access: Access, **extra: Any) -> dict[str, Any]:
    return {"organization": access.organization, "access": access, **extra}


@require_GET
@never_cache
def dashboard(request: HttpRequest, org: str) -> HttpResponse:
    access = _access(request, org)
    private = keys.private_key(request)
    if private is not None:
        actions.share_keys(access, access.organization, private)
    today = timezone.localdate()
    cases = list(Case.objects.filter(organization=access.organization, destroyed_on__isnull=True))
    rows: list[dict[str, Any]] = []
    for c in cases:
        left = c.days_left(today)
        rows.append(
            {"case": c, "days_left": left, "overdue_days": -left if left is not None and left < 0 else 0}
        )
    counts = {s.value: 0 for s in Status}
    for c in cases:
        counts[c.status] += 1
    overdue = [r for r in rows if r["overdue_days"] > 0]
    reminders = [r for r in rows if r["days_left"] is not None and 0 <= r["days_left"] <= REMINDER_DAYS]
    context = _context(
        access,
        rows=rows,
        counts=[(s.label, counts[s.value]) for s in Status],
        total=len(cases),
        overdue=overdue,
        reminders=reminders,
        is_handler=_is_handler(access),
        unlocked=private is not None,
        has_recovery=RecoveryKey.objects.filter(organization=access.organization).exists(),
    )
    return render(request, "complaints/dashboard.html", context)


def _locked(request: HttpRequest, access: Access, case: Case) -> HttpResponse:
    context = _context(
        access, case=case, is_handler=_is_handler(access), unlocked=keys.private_key(request) is not None
    )
    return render(request, "complaints/locked.html", context, status=403)


def _case_page(
    request: HttpRequest, access: Access, case: Case, status: int = 200, **forms: Any
) -> HttpResponse:
    private = keys.private_key(request)
    try:
        view = actions.officer_view(access, case, private)
    except actions.Locked:
        return _locked(request, access, case)
    context = _context(
        access,
        case=case,
        view=view,
        today=timezone.localdate(),
        days_left=case.days_left(timezone.localdate()),
        reply_form=forms.get("reply_form") or MessageForm(),
        status_form=forms.get("status_form")
        or StatusForm(
            initial={
                "status": case.status,
                "referred_to": case.referred_to,
                "referred_body": case.referred_body,
            }
        ),
        risk_form=forms.get("risk_form")
        or RiskAreaForm(initial={"risk_area": case.risk_area}, choices=_risk_choices()),
        reason_form=forms.get("reason_form") or ReasonForm(),
        identity=forms.get("identity"),
    )
    return render(request, "complaints/case.html", context, status=status)


@require_GET
@never_cache
def case_page(request: HttpRequest, org: str, case_id: Any) -> HttpResponse:
    access = _access(request, org)
    return _case_page(request, access, _case(access, case_id))


def _done(request: HttpRequest, access: Access, case: Case, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("complaint_case", org=access.organization.slug, case_id=case.pk)


def _case_post(
    request: HttpRequest,
    org: str,
    case_id: Any,
    form: Any,
    form_key: str,
    run: Callable[[Access, Case, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """One officer's action on a case from ``form``: done → back to the case with ``done``; a case another
    officer holds → the locked page; refused → the case page with the form and its errors (400)."""
    access = _access(request, org)
    access.require(Permission.COMPLAINT_HANDLE)
    case = _case(access, case_id)
    if form.is_valid():
        try:
            run(access, case, form.cleaned_data)
        except actions.Locked:
            return _locked(request, access, case)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return _done(request, access, case, done)
    return _case_page(request, access, case, status=400, **{form_key: form})


@require_POST
def case_reply(request: HttpRequest, org: str, case_id: Any) -> HttpResponse:
    return _case_post(
        request,
        org,
        case_id,
        MessageForm(request.POST),
        "reply_form",
        lambda access, case, data: actions.officer_reply(
            access, case, keys.private_key(request), data["body"], _uploads(request)
        ),
        _("ส่งข้อความถึงผู้ร้องเรียนแล้ว"),
    )


@require_POST
def case_status(request: HttpRequest, org: str, case_id: Any) -> HttpResponse:
    return _case_post(
        request,
        org,
        case_id,
        StatusForm(request.POST),
        "status_form",
        lambda access, case, data: actions.change_status(
            access,
            case,
            data["status"],
            referred_to=data["referred_to"],
            referred_body=data["referred_body"],
        ),
        _("บันทึกสถานะแล้ว"),
    )


@require_POST
def case_risk_area(request: HttpRequest, org: str, case_id: Any) -> HttpResponse:
    return _case_post(
        request,
        org,
        case_id,
        RiskAreaForm(request.POST, choices=_risk_choices()),
        "risk_form",
        lambda access, case, data: actions.tag_risk_area(access, case, data["risk_area"]),
        _("บันทึกด้านความเสี่ยงแล้ว"),
    )


@require_POST
@never_cache
def case_identity(request: HttpRequest, org: str, case_id: Any) -> HttpResponse:
    access = _access(request, org)
    access.require(Permission.COMPLAINT_HANDLE)
    case = _case(access, case_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            identity = actions.open_identity(
                access, case, keys.private_key(request), form.cleaned_data["reason"]
            )
            return _case_page(request, access, case, identity=identity)
        except actions.Locked:
            return _locked(request, access, case)
        except ValidationError as error:
            _form_errors(form, error)
    return _case_page(request, access, case, status=400, reason_form=form)


@require_GET
@never_cache
def attachment(request: HttpRequest, org: str, case_id: Any, attachment_id: Any) -> HttpResponse:
    access = _access(request, org)
    case = _case(access, case_id)
    item = Attachment.objects.filter(case=case, pk=attachment_id).first()
    if item is None:
        raise Http404
    try:
        data, meta = actions.attachment_data(access, case, item, keys.private_key(request))
    except actions.Locked:
        return _locked(request, access, case)
    from prongsai.lib.files import KINDS

    kind = KINDS[meta["kind"]]
    response = HttpResponse(data, content_type=kind.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="complaint-{case.reference}-{item.number}.{kind.extension}"'
    )
    response["Cache-Control"] = "no-store"
    return response


# -- the executive ------------------------------------------------------------------------------------


def _admin_access(request: HttpRequest, org: str) -> Access:
    access = get_access(request.user, org, Permission.READ)
    access.require(Permission.COMPLAINT_ADMIN)
    return access


def _candidates(access: Access) -> list[tuple[str, str]]:
    members = (
        Membership.objects.filter(organization=access.organization)
        .select_related("user")
        .order_by("user__username")
    )
    return [
        (str(m.user_id), f"{m.user.get_full_name() or m.user.get_username()} ({m.get_role_display()})")
        for m in members
        if actions.may_handle(m.role)
    ]


@require_http_methods(["GET", "POST"])
@never_cache
def handlers(request: HttpRequest, org: str) -> HttpResponse:
    access = _admin_access(request, org)
    form = HandlerForm(request.POST or None, choices=_candidates(access))
    if request.method == "POST" and form.is_valid():
        user = User.objects.get(pk=int(form.cleaned_data["user"]))
        try:
            actions.authorise_handler(access, access.organization, user)
            messages.success(
                request, _("มอบหมายให้ %(user)s อ่านเรื่องร้องเรียนแล้ว") % {"user": user.get_username()}
            )
            return redirect("complaint_handlers", org=org)
        except ValidationError as error:
            _form_errors(form, error)
    context = _context(
        access,
        form=form,
        handlers=Handler.objects.filter(organization=access.organization).select_related(
            "user", "authorised_by"
        ),
        disclosures=IdentityDisclosure.objects.filter(organization=access.organization).select_related(
            "user", "case"
        ),
        recovery=RecoveryKey.objects.filter(organization=access.organization).first(),
        code_form=RecoveryCodeForm(),
    )
    return render(request, "complaints/handlers.html", context, status=400 if form.errors else 200)


@require_POST
def handler_revoke(request: HttpRequest, org: str, handler_id: int) -> HttpResponse:
    access = _admin_access(request, org)
    handler = Handler.objects.filter(organization=access.organization, pk=handler_id).first()
    if handler is None:
        raise Http404
    actions.revoke_handler(access, handler)
    messages.success(request, _("ยกเลิกสิทธิ์อ่านเรื่องร้องเรียนแล้ว"))
    return redirect("complaint_handlers", org=org)


@require_POST
@never_cache
def recovery_create(request: HttpRequest, org: str) -> HttpResponse:
    access = _admin_access(request, org)
    try:
        code = actions.create_recovery_key(access, access.organization)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("complaint_handlers", org=org)
    from prongsai.complaints.crypto import grouped

    response = render(request, "complaints/recovery_code.html", _context(access, code=grouped(code)))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def recovery_use(request: HttpRequest, org: str) -> HttpResponse:
    access = _admin_access(request, org)
    form = RecoveryCodeForm(request.POST)
    if form.is_valid():
        try:
            made = actions.recover(access, access.organization, form.cleaned_data["code"])
            messages.success(request, _("ส่งกุญแจของเรื่องร้องเรียนให้เจ้าหน้าที่แล้ว %(n)s รายการ") % {"n": made})
            return redirect("complaint_handlers", org=org)
        except ValidationError as error:
            _form_errors(form, error)
    context = _context(
        access,
        form=HandlerForm(choices=_candidates(access)),
        handlers=Handler.objects.filter(organization=access.organization).select_related(
            "user", "authorised_by"
        ),
        disclosures=IdentityDisclosure.objects.filter(organization=access.organization).select_related(
            "user", "case"
        ),
        recovery=RecoveryKey.objects.filter(organization=access.organization).first(),
        code_form=form,
    )
    return render(request, "complaints/handlers.html", context, status=400)
