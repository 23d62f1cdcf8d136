"""The reporter's pages: filing without an account, the receipt, and coming back with it.

Nothing here keeps the visitor: the no-trace middleware blanks the address, browser and referrer for
these paths and the log filters drop their requests (``lib/notrace.py``), the pages use no Django session and no messages, and filing or replying writes
no audit entry. After a good receipt the reporter's access is one cookie scoped to ``/p/complaints/``
(HttpOnly, SameSite=Strict, 30 minutes) holding, encrypted under a key derived from SECRET_KEY, the
case id, the key that unwraps the case key and the expiry: the server keeps no state for it.
"""

from __future__ import annotations

import base64
import io
import json
import time
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prongsai.complaints import actions, crypto, flood
from prongsai.complaints.forms import FilingForm, MessageForm, ReceiptForm
from prongsai.complaints.models import Sender
from prongsai.lib.public_url import absolute_url
from prongsai.organizations.models import Organization

COOKIE_NAME = "prongsai_complaint"
COOKIE_PATH = "/p/complaints/"
COOKIE_SECONDS = 30 * 60
_COOKIE_KEY_PURPOSE = b"prongsai-cookie"


def _organization(slug: str) -> Organization:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise Http404
    return organization


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    # No messages framework on these pages: an empty list in place of the context processor's.
    response = render(request, f"complaints/public/{template}", {"messages": (), **context}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _uploads(request: HttpRequest) -> list[actions.Upload]:
    found: list[UploadedFile] = request.FILES.getlist("files")
    return [actions.Upload(f.name or "", f.read()) for f in found if f.size]


def _form_errors(form: Any, error: ValidationError) -> None:
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


def _refused(request: HttpRequest, refusal: flood.TicketRefused, back: str) -> HttpResponse:
    return _render(request, "refused.html", {"messages_": refusal.messages, "back": back}, status=400)


# -- filing -------------------------------------------------------------------------------------------


def _filing_page(
    request: HttpRequest, organization: Organization, form: FilingForm, **extra: Any
) -> HttpResponse:
    if "ticket" in extra:
        ticket, bits = extra.pop("ticket"), extra.pop("bits")
    else:
        ticket, bits = flood.filing_ticket(organization)
    context = {
        "organization": organization,
        "form": form,
        "ticket": ticket,
        "proof_bits": bits,
        "proof": extra.pop("proof", ""),
        "min_seconds": settings.COMPLAINTS_TICKET_MIN_SECONDS,
        "limits": {"file_mb": 10, "files": actions.FILES_PER_SUBMISSION, "case_mb": 50},
        **extra,
    }
    return _render(request, "file.html", context, status=extra.get("status", 200))


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def file_new(request: HttpRequest, org: str) -> HttpResponse:
    organization = _organization(org)
    if request.method != "POST":
        return _filing_page(request, organization, FilingForm())
    back = reverse("complaint_file", kwargs={"org": org})
    try:
        ticket = flood.check_filing(
            request.POST.get("ticket", ""), request.POST.get("proof", ""), organization
        )
    except flood.TicketRefused as refusal:
        return _refused(request, refusal, back)
    form = FilingForm(request.POST)
    again = {
        "ticket": request.POST.get("ticket", ""),
        "bits": ticket.bits,
        "proof": request.POST.get("proof", ""),
    }
    if not form.is_valid():
        return _filing_page(request, organization, form, **again)
    try:
        filed = actions.file_case(
            organization, ticket, form.cleaned_data, _uploads(request), form.cleaned_data.get("identity", "")
        )
    except flood.TicketRefused as refusal:
        return _refused(request, refusal, back)
    except ValidationError as error:
        _form_errors(form, error)
        return _filing_page(request, organization, form, **again)
    # The receipt is on this response only: no redirect carries it, nothing stores it.
    context = {"organization": organization, "receipt": crypto.grouped(filed.receipt), "case": filed.case}
    return _render(request, "receipt.html", context)


@login_not_required
@require_GET
def poster(request: HttpRequest, org: str) -> HttpResponse:
    organization = _organization(org)
    url = absolute_url(request, reverse("complaint_file", kwargs={"org": org}))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=4, xmldecl=False, svgns=True)
    context = {"organization": organization, "url": url, "qr": buffer.getvalue().decode()}
    return _render(request, "poster.html", context)


# -- the reporter's way back --------------------------------------------------------------------------


def _cookie_key() -> bytes:
    return crypto.server_key(_COOKIE_KEY_PURPOSE)


def _reporter_cookie(key: actions.ReporterKey, now: float | None = None) -> str:
    expiry = int((time.time() if now is None else now) + COOKIE_SECONDS)
    payload = json.dumps({"c": key.case_id, "k": base64.b64encode(key.wrap_key).decode(), "e": expiry})
    return base64.urlsafe_b64encode(crypto.lock(_cookie_key(), payload.encode())).decode()


def _reporter_key(request: HttpRequest) -> actions.ReporterKey | None:
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return None
    try:
        payload = json.loads(crypto.unlock(_cookie_key(), base64.urlsafe_b64decode(value.encode())))
        if int(payload["e"]) < time.time():
            return None
        return actions.ReporterKey(str(payload["c"]), base64.b64decode(payload["k"]))
    except (crypto.Undecryptable, ValueError, KeyError, TypeError):
        return None


def _set_reporter_cookie(response: HttpResponse, key: actions.ReporterKey) -> None:
    response.set_cookie(
        COOKIE_NAME,
        _reporter_cookie(key),
        max_age=COOKIE_SECONDS,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _receipt_page(request: HttpRequest, form: ReceiptForm, status: int = 200, **extra: Any) -> HttpResponse:
    ticket, bits = flood.receipt_ticket()
    context = {
        "form": form,
        "ticket": ticket,
        "proof_bits": bits,
        "min_seconds": settings.COMPLAINTS_TICKET_MIN_SECONDS,
        **extra,
    }
    return _render(request, "come_back.html", context, status=status)


def _case_page(
    request: HttpRequest, key: actions.ReporterKey, form: MessageForm | None = None, status: int = 200
) -> HttpResponse:
    try:
        view = actions.reporter_view(key)
    except actions.ReceiptRefused:
        response = _receipt_page(request, ReceiptForm())
        response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH, samesite="Strict")
        return response
    context = {
        "view": view,
        "case": view.case,
        "organization": view.case.organization,
        "form": form or MessageForm(),
        "REPORTER": Sender.REPORTER,
        "limits": {"file_mb": 10, "files": actions.FILES_PER_SUBMISSION, "case_mb": 50},
    }
    return _render(request, "case.html", context, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def come_back(request: HttpRequest) -> HttpResponse:
    key = _reporter_key(request)
    if request.method != "POST":
        return _case_page(request, key) if key is not None else _receipt_page(request, ReceiptForm())
    try:
        ticket = flood.check_receipt(request.POST.get("ticket", ""), request.POST.get("proof", ""))
    except flood.TicketRefused as refusal:
        return _refused(request, refusal, reverse("complaint_come_back"))
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return _receipt_page(request, form)
    try:
        opened = actions.reporter_open(form.cleaned_data["receipt"], ticket)
    except flood.TicketRefused as refusal:
        return _refused(request, refusal, reverse("complaint_come_back"))
    except actions.Busy:
        form.add_error(None, _("มีผู้ใช้งานจำนวนมากในขณะนี้ โปรดรอหนึ่งนาทีแล้วลองอีกครั้ง"))
        return _receipt_page(request, form, status=429)
    except actions.ReceiptRefused:
        form.add_error("receipt", _("ไม่พบเรื่องร้องเรียนของเลขรับเรื่องนี้ โปรดตรวจสอบตัวเลขทั้ง 16 หลัก"))
        return _receipt_page(request, form, status=400)
    response = redirect("complaint_come_back")
    response.status_code = 303
    _set_reporter_cookie(response, opened)
    return response


@login_not_required
@never_cache
@require_POST
def reporter_reply(request: HttpRequest) -> HttpResponse:
    key = _reporter_key(request)
    if key is None:
        return _receipt_page(request, ReceiptForm(), status=403)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _case_page(request, key, form, status=400)
    try:
        actions.reporter_reply(key, form.cleaned_data["body"], _uploads(request))
    except actions.ReceiptRefused:
        return _receipt_page(request, ReceiptForm(), status=403)
    except ValidationError as error:
        _form_errors(form, error)
        return _case_page(request, key, form, status=400)
    response = redirect("complaint_come_back")
    response.status_code = 303
    _set_reporter_cookie(response, key)  # another 30 minutes
    return response


@login_not_required
@never_cache
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    response = redirect("complaint_come_back")
    response.status_code = 303
    response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH, samesite="Strict")
    return response
