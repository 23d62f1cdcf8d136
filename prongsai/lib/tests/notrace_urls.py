"""Views for the no-trace tests: one below a complaint path and the same elsewhere."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from prongsai.lib.notrace import is_no_trace


@login_not_required
@csrf_exempt
def boom(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "")
    raise RuntimeError(f"failed on {text} from {request.META.get('HTTP_USER_AGENT', '-')}")


@login_not_required
def echo(request: HttpRequest, org: str = "") -> JsonResponse:
    return JsonResponse(
        {
            "remote_addr": request.META.get("REMOTE_ADDR"),
            "headers": sorted(name for name in request.META if name.startswith(("HTTP_", "REMOTE_"))),
            "no_trace": is_no_trace(request),
        }
    )


@login_not_required
def form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return HttpResponse(f"<p id=done>ok {request.POST.get('text', '')}</p>")
    token = get_token(request)
    return HttpResponse(
        f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '<input name="text" value="hello"><button type="submit">send</button></form>'
    )


urlpatterns = [
    path("p/complaints/boom/", boom),
    path("p/<slug:org>/complaints/echo/", echo),
    path("p/complaints/form/", form),
    path("elsewhere/boom/", boom),
    path("elsewhere/echo/", echo),
    path("elsewhere/form/", form),
    path("", include("prongsai.urls")),  # the error pages name the site's own pages
]
