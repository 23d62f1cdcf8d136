"""The public survey page (below /s/): answered by anyone with the link, without an account.

Nothing about the person is kept: no name, IP address, user agent or time goes into the database
(see ``SurveyResponse``). "Answer once" is a signed cookie in the respondent's browser plus a one-time
ticket in the form, whose digest alone is stored once used.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from prongsai.ita import actions
from prongsai.ita.forms import SurveyForm
from prongsai.ita.models import SurveyLink
from prongsai.lib.ratelimit import allow

COOKIE_SALT = "prongsai.ita.answered"
COOKIE_MAX_AGE = 400 * 24 * 60 * 60  # longer than a round


def _cookie_name(link: SurveyLink) -> str:
    return f"ita_answered_{link.pk}"


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    link = SurveyLink.objects.select_related("round__organization").filter(token=token).first()
    if link is None:
        raise Http404
    questionnaire = link.questionnaire
    context = {
        "link": link,
        "round": link.round,
        "organization": link.round.organization,
        "questionnaire": questionnaire,
    }
    if not link.round.is_open:
        return render(request, "ita/public/closed.html", context, status=410)
    if request.get_signed_cookie(_cookie_name(link), default=None, salt=COOKIE_SALT) == "1":
        return render(request, "ita/public/thanks.html", context)
    if request.method == "POST" and not allow(
        "survey", link.token, settings.SURVEY_POSTS_PER_MINUTE, window_seconds=60
    ):
        return render(request, "ita/public/busy.html", context, status=429)
    if request.method == "POST":
        form = SurveyForm(questionnaire, request.POST)
        if form.is_valid():
            try:
                actions.submit_answers(link, form.cleaned_data["ticket"], form.choices())
            except ValidationError as error:
                form.add_error(None, error)
            else:
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
    else:
        form = SurveyForm(questionnaire, initial={"ticket": actions.new_ticket(link)})
    context["form"] = form
    return render(request, "ita/public/survey.html", context)
