"""What every API URL does around its view: public, read-only, CORS, validators and conditional GET.

Applied to each URL pattern django-ninja makes (``urls.py``), so the rules hold for the schema and the
docs page too, and no endpoint can forget them.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from prongsai.api.errors import error_response
from prongsai.portal.cache import cached_response, publication_stamp

View = Callable[..., HttpResponseBase]

READ_METHODS = {"GET", "HEAD"}
ALLOW = "GET, HEAD, OPTIONS"
# Answers are the same for everyone (no cookies are read, no credentials accepted), so any site may read them.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": ALLOW,
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}
# Public data that changes only when something is published: shared caches may keep it a minute, then
# revalidate with the ETag.
CACHE_CONTROL = "public, max-age=60"
# What a stored answer keeps; CORS, validators and caching headers are added on the way out.
ANSWER_HEADERS = ("Content-Type", "Last-Modified")


def etag_of(content: bytes) -> str:
    """A strong validator: the answer's own bytes hashed, so it changes exactly when the answer does."""
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponseBase:
    etag = etag_of(response.content)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    last_modified = parse_http_date_safe(response["Last-Modified"]) if "Last-Modified" in response else None
    answer = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
    return response if answer is None else answer


def _set(response: HttpResponseBase, headers: dict[str, str]) -> None:
    for name, value in headers.items():
        response[name] = value


def public_read(view: View, *, stored: bool = False) -> View:
    """``view`` open to anonymous visitors, answering GET/HEAD/OPTIONS only, with CORS and validators;
    ``stored``: its answers are kept under the publication stamp (``portal.cache``)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase
        method = request.method or "GET"
        if method == "OPTIONS":
            response = HttpResponse(status=204)
            _set(response, PREFLIGHT_HEADERS)
            response["Allow"] = ALLOW
        elif method not in READ_METHODS:
            response = error_response(405, "method_not_allowed")
            response["Allow"] = ALLOW
        else:
            # HEAD is GET without the body; the views only know GET.
            request.method = "GET"
            # Every answer is the same for everyone and changes only with a publication: keep it under the
            # publication stamp, so a crowd reading one plan costs one rendering per process.
            if stored:
                path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
                key = f"api:{publication_stamp()}:{path}"
                response = cached_response(key, lambda: view(request, *args, **kwargs), ANSWER_HEADERS)
            else:
                response = view(request, *args, **kwargs)
            if response.status_code == 200 and isinstance(response, HttpResponse):
                response = _conditional(request, response)
            if method == "HEAD" and isinstance(response, HttpResponse):
                length = len(response.content)
                response.content = b""
                response["Content-Length"] = str(length)
            request.method = method
        _set(response, CORS_HEADERS)
        return response

    return login_not_required(wrapped)
