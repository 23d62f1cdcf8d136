"""``/api/v1/``: django-ninja's URL patterns, each wrapped by ``http.public_read``, then a JSON 404 for
any other path below the prefix (a mistyped URL answers in the API's error format, not with a page)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path

from prongsai.api.errors import error_response
from prongsai.api.http import public_read
from prongsai.api.views import api


def _not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(404, "not_found")


# Answers that change without a publication (complaint counts move when a case is answered): never kept.
FRESH = ("get_complaint_statistics",)


def _wrapped(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    out: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        assert isinstance(pattern, URLPattern), "django-ninja makes flat URL patterns"
        # The schema and the docs page never change while the process runs; the answers are kept by stamp.
        stored = pattern.name not in ("openapi-json", "openapi-view", *FRESH)
        callback = public_read(pattern.callback, stored=stored)
        out.append(URLPattern(pattern.pattern, callback, pattern.default_args, pattern.name))
    return out


_patterns, _app_name, namespace = api.urls
urlpatterns = [*_wrapped(_patterns), re_path(r"^(?P<rest>.*)$", public_read(_not_found))]
app_name = _app_name
