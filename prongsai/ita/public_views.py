"""The public survey page (below /s/): answered by anyone with the link, without an account.

Nothing about the person is kept: no name, IP address, user agent or time goes into the database
(see ``SurveyResponse``). "Answer once" is a signed cookie in the respondent's browser plus a one-time
ticket in the form, whose digest alone is stored once used. A POST is checked in order of cost
(docs/decisions/0005-anonymous-survey-abuse.md): the ticket's signature, age and proof of work without
the database; then the link; then, in one short transaction, the ticket's one use and the link's
budget, and only then are answers stored.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from prongsai.ita import actions
from prongsai.ita.catalog import Questionnaire
from prongsai.ita.forms import SurveyForm
from prongsai.ita.models import SurveyLink

COOKIE_SALT = "prongsai.ita.answered"
COOKIE_MAX_AGE = 400 * 24 * 60 * 60  # longer than a round

# The questions of an unanswered form are the same for everybody: render them once per questionnaire and
# language in each process (the questionnaire files are fixed while the process runs).
_blank_questions: dict[tuple[str, str], SafeString] = {}

# The rest of an anonymous visitor's page differs only by the ticket and the CSRF token: each process keeps
# it for PAGE_SECONDS per link and language, so the page is served without the database. A round closed
# meanwhile still shows its form for at most that long; its POST is refused by the database (410).
PAGE_SECONDS = 10
PAGES_KEPT = 512
TICKET_MARK, CSRF_MARK, QUESTIONS_MARK = "@@ticket@@", "@@csrf@@", "@@questions@@"
_pages: OrderedDict[tuple[str, str], tuple[float, int, Questionnaire, tuple[str, ...]]] = OrderedDict()


def _cookie_name(link: SurveyLink) -> str:
    return f"ita_answered_{link.pk}"


def _link(token: str) -> SurveyLink:
    link = SurveyLink.objects.select_related("round__organization").filter(token=token).first()
    if link is None:
        raise Http404
    return link


def _context(link: SurveyLink) -> dict[str, Any]:
    return {
        "link": link,
        "round": link.round,
        "organization": link.round.organization,
        "questionnaire": link.questionnaire,
        "proof_bits": settings.SURVEY_PROOF_BITS,
    }


def _questions_html(questionnaire: Questionnaire) -> SafeString:
    key = (questionnaire.key, get_language() or "")
    html = _blank_questions.get(key)
    if html is None:
        html = render_to_string("ita/public/_questions.html", {"form": SurveyForm(questionnaire)})
        _blank_questions[key] = html
    return html


def _answered(request: HttpRequest, link: SurveyLink) -> bool:
    return request.get_signed_cookie(_cookie_name(link), default=None, salt=COOKIE_SALT) == "1"


def _refused(request: HttpRequest, token: str, refusal: actions.TicketRefused) -> HttpResponse:
    """Junk, a replay, or a form that cannot be sent yet: a small page, no database, nothing counted."""
    context = {"messages_": refusal.messages, "token": token, "code": refusal.code}
    return render(request, "ita/public/refused.html", context, status=400)


def _form_page(
    request: HttpRequest, context: dict[str, Any], form: SurveyForm, status: int = 200
) -> HttpResponse:
    """The form again with the answers given, the same (unspent) ticket and proof, and what is wrong."""
    context |= {
        "form": form,
        "ticket": request.POST.get("ticket", ""),
        "proof": request.POST.get("proof", ""),
        "min_seconds": 0,
    }
    return render(request, "ita/public/survey.html", context, status=status)


def _cacheable(request: HttpRequest) -> bool:
    """The same page for everybody: nobody signed in, no query string, no flash message waiting."""
    return not request.GET and "messages" not in request.COOKIES and not request.user.is_authenticated


def _page_parts(request: HttpRequest, token: str) -> tuple[float, int, Questionnaire, tuple[str, ...]] | None:
    """(until when, link id, questionnaire, the page split at its questions) for an open link, from this
    process's copy while it is fresh."""
    key = (token, get_language() or "")
    kept = _pages.get(key)
    now = time.monotonic()
    if kept is not None and kept[0] > now:
        return kept
    link = _link(token)
    if not link.round.is_open:
        return None
    context = _context(link) | {
        "questions_html": QUESTIONS_MARK,
        "ticket": TICKET_MARK,
        "proof": "",
        "csrf_token": CSRF_MARK,
        "min_seconds": settings.SURVEY_TICKET_MIN_SECONDS,
    }
    html = render_to_string("ita/public/survey.html", context, request)
    kept = _pages[key] = (now + PAGE_SECONDS, link.pk, link.questionnaire, tuple(html.split(QUESTIONS_MARK)))
    _pages.move_to_end(key)
    while len(_pages) > PAGES_KEPT:
        _pages.popitem(last=False)
    return kept


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        return _answer(request, token)
    if _cacheable(request):
        kept = _page_parts(request, token)
        if kept is not None:
            _until, link_id, questionnaire, (before, after) = kept
            if request.get_signed_cookie(f"ita_answered_{link_id}", default=None, salt=COOKIE_SALT) != "1":
                csrf = get_token(request)
                top = before.replace(TICKET_MARK, actions.new_ticket_for(link_id)).replace(CSRF_MARK, csrf)
                return HttpResponse(top + _questions_html(questionnaire) + after.replace(CSRF_MARK, csrf))
    link = _link(token)
    context = _context(link)
    if not link.round.is_open:
        return render(request, "ita/public/closed.html", context, status=410)
    if _answered(request, link):
        return render(request, "ita/public/thanks.html", context)
    context |= {
        "questions_html": _questions_html(link.questionnaire),
        "ticket": actions.new_ticket(link),
        "proof": "",
        "min_seconds": settings.SURVEY_TICKET_MIN_SECONDS,
    }
    return render(request, "ita/public/survey.html", context)


def _answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ticket = actions.check_ticket(request.POST.get("ticket", ""), request.POST.get("proof", ""))
    except actions.TicketRefused as refusal:
        return _refused(request, token, refusal)
    link = _link(token)
    context = _context(link)
    if not link.round.is_open:
        return render(request, "ita/public/closed.html", context, status=410)
    if _answered(request, link):
        return render(request, "ita/public/thanks.html", context)
    form = SurveyForm(link.questionnaire, request.POST)
    if not form.is_valid():
        return _form_page(request, context, form)
    try:
        actions.submit_answers(link, ticket, form.choices(), per_minute=settings.SURVEY_POSTS_PER_MINUTE)
    except actions.TicketRefused as refusal:
        return _refused(request, token, refusal)
    except actions.LinkBusy:
        form.add_error(None, _("มีผู้ตอบจำนวนมากในขณะนี้ คำตอบของคุณยังไม่ได้บันทึก โปรดรอสักครู่แล้วกดส่งอีกครั้ง"))
        return _form_page(request, context, form, status=429)
    except ValidationError as error:
        if error.code == "closed":
            return render(request, "ita/public/closed.html", context, status=410)
        form.add_error(None, error)
        return _form_page(request, context, form)
    response = redirect("ita_survey", token=token)
    response.set_signed_cookie(
        _cookie_name(link),
        "1",
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
